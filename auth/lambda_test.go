package auth_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/auth"
)

// eventKind builds one kind of HTTP-shaped event and reads its response.
type eventKind[E, R any] struct {
	// event builds a GET /orders?access_token=... event with the given
	// headers (lower-case names, as AWS sends them) and cookies.
	event func(headers map[string]string, cookies []string) E
	// ok builds the handler's success response.
	ok     func(body string) R
	status func(R) int
	header func(R, string) string
	body   func(R) string
}

// headerOf finds name case-insensitively in a single-value header map.
func headerOf(h map[string]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

func multiHeaderOf(h map[string][]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return strings.Join(v, ", ")
		}
	}
	return ""
}

func cookieHeader(cookies []string) map[string]string {
	if len(cookies) == 0 {
		return nil
	}
	return map[string]string{"cookie": strings.Join(cookies, "; ")}
}

func merged(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

var restKind = eventKind[events.APIGatewayProxyRequest, events.APIGatewayProxyResponse]{
	event: func(h map[string]string, cookies []string) events.APIGatewayProxyRequest {
		return events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/orders", Headers: merged(h, cookieHeader(cookies)),
			QueryStringParameters: map[string]string{"access_token": h["x-test-query-token"]}}
	},
	ok: func(b string) events.APIGatewayProxyResponse {
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: b}
	},
	status: func(r events.APIGatewayProxyResponse) int { return r.StatusCode },
	header: func(r events.APIGatewayProxyResponse, n string) string { return headerOf(r.Headers, n) },
	body:   func(r events.APIGatewayProxyResponse) string { return r.Body },
}

var httpAPIKind = eventKind[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse]{
	event: func(h map[string]string, cookies []string) events.APIGatewayV2HTTPRequest {
		e := events.APIGatewayV2HTTPRequest{Version: "2.0", RawPath: "/orders", RawQueryString: "access_token=" + h["x-test-query-token"], Headers: h, Cookies: cookies}
		e.RequestContext.HTTP.Method = "GET"
		return e
	},
	ok: func(b string) events.APIGatewayV2HTTPResponse {
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: b}
	},
	status: func(r events.APIGatewayV2HTTPResponse) int { return r.StatusCode },
	header: func(r events.APIGatewayV2HTTPResponse, n string) string { return headerOf(r.Headers, n) },
	body:   func(r events.APIGatewayV2HTTPResponse) string { return r.Body },
}

var albKind = eventKind[events.ALBTargetGroupRequest, events.ALBTargetGroupResponse]{
	event: func(h map[string]string, cookies []string) events.ALBTargetGroupRequest {
		return events.ALBTargetGroupRequest{HTTPMethod: "GET", Path: "/orders", Headers: merged(h, cookieHeader(cookies)),
			QueryStringParameters: map[string]string{"access_token": h["x-test-query-token"]}}
	},
	ok: func(b string) events.ALBTargetGroupResponse {
		return events.ALBTargetGroupResponse{StatusCode: 200, Body: b}
	},
	status: func(r events.ALBTargetGroupResponse) int { return r.StatusCode },
	header: func(r events.ALBTargetGroupResponse, n string) string { return headerOf(r.Headers, n) },
	body:   func(r events.ALBTargetGroupResponse) string { return r.Body },
}

// albMultiKind is an ALB target group with multi-value headers enabled: the
// response must answer in the same mode.
var albMultiKind = eventKind[events.ALBTargetGroupRequest, events.ALBTargetGroupResponse]{
	event: func(h map[string]string, cookies []string) events.ALBTargetGroupRequest {
		// A multi-value target group always sends some headers.
		mv := map[string][]string{"host": {"alb.example"}}
		for k, v := range merged(h, cookieHeader(cookies)) {
			mv[k] = []string{v}
		}
		return events.ALBTargetGroupRequest{HTTPMethod: "GET", Path: "/orders", MultiValueHeaders: mv,
			MultiValueQueryStringParameters: map[string][]string{"access_token": {h["x-test-query-token"]}}}
	},
	ok: func(b string) events.ALBTargetGroupResponse {
		return events.ALBTargetGroupResponse{StatusCode: 200, Body: b}
	},
	status: func(r events.ALBTargetGroupResponse) int { return r.StatusCode },
	header: func(r events.ALBTargetGroupResponse, n string) string {
		if len(r.Headers) > 0 {
			return "single-value headers in multi-value mode"
		}
		return multiHeaderOf(r.MultiValueHeaders, n)
	},
	body: func(r events.ALBTargetGroupResponse) string { return r.Body },
}

