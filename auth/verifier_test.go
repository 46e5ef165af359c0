package auth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Test fixtures. Keys are generated once per test binary: RSA generation is
// slow, especially under -race.

var vtKeys = sync.OnceValue(func() *vtKeyring {
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	k := &vtKeyring{}
	var err error
	k.rsaA, err = rsa.GenerateKey(rand.Reader, 2048)
	must(err)
	k.rsaB, err = rsa.GenerateKey(rand.Reader, 2048)
	must(err)
	k.ec256, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(err)
	k.ec384, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	must(err)
	k.ec521, err = ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	must(err)
	_, k.ed, err = ed25519.GenerateKey(rand.Reader)
	must(err)
	return k
})

type vtKeyring struct {
	rsaA, rsaB          *rsa.PrivateKey
	ec256, ec384, ec521 *ecdsa.PrivateKey
	ed                  ed25519.PrivateKey
}

// vtWeakRSA is a 1024-bit key, generated on first use (only the weak-key
// tests need it).
var vtWeakRSA = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		panic(err)
	}
	return k
})

const (
	vtIssA = "https://a.example.com/"
	vtIssB = "https://b.example.com"
	vtAud  = "orders-api"
)

var vtSecret = []byte("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")

// vtClock is an injectable clock, safe for concurrent use.
type vtClock struct {
	mu sync.Mutex
	t  time.Time
}

