package auth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fnshield/fnshield/auth/authtest"
)

// vtOIDC starts an authtest issuer on the test clock and a verifier trusting
// it through discovery.
func vtOIDC(t *testing.T, clock *vtClock, issOpts []authtest.Option, opts ...Option) (*authtest.Issuer, *Verifier) {
	t.Helper()
	iss := authtest.NewIssuer(t, append([]authtest.Option{authtest.WithClock(clock.now)}, issOpts...)...)
	base := []Option{WithIssuer(iss.URL()), WithAudience(vtAud), WithClock(clock.now)}
	v, err := New(context.Background(), append(base, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return iss, v
}

func vtRandomKid() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func TestDiscovery(t *testing.T) {
	clock := newVTClock()
	for _, path := range []string{"", "tenant/", "pool-1"} {
		t.Run("path "+path, func(t *testing.T) {
			var issOpts []authtest.Option
			if path != "" {
				issOpts = append(issOpts, authtest.WithIssuerPath(path))
			}
			iss, v := vtOIDC(t, clock, issOpts)
			tok := iss.Mint(map[string]any{"aud": vtAud, "sub": "u1"})
			c, err := v.Verify(context.Background(), tok)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if c.Issuer != iss.URL() || c.Subject != "u1" {
				t.Fatalf("claims: got iss %q sub %q, want %q u1", c.Issuer, c.Subject, iss.URL())
			}
			if got := iss.Requests(authtest.DiscoveryPath); got != 1 {
				t.Errorf("discovery requests: got %d, want 1", got)
			}
			if got := iss.Requests(authtest.JWKSPath); got != 1 {
				t.Errorf("JWKS requests: got %d, want 1", got)
			}
		})
	}
}

func TestDiscoveryFailures(t *testing.T) {
	var jwksURL string
	tests := []struct {
		name string
		doc  func(issuer string) string
	}{
		{"issuer differs by a trailing slash", func(issuer string) string {
			return `{"issuer":"` + issuer + `/","jwks_uri":"` + jwksURL + `"}`
		}},
		{"issuer of another server", func(string) string {
			return `{"issuer":"https://evil.example.com","jwks_uri":"` + jwksURL + `"}`
		}},
		{"jwks_uri over plain http to a remote host", func(issuer string) string {
			return `{"issuer":"` + issuer + `","jwks_uri":"http://keys.example.com/jwks"}`
		}},
		{"no jwks_uri", func(issuer string) string { return `{"issuer":"` + issuer + `"}` }},
		{"not JSON", func(string) string { return `<html>` }},
		{"JWKS_URI beside jwks_uri", func(issuer string) string {
			return `{"issuer":"` + issuer + `","jwks_uri":"` + jwksURL + `","JWKS_URI":"https://evil.example.com/jwks"}`
		}},
		{"Issuer beside issuer", func(issuer string) string {
			return `{"issuer":"` + issuer + `","Issuer":"https://evil.example.com","jwks_uri":"` + jwksURL + `"}`
		}},
		{"jwks_uri twice", func(issuer string) string {
			return `{"issuer":"` + issuer + `","jwks_uri":"` + jwksURL + `","jwks_uri":"` + jwksURL + `"}`
		}},
	}
	k := vtKeys()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var srv *httptest.Server
			srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case "/.well-known/openid-configuration":
					_, _ = w.Write([]byte(tt.doc(srv.URL)))
				case "/jwks":
					_, _ = w.Write(vtJWKS(vtJWK("a1", "", &k.rsaA.PublicKey)))
				default:
					http.NotFound(w, r)
				}
			}))
			defer srv.Close()
			jwksURL = srv.URL + "/jwks"
			if _, err := New(context.Background(), WithIssuer(srv.URL), WithAudience(vtAud)); err == nil {
				t.Fatal("New: got no error, want one")
			}
		})
	}
	t.Run("discovery endpoint failing", func(t *testing.T) {
		iss := authtest.NewIssuer(t)
		iss.SetDiscoveryFailure(http.StatusInternalServerError)
		if _, err := New(context.Background(), WithIssuer(iss.URL()), WithAudience(vtAud)); err == nil {
			t.Fatal("New: got no error, want one")
		}
	})
	t.Run("JWKS endpoint failing at cold start", func(t *testing.T) {
		iss := authtest.NewIssuer(t)
		iss.SetJWKSFailure(http.StatusServiceUnavailable)
		if _, err := New(context.Background(), WithIssuer(iss.URL()), WithAudience(vtAud)); err == nil {
			t.Fatal("New: got no error, want one")
		}
	})
}

