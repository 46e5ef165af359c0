package httpevent

import (
	"context"
	"net/http"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

type (
	httpAPIRequest      = events.APIGatewayV2HTTPRequest
	httpAPIResponse     = events.APIGatewayV2HTTPResponse
	functionURLRequest  = events.LambdaFunctionURLRequest
	functionURLResponse = events.LambdaFunctionURLResponse
)

// v2Request builds the view of an HTTP API (payload format 2.0) or Function
// URL event from p and the event's headers and cookies. The cookies field
// becomes the first Cookie line; a cookie header (absent in events from AWS,
// which moves it to the cookies field) follows it.
func v2Request(ctx context.Context, p parts, headers map[string]string, cookies []string) (*http.Request, error) {
	p.header = buildHeader(headers, nil)
	if len(cookies) > 0 {
		p.header["Cookie"] = append([]string{strings.Join(cookies, "; ")}, p.header["Cookie"]...)
	}
	return newRequest(ctx, p)
}

// v2Header returns the first value of header name of an HTTP API or
// Function URL event; the cookies field is the first Cookie line.
func v2Header(headers map[string]string, cookies []string, name string) string {
	if len(cookies) > 0 && foldEqual(name, "cookie") {
		if len(cookies) == 1 {
			return cookies[0]
		}
		return strings.Join(cookies, "; ")
	}
	s, _ := lookup(headers, name, always)
	return s
}

// v2Cookie returns cookie name of an HTTP API or Function URL event: the
// cookies field first, then any Cookie header.
func v2Cookie(headers map[string]string, cookies []string, name string) (string, bool) {
	if !validToken(name) {
		return "", false
	}
	if c, ok := cookieInLines(cookies, name); ok {
		return c, true
	}
	return cookieFromHeaders(headers, nil, name)
}

// renderV2 returns the headers, cookies, body and base64 flag of an HTTP API
// or Function URL response: repeated header values joined with ", ", and
// Set-Cookie values moved to the cookies field.
func renderV2(header http.Header, body []byte) (map[string]string, []string, string, bool) {
	var cookies []string
	headers := joinedValues(header, &cookies)
	b, b64 := renderBody(header, body)
	return headers, cookies, b, b64
}

// v2Adapter builds the adapter of an HTTP API (payload format 2.0) or
// Function URL event type: the two are distinct types with the same fields
// and rules. parts gives the request's parts, fields its headers and
// cookies and sourceIP the source address (the only fields the hot-path
// readers need), and render the response type.
func v2Adapter[E, R any](
	parts func(*E) parts,
	fields func(*E) (map[string]string, []string),
	sourceIP func(*E) string,
	render func(status int, headers map[string]string, cookies []string, body string, b64 bool) R,
) *Adapter[E, R] {
	return &Adapter[E, R]{
		request: func(ctx context.Context, e *E) (*http.Request, error) {
			headers, cookies := fields(e)
			return v2Request(ctx, parts(e), headers, cookies)
		},
		header: func(e *E, name string) string {
			headers, cookies := fields(e)
			return v2Header(headers, cookies, name)
		},
		cookie: func(e *E, name string) (string, bool) {
			headers, cookies := fields(e)
			return v2Cookie(headers, cookies, name)
		},
		sourceIP: sourceIP,
		body: func(e *E) ([]byte, error) {
			p := parts(e)
			return decodeBody(p.body, p.base64)
		},
		response: func(_ *E, status int, header http.Header, body []byte) R {
			headers, cookies, b, b64 := renderV2(header, body)
			return render(status, headers, cookies, b, b64)
		},
	}
}

// httpAPIAdapter serves API Gateway HTTP API (payload format 2.0) events.
func httpAPIAdapter() *Adapter[httpAPIRequest, httpAPIResponse] {
	return v2Adapter(
		func(e *httpAPIRequest) parts {
			return parts{
				method:   e.RequestContext.HTTP.Method,
				path:     e.RawPath,
				rawQuery: e.RawQueryString,
				host:     e.RequestContext.DomainName,
				remote:   e.RequestContext.HTTP.SourceIP,
				body:     e.Body,
				base64:   e.IsBase64Encoded,
			}
		},
		func(e *httpAPIRequest) (map[string]string, []string) { return e.Headers, e.Cookies },
		func(e *httpAPIRequest) string { return e.RequestContext.HTTP.SourceIP },
		func(status int, headers map[string]string, cookies []string, body string, b64 bool) httpAPIResponse {
			return httpAPIResponse{StatusCode: status, Headers: headers, Cookies: cookies, Body: body, IsBase64Encoded: b64}
		},
	)
}

// functionURLAdapter serves Lambda Function URL events, shaped like HTTP API
// payload format 2.0.
func functionURLAdapter() *Adapter[functionURLRequest, functionURLResponse] {
	return v2Adapter(
		func(e *functionURLRequest) parts {
			return parts{
				method:   e.RequestContext.HTTP.Method,
				path:     e.RawPath,
				rawQuery: e.RawQueryString,
				host:     e.RequestContext.DomainName,
				remote:   e.RequestContext.HTTP.SourceIP,
				body:     e.Body,
				base64:   e.IsBase64Encoded,
			}
		},
		func(e *functionURLRequest) (map[string]string, []string) { return e.Headers, e.Cookies },
		func(e *functionURLRequest) string { return e.RequestContext.HTTP.SourceIP },
		func(status int, headers map[string]string, cookies []string, body string, b64 bool) functionURLResponse {
			return functionURLResponse{StatusCode: status, Headers: headers, Cookies: cookies, Body: body, IsBase64Encoded: b64}
		},
	)
}
