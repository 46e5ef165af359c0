package clientcred_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/fnshield/fnshield/auth/clientcred"
	"github.com/fnshield/fnshield/secrets"
)

const clientSecret = "s3cr3t-client-secret-value"

// tokenServer is a loopback token endpoint that checks the client's
// credentials, from the Authorization header or the form, and counts the
// requests it gets and the tokens it issues.
type tokenServer struct {
	*httptest.Server
	requests  atomic.Int32 // every request, refused or not
	fetches   atomic.Int32 // tokens issued
	expiresIn atomic.Int32
	status    atomic.Int32  // when not zero, every request gets this status
	hold      chan struct{} // when not nil, requests wait until it is closed
	secret    atomic.Value  // string: the secret the endpoint accepts
	lastStyle atomic.Value  // "header" or "form": how the last request sent the secret
}

func newTokenServer(t *testing.T, expiresIn int) *tokenServer {
	return startTokenServer(t, expiresIn, nil)
}

func startTokenServer(t *testing.T, expiresIn int, hold chan struct{}) *tokenServer {
	t.Helper()
	ts := &tokenServer{hold: hold}
	ts.secret.Store(clientSecret)
	ts.expiresIn.Store(int32(expiresIn))
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ts.requests.Add(1)
		if ts.hold != nil {
			<-ts.hold
		}
		if st := ts.status.Load(); st != 0 {
			http.Error(w, "temporarily unavailable", int(st))
			return
		}
		if err := r.ParseForm(); err != nil || r.Form.Get("grant_type") != "client_credentials" {
			http.Error(w, "bad grant", http.StatusBadRequest)
			return
		}
		id, secret, ok := r.BasicAuth()
		ts.lastStyle.Store("header")
		if !ok {
			id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
			ts.lastStyle.Store("form")
		}
		if id != "orders-fn" || secret != ts.secret.Load() {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			// A careless endpoint that echoes what it was sent.
			fmt.Fprintf(w, `{"error":"invalid_client","error_description":"bad secret %s"}`, secret)
			return
		}
		n := ts.fetches.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":"token-%d","token_type":"Bearer","expires_in":%d,"scope":%q}`, n, ts.expiresIn.Load(), r.Form.Get("scope"))
	}))
	t.Cleanup(ts.Close)
	return ts
}

// fakeClock is a clock that moves only when told.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newSource returns a Source for ts with the given Config changes, reading
// the time from clock.
func newSource(t *testing.T, ts *tokenServer, clock *fakeClock, edit func(*clientcred.Config)) *clientcred.Source {
	t.Helper()
	cfg := clientcred.Config{ClientID: "orders-fn", ClientSecret: secrets.NewValue([]byte(clientSecret)), TokenURL: ts.URL}
	if edit != nil {
		edit(&cfg)
	}
	src, err := clientcred.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	clientcred.SetNow(src, clock.Now)
	return src
}

// echoAuth answers with the Authorization header it got.
func echoAuth(t *testing.T) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, r.Header.Get("Authorization"))
	}))
	t.Cleanup(s.Close)
	return s
}

func get(t *testing.T, c *http.Client, url string) string {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func TestTokenFetchedOnceForManyCalls(t *testing.T) {
	ts := newTokenServer(t, 3600)
	api := echoAuth(t)
	src, err := clientcred.New(clientcred.Config{ClientID: "orders-fn", ClientSecret: secrets.NewValue([]byte(clientSecret)),
		TokenURL: ts.URL, Scopes: []string{"billing/charge"}})
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Transport: src.Transport(nil)}
	for range 20 {
		if got := get(t, c, api.URL); got != "Bearer token-1" {
			t.Fatalf("Authorization = %q, want Bearer token-1", got)
		}
	}
	if n := ts.fetches.Load(); n != 1 {
		t.Errorf("token fetches = %d, want 1", n)
	}
}

