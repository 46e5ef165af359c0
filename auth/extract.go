package auth

import (
	"errors"
	"net/http"
	"net/textproto"
	"strings"

	"github.com/fnshield/fnshield/internal/guard"
)

// MaxTokenLength is the longest token the transports accept, in bytes.
// Longer credentials are rejected as malformed before any parsing: API
// Gateway caps a header at 10 KiB, and real access tokens are a few KiB at
// most.
const MaxTokenLength = 16 << 10

// tokenKind is where a TokenSource looks.
type tokenKind uint8

const (
	tokenInAuthorization tokenKind = iota // a credentials header: "Bearer <token>"
	tokenInHeader                         // any other header: the whole value is the token
	tokenInCookie                         // a cookie value
	tokenInFunc                           // a caller-supplied function of the request
)

// TokenSource says where a transport finds the bearer token. Build one with
// [FromHeader], [FromCookie] or [FromRequest] and pass it to [WithTokenFrom].
// The zero value reads the Authorization header, like FromHeader("Authorization").
//
// A TokenSource is an immutable value, safe for concurrent use.
type TokenSource struct {
	kind tokenKind
	name string // canonical header name or cookie name; "" means Authorization
	fn   func(*http.Request) (string, error)
}

// FromHeader reads the token from the request header name.
//
// For the credentials headers, Authorization and Proxy-Authorization, the
// value must be exactly "Bearer <token>": the scheme is matched
// case-insensitively, one space separates it from the token, and nothing
// follows. A header with another scheme (Basic, say) counts as a missing
// token. For any other header the whole value is the token.
//
// No header, or an empty one, is [ErrMissingToken]. Two or more headers of
// that name, a Bearer header without a token, extra spaces, or a token that
// is not an RFC 6750 b64token (letters, digits and -._~+/, then optional
// '=' padding; so no whitespace or control characters) or is longer than
// [MaxTokenLength] are [ErrMalformed], with RFC 6750 code "invalid_request"
// and status 400.
func FromHeader(name string) TokenSource {
	canonical := textproto.CanonicalMIMEHeaderKey(name)
	kind := tokenInHeader
	if canonical == "Authorization" || canonical == "Proxy-Authorization" {
		kind = tokenInAuthorization
	}
	return TokenSource{kind: kind, name: canonical}
}

// FromCookie reads the token from the cookie name. No such cookie, or an
// empty one, is [ErrMissingToken]; a value that is not a b64token is
// [ErrMalformed] as for [FromHeader].
func FromCookie(name string) TokenSource {
	return TokenSource{kind: tokenInCookie, name: name}
}

// FromRequest reads the token with fn, for tokens carried elsewhere (a
// query parameter, a custom header format). fn returns "" and a nil error,
// or an error matching [ErrMissingToken], when the request carries no
// token; any other error rejects the request as [ErrMalformed] with the
// error as its cause (so fn's error text must not contain the token). A
// returned token is checked like a header token.
//
// With the [Lambda] wrapper, a FromRequest source makes every invocation
// build the full *http.Request view of the event, which the header and
// cookie sources avoid.
func FromRequest(fn func(*http.Request) (string, error)) TokenSource {
	return TokenSource{kind: tokenInFunc, fn: fn}
}

// headerName is the header a header source reads.
func (s TokenSource) headerName() string {
	if s.name == "" {
		return "Authorization"
	}
	return s.name
}

// Extract returns the token r carries according to s. Its errors are
// [*Error] values with Reason [ErrMissingToken] or [ErrMalformed]; their
// text never contains the request's values.
func (s TokenSource) Extract(r *http.Request) (string, error) {
	return s.extract(r, true)
}

// extract is Extract; with check false, a header or cookie token's
// characters are left for Verifier.verifyCredentials to check (see
// fromValue).
func (s TokenSource) extract(r *http.Request, check bool) (string, error) {
	tok, err := s.extractFrom(guard.HTTPRequest(r))
	if err != nil || !check {
		return tok, err
	}
	return checkB64Token(tok)
}

// extractFrom reads the token from a request view, leaving a header or
// cookie token's characters unchecked (see fromValue). Two or more values
// of the header, in whatever form the request or event carries them, are
// malformed credentials.
func (s TokenSource) extractFrom(r *guard.Request) (string, error) {
	switch s.kind {
	case tokenInCookie:
		v, ok := r.Cookie(s.name)
		if !ok {
			return "", missingToken()
		}
		return s.fromValue(v, false)
	case tokenInFunc:
		if s.fn == nil {
			return "", missingToken()
		}
		tok, err := s.fn(r.HTTP())
		switch {
		case err == nil && tok == "", errors.Is(err, ErrMissingToken):
			return "", missingToken()
		case err != nil:
			return "", extractError(errMalformedCredentials, err)
		}
		return checkB64Token(tok)
	default:
		switch r.Count(s.headerName()) {
		case 0:
			return "", missingToken()
		case 1:
			return s.fromValue(r.Header(s.headerName()), false)
		default:
			return "", extractError(errRepeatedHeader, nil)
		}
	}
}

