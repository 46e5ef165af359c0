package authtest_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/fnshield/fnshield/auth/authtest"
)

// jwkSet is the JSON shape of a JWK Set, decoded independently of authtest.
type jwkSet struct {
	Keys []struct {
		Kty, Kid, Alg, Use, Crv, N, E, X, Y string
	} `json:"keys"`
}

// publicKeys decodes a JWK Set into public keys by kid.
func publicKeys(t *testing.T, data []byte) map[string]crypto.PublicKey {
	t.Helper()
	var set jwkSet
	if err := json.Unmarshal(data, &set); err != nil {
		t.Fatalf("decoding JWK Set: %v", err)
	}
	dec := func(s string) []byte {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			t.Fatalf("decoding JWK member: %v", err)
		}
		return b
	}
	keys := map[string]crypto.PublicKey{}
	for _, k := range set.Keys {
		if k.Use != "sig" || k.Alg == "" || k.Kid == "" {
			t.Errorf("key %q: use=%q alg=%q, want use sig and an alg", k.Kid, k.Use, k.Alg)
		}
		switch k.Kty {
		case "RSA":
			keys[k.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(dec(k.N)), E: int(new(big.Int).SetBytes(dec(k.E)).Int64())}
		case "EC":
			curve := map[string]elliptic.Curve{"P-256": elliptic.P256(), "P-384": elliptic.P384(), "P-521": elliptic.P521()}[k.Crv]
			pt := append(append([]byte{4}, dec(k.X)...), dec(k.Y)...)
			pub, err := ecdsa.ParseUncompressedPublicKey(curve, pt)
			if err != nil {
				t.Fatalf("EC key %q: %v", k.Kid, err)
			}
			keys[k.Kid] = pub
		case "OKP":
			keys[k.Kid] = ed25519.PublicKey(dec(k.X))
		default:
			t.Fatalf("unexpected kty %q", k.Kty)
		}
	}
	return keys
}

// verify checks token against the published keys with golang-jwt, an
// implementation independent of authtest.
func verify(t *testing.T, keys map[string]crypto.PublicKey, token string, algs ...string) (jwt.MapClaims, error) {
	t.Helper()
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(token, claims, func(tok *jwt.Token) (any, error) {
		kid, _ := tok.Header["kid"].(string)
		k, ok := keys[kid]
		if !ok {
			return nil, errors.New("unknown kid")
		}
		return k, nil
	}, jwt.WithValidMethods(algs), jwt.WithExpirationRequired())
	return claims, err
}

func get(t *testing.T, iss *authtest.Issuer, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := iss.Client().Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading %s: %v", url, err)
	}
	return resp, body
}

func TestMintVerifiesForEachAlgorithm(t *testing.T) {
	for _, alg := range []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"} {
		t.Run(alg, func(t *testing.T) {
			iss := authtest.NewIssuer(t, authtest.WithAlgorithm(alg))
			_, body := get(t, iss, iss.JWKSURL())
			keys := publicKeys(t, body)
			if len(keys) != 1 {
				t.Fatalf("published %d keys, want 1", len(keys))
			}
			claims, err := verify(t, keys, iss.Mint(map[string]any{"sub": "user-1"}), alg)
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			if got := claims["sub"]; got != "user-1" {
				t.Errorf("sub = %v, want user-1", got)
			}
		})
	}
}

func TestNewRejectsUnknownAlgorithm(t *testing.T) {
	iss, err := authtest.New(authtest.WithAlgorithm("HS256"))
	if err == nil {
		iss.Close()
		t.Fatal("New(WithAlgorithm(HS256)) succeeded, want an error")
	}
}

func TestWithAudience(t *testing.T) {
	iss := authtest.NewIssuer(t, authtest.WithAudience("orders-api"))
	if got := iss.Audience(); got != "orders-api" {
		t.Fatalf("Audience: got %q, want orders-api", got)
	}
	if got := payload(t, iss.Mint(nil))["aud"]; got != "orders-api" {
		t.Fatalf("aud: got %v, want orders-api", got)
	}
	if got := authtest.NewIssuer(t).Audience(); got != authtest.DefaultAudience {
		t.Fatalf("default Audience: got %q, want %q", got, authtest.DefaultAudience)
	}
	if bad, err := authtest.New(authtest.WithAudience("")); err == nil {
		bad.Close()
		t.Fatal("New(WithAudience(\"\")) succeeded, want an error")
	}
}