func newVTClock() *vtClock {
	return &vtClock{t: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (c *vtClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *vtClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func vtB64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// vtJWK returns the public JWK of priv with kid and, when non-empty, alg.
func vtJWK(kid, alg string, pub crypto.PublicKey) map[string]any {
	m := map[string]any{"kid": kid, "use": "sig"}
	if alg != "" {
		m["alg"] = alg
	}
	switch p := pub.(type) {
	case *rsa.PublicKey:
		m["kty"] = "RSA"
		m["n"] = vtB64(p.N.Bytes())
		m["e"] = vtB64(big.NewInt(int64(p.E)).Bytes())
	case *ecdsa.PublicKey:
		m["kty"] = "EC"
		m["crv"] = p.Curve.Params().Name
		size := (p.Curve.Params().BitSize + 7) / 8
		m["x"] = vtB64(p.X.FillBytes(make([]byte, size)))
		m["y"] = vtB64(p.Y.FillBytes(make([]byte, size)))
	case ed25519.PublicKey:
		m["kty"] = "OKP"
		m["crv"] = "Ed25519"
		m["x"] = vtB64(p)
	default:
		panic("vtJWK: unsupported key")
	}
	return m
}

func vtJWKS(keys ...map[string]any) []byte {
	b, err := json.Marshal(map[string]any{"keys": keys})
	if err != nil {
		panic(err)
	}
	return b
}

// vtClaims returns valid claims for issuer at now, with overrides applied
// (a nil override value deletes the claim).
func vtClaims(issuer string, now time.Time, overrides map[string]any) jwt.MapClaims {
	c := jwt.MapClaims{
		"iss": issuer,
		"sub": "user-1",
		"aud": vtAud,
		"iat": now.Unix(),
		"exp": now.Add(10 * time.Minute).Unix(),
	}
	for k, v := range overrides {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

// vtSign signs claims with alg and key, with kid (omitted when "") and
// extra header members.
func vtSign(t testing.TB, alg string, key any, kid string, header map[string]any, claims jwt.Claims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.GetSigningMethod(alg), claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	for k, v := range header {
		if v == nil {
			delete(tok.Header, k)
		} else {
			tok.Header[k] = v
		}
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return s
}

// vtRaw builds a token from a raw header and payload (JSON) and signature
// segment.
func vtRaw(header, payload string, sig string) string {
	return vtB64([]byte(header)) + "." + vtB64([]byte(payload)) + "." + sig
}

// vtStaticVerifier trusts vtIssA (RSA A as "a1", P-256 as "e1", Ed25519 as
// "d1") and vtIssB (RSA B as "b1"), with a fixed clock.
func vtStaticVerifier(t testing.TB, clock *vtClock, opts ...Option) *Verifier {
	t.Helper()
	k := vtKeys()
	base := []Option{
		WithIssuerKeys(vtIssA, vtJWKS(
			vtJWK("a1", "", &k.rsaA.PublicKey),
			vtJWK("e1", "ES256", &k.ec256.PublicKey),
			vtJWK("d1", "", k.ed.Public()),
		)),
		WithIssuerKeys(vtIssB, vtJWKS(vtJWK("b1", "RS256", &k.rsaB.PublicKey))),
		WithAudience(vtAud),
		WithClock(clock.now),
	}
	v, err := New(context.Background(), append(base, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return v
}

// vtWantErr checks that err is an *Error with reason want (nil: no error),
// and that its text does not contain the token or its segments.
func vtWantErr(t *testing.T, token string, err error, want error) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("Verify: got error %v, want none", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("Verify: got no error, want %v", want)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("Verify: got %T, want *auth.Error", err)
	}
	if !errors.Is(err, want) {
		t.Fatalf("Verify: got %v, want %v", err, want)
	}
	vtNoLeak(t, token, err)
}

// vtNoLeak fails when err's text contains token or any of its
// dot-separated segments longer than 3 bytes.
func vtNoLeak(t testing.TB, token string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	msg := err.Error()
	if token != "" && strings.Contains(msg, token) {
		t.Fatalf("error text contains the token")
	}
	for _, seg := range strings.Split(token, ".") {
		if len(seg) > 3 && strings.Contains(msg, seg) {
			t.Fatalf("error text %q contains a token segment", msg)
		}
	}
}

func TestVerifyPolicy(t *testing.T) {
	clock := newVTClock()
	k := vtKeys()
	now := clock.now()
	rs := func(over map[string]any) string {
		return vtSign(t, "RS256", k.rsaA, "a1", nil, vtClaims(vtIssA, now, over))
	}
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: vtMust(x509.MarshalPKIXPublicKey(&k.rsaA.PublicKey))})
	valid := rs(nil)
	parts := strings.Split(valid, ".")

	tests := []struct {
		name  string
		token string
		want  error
	}{
		{"valid RS256", valid, nil},
		{"valid PS256", vtSign(t, "PS256", k.rsaA, "a1", nil, vtClaims(vtIssA, now, nil)), nil},
		{"valid ES256", vtSign(t, "ES256", k.ec256, "e1", nil, vtClaims(vtIssA, now, nil)), nil},
		{"valid EdDSA", vtSign(t, "EdDSA", k.ed, "d1", nil, vtClaims(vtIssA, now, nil)), nil},
		{"aud array containing ours", rs(map[string]any{"aud": []string{"other", vtAud}}), nil},
		{"exp just inside leeway", rs(map[string]any{"exp": now.Add(-20 * time.Second).Unix()}), nil},
		{"nbf just inside leeway", rs(map[string]any{"nbf": now.Add(20 * time.Second).Unix()}), nil},
		{"empty token", "", ErrMissingToken},
		{"expired", rs(map[string]any{"exp": now.Add(-31 * time.Second).Unix()}), ErrExpired},
		{"missing exp", rs(map[string]any{"exp": nil}), ErrMalformed},
		{"exp as string", rs(map[string]any{"exp": "2000000000"}), ErrMalformed},
		{"nbf in the future", rs(map[string]any{"nbf": now.Add(time.Minute).Unix()}), ErrNotYetValid},
		{"iat in the future", rs(map[string]any{"iat": now.Add(time.Minute).Unix()}), ErrNotYetValid},
		{"aud mismatch", rs(map[string]any{"aud": "other-api"}), ErrBadAudience},
		{"aud array mismatch", rs(map[string]any{"aud": []string{"x", "y"}}), ErrBadAudience},
		{"aud missing", rs(map[string]any{"aud": nil}), ErrBadAudience},
		{"unknown issuer", rs(map[string]any{"iss": "https://evil.example.com"}), ErrBadIssuer},
		{"issuer differs by trailing slash", rs(map[string]any{"iss": strings.TrimSuffix(vtIssA, "/")}), ErrBadIssuer},
		{"missing issuer", rs(map[string]any{"iss": nil}), ErrBadIssuer},
		{"alg none", vtRaw(`{"alg":"none","kid":"a1"}`, `{"iss":"`+vtIssA+`","aud":"`+vtAud+`","exp":9999999999}`, ""), ErrBadAlgorithm},
		{"alg None", vtRaw(`{"alg":"None"}`, `{"iss":"`+vtIssA+`","aud":"`+vtAud+`","exp":9999999999}`, ""), ErrBadAlgorithm},
		{"alg NONE with signature", vtRaw(`{"alg":"NONE"}`, `{"iss":"`+vtIssA+`","exp":9999999999}`, parts[2]), ErrBadAlgorithm},
		{"alg missing", vtRaw(`{"kid":"a1"}`, `{"iss":"`+vtIssA+`","exp":9999999999}`, parts[2]), ErrBadAlgorithm},
		{"HS256 signed with the RSA public key (key confusion)", vtSign(t, "HS256", pubPEM, "a1", nil, vtClaims(vtIssA, now, nil)), ErrBadAlgorithm},
		{"HS256 confusion without kid", vtSign(t, "HS256", pubPEM, "", nil, vtClaims(vtIssA, now, nil)), ErrBadAlgorithm},
		{"foreign issuer's key under its own kid", vtSign(t, "RS256", k.rsaB, "b1", nil, vtClaims(vtIssA, now, nil)), ErrUnknownKey},
		{"foreign issuer's key under our kid", vtSign(t, "RS256", k.rsaB, "a1", nil, vtClaims(vtIssA, now, nil)), ErrBadSignature},
		{"stripped signature", parts[0] + "." + parts[1], ErrMalformed},
		{"empty signature", parts[0] + "." + parts[1] + ".", ErrBadSignature},
		{"garbled signature", parts[0] + "." + parts[1] + "." + strings.ToUpper(parts[2][:10]) + parts[2][10:], ErrBadSignature},
		{"signature with padding", valid + "==", ErrMalformed}, // "=" is outside base64url: refused before any decoding,
		{"payload swapped", parts[0] + "." + strings.Split(rs(map[string]any{"sub": "admin"}), ".")[1] + "." + parts[2], ErrBadSignature},
		{"too many dots", valid + ".x", ErrMalformed},
		{"oversize", parts[0] + "." + strings.Repeat("A", maxTokenSize) + "." + parts[2], ErrMalformed},
		{"header not base64", "!!!." + parts[1] + "." + parts[2], ErrMalformed},
		{"header not JSON", vtB64([]byte("nope")) + "." + parts[1] + "." + parts[2], ErrMalformed},
		{"payload not JSON", parts[0] + "." + vtB64([]byte("[1,2]")) + "." + parts[2], ErrMalformed},
		{"crit header", vtSign(t, "RS256", k.rsaA, "a1", map[string]any{"crit": []string{"exp"}, "exp": 1}, vtClaims(vtIssA, now, nil)), ErrMalformed},
		{"embedded jwk header", vtSign(t, "RS256", k.rsaA, "a1", map[string]any{"jwk": vtJWK("a1", "", &k.rsaA.PublicKey)}, vtClaims(vtIssA, now, nil)), ErrMalformed},
		{"jku header", vtSign(t, "RS256", k.rsaA, "a1", map[string]any{"jku": "https://evil.example.com/jwks"}, vtClaims(vtIssA, now, nil)), ErrMalformed},
		{"x5u header", vtSign(t, "RS256", k.rsaA, "a1", map[string]any{"x5u": "https://evil.example.com/cert"}, vtClaims(vtIssA, now, nil)), ErrMalformed},
		{"x5c header", vtSign(t, "RS256", k.rsaA, "a1", map[string]any{"x5c": []string{"MIIB"}}, vtClaims(vtIssA, now, nil)), ErrMalformed},
		{"unknown kid", vtSign(t, "RS256", k.rsaA, "zz", nil, vtClaims(vtIssA, now, nil)), ErrUnknownKey},
		{"no kid, one RSA key fits", vtSign(t, "RS256", k.rsaA, "", nil, vtClaims(vtIssA, now, nil)), nil},
		{"ES256 header with an RSA key's kid", vtSign(t, "ES256", k.ec256, "a1", nil, vtClaims(vtIssA, now, nil)), ErrBadAlgorithm},
		{"EdDSA header with the EC key's kid", vtSign(t, "EdDSA", k.ed, "e1", nil, vtClaims(vtIssA, now, nil)), ErrBadAlgorithm},
		{"wrong curve: ES384 with the P-256 kid", vtSign(t, "ES384", k.ec384, "e1", nil, vtClaims(vtIssA, now, nil)), ErrBadAlgorithm},
		{"JWK alg RS256 but header RS384", vtSign(t, "RS384", k.rsaB, "b1", nil, vtClaims(vtIssB, now, nil)), ErrBadAlgorithm},
		{"HS256 not allowed without WithHMAC", vtSign(t, "HS256", vtSecret, "", nil, vtClaims(vtIssA, now, nil)), ErrBadAlgorithm},
	}
	v := vtStaticVerifier(t, clock, WithTokenCache(0))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := v.Verify(context.Background(), tt.token)
			vtWantErr(t, tt.token, err, tt.want)
			if tt.want == nil && (c == nil || c.Subject == "") {
				t.Fatalf("claims: got %+v, want a subject", c)
			}
			if tt.want != nil && c != nil {
				t.Fatalf("claims: got %+v with an error, want nil", c)
			}
		})
	}
}

func vtMust[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestVerifyOptions(t *testing.T) {
	clock := newVTClock()
	k := vtKeys()
	now := clock.now()
	sign := func(header map[string]any, over map[string]any) string {
		return vtSign(t, "RS256", k.rsaA, "a1", header, vtClaims(vtIssA, now, over))
	}
	tests := []struct {
		name  string
		opts  []Option
		token string
		want  error
	}{
		{"typ at+jwt accepted", []Option{WithTokenType("at+jwt")}, sign(map[string]any{"typ": "at+jwt"}, nil), nil},
		{"typ compared case-insensitively", []Option{WithTokenType("at+jwt")}, sign(map[string]any{"typ": "AT+JWT"}, nil), nil},
		{"typ application/at+jwt accepted", []Option{WithTokenType("at+jwt")}, sign(map[string]any{"typ": "application/at+jwt"}, nil), nil},
		{"typ JWT rejected", []Option{WithTokenType("at+jwt")}, sign(map[string]any{"typ": "JWT"}, nil), ErrBadTokenType},
		{"typ missing rejected", []Option{WithTokenType("at+jwt")}, sign(map[string]any{"typ": nil}, nil), ErrBadTokenType},
		{"typ not checked by default", nil, sign(map[string]any{"typ": "whatever"}, nil), nil},
		{"max age: fresh", []Option{WithMaxTokenAge(time.Hour)}, sign(nil, map[string]any{"iat": now.Add(-59 * time.Minute).Unix()}), nil},
		{"max age: too old", []Option{WithMaxTokenAge(time.Hour)}, sign(nil, map[string]any{"iat": now.Add(-2 * time.Hour).Unix()}), ErrExpired},
		{"max age: iat required", []Option{WithMaxTokenAge(time.Hour)}, sign(nil, map[string]any{"iat": nil}), ErrMalformed},
		{"leeway 0: expired a second ago", []Option{WithLeeway(0)}, sign(nil, map[string]any{"exp": now.Add(-time.Second).Unix()}), ErrExpired},
		{"leeway 2m: expired a minute ago", []Option{WithLeeway(2 * time.Minute)}, sign(nil, map[string]any{"exp": now.Add(-time.Minute).Unix()}), nil},
		{"algorithms restricted to ES256", []Option{WithAlgorithms("ES256")}, sign(nil, nil), ErrBadAlgorithm},
		{"second audience accepted", []Option{WithAudience("billing")}, sign(nil, map[string]any{"aud": "billing"}), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := vtStaticVerifier(t, clock, tt.opts...)
			_, err := v.Verify(context.Background(), tt.token)
			vtWantErr(t, tt.token, err, tt.want)
		})
	}
}

func TestWithoutAudienceCheck(t *testing.T) {
	clock := newVTClock()
	k := vtKeys()
	v, err := New(context.Background(), WithClock(clock.now), WithoutAudienceCheck(),
		WithIssuerKeys(vtIssA, vtJWKS(vtJWK("a1", "", &k.rsaA.PublicKey))))
	if err != nil {
		t.Fatal(err)
	}
	for _, aud := range []any{nil, "anything", []string{"x"}} {
		tok := vtSign(t, "RS256", k.rsaA, "a1", nil, vtClaims(vtIssA, clock.now(), map[string]any{"aud": aud}))
		if _, err := v.Verify(context.Background(), tok); err != nil {
			t.Errorf("aud %v: got %v, want no error", aud, err)
		}
	}
}

func TestHMAC(t *testing.T) {
	clock := newVTClock()
	k := vtKeys()
	now := clock.now()
	const issH = "https://hmac.example.com"
	const issShort = "https://hmac-short.example.com"
	short := vtSecret[:32]
	v, err := New(context.Background(), WithClock(clock.now), WithAudience(vtAud),
		WithHMAC(issH, vtSecret), WithHMAC(issShort, short),
		WithIssuerKeys(vtIssA, vtJWKS(vtJWK("a1", "", &k.rsaA.PublicKey))))
	if err != nil {
		t.Fatal(err)
	}
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: vtMust(x509.MarshalPKIXPublicKey(&k.rsaA.PublicKey))})
	tests := []struct {
		name  string
		token string
		want  error
	}{
		{"HS256", vtSign(t, "HS256", vtSecret, "", nil, vtClaims(issH, now, nil)), nil},
		{"HS384 with a kid (ignored)", vtSign(t, "HS384", vtSecret, "any", nil, vtClaims(issH, now, nil)), nil},
		{"HS512", vtSign(t, "HS512", vtSecret, "", nil, vtClaims(issH, now, nil)), nil},
		{"HS256 with a 32-byte secret", vtSign(t, "HS256", short, "", nil, vtClaims(issShort, now, nil)), nil},
		{"HS384 needs a 48-byte secret", vtSign(t, "HS384", short, "", nil, vtClaims(issShort, now, nil)), ErrBadAlgorithm},
		{"HS512 needs a 64-byte secret", vtSign(t, "HS512", short, "", nil, vtClaims(issShort, now, nil)), ErrBadAlgorithm},
		{"wrong secret", vtSign(t, "HS256", []byte("another-secret-of-at-least-32-bytes!!"), "", nil, vtClaims(issShort, now, nil)), ErrBadSignature},
		{"HMAC secret used for the RSA issuer", vtSign(t, "HS256", vtSecret, "", nil, vtClaims(vtIssA, now, nil)), ErrUnknownKey},
		{"HMAC secret under the RSA kid", vtSign(t, "HS256", vtSecret, "a1", nil, vtClaims(vtIssA, now, nil)), ErrBadAlgorithm},
		{"RSA public key as HMAC secret for the RSA issuer", vtSign(t, "HS256", pubPEM, "a1", nil, vtClaims(vtIssA, now, nil)), ErrBadAlgorithm},
		{"RS256 token claiming the HMAC issuer", vtSign(t, "RS256", k.rsaA, "a1", nil, vtClaims(issH, now, nil)), ErrBadAlgorithm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := v.Verify(context.Background(), tt.token)
			vtWantErr(t, tt.token, err, tt.want)
		})
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	k := vtKeys()
	keys := WithIssuerKeys(vtIssA, vtJWKS(vtJWK("a1", "", &k.rsaA.PublicKey)))
	weak := vtJWKS(vtJWK("w1", "", &vtWeakRSA().PublicKey))
	tests := []struct {
		name string
		opts []Option
	}{
		{"no issuer", []Option{WithAudience(vtAud)}},
		{"no audience", []Option{keys}},
		{"empty audience", []Option{keys, WithAudience("")}},
		{"issuer twice", []Option{keys, keys, WithAudience(vtAud)}},
		{"empty issuer", []Option{WithIssuerKeys("", vtJWKS(vtJWK("a1", "", &k.rsaA.PublicKey))), WithAudience(vtAud)}},
		{"alg none", []Option{keys, WithAudience(vtAud), WithAlgorithms("none")}},
		{"unknown alg", []Option{keys, WithAudience(vtAud), WithAlgorithms("RS1")}},
		{"no algs", []Option{keys, WithAudience(vtAud), WithAlgorithms()}},
		{"negative leeway", []Option{keys, WithAudience(vtAud), WithLeeway(-time.Second)}},
		{"huge leeway", []Option{keys, WithAudience(vtAud), WithLeeway(time.Hour)}},
		{"zero max age", []Option{keys, WithAudience(vtAud), WithMaxTokenAge(0)}},
		{"negative cache", []Option{keys, WithAudience(vtAud), WithTokenCache(-1)}},
		{"nil clock", []Option{keys, WithAudience(vtAud), WithClock(nil)}},
		{"nil client", []Option{keys, WithAudience(vtAud), WithHTTPClient(nil)}},
		{"empty token type", []Option{keys, WithAudience(vtAud), WithTokenType("")}},
		{"short HMAC secret", []Option{WithHMAC(vtIssB, []byte("short")), WithAudience(vtAud)}},
		{"HMAC issuer but no HS algorithm", []Option{WithHMAC(vtIssB, vtSecret), WithAudience(vtAud), WithAlgorithms("RS256")}},
		{"JWKS not JSON", []Option{WithIssuerKeys(vtIssA, []byte("nope")), WithAudience(vtAud)}},
		{"JWKS without keys", []Option{WithIssuerKeys(vtIssA, []byte(`{}`)), WithAudience(vtAud)}},
		{"JWKS with only a weak RSA key", []Option{WithIssuerKeys(vtIssA, weak), WithAudience(vtAud)}},
		{"JWKS with only an oct key", []Option{WithIssuerKeys(vtIssA, []byte(`{"keys":[{"kty":"oct","k":"`+vtB64(vtSecret)+`"}]}`)), WithAudience(vtAud)}},
		{"Cognito without client IDs", []Option{WithCognito("eu-west-1", "eu-west-1_abc")}},
		{"Cognito with a bad region", []Option{WithCognito("eu-west-1/../x", "pool", "c")}},
		{"issuer over plain http", []Option{WithIssuer("http://issuer.example.com"), WithAudience(vtAud)}},
		{"JWKS URL over plain http", []Option{WithIssuerJWKS(vtIssA, "http://issuer.example.com/jwks"), WithAudience(vtAud)}},
		{"JWKS URL with user info", []Option{WithIssuerJWKS(vtIssA, "https://u:p@issuer.example.com/jwks"), WithAudience(vtAud)}},
		{"Cognito endpoint over plain http", []Option{WithCognito("eu-west-1", "pool", "c"), WithCognitoEndpoint("http://cognito.example.com")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := New(context.Background(), tt.opts...)
			if err == nil || v != nil {
				t.Fatalf("New: got (%v, %v), want an error", v, err)
			}
		})
	}
}

