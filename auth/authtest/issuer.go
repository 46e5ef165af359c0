package authtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Paths served by an Issuer, relative to its issuer URL. [Issuer.Requests]
// takes these.
const (
	DiscoveryPath = "/.well-known/openid-configuration"
	JWKSPath      = "/.well-known/jwks.json"
)

// Option configures an Issuer.
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	alg    string
	aud    string
	maxAge time.Duration
	path   string
	now    func() time.Time
	err    error
}

// DefaultAudience is the audience Mint puts in tokens unless [WithAudience]
// sets another one or the claims set "aud".
const DefaultAudience = "authtest-api"

// WithAlgorithm sets the algorithm the issuer signs with, and so the type of
// its keys: RS256, RS384, RS512, PS256, PS384, PS512 (2048-bit RSA), ES256,
// ES384, ES512 (P-256, P-384, P-521) or EdDSA (Ed25519). The default is
// RS256. [New] reports an unsupported algorithm as an error.
func WithAlgorithm(alg string) Option {
	return optionFunc(func(c *config) { c.alg = alg })
}

// WithAudience sets the audience Mint puts in the "aud" claim of every
// token whose claims do not set "aud" themselves (use [Omit] for a token
// without one). The default is [DefaultAudience]; give the verifier under
// test the same audience (auth.WithAudience(iss.Audience())). [New]
// reports an empty audience as an error.
func WithAudience(aud string) Option {
	return optionFunc(func(c *config) {
		if aud == "" {
			c.err = errors.New("authtest: WithAudience: empty audience (use Omit in Mint's claims for a token without aud)")
			return
		}
		c.aud = aud
	})
}

// WithMaxAge sets the Cache-Control max-age sent with the discovery document
// and the JWK Set. The default is 5 minutes; a negative d sends no
// Cache-Control header at all.
func WithMaxAge(d time.Duration) Option {
	return optionFunc(func(c *config) { c.maxAge = d })
}

// WithIssuerPath appends path to the server URL to form the issuer, so that
// discovery and JWKS are served below it, the way Amazon Cognito serves
// https://cognito-idp.<region>.amazonaws.com/<userPoolId>/.well-known/jwks.json.
// The default is no path: the issuer is the bare server URL.
func WithIssuerPath(path string) Option {
	return optionFunc(func(c *config) {
		c.path = ""
		if p := strings.Trim(path, "/"); p != "" {
			c.path = "/" + p
		}
	})
}

// WithClock sets the clock used for the iat and exp claims that Mint fills
// in. Use the same clock as the verifier under test. The default is
// time.Now.
func WithClock(now func() time.Time) Option {
	return optionFunc(func(c *config) { c.now = now })
}

// Issuer is a test OpenID Connect issuer: an httptest.Server serving a
// discovery document and a JWK Set, plus the private keys to mint tokens
// that verify against them.
//
// The issuer URL ([Issuer.URL]) serves DiscoveryPath, whose issuer member
// is the issuer URL and whose jwks_uri is [Issuer.JWKSURL], and JWKSPath,
// the public keys. Every response carries Cache-Control: max-age (see
// [WithMaxAge]).
//
// Keys: an Issuer starts with one key. [Issuer.Rotate] adds a new key and
// makes it the signer; earlier keys stay published (tokens they signed keep
// verifying) until [Issuer.Retire] unpublishes every key but the signer.
//
// An Issuer is safe for concurrent use.
type Issuer struct {
	tb     testing.TB // nil when made by New
	srv    *httptest.Server
	url    string
	alg    string
	aud    string
	maxAge time.Duration
	now    func() time.Time
	slot   atomic.Int64 // next RSA pool slot

	// mu guards the fields below.
	mu          sync.Mutex
	signer      *signingKey
	published   []*signingKey // oldest first; includes signer
	requests    map[string]int
	jwksFailure int
	discFailure int
}

// issuerSlots spreads issuers over the RSA key pool so that issuers created
// together start from different keys.
var issuerSlots atomic.Int64

// NewIssuer starts an Issuer for the test t and closes its server when the
// test ends. It fails the test if an option is invalid.
func NewIssuer(t testing.TB, opts ...Option) *Issuer {
	t.Helper()
	iss, err := New(opts...)
	if err != nil {
		t.Fatalf("authtest.NewIssuer: %v", err)
	}
	iss.tb = t
	t.Cleanup(iss.Close)
	return iss
}

// New starts an Issuer outside a test, for examples and benchmarks harnesses
// that have no testing.TB. The caller must call [Issuer.Close]. Prefer
// [NewIssuer] in tests.
func New(opts ...Option) (*Issuer, error) {
	c := config{alg: "RS256", aud: DefaultAudience, maxAge: 5 * time.Minute, now: time.Now}
	for _, o := range opts {
		o.apply(&c)
	}
	if c.err != nil {
		return nil, c.err
	}
	if c.now == nil {
		c.now = time.Now
	}
	iss := &Issuer{alg: c.alg, aud: c.aud, maxAge: c.maxAge, now: c.now, requests: make(map[string]int)}
	iss.slot.Store(issuerSlots.Add(1) * 3)
	k, err := iss.newKey()
	if err != nil {
		return nil, err
	}
	iss.signer = k
	iss.published = []*signingKey{k}

	mux := http.NewServeMux()
	mux.HandleFunc("GET "+c.path+DiscoveryPath, iss.serveDiscovery)
	mux.HandleFunc("GET "+c.path+JWKSPath, iss.serveJWKS)
	iss.srv = httptest.NewServer(mux)
	iss.url = iss.srv.URL + strings.TrimSuffix(c.path, "/")
	return iss, nil
}