func TestMintDefaultsAndOmit(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	iss := authtest.NewIssuer(t, authtest.WithAlgorithm("ES256"), authtest.WithClock(func() time.Time { return now }))
	keys := publicKeys(t, iss.Keys())

	tests := []struct {
		name   string
		claims map[string]any
		want   map[string]any // nil value: member must be absent
	}{
		{"defaults", nil, map[string]any{"iss": iss.URL(), "aud": authtest.DefaultAudience, "iat": float64(now.Unix()), "exp": float64(now.Add(authtest.DefaultLifetime).Unix())}},
		{"caller's aud wins", map[string]any{"aud": []string{"a", "b"}}, map[string]any{"aud": []any{"a", "b"}}},
		{"omit aud", map[string]any{"aud": authtest.Omit}, map[string]any{"aud": nil}},
		{"caller wins", map[string]any{"iss": "https://other.example", "exp": now.Add(time.Hour)}, map[string]any{"iss": "https://other.example", "exp": float64(now.Add(time.Hour).Unix())}},
		{"omit iat and iss", map[string]any{"iat": authtest.Omit, "iss": authtest.Omit}, map[string]any{"iat": nil, "iss": nil}},
		{"custom claims", map[string]any{"scope": "a b", "groups": []string{"admin"}}, map[string]any{"scope": "a b", "groups": []any{"admin"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := iss.Mint(tt.claims)
			claims := payload(t, tok)
			for k, want := range tt.want {
				got, ok := claims[k]
				if want == nil {
					if ok {
						t.Errorf("%s = %v, want absent", k, got)
					}
					continue
				}
				if !jsonEqual(got, want) {
					t.Errorf("%s = %v, want %v", k, got, want)
				}
			}
			// A token whose exp is in the future of the fixed clock (but
			// past for the real one) still carries a valid signature.
			if _, err := verify(t, keys, tok, "ES256"); err != nil && !errors.Is(err, jwt.ErrTokenExpired) {
				t.Errorf("verify: %v", err)
			}
		})
	}

	t.Run("omit exp", func(t *testing.T) {
		_, err := verify(t, keys, iss.Mint(map[string]any{"exp": authtest.Omit}), "ES256")
		if !errors.Is(err, jwt.ErrTokenRequiredClaimMissing) {
			t.Errorf("verify err = %v, want missing exp", err)
		}
	})
}

func jsonEqual(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func segments(t *testing.T, tok string) []string {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d segments, want 3", len(parts))
	}
	return parts
}

func decodeSegment(t *testing.T, seg string) map[string]any {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		t.Fatalf("segment is not base64url: %v", err)
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("segment is not a JSON object: %v", err)
	}
	return m
}

func payload(t *testing.T, tok string) map[string]any {
	t.Helper()
	return decodeSegment(t, segments(t, tok)[1])
}

func header(t *testing.T, tok string) map[string]any {
	t.Helper()
	return decodeSegment(t, segments(t, tok)[0])
}