var functionURLKind = eventKind[events.LambdaFunctionURLRequest, events.LambdaFunctionURLResponse]{
	event: func(h map[string]string, cookies []string) events.LambdaFunctionURLRequest {
		e := events.LambdaFunctionURLRequest{Version: "2.0", RawPath: "/orders", RawQueryString: "access_token=" + h["x-test-query-token"], Headers: h, Cookies: cookies}
		e.RequestContext.HTTP.Method = "GET"
		return e
	},
	ok: func(b string) events.LambdaFunctionURLResponse {
		return events.LambdaFunctionURLResponse{StatusCode: 200, Body: b}
	},
	status: func(r events.LambdaFunctionURLResponse) int { return r.StatusCode },
	header: func(r events.LambdaFunctionURLResponse, n string) string { return headerOf(r.Headers, n) },
	body:   func(r events.LambdaFunctionURLResponse) string { return r.Body },
}

func TestLambda(t *testing.T) {
	e := newTrEnv(t)
	t.Run("REST API", func(t *testing.T) { testLambdaKind(t, e, restKind) })
	t.Run("HTTP API", func(t *testing.T) { testLambdaKind(t, e, httpAPIKind) })
	t.Run("ALB", func(t *testing.T) { testLambdaKind(t, e, albKind) })
	t.Run("ALB multi-value", func(t *testing.T) { testLambdaKind(t, e, albMultiKind) })
	t.Run("Function URL", func(t *testing.T) { testLambdaKind(t, e, functionURLKind) })
}

