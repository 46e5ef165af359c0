package auth

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// blockingJWKS is a loopback JWK Set server whose responses can be held:
// while held, each request signals entered and waits for release.
type blockingJWKS struct {
	srv      *httptest.Server
	jwks     atomic.Value // []byte, the set served
	hold     atomic.Bool
	requests atomic.Int32
	entered  chan struct{}
	release  chan struct{}
	free     func() // closes release, once
}

func newBlockingJWKS(t *testing.T, jwks []byte) *blockingJWKS {
	t.Helper()
	b := &blockingJWKS{entered: make(chan struct{}, 8), release: make(chan struct{})}
	b.jwks.Store(jwks)
	b.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.requests.Add(1)
		if b.hold.Load() {
			b.entered <- struct{}{}
			<-b.release // not r.Context(): the response must come even if the client gave up
		}
		_, _ = w.Write(b.jwks.Load().([]byte))
	}))
	b.free = sync.OnceFunc(func() { close(b.release) })
	t.Cleanup(b.srv.Close)
	t.Cleanup(b.free) // runs first: a failed test must not leave Close waiting on a held request
	return b
}

// newRefreshVerifier returns a verifier of issuer A's tokens, with its
// keys from srv, on a test clock, without the token cache.
func newRefreshVerifier(t *testing.T, srv *blockingJWKS) (*Verifier, *vtClock) {
	t.Helper()
	clock := newVTClock()
	v, err := New(context.Background(), WithClock(clock.now), WithAudience(vtAud),
		WithIssuerJWKS(vtIssA, srv.srv.URL), WithTokenCache(0))
	if err != nil {
		t.Fatal(err)
	}
	return v, clock
}

// TestRefreshSurvivesCancelledCaller is the refresh denial of service: the
// request that starts a key refresh hangs up while the fetch is in flight.
// It must stop waiting at once, the fetch must go on, and a later request
// must get the keys that fetch brought, with no back-off and no second
// fetch.
func TestRefreshSurvivesCancelledCaller(t *testing.T) {
	k := vtKeys()
	oldSet := vtJWKS(vtJWK("a1", "", &k.rsaA.PublicKey))
	newSet := vtJWKS(vtJWK("a1", "", &k.rsaA.PublicKey), vtJWK("b1", "", &k.rsaB.PublicKey))
	tests := []struct {
		name string
		// prepare changes the clock and the served set after New; token
		// is then verified by the cancelled and the later caller.
		prepare func(clock *vtClock, srv *blockingJWKS)
		token   func(clock *vtClock) string
		// wantFirst is the cancelled caller's error.
		wantFirst error
	}{
		{
			name:    "unknown kid refresh",
			prepare: func(_ *vtClock, srv *blockingJWKS) { srv.jwks.Store(newSet) },
			token: func(clock *vtClock) string {
				return vtSign(t, "RS256", k.rsaB, "b1", nil, vtClaims(vtIssA, clock.now(), nil))
			},
			wantFirst: ErrUnknownKey,
		},
		{
			name: "expiry refresh after the stale window",
			prepare: func(clock *vtClock, _ *blockingJWKS) {
				clock.advance(defaultKeysTTL + staleIfError + time.Second)
			},
			token: func(clock *vtClock) string {
				return vtSign(t, "RS256", k.rsaA, "a1", nil, vtClaims(vtIssA, clock.now(), nil))
			},
			wantFirst: ErrKeysUnavailable,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newBlockingJWKS(t, oldSet)
			v, clock := newRefreshVerifier(t, srv)
			tt.prepare(clock, srv)
			tok := tt.token(clock)
			srv.hold.Store(true)

			ctx, cancel := context.WithCancel(context.Background())
			first := make(chan error, 1)
			go func() {
				_, err := v.Verify(ctx, tok)
				first <- err
			}()
			<-srv.entered // the refresh is in flight
			cancel()
			// The cancelled caller returns while the fetch is still held.
			vtWantErr(t, tok, <-first, tt.wantFirst)

			srv.free()
			if _, err := v.Verify(context.Background(), tok); err != nil {
				t.Fatalf("Verify after the cancelled refresh: %v", err)
			}
			if got := srv.requests.Load(); got != 2 {
				t.Fatalf("JWKS requests: got %d, want 2 (load + the one refresh)", got)
			}
		})
	}
}

// TestRefreshForKidAfterRefresh is the window a concurrent caller can hit:
// it reads the key set, a refresh started by another token brings the new
// key and finishes, and only then does this caller ask for an unknown-kid
// refresh. The rate limit the finished refresh set must not refuse it: it
// gets the newer set at once, with no fetch of its own.
func TestRefreshForKidAfterRefresh(t *testing.T) {
	k := vtKeys()
	srv := newBlockingJWKS(t, vtJWKS(vtJWK("a1", "", &k.rsaA.PublicKey)))
	v, clock := newRefreshVerifier(t, srv)
	is := v.issuers[vtIssA]
	seen, err := is.keys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv.jwks.Store(vtJWKS(vtJWK("a1", "", &k.rsaA.PublicKey), vtJWK("b1", "", &k.rsaB.PublicKey)))
	tok := vtSign(t, "RS256", k.rsaB, "b1", nil, vtClaims(vtIssA, clock.now(), nil))
	if _, err := v.Verify(context.Background(), tok); err != nil {
		t.Fatalf("Verify with the new key: %v", err)
	}

	set, err := is.remote.refreshForKid(context.Background(), seen)
	if err != nil {
		t.Fatalf("refreshForKid with the set read before the refresh: %v", err)
	}
	if _, err := set.lookup("b1", true, "RS256"); err != nil {
		t.Errorf("the returned set lacks the new key: %v", err)
	}
	if got := srv.requests.Load(); got != 2 {
		t.Errorf("JWKS requests: got %d, want 2 (load + the one refresh)", got)
	}
	// With the current set, the rate limit still holds.
	if _, err := is.remote.refreshForKid(context.Background(), set); err != errRefreshSkipped {
		t.Errorf("refreshForKid with the current set: err = %v, want errRefreshSkipped", err)
	}
}