func TestMintWith(t *testing.T) {
	iss := authtest.NewIssuer(t)
	keys := publicKeys(t, iss.Keys())
	kid := iss.KeyID()

	tests := []struct {
		name       string
		opts       authtest.MintOptions
		algs       []string
		wantErr    error // from golang-jwt; nil means valid
		wantHeader map[string]any
		check      func(t *testing.T, tok string)
	}{
		{name: "zero value is valid", algs: []string{"RS256"}, wantHeader: map[string]any{"alg": "RS256", "typ": "JWT", "kid": kid}},
		{name: "RS384 with the RSA key", opts: authtest.MintOptions{Algorithm: "RS384"}, algs: []string{"RS384"}, wantHeader: map[string]any{"alg": "RS384"}},
		{name: "alg none", opts: authtest.MintOptions{Algorithm: "none"}, algs: []string{"RS256", "none"}, wantErr: jwt.ErrTokenUnverifiable,
			check: func(t *testing.T, tok string) {
				if s := segments(t, tok)[2]; s != "" {
					t.Errorf("signature = %q, want empty", s)
				}
			}},
		{name: "no kid", opts: authtest.MintOptions{NoKeyID: true}, algs: []string{"RS256"}, wantErr: jwt.ErrTokenUnverifiable,
			check: func(t *testing.T, tok string) {
				if _, ok := header(t, tok)["kid"]; ok {
					t.Error("kid present, want absent")
				}
			}},
		{name: "kid override", opts: authtest.MintOptions{KeyID: "nope"}, algs: []string{"RS256"}, wantErr: jwt.ErrTokenUnverifiable, wantHeader: map[string]any{"kid": "nope"}},
		{name: "foreign key", opts: authtest.MintOptions{ForeignKey: true}, algs: []string{"RS256"}, wantErr: jwt.ErrTokenSignatureInvalid, wantHeader: map[string]any{"kid": kid}},
		{name: "stripped signature", opts: authtest.MintOptions{Signature: authtest.SignatureStripped}, algs: []string{"RS256"}, wantErr: jwt.ErrTokenSignatureInvalid},
		{name: "garbled signature", opts: authtest.MintOptions{Signature: authtest.SignatureGarbled}, algs: []string{"RS256"}, wantErr: jwt.ErrTokenSignatureInvalid},
		{name: "extra header members", opts: authtest.MintOptions{Header: map[string]any{"typ": "at+jwt", "crit": []string{"exp"}, "jku": "https://evil.example/jwks"}}, algs: []string{"RS256"},
			wantHeader: map[string]any{"typ": "at+jwt", "crit": []any{"exp"}, "jku": "https://evil.example/jwks"}},
		{name: "omit typ", opts: authtest.MintOptions{Header: map[string]any{"typ": authtest.Omit}}, algs: []string{"RS256"},
			check: func(t *testing.T, tok string) {
				if _, ok := header(t, tok)["typ"]; ok {
					t.Error("typ present, want absent")
				}
			}},
		{name: "raw payload", opts: authtest.MintOptions{Payload: []byte(`{"exp":"soon"`)}, algs: []string{"RS256"}, wantErr: jwt.ErrTokenMalformed},
		{name: "HS256 algorithm confusion", opts: authtest.MintOptions{Algorithm: "HS256"}, algs: []string{"RS256"}, wantErr: jwt.ErrTokenSignatureInvalid,
			check: func(t *testing.T, tok string) {
				// The signature is an HMAC keyed with the PEM public key.
				pemKey := pemOf(t, keys[kid])
				c := jwt.MapClaims{}
				if _, err := jwt.ParseWithClaims(tok, c, func(*jwt.Token) (any, error) { return pemKey, nil }, jwt.WithValidMethods([]string{"HS256"})); err != nil {
					t.Errorf("HMAC with the PEM public key does not verify: %v", err)
				}
			}},
		{name: "HS512 with secret is not an RSA signature", opts: authtest.MintOptions{Algorithm: "HS512", HMACKey: []byte("s3cret")}, algs: []string{"HS512"}, wantErr: jwt.ErrTokenSignatureInvalid, wantHeader: map[string]any{"alg": "HS512"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := iss.MintWith(tt.opts)
			_, err := verify(t, keys, tok, tt.algs...)
			switch {
			case tt.wantErr == nil && err != nil:
				t.Errorf("verify: %v, want valid", err)
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Errorf("verify err = %v, want %v", err, tt.wantErr)
			}
			h := header(t, tok)
			for k, want := range tt.wantHeader {
				if !jsonEqual(h[k], want) {
					t.Errorf("header %s = %v, want %v", k, h[k], want)
				}
			}
			if tt.check != nil {
				tt.check(t, tok)
			}
		})
	}

	t.Run("HMAC secret verifies", func(t *testing.T) {
		tok := iss.MintWith(authtest.MintOptions{Algorithm: "HS512", HMACKey: []byte("s3cret")})
		_, err := jwt.Parse(tok, func(*jwt.Token) (any, error) { return []byte("s3cret"), nil }, jwt.WithValidMethods([]string{"HS512"}))
		if err != nil {
			t.Errorf("verify with the secret: %v", err)
		}
	})
}

