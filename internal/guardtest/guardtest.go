// Package guardtest is the conformance table of fnshield's transports: it
// runs the same request cases through a package's net/http middleware and
// through its Lambda wrapper for each HTTP-shaped event kind (REST API,
// HTTP API, ALB in both header modes, Function URL), and checks that every
// transport gives the same answer.
//
// A package test lists its cases and says how to wrap a handler with a
// case's options:
//
//	guardtest.Run(t, cases, func(opts []auth.MiddlewareOption) guardtest.Transports {
//		return guardtest.Transports{
//			Middleware:  auth.Middleware(v, opts...),
//			REST:        func(n guardtest.RESTHandler) guardtest.RESTHandler { return auth.Lambda(v, n, opts...) },
//			HTTPAPI:     func(n guardtest.HTTPAPIHandler) guardtest.HTTPAPIHandler { return auth.Lambda(v, n, opts...) },
//			ALB:         func(n guardtest.ALBHandler) guardtest.ALBHandler { return auth.Lambda(v, n, opts...) },
//			FunctionURL: func(n guardtest.FunctionURLHandler) guardtest.FunctionURLHandler { return auth.Lambda(v, n, opts...) },
//		}
//	})
package guardtest

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/fnshield/fnshield/internal/httpevent"
)

// Kind is one transport the table runs a case through.
type Kind string

// The transports.
const (
	Middleware  Kind = "net/http"
	REST        Kind = "REST API"
	HTTPAPI     Kind = "HTTP API"
	ALB         Kind = "ALB"
	ALBMulti    Kind = "ALB multi-value"
	FunctionURL Kind = "Function URL"
)

// Kinds lists every transport, in the order the table runs them.
var Kinds = []Kind{Middleware, REST, HTTPAPI, ALB, ALBMulti, FunctionURL}

// Handler types of the four HTTP-shaped Lambda event kinds.
type (
	RESTHandler        = func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error)
	HTTPAPIHandler     = func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)
	ALBHandler         = func(context.Context, events.ALBTargetGroupRequest) (events.ALBTargetGroupResponse, error)
	FunctionURLHandler = func(context.Context, events.LambdaFunctionURLRequest) (events.LambdaFunctionURLResponse, error)
)

// Transports wraps a handler in each transport of one package, configured
// for one case.
type Transports struct {
	Middleware  func(http.Handler) http.Handler
	REST        func(RESTHandler) RESTHandler
	HTTPAPI     func(HTTPAPIHandler) HTTPAPIHandler
	ALB         func(ALBHandler) ALBHandler
	FunctionURL func(FunctionURLHandler) FunctionURLHandler
}

// SourceIP is the client address the events carry (ALB events carry
// none) and the net/http request's RemoteAddr host.
const SourceIP = "203.0.113.7"

// RequestID is the Lambda request ID in the context of every invocation.
const RequestID = "guardtest-request-1"

// NextBody is what the next handler answers, with status 200 and the
// header X-Next: called.
const NextBody = "next handler"

// Case is one request and what every transport must answer to it.
type Case[O any] struct {
	Name string
	Opts []O // the package's options for this case

	// The request. Method defaults to GET and Path to "/orders"; Path is
	// sent as an encoded path and Query as the raw query. A Cookie header
	// goes to the cookies field of HTTP API and Function URL events.
	Method string
	Path   string
	Query  string
	Header http.Header
	Body   string
	Base64 bool // Lambda events carry the body base64-encoded

	// Kinds restricts the case to these transports (nil: all of them),
	// for requests some event kinds cannot express.
	Kinds []Kind

	// Status is the status every transport must answer. The next handler
	// must be called exactly when it is 200, or when NextRuns is set (a
	// check of the handler's response rejects it).
	Status   int
	NextRuns bool
	// Next, when the next handler is called, checks its context.
	Next func(t *testing.T, ctx context.Context)
	// NextHeader is set by the next handler on its response.
	NextHeader http.Header
	// WantHeader lists response headers and their exact first value; ""
	// means the header must be absent.
	WantHeader map[string]string
	// BodyContains lists strings the response body must contain, and
	// BodyExcludes strings it must not (tokens, rejected values).
	BodyContains []string
	BodyExcludes []string
	// Check, when set, inspects the whole answer.
	Check func(t *testing.T, a Answer)
}

