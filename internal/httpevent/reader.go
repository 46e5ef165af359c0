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
)

// Reader reads the request side of one event type E: cheap per-request
// readers (Header, Values, Cookie, SourceIP, Method, Path, RawQuery, Body)
// and the full *http.Request view (Request). The readers agree with the view.
//
// Get one from ReaderFor, or use the one an Adapter embeds; the zero Reader
// is not usable. A Reader holds no mutable state and is safe for concurrent
// use. Its methods dispatch through functions chosen once by ReaderFor: no
// type switch or reflection per request. Every method accepts a nil event:
// reads then report absence and Request and Body return an error.
type Reader[E any] struct {
	// Each function reads some of the event's fields, copying no event
	// memory; the hot-path readers each call one.
	headers  func(e *E) headerSource
	line     func(e *E) requestLine
	sourceIP func(e *E) string
	host     func(e *E) string // requestContext domain name, used without a Host header
	body     func(e *E) (body string, isBase64 bool)
}

// requestLine holds an event's method, path (as the event holds it, encoded
// or not) and query.
type requestLine struct {
	method string
	path   string
	query  querySource
}

// noString and noBody read events that lack a field.
func noString[E any](*E) string       { return "" }
func noBody[E any](*E) (string, bool) { return "", false }

// ReaderFor returns the reader for the request type E. Supported types: the
// four event types For accepts, and the Lambda authorizer events, whose views
// are request-only:
//
//	events.APIGatewayCustomAuthorizerRequestTypeRequest (REQUEST authorizer, REST and HTTP API payload 1.0)
//	events.APIGatewayV2CustomAuthorizerV2Request        (HTTP API authorizer, payload 2.0)
//	events.APIGatewayCustomAuthorizerRequest            (TOKEN authorizer)
//
// ReaderFor panics for any other type with a message naming it, such as
// "httpevent: unsupported event type events.SQSEvent": call it when
// wrapping a handler (at cold start), never per request. Use
// ReaderSupported to test a type without panicking.
func ReaderFor[E any]() *Reader[E] {
	if r := lookupReader[E](); r != nil {
		return r
	}
	panic(fmt.Sprintf("httpevent: unsupported event type %v", reflect.TypeFor[E]()))
}

// ReaderSupported reports whether ReaderFor[E] would succeed (not panic).
func ReaderSupported[E any]() bool { return lookupReader[E]() != nil }

