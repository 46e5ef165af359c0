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

// newError builds an *Error for reason, filling Code, Status and Description
// from it. cause may be nil; it must never contain the token.
func newError(reason error, cause error) *Error {
	e := &Error{Reason: reason, Err: cause}
	switch reason {
	case ErrMissingToken:
		// RFC 6750 §3.1: no error code when the request lacks authentication.
		e.Status, e.Description = http.StatusUnauthorized, "a bearer token is required"
	case ErrMalformed:
		e.Code, e.Status, e.Description = "invalid_token", http.StatusUnauthorized, "the token is malformed"
	case ErrExpired:
		e.Code, e.Status, e.Description = "invalid_token", http.StatusUnauthorized, "the token has expired"
	case ErrNotYetValid:
		e.Code, e.Status, e.Description = "invalid_token", http.StatusUnauthorized, "the token is not valid yet"
	case ErrBadSignature:
		e.Code, e.Status, e.Description = "invalid_token", http.StatusUnauthorized, "the token signature is invalid"
	case ErrUnknownKey:
		e.Code, e.Status, e.Description = "invalid_token", http.StatusUnauthorized, "the token was signed with an unknown key"
	case ErrBadIssuer:
		e.Code, e.Status, e.Description = "invalid_token", http.StatusUnauthorized, "the token issuer is not trusted"
	case ErrBadAudience:
		e.Code, e.Status, e.Description = "invalid_token", http.StatusUnauthorized, "the token audience is not accepted"
	case ErrBadAlgorithm:
		e.Code, e.Status, e.Description = "invalid_token", http.StatusUnauthorized, "the token signing algorithm is not allowed"
	case ErrBadTokenType:
		e.Code, e.Status, e.Description = "invalid_token", http.StatusUnauthorized, "the token type is not accepted"
	case ErrInsufficientScope:
		e.Code, e.Status, e.Description = "insufficient_scope", http.StatusForbidden, "the token lacks a required scope"
	case ErrForbidden:
		e.Status, e.Description = http.StatusForbidden, "access denied"
	case ErrKeysUnavailable:
		// Fail closed, but it is not the client's fault: 503, no RFC 6750 code.
		e.Status, e.Description = http.StatusServiceUnavailable, "the signing keys are unavailable"
	default:
		e.Code, e.Status, e.Description = "invalid_token", http.StatusUnauthorized, "the token is invalid"
	}
	return e
}

// reasonName is the short, stable name of a reason, used as the "reason"
// metric attribute and in denial logs.
func reasonName(reason error) string {
	switch reason {
	case nil:
		return "ok"
	case ErrMissingToken:
		return "missing_token"
	case ErrMalformed:
		return "malformed"
	case ErrExpired:
		return "expired"
	case ErrNotYetValid:
		return "not_yet_valid"
	case ErrBadSignature:
		return "bad_signature"
	case ErrUnknownKey:
		return "unknown_key"
	case ErrBadIssuer:
		return "bad_issuer"
	case ErrBadAudience:
		return "bad_audience"
	case ErrBadAlgorithm:
		return "bad_algorithm"
	case ErrBadTokenType:
		return "bad_token_type"
	case ErrInsufficientScope:
		return "insufficient_scope"
	case ErrForbidden:
		return "forbidden"
	case ErrKeysUnavailable:
		return "keys_unavailable"
	default:
		return "other"
	}
}
