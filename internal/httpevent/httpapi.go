package httpevent

import (
	"net/http"

	"github.com/aws/aws-lambda-go/events"
)

type (
	httpAPIRequest      = events.APIGatewayV2HTTPRequest
	httpAPIResponse     = events.APIGatewayV2HTTPResponse
	functionURLRequest  = events.LambdaFunctionURLRequest
	functionURLResponse = events.LambdaFunctionURLResponse
)

// httpAPIReader reads API Gateway HTTP API (payload format 2.0) events. The
// cookies field is the first Cookie line; a cookie header (absent in events
// from AWS, which moves it to the cookies field) follows it.
func httpAPIReader() *Reader[httpAPIRequest] {
	return &Reader[httpAPIRequest]{
		headers: func(e *httpAPIRequest) headerSource {
			return headerSource{single: e.Headers, cookies: e.Cookies}
		},
		line: func(e *httpAPIRequest) requestLine {
			return requestLine{
				method: e.RequestContext.HTTP.Method,
				path:   e.RawPath,
				query:  querySource{form: queryRaw, raw: e.RawQueryString},
			}
		},
		sourceIP: func(e *httpAPIRequest) string { return e.RequestContext.HTTP.SourceIP },
		host:     func(e *httpAPIRequest) string { return e.RequestContext.DomainName },
		body:     func(e *httpAPIRequest) (string, bool) { return e.Body, e.IsBase64Encoded },
	}
}

// functionURLReader reads Lambda Function URL events, shaped like HTTP API
// payload format 2.0.
func functionURLReader() *Reader[functionURLRequest] {
	return &Reader[functionURLRequest]{
		headers: func(e *functionURLRequest) headerSource {
			return headerSource{single: e.Headers, cookies: e.Cookies}
		},
		line: func(e *functionURLRequest) requestLine {
			return requestLine{
				method: e.RequestContext.HTTP.Method,
				path:   e.RawPath,
				query:  querySource{form: queryRaw, raw: e.RawQueryString},
			}
		},
		sourceIP: func(e *functionURLRequest) string { return e.RequestContext.HTTP.SourceIP },
		host:     func(e *functionURLRequest) string { return e.RequestContext.DomainName },
		body:     func(e *functionURLRequest) (string, bool) { return e.Body, e.IsBase64Encoded },
	}
}

// v2Response points at the fields of an HTTP API or Function URL response:
// the two are distinct types with the same fields and rules.
type v2Response struct {
	status  *int
	headers *map[string]string
	cookies *[]string
	body    *string
	base64  *bool
}

func httpAPIResponseFields(r *httpAPIResponse) v2Response {
	return v2Response{&r.StatusCode, &r.Headers, &r.Cookies, &r.Body, &r.IsBase64Encoded}
}

func functionURLResponseFields(r *functionURLResponse) v2Response {
	return v2Response{&r.StatusCode, &r.Headers, &r.Cookies, &r.Body, &r.IsBase64Encoded}
}

// v2Adapter builds the adapter of an HTTP API or Function URL event type
// from its reader and the accessor of its response type's fields. Response
// headers hold repeated values joined with ", ", except Set-Cookie, whose
// values go to the cookies field.
func v2Adapter[E, R any](reader *Reader[E], fieldsOf func(*R) v2Response) *Adapter[E, R] {
	return &Adapter[E, R]{
		Reader: reader,
		response: func(_ *E, status int, header http.Header, body []byte) R {
			var resp R
			f := fieldsOf(&resp)
			*f.status = status
			*f.headers = joinedValues(header, f.cookies)
			*f.body, *f.base64 = renderBody(header, body)
			return resp
		},
		addHeaders: func(_ *E, resp *R, h http.Header) {
			f := fieldsOf(resp)
			for k, v := range h {
				if len(v) == 0 || hasName(*f.headers, k) {
					continue
				}
				if foldEqual(k, "Set-Cookie") {
					if len(*f.cookies) == 0 {
						*f.cookies = append(*f.cookies, v...)
					}
					continue
				}
				if *f.headers == nil {
					*f.headers = make(map[string]string, len(h))
				}
				(*f.headers)[k] = joinValues(k, v)
			}
		},
		parts: func(resp *R) (int, http.Header, []byte, error) {
			f := fieldsOf(resp)
			header := buildHeader(*f.headers, nil)
			if len(*f.cookies) > 0 {
				header["Set-Cookie"] = append(header["Set-Cookie"], *f.cookies...)
			}
			return responseParts(*f.status, header, *f.body, *f.base64)
		},
	}
}

// httpAPIAdapter serves HTTP API events and responses.
func httpAPIAdapter() *Adapter[httpAPIRequest, httpAPIResponse] {
	return v2Adapter(httpAPIReader(), httpAPIResponseFields)
}

// functionURLAdapter serves Function URL events and responses.
func functionURLAdapter() *Adapter[functionURLRequest, functionURLResponse] {
	return v2Adapter(functionURLReader(), functionURLResponseFields)
}
