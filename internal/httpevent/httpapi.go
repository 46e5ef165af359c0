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

// v2Event holds the fields that HTTP API (payload format 2.0) and Function
// URL events share; both kinds are read through it.
type v2Event struct {
	method, path, rawQuery string
	headers                map[string]string
	cookies                []string
	domain, sourceIP       string
	body                   string
	base64                 bool
}

func fromHTTPAPI(e *httpAPIRequest) v2Event {
	return v2Event{
		method: e.RequestContext.HTTP.Method, path: e.RawPath, rawQuery: e.RawQueryString,
		headers: e.Headers, cookies: e.Cookies,
		domain: e.RequestContext.DomainName, sourceIP: e.RequestContext.HTTP.SourceIP,
		body: e.Body, base64: e.IsBase64Encoded,
	}
}

func fromFunctionURL(e *functionURLRequest) v2Event {
	return v2Event{
		method: e.RequestContext.HTTP.Method, path: e.RawPath, rawQuery: e.RawQueryString,
		headers: e.Headers, cookies: e.Cookies,
		domain: e.RequestContext.DomainName, sourceIP: e.RequestContext.HTTP.SourceIP,
		body: e.Body, base64: e.IsBase64Encoded,
	}
}

// request builds the view. The cookies field becomes the first Cookie line;
// a cookie header (absent in events from AWS, which moves it to the cookies
// field) follows it.
func (v *v2Event) request(ctx context.Context) (*http.Request, error) {
	h := buildHeader(v.headers, nil)
	if len(v.cookies) > 0 {
		h["Cookie"] = append([]string{strings.Join(v.cookies, "; ")}, h["Cookie"]...)
	}
	return newRequest(ctx, parts{
		method:   v.method,
		path:     v.path,
		rawQuery: v.rawQuery,
		header:   h,
		host:     v.domain,
		remote:   v.sourceIP,
		body:     v.body,
		base64:   v.base64,
	})
}

func (v *v2Event) header(name string) string {
	if len(v.cookies) > 0 && foldEqual(name, "cookie") {
		switch len(v.cookies) {
		case 1:
			return v.cookies[0]
		default:
			return strings.Join(v.cookies, "; ")
		}
	}
	s, _ := lookup(v.headers, name, always)
	return s
}

func (v *v2Event) cookie(name string) (string, bool) {
	if !validToken(name) {
		return "", false
	}
	if c, ok := cookieInLines(v.cookies, name); ok {
		return c, true
	}
	return cookieFromHeaders(v.headers, nil, name)
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
			v := fromHTTPAPI(e)
			return v.request(ctx)
		},
		header: func(e *httpAPIRequest, name string) string {
			v := fromHTTPAPI(e)
			return v.header(name)
		},
		cookie: func(e *httpAPIRequest, name string) (string, bool) {
			v := fromHTTPAPI(e)
			return v.cookie(name)
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
			v := fromFunctionURL(e)
			return v.request(ctx)
		},
		header: func(e *functionURLRequest, name string) string {
			v := fromFunctionURL(e)
			return v.header(name)
		},
		cookie: func(e *functionURLRequest, name string) (string, bool) {
			v := fromFunctionURL(e)
			return v.cookie(name)
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
