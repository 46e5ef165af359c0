package auth

import (
	"errors"
	"net/http"
	"strings"

	"github.com/fnshield/fnshield/internal/guard"
	"github.com/fnshield/fnshield/internal/problem"
)

// Middleware returns net/http middleware that admits a request only with a
// valid bearer token. For each request it extracts the token (by default
// from "Authorization: Bearer <token>", see [WithTokenFrom]), verifies it
// with v, runs the checks ([RequireScopes], [RequireGroups], [Require]) and
// calls next with a shallow copy of the request whose context carries the
// claims ([ClaimsFromContext]). The caller's request is never modified.
//
// A rejection goes to the error handler ([WithErrorHandler]); the default,
// [WriteError], answers 401 for a missing or invalid token, 400 for
// malformed credentials, 403 for a failed check and 503 when the signing
// keys cannot be fetched, each with a WWW-Authenticate challenge where RFC
// 6750 defines one and an application/problem+json body.
//
// Middleware panics if v is nil, a programming error caught when the
// handler chain is built. The returned middleware is safe for concurrent
// use.
func Middleware(v *Verifier, opts ...MiddlewareOption) func(http.Handler) http.Handler {
	if v == nil {
		panic("auth: Middleware called with a nil *Verifier")
	}
	return guard.Middleware(newTransportConfig(opts).guard(v))
}

// RetryAfterSeconds is the Retry-After value, in seconds, that [WriteError]
// sends with a 503 when the signing keys are unavailable.
const RetryAfterSeconds = "5"

// WriteError is the default error handler of [Middleware] and [Lambda],
// exported so that a custom handler can log and then delegate to it. It
// writes err (an [*Error]; any other error is treated as an invalid token)
// as an RFC 9457 problem (type, title, status and the error's fixed
// Description as detail: never the token) and sets WWW-Authenticate per
// RFC 6750 §3 with realm:
//
//   - missing token, 401: Bearer realm="…" (no error attribute, §3.1);
//   - invalid token, 401: Bearer realm="…", error="invalid_token", error_description="…";
//   - malformed credentials, 400: the same with error="invalid_request";
//   - missing scope, 403: Bearer realm="…", error="insufficient_scope", error_description="…", scope="a b";
//   - other 403 (RequireGroups, Require): no challenge;
//   - keys unavailable, 503: no challenge, Retry-After: [RetryAfterSeconds].
func WriteError(w http.ResponseWriter, realm string, err error) {
	var ae *Error
	if !errors.As(err, &ae) {
		ae = newError(ErrMalformed, nil)
		ae.Description = "the token is invalid"
	}
	h := w.Header()
	if ch := challenge(realm, ae); ch != "" {
		h.Set("WWW-Authenticate", ch)
	}
	if ae.Status == http.StatusServiceUnavailable {
		h.Set("Retry-After", RetryAfterSeconds)
	}
	status := ae.Status
	if status == 0 {
		status = http.StatusUnauthorized
	}
	problem.Write(w, problem.Details{Status: status, Detail: ae.Description})
}

// challenge builds the Bearer challenge for e, or "" when the status
// carries none.
func challenge(realm string, e *Error) string {
	switch {
	case e.Status == http.StatusUnauthorized || e.Status == 0 || e.Status == http.StatusBadRequest:
	case e.Status == http.StatusForbidden && e.Code != "":
	default:
		return ""
	}
	var b strings.Builder
	b.WriteString("Bearer realm=")
	b.WriteString(quoteAuthParam(realm))
	if e.Code == "" {
		return b.String()
	}
	b.WriteString(", error=")
	b.WriteString(quoteAuthParam(e.Code))
	if e.Description != "" {
		b.WriteString(", error_description=")
		b.WriteString(quoteAuthParam(e.Description))
	}
	if len(e.Scopes) > 0 {
		b.WriteString(", scope=")
		b.WriteString(quoteAuthParam(strings.Join(e.Scopes, " ")))
	}
	return b.String()
}