func TestWeakRSAKeySkipped(t *testing.T) {
	clock := newVTClock()
	k := vtKeys()
	weak := vtWeakRSA()
	v, err := New(context.Background(), WithClock(clock.now), WithAudience(vtAud),
		WithIssuerKeys(vtIssA, vtJWKS(vtJWK("w1", "", &weak.PublicKey), vtJWK("a1", "", &k.rsaA.PublicKey),
			map[string]any{"kty": "RSA", "kid": "enc", "use": "enc", "n": vtB64(k.rsaB.N.Bytes()), "e": "AQAB"})))
	if err != nil {
		t.Fatalf("New: %v (a weak key must be skipped, not fatal)", err)
	}
	now := clock.now()
	for _, tt := range []struct {
		name  string
		token string
		want  error
	}{
		{"weak key's token", vtSign(t, "RS256", weak, "w1", nil, vtClaims(vtIssA, now, nil)), ErrUnknownKey},
		{"encryption key's token", vtSign(t, "RS256", k.rsaB, "enc", nil, vtClaims(vtIssA, now, nil)), ErrUnknownKey},
		{"strong key's token", vtSign(t, "RS256", k.rsaA, "a1", nil, vtClaims(vtIssA, now, nil)), nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := v.Verify(context.Background(), tt.token)
			vtWantErr(t, tt.token, err, tt.want)
		})
	}
}