func testLambdaKind[E, R any](t *testing.T, e *trEnv, k eventKind[E, R]) {
	valid := e.token(map[string]any{"scope": "orders:read"})
	expired := e.token(map[string]any{"exp": e.clock().Add(-time.Hour)})
	fromQuery := auth.FromRequest(func(r *http.Request) (string, error) { return r.URL.Query().Get("access_token"), nil })

	tests := []struct {
		name          string
		opts          []auth.MiddlewareOption
		headers       map[string]string
		cookies       []string
		wantStatus    int
		wantChallenge string
	}{
		{name: "valid", headers: map[string]string{"authorization": "Bearer " + valid}, wantStatus: 200},
		{name: "missing", wantStatus: 401, wantChallenge: `Bearer realm="fnshield"`},
		{name: "expired", headers: map[string]string{"authorization": "Bearer " + expired}, wantStatus: 401,
			wantChallenge: `Bearer realm="fnshield", error="invalid_token", error_description="the token has expired"`},
		{name: "malformed", headers: map[string]string{"authorization": "Bearer a b"}, wantStatus: 400,
			wantChallenge: `Bearer realm="fnshield", error="invalid_request", error_description="the request carries malformed bearer credentials"`},
		// The token's characters are checked only when it misses the
		// verified-token cache (which holds valid after the first case):
		// these must still be refused as malformed credentials, not as
		// malformed tokens.
		{name: "bad character in a cached token's look-alike", headers: map[string]string{"authorization": "Bearer " + valid[:20] + "!" + valid[21:]}, wantStatus: 400,
			wantChallenge: `Bearer realm="fnshield", error="invalid_request", error_description="the request carries malformed bearer credentials"`},
		{name: "bad character and no dots", headers: map[string]string{"authorization": "Bearer abc!def"}, wantStatus: 400,
			wantChallenge: `Bearer realm="fnshield", error="invalid_request", error_description="the request carries malformed bearer credentials"`},
		{name: "malformed cookie", opts: []auth.MiddlewareOption{auth.WithTokenFrom(auth.FromCookie("at"))}, cookies: []string{"at=" + valid[:20] + "!" + valid[21:]}, wantStatus: 400,
			wantChallenge: `Bearer realm="fnshield", error="invalid_request", error_description="the request carries malformed bearer credentials"`},
		{name: "b64token but not base64url", headers: map[string]string{"authorization": "Bearer " + valid + "=="}, wantStatus: 401,
			wantChallenge: `Bearer realm="fnshield", error="invalid_token", error_description="the token is malformed"`},
		{name: "scope", opts: []auth.MiddlewareOption{auth.RequireScopes("orders:write")}, headers: map[string]string{"authorization": "Bearer " + valid}, wantStatus: 403,
			wantChallenge: `Bearer realm="fnshield", error="insufficient_scope", error_description="the token lacks a required scope", scope="orders:write"`},
		{name: "optional without token", opts: []auth.MiddlewareOption{auth.Optional()}, wantStatus: 200},
		{name: "cookie", opts: []auth.MiddlewareOption{auth.WithTokenFrom(auth.FromCookie("at"))}, cookies: []string{"theme=dark", "at=" + valid}, wantStatus: 200},
		{name: "cookie missing", opts: []auth.MiddlewareOption{auth.WithTokenFrom(auth.FromCookie("at"))}, headers: map[string]string{"authorization": "Bearer " + valid}, wantStatus: 401, wantChallenge: `Bearer realm="fnshield"`},
		{name: "from request", opts: []auth.MiddlewareOption{auth.WithTokenFrom(fromQuery)}, headers: map[string]string{"x-test-query-token": valid}, wantStatus: 200},
		{name: "header then request", opts: []auth.MiddlewareOption{auth.WithTokenFrom(auth.FromHeader("Authorization"), fromQuery)}, headers: map[string]string{"x-test-query-token": valid}, wantStatus: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var (
				called bool
				got    *auth.Claims
			)
			next := func(ctx context.Context, ev E) (R, error) {
				called = true
				got, _ = auth.ClaimsFromContext(ctx)
				return k.ok("done"), nil
			}
			h := auth.Lambda(e.v, next, tt.opts...)
			resp, err := h(context.Background(), k.event(tt.headers, tt.cookies))
			if err != nil {
				t.Fatalf("handler error = %v, want nil (rejections are responses)", err)
			}
			if got := k.status(resp); got != tt.wantStatus {
				t.Fatalf("status = %d, want %d (body %s)", got, tt.wantStatus, k.body(resp))
			}
			if tt.wantStatus == 200 {
				if !called || k.body(resp) != "done" {
					t.Fatalf("next called = %v, body %q; want the handler's response", called, k.body(resp))
				}
				wantClaims := tt.name != "optional without token"
				if (got != nil) != wantClaims || (got != nil && got.Subject != "user-1") {
					t.Errorf("claims in context = %+v, want present=%v with subject user-1", got, wantClaims)
				}
				return
			}
			if called {
				t.Error("next was called for a rejected request")
			}
			if got := k.header(resp, "WWW-Authenticate"); got != tt.wantChallenge {
				t.Errorf("WWW-Authenticate = %q, want %q", got, tt.wantChallenge)
			}
			if got := k.header(resp, "Content-Type"); got != "application/problem+json" {
				t.Errorf("Content-Type = %q, want application/problem+json", got)
			}
			p := decodeProblem(t, "application/problem+json", []byte(k.body(resp)))
			if p.Status != tt.wantStatus {
				t.Errorf("problem status = %d, want %d", p.Status, tt.wantStatus)
			}
			for _, tok := range []string{valid, expired} {
				if strings.Contains(k.body(resp), tok[strings.LastIndexByte(tok, '.')+1:]) {
					t.Error("response body leaks a token")
				}
			}
		})
	}
}