func TestMultipleIssuersAreIsolated(t *testing.T) {
	clock := newVTClock()
	a := authtest.NewIssuer(t, authtest.WithClock(clock.now))
	b := authtest.NewIssuer(t, authtest.WithClock(clock.now), authtest.WithAlgorithm("ES256"))
	v, err := New(context.Background(), WithClock(clock.now), WithAudience(vtAud),
		WithIssuer(a.URL()), WithIssuerJWKS(b.URL(), b.JWKSURL()))
	if err != nil {
		t.Fatal(err)
	}
	aud := map[string]any{"aud": vtAud}
	bTok := b.Mint(aud)
	// A token claiming issuer A but signed by B, under B's kid and A's kid.
	bAsA := b.Mint(map[string]any{"aud": vtAud, "iss": a.URL()})
	bAsAKid := b.MintWith(authtest.MintOptions{Claims: map[string]any{"aud": vtAud, "iss": a.URL()}, KeyID: a.KeyID(), Algorithm: "ES256"})
	aReqs, bReqs := a.Requests(authtest.JWKSPath), b.Requests(authtest.JWKSPath)
	tests := []struct {
		name  string
		token string
		want  error
	}{
		{"A's token", a.Mint(aud), nil},
		{"B's token", bTok, nil},
		{"B's key claiming A, B's kid", bAsA, ErrUnknownKey},
		{"B's key claiming A, A's kid", bAsAKid, ErrBadAlgorithm},
		{"unknown issuer", a.Mint(map[string]any{"aud": vtAud, "iss": "https://unknown.example.com"}), ErrBadIssuer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := v.Verify(context.Background(), tt.token)
			vtWantErr(t, tt.token, err, tt.want)
		})
	}
	// The unknown-kid token refreshed A's set once; the unknown issuer
	// caused no request at all.
	if got := a.Requests(authtest.JWKSPath) - aReqs; got > 1 {
		t.Errorf("A JWKS requests: got %d, want at most 1", got)
	}
	if got := b.Requests(authtest.JWKSPath) - bReqs; got != 0 {
		t.Errorf("B JWKS requests: got %d, want 0", got)
	}
	before := a.Requests(authtest.JWKSPath) + b.Requests(authtest.JWKSPath) + a.Requests(authtest.DiscoveryPath)
	for range 20 {
		tok := a.Mint(map[string]any{"aud": vtAud, "iss": "https://unknown-" + vtRandomKid() + ".example.com"})
		_, err := v.Verify(context.Background(), tok)
		vtWantErr(t, tok, err, ErrBadIssuer)
	}
	if after := a.Requests(authtest.JWKSPath) + b.Requests(authtest.JWKSPath) + a.Requests(authtest.DiscoveryPath); after != before {
		t.Errorf("unknown issuers caused %d requests, want 0", after-before)
	}
}

func TestKeyRotation(t *testing.T) {
	for _, cache := range []int{0, 16} {
		t.Run(fmt.Sprintf("cache %d", cache), func(t *testing.T) {
			clock := newVTClock()
			iss, v := vtOIDC(t, clock, []authtest.Option{authtest.WithMaxAge(10 * time.Minute)}, WithTokenCache(cache))
			aud := map[string]any{"aud": vtAud, "exp": clock.now().Add(time.Hour).Unix()}
			old := iss.Mint(aud)
			if _, err := v.Verify(context.Background(), old); err != nil {
				t.Fatalf("old key before rotation: %v", err)
			}
			iss.Rotate()
			fresh := iss.Mint(aud)
			// The new kid is unknown: one refresh picks it up, even right
			// after cold start.
			if _, err := v.Verify(context.Background(), fresh); err != nil {
				t.Fatalf("new key after rotation: %v", err)
			}
			if got := iss.Requests(authtest.JWKSPath); got != 2 {
				t.Fatalf("JWKS requests: got %d, want 2", got)
			}
			if _, err := v.Verify(context.Background(), old); err != nil {
				t.Fatalf("old key still published: %v", err)
			}
			iss.Retire()
			// Until the set expires, the old key keeps verifying.
			clock.advance(9 * time.Minute)
			if _, err := v.Verify(context.Background(), old); err != nil {
				t.Fatalf("old key before the set expires: %v", err)
			}
			clock.advance(2 * time.Minute)
			_, err := v.Verify(context.Background(), old)
			vtWantErr(t, old, err, ErrUnknownKey)
			if _, err := v.Verify(context.Background(), fresh); err != nil {
				t.Fatalf("new key after retirement: %v", err)
			}
		})
	}
}

