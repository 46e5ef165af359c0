package guard

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
)

// Request is the view of one incoming request that a check reads, the same
// for net/http and for HTTP-shaped Lambda events. The cheap accessors read
// a Lambda event directly; the full *http.Request is built only when HTTP
// is called.
//
// A Request belongs to one call of one transport and is not safe for
// concurrent use; a check must not retain it.
type Request struct {
	ctx  context.Context
	hr   *http.Request // the caller's request on net/http; built by HTTP on Lambda
	ev   event         // nil on net/http
	body []byte
	read bool  // Body has read the body (net/http: it must be restored for next)
	err  error // Body's error, returned again on later calls
	// oversize: Body refused a Lambda event's body for its size without
	// reading it; HTTP then builds the view without the body too.
	oversize bool
}

// event is what the Lambda transport exposes of an HTTP-shaped event.
type event interface {
	method() string
	path() string
	header(name string) string
	values(name string) []string
	count(name string) int
	cookie(name string) (string, bool)
	sourceIP() string
	rawBody() ([]byte, error)
	bodyLen() int
	request(ctx context.Context, withBody bool) *http.Request
	event() any
}

// HTTPRequest returns the view of a net/http request.
func HTTPRequest(r *http.Request) *Request { return &Request{ctx: r.Context(), hr: r} }

// Event returns a pointer to the Lambda event the view reads (such as
// *events.APIGatewayV2HTTPRequest), or nil on net/http.
func (r *Request) Event() any {
	if r.ev == nil {
		return nil
	}
	return r.ev.event()
}

// Context returns the request's context.
func (r *Request) Context() context.Context { return r.ctx }

// Method returns the request method.
func (r *Request) Method() string {
	if r.ev != nil {
		return r.ev.method()
	}
	return r.hr.Method
}

// Path returns the decoded URL path.
func (r *Request) Path() string {
	if r.ev != nil {
		return r.ev.path()
	}
	return r.hr.URL.Path
}

// Header returns the first value of the header name, matched
// case-insensitively, or "".
func (r *Request) Header(name string) string {
	if r.ev != nil {
		return r.ev.header(name)
	}
	return r.hr.Header.Get(name)
}

// Values returns every value of the header name, matched
// case-insensitively. The caller must not modify the slice. An HTTP API or
// Function URL event carries a repeated header as one comma-joined value.
func (r *Request) Values(name string) []string {
	if r.ev != nil {
		return r.ev.values(name)
	}
	return r.hr.Header.Values(name)
}

// Count returns the number of values Values would return, without
// allocating.
func (r *Request) Count(name string) int {
	if r.ev != nil {
		return r.ev.count(name)
	}
	return len(r.hr.Header.Values(name))
}

// Cookie returns the value of the first valid cookie called name.
func (r *Request) Cookie(name string) (string, bool) {
	if r.ev != nil {
		return r.ev.cookie(name)
	}
	c, err := r.hr.Cookie(name)
	if err != nil {
		return "", false
	}
	return c.Value, true
}

// SourceIP returns the client address without a port: the source IP that
// API Gateway or the Function URL recorded, or the host part of the
// net/http request's RemoteAddr. It is "" for ALB events, which record
// none. X-Forwarded-For is never read.
func (r *Request) SourceIP() string {
	if r.ev != nil {
		return r.ev.sourceIP()
	}
	host, _, err := net.SplitHostPort(r.hr.RemoteAddr)
	if err != nil {
		return r.hr.RemoteAddr
	}
	return host
}

// ContentType returns the Content-Type header.
func (r *Request) ContentType() string { return r.Header("Content-Type") }

// Body returns the request body (decoded from base64 for Lambda events),
// reading at most max bytes: a longer body is an *http.MaxBytesError. On
// net/http the next handler still gets the whole body, as sent, when Body
// succeeded. The slice is shared by later calls and must not be modified.
func (r *Request) Body(max int64) ([]byte, error) {
	if r.read {
		if r.err == nil && int64(len(r.body)) > max {
			return nil, &http.MaxBytesError{Limit: max}
		}
		return r.body, r.err
	}
	if r.ev != nil {
		if int64(r.ev.bodyLen()) > max {
			// Refused before the body is decoded or copied.
			r.oversize = true
			return nil, &http.MaxBytesError{Limit: max}
		}
		r.read = true
		r.body, r.err = r.ev.rawBody()
	} else {
		r.read = true
		r.body, r.err = readBody(r.hr, max)
	}
	if r.err == nil && int64(len(r.body)) > max {
		return nil, &http.MaxBytesError{Limit: max}
	}
	return r.body, r.err
}

// readBody reads at most max+1 bytes of a net/http request's body.
func readBody(hr *http.Request, max int64) ([]byte, error) {
	if hr.Body == nil || hr.Body == http.NoBody {
		return nil, nil
	}
	if hr.ContentLength > max {
		return nil, &http.MaxBytesError{Limit: max}
	}
	return io.ReadAll(io.LimitReader(hr.Body, max+1))
}

// HTTP returns the request as an *http.Request: the caller's request on
// net/http, or the view of the Lambda event (built once), carrying the
// request's context. An event whose body cannot be decoded still gives a
// view, with the real method, path and headers and an empty body, and so
// does one whose body Body refused for its size.
func (r *Request) HTTP() *http.Request {
	if r.hr == nil {
		r.hr = r.ev.request(r.ctx, !r.oversize)
	}
	return r.hr
}

// forNext returns the request the next net/http handler gets: the
// caller's, or a shallow copy with ctx and the body Body consumed. The
// caller's request is never modified.
func (r *Request) forNext(ctx context.Context) *http.Request {
	hr := r.hr
	if ctx == nil && !r.read {
		return hr
	}
	if ctx == nil {
		ctx = hr.Context()
	}
	next := hr.WithContext(ctx)
	if r.read && hr.Body != nil && hr.Body != http.NoBody {
		body := r.body
		next.Body = io.NopCloser(bytes.NewReader(body))
		next.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	return next
}