// Answer is what a transport answered, in net/http terms.
type Answer struct {
	Kind       Kind
	Status     int
	Header     http.Header
	Body       string
	NextCalled bool
}

// Run runs every case through every transport that build configures.
func Run[O any](t *testing.T, cases []Case[O], build func(opts []O) Transports) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			tr := build(c.Opts)
			for _, k := range Kinds {
				if c.Kinds != nil && !slices.Contains(c.Kinds, k) {
					continue
				}
				t.Run(string(k), func(t *testing.T) {
					a, ok := run(t, k, tr, &c)
					if !ok {
						t.Skipf("the package has no %s transport", k)
					}
					check(t, &c, a)
				})
			}
		})
	}
}

// run sends c through transport k.
func run[O any](t *testing.T, k Kind, tr Transports, c *Case[O]) (Answer, bool) {
	switch k {
	case Middleware:
		if tr.Middleware == nil {
			return Answer{}, false
		}
		return runHTTP(t, tr.Middleware, c), true
	case REST:
		if tr.REST == nil {
			return Answer{}, false
		}
		return runLambda(t, k, tr.REST, restEvent(c), c), true
	case HTTPAPI:
		if tr.HTTPAPI == nil {
			return Answer{}, false
		}
		return runLambda(t, k, tr.HTTPAPI, httpAPIEvent(c), c), true
	case ALB, ALBMulti:
		if tr.ALB == nil {
			return Answer{}, false
		}
		return runLambda(t, k, tr.ALB, albEvent(c, k == ALBMulti), c), true
	default:
		if tr.FunctionURL == nil {
			return Answer{}, false
		}
		return runLambda(t, k, tr.FunctionURL, functionURLEvent(c), c), true
	}
}

// check compares an answer with the case's expectations.
func check[O any](t *testing.T, c *Case[O], a Answer) {
	t.Helper()
	if a.Status != c.Status {
		t.Fatalf("status = %d, want %d (body %q)", a.Status, c.Status, a.Body)
	}
	if wantNext := c.Status == http.StatusOK || c.NextRuns; a.NextCalled != wantNext {
		t.Errorf("next handler called = %v, want %v", a.NextCalled, wantNext)
	}
	for name, want := range c.WantHeader {
		if got := a.Header.Get(name); got != want {
			t.Errorf("header %s = %q, want %q", name, got, want)
		}
	}
	for _, s := range c.BodyContains {
		if !strings.Contains(a.Body, s) {
			t.Errorf("body %q does not contain %q", a.Body, s)
		}
	}
	for _, s := range c.BodyExcludes {
		if s != "" && (strings.Contains(a.Body, s) || strings.Contains(fmt.Sprint(a.Header), s)) {
			t.Errorf("response contains %q, which it must not echo", s)
		}
	}
	if c.Check != nil {
		c.Check(t, a)
	}
}

// next returns the body the next handler answers and records the call.
func (c *Case[O]) nextCalled(t *testing.T, ctx context.Context, body []byte, called *bool) {
	t.Helper()
	*called = true
	if got := string(body); got != c.Body {
		t.Errorf("next handler got body %q, want the request's %q intact", got, c.Body)
	}
	if c.Next != nil {
		c.Next(t, ctx)
	}
}

