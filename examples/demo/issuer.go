package main

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// devIssuer is a DEVELOPMENT-ONLY OpenID Connect issuer, served by the
// demo's own server so that the demo needs no identity provider: discovery at
// /.well-known/openid-configuration, the public key at /.well-known/jwks.json
// and, for curl, GET /dev/token?scope=... minting a short-lived Ed25519
// token for anyone who asks from this machine.
//
// Never deploy anything like it: a real API trusts a real issuer (Cognito,
// Auth0, Entra ID, Keycloak...) and never mints its own callers' tokens.
//
// A devIssuer is safe for concurrent use.
type devIssuer struct {
	url string             // the issuer identifier: the server's base URL
	key ed25519.PrivateKey // from the signing secret
	kid string             // key ID: a digest of the public key
	now func() time.Time

	discoveries, keyFetches atomic.Int64 // requests served, for the tour
}

// devTokenLifetime is how long /dev/token tokens last.
const devTokenLifetime = 15 * time.Minute

// newDevIssuer returns an issuer for url signing with the Ed25519 key whose
// 32-byte seed is seed.
func newDevIssuer(url string, seed []byte, now func() time.Time) (*devIssuer, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("the signing secret must be a %d-byte Ed25519 seed, base64-encoded", ed25519.SeedSize)
	}
	key := ed25519.NewKeyFromSeed(seed)
	sum := sha256.Sum256(key.Public().(ed25519.PublicKey))
	return &devIssuer{url: url, key: key, kid: base64.RawURLEncoding.EncodeToString(sum[:8]), now: now}, nil
}

// register adds the issuer's routes to mux.
func (iss *devIssuer) register(mux *http.ServeMux) {
	mux.HandleFunc("GET /.well-known/openid-configuration", iss.serveDiscovery)
	mux.HandleFunc("GET /.well-known/jwks.json", iss.serveJWKS)
	mux.HandleFunc("GET /dev/token", iss.serveToken)
}

func (iss *devIssuer) serveDiscovery(w http.ResponseWriter, _ *http.Request) {
	iss.discoveries.Add(1)
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                iss.url,
		"jwks_uri":                              iss.url + "/.well-known/jwks.json",
		"id_token_signing_alg_values_supported": []string{"EdDSA"},
	})
}

func (iss *devIssuer) serveJWKS(w http.ResponseWriter, _ *http.Request) {
	iss.keyFetches.Add(1)
	pub := iss.key.Public().(ed25519.PublicKey)
	writeJSON(w, http.StatusOK, map[string]any{"keys": []map[string]string{{
		"kty": "OKP", "crv": "Ed25519", "use": "sig", "alg": "EdDSA", "kid": iss.kid,
		"x": base64.RawURLEncoding.EncodeToString(pub),
	}}})
}

// serveToken mints a development token: GET /dev/token?scope=a+b&sub=name.
// It answers only clients on a loopback address.
func (iss *devIssuer) serveToken(w http.ResponseWriter, r *http.Request) {
	if !fromLoopback(r) {
		http.Error(w, "development tokens are only minted for loopback clients", http.StatusForbidden)
		return
	}
	q := r.URL.Query()
	scope, sub := q.Get("scope"), q.Get("sub")
	if sub == "" {
		sub = "dev-user"
	}
	if err := checkTokenParams(scope, sub); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	token, err := iss.mint(map[string]any{"sub": sub, "aud": audience, "scope": scope})
	if err != nil {
		http.Error(w, "the token could not be signed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Development-Only", "tokens from /dev/token are for local development only")
	fmt.Fprintln(w, token)
}

// errTokenParams is the error for a /dev/token query the issuer refuses.
var errTokenParams = errors.New("scope: up to 256 bytes of space-separated scope names; sub: 1 to 64 of A-Z a-z 0-9 . _ @ : -")

// checkTokenParams accepts RFC 6749 scope names (printable ASCII but '"' and
// '\', one space between) and a short, plain subject.
func checkTokenParams(scope, sub string) error {
	if len(scope) > 256 || len(sub) == 0 || len(sub) > 64 {
		return errTokenParams
	}
	for _, name := range strings.Split(scope, " ") {
		if name == "" && scope != "" {
			return errTokenParams
		}
		for i := 0; i < len(name); i++ {
			if c := name[i]; c <= ' ' || c > '~' || c == '"' || c == '\\' {
				return errTokenParams
			}
		}
	}
	for i := 0; i < len(sub); i++ {
		c := sub[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("._@:-", c) >= 0) {
			return errTokenParams
		}
	}
	return nil
}

// fromLoopback reports whether r comes from a loopback address.
func fromLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// mint signs claims (plus iss, iat and exp, unless given) as an EdDSA JWT.
func (iss *devIssuer) mint(claims map[string]any) (string, error) {
	now := iss.now()
	full := map[string]any{"iss": iss.url, "iat": now.Unix(), "exp": now.Add(devTokenLifetime).Unix()}
	for k, v := range claims {
		full[k] = v
	}
	return iss.sign(map[string]any{"alg": "EdDSA", "typ": "JWT", "kid": iss.kid}, full)
}

// sign encodes a JWS in compact form; alg "none" leaves the signature empty
// (the tour's forgery, which the verifier must refuse).
func (iss *devIssuer) sign(header, claims map[string]any) (string, error) {
	h, err := json.Marshal(header)
	if err != nil {
		return "", err
	}
	c, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	input := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c)
	if header["alg"] == "none" {
		return input + ".", nil
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(ed25519.Sign(iss.key, []byte(input))), nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