func TestLambdaErrorHandlerAndPassThrough(t *testing.T) {
	e := newTrEnv(t)
	var seenPath string
	h := auth.Lambda(e.v, func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{}, errors.New("next failed")
	}, auth.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
		seenPath = r.URL.Path
		w.Header().Set("X-Reason", "denied")
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusTeapot)
		_, _ = w.Write([]byte("custom"))
	}))

	resp, err := h(context.Background(), httpAPIKind.event(nil, nil))
	if err != nil || resp.StatusCode != http.StatusTeapot || resp.Body != "custom" || headerOf(resp.Headers, "X-Reason") != "denied" {
		t.Errorf("rejection = %+v, %v; want the custom handler's 418", resp, err)
	}
	if seenPath != "/orders" {
		t.Errorf("handler saw path %q, want the event's /orders", seenPath)
	}

	// A valid request reaches next, whose error passes through unchanged.
	_, err = h(context.Background(), httpAPIKind.event(map[string]string{"authorization": "Bearer " + e.token(nil)}, nil))
	if err == nil || err.Error() != "next failed" {
		t.Errorf("err = %v, want next's error", err)
	}
}

func TestLambdaUndecodableEventStillRejects(t *testing.T) {
	e := newTrEnv(t)
	h := auth.Lambda(e.v, func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		t.Error("next called")
		return events.APIGatewayV2HTTPResponse{}, nil
	})
	ev := httpAPIKind.event(nil, nil)
	ev.IsBase64Encoded, ev.Body = true, "!!not base64!!"
	resp, err := h(context.Background(), ev)
	if err != nil || resp.StatusCode != 401 {
		t.Errorf("got %d, %v; want a 401 response", resp.StatusCode, err)
	}
}

func TestLambdaPanicsAtWrapTime(t *testing.T) {
	e := newTrEnv(t)
	tests := []struct {
		name string
		wrap func()
	}{
		{"unsupported pair", func() {
			auth.Lambda(e.v, func(context.Context, events.SQSEvent) (string, error) { return "", nil })
		}},
		{"mismatched response", func() {
			auth.Lambda(e.v, func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayProxyResponse, error) {
				return events.APIGatewayProxyResponse{}, nil
			})
		}},
		{"nil verifier", func() {
			auth.Lambda(nil, func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
				return events.APIGatewayV2HTTPResponse{}, nil
			})
		}},
		{"nil next", func() {
			auth.Lambda[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse](e.v, nil)
		}},
		{"gateway claims on REST", func() {
			auth.Lambda(e.v, func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
				return events.APIGatewayProxyResponse{}, nil
			}, auth.TrustGatewayClaims())
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic at wrap time")
				}
			}()
			tt.wrap()
		})
	}
}

