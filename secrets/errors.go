package secrets

import (
	"errors"
	"strconv"
)

var (
	// ErrInvalidName reports a secret name that is empty, longer than 4096
	// bytes, not valid UTF-8, contains a control character or, for [Dir], is
	// not a local slash-separated path. The error never echoes the name.
	ErrInvalidName = errors.New("secrets: invalid secret name")

	// ErrInvalidOption reports a Cache built with an invalid option or a nil
	// Provider. [New] cannot fail, so every Get of such a Cache returns an
	// error wrapping ErrInvalidOption.
	ErrInvalidOption = errors.New("secrets: invalid cache option")

	// ErrProviderPanic is returned to the callers that waited for a fetch
	// whose Provider panicked. The Get that started the fetch re-panics with
	// the original value instead; see [Cache].
	ErrProviderPanic = errors.New("secrets: provider panicked")

	// ErrDecode reports that [Cache.GetJSON] could not decode a secret into
	// the target. Its text is fixed: the underlying encoding/json error is
	// dropped because its text can quote fragments of the secret.
	ErrDecode = errors.New("secrets: secret is not valid JSON for the target type")
)

// A FetchError reports a failed Get of a named secret. Err is the cause:
// the Provider's error (which wraps [ErrNotFound] for a missing secret),
// [ErrProviderPanic], [ErrDecode], or a context error. Field is the field
// asked of [Cache.GetField], "" otherwise. The text holds the name and
// field (which are not secret, and bounded by name validation), never the
// value.
type FetchError struct {
	Name  string
	Field string
	Err   error
}

// Error returns "secrets: get <quoted name>: <cause>", or
// "secrets: get <quoted name> field <quoted field>: <cause>".
func (e *FetchError) Error() string {
	s := "secrets: get " + strconv.Quote(e.Name)
	if e.Field != "" {
		s += " field " + strconv.Quote(e.Field)
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *FetchError) Unwrap() error { return e.Err }
