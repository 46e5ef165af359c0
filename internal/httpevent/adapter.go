package httpevent

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"

	"github.com/aws/aws-lambda-go/events"
)

// ErrInvalidEvent is matched (with errors.Is) by every error the package
// returns for an event it cannot turn into a request view.
var ErrInvalidEvent = errors.New("httpevent: invalid event")

// Error reports the event field that could not be read. Its text names the
// field, never the field's value. It unwraps to ErrInvalidEvent and to its
// cause.
type Error struct {
	// Field is the JSON name of the offending field, such as "body" or
	// "httpMethod"; empty for a nil event or context.
	Field string
	// Err is the cause.
	Err error
}

// Error returns the message, which names the field but never its value.
func (e *Error) Error() string {
	if e.Field == "" {
		return "httpevent: invalid event: " + e.Err.Error()
	}
	return "httpevent: invalid event field " + e.Field + ": " + e.Err.Error()
}

// Unwrap returns ErrInvalidEvent and the cause.
func (e *Error) Unwrap() []error { return []error{ErrInvalidEvent, e.Err} }

var (
	errNilEvent   = errors.New("nil event")
	errNilContext = errors.New("nil context")
	errMethod     = errors.New("not an HTTP method token")
)

// Adapter converts between one HTTP-shaped event type E, an *http.Request
// view of it, and its response type R.
//
// Get one from For; the zero Adapter is not usable. An Adapter holds no
// mutable state and is safe for concurrent use. Its methods dispatch through
// functions chosen once by For: no type switch or reflection per request.
// Every method accepts a nil event: reads then report absence and Request
// returns an error.
type Adapter[E, R any] struct {
	request  func(ctx context.Context, e *E) (*http.Request, error)
	header   func(e *E, name string) string
	cookie   func(e *E, name string) (string, bool)
	sourceIP func(e *E) string
	body     func(e *E) ([]byte, error)
	response func(e *E, status int, header http.Header, body []byte) R
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
// to test a pair without panicking.
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
	case events.APIGatewayProxyRequest:
		if _, ok := any(*new(R)).(events.APIGatewayProxyResponse); ok {
			a = restAdapter()
		}
	case events.APIGatewayV2HTTPRequest:
		if _, ok := any(*new(R)).(events.APIGatewayV2HTTPResponse); ok {
			a = httpAPIAdapter()
		}
	case events.ALBTargetGroupRequest:
		if _, ok := any(*new(R)).(events.ALBTargetGroupResponse); ok {
			a = albAdapter()
		}
	case events.LambdaFunctionURLRequest:
		if _, ok := any(*new(R)).(events.LambdaFunctionURLResponse); ok {
			a = functionURLAdapter()
		}
	}
	adapter, _ := a.(*Adapter[E, R])
	return adapter
}

// Request returns an *http.Request view of e, shaped like a request received
// by an http.Server:
//
//   - Method, URL (Path, RawPath, RawQuery), RequestURI, Proto "HTTP/1.1".
//   - Host from the Host header, else the request context's domain name
//     (API Gateway, Function URL); the Host header is removed from Header.
//   - Header canonicalised; names that are not valid tokens are dropped. For
//     HTTP API and Function URL events the cookies field becomes a Cookie
//     header (joined with "; ") so that (*http.Request).Cookie works.
//   - Body decoded from base64 when isBase64Encoded is set, with
//     ContentLength and GetBody; http.NoBody when empty.
//   - RemoteAddr is the source IP from the request context, alone, without
//     a port (so net.SplitHostPort fails on it); empty for ALB, whose events
//     carry no source IP. X-Forwarded-For is never read.
//   - The request carries ctx.
//
// Each kind's query and path rules are in the package documentation. The
// view is new on every call and shares no mutable memory with e. Request
// returns an *Error (matching ErrInvalidEvent) for a nil event or context,
// a method that is not a token, or a body that is not valid base64.
func (a *Adapter[E, R]) Request(ctx context.Context, e *E) (*http.Request, error) {
	if e == nil {
		return nil, &Error{Err: errNilEvent}
	}
	if ctx == nil {
		return nil, &Error{Err: errNilContext}
	}
	return a.request(ctx, e)
}