// lookupReader returns the reader for E, or nil for an unsupported type. The
// type assertion to *Reader[E] holds because the switch has established that
// E is exactly that type.
func lookupReader[E any]() *Reader[E] {
	var r any
	switch any(*new(E)).(type) {
	case restRequest:
		r = restReader()
	case httpAPIRequest:
		r = httpAPIReader()
	case albRequest:
		r = albReader()
	case functionURLRequest:
		r = functionURLReader()
	case requestAuthorizerRequest:
		r = requestAuthorizerReader()
	case v2AuthorizerRequest:
		r = v2AuthorizerReader()
	case tokenAuthorizerRequest:
		r = tokenAuthorizerReader()
	}
	reader, _ := r.(*Reader[E])
	return reader
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
// a method that is not a token, or a body that is not valid base64. For a
// body that is not valid base64 only, it returns the view with an empty body
// (http.NoBody, ContentLength 0) alongside the error, so that an error
// handler answering the event still sees the real method, path, query,
// headers and source IP; in every other error case the view is nil.
func (r *Reader[E]) Request(ctx context.Context, e *E) (*http.Request, error) {
	if e == nil {
		return nil, &Error{Err: errNilEvent}
	}
	if ctx == nil {
		return nil, &Error{Err: errNilContext}
	}
	body, isBase64 := r.body(e)
	return newRequest(ctx, r.line(e), r.host(e), r.sourceIP(e), body, isBase64, r.headers(e))
}

// RequestHead is Request without the body: the view's Body is http.NoBody
// and its ContentLength 0, and the event's body is neither decoded nor
// copied. It serves an error handler answering a request whose body was
// refused for its size.
func (r *Reader[E]) RequestHead(ctx context.Context, e *E) (*http.Request, error) {
	if e == nil {
		return nil, &Error{Err: errNilEvent}
	}
	if ctx == nil {
		return nil, &Error{Err: errNilContext}
	}
	return newRequest(ctx, r.line(e), r.host(e), r.sourceIP(e), "", false, r.headers(e))
}

// Header returns the first value of the header name, matched
// case-insensitively whatever casing the event used, or "" when it is absent.
// HTTP API and Function URL events join repeated headers with commas; the
// joined value is returned whole. It agrees with r.Header.Get(name) on the
// view from Request (except for Host, which the view moves to r.Host), and
// does not allocate, except for "Cookie" on an HTTP API or Function URL
// event with several entries in its cookies field, which are joined with
// "; ".
func (r *Reader[E]) Header(e *E, name string) string {
	if e == nil {
		return ""
	}
	return r.headers(e).first(name)
}

// Values returns every value of the header name, matched case-insensitively
// across all the casings the event uses, in the order r.Header.Values(name)
// has them on the view from Request (Host excepted): all entries of a REST
// or ALB multi-value header count; HTTP API and Function URL events hold one
// comma-joined value per name; their cookies field is the first Cookie
// value. It returns nil when the header is absent.
//
// The result may be the event's own slice: callers must not modify it.
// Values allocates only when it cannot return event memory: for a name the
// event spells in several casings, for a value read from a single-value map
// (HTTP API, Function URL, ALB single-value mode, a REST name only in
// "headers": one one-element slice), and for the cookies field or a TOKEN
// authorizer's token. Header does not allocate: to test whether a header is
// present, prefer it.
func (r *Reader[E]) Values(e *E, name string) []string {
	if e == nil {
		return nil
	}
	return r.headers(e).values(name)
}

// Count returns the number of values Values would return, without
// allocating: a transport checks with it that a credentials header is not
// repeated before reading its one value with Header.
func (r *Reader[E]) Count(e *E, name string) int {
	if e == nil {
		return 0
	}
	return r.headers(e).count(name)
}

// Cookie returns the value of the first valid cookie called name (names are
// case-sensitive), read from the cookies field of HTTP API and Function URL
// events and from the Cookie header, without building a request. It agrees
// with r.Cookie(name) on the view from Request and does not allocate.
func (r *Reader[E]) Cookie(e *E, name string) (string, bool) {
	if e == nil {
		return "", false
	}
	return r.headers(e).cookie(name)
}

// SourceIP returns the client address recorded by AWS: the REST API's
// requestContext.identity.sourceIp, or requestContext.http.sourceIp for HTTP
// API and Function URL events. It returns "" for ALB events and TOKEN
// authorizer events, which carry no source IP; it is never guessed from
// X-Forwarded-For. It does not allocate.
func (r *Reader[E]) SourceIP(e *E) string {
	if e == nil {
		return ""
	}
	return r.sourceIP(e)
}

// Method returns the request method as r.Method on the view from Request
// would be: the event's method, or "GET" when the event has none. It does
// not validate the method (Request rejects one that is not a token) and does
// not allocate. It returns "GET" for a nil event.
func (r *Reader[E]) Method(e *E) string {
	method := ""
	if e != nil {
		method = r.line(e).method
	}
	if method == "" {
		return http.MethodGet
	}
	return method
}

// Path returns the decoded request path as r.URL.Path on the view from
// Request would be, following the path rules in the package documentation.
// It allocates only when the path holds escapes or bytes a path cannot hold,
// or lacks its leading '/'. It returns "/" for a nil event.
func (r *Reader[E]) Path(e *E) string {
	if e == nil {
		return "/"
	}
	p, _ := splitPath(r.line(e).path)
	return p
}

// RawQuery returns the encoded query, without '?', as r.URL.RawQuery on the
// view from Request would be, following the query rules in the package
// documentation. It allocates for REST, REQUEST authorizer and ALB events,
// whose query is rebuilt from parameter maps, and when bytes must be
// escaped. It returns "" for a nil event.
func (r *Reader[E]) RawQuery(e *E) string {
	if e == nil {
		return ""
	}
	return r.line(e).query.encode()
}

// Body returns the request body, decoded from base64 when isBase64Encoded is
// set. The slice is new on every call. Authorizer events have no body.
func (r *Reader[E]) Body(e *E) ([]byte, error) {
	if e == nil {
		return nil, &Error{Err: errNilEvent}

	}
	return decodeBody(r.body(e))
}

// BodyLen returns the length Body's result would have, without decoding or
// copying the body, so that a size limit can be enforced first. For a
// base64 body that is not valid base64 it is an upper bound.
func (r *Reader[E]) BodyLen(e *E) int {
	if e == nil {
		return 0
	}
	body, isBase64 := r.body(e)
	if !isBase64 {
		return len(body)
	}
	n := base64.StdEncoding.DecodedLen(len(body))
	for i := len(body) - 1; i >= 0 && i >= len(body)-2 && body[i] == '='; i-- {
		n--
	}
	return max(n, 0)
}

// newRequest builds the request view from an event's fields and headers.
func newRequest(ctx context.Context, line requestLine, host, sourceIP, rawBody string, isBase64 bool, hs headerSource) (*http.Request, error) {
	method := line.method
	if method == "" {
		method = http.MethodGet
	}
	if !validToken(method) {
		return nil, &Error{Field: "method", Err: errMethod}
	}
	body, bodyErr := decodeBody(rawBody, isBase64)
	header := hs.build()
	r, err := http.NewRequestWithContext(ctx, method, "/", nil)
	if err != nil {
		// Unreachable: ctx and method were checked.
		return nil, &Error{Err: errors.New("cannot build request")}
	}
	setURL(r.URL, line.path, line.query.encode())
	r.RequestURI = r.URL.RequestURI()
	r.Header = header
	r.Host = host
	if hosts := header["Host"]; len(hosts) > 0 {
		r.Host = hosts[0]
	}
	delete(r.Header, "Host")
	r.RemoteAddr = sourceIP
	r.ContentLength = int64(len(body))
	if len(body) == 0 {
		r.Body = http.NoBody
		r.GetBody = func() (io.ReadCloser, error) { return http.NoBody, nil }
	} else {
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	return r, bodyErr
}
