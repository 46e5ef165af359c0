// Package httpevent is the one place that knows the shape of HTTP-like
// Lambda events. It turns API Gateway (REST and HTTP API), ALB and Function
// URL events into an *http.Request view, and renders a status, headers and
// body back into the matching response type. The adapter for an event and
// response pair is chosen once, from the static types, when a handler is
// wrapped:
//
//	a := httpevent.For[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse]() // at wrap time
//	token := a.Header(&e, "Authorization")                                               // per request, no allocation
//	r, err := a.Request(ctx, &e)                                                         // full view when needed
//
// # Request view, per event kind
//
// REST API (payload format 1.0, events.APIGatewayProxyRequest): the path is
// the "path" field; the query is rebuilt from multiValueQueryStringParameters
// when it has entries, else from queryStringParameters (AWS delivers both
// decoded), escaped with url.QueryEscape and sorted by key. Headers come from
// both "headers" and "multiValueHeaders"; for a name in both, the multi-value
// entry wins and nothing is duplicated. The source IP is
// requestContext.identity.sourceIp.
//
// HTTP API (payload format 2.0, events.APIGatewayV2HTTPRequest) and Function
// URL (events.LambdaFunctionURLRequest): the path is "rawPath", the query is
// "rawQueryString" as sent, and the method and source IP come from
// requestContext.http. AWS lowercases header names and joins repeated headers
// with commas; the joined value is kept as one value. The "cookies" field
// becomes a Cookie header, joined with "; ".
//
// ALB (events.ALBTargetGroupRequest): a target group sends either "headers"
// or "multiValueHeaders" (multi-value mode when the latter has entries), and
// the matching query map. ALB passes query keys and values still
// percent-encoded as the client sent them, so they are joined without a
// second encoding (sorted by key); only bytes that would break the query
// structure ('&', ';', '#', '=' in keys, controls, spaces, non-ASCII, and a
// '%' that does not start an escape) are encoded. ALB records no source IP:
// RemoteAddr and SourceIP are empty.
//
// All kinds: AWS delivers the path percent-encoded for REST APIs, ALB and
// Function URLs, and decoded for HTTP APIs; the path is read as encoded after
// encoding the bytes an encoded path cannot hold, so either form works (a
// decoded path that literally holds "%XX" is decoded once more). The raw
// query is likewise cleaned of bytes a query cannot hold. Header names are
// matched ASCII-case-insensitively; when an event spells one name in several
// casings (AWS merges them; only hand-built events do this), the lowercase
// spelling comes first, then the canonical one, then the others in byte
// order, for Header, Cookie and the view alike. Names that are not valid
// tokens are ignored. RemoteAddr is the bare source IP without a port.
// X-Forwarded-For is never read.
//
// # Responses, per event kind
//
// REST API: "headers" holds each name's first value and "multiValueHeaders"
// all of them. HTTP API and Function URL: "headers" holds repeated values
// joined with ", ", except Set-Cookie, whose values go to "cookies". ALB:
// "statusDescription" in the "401 Unauthorized" form, and "headers" (values
// joined with ", "; only the first Set-Cookie survives) or
// "multiValueHeaders", matching the request's mode, because ALB rejects a
// response in the other mode. Bodies stay text when the Content-Type is
// textual (text/*, JSON, XML, JavaScript, form data) and valid UTF-8, and are
// base64-encoded otherwise.
package httpevent
