package auth

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// vtRoutes is an http.Client transport that serves fixed hosts
// (scheme://host) from handlers, with no network, so that tests can stand
// up "remote" https issuers. Other hosts go to the real network (loopback
// test servers).
type vtRoutes map[string]http.HandlerFunc

func (rt vtRoutes) RoundTrip(r *http.Request) (*http.Response, error) {
	h, ok := rt[r.URL.Scheme+"://"+r.URL.Host]
	if !ok {
		return http.DefaultTransport.RoundTrip(r)
	}
	rec := httptest.NewRecorder()
	h(rec, r)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

func vtServe(body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(body) }
}

func vtRedirect(to string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, http.StatusFound) }
}

// TestFetchRule checks the https-or-loopback rule on every fetch: URLs
// learned from an issuer (its jwks_uri, redirects) may use plain http only
// to loopback and only when the configured URL is itself on loopback, and
// a client given with WithHTTPClient follows no redirect that breaks it.
func TestFetchRule(t *testing.T) {
	k := vtKeys()
	jwks := vtJWKS(vtJWK("a1", "", &k.rsaA.PublicKey))
	mux := http.NewServeMux()
	mux.Handle("/jwks", vtServe(jwks))
	mux.Handle("/redirect", vtRedirect("/jwks"))
	local := httptest.NewServer(mux)
	defer local.Close()
	const remote = "https://issuer.example.com"
	discovery := func(jwksURI string) http.HandlerFunc {
		return vtServe([]byte(`{"issuer":"` + remote + `","jwks_uri":"` + jwksURI + `"}`))
	}
	tests := []struct {
		name   string
		routes vtRoutes
		opt    Option
		want   error // nil: New succeeds
	}{
		{"https issuer, https jwks_uri", vtRoutes{remote: discovery("https://keys.example.com/jwks"), "https://keys.example.com": vtServe(jwks)},
			WithIssuer(remote), nil},
		{"https issuer, jwks_uri on loopback http", vtRoutes{remote: discovery(local.URL + "/jwks")},
			WithIssuer(remote), errLoopbackHTTP},
		{"https issuer, jwks_uri on localhost http", vtRoutes{remote: discovery(strings.Replace(local.URL, "127.0.0.1", "localhost", 1))},
			WithIssuer(remote), errLoopbackHTTP},
		{"redirect to plain http", vtRoutes{"https://keys.example.com": vtRedirect("http://keys.example.com/jwks"), "http://keys.example.com": vtServe(jwks)},
			WithIssuerJWKS(remote, "https://keys.example.com/jwks"), errInsecureURL},
		{"redirect to loopback http", vtRoutes{"https://keys.example.com": vtRedirect(local.URL + "/jwks")},
			WithIssuerJWKS(remote, "https://keys.example.com/jwks"), errLoopbackHTTP},
		{"discovery redirected to plain http", vtRoutes{remote: vtRedirect("http://issuer.example.com/.well-known/openid-configuration"),
			"http://issuer.example.com": discovery("https://keys.example.com/jwks"), "https://keys.example.com": vtServe(jwks)},
			WithIssuer(remote), errInsecureURL},
		{"redirect to https", vtRoutes{"https://keys.example.com": vtRedirect("https://cdn.example.com/jwks"), "https://cdn.example.com": vtServe(jwks)},
			WithIssuerJWKS(remote, "https://keys.example.com/jwks"), nil},
		{"loopback JWKS URL configured directly", vtRoutes{},
			WithIssuerJWKS(remote, local.URL+"/jwks"), nil},
		{"loopback source redirected to loopback", vtRoutes{},
			WithIssuerJWKS(remote, local.URL+"/redirect"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client := &http.Client{Transport: tt.routes}
			_, err := New(context.Background(), tt.opt, WithAudience(vtAud), WithHTTPClient(client))
			if !errors.Is(err, tt.want) || (tt.want != nil) != (err != nil) {
				t.Fatalf("New: got %v, want %v", err, tt.want)
			}
			if client.CheckRedirect != nil {
				t.Fatal("New changed the caller's client")
			}
		})
	}
}