func pemOf(t *testing.T, pub crypto.PublicKey) []byte {
	t.Helper()
	rsaPub, ok := pub.(*rsa.PublicKey)
	if !ok {
		t.Fatalf("key is %T, want RSA", pub)
	}
	der, err := x509.MarshalPKIXPublicKey(rsaPub)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

func TestRotateAndRetire(t *testing.T) {
	iss := authtest.NewIssuer(t, authtest.WithAlgorithm("EdDSA"))
	oldKID := iss.KeyID()
	oldTok := iss.Mint(nil)

	newKID := iss.Rotate()
	if newKID == oldKID || iss.KeyID() != newKID {
		t.Fatalf("Rotate returned %q (KeyID %q), old %q: want a new signer", newKID, iss.KeyID(), oldKID)
	}
	newTok := iss.Mint(nil)
	if got := header(t, newTok)["kid"]; got != newKID {
		t.Errorf("new token kid = %v, want %v", got, newKID)
	}

	_, body := get(t, iss, iss.JWKSURL())
	keys := publicKeys(t, body)
	if len(keys) != 2 {
		t.Fatalf("after Rotate published %d keys, want 2", len(keys))
	}
	for name, tok := range map[string]string{"old": oldTok, "new": newTok} {
		if _, err := verify(t, keys, tok, "EdDSA"); err != nil {
			t.Errorf("%s token after Rotate: %v", name, err)
		}
	}

	iss.Retire()
	keys = publicKeys(t, iss.Keys())
	if _, ok := keys[oldKID]; ok || len(keys) != 1 {
		t.Fatalf("after Retire keys = %d (old present %v), want only the signer", len(keys), ok)
	}
	if _, err := verify(t, keys, oldTok, "EdDSA"); err == nil {
		t.Error("old token verifies after Retire")
	}
	if _, err := verify(t, keys, newTok, "EdDSA"); err != nil {
		t.Errorf("new token after Retire: %v", err)
	}
}

func TestDiscoveryAndCaching(t *testing.T) {
	tests := []struct {
		name      string
		opts      []authtest.Option
		wantCache string
		wantPath  string
	}{
		{"defaults", nil, "max-age=300", ""},
		{"max age", []authtest.Option{authtest.WithMaxAge(90 * time.Second)}, "max-age=90", ""},
		{"no cache header", []authtest.Option{authtest.WithMaxAge(-1)}, "", ""},
		{"cognito style path", []authtest.Option{authtest.WithIssuerPath("us-east-1_AbC")}, "max-age=300", "/us-east-1_AbC"},
		{"empty path is no path", []authtest.Option{authtest.WithIssuerPath("")}, "max-age=300", ""},
		{"slashes only is no path", []authtest.Option{authtest.WithIssuerPath("//")}, "max-age=300", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			iss := authtest.NewIssuer(t, tt.opts...)
			if !strings.HasSuffix(iss.URL(), tt.wantPath) || strings.HasSuffix(iss.URL(), "/") {
				t.Errorf("URL() = %q, want suffix %q and no trailing slash", iss.URL(), tt.wantPath)
			}
			resp, body := get(t, iss, iss.URL()+authtest.DiscoveryPath)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("discovery status = %d", resp.StatusCode)
			}
			if got := resp.Header.Get("Cache-Control"); got != tt.wantCache {
				t.Errorf("discovery Cache-Control = %q, want %q", got, tt.wantCache)
			}
			var doc struct {
				Issuer  string `json:"issuer"`
				JWKSURI string `json:"jwks_uri"`
			}
			if err := json.Unmarshal(body, &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Issuer != iss.URL() || doc.JWKSURI != iss.JWKSURL() {
				t.Errorf("discovery = %+v, want issuer %q jwks_uri %q", doc, iss.URL(), iss.JWKSURL())
			}
			resp, _ = get(t, iss, doc.JWKSURI)
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != tt.wantCache {
				t.Errorf("JWKS status %d Cache-Control %q, want 200 %q", resp.StatusCode, resp.Header.Get("Cache-Control"), tt.wantCache)
			}
			if got := iss.Requests(authtest.DiscoveryPath); got != 1 {
				t.Errorf("Requests(discovery) = %d, want 1", got)
			}
			if got := iss.Requests(authtest.JWKSPath); got != 1 {
				t.Errorf("Requests(jwks) = %d, want 1", got)
			}
		})
	}
}

func TestFailures(t *testing.T) {
	iss := authtest.NewIssuer(t)
	iss.SetJWKSFailure(http.StatusServiceUnavailable)
	iss.SetDiscoveryFailure(http.StatusInternalServerError)
	if resp, _ := get(t, iss, iss.JWKSURL()); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("JWKS status = %d, want 503", resp.StatusCode)
	}
	if resp, _ := get(t, iss, iss.URL()+authtest.DiscoveryPath); resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("discovery status = %d, want 500", resp.StatusCode)
	}
	iss.SetJWKSFailure(0)
	iss.SetDiscoveryFailure(0)
	if resp, _ := get(t, iss, iss.JWKSURL()); resp.StatusCode != http.StatusOK {
		t.Errorf("JWKS status after recovery = %d, want 200", resp.StatusCode)
	}
	if got := iss.Requests(authtest.JWKSPath); got != 2 {
		t.Errorf("Requests(jwks) = %d, want 2 (failures count)", got)
	}
}

func TestConcurrentUse(t *testing.T) {
	iss := authtest.NewIssuer(t, authtest.WithAlgorithm("ES256"))
	var wg sync.WaitGroup
	toks := make([]string, 8)
	for i := range toks {
		wg.Go(func() {
			if i == 3 {
				iss.Rotate()
			}
			toks[i] = iss.Mint(map[string]any{"sub": "u"})
			_ = iss.Keys()
		})
	}
	wg.Wait()
	keys := publicKeys(t, iss.Keys())
	for i, tok := range toks {
		if _, err := verify(t, keys, tok, "ES256"); err != nil {
			t.Errorf("token %d: %v", i, err)
		}
	}
}

func TestTwoIssuersHaveDistinctKeys(t *testing.T) {
	a, b := authtest.NewIssuer(t), authtest.NewIssuer(t)
	keysB := publicKeys(t, b.Keys())
	tok := a.MintWith(authtest.MintOptions{KeyID: b.KeyID()})
	if _, err := verify(t, keysB, tok, "RS256"); !errors.Is(err, jwt.ErrTokenSignatureInvalid) {
		t.Errorf("issuer A's token under B's kid: err = %v, want invalid signature", err)
	}
}