func TestTokenRefreshedBeforeExpiry(t *testing.T) {
	// A token is reused until min(RefreshBefore, lifetime/2) before its
	// expiry, then replaced on the next call.
	for _, tc := range []struct {
		name          string
		expiresIn     int
		refreshBefore time.Duration
		reusedFor     time.Duration // from the fetch
	}{
		{"30 s token, default margin", 30, 0, 15 * time.Second},
		{"60 s token, default margin", 60, 0, 30 * time.Second},
		{"2 min token, default margin", 120, 0, time.Minute},
		{"1 h token, default margin", 3600, 0, 59 * time.Minute},
		{"30 s token, 1 min margin", 30, time.Minute, 15 * time.Second},
		{"1 h token, 10 min margin", 3600, 10 * time.Minute, 50 * time.Minute},
		{"10 min token, 1 s margin", 600, time.Second, 599 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTokenServer(t, tc.expiresIn)
			clock := &fakeClock{t: time.Now()}
			src := newSource(t, ts, clock, func(c *clientcred.Config) { c.RefreshBefore = tc.refreshBefore })
			for i := range 5 {
				if tok, err := src.Token(); err != nil || tok.AccessToken != "token-1" {
					t.Fatalf("call %d at once = %v, %v; want token-1", i, tok, err)
				}
			}
			clock.Advance(tc.reusedFor - time.Second)
			if tok, err := src.Token(); err != nil || tok.AccessToken != "token-1" {
				t.Fatalf("call 1 s before the refresh = %v, %v; want token-1 reused", tok, err)
			}
			clock.Advance(2 * time.Second)
			if tok, err := src.Token(); err != nil || tok.AccessToken != "token-2" {
				t.Fatalf("call 1 s after the refresh point = %v, %v; want token-2", tok, err)
			}
			if tok, err := src.Token(); err != nil || tok.AccessToken != "token-2" {
				t.Fatalf("next call = %v, %v; want token-2 reused", tok, err)
			}
			if n := ts.fetches.Load(); n != 2 {
				t.Errorf("token fetches = %d, want 2", n)
			}
		})
	}
}

func TestTokenWithoutLifetime(t *testing.T) {
	for _, tc := range []struct {
		name      string
		expiresIn int
		fetches   int32 // after 3 calls a day apart
	}{
		{"no expires_in: reused", 0, 1},
		{"already expired: never reused", -10, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTokenServer(t, tc.expiresIn)
			clock := &fakeClock{t: time.Now()}
			src := newSource(t, ts, clock, nil)
			for range 3 {
				if _, err := src.Token(); err != nil {
					t.Fatal(err)
				}
				clock.Advance(24 * time.Hour)
			}
			if n := ts.fetches.Load(); n != tc.fetches {
				t.Errorf("token fetches = %d, want %d", n, tc.fetches)
			}
		})
	}
}

func TestConcurrentCallsMakeOneFetch(t *testing.T) {
	ts := newTokenServer(t, 3600)
	api := echoAuth(t)
	src, _ := clientcred.New(clientcred.Config{ClientID: "orders-fn", ClientSecret: secrets.NewValue([]byte(clientSecret)), TokenURL: ts.URL})
	c := &http.Client{Transport: src.Transport(nil)}
	var wg sync.WaitGroup
	for range 200 {
		wg.Go(func() {
			if got := get(t, c, api.URL); got != "Bearer token-1" {
				t.Errorf("Authorization = %q", got)
			}
		})
	}
	wg.Wait()
	if n := ts.fetches.Load(); n != 1 {
		t.Errorf("token fetches = %d, want 1 for 200 concurrent calls", n)
	}
}

func TestConcurrentFetchesCoalesce(t *testing.T) {
	// 200 callers ask at once; the endpoint holds the first request until
	// the other 199 are waiting for it, so all share one fetch whether it
	// succeeds or fails.
	for _, tc := range []struct {
		name   string
		status int // 0: the endpoint issues a token
	}{
		{"token issued", 0},
		{"endpoint fails with 500", http.StatusInternalServerError},
		{"client refused", http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const callers = 200
			hold := make(chan struct{})
			ts := startTokenServer(t, 3600, hold)
			ts.status.Store(int32(tc.status))
			src := newSource(t, ts, &fakeClock{t: time.Now()}, nil)
			var joined sync.WaitGroup
			joined.Add(callers - 1)
			clientcred.OnJoin(src, joined.Done)
			var wg sync.WaitGroup
			results := make([]string, callers)
			for i := range callers {
				wg.Go(func() {
					tok, err := src.Token()
					var te *clientcred.TokenError
					switch {
					case err == nil:
						results[i] = tok.AccessToken
					case errors.As(err, &te):
						results[i] = fmt.Sprint(te.Status)
					default:
						results[i] = err.Error()
					}
				})
			}
			allJoined := make(chan struct{})
			go func() { joined.Wait(); close(allJoined) }()
			select {
			case <-allJoined:
			case <-time.After(time.Minute): // a guard against a hang, not a wait
				t.Errorf("after a minute, callers still had not joined the fetch in flight")
			}
			close(hold)
			wg.Wait()
			want := "token-1"
			if tc.status != 0 {
				want = fmt.Sprint(tc.status)
			}
			for i, got := range results {
				if got != want {
					t.Fatalf("caller %d got %q, want %q", i, got, want)
				}
			}
			if n := ts.requests.Load(); n != 1 {
				t.Errorf("token requests = %d, want 1 for %d concurrent calls", n, callers)
			}
		})
	}
}

