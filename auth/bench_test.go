package auth

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// vtBenchToken is a typical access token: registered claims plus scope,
// client_id and a custom claim, RS256 with a 2048-bit key.
func vtBenchToken(b *testing.B) string {
	b.Helper()
	now := time.Now()
	return vtSign(b, "RS256", vtKeys().rsaA, "a1", nil, jwt.MapClaims{
		"iss": vtIssA, "sub": "user-123456", "aud": vtAud, "jti": "4f1c6e1a-5b7d-4f2a-9a47-1f0c2f3d9b8e",
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix(),
		"scope": "orders:read orders:write", "client_id": "web-app", "tenant": "acme",
	})
}

func vtBenchVerifier(b *testing.B, opts ...Option) *Verifier {
	b.Helper()
	v, err := New(context.Background(), append([]Option{
		WithIssuerKeys(vtIssA, vtJWKS(vtJWK("a1", "RS256", &vtKeys().rsaA.PublicKey))),
		WithAudience(vtAud),
	}, opts...)...)
	if err != nil {
		b.Fatal(err)
	}
	return v
}

// BenchmarkVerify is Verify of an RS256 token with the token cache off:
// every call decodes, looks the key up and checks the signature.
func BenchmarkVerify(b *testing.B) {
	tok := vtBenchToken(b)
	v := vtBenchVerifier(b, WithTokenCache(0))
	ctx := context.Background()
	b.ReportAllocs()
	done := measureCPU(b)
	for b.Loop() {
		if _, err := v.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
	done()
}

// BenchmarkVerifyCached is Verify of a repeated token with the cache on.
func BenchmarkVerifyCached(b *testing.B) {
	tok := vtBenchToken(b)
	v := vtBenchVerifier(b)
	ctx := context.Background()
	b.ReportAllocs()
	done := measureCPU(b)
	for b.Loop() {
		if _, err := v.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
	done()
}

// BenchmarkJWTParseMapClaims is the baseline: golang-jwt's ParseWithClaims
// with MapClaims (what jwt.Parse uses, and what most users write), a fixed
// key and the same checks (method, issuer, audience, exp required).
func BenchmarkJWTParseMapClaims(b *testing.B) {
	tok := vtBenchToken(b)
	pub := &vtKeys().rsaA.PublicKey
	keyfunc := func(*jwt.Token) (any, error) { return pub, nil }
	p := jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuer(vtIssA),
		jwt.WithAudience(vtAud), jwt.WithExpirationRequired(), jwt.WithLeeway(30*time.Second))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.ParseWithClaims(tok, jwt.MapClaims{}, keyfunc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJWTParseRegisteredClaims is the same baseline with
// RegisteredClaims, golang-jwt's leanest claims type.
func BenchmarkJWTParseRegisteredClaims(b *testing.B) {
	tok := vtBenchToken(b)
	pub := &vtKeys().rsaA.PublicKey
	keyfunc := func(*jwt.Token) (any, error) { return pub, nil }
	p := jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuer(vtIssA),
		jwt.WithAudience(vtAud), jwt.WithExpirationRequired(), jwt.WithLeeway(30*time.Second))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.ParseWithClaims(tok, &jwt.RegisteredClaims{}, keyfunc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyRejectOversize is the cost of an attacker-sized token.
func BenchmarkVerifyRejectOversize(b *testing.B) {
	tok := strings.Repeat("A", 1<<20) + ".b.c"
	v := vtBenchVerifier(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, tok); err == nil {
			b.Fatal("accepted")
		}
	}
}

// BenchmarkVerifyRejectUnknownIssuer is the cost of a well-formed token
// from an issuer not configured (no signature check, no network).
func BenchmarkVerifyRejectUnknownIssuer(b *testing.B) {
	tok := vtSign(b, "RS256", vtKeys().rsaA, "a1", nil, vtClaims("https://evil.example.com", time.Now(), nil))
	v := vtBenchVerifier(b, WithTokenCache(0))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, tok); err == nil {
			b.Fatal("accepted")
		}
	}
}

// BenchmarkClaimsClone is the copy every cache hit makes so that callers
// cannot change what the next request sees (typical claims: one audience,
// two scopes, one group).
func BenchmarkClaimsClone(b *testing.B) {
	c := &Claims{Issuer: vtIssA, Subject: "user-123456", Audience: []string{vtAud},
		Scopes: []string{"orders:read", "orders:write"}, Groups: []string{"staff"}, raw: []byte(`{}`)}
	b.ReportAllocs()
	done := measureCPU(b)
	for b.Loop() {
		if c.clone() == c {
			b.Fatal("not a copy")
		}
	}
	done()
}
