package validate

import (
	"net/http"

	"github.com/fnshield/fnshield/internal/guard"
)

// Middleware returns net/http middleware that lets a request through only
// when its body is a JSON document s accepts:
//
//   - the Content-Type must be application/json or a +json media type
//     (parameters allowed; a charset must be UTF-8), or the answer is 415;
//   - at most the WithMaxBytes limit of s is read: a longer body (by
//     Content-Length or as read) is a 413;
//   - a body that fails the screen or the schema is a 400 whose
//     problem+json body lists the violations (see [WriteError]).
//
// Every request through it needs such a body, whatever its method: put it
// on the routes that take JSON. The next handler gets the request with its
// whole body, as sent. The caller's request is never modified. Rejections
// go to the error handler ([WithErrorHandler]; default [WriteError]). It
// panics if s is nil.
//
// The returned middleware is safe for concurrent use.
func Middleware(s *Schema, opts ...TransportOption) func(http.Handler) http.Handler {
	if s == nil {
		panic("validate: Middleware called with a nil *Schema")
	}
	return guard.Middleware(newTransportConfig(opts).guard(s))
}