func TestKidlessNeedsUnambiguousKey(t *testing.T) {
	clock := newVTClock()
	k := vtKeys()
	v, err := New(context.Background(), WithClock(clock.now), WithAudience(vtAud),
		WithIssuerKeys(vtIssA, vtJWKS(vtJWK("a1", "", &k.rsaA.PublicKey), vtJWK("a2", "", &k.rsaB.PublicKey), vtJWK("e1", "", &k.ec256.PublicKey))))
	if err != nil {
		t.Fatal(err)
	}
	now := clock.now()
	// Two RSA keys: a kid-less RS256 token is ambiguous.
	tok := vtSign(t, "RS256", k.rsaA, "", nil, vtClaims(vtIssA, now, nil))
	_, err = v.Verify(context.Background(), tok)
	vtWantErr(t, tok, err, ErrUnknownKey)
	// One P-256 key: a kid-less ES256 token picks it.
	tok = vtSign(t, "ES256", k.ec256, "", nil, vtClaims(vtIssA, now, nil))
	_, err = v.Verify(context.Background(), tok)
	vtWantErr(t, tok, err, nil)
}

func TestErrorFields(t *testing.T) {
	tests := []struct {
		reason error
		code   string
		status int
	}{
		{ErrMissingToken, "", 401},
		{ErrMalformed, "invalid_token", 401},
		{ErrExpired, "invalid_token", 401},
		{ErrBadSignature, "invalid_token", 401},
		{ErrInsufficientScope, "insufficient_scope", 403},
		{ErrForbidden, "", 403},
		{ErrKeysUnavailable, "", 503},
	}
	for _, tt := range tests {
		t.Run(reasonName(tt.reason), func(t *testing.T) {
			cause := errors.New("cause")
			e := newError(tt.reason, cause)
			if e.Code != tt.code || e.Status != tt.status || e.Description == "" {
				t.Fatalf("got code %q status %d desc %q, want %q %d non-empty", e.Code, e.Status, e.Description, tt.code, tt.status)
			}
			if !errors.Is(e, tt.reason) || !errors.Is(e, cause) {
				t.Fatalf("errors.Is: reason or cause not found in %v", e)
			}
			if got, want := e.Error(), tt.reason.Error()+": cause"; got != want {
				t.Fatalf("Error(): got %q, want %q", got, want)
			}
		})
	}
}

