package secrets

import (
	"context"
	"errors"
)

// ErrNotFound reports that a provider has no secret of the requested name.
// Providers wrap it (fmt.Errorf("...: %w", ErrNotFound)) so that callers can
// branch with errors.Is. The error text never includes a secret's value.
var ErrNotFound = errors.New("secrets: not found")

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
