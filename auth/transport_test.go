package auth_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/fnshield/fnshield/auth"
	"github.com/fnshield/fnshield/auth/authtest"
	"github.com/fnshield/fnshield/internal/guardtest"
)

// transports wraps handlers with auth's Middleware and Lambda for the
// conformance table.
func transports(v *auth.Verifier) func([]auth.MiddlewareOption) guardtest.Transports {
	return func(opts []auth.MiddlewareOption) guardtest.Transports {
		lopts := make([]auth.LambdaOption, len(opts))
		for i, o := range opts {
			lopts[i] = o
		}
		return guardtest.Transports{
			Middleware:  auth.Middleware(v, opts...),
			REST:        func(n guardtest.RESTHandler) guardtest.RESTHandler { return auth.Lambda(v, n, lopts...) },
			HTTPAPI:     func(n guardtest.HTTPAPIHandler) guardtest.HTTPAPIHandler { return auth.Lambda(v, n, lopts...) },
			ALB:         func(n guardtest.ALBHandler) guardtest.ALBHandler { return auth.Lambda(v, n, lopts...) },
			FunctionURL: func(n guardtest.FunctionURLHandler) guardtest.FunctionURLHandler { return auth.Lambda(v, n, lopts...) },
		}
	}
}

// TestTransports runs every request case through Middleware and through
// Lambda for each HTTP-shaped event kind: all must answer alike.
func TestTransports(t *testing.T) {
	e := newTrEnv(t)
	valid := e.token(map[string]any{"scope": "orders:read orders:write", "groups": []string{"staff"}})
	readOnly := e.token(map[string]any{"scope": "orders:read"})
	expired := e.token(map[string]any{"exp": e.clock().Add(-time.Hour)})
	garbled := e.iss.MintWith(authtest.MintOptions{Claims: map[string]any{"sub": "user-1", "aud": trAudience}, Signature: authtest.SignatureGarbled})
	algNone := e.iss.MintWith(authtest.MintOptions{Claims: map[string]any{"sub": "user-1", "aud": trAudience}, Algorithm: "none"})
	fromQuery := auth.FromRequest(func(r *http.Request) (string, error) { return r.URL.Query().Get("access_token"), nil })

	const (
		chMissing   = `Bearer realm="fnshield"`
		chExpired   = `Bearer realm="fnshield", error="invalid_token", error_description="the token has expired"`
		chSignature = `Bearer realm="fnshield", error="invalid_token", error_description="the token signature is invalid"`
		chMalformed = `Bearer realm="fnshield", error="invalid_request", error_description="the request carries malformed bearer credentials"`
		chScope     = `Bearer realm="fnshield", error="insufficient_scope", error_description="the token lacks a required scope", scope="orders:write"`
	)
	bearer := func(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }
	subject := func(want string) func(*testing.T, context.Context) {
		return func(t *testing.T, ctx context.Context) {
			c, ok := auth.ClaimsFromContext(ctx)
			switch {
			case want == "" && ok:
				t.Errorf("claims in context = %+v, want none", c)
			case want != "" && (!ok || c.Subject != want):
				t.Errorf("claims in context = %+v, %v; want subject %s", c, ok, want)
			}
		}
	}
	rejected := func(status int, challenge string) guardtest.Case[auth.MiddlewareOption] {
		return guardtest.Case[auth.MiddlewareOption]{
			Status:       status,
			WantHeader:   map[string]string{"WWW-Authenticate": challenge, "Content-Type": "application/problem+json"},
			BodyExcludes: []string{signature(valid), signature(readOnly), signature(expired), signature(garbled)},
			Check: func(t *testing.T, a guardtest.Answer) {
				p := decodeProblem(t, a.Header.Get("Content-Type"), []byte(a.Body))
				if p.Status != status || p.Title != http.StatusText(status) || p.Type != "about:blank" || p.Detail == "" {
					t.Errorf("problem = %+v, want status %d with its title and a detail", p, status)
				}
			},
		}
	}
	with := func(c guardtest.Case[auth.MiddlewareOption], name string, h http.Header, opts ...auth.MiddlewareOption) guardtest.Case[auth.MiddlewareOption] {
		c.Name, c.Header, c.Opts = name, h, opts
		return c
	}
	ok := func(name string, h http.Header, sub string, opts ...auth.MiddlewareOption) guardtest.Case[auth.MiddlewareOption] {
		return guardtest.Case[auth.MiddlewareOption]{Name: name, Header: h, Opts: opts, Status: 200, Next: subject(sub),
			BodyContains: []string{guardtest.NextBody}}
	}
	lookAlike := valid[:20] + "!" + valid[21:]

	cases := []guardtest.Case[auth.MiddlewareOption]{
		ok("valid", bearer(valid), "user-1"),
		ok("scheme case-insensitive", http.Header{"Authorization": {"bearer " + valid}}, "user-1"),
		with(rejected(401, chMissing), "missing", nil),
		with(rejected(401, chMissing), "basic scheme is missing", http.Header{"Authorization": {"Basic dTpw"}}),
		with(rejected(401, chExpired), "expired", bearer(expired)),
		with(rejected(401, chSignature), "bad signature", bearer(garbled)),
		with(rejected(401, `Bearer realm="fnshield", error="invalid_token", error_description="the token signing algorithm is not allowed"`), "alg none", bearer(algNone)),
		with(rejected(400, chMalformed), "two tokens", bearer(valid+" "+valid)),
		with(rejected(400, chMalformed), "bad character and no dots", bearer("abc!def")),
		// The token's characters are checked only when it misses the
		// verified-token cache (which holds valid after the first case):
		// these must still be refused as malformed credentials.
		with(rejected(400, chMalformed), "bad character in a cached token's look-alike", bearer(lookAlike)),
		with(rejected(400, chMalformed), "bad cookie", http.Header{"Cookie": {"at=" + lookAlike}}, auth.WithTokenFrom(auth.FromCookie("at"))),
		with(rejected(401, `Bearer realm="fnshield", error="invalid_token", error_description="the token is malformed"`), "b64token but not base64url", bearer(valid+"==")),
		ok("scope present", bearer(valid), "user-1", auth.RequireScopes("orders:write")),
		with(rejected(403, `Bearer realm="fnshield", error="insufficient_scope", error_description="the token lacks a required scope", scope="orders:read orders:write"`),
			"scope missing", bearer(readOnly), auth.RequireScopes("orders:read", "orders:write")),
		with(rejected(403, chScope), "scopes accumulate", bearer(readOnly), auth.RequireScopes("orders:read"), auth.RequireScopes("orders:write")),
		ok("group any-of", bearer(valid), "user-1", auth.RequireGroups("admin", "staff")),
		with(rejected(403, ""), "group missing", bearer(valid), auth.RequireGroups("admin")),
		ok("require passes", bearer(valid), "user-1", auth.Require(func(*auth.Claims) error { return nil })),
		with(rejected(403, ""), "require fails", bearer(valid), auth.Require(func(*auth.Claims) error { return errors.New("not the owner") })),
		ok("optional without token", nil, "", auth.Optional()),
		ok("optional with token", bearer(valid), "user-1", auth.Optional()),
		with(rejected(401, chExpired), "optional with invalid token", bearer(expired), auth.Optional()),
		with(rejected(403, chScope), "optional still checks scopes", bearer(readOnly), auth.Optional(), auth.RequireScopes("orders:write")),
		ok("cookie", http.Header{"Cookie": {"theme=dark; at=" + valid}}, "user-1", auth.WithTokenFrom(auth.FromCookie("at"))),
		with(rejected(401, chMissing), "cookie source ignores header", bearer(valid), auth.WithTokenFrom(auth.FromCookie("at"))),
		ok("header then cookie", http.Header{"Cookie": {"at=" + valid}}, "user-1", auth.WithTokenFrom(auth.FromHeader("Authorization"), auth.FromCookie("at"))),
		with(rejected(401, chExpired), "first source found decides", http.Header{"Authorization": {"Bearer " + expired}, "Cookie": {"at=" + valid}},
			auth.WithTokenFrom(auth.FromHeader("Authorization"), auth.FromCookie("at"))),
		ok("custom header", http.Header{"X-Access-Token": {valid}}, "user-1", auth.WithTokenFrom(auth.FromHeader("X-Access-Token"))),
		{Name: "from request", Query: "access_token=" + valid, Opts: []auth.MiddlewareOption{auth.WithTokenFrom(fromQuery)}, Status: 200, Next: subject("user-1")},
		{Name: "header then request", Query: "access_token=" + valid, Opts: []auth.MiddlewareOption{auth.WithTokenFrom(auth.FromHeader("Authorization"), fromQuery)}, Status: 200, Next: subject("user-1")},
		// Two credentials headers are malformed on every transport that can
		// carry them (HTTP APIs and Function URLs join them into one value,
		// which is malformed too; single-value ALB keeps only the last).
		func() guardtest.Case[auth.MiddlewareOption] {
			c := with(rejected(400, chMalformed), "repeated credentials header", http.Header{"Authorization": {"Bearer " + valid, "Bearer " + readOnly}})
			c.Kinds = []guardtest.Kind{guardtest.Middleware, guardtest.REST, guardtest.ALBMulti, guardtest.HTTPAPI, guardtest.FunctionURL}
			return c
		}(),
		// CORS preflight.
		{Name: "preflight passes with AllowPreflight", Method: http.MethodOptions, Header: http.Header{"Access-Control-Request-Method": {"POST"}, "Origin": {"https://app.example"}},
			Opts: []auth.MiddlewareOption{auth.AllowPreflight()}, Status: 200, Next: subject("")},
		func() guardtest.Case[auth.MiddlewareOption] {
			c := with(rejected(401, chMissing), "preflight needs a token by default", http.Header{"Access-Control-Request-Method": {"POST"}})
			c.Method = http.MethodOptions
			return c
		}(),
		func() guardtest.Case[auth.MiddlewareOption] {
			c := with(rejected(401, chMissing), "plain OPTIONS still needs a token", nil, auth.AllowPreflight())
			c.Method = http.MethodOptions
			return c
		}(),
		func() guardtest.Case[auth.MiddlewareOption] {
			c := ok("POST body reaches the handler intact", bearer(valid), "user-1")
			c.Method, c.Body, c.Base64 = http.MethodPost, `{"item":"book"}`, true
			return c
		}(),
	}
	guardtest.Run(t, cases, transports(e.v))
}

