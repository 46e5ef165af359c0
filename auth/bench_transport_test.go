package auth_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/auth"
	"github.com/fnshield/fnshield/auth/authtest"
)

// benchSetup returns a verifier with the token cache on (the default) and a
// realistic access token, already verified once so that every benchmark
// below measures the cached path: what a warm Lambda does for a client that
// repeats its token.
func benchSetup(b *testing.B) (*auth.Verifier, string) {
	b.Helper()
	iss := authtest.NewIssuer(b)
	v, err := auth.New(context.Background(),
		auth.WithIssuerKeys(iss.URL(), iss.Keys()),
		auth.WithAudience("orders-api"),
		auth.WithTokenCache(1024),
	)
	if err != nil {
		b.Fatal(err)
	}
	tok := iss.Mint(map[string]any{
		"sub": "8d1f6c1e-5b7a-4c39-9f1e-2f6f3f0b7c11", "aud": "orders-api",
		"scope": "orders:read orders:write profile", "client_id": "web-frontend",
		"groups": []string{"staff"},
	})
	if _, err := v.Verify(context.Background(), tok); err != nil {
		b.Fatal(err)
	}
	return v, tok
}

// benchV2Event is an HTTP API event shaped like a real one: a dozen
// headers, cookies and a request context.
func benchV2Event(token string) events.APIGatewayV2HTTPRequest {
	e := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: "GET /orders/{id}", RawPath: "/orders/42", RawQueryString: "expand=items",
		Cookies: []string{"theme=dark", "session=abc"},
		Headers: map[string]string{
			"accept": "application/json", "accept-encoding": "gzip, br", "accept-language": "en-GB,en;q=0.9",
			"authorization": "Bearer " + token, "content-length": "0", "host": "api.example.com",
			"user-agent": "Mozilla/5.0", "x-amzn-trace-id": "Root=1-67891233-abcdef012345678912345678",
			"x-forwarded-for": "203.0.113.7", "x-forwarded-port": "443", "x-forwarded-proto": "https",
		},
		QueryStringParameters: map[string]string{"expand": "items"},
		PathParameters:        map[string]string{"id": "42"},
	}
	e.RequestContext.HTTP.Method = "GET"
	e.RequestContext.HTTP.Path = "/orders/42"
	e.RequestContext.HTTP.SourceIP = "203.0.113.7"
	e.RequestContext.DomainName = "api.example.com"
	return e
}

// BenchmarkVerifyOnly is the baseline: Verify on a cached token.
func BenchmarkVerifyOnly(b *testing.B) {
	v, tok := benchSetup(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLambdaV2 is the Lambda wrapper on an HTTP API event with the same
// token and a scope check: its excess over BenchmarkVerifyOnly is the
// transport's overhead (target: < 2 µs and < 10 allocations).
func BenchmarkLambdaV2(b *testing.B) {
	v, tok := benchSetup(b)
	h := auth.Lambda(v, func(ctx context.Context, e events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{StatusCode: 200}, nil
	}, auth.RequireScopes("orders:read"))
	e := benchV2Event(tok)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		resp, err := h(ctx, e)
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("got %d, %v", resp.StatusCode, err)
		}
	}
}

// BenchmarkLambdaV2Reject is a rejection (missing token): the slow path that
// builds the request view and renders a problem response.
func BenchmarkLambdaV2Reject(b *testing.B) {
	v, _ := benchSetup(b)
	h := auth.Lambda(v, func(ctx context.Context, e events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{StatusCode: 200}, nil
	})
	e := benchV2Event("")
	delete(e.Headers, "authorization")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if resp, _ := h(ctx, e); resp.StatusCode != 401 {
			b.Fatalf("got %d", resp.StatusCode)
		}
	}
}

// BenchmarkMiddleware is the net/http middleware with the same token.
func BenchmarkMiddleware(b *testing.B) {
	v, tok := benchSetup(b)
	h := auth.Middleware(v, auth.RequireScopes("orders:read"))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	r := httptest.NewRequest(http.MethodGet, "/orders/42", nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	w := httptest.NewRecorder()
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(w, r)
	}
}