// fromValue extracts the token from one header or cookie value.
//
// With check false, the token's characters are not checked here: the
// transports pass it to Verifier.verifyCredentials, which skips the check
// for a token served from the verified-token cache (that exact string was
// checked when it was verified) and runs it, with the same 400 result,
// before anything else otherwise. The length limit and the Bearer syntax
// are always checked here.
func (s TokenSource) fromValue(v string, check bool) (string, error) {
	if v == "" {
		return "", missingToken()
	}
	if s.kind != tokenInAuthorization {
		return finishToken(v, check)
	}
	const scheme = "Bearer"
	if len(v) < len(scheme) || !strings.EqualFold(v[:len(scheme)], scheme) {
		return "", missingToken() // another scheme: no bearer credentials
	}
	rest := v[len(scheme):]
	switch {
	case rest == "":
		return "", extractError(errMalformedCredentials, nil) // "Bearer" alone
	case rest[0] != ' ':
		// "Bearerx..." is a different scheme name; "Bearer\t..." is malformed.
		if isB64TokenChar(rest[0]) {
			return "", missingToken()
		}
		return "", extractError(errMalformedCredentials, nil)
	}
	return finishToken(rest[1:], check)
}

// finishToken checks tok fully (check) or only its length.
func finishToken(tok string, check bool) (string, error) {
	if check {
		return checkB64Token(tok)
	}
	if tok == "" || len(tok) > MaxTokenLength {
		return "", extractError(errMalformedCredentials, nil)
	}
	return tok, nil
}

// checkB64Token validates the b64token syntax of RFC 6750 §2.1:
// 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
func checkB64Token(tok string) (string, error) {
	if len(tok) > MaxTokenLength || !isB64Token(tok) {
		return "", extractError(errMalformedCredentials, nil)
	}
	return tok, nil
}

// isB64Token reports whether tok has the b64token syntax (any length).
func isB64Token(tok string) bool {
	body := strings.TrimRight(tok, "=")
	// Branch-free table scan, four bytes per step with independent
	// accumulators: a kilobyte-long token costs a few hundred nanoseconds.
	var ok0, ok1, ok2, ok3 byte = 1, 1, 1, 1
	i := 0
	for ; i+4 <= len(body); i += 4 {
		ok0 &= b64TokenChars[body[i]]
		ok1 &= b64TokenChars[body[i+1]]
		ok2 &= b64TokenChars[body[i+2]]
		ok3 &= b64TokenChars[body[i+3]]
	}
	for ; i < len(body); i++ {
		ok0 &= b64TokenChars[body[i]]
	}
	return body != "" && ok0&ok1&ok2&ok3 != 0
}

// isB64TokenChar reports whether c may appear in a b64token before the
// '=' padding.
func isB64TokenChar(c byte) bool { return b64TokenChars[c] == 1 }

// b64TokenChars maps each byte to 1 when it is a b64token character other
// than '=' (letters, digits and "-._~+/"), 0 otherwise. Indexing it with a
// byte needs no bounds check.
const b64TokenChars = "" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" + // 0x00
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" + // 0x10
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x01\x01\x01" + // 0x20
	"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x00\x00\x00\x00\x00\x00" + // 0x30
	"\x00\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01" + // 0x40
	"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x00\x00\x00\x00\x01" + // 0x50
	"\x00\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01" + // 0x60
	"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x00\x00\x00\x01\x00" + // 0x70
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" + // 0x80
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" + // 0x90
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" + // 0xa0
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" + // 0xb0
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" + // 0xc0
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" + // 0xd0
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" + // 0xe0
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" // 0xf0

// Causes for request-level malformations. They name no value.
var (
	errMalformedCredentials = errors.New("the bearer credentials are malformed")
	errRepeatedHeader       = errors.New("the credentials header is repeated")
)

// missingToken is the error for a request without a token: RFC 6750 §3.1
// says the response then carries no error code.
func missingToken() *Error { return newError(ErrMissingToken, nil) }

// extractError is a malformed request (RFC 6750 §3.1 invalid_request, 400):
// the token could not even be taken from the request.
func extractError(cause, wrapped error) *Error {
	e := newError(ErrMalformed, cause)
	e.Code = "invalid_request"
	e.Status = http.StatusBadRequest
	e.Description = "the request carries malformed bearer credentials"
	if wrapped != nil {
		e.Err = errors.Join(cause, wrapped)
	}
	return e
}