func (iss *Issuer) newKey() (*signingKey, error) {
	return newSigningKey(iss.alg, int(iss.slot.Add(1)-1))
}

// Close shuts the server down. It is safe to call more than once.
func (iss *Issuer) Close() { iss.srv.Close() }

// URL returns the issuer identifier: the server URL, plus the path given to
// [WithIssuerPath]. Tokens from Mint carry it as iss.
func (iss *Issuer) URL() string { return iss.url }

// Audience returns the audience Mint fills in: [DefaultAudience] unless
// [WithAudience] set another.
func (iss *Issuer) Audience() string { return iss.aud }

// JWKSURL returns the URL of the JWK Set.
func (iss *Issuer) JWKSURL() string { return iss.url + JWKSPath }

// Client returns an HTTP client for the issuer's server.
func (iss *Issuer) Client() *http.Client { return iss.srv.Client() }

// KeyID returns the key ID of the current signing key.
func (iss *Issuer) KeyID() string {
	iss.mu.Lock()
	defer iss.mu.Unlock()
	return iss.signer.kid
}

// Keys returns the JWK Set currently published, as JSON, for use with a
// static key source such as auth.WithIssuerKeys.
func (iss *Issuer) Keys() []byte {
	iss.mu.Lock()
	defer iss.mu.Unlock()
	return iss.keysLocked()
}

// keysLocked encodes the published keys. It requires mu held.
func (iss *Issuer) keysLocked() []byte {
	set := make([]map[string]any, 0, len(iss.published))
	for _, k := range iss.published {
		set = append(set, k.jwk())
	}
	b, _ := json.Marshal(map[string]any{"keys": set})
	return b
}

// Rotate generates a new key, publishes it and makes it the signer. The
// previous keys stay published until [Issuer.Retire]. It returns the new
// key ID.
func (iss *Issuer) Rotate() string {
	k, err := iss.newKey()
	if err != nil {
		iss.fail(fmt.Sprintf("authtest: Rotate: %v", err))
		return ""
	}
	iss.mu.Lock()
	defer iss.mu.Unlock()
	iss.signer = k
	iss.published = append(iss.published, k)
	return k.kid
}

// Retire unpublishes every key except the current signer, as an issuer does
// once tokens signed by old keys have expired.
func (iss *Issuer) Retire() {
	iss.mu.Lock()
	defer iss.mu.Unlock()
	iss.published = []*signingKey{iss.signer}
}

// Requests returns how many times path (DiscoveryPath or JWKSPath) has been
// requested, failed requests included.
func (iss *Issuer) Requests(path string) int {
	iss.mu.Lock()
	defer iss.mu.Unlock()
	return iss.requests[path]
}

// SetJWKSFailure makes the JWK Set endpoint answer with status (for example
// 500 or 503) until it is called again with 0.
func (iss *Issuer) SetJWKSFailure(status int) {
	iss.mu.Lock()
	defer iss.mu.Unlock()
	iss.jwksFailure = status
}

// SetDiscoveryFailure makes the discovery endpoint answer with status until
// it is called again with 0.
func (iss *Issuer) SetDiscoveryFailure(status int) {
	iss.mu.Lock()
	defer iss.mu.Unlock()
	iss.discFailure = status
}

func (iss *Issuer) serveDiscovery(w http.ResponseWriter, r *http.Request) {
	iss.mu.Lock()
	iss.requests[DiscoveryPath]++
	status := iss.discFailure
	iss.mu.Unlock()
	if status != 0 {
		http.Error(w, http.StatusText(status), status)
		return
	}
	doc := map[string]any{
		"issuer":                                iss.url,
		"jwks_uri":                              iss.JWKSURL(),
		"authorization_endpoint":                iss.url + "/authorize",
		"token_endpoint":                        iss.url + "/token",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{iss.alg},
	}
	b, _ := json.Marshal(doc)
	iss.writeJSON(w, b)
}

func (iss *Issuer) serveJWKS(w http.ResponseWriter, r *http.Request) {
	iss.mu.Lock()
	iss.requests[JWKSPath]++
	status := iss.jwksFailure
	var body []byte
	if status == 0 {
		body = iss.keysLocked()
	}
	iss.mu.Unlock()
	if status != 0 {
		http.Error(w, http.StatusText(status), status)
		return
	}
	iss.writeJSON(w, body)
}

func (iss *Issuer) writeJSON(w http.ResponseWriter, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	if iss.maxAge >= 0 {
		h.Set("Cache-Control", "max-age="+strconv.Itoa(int(iss.maxAge/time.Second)))
	}
	_, _ = w.Write(body)
}

// fail reports a misuse: through the test when there is one (Errorf is
// safe from any goroutine), otherwise by panicking, since a test helper
// misused outside a test has no other channel.
func (iss *Issuer) fail(msg string) {
	if iss.tb != nil {
		iss.tb.Helper()
		iss.tb.Errorf("%s", msg)
		return
	}
	panic(msg)
}
