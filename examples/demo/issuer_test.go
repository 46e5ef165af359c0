package main

import (
	"context"
	"crypto/ed25519"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fnshield/fnshield/auth"
)

func TestCheckTokenParams(t *testing.T) {
	tests := []struct {
		name, scope, sub string
		ok               bool
	}{
		{"one scope", "orders:write", "dev-user", true},
		{"two scopes", "orders:write orders:read", "user@example.com", true},
		{"no scope", "", "dev-user", true},
		{"double space", "a  b", "dev-user", false},
		{"leading space", " a", "dev-user", false},
		{"quote in scope", `a"b`, "dev-user", false},
		{"control character", "a\nb", "dev-user", false},
		{"non-ASCII scope", "ordérs", "dev-user", false},
		{"long scope", strings.Repeat("a", 257), "dev-user", false},
		{"empty subject", "a", "", false},
		{"long subject", "a", strings.Repeat("u", 65), false},
		{"subject with space", "a", "dev user", false},
		{"subject with quote", "a", `dev"user`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkTokenParams(tt.scope, tt.sub)
			if (err == nil) != tt.ok {
				t.Fatalf("checkTokenParams(%q, %q) = %v, want ok=%v", tt.scope, tt.sub, err, tt.ok)
			}
			if err != nil && tt.sub != "" && strings.Contains(err.Error(), tt.sub) {
				t.Errorf("error %q echoes the input", err)
			}
		})
	}
}

func FuzzCheckTokenParams(f *testing.F) {
	f.Add("orders:write", "dev-user")
	f.Add("a b c", "user@example.com")
	f.Add("", "x")
	f.Add("a\x00b", "u\u00e9")
	f.Fuzz(func(t *testing.T, scope, sub string) {
		if checkTokenParams(scope, sub) != nil {
			return
		}
		// Accepted parameters become claims of a token the demo's
		// verifier must read back unchanged.
		iss := testIssuer(t)
		v := testVerifier(t, iss)
		token, err := iss.mint(map[string]any{"sub": sub, "aud": audience, "scope": scope})
		if err != nil {
			t.Fatal(err)
		}
		c, err := v.Verify(context.Background(), token)
		if err != nil {
			t.Fatalf("accepted scope %q, sub %q: the token does not verify: %v", scope, sub, err)
		}
		if c.Subject != sub || strings.Join(c.Scopes, " ") != scope {
			t.Fatalf("claims %q %q, want %q %q", c.Subject, c.Scopes, sub, scope)
		}
	})
}

// testIssuer is a devIssuer whose URL is a fixed https name: the tests that
// use it verify with static keys, so it is never fetched.
func testIssuer(t testing.TB) *devIssuer {
	t.Helper()
	iss, err := newDevIssuer("https://issuer.test", make([]byte, ed25519.SeedSize), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	return iss
}

// testVerifier verifies iss's tokens with its published key set.
func testVerifier(t testing.TB, iss *devIssuer) *auth.Verifier {
	t.Helper()
	rec := httptest.NewRecorder()
	iss.serveJWKS(rec, httptest.NewRequest(http.MethodGet, "/.well-known/jwks.json", nil))
	v, err := auth.New(context.Background(), auth.WithIssuerKeys(iss.url, rec.Body.Bytes()), auth.WithAudience(audience))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestDevTokenEndpoint(t *testing.T) {
	iss := testIssuer(t)
	v := testVerifier(t, iss)
	tests := []struct {
		name, remote, query string
		status              int
		sub                 string // the verified token's subject, for 200
	}{
		{"loopback", "127.0.0.1:5555", "scope=orders:write", 200, "dev-user"},
		{"IPv6 loopback, chosen subject", "[::1]:5555", "scope=orders:write&sub=alice", 200, "alice"},
		{"other machine", "192.0.2.7:5555", "scope=orders:write", 403, ""},
		{"bad scope", "127.0.0.1:5555", "scope=" + url.QueryEscape("a\"b"), 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/dev/token?"+tt.query, nil)
			req.RemoteAddr = tt.remote
			rec := httptest.NewRecorder()
			iss.serveToken(rec, req)
			body, _ := io.ReadAll(rec.Body)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d (%s)", rec.Code, tt.status, body)
			}
			if tt.status != 200 {
				return
			}
			c, err := v.Verify(context.Background(), strings.TrimSpace(string(body)))
			if err != nil {
				t.Fatalf("the minted token does not verify: %v", err)
			}
			if c.Subject != tt.sub || !c.HasScopes("orders:write") || c.ExpiresAt.Sub(c.IssuedAt) != devTokenLifetime {
				t.Errorf("claims sub %q scopes %v lifetime %v", c.Subject, c.Scopes, c.ExpiresAt.Sub(c.IssuedAt))
			}
			if rec.Header().Get("X-Development-Only") == "" || rec.Header().Get("Cache-Control") != "no-store" {
				t.Errorf("headers %v lack the development-only marking or no-store", rec.Header())
			}
		})
	}
}
