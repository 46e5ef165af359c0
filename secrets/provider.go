package secrets

import (
	"context"
	"errors"
)

// The reasons every provider reports the same way, so that callers branch
// with errors.Is whichever provider answered (and reach a provider's own
// error type, such as *awssm.Error, with errors.As). A name a provider
// refuses wraps [ErrInvalidName]. Error texts never include a secret's
// value.
var (
	// ErrNotFound reports that a provider has no secret of the requested
	// name (or version, or field). For AWS Secrets Manager it also reports
	// a secret scheduled for deletion. A [Cache] treats it as an
	// authoritative answer: it drops a cached value and caches the answer
	// for the negative TTL.
	ErrNotFound = errors.New("secrets: not found")

	// ErrAccessDenied reports that the provider's credentials may not read
	// the secret (for AWS, AccessDeniedException; for [Dir], a file the
	// process has no permission to read). A Cache treats it like
	// any other provider failure: not cached, and a previous value is
	// served for the stale-if-error window.
	ErrAccessDenied = errors.New("secrets: access denied")
)

// A Provider fetches the current value of a named secret. Fetch must honour
// ctx, must return an error wrapping [ErrNotFound] when the secret does not
// exist, and must never put the secret's value in an error. Implementations
// must be safe for concurrent use.
//
// On success the caller owns the returned slice: a [Cache] keeps it as the
// cached plaintext and zeroes it when the value is evicted or replaced, so
// Fetch must return a slice that it does not keep or share (a fresh copy).
// On error the slice is ignored.
type Provider interface {
	Fetch(ctx context.Context, name string) ([]byte, error)
}

// ProviderFunc adapts a function to the [Provider] interface.
type ProviderFunc func(ctx context.Context, name string) ([]byte, error)

// Fetch calls f(ctx, name).
func (f ProviderFunc) Fetch(ctx context.Context, name string) ([]byte, error) { return f(ctx, name) }