// TestExpiryRefreshAfterRefresh is the same window on the expiry path: a
// caller that saw the expired set asks for a refresh after another
// caller's refresh already brought a fresh one. It gets that set, and the
// endpoint is not asked again.
func TestExpiryRefreshAfterRefresh(t *testing.T) {
	k := vtKeys()
	srv := newBlockingJWKS(t, vtJWKS(vtJWK("a1", "", &k.rsaA.PublicKey)))
	v, clock := newRefreshVerifier(t, srv)
	clock.advance(defaultKeysTTL + time.Second)
	is := v.issuers[vtIssA]
	if _, err := is.keys(context.Background()); err != nil { // the other caller's refresh
		t.Fatal(err)
	}
	if _, err := is.remote.refresh(context.Background(), nil); err != nil {
		t.Fatalf("refresh after a refresh: %v", err)
	}
	if got := srv.requests.Load(); got != 2 {
		t.Errorf("JWKS requests: got %d, want 2 (load + the one refresh)", got)
	}
}

// TestRefreshTimeout checks that a detached refresh still ends: a JWKS
// endpoint that never answers fails the refresh after refreshTimeout, and
// that failure starts the retry back-off.
func TestRefreshTimeout(t *testing.T) {
	k := vtKeys() // generated outside the bubble
	synctest.Test(t, func(t *testing.T) {
		var calls atomic.Int32
		client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if calls.Add(1) == 1 {
				return &http.Response{StatusCode: http.StatusOK, Header: http.Header{},
					Body: io.NopCloser(strings.NewReader(string(vtJWKS(vtJWK("a1", "", &k.rsaA.PublicKey))))), Request: r}, nil
			}
			<-r.Context().Done() // hangs until the refresh's own timeout
			return nil, r.Context().Err()
		})}
		v, err := New(context.Background(), WithAudience(vtAud), WithHTTPClient(client),
			WithIssuerJWKS(vtIssA, "https://keys.example.com/jwks"), WithTokenCache(0))
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(defaultKeysTTL + staleIfError + time.Second) // fake time: past the stale window
		tok := vtSign(t, "RS256", k.rsaA, "a1", nil, vtClaims(vtIssA, time.Now(), nil))
		start := time.Now()
		_, err = v.Verify(context.Background(), tok)
		vtWantErr(t, tok, err, ErrKeysUnavailable)
		if waited := time.Since(start); waited != refreshTimeout {
			t.Fatalf("Verify waited %v, want the refresh timeout %v", waited, refreshTimeout)
		}
		_, err = v.Verify(context.Background(), tok) // within the back-off: no new fetch
		vtWantErr(t, tok, err, ErrKeysUnavailable)
		if got := calls.Load(); got != 2 {
			t.Fatalf("fetches: got %d, want 2 (load + one refresh)", got)
		}
	})
}

// TestRefreshPanicReachesWaiters checks that a panic in a detached fetch
// is re-raised in the caller rather than lost or crashing the process.
func TestRefreshPanicReachesWaiters(t *testing.T) {
	k := vtKeys()
	var calls atomic.Int32
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if calls.Add(1) == 1 {
			return &http.Response{StatusCode: http.StatusOK, Header: http.Header{},
				Body: io.NopCloser(strings.NewReader(string(vtJWKS(vtJWK("a1", "", &k.rsaA.PublicKey))))), Request: r}, nil
		}
		panic("transport bug")
	})}
	clock := newVTClock()
	v, err := New(context.Background(), WithAudience(vtAud), WithHTTPClient(client), WithClock(clock.now),
		WithIssuerJWKS(vtIssA, "https://keys.example.com/jwks"), WithTokenCache(0))
	if err != nil {
		t.Fatal(err)
	}
	tok := vtSign(t, "RS256", k.rsaB, "b1", nil, vtClaims(vtIssA, clock.now(), nil))
	got := func() (p any) {
		defer func() { p = recover() }()
		_, _ = v.Verify(context.Background(), tok)
		return nil
	}()
	if got != "transport bug" {
		t.Fatalf("recovered %v, want the fetch's panic", got)
	}
	// The panicked fetch counts as failed: back-off, nothing in flight.
	_, err = v.Verify(context.Background(), tok)
	vtWantErr(t, tok, err, ErrUnknownKey)
	if got := calls.Load(); got != 2 {
		t.Fatalf("fetches: got %d, want 2 (load + the panicked refresh)", got)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
