// Package secrets retrieves secrets through a bounded, coalescing cache and
// hands them out as values that cannot be logged by accident.
//
// A Cache wraps a Provider (AWS Secrets Manager, SSM Parameter Store, the
// AWS Parameters and Secrets Lambda Extension, environment variables, files
// or a static map). Concurrent misses make one fetch, failed refreshes can
// serve the previous value for a bounded time, and no lock is held while a
// provider is called. A Value prints as [REDACTED] through every formatting
// path; Reveal is the only way to the plaintext.
package secrets