// runHTTP sends c through net/http middleware.
func runHTTP[O any](t *testing.T, mw func(http.Handler) http.Handler, c *Case[O]) Answer {
	var called bool
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("next handler cannot read the body: %v", err)
		}
		c.nextCalled(t, r.Context(), body, &called)
		for k, v := range c.NextHeader {
			w.Header()[k] = v
		}
		w.Header().Set("X-Next", "called")
		_, _ = io.WriteString(w, NextBody)
	}))
	target := c.path()
	if c.Query != "" {
		target += "?" + c.Query
	}
	r := httptest.NewRequest(c.method(), target, strings.NewReader(c.Body))
	if c.Body == "" {
		r.Body = http.NoBody
	}
	r.RemoteAddr = SourceIP + ":43210"
	for k, v := range c.Header {
		r.Header[http.CanonicalHeaderKey(k)] = v
	}
	if host := r.Header.Get("Host"); host != "" {
		r.Host = host
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return Answer{Kind: Middleware, Status: w.Code, Header: w.Header(), Body: w.Body.String(), NextCalled: called}
}

// runLambda sends event e through a Lambda wrapper.
func runLambda[O, E, R any](t *testing.T, k Kind, wrap func(func(context.Context, E) (R, error)) func(context.Context, E) (R, error), e E, c *Case[O]) Answer {
	a := httpevent.For[E, R]()
	var called bool
	h := wrap(func(ctx context.Context, got E) (R, error) {
		body, err := a.Body(&got)
		if err != nil {
			t.Errorf("next handler cannot read the body: %v", err)
		}
		c.nextCalled(t, ctx, body, &called)
		h := http.Header{"X-Next": {"called"}, "Content-Type": {"text/plain; charset=utf-8"}}
		for k, v := range c.NextHeader {
			h[k] = v
		}
		return a.Response(&got, http.StatusOK, h, []byte(NextBody)), nil
	})
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: RequestID})
	resp, err := h(ctx, e)
	if err != nil {
		t.Fatalf("%s handler returned error %v; rejections must be responses", k, err)
	}
	checkShape(t, k, &resp)
	status, header, body, err := a.Parts(&resp)
	if err != nil {
		t.Fatalf("%s response cannot be read: %v", k, err)
	}
	return Answer{Kind: k, Status: status, Header: header, Body: string(body), NextCalled: called}
}

// checkShape checks what API Gateway and ALB require of a response's
// header fields: REST responses must not list a header in both maps (API
// Gateway would send it twice), and an ALB response must answer in the
// request's header mode.
func checkShape[R any](t *testing.T, k Kind, resp *R) {
	t.Helper()
	switch r := any(resp).(type) {
	case *events.APIGatewayProxyResponse:
		for name := range r.Headers {
			for mname := range r.MultiValueHeaders {
				if strings.EqualFold(name, mname) {
					t.Errorf("REST response has %s in both headers and multiValueHeaders: API Gateway sends it twice", name)
				}
			}
		}
	case *events.ALBTargetGroupResponse:
		if k == ALBMulti && len(r.Headers) > 0 {
			t.Errorf("ALB multi-value request answered with single-value headers %v", r.Headers)
		}
		if k == ALB && len(r.MultiValueHeaders) > 0 {
			t.Errorf("ALB single-value request answered with multi-value headers %v", r.MultiValueHeaders)
		}
	}
}

func (c *Case[O]) method() string {
	if c.Method == "" {
		return http.MethodGet
	}
	return c.Method
}

func (c *Case[O]) path() string {
	if c.Path == "" {
		return "/orders"
	}
	return c.Path
}

// body returns the event body and its base64 flag.
func (c *Case[O]) body() (string, bool) {
	if c.Base64 {
		return base64.StdEncoding.EncodeToString([]byte(c.Body)), true
	}
	return c.Body, false
}

// lowerHeaders returns the headers with lower-case names, as HTTP APIs,
// Function URLs and ALB send them, repeated values joined with sep (or
// the last one kept, when sep is ""); the Cookie header is left out when
// cookies is set, to go to the cookies field.
func (c *Case[O]) lowerHeaders(sep string, cookies bool) map[string]string {
	if len(c.Header) == 0 {
		return nil
	}
	m := make(map[string]string, len(c.Header))
	for k, v := range c.Header {
		if cookies && strings.EqualFold(k, "Cookie") || len(v) == 0 {
			continue
		}
		if sep == "" {
			m[strings.ToLower(k)] = v[len(v)-1]
		} else {
			m[strings.ToLower(k)] = strings.Join(v, sep)
		}
	}
	return m
}