func TestTrustGatewayClaims(t *testing.T) {
	e := newTrEnv(t)
	jwtAuthorizer := func(claims map[string]string, scopes []string) *events.APIGatewayV2HTTPRequestContextAuthorizerDescription {
		return &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims, Scopes: scopes},
		}
	}
	base := map[string]string{"sub": "user-9", "iss": "https://issuer.example", "exp": "1750000300", "client_id": "app"}
	withScope := merged(base, map[string]string{"scope": "orders:read orders:write", "cognito:groups": "[admin staff]"})

	tests := []struct {
		name       string
		opts       []auth.MiddlewareOption
		authorizer *events.APIGatewayV2HTTPRequestContextAuthorizerDescription
		header     string // an Authorization header, which must be ignored
		wantStatus int
		wantScopes string
		wantGroups string
	}{
		{name: "claims", authorizer: jwtAuthorizer(withScope, nil), wantStatus: 200, wantScopes: "orders:read orders:write", wantGroups: "admin staff"},
		{name: "authorizer scopes win", authorizer: jwtAuthorizer(withScope, []string{"orders:read"}), wantStatus: 200, wantScopes: "orders:read", wantGroups: "admin staff"},
		{name: "scope check", opts: []auth.MiddlewareOption{auth.RequireScopes("orders:write")}, authorizer: jwtAuthorizer(base, []string{"orders:read"}), wantStatus: 403},
		{name: "scope check passes", opts: []auth.MiddlewareOption{auth.RequireScopes("orders:write")}, authorizer: jwtAuthorizer(withScope, nil), wantStatus: 200, wantScopes: "orders:read orders:write", wantGroups: "admin staff"},
		{name: "group check", opts: []auth.MiddlewareOption{auth.RequireGroups("admin")}, authorizer: jwtAuthorizer(withScope, nil), wantStatus: 200, wantScopes: "orders:read orders:write", wantGroups: "admin staff"},
		{name: "no authorizer", wantStatus: 401},
		{name: "no authorizer with a token header is not verified", header: "Bearer " + e.token(nil), wantStatus: 401},
		{name: "lambda authorizer is not a JWT authorizer", authorizer: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{Lambda: map[string]any{"sub": "x"}}, wantStatus: 401},
		{name: "optional without authorizer", opts: []auth.MiddlewareOption{auth.Optional()}, wantStatus: 200},
		{name: "unreadable claim", authorizer: jwtAuthorizer(merged(base, map[string]string{"exp": "soon"}), nil), wantStatus: 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *auth.Claims
			h := auth.Lambda(e.v, func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
				got, _ = auth.ClaimsFromContext(ctx)
				return events.APIGatewayV2HTTPResponse{StatusCode: 200}, nil
			}, append(tt.opts, auth.TrustGatewayClaims())...)
			ev := httpAPIKind.event(map[string]string{"authorization": tt.header}, nil)
			ev.RequestContext.Authorizer = tt.authorizer
			resp, err := h(context.Background(), ev)
			if err != nil || resp.StatusCode != tt.wantStatus {
				t.Fatalf("got %d, %v; want %d", resp.StatusCode, err, tt.wantStatus)
			}
			if tt.wantStatus != 200 || tt.authorizer == nil {
				if got != nil {
					t.Errorf("claims = %+v, want none", got)
				}
				return
			}
			if got == nil || got.Subject != "user-9" || got.ClientID != "app" || got.Issuer != "https://issuer.example" || got.ExpiresAt.Unix() != 1750000300 {
				t.Fatalf("claims = %+v, want the authorizer's", got)
			}
			if s := strings.Join(got.Scopes, " "); s != tt.wantScopes {
				t.Errorf("scopes = %q, want %q", s, tt.wantScopes)
			}
			if g := strings.Join(got.Groups, " "); g != tt.wantGroups {
				t.Errorf("groups = %q, want %q", g, tt.wantGroups)
			}
		})
	}
}

func TestLambdaConcurrentInvocations(t *testing.T) {
	e := newTrEnv(t)
	h := auth.Lambda(e.v, func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		c, _ := auth.ClaimsFromContext(ctx)
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: c.Subject}, nil
	})
	subjects := []string{"a", "b", "c", "d", "e", "f"}
	tokens := make([]string, len(subjects))
	for i, s := range subjects {
		tokens[i] = e.token(map[string]any{"sub": s})
	}
	var wg sync.WaitGroup
	for i := range subjects {
		wg.Go(func() {
			for range 20 {
				ev := httpAPIKind.event(map[string]string{"authorization": "Bearer " + tokens[i]}, nil)
				if i%2 == 1 {
					ev = httpAPIKind.event(nil, nil) // rejections interleave with successes
				}
				resp, err := h(context.Background(), ev)
				want := subjects[i]
				if i%2 == 1 {
					if err != nil || resp.StatusCode != 401 {
						t.Errorf("anonymous call: %d, %v", resp.StatusCode, err)
					}
					continue
				}
				if err != nil || resp.Body != want {
					t.Errorf("call for %s: body %q, err %v", want, resp.Body, err)
				}
			}
		})
	}
	wg.Wait()
}
