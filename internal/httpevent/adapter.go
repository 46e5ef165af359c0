package httpevent

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"reflect"
)

// ErrInvalidEvent is matched (with errors.Is) by every error the package
// returns for an event it cannot turn into a request view.
var ErrInvalidEvent = errors.New("httpevent: invalid event")

// ErrInvalidResponse is matched (with errors.Is) by every error Parts
// returns for a response it cannot read.
var ErrInvalidResponse = errors.New("httpevent: invalid response")

// Error reports the event or response field that could not be read. Its
// text names the field, never the field's value. It unwraps to
// ErrInvalidEvent (or ErrInvalidResponse, from Parts) and to its cause.
type Error struct {
	// Field is the JSON name of the offending field, such as "body" or
	// "httpMethod"; empty for a nil event or context.
	Field string
	// Err is the cause.
	Err error

	response bool // a response field, from Parts
}

// Error returns the message, which names the field but never its value.
func (e *Error) Error() string {
	prefix := ErrInvalidEvent.Error()
	if e.response {
		prefix = ErrInvalidResponse.Error()
	}
	if e.Field == "" {
		return prefix + ": " + e.Err.Error()
	}
	return prefix + " field " + e.Field + ": " + e.Err.Error()
}

// Unwrap returns ErrInvalidEvent (or ErrInvalidResponse) and the cause.
func (e *Error) Unwrap() []error {
	if e.response {
		return []error{ErrInvalidResponse, e.Err}
	}
	return []error{ErrInvalidEvent, e.Err}
}

var (
	errNilEvent   = errors.New("nil event")
	errNilContext = errors.New("nil context")
	errMethod     = errors.New("not an HTTP method token")
	errBase64     = errors.New("not valid base64")
)

// Adapter converts between one HTTP-shaped event type E, an *http.Request
// view of it, and its response type R. The request side is its embedded
// Reader; the response side renders (Response), merges headers into
// (AddHeaders) and reads back (Parts) values of type R.
//
// Get one from For; the zero Adapter is not usable. An Adapter holds no
// mutable state and is safe for concurrent use. Its methods dispatch through
// functions chosen once by For: no type switch or reflection per request.
// Every method accepts a nil event: reads then report absence and Request
// returns an error.
type Adapter[E, R any] struct {
	*Reader[E]

	response   func(e *E, status int, header http.Header, body []byte) R
	addHeaders func(e *E, resp *R, h http.Header)
	parts      func(resp *R) (status int, header http.Header, body []byte, err error)
}

// For returns the adapter for the pair (E, R). Supported pairs:
//
//	events.APIGatewayProxyRequest / events.APIGatewayProxyResponse   (REST API, payload v1)
//	events.APIGatewayV2HTTPRequest / events.APIGatewayV2HTTPResponse (HTTP API, payload v2)
//	events.ALBTargetGroupRequest / events.ALBTargetGroupResponse     (single- and multi-value header modes)
//	events.LambdaFunctionURLRequest / events.LambdaFunctionURLResponse
//
// For panics for any other pair with a message naming both types, such as
// "httpevent: unsupported event/response pair (events.SQSEvent, string)":
// wrappers call it when wrapping a handler (at cold start), never per
// request, so the panic reports a programming error at init. Use Supported
// to test a pair without panicking. The authorizer events have readers
// (ReaderFor) but no adapter: their responses are policies, not HTTP.
func For[E, R any]() *Adapter[E, R] {
	if a := lookupAdapter[E, R](); a != nil {
		return a
	}
	panic(fmt.Sprintf("httpevent: unsupported event/response pair (%v, %v)",
		reflect.TypeFor[E](), reflect.TypeFor[R]()))
}

// Supported reports whether For[E, R] would succeed (not panic).
func Supported[E, R any]() bool { return lookupAdapter[E, R]() != nil }

