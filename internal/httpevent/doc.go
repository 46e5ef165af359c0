// Package httpevent is the one place that knows the shape of HTTP-like
// Lambda events. It turns API Gateway (REST and HTTP API), ALB and Function
// URL events, and the API Gateway Lambda authorizer events, into an
// *http.Request view; it renders a status, headers and body back into the
// matching response type, merges headers into a response a handler
// returned, and reads such a response back. The reader for an event type,
// and the adapter for an event and response pair, are chosen once, from the
// static types, when a handler is wrapped:
//
//	a := httpevent.For[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse]() // at wrap time
//	token := a.Header(&e, "Authorization")                                               // per request, no allocation
//	r, err := a.Request(ctx, &e)                                                         // full view when needed
//	resp, err := next(ctx, e)
//	a.AddHeaders(&e, &resp, extra)                                                       // the handler's own headers win
//
// A Reader (ReaderFor) holds the request side: Request, and the cheap
// readers Header, Values, Cookie, SourceIP, Method, Path, RawQuery and Body,
// which agree with the view. An Adapter (For) embeds the Reader of its event
// type and adds the response side: Response, AddHeaders and Parts.
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
// "rawQueryString" as sent (see below), and the method and source IP come
// from requestContext.http. AWS lowercases header names and joins repeated
// headers with commas; the joined value is kept as one value. The "cookies"
// field becomes a Cookie header, joined with "; ".
//
// Lambda authorizers have readers but no adapter, and no body.
// REQUEST authorizer events
// (events.APIGatewayCustomAuthorizerRequestTypeRequest) read like the REST
// event: httpMethod, path, the same query and header rules, and
// requestContext.identity.sourceIp; the event type has no domain name, so
// the host comes from the Host header alone. HTTP API authorizer events
// (events.APIGatewayV2CustomAuthorizerV2Request, payload format 2.0) read
// like the HTTP API event. TOKEN authorizer events
// (events.APIGatewayCustomAuthorizerRequest) have one header, Authorization,
// holding authorizationToken (none when it is empty), and take the method
// and path from methodArn
// ("arn:aws:execute-api:region:account:api-id/stage/METHOD/resource/path"
// gives METHOD and "/resource/path"; a malformed ARN gives GET and "/");
// they have no query and no source IP.
//
// ALB (events.ALBTargetGroupRequest): a target group sends either "headers"
// or "multiValueHeaders" (multi-value mode when the latter has entries), and
// the matching query map. ALB passes query keys and values still
// percent-encoded as the client sent them, so they are joined as sent, sorted
// by key (the event does not keep the client's order); beyond the bytes no
// raw query keeps (below), only a '&' in a key or value and a '=' in a key,
// which a client cannot have sent unencoded, are encoded, so that they
// cannot add parameters. ALB records no source IP: RemoteAddr and SourceIP
// are empty.
//
// All kinds: AWS delivers the path percent-encoded for REST APIs, ALB and
// Function URLs, and decoded for HTTP APIs; the path is read as encoded after
// encoding the bytes an encoded path cannot hold, so either form works (a
// decoded path that literally holds "%XX" is decoded once more). A raw query
// is kept as sent, as net/http's server keeps it, so that a signature over
// the raw URL still verifies: "filter[name]=x&ids=1|2", a '%' that starts no
// valid escape, '#' and non-ASCII bytes all stay as they are; only controls,
// space and DEL, which net/http's server rejects in a request line, are
// percent-encoded.
//
// Header names are matched ASCII-case-insensitively. Header returns a
// header's first value and Values all of them (every entry of a REST or ALB
// multi-value header counts). When an event spells one name in several
// casings (AWS merges them; only hand-built events do this), the lowercase
// spelling comes first, then the canonical one, then the others in byte
// order, for Header, Values, Cookie and the view alike; merging them takes
// time linear in the number of spellings. Names that are not valid tokens
// are ignored. RemoteAddr is the bare source IP without a port.
// X-Forwarded-For is never read.
//
// # Responses, per event kind
//
// Response renders a response; AddHeaders merges headers into one a handler
// returned, adding only names the response does not have in any casing;
// Parts reads one back, merging headers as AWS does (the multi-value entry
// wins for a name in both maps; cookies become Set-Cookie values).
//
// REST API: "multiValueHeaders" holds every header and "headers" stays nil:
// API Gateway merges the two, so a name in both would reach the client
// twice. HTTP API and Function URL: "headers" holds repeated values joined
// with ", ", except Set-Cookie, whose values go to "cookies". ALB:
// "statusDescription" in the "401 Unauthorized" form, and "headers" (values
// joined with ", "; only the first Set-Cookie survives) or
// "multiValueHeaders", matching the request's mode, because ALB rejects a
// response in the other mode. A non-empty body without a Content-Type (and
// without a Content-Encoding) gets the one http.DetectContentType sniffs, in
// the response's headers too, as net/http's server does. Bodies stay text
// when the Content-Type is textual (text/*, JSON, XML, JavaScript, form
// data) and valid UTF-8, and are base64-encoded otherwise.
//
// # Bodies that cannot be decoded
//
// Request fails for an event whose body is marked base64 but is not valid
// base64, and then returns, alongside the error, the view with an empty
// body, so that an error handler answering such an event still sees the
// real method, path and headers.
package httpevent
