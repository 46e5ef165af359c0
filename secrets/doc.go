// Package secrets retrieves secrets through a bounded, coalescing cache and
// hands them out as values that cannot be logged by accident.
//
// A [Cache] wraps a [Provider] (AWS Secrets Manager, SSM Parameter Store, the
// AWS Parameters and Secrets Lambda Extension, environment variables, files
// or a static map). Concurrent misses make one fetch, failed refreshes can
// serve the previous value for a bounded time, and no lock is held while a
// provider is called. A [Value] prints as [REDACTED] through every formatting
// path; Reveal is the only way to the plaintext.
//
// # Usage
//
// Build the Cache once, at start-up, and share it:
//
//	var cache = secrets.New(awssm.New(client), secrets.WithTTL(10*time.Minute))
//
//	func handle(ctx context.Context, e events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
//		var db struct{ User, Password string }
//		if err := cache.GetJSON(ctx, "prod/db", &db); err != nil {
//			return events.APIGatewayV2HTTPResponse{StatusCode: 500}, err
//		}
//		...
//	}
//
// # Lambda
//
// The cache starts no goroutine that outlives a call: values are fetched
// again lazily, by the first Get after they expire, or (with
// [WithRefreshAhead]) by one background fetch that a Get starts once a
// value has aged, which ends by itself within the fetch timeout. Expiry uses
// runtime timers, which cost nothing while the sandbox is frozen.
//
// # Names
//
// Secret names are at most 512 bytes of UTF-8 without control characters.
// The built-in providers map them as follows: [Env] upper-cases the name and
// turns other characters into "_" after a prefix ("prod/db" → PREFIX_PROD_DB
// with prefix "PREFIX_"); [Dir] reads the file of that relative path under
// its directory and refuses names that leave it; [Static] looks the name up
// in its map.
//
// # Errors
//
// Errors never contain a secret's value. A missing secret is reported with
// an error wrapping [ErrNotFound]; Get wraps provider errors in a
// [*FetchError] naming the secret.
package secrets