// lookupAdapter returns the adapter for (E, R), or nil for an unsupported
// pair. The type assertions to *Adapter[E, R] hold because the switch has
// established that E and R are exactly those types.
func lookupAdapter[E, R any]() *Adapter[E, R] {
	var a any
	switch any(*new(E)).(type) {
	case restRequest:
		if _, ok := any(*new(R)).(restResponse); ok {
			a = restAdapter()
		}
	case httpAPIRequest:
		if _, ok := any(*new(R)).(httpAPIResponse); ok {
			a = httpAPIAdapter()
		}
	case albRequest:
		if _, ok := any(*new(R)).(albResponse); ok {
			a = albAdapter()
		}
	case functionURLRequest:
		if _, ok := any(*new(R)).(functionURLResponse); ok {
			a = functionURLAdapter()
		}
	}
	adapter, _ := a.(*Adapter[E, R])
	return adapter
}

// Response renders a status, header and body as the response type R. e is
// the request being answered (ALB needs it to answer in the request's header
// mode); it may be nil. A zero status means 200. When header has no
// Content-Type (in any casing; an entry with no values counts) and no
// Content-Encoding, a non-empty body that the status allows gets the
// Content-Type http.DetectContentType sniffs, as net/http's server does.
// Textual bodies (by Content-Type, and valid UTF-8) stay text; others are
// base64-encoded. Each kind's header rules are in the package documentation.
// header and body are neither changed nor retained.
func (a *Adapter[E, R]) Response(e *E, status int, header http.Header, body []byte) R {
	status = statusCode(status)
	if sniffs(status, header, body) {
		header = header.Clone()
		if header == nil {
			header = make(http.Header, 1)
		}
		header["Content-Type"] = []string{http.DetectContentType(body)}
	}
	return a.response(e, status, header, body)
}

// AddHeaders merges h into resp, a response of type R that a handler
// returned, adding each name only when resp does not already have it in any
// casing and in any of its header fields: the handler's own headers win.
// Entries of h with no values are skipped. The added values follow the
// kind's rules: REST responses get them in multiValueHeaders; HTTP API and
// Function URL responses in headers, repeated values joined with ", ", and
// Set-Cookie values in the cookies field (only when the handler set no
// cookie); ALB responses in the header mode resp already uses, or, when it
// has no headers, the mode of the request e (which may be nil: single-value
// mode), as Response does. h should hold canonical names (as http.Header's
// methods make them); which of two spellings of one name in h is added is
// unspecified. AddHeaders does not allocate when h is empty and does not
// retain h. It does nothing for a nil resp.
func (a *Adapter[E, R]) AddHeaders(e *E, resp *R, h http.Header) {
	if resp == nil || len(h) == 0 {
		return
	}
	a.addHeaders(e, resp, h)
}

// Parts reads back a response of type R, such as one a handler returned:
// its status (0 read as 200), its headers canonicalised and merged as AWS
// merges them (for a name in both headers and multiValueHeaders, the
// multi-value entry wins; HTTP API and Function URL cookies become
// Set-Cookie values after any in headers), and its body, decoded from base64
// when isBase64Encoded is set. It returns an *Error matching
// ErrInvalidResponse for a nil response or a body that is not valid base64.
// The header and body are new on every call.
func (a *Adapter[E, R]) Parts(resp *R) (status int, header http.Header, body []byte, err error) {
	if resp == nil {
		return 0, nil, nil, &Error{Err: errors.New("nil response"), response: true}
	}
	return a.parts(resp)
}

// responseParts returns the parts of a response from its fields.
func responseParts(status int, header http.Header, body string, isBase64 bool) (int, http.Header, []byte, error) {
	b, err := decodeBody(body, isBase64)
	if err != nil {
		return 0, nil, nil, &Error{Field: "body", Err: errBase64, response: true}
	}
	return statusCode(status), header, b, nil
}

// decodeBody returns the body bytes of an event.
func decodeBody(body string, isBase64 bool) ([]byte, error) {
	if !isBase64 {
		return []byte(body), nil
	}
	b, err := base64.StdEncoding.DecodeString(body)
	if err != nil {
		return nil, &Error{Field: "body", Err: errBase64}
	}
	return b, nil
}

// hasName reports whether m has a key equal to name under ASCII case
// folding, whatever its value.
func hasName[V any](m map[string]V, name string) bool {
	if _, ok := m[name]; ok {
		return true
	}
	_, ok := lookup(m, name, func(V) bool { return true })
	return ok
}