// signature is the signature part of a compact JWS, which a response
// must never echo.
func signature(tok string) string { return tok[strings.LastIndexByte(tok, '.')+1:] }

// TestRejectionAuditLog checks that each transport rejection is logged
// once, by the shared guard, with the request's attributes (and the
// subject of a verified token that a check denied), never the token; and
// that the authorizers, which the guard does not wrap, still log theirs.
func TestRejectionAuditLog(t *testing.T) {
	var logs strings.Builder
	e := newTrEnv(t, auth.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	readOnly := e.token(map[string]any{"scope": "orders:read"})
	records := func() []map[string]any {
		var out []map[string]any
		for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
			var m map[string]any
			if json.Unmarshal([]byte(line), &m) == nil {
				out = append(out, m)
			}
		}
		logs.Reset()
		return out
	}
	check := func(t *testing.T, recs []map[string]any, want map[string]any) {
		t.Helper()
		if len(recs) != 1 {
			t.Fatalf("%d log records, want 1: %v", len(recs), recs)
		}
		for k, v := range want {
			if recs[0][k] != v {
				t.Errorf("log %s = %v, want %v", k, recs[0][k], v)
			}
		}
		if strings.Contains(fmt.Sprint(recs[0]), signature(readOnly)) {
			t.Error("the log leaks the token")
		}
	}

	r := httptest.NewRequest(http.MethodDelete, "/orders/9", nil)
	r.Header.Set("Authorization", "Bearer "+readOnly)
	auth.Middleware(e.v, auth.RequireScopes("orders:write"))(echo(t)).ServeHTTP(httptest.NewRecorder(), r)
	check(t, records(), map[string]any{"msg": "auth: request rejected", "package": "auth", "reason": "insufficient_scope",
		"status": float64(403), "method": "DELETE", "path": "/orders/9", "source_ip": "192.0.2.1", "subject": "user-1", "issuer": e.iss.URL()})

	h := auth.Lambda(e.v, func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{StatusCode: 200}, nil
	})
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "req-42"})
	if _, err := h(ctx, v2Event(nil)); err != nil {
		t.Fatal(err)
	}
	check(t, records(), map[string]any{"package": "auth", "reason": "missing_token", "status": float64(401), "method": "GET",
		"path": "/orders", "request_id": "req-42"})

	// The authorizers' denials carry the same record, with the status API
	// Gateway answers the client.
	const arn = "arn:aws:execute-api:eu-west-1:123456789012:api/prod/GET/orders"
	authz := auth.TokenAuthorizer(e.v, auth.RequireScopes("orders:write"))
	if _, err := authz(ctx, events.APIGatewayCustomAuthorizerRequest{AuthorizationToken: "Bearer " + readOnly,
		MethodArn: arn}); err != nil {
		t.Fatal(err)
	}
	check(t, records(), map[string]any{"msg": "auth: request rejected", "package": "auth", "reason": "insufficient_scope",
		"status": float64(403), "method": "GET", "path": "/orders", "request_id": "req-42", "subject": "user-1"})
	if _, err := authz(ctx, events.APIGatewayCustomAuthorizerRequest{AuthorizationToken: "Bearer x.y.z", MethodArn: arn}); err == nil {
		t.Fatal("a malformed token was not refused")
	}
	check(t, records(), map[string]any{"msg": "auth: request rejected", "package": "auth", "reason": "malformed",
		"status": float64(401), "method": "GET", "path": "/orders", "request_id": "req-42"})

	req := auth.RequestAuthorizer(e.v)
	re := events.APIGatewayCustomAuthorizerRequestTypeRequest{MethodArn: "arn:aws:execute-api:eu-west-1:123456789012:api/prod/POST/orders",
		HTTPMethod: "POST", Path: "/orders"}
	re.RequestContext.Identity.SourceIP = "198.51.100.7"
	if _, err := req(ctx, re); err == nil {
		t.Fatal("a request without a token was not refused")
	}
	check(t, records(), map[string]any{"msg": "auth: request rejected", "package": "auth", "reason": "missing_token",
		"status": float64(401), "method": "POST", "path": "/orders", "source_ip": "198.51.100.7", "request_id": "req-42"})

	simple := auth.SimpleAuthorizer(e.v, auth.RequireScopes("orders:write"))
	se := events.APIGatewayV2CustomAuthorizerV2Request{Headers: map[string]string{"authorization": "Bearer " + readOnly}}
	se.RequestContext.HTTP.Method = "PUT"
	se.RawPath = "/orders/9"
	se.RequestContext.HTTP.Path = "/orders/9"
	se.RequestContext.HTTP.SourceIP = "203.0.113.9"
	if resp, err := simple(ctx, se); err != nil || resp.IsAuthorized {
		t.Fatalf("SimpleAuthorizer = %+v, %v; want a denial", resp, err)
	}
	check(t, records(), map[string]any{"msg": "auth: request rejected", "package": "auth", "reason": "insufficient_scope",
		"status": float64(403), "method": "PUT", "path": "/orders/9", "source_ip": "203.0.113.9", "request_id": "req-42",
		"subject": "user-1", "issuer": e.iss.URL()})
}