func TestUnknownKidFloodIsRateLimited(t *testing.T) {
	clock := newVTClock()
	iss, v := vtOIDC(t, clock, nil)
	flood := func(n int) {
		t.Helper()
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range n / 4 {
					_ = i + w
					tok := vtRaw(`{"alg":"RS256","kid":"`+vtRandomKid()+`"}`,
						`{"iss":"`+iss.URL()+`","aud":"`+vtAud+`","exp":9999999999}`, "c2ln")
					_, err := v.Verify(context.Background(), tok)
					if !errors.Is(err, ErrUnknownKey) {
						t.Errorf("got %v, want ErrUnknownKey", err)
						return
					}
				}
			}()
		}
		wg.Wait()
	}
	steps := []struct {
		advance time.Duration
		want    int // cumulative JWKS requests, including the load in New
	}{
		{0, 2},                // the first unknown kid refreshes at once
		{30 * time.Second, 2}, // within the minute: no refresh
		{31 * time.Second, 3}, // a minute later: one more
		{59 * time.Second, 3}, //
		{time.Second, 4},      //
	}
	for i, s := range steps {
		clock.advance(s.advance)
		flood(1000)
		if got := iss.Requests(authtest.JWKSPath); got != s.want {
			t.Fatalf("step %d: JWKS requests: got %d, want %d", i, got, s.want)
		}
	}
}

func TestJWKSOutage(t *testing.T) {
	clock := newVTClock()
	iss, v := vtOIDC(t, clock, []authtest.Option{authtest.WithMaxAge(10 * time.Minute)}, WithTokenCache(0))
	tok := iss.Mint(map[string]any{"aud": vtAud, "exp": clock.now().Add(48 * time.Hour).Unix()})
	verify := func(want error) {
		t.Helper()
		_, err := v.Verify(context.Background(), tok)
		vtWantErr(t, tok, err, want)
	}
	verify(nil)
	iss.SetJWKSFailure(http.StatusInternalServerError)
	clock.advance(11 * time.Minute) // the set is stale; the refresh fails
	verify(nil)
	reqs := iss.Requests(authtest.JWKSPath)
	for range 50 {
		verify(nil)
	}
	if got := iss.Requests(authtest.JWKSPath); got != reqs {
		t.Fatalf("requests within the retry interval: got %d more, want 0", got-reqs)
	}
	clock.advance(23 * time.Hour)
	verify(nil)
	clock.advance(58 * time.Minute) // 24h09m after the fetch, 23h59m past expiry
	verify(nil)
	clock.advance(2 * time.Minute) // 24h01m past expiry
	_, err := v.Verify(context.Background(), tok)
	vtWantErr(t, tok, err, ErrKeysUnavailable)
	var e *Error
	if !errors.As(err, &e) || e.Status != http.StatusServiceUnavailable {
		t.Fatalf("status: got %+v, want 503", e)
	}
	iss.SetJWKSFailure(0)
	clock.advance(time.Minute)
	verify(nil) // recovered
}