// TestVerifyCredentials pins the transports' deferred b64token check: a
// string the cache does not hold is refused as malformed credentials (400,
// invalid_request) before any token check, with the cache on or off.
func TestVerifyCredentials(t *testing.T) {
	clock := newVTClock()
	valid := vtSign(t, "RS256", vtKeys().rsaA, "a1", nil, vtClaims(vtIssA, clock.now(), nil))
	tests := []struct {
		name       string
		token      string
		wantStatus int // 0: verified
		wantCode   string
	}{
		{"valid", valid, 0, ""},
		{"valid again (cached when the cache is on)", valid, 0, ""},
		{"bad character", valid[:20] + "!" + valid[21:], 400, "invalid_request"},
		{"bad character, no dots", "abc!def", 400, "invalid_request"},
		{"space", "a b", 400, "invalid_request"},
		{"only padding", "==", 400, "invalid_request"},
		{"b64token, not base64url", valid + "==", 401, "invalid_token"},
		{"b64token, no dots", "abc~def", 401, "invalid_token"},
	}
	for _, cache := range []int{0, 16} {
		v := vtStaticVerifier(t, clock, WithTokenCache(cache))
		for _, tt := range tests {
			t.Run(fmt.Sprintf("cache %d/%s", cache, tt.name), func(t *testing.T) {
				c, err := v.verifyCredentials(context.Background(), tt.token, true)
				if tt.wantStatus == 0 {
					if err != nil || c == nil {
						t.Fatalf("got %v, want claims", err)
					}
					return
				}
				var e *Error
				if !errors.As(err, &e) || e.Status != tt.wantStatus || e.Code != tt.wantCode || !errors.Is(err, ErrMalformed) {
					t.Fatalf("got %v (%+v), want ErrMalformed with status %d and code %s", err, e, tt.wantStatus, tt.wantCode)
				}
				vtNoLeak(t, tt.token, err)
			})
		}
	}
}

func TestReasonTable(t *testing.T) {
	names := map[string]bool{"ok": true, "other": true}
	for _, ri := range reasonTable {
		if names[ri.name] {
			t.Errorf("reason name %q used twice", ri.name)
		}
		names[ri.name] = true
		if ri.description == "" || ri.status < 400 {
			t.Errorf("%s: description %q status %d", ri.name, ri.description, ri.status)
		}
		if got := reasonName(ri.reason); got != ri.name {
			t.Errorf("reasonName(%v) = %q, want %q", ri.reason, got, ri.name)
		}
	}
	if got := reasonName(errors.New("not a sentinel")); got != "other" {
		t.Errorf("reasonName(unknown) = %q, want other", got)
	}
	if e := newError(errors.New("not a sentinel"), nil); e.Status != 401 || e.Code != "invalid_token" {
		t.Errorf("unknown reason: status %d code %q, want 401 invalid_token", e.Status, e.Code)
	}
}