// Header returns the first value of the header name, matched
// case-insensitively whatever casing the event used, or "" when it is absent.
// HTTP API and Function URL events join repeated headers with commas; the
// joined value is returned whole. It agrees with r.Header.Get(name) on the
// view from Request (except for Host, which the view moves to r.Host), and
// does not allocate, except for "Cookie" on an HTTP
// API or Function URL event with several entries in its cookies field, which
// are joined with "; ".
func (a *Adapter[E, R]) Header(e *E, name string) string {
	if e == nil {
		return ""
	}
	return a.header(e, name)
}

// Cookie returns the value of the first valid cookie called name (names are
// case-sensitive), read from the cookies field of HTTP API and Function URL
// events and from the Cookie header, without building a request. It agrees
// with r.Cookie(name) on the view from Request and does not allocate.
func (a *Adapter[E, R]) Cookie(e *E, name string) (string, bool) {
	if e == nil {
		return "", false
	}
	return a.cookie(e, name)
}

// SourceIP returns the client address recorded by AWS: the REST API's
// requestContext.identity.sourceIp, or requestContext.http.sourceIp for HTTP
// API and Function URL events. It returns "" for ALB events, which carry no
// source IP; it is never guessed from X-Forwarded-For.
func (a *Adapter[E, R]) SourceIP(e *E) string {
	if e == nil {
		return ""
	}
	return a.sourceIP(e)
}

// Body returns the request body, decoded from base64 when isBase64Encoded is
// set. The slice is new on every call.
func (a *Adapter[E, R]) Body(e *E) ([]byte, error) {
	if e == nil {
		return nil, &Error{Err: errNilEvent}
	}
	return a.body(e)
}

// Response renders a status, header and body as the response type R. e is
// the request being answered (ALB needs it to answer in the request's header
// mode); it may be nil. A zero status means 200. Textual bodies (by
// Content-Type, and valid UTF-8) stay text; others are base64-encoded. Each
// kind's header rules are in the package documentation. header and body are
// not retained.
func (a *Adapter[E, R]) Response(e *E, status int, header http.Header, body []byte) R {
	return a.response(e, statusCode(status), header, body)
}

// parts holds the fields of an event that a request view is built from.
type parts struct {
	method   string
	path     string
	rawQuery string
	header   http.Header
	host     string // requestContext domain name, used without a Host header
	remote   string
	body     string
	base64   bool
}

// newRequest builds the request view from p.
func newRequest(ctx context.Context, p parts) (*http.Request, error) {
	method := p.method
	if method == "" {
		method = http.MethodGet
	}
	if !validToken(method) {
		return nil, &Error{Field: "method", Err: errMethod}
	}
	body, err := decodeBody(p.body, p.base64)
	if err != nil {
		return nil, err
	}
	r, err := http.NewRequestWithContext(ctx, method, "/", nil)
	if err != nil {
		// Unreachable: ctx and method were checked.
		return nil, &Error{Err: errors.New("cannot build request")}
	}
	setURL(r.URL, p.path, p.rawQuery)
	r.RequestURI = r.URL.RequestURI()
	r.Header = p.header
	r.Host = p.host
	if hosts := p.header["Host"]; len(hosts) > 0 {
		r.Host = hosts[0]
	}
	delete(r.Header, "Host")
	r.RemoteAddr = p.remote
	r.ContentLength = int64(len(body))
	if len(body) == 0 {
		r.Body = http.NoBody
		r.GetBody = func() (io.ReadCloser, error) { return http.NoBody, nil }
	} else {
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	return r, nil
}

// decodeBody returns the body bytes of an event.
func decodeBody(body string, isBase64 bool) ([]byte, error) {
	if !isBase64 {
		return []byte(body), nil
	}
	b, err := base64.StdEncoding.DecodeString(body)
	if err != nil {
		return nil, &Error{Field: "body", Err: errors.New("not valid base64")}
	}
	return b, nil
}
