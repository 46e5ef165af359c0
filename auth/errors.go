package auth

import (
	"errors"
	"net/http"
	"strings"
)

// Sentinel errors. Every error returned by [Verifier.Verify] and by the
// transports is an [*Error] whose Reason is one of these, so callers branch
// with errors.Is(err, auth.ErrExpired).
var (
	ErrMissingToken      = errors.New("auth: missing token")
	ErrMalformed         = errors.New("auth: malformed token")
	ErrExpired           = errors.New("auth: token expired")
	ErrNotYetValid       = errors.New("auth: token not yet valid")
	ErrBadSignature      = errors.New("auth: invalid signature")
	ErrUnknownKey        = errors.New("auth: unknown signing key")
	ErrBadIssuer         = errors.New("auth: untrusted issuer")
	ErrBadAudience       = errors.New("auth: invalid audience")
	ErrBadAlgorithm      = errors.New("auth: algorithm not allowed")
	ErrBadTokenType      = errors.New("auth: wrong token type")
	ErrInsufficientScope = errors.New("auth: insufficient scope")
	ErrForbidden         = errors.New("auth: access denied") // a Require/RequireGroups check failed
	ErrKeysUnavailable   = errors.New("auth: signing keys unavailable")
)

// Error is the error Verify and the transports return. Its text never
// contains the token or any part of it: Lambda returns error text to callers.
//
// Reason is one of the package's sentinel errors; Code, Status and
// Description are derived from it by the package and safe to show to a
// client. Err, when non-nil, is the underlying cause, built by this package
// so that it never embeds the token either.
type Error struct {
	Reason      error    // one of the sentinels above
	Code        string   // RFC 6750 error code: "", "invalid_request", "invalid_token", "insufficient_scope"
	Status      int      // 401 for token problems, 403 for ErrInsufficientScope/ErrForbidden, 503 for ErrKeysUnavailable
	Description string   // fixed, safe human text (no token, no claim values except scope names)
	Scopes      []string // for insufficient_scope: the scopes required
	Err         error    // underlying cause (may be nil); never embeds the token

	// claims are the verified claims of a token that was denied
	// afterwards (a failed check), for the transports' audit log.
	claims *Claims
}

// withClaims returns a copy of err carrying the verified claims c, when
// err is an *Error and c is known; err itself, which a Require check may
// share between requests, is not changed.
func withClaims(err error, c *Claims) error {
	ae, ok := err.(*Error)
	if !ok || c == nil {
		return err
	}
	cp := *ae
	cp.claims = c
	return &cp
}

// Error returns the reason's text, followed by the cause's when there is one.
func (e *Error) Error() string {
	if e == nil {
		return "<nil>"
	}
	var b strings.Builder
	if e.Reason != nil {
		b.WriteString(e.Reason.Error())
	} else {
		b.WriteString("auth: error")
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns Reason and Err (the non-nil ones), so that errors.Is works
// with both the sentinel and the cause.
func (e *Error) Unwrap() []error {
	if e == nil {
		return nil
	}
	out := make([]error, 0, 2)
	if e.Reason != nil {
		out = append(out, e.Reason)
	}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

// reasonInfo is what fnshield says about one reason: its metric and log
// name, its RFC 6750 error code, its HTTP status and a fixed description.
type reasonInfo struct {
	reason      error
	name        string
	code        string
	status      int
	description string
}

// reasonTable lists every sentinel, in the order of the package docs.
var reasonTable = []reasonInfo{
	// RFC 6750 §3.1: no error code when the request lacks authentication.
	{ErrMissingToken, "missing_token", "", http.StatusUnauthorized, "a bearer token is required"},
	{ErrMalformed, "malformed", "invalid_token", http.StatusUnauthorized, "the token is malformed"},
	{ErrExpired, "expired", "invalid_token", http.StatusUnauthorized, "the token has expired"},
	{ErrNotYetValid, "not_yet_valid", "invalid_token", http.StatusUnauthorized, "the token is not valid yet"},
	{ErrBadSignature, "bad_signature", "invalid_token", http.StatusUnauthorized, "the token signature is invalid"},
	{ErrUnknownKey, "unknown_key", "invalid_token", http.StatusUnauthorized, "the token was signed with an unknown key"},
	{ErrBadIssuer, "bad_issuer", "invalid_token", http.StatusUnauthorized, "the token issuer is not trusted"},
	{ErrBadAudience, "bad_audience", "invalid_token", http.StatusUnauthorized, "the token audience is not accepted"},
	{ErrBadAlgorithm, "bad_algorithm", "invalid_token", http.StatusUnauthorized, "the token signing algorithm is not allowed"},
	{ErrBadTokenType, "bad_token_type", "invalid_token", http.StatusUnauthorized, "the token type is not accepted"},
	{ErrInsufficientScope, "insufficient_scope", "insufficient_scope", http.StatusForbidden, "the token lacks a required scope"},
	{ErrForbidden, "forbidden", "", http.StatusForbidden, "access denied"},
	// Fail closed, but it is not the client's fault: 503, no RFC 6750 code.
	{ErrKeysUnavailable, "keys_unavailable", "", http.StatusServiceUnavailable, "the signing keys are unavailable"},
}

// otherReason describes an error that is none of the sentinels.
var otherReason = reasonInfo{nil, "other", "invalid_token", http.StatusUnauthorized, "the token is invalid"}

// infoOf returns the table row of reason, or otherReason.
func infoOf(reason error) reasonInfo {
	for _, ri := range reasonTable {
		if ri.reason == reason {
			return ri
		}
	}
	return otherReason
}

// newError builds an *Error for reason, filling Code, Status and Description
// from it. cause may be nil; it must never contain the token.
func newError(reason error, cause error) *Error {
	ri := infoOf(reason)
	return &Error{Reason: reason, Err: cause, Code: ri.code, Status: ri.status, Description: ri.description}
}

// reasonName is the short, stable name of a reason, used as the "reason"
// metric attribute and in denial logs.
func reasonName(reason error) string {
	if reason == nil {
		return "ok"
	}
	return infoOf(reason).name
}