func TestCoalescedRefresh(t *testing.T) {
	clock := newVTClock()
	k := vtKeys()
	var requests atomic.Int32
	gate := make(chan struct{})
	var published atomic.Value
	published.Store(vtJWKS(vtJWK("a1", "", &k.rsaA.PublicKey)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if requests.Add(1) > 1 {
			<-gate
		}
		_, _ = w.Write(published.Load().([]byte))
	}))
	defer srv.Close()
	v, err := New(context.Background(), WithClock(clock.now), WithAudience(vtAud), WithIssuerJWKS(vtIssA, srv.URL), WithTokenCache(0))
	if err != nil {
		t.Fatal(err)
	}
	published.Store(vtJWKS(vtJWK("a1", "", &k.rsaA.PublicKey), vtJWK("b1", "", &k.rsaB.PublicKey)))
	tok := vtSign(t, "RS256", k.rsaB, "b1", nil, vtClaims(vtIssA, clock.now(), nil))
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := v.Verify(context.Background(), tok)
			errs <- err
		}()
	}
	// Wait until the fetch is in flight, then let the others pile up on it.
	for requests.Load() < 2 {
		time.Sleep(time.Millisecond)
	}
	close(gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Verify: %v", err)
		}
	}
	if got := requests.Load(); got != 2 {
		t.Fatalf("JWKS requests: got %d, want 2 (load + one shared refresh)", got)
	}
}

func TestFetchLimits(t *testing.T) {
	k := vtKeys()
	big := `{"keys":[` + `{"kty":"RSA","n":"` + strings.Repeat("A", maxDocument) + `","e":"AQAB"}]}`
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"body over 1 MiB", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(big)) }},
		{"body over 1 MiB, chunked", func(w http.ResponseWriter, r *http.Request) {
			w.(http.Flusher).Flush()
			_, _ = w.Write([]byte(big))
		}},
		{"status 404", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }},
		{"redirect to plain http off loopback", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://keys.example.com/jwks", http.StatusFound)
		}},
	}
	_ = k
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			if _, err := New(context.Background(), WithAudience(vtAud), WithIssuerJWKS(vtIssA, srv.URL)); err == nil {
				t.Fatal("New: got no error, want one")
			}
		})
	}
}

func TestFetchHonoursContext(t *testing.T) {
	entered := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-r.Context().Done()
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-entered
		cancel()
	}()
	_, err := New(ctx, WithAudience(vtAud), WithIssuerJWKS(vtIssA, srv.URL))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("New: got %v, want context.Canceled", err)
	}
}

func TestCacheTTL(t *testing.T) {
	tests := []struct {
		name   string
		header []string
		want   time.Duration
	}{
		{"none", nil, time.Hour},
		{"max-age 600", []string{"public, max-age=600"}, 10 * time.Minute},
		{"below minimum", []string{"max-age=10"}, 5 * time.Minute},
		{"above maximum", []string{"max-age=999999999999"}, 24 * time.Hour},
		{"no-cache", []string{"no-cache"}, 5 * time.Minute},
		{"garbage", []string{"max-age=abc"}, time.Hour},
		{"negative", []string{"max-age=-5"}, time.Hour},
		{"first max-age wins", []string{"max-age=3600", "max-age=7200"}, time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cacheTTL(tt.header); got != tt.want {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCheckFetchURL(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"https://issuer.example.com/jwks", true},
		{"http://127.0.0.1:8080/jwks", true},
		{"http://127.1.2.3/jwks", true},
		{"http://[::1]:80/jwks", true},
		{"http://localhost:9000", true},
		{"http://issuer.example.com/jwks", false},
		{"http://127.0.0.1.example.com/jwks", false},
		{"ftp://issuer.example.com/jwks", false},
		{"https://user:pw@issuer.example.com", false},
		{"/relative", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			_, err := checkFetchURL(tt.url)
			if got := err == nil; got != tt.ok {
				t.Fatalf("got ok=%v, want %v", got, tt.ok)
			}
		})
	}
}

func TestJKUNeverFollowed(t *testing.T) {
	clock := newVTClock()
	var hits atomic.Int32
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer evil.Close()
	iss, v := vtOIDC(t, clock, nil)
	for _, h := range []string{"jku", "x5u"} {
		tok := iss.MintWith(authtest.MintOptions{Claims: map[string]any{"aud": vtAud}, Header: map[string]any{h: evil.URL + "/jwks"}})
		_, err := v.Verify(context.Background(), tok)
		vtWantErr(t, tok, err, ErrMalformed)
	}
	if got := hits.Load(); got != 0 {
		t.Fatalf("jku/x5u server requests: got %d, want 0", got)
	}
}
