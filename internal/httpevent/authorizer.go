package httpevent

import (
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

type (
	requestAuthorizerRequest = events.APIGatewayCustomAuthorizerRequestTypeRequest
	v2AuthorizerRequest      = events.APIGatewayV2CustomAuthorizerV2Request
	tokenAuthorizerRequest   = events.APIGatewayCustomAuthorizerRequest
)

// requestAuthorizerReader reads REQUEST authorizer events (REST API, and
// HTTP API payload format 1.0). They carry the request's headers and query
// exactly as the REST proxy event does, and no body. Their request context
// has no domain name: the view's host comes from the Host header alone.
func requestAuthorizerReader() *Reader[requestAuthorizerRequest] {
	return &Reader[requestAuthorizerRequest]{
		headers: func(e *requestAuthorizerRequest) headerSource {
			return headerSource{single: e.Headers, multi: e.MultiValueHeaders}
		},
		line: func(e *requestAuthorizerRequest) requestLine {
			return requestLine{
				method: e.HTTPMethod,
				path:   e.Path,
				query:  querySource{form: queryDecoded, single: e.QueryStringParameters, multi: e.MultiValueQueryStringParameters},
			}
		},
		sourceIP: func(e *requestAuthorizerRequest) string { return e.RequestContext.Identity.SourceIP },
		host:     noString[requestAuthorizerRequest],
		body:     noBody[requestAuthorizerRequest],
	}
}

// v2AuthorizerReader reads HTTP API authorizer events (payload format 2.0),
// shaped like HTTP API proxy events without a body.
func v2AuthorizerReader() *Reader[v2AuthorizerRequest] {
	return &Reader[v2AuthorizerRequest]{
		headers: func(e *v2AuthorizerRequest) headerSource {
			return headerSource{single: e.Headers, cookies: e.Cookies}
		},
		line: func(e *v2AuthorizerRequest) requestLine {
			return requestLine{
				method: e.RequestContext.HTTP.Method,
				path:   e.RawPath,
				query:  querySource{form: queryRaw, raw: e.RawQueryString},
			}
		},
		sourceIP: func(e *v2AuthorizerRequest) string { return e.RequestContext.HTTP.SourceIP },
		host:     func(e *v2AuthorizerRequest) string { return e.RequestContext.DomainName },
		body:     noBody[v2AuthorizerRequest],
	}
}

// tokenAuthorizerReader reads TOKEN authorizer events: their only header is
// Authorization, holding authorizationToken, and their method and path come
// from methodArn.
func tokenAuthorizerReader() *Reader[tokenAuthorizerRequest] {
	return &Reader[tokenAuthorizerRequest]{
		headers: func(e *tokenAuthorizerRequest) headerSource {
			return headerSource{token: e.AuthorizationToken}
		},
		line: func(e *tokenAuthorizerRequest) requestLine {
			method, path := methodARN(e.MethodArn)
			return requestLine{method: method, path: path}
		},
		sourceIP: noString[tokenAuthorizerRequest],
		host:     noString[tokenAuthorizerRequest],
		body:     noBody[tokenAuthorizerRequest],
	}
}

// methodARN returns the method and path of an execute-api method ARN,
// arn:partition:execute-api:region:account:api-id/stage/METHOD/resource/path:
// METHOD and "/resource/path". A malformed ARN, or one whose method is not a
// token, gives "GET" and "/". It does not allocate.
func methodARN(arn string) (method, path string) {
	const fallbackMethod, fallbackPath = "GET", "/"
	rest := arn
	for _, want := range []string{"arn", "", "execute-api", "", ""} {
		field, after, ok := strings.Cut(rest, ":")
		if !ok || want != "" && field != want {
			return fallbackMethod, fallbackPath
		}
		rest = after
	}
	// rest is api-id/stage/METHOD/resource/path.
	for range 2 {
		_, after, ok := strings.Cut(rest, "/")
		if !ok {
			return fallbackMethod, fallbackPath
		}
		rest = after
	}
	method, _, ok := strings.Cut(rest, "/")
	if !ok || !validToken(method) {
		return fallbackMethod, fallbackPath
	}
	return method, rest[len(method):]
}
