package clientcred_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/fnshield/fnshield/auth/clientcred"
	"github.com/fnshield/fnshield/secrets"
)

const clientSecret = "s3cr3t-client-secret-value"

// tokenServer is a loopback token endpoint that checks the client's
// credentials and counts the tokens it issues.
type tokenServer struct {
	*httptest.Server
	fetches   atomic.Int32
	expiresIn int
	secret    string
}

func newTokenServer(t *testing.T, expiresIn int) *tokenServer {
	ts := &tokenServer{expiresIn: expiresIn, secret: clientSecret}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, secret, ok := r.BasicAuth()
		if err := r.ParseForm(); err != nil || r.Form.Get("grant_type") != "client_credentials" {
			http.Error(w, "bad grant", http.StatusBadRequest)
			return
		}
		if !ok || id != "orders-fn" || secret != ts.secret {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			// A careless endpoint that echoes what it was sent.
			fmt.Fprintf(w, `{"error":"invalid_client","error_description":"bad secret %s"}`, secret)
			return
		}
		n := ts.fetches.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":"token-%d","token_type":"Bearer","expires_in":%d,"scope":%q}`, n, ts.expiresIn, r.Form.Get("scope"))
	}))
	t.Cleanup(ts.Close)
	return ts
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
	// Tokens live 30 s and are refreshed 60 s before they expire: each
	// call finds the cached token too close to expiry and fetches anew.
	ts := newTokenServer(t, 30)
	src, err := clientcred.New(clientcred.Config{ClientID: "orders-fn", ClientSecret: secrets.NewValue([]byte(clientSecret)),
		TokenURL: ts.URL, RefreshBefore: 60e9})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		tok, err := src.Token()
		if err != nil || tok.AccessToken != fmt.Sprintf("token-%d", i) {
			t.Fatalf("token %d = %v, %v", i, tok, err)
		}
	}
	// With the default margin (1 min), a 30-minute token is reused.
	ts.expiresIn = 1800
	src, _ = clientcred.New(clientcred.Config{ClientID: "orders-fn", ClientSecret: secrets.NewValue([]byte(clientSecret)), TokenURL: ts.URL})
	a, _ := src.Token()
	b, _ := src.Token()
	if a.AccessToken != b.AccessToken {
		t.Errorf("tokens %s and %s: a fresh token was not reused", a.AccessToken, b.AccessToken)
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

func TestSecretReadAtEachFetch(t *testing.T) {
	ts := newTokenServer(t, 30) // every call fetches (see above)
	var reads atomic.Int32
	src, _ := clientcred.New(clientcred.Config{ClientID: "orders-fn", TokenURL: ts.URL,
		Secret: func(context.Context) (secrets.Value, error) {
			reads.Add(1)
			return secrets.NewValue([]byte(clientSecret)), nil
		}})
	for range 3 {
		if _, err := src.Token(); err != nil {
			t.Fatal(err)
		}
	}
	if reads.Load() != 3 {
		t.Errorf("secret read %d times, want once per fetch (3)", reads.Load())
	}
}

func TestRefusedClient(t *testing.T) {
	ts := newTokenServer(t, 3600)
	ts.secret = "the-rotated-secret"
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
		"no client ID":      {ClientSecret: secret, TokenURL: "https://a.example/token"},
		"no secret":         {ClientID: "c", TokenURL: "https://a.example/token"},
		"plain http":        {ClientID: "c", ClientSecret: secret, TokenURL: "http://a.example/token"},
		"relative URL":      {ClientID: "c", ClientSecret: secret, TokenURL: "/token"},
		"negative refresh":  {ClientID: "c", ClientSecret: secret, TokenURL: "https://a.example/token", RefreshBefore: -1},
		"http not loopback": {ClientID: "c", ClientSecret: secret, TokenURL: "http://10.0.0.1/token"},
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
}
