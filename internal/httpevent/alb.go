package httpevent

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"
)

type (
	albRequest  = events.ALBTargetGroupRequest
	albResponse = events.ALBTargetGroupResponse
)

// albMulti reports whether an ALB event came from a target group with
// multi-value headers enabled; the response must then use
// multiValueHeaders, and headers otherwise.
func albMulti(e *albRequest) bool { return e != nil && len(e.MultiValueHeaders) > 0 }

// albHeaders returns the one header map of e that its mode uses.
func albHeaders(e *albRequest) (map[string]string, map[string][]string) {
	if albMulti(e) {
		return nil, e.MultiValueHeaders
	}
	return e.Headers, nil
}

// albAdapter serves Application Load Balancer target group events in both
// header modes. ALB passes query parameters still percent-encoded and
// records no source IP.
func albAdapter() *Adapter[albRequest, albResponse] {
	return &Adapter[albRequest, albResponse]{
		request: func(ctx context.Context, e *albRequest) (*http.Request, error) {
			single, multi := albHeaders(e)
			return newRequest(ctx, parts{
				method:   e.HTTPMethod,
				path:     e.Path,
				rawQuery: encodedQuery(e.QueryStringParameters, e.MultiValueQueryStringParameters),
				header:   buildHeader(single, multi),
				body:     e.Body,
				base64:   e.IsBase64Encoded,
			})
		},
		header: func(e *albRequest, name string) string {
			single, multi := albHeaders(e)
			return headerValue(single, multi, name)
		},
		cookie: func(e *albRequest, name string) (string, bool) {
			single, multi := albHeaders(e)
			return cookieFromHeaders(single, multi, name)
		},
		sourceIP: func(*albRequest) string { return "" },
		body: func(e *albRequest) ([]byte, error) {
			return decodeBody(e.Body, e.IsBase64Encoded)
		},
		response: func(e *albRequest, status int, header http.Header, body []byte) albResponse {
			b, b64 := renderBody(header, body)
			resp := albResponse{
				StatusCode:        status,
				StatusDescription: statusDescription(status),
				Body:              b,
				IsBase64Encoded:   b64,
			}
			if albMulti(e) {
				resp.MultiValueHeaders = allValues(header)
				if resp.MultiValueHeaders == nil {
					resp.MultiValueHeaders = map[string][]string{}
				}
			} else {
				resp.Headers = joinedValues(header, nil)
				if resp.Headers == nil {
					resp.Headers = map[string]string{}
				}
			}
			return resp
		},
	}
}