// TestFetchRuleHTTPSLoopback: an https source on loopback is an https
// source: neither its jwks_uri nor a redirect may take it to plain http,
// even on loopback. Only a configured plain-http loopback URL may.
func TestFetchRuleHTTPSLoopback(t *testing.T) {
	jwks := vtJWKS(vtJWK("a1", "", &vtKeys().rsaA.PublicKey))
	plain := httptest.NewServer(vtServe(jwks))
	defer plain.Close()
	mux := http.NewServeMux()
	srv := httptest.NewTLSServer(mux)
	defer srv.Close()
	mux.Handle("/.well-known/openid-configuration", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"issuer":"` + srv.URL + `","jwks_uri":"` + plain.URL + `/jwks"}`))
	}))
	mux.Handle("/redirect", vtRedirect(plain.URL+"/jwks"))
	mux.Handle("/jwks", vtServe(jwks))
	tests := []struct {
		name string
		opt  Option
		want error
	}{
		{"https loopback issuer, jwks_uri on loopback http", WithIssuer(srv.URL), errLoopbackHTTP},
		{"https loopback JWKS redirected to loopback http", WithIssuerJWKS(vtIssA, srv.URL+"/redirect"), errLoopbackHTTP},
		{"https loopback JWKS", WithIssuerJWKS(vtIssA, srv.URL+"/jwks"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(context.Background(), tt.opt, WithAudience(vtAud), WithHTTPClient(srv.Client()))
			if !errors.Is(err, tt.want) || (tt.want != nil) != (err != nil) {
				t.Fatalf("New: got %v, want %v", err, tt.want)
			}
		})
	}
}

// TestFetchRuleKeepsClientPolicy checks that the caller's own
// CheckRedirect still runs, after the rule, on its unmodified client.
func TestFetchRuleKeepsClientPolicy(t *testing.T) {
	jwks := vtJWKS(vtJWK("a1", "", &vtKeys().rsaA.PublicKey))
	var calls atomic.Int32
	refuse := errors.New("caller refuses redirects")
	own := func(*http.Request, []*http.Request) error { calls.Add(1); return refuse }
	client := &http.Client{
		Transport:     vtRoutes{"https://keys.example.com": vtRedirect("https://cdn.example.com/jwks"), "https://cdn.example.com": vtServe(jwks)},
		CheckRedirect: own,
	}
	_, err := New(context.Background(), WithIssuerJWKS(vtIssA, "https://keys.example.com/jwks"), WithAudience(vtAud), WithHTTPClient(client))
	if !errors.Is(err, refuse) || calls.Load() != 1 {
		t.Fatalf("New: got %v after %d calls, want the caller's CheckRedirect error after 1", err, calls.Load())
	}
	// The caller's client still holds its own function, not a wrapper.
	if err := client.CheckRedirect(nil, nil); err != refuse || calls.Load() != 2 {
		t.Fatalf("the caller's CheckRedirect was replaced: got %v", err)
	}
}

// TestRedirectLimits checks the redirect limits: 3 redirects with the
// default client, net/http's 10 requests with a caller's client that sets
// none.
func TestRedirectLimits(t *testing.T) {
	var hits atomic.Int32
	loop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, "/again", http.StatusFound)
	}))
	defer loop.Close()
	tests := []struct {
		name string
		opts []Option
		want int32 // requests: the first plus the redirects followed
	}{
		{"default client", nil, 1 + maxRedirects},
		{"caller's client", []Option{WithHTTPClient(&http.Client{})}, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits.Store(0)
			_, err := New(context.Background(), append(tt.opts, WithIssuerJWKS(vtIssA, loop.URL+"/jwks"), WithAudience(vtAud))...)
			if !errors.Is(err, errTooManyHops) {
				t.Fatalf("New: got %v, want too many redirects", err)
			}
			if got := hits.Load(); got != tt.want {
				t.Fatalf("requests: got %d, want %d", got, tt.want)
			}
		})
	}
}