// cookies returns the Cookie header split into the cookies field.
func (c *Case[O]) cookies() []string {
	var out []string
	for _, line := range c.Header.Values("Cookie") {
		for _, part := range strings.Split(line, ";") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

// query returns the query as the single- and multi-value maps of REST and
// ALB events: decoded for REST, as sent for ALB.
func (c *Case[O]) query(decoded bool) (map[string]string, map[string][]string) {
	if c.Query == "" {
		return nil, nil
	}
	single, multi := map[string]string{}, map[string][]string{}
	for _, kv := range strings.Split(c.Query, "&") {
		k, v, _ := strings.Cut(kv, "=")
		if decoded {
			k, _ = url.QueryUnescape(k)
			v, _ = url.QueryUnescape(v)
		}
		single[k] = v
		multi[k] = append(multi[k], v)
	}
	return single, multi
}

func restEvent[O any](c *Case[O]) events.APIGatewayProxyRequest {
	body, b64 := c.body()
	single, multi := c.query(true)
	e := events.APIGatewayProxyRequest{
		HTTPMethod: c.method(), Path: c.path(), Resource: "/{proxy+}",
		QueryStringParameters: single, MultiValueQueryStringParameters: multi,
		Body: body, IsBase64Encoded: b64,
	}
	if len(c.Header) > 0 {
		e.Headers, e.MultiValueHeaders = map[string]string{}, map[string][]string{}
		for k, v := range c.Header {
			e.Headers[k] = v[len(v)-1]
			e.MultiValueHeaders[k] = v
		}
	}
	e.RequestContext.Identity.SourceIP = SourceIP
	e.RequestContext.RequestID = RequestID
	e.RequestContext.HTTPMethod = c.method()
	return e
}

func httpAPIEvent[O any](c *Case[O]) events.APIGatewayV2HTTPRequest {
	body, b64 := c.body()
	e := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: "$default", RawPath: c.path(), RawQueryString: c.Query,
		Headers: c.lowerHeaders(",", true), Cookies: c.cookies(),
		Body: body, IsBase64Encoded: b64,
	}
	e.RequestContext.HTTP.Method = c.method()
	e.RequestContext.HTTP.Path = c.path()
	e.RequestContext.HTTP.SourceIP = SourceIP
	e.RequestContext.RequestID = RequestID
	return e
}

func albEvent[O any](c *Case[O], multiMode bool) events.ALBTargetGroupRequest {
	body, b64 := c.body()
	e := events.ALBTargetGroupRequest{HTTPMethod: c.method(), Path: c.path(), Body: body, IsBase64Encoded: b64}
	single, multi := c.query(false)
	if !multiMode {
		e.Headers, e.QueryStringParameters = c.lowerHeaders("", false), single
		return e
	}
	// A multi-value target group always sends some headers.
	e.MultiValueHeaders = map[string][]string{"host": {"alb.example"}}
	for k, v := range c.Header {
		e.MultiValueHeaders[strings.ToLower(k)] = v
	}
	e.MultiValueQueryStringParameters = multi
	return e
}

func functionURLEvent[O any](c *Case[O]) events.LambdaFunctionURLRequest {
	body, b64 := c.body()
	e := events.LambdaFunctionURLRequest{
		Version: "2.0", RawPath: c.path(), RawQueryString: c.Query,
		Headers: c.lowerHeaders(",", true), Cookies: c.cookies(),
		Body: body, IsBase64Encoded: b64,
	}
	e.RequestContext.HTTP.Method = c.method()
	e.RequestContext.HTTP.Path = c.path()
	e.RequestContext.HTTP.SourceIP = SourceIP
	e.RequestContext.RequestID = RequestID
	return e
}
