package httpevent

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"
)

type (
	restRequest  = events.APIGatewayProxyRequest
	restResponse = events.APIGatewayProxyResponse
)

// restAdapter serves API Gateway REST API (payload format 1.0) events. The
// headers and multiValueHeaders maps usually both hold every header; for a
// name present in both, multiValueHeaders wins.
func restAdapter() *Adapter[restRequest, restResponse] {
	return &Adapter[restRequest, restResponse]{
		request: func(ctx context.Context, e *restRequest) (*http.Request, error) {
			return newRequest(ctx, parts{
				method:   e.HTTPMethod,
				path:     e.Path,
				rawQuery: decodedQuery(e.QueryStringParameters, e.MultiValueQueryStringParameters),
				header:   buildHeader(e.Headers, e.MultiValueHeaders),
				host:     e.RequestContext.DomainName,
				remote:   e.RequestContext.Identity.SourceIP,
				body:     e.Body,
				base64:   e.IsBase64Encoded,
			})
		},
		header: func(e *restRequest, name string) string {
			return headerValue(e.Headers, e.MultiValueHeaders, name)
		},
		cookie: func(e *restRequest, name string) (string, bool) {
			return cookieFromHeaders(e.Headers, e.MultiValueHeaders, name)
		},
		sourceIP: func(e *restRequest) string { return e.RequestContext.Identity.SourceIP },
		body: func(e *restRequest) ([]byte, error) {
			return decodeBody(e.Body, e.IsBase64Encoded)
		},
		response: func(_ *restRequest, status int, header http.Header, body []byte) restResponse {
			b, b64 := renderBody(header, body)
			return restResponse{
				StatusCode:        status,
				Headers:           firstValues(header),
				MultiValueHeaders: allValues(header),
				Body:              b,
				IsBase64Encoded:   b64,
			}
		},
	}
}
