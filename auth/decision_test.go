package auth_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/auth"
	"github.com/fnshield/fnshield/internal/metrictest"
)

// Each request is one decision: a token that verifies but fails the
// transport's scope check counts as denied only, never also as allowed.
func TestDecisionsCountOncePerRequest(t *testing.T) {
	var mp metrictest.Provider
	e := newTrEnv(t, auth.WithMeterProvider(&mp))
	readOnly := e.token(map[string]any{"scope": "orders:read"})
	writer := e.token(map[string]any{"scope": "orders:write"})

	h := auth.Middleware(e.v, auth.RequireScopes("orders:write"))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	serve := func(token string) int {
		r := httptest.NewRequest(http.MethodGet, "/orders", nil)
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	authz := auth.TokenAuthorizer(e.v, auth.RequireScopes("orders:write"))
	authorize := func(token string) string {
		resp, err := authz(context.Background(), events.APIGatewayCustomAuthorizerRequest{
			Type:               "TOKEN",
			AuthorizationToken: "Bearer " + token,
			MethodArn:          "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/orders",
		})
		if err != nil {
			t.Fatalf("authorizer: %v", err)
		}
		return resp.PolicyDocument.Statement[0].Effect
	}

	steps := []struct {
		name             string
		do               func() string
		want             string
		allowed, denied  int64
		deniedReasonName string
	}{
		{"middleware, missing scope", func() string { return http.StatusText(serve(readOnly)) }, "Forbidden", 0, 1, "insufficient_scope"},
		{"middleware, allowed", func() string { return http.StatusText(serve(writer)) }, "OK", 1, 1, "insufficient_scope"},
		{"middleware, no token", func() string { return http.StatusText(serve("")) }, "Unauthorized", 1, 2, "missing_token"},
		{"authorizer, missing scope", func() string { return authorize(readOnly) }, "Deny", 1, 3, "insufficient_scope"},
		{"authorizer, allowed", func() string { return authorize(writer) }, "Allow", 2, 3, "insufficient_scope"},
	}
	for _, s := range steps {
		if got := s.do(); got != s.want {
			t.Fatalf("%s: got %s, want %s", s.name, got, s.want)
		}
		allowed := mp.Sum("fnshield.auth.decisions", "result", "allowed")
		denied := mp.Sum("fnshield.auth.decisions", "result", "denied")
		if allowed != s.allowed || denied != s.denied {
			t.Fatalf("after %s: allowed=%d denied=%d, want %d and %d", s.name, allowed, denied, s.allowed, s.denied)
		}
		if mp.Sum("fnshield.auth.decisions", "result", "denied", "reason", s.deniedReasonName) == 0 {
			t.Fatalf("after %s: no denial with reason %s recorded", s.name, s.deniedReasonName)
		}
	}
	// Verify called directly is a decision of its own.
	if _, err := e.v.Verify(context.Background(), writer); err != nil {
		t.Fatal(err)
	}
	if got := mp.Sum("fnshield.auth.decisions", "result", "allowed"); got != 3 {
		t.Fatalf("after Verify: allowed=%d, want 3", got)
	}
	if mp.Sum("fnshield.auth.token_cache", "result", "hit") == 0 {
		t.Fatal("no token cache hit recorded for repeated tokens")
	}
}

// The base64url decoder skips CR and LF; the verifier must not, or one
// signed token could be replayed under many spellings (dodging any
// blocklist keyed on the token string) and smuggle line breaks into logs.
func TestVerifyRejectsBytesOutsideBase64URL(t *testing.T) {
	e := newTrEnv(t)
	good := e.token(nil)
	if _, err := e.v.Verify(context.Background(), good); err != nil {
		t.Fatalf("valid token: %v", err)
	}
	d1 := strings.IndexByte(good, '.')
	d2 := d1 + 1 + strings.IndexByte(good[d1+1:], '.')
	for _, pos := range []struct {
		name string
		at   int
	}{{"header", 5}, {"payload", d1 + 5}, {"signature", d2 + 5}, {"end", len(good)}} {
		for _, ins := range []string{"\n", "\r\n", " ", "=", "+", "/", "\x00"} {
			bad := good[:pos.at] + ins + good[pos.at:]
			_, err := e.v.Verify(context.Background(), bad)
			if !errors.Is(err, auth.ErrMalformed) {
				t.Errorf("%q inserted in the %s: got %v, want ErrMalformed", ins, pos.name, err)
			}
		}
	}
}