func TestFailureIsNotCached(t *testing.T) {
	ts := newTokenServer(t, 3600)
	ts.status.Store(http.StatusServiceUnavailable)
	src := newSource(t, ts, &fakeClock{t: time.Now()}, nil)
	var te *clientcred.TokenError
	if _, err := src.Token(); !errors.As(err, &te) || te.Status != http.StatusServiceUnavailable {
		t.Fatalf("err = %v, want a TokenError 503", err)
	}
	ts.status.Store(0)
	if tok, err := src.Token(); err != nil || tok.AccessToken != "token-1" {
		t.Fatalf("call after the failure = %v, %v; want token-1", tok, err)
	}
	if n := ts.requests.Load(); n != 2 {
		t.Errorf("token requests = %d, want 2", n)
	}
}

func TestPanickingFetch(t *testing.T) {
	// The Secret func panics while a second caller waits: the panic reaches
	// the caller that ran the fetch, the waiter gets an error, and the next
	// call fetches again.
	ts := newTokenServer(t, 3600)
	var calls atomic.Int32
	waiting := make(chan struct{})
	src := newSource(t, ts, &fakeClock{t: time.Now()}, func(c *clientcred.Config) {
		c.Secret = func(context.Context) (secrets.Value, error) {
			if calls.Add(1) == 1 {
				select {
				case <-waiting:
				case <-time.After(time.Minute): // a guard against a hang, not a wait
				}
				panic("secret store exploded")
			}
			return secrets.NewValue([]byte(clientSecret)), nil
		}
	})
	clientcred.OnJoin(src, func() { close(waiting) })
	var recovered any
	var wg sync.WaitGroup
	wg.Go(func() {
		defer func() { recovered = recover() }()
		_, _ = src.Token()
	})
	for calls.Load() == 0 {
		runtime.Gosched()
	}
	_, waiterErr := src.Token()
	wg.Wait()
	if recovered != "secret store exploded" {
		t.Errorf("the fetching caller recovered %v, want the panic", recovered)
	}
	if waiterErr == nil || !strings.Contains(waiterErr.Error(), "panicked") {
		t.Errorf("the waiting caller got %v, want an error saying the fetch panicked", waiterErr)
	}
	clientcred.OnJoin(src, nil)
	if tok, err := src.Token(); err != nil || tok.AccessToken != "token-1" {
		t.Errorf("call after the panic = %v, %v; want token-1", tok, err)
	}
}

func TestSecretReadAtEachFetch(t *testing.T) {
	ts := newTokenServer(t, 30)
	clock := &fakeClock{t: time.Now()}
	var reads atomic.Int32
	src := newSource(t, ts, clock, func(c *clientcred.Config) {
		c.ClientSecret = secrets.Value{}
		c.Secret = func(context.Context) (secrets.Value, error) {
			reads.Add(1)
			return secrets.NewValue([]byte(clientSecret)), nil
		}
	})
	for range 3 {
		if _, err := src.Token(); err != nil {
			t.Fatal(err)
		}
		clock.Advance(20 * time.Second) // past the 15 s a 30 s token is reused
	}
	if reads.Load() != 3 {
		t.Errorf("secret read %d times, want once per fetch (3)", reads.Load())
	}
}

