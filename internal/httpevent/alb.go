package httpevent

import (
	"net/http"
	"slices"

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

// albReader reads Application Load Balancer target group events in both
// header modes, using only the header map of the event's mode. ALB passes
// query parameters still percent-encoded and records no source IP.
func albReader() *Reader[albRequest] {
	return &Reader[albRequest]{
		headers: func(e *albRequest) headerSource {
			if albMulti(e) {
				return headerSource{multi: e.MultiValueHeaders}
			}
			return headerSource{single: e.Headers}
		},
		line: func(e *albRequest) requestLine {
			return requestLine{
				method: e.HTTPMethod,
				path:   e.Path,
				query:  querySource{form: queryEncoded, single: e.QueryStringParameters, multi: e.MultiValueQueryStringParameters},
			}
		},
		sourceIP: noString[albRequest],
		host:     noString[albRequest],
		body:     func(e *albRequest) (string, bool) { return e.Body, e.IsBase64Encoded },
	}
}

// albAdapter serves ALB events and responses.
func albAdapter() *Adapter[albRequest, albResponse] {
	return &Adapter[albRequest, albResponse]{
		Reader: albReader(),
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
		addHeaders: func(e *albRequest, resp *albResponse, h http.Header) {
			// A response keeps the mode it already uses; one without
			// headers takes the request's.
			multi := len(resp.MultiValueHeaders) > 0 || len(resp.Headers) == 0 && albMulti(e)
			for k, v := range h {
				if len(v) == 0 || hasName(resp.Headers, k) || hasName(resp.MultiValueHeaders, k) {
					continue
				}
				if multi {
					if resp.MultiValueHeaders == nil {
						resp.MultiValueHeaders = make(map[string][]string, len(h))
					}
					resp.MultiValueHeaders[k] = slices.Clone(v)
					continue
				}
				if resp.Headers == nil {
					resp.Headers = make(map[string]string, len(h))
				}
				resp.Headers[k] = joinValues(k, v)
			}
		},
		parts: func(resp *albResponse) (int, http.Header, []byte, error) {
			return responseParts(resp.StatusCode, buildHeader(resp.Headers, resp.MultiValueHeaders), resp.Body, resp.IsBase64Encoded)
		},
	}
}
