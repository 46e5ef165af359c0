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

// httpAPIAdapter serves API Gateway HTTP API (payload format 2.0) events.
func httpAPIAdapter() *Adapter[httpAPIRequest, httpAPIResponse] {
	return &Adapter[httpAPIRequest, httpAPIResponse]{
		request: func(ctx context.Context, e *httpAPIRequest) (*http.Request, error) {
			return v2Request(ctx, parts{
				method:   e.RequestContext.HTTP.Method,
				path:     e.RawPath,
				rawQuery: e.RawQueryString,
				host:     e.RequestContext.DomainName,
				remote:   e.RequestContext.HTTP.SourceIP,
				body:     e.Body,
				base64:   e.IsBase64Encoded,
			}, e.Headers, e.Cookies)
		},
		header: func(e *httpAPIRequest, name string) string {
			return v2Header(e.Headers, e.Cookies, name)
		},
		cookie: func(e *httpAPIRequest, name string) (string, bool) {
			return v2Cookie(e.Headers, e.Cookies, name)
		},
		sourceIP: func(e *httpAPIRequest) string { return e.RequestContext.HTTP.SourceIP },
		body: func(e *httpAPIRequest) ([]byte, error) {
			return decodeBody(e.Body, e.IsBase64Encoded)
		},
		response: func(_ *httpAPIRequest, status int, header http.Header, body []byte) httpAPIResponse {
			headers, cookies, b, b64 := renderV2(header, body)
			return httpAPIResponse{
				StatusCode:      status,
				Headers:         headers,
				Cookies:         cookies,
				Body:            b,
				IsBase64Encoded: b64,
			}
		},
	}
}

// functionURLAdapter serves Lambda Function URL events, shaped like HTTP API
// payload format 2.0.
func functionURLAdapter() *Adapter[functionURLRequest, functionURLResponse] {
	return &Adapter[functionURLRequest, functionURLResponse]{
		request: func(ctx context.Context, e *functionURLRequest) (*http.Request, error) {
			return v2Request(ctx, parts{
				method:   e.RequestContext.HTTP.Method,
				path:     e.RawPath,
				rawQuery: e.RawQueryString,
				host:     e.RequestContext.DomainName,
				remote:   e.RequestContext.HTTP.SourceIP,
				body:     e.Body,
				base64:   e.IsBase64Encoded,
			}, e.Headers, e.Cookies)
		},
		header: func(e *functionURLRequest, name string) string {
			return v2Header(e.Headers, e.Cookies, name)
		},
		cookie: func(e *functionURLRequest, name string) (string, bool) {
			return v2Cookie(e.Headers, e.Cookies, name)
		},
		sourceIP: func(e *functionURLRequest) string { return e.RequestContext.HTTP.SourceIP },
		body: func(e *functionURLRequest) ([]byte, error) {
			return decodeBody(e.Body, e.IsBase64Encoded)
		},
		response: func(_ *functionURLRequest, status int, header http.Header, body []byte) functionURLResponse {
			headers, cookies, b, b64 := renderV2(header, body)
			return functionURLResponse{
				StatusCode:      status,
				Headers:         headers,
				Cookies:         cookies,
				Body:            b,
				IsBase64Encoded: b64,
			}
		},
	}
}