func TestClientAuthStyle(t *testing.T) {
	for _, tc := range []struct {
		name      string
		style     oauth2.AuthStyle
		wantStyle string
	}{
		{"default is HTTP Basic", oauth2.AuthStyleAutoDetect, "header"},
		{"header", oauth2.AuthStyleInHeader, "header"},
		{"form", oauth2.AuthStyleInParams, "form"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTokenServer(t, 3600)
			src := newSource(t, ts, &fakeClock{t: time.Now()}, func(c *clientcred.Config) { c.AuthStyle = tc.style })
			if _, err := src.Token(); err != nil {
				t.Fatal(err)
			}
			if got := ts.lastStyle.Load(); got != tc.wantStyle {
				t.Errorf("credentials sent in the %v, want the %s", got, tc.wantStyle)
			}
			// A refusal costs one request: the secret is not sent again
			// in the other style.
			ts.secret.Store("the-rotated-secret")
			src = newSource(t, ts, &fakeClock{t: time.Now()}, func(c *clientcred.Config) { c.AuthStyle = tc.style })
			before := ts.requests.Load()
			var te *clientcred.TokenError
			if _, err := src.Token(); !errors.As(err, &te) || te.Status != http.StatusUnauthorized {
				t.Fatalf("err = %v, want a TokenError 401", err)
			}
			if n := ts.requests.Load() - before; n != 1 {
				t.Errorf("a refused fetch made %d requests, want 1", n)
			}
		})
	}
}

func TestRefusedClient(t *testing.T) {
	ts := newTokenServer(t, 3600)
	ts.secret.Store("the-rotated-secret")
	src, _ := clientcred.New(clientcred.Config{ClientID: "orders-fn", ClientSecret: secrets.NewValue([]byte(clientSecret)), TokenURL: ts.URL})
	_, err := src.Token()
	var te *clientcred.TokenError
	if !errors.As(err, &te) || te.Status != 401 || te.Code != "invalid_client" {
		t.Fatalf("err = %v, want a TokenError 401 invalid_client", err)
	}
	if strings.Contains(err.Error(), clientSecret) {
		t.Errorf("error %q contains the client secret", err)
	}
	// Through the transport, the request is not sent.
	api := echoAuth(t)
	if _, err := (&http.Client{Transport: src.Transport(nil)}).Get(api.URL); err == nil || strings.Contains(err.Error(), clientSecret) {
		t.Errorf("transport err = %v, want a refusal without the secret", err)
	}
}

func TestNewRejectsBadConfiguration(t *testing.T) {
	secret := secrets.NewValue([]byte("x"))
	for name, cfg := range map[string]clientcred.Config{
		"no client ID":       {ClientSecret: secret, TokenURL: "https://a.example/token"},
		"no secret":          {ClientID: "c", TokenURL: "https://a.example/token"},
		"plain http":         {ClientID: "c", ClientSecret: secret, TokenURL: "http://a.example/token"},
		"relative URL":       {ClientID: "c", ClientSecret: secret, TokenURL: "/token"},
		"negative refresh":   {ClientID: "c", ClientSecret: secret, TokenURL: "https://a.example/token", RefreshBefore: -1},
		"http not loopback":  {ClientID: "c", ClientSecret: secret, TokenURL: "http://10.0.0.1/token"},
		"unknown auth style": {ClientID: "c", ClientSecret: secret, TokenURL: "https://a.example/token", AuthStyle: 3},
	} {
		if _, err := clientcred.New(cfg); err == nil {
			t.Errorf("%s: New succeeded", name)
		}
	}
}

func TestConfigDoesNotPrintTheSecret(t *testing.T) {
	cfg := clientcred.Config{ClientID: "c", ClientSecret: secrets.NewValue([]byte(clientSecret)), TokenURL: "https://a.example/token"}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if s := fmt.Sprintf(verb, cfg); strings.Contains(s, clientSecret) {
			t.Errorf("%s prints the secret: %s", verb, s)
		}
	}
	// Nor does a Source holding a token print the secret or the token.
	ts := newTokenServer(t, 3600)
	src := newSource(t, ts, &fakeClock{t: time.Now()}, nil)
	tok, err := src.Token()
	if err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if s := fmt.Sprintf(verb, src); strings.Contains(s, clientSecret) || strings.Contains(s, tok.AccessToken) {
			t.Errorf("%s prints the secret or the token: %s", verb, s)
		}
	}
}

func BenchmarkTokenCached(b *testing.B) {
	// The cost every outgoing call pays once a token is cached.
	var fetches atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetches.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"t","token_type":"Bearer","expires_in":3600}`)
	}))
	b.Cleanup(srv.Close)
	src, err := clientcred.New(clientcred.Config{ClientID: "orders-fn", ClientSecret: secrets.NewValue([]byte(clientSecret)), TokenURL: srv.URL})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := src.Token(); err != nil {
				b.Error(err)
				return
			}
		}
	})
	if n := fetches.Load(); n != 1 {
		b.Errorf("token fetches = %d, want 1", n)
	}
}
