package httpevent

import (
	"net/http"
	"slices"

	"github.com/aws/aws-lambda-go/events"
)

type (
	restRequest  = events.APIGatewayProxyRequest
	restResponse = events.APIGatewayProxyResponse
)

// restReader reads API Gateway REST API (payload format 1.0) events. The
// headers and multiValueHeaders maps usually both hold every header; for a
// name present in both, multiValueHeaders wins.
func restReader() *Reader[restRequest] {
	return &Reader[restRequest]{
		headers: func(e *restRequest) headerSource {
			return headerSource{single: e.Headers, multi: e.MultiValueHeaders}
		},
		line: func(e *restRequest) requestLine {
			return requestLine{
				method: e.HTTPMethod,
				path:   e.Path,
				query:  querySource{form: queryDecoded, single: e.QueryStringParameters, multi: e.MultiValueQueryStringParameters},
			}
		},
		sourceIP: func(e *restRequest) string { return e.RequestContext.Identity.SourceIP },
		host:     func(e *restRequest) string { return e.RequestContext.DomainName },
		body:     func(e *restRequest) (string, bool) { return e.Body, e.IsBase64Encoded },
	}
}

// restAdapter serves REST API events and responses.
func restAdapter() *Adapter[restRequest, restResponse] {
	return &Adapter[restRequest, restResponse]{
		Reader: restReader(),
		response: func(_ *restRequest, status int, header http.Header, body []byte) restResponse {
			b, b64 := renderBody(header, body)
			// API Gateway merges headers and multiValueHeaders, so a name in
			// both would reach the client twice: only multiValueHeaders is
			// filled, and headers stays nil.
			return restResponse{
				StatusCode:        status,
				MultiValueHeaders: allValues(header),
				Body:              b,
				IsBase64Encoded:   b64,
			}
		},
		addHeaders: func(_ *restRequest, resp *restResponse, h http.Header) {
			for k, v := range h {
				if len(v) == 0 || hasName(resp.Headers, k) || hasName(resp.MultiValueHeaders, k) {
					continue
				}
				if resp.MultiValueHeaders == nil {
					resp.MultiValueHeaders = make(map[string][]string, len(h))
				}
				resp.MultiValueHeaders[k] = slices.Clone(v)
			}
		},
		parts: func(resp *restResponse) (int, http.Header, []byte, error) {
			return responseParts(resp.StatusCode, buildHeader(resp.Headers, resp.MultiValueHeaders), resp.Body, resp.IsBase64Encoded)
		},
	}
}
