// Package clientcred gets short-lived OAuth 2.0 access tokens with the
// client-credentials grant (RFC 6749 §4.4) and attaches them to outgoing
// requests: the caller half of a service-to-service call whose callee
// checks the token with an auth.Verifier (audience and scopes).
//
//	src, err := clientcred.New(clientcred.Config{
//		ClientID: "orders-fn",
//		Secret:   func(ctx context.Context) (secrets.Value, error) { return cache.Get(ctx, "prod/orders-fn-client") },
//		TokenURL: "https://auth.example.com/oauth2/token",
//		Scopes:   []string{"billing/charge"},
//	})
//	client := &http.Client{Transport: src.Transport(nil), Timeout: 10 * time.Second}
//
// The grant itself is golang.org/x/oauth2/clientcredentials.
//
// Caching: a Source reuses its token until the token's refresh margin
// before its expiry, and fetches a new one on the first call after that.
// The margin is the smaller of Config.RefreshBefore (default 1 minute) and
// half the token's lifetime, so a 1-hour token is replaced 1 minute before
// it expires and a 30-second token is reused for its first 15 seconds. A
// token without expires_in is reused for the Source's lifetime.
//
// Coalescing: at most one fetch per Source is in flight. Callers that need
// a token while it runs wait for it and share its result, the token or the
// error. A failure is not cached: the first call after a failed fetch
// fetches again at once, so a failing token endpoint sees at most one
// request at a time from a Source, never one per caller.
//
// Client authentication: the client ID and secret are sent in the
// Authorization header with HTTP Basic (RFC 6749 §2.3.1, which every
// authorization server must support), once per fetch. Set Config.AuthStyle
// to oauth2.AuthStyleInParams for a server that wants them in the request
// body instead. The secret stays a secrets.Value, which never prints, and
// the text of this package's errors never contains it; a Source prints as
// "clientcred.Source", without its token.
package clientcred

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/fnshield/fnshield/secrets"
)

// DefaultRefreshBefore is how long before its expiry a token is replaced
// when Config.RefreshBefore is zero.
const DefaultRefreshBefore = time.Minute

// Config describes the client and its token endpoint.
type Config struct {
	// ClientID is the OAuth client ID. Required.
	ClientID string
	// ClientSecret is the client secret. Give it or Secret.
	ClientSecret secrets.Value
	// Secret, when set, reads the client secret at each token fetch, so a
	// rotated secret is picked up; typically a secrets.Cache Get.
	Secret func(ctx context.Context) (secrets.Value, error)
	// TokenURL is the token endpoint: https, or http on a loopback host.
	// Required.
	TokenURL string
	// Scopes are requested with each token.
	Scopes []string
	// EndpointParams are extra form values of the token request, such as
	// "audience".
	EndpointParams url.Values
	// AuthStyle is how the client ID and secret reach the token endpoint.
	// The zero value (oauth2.AuthStyleAutoDetect) means
	// oauth2.AuthStyleInHeader: HTTP Basic, one request per fetch.
	// oauth2.AuthStyleInParams sends them as form values in the request
	// body. x/oauth2's auto-detection is not offered: on a refusal it
	// retries in the other style, sending the secret twice.
	AuthStyle oauth2.AuthStyle
	// HTTPClient calls the token endpoint. The default has a 10 s timeout.
	HTTPClient *http.Client
	// RefreshBefore is how long before expiry a token is refreshed, at
	// most half the token's lifetime (see the package doc); zero means
	// DefaultRefreshBefore. It must not be negative.
	RefreshBefore time.Duration
}

// Source is a cached token source for one client: it implements
// oauth2.TokenSource. Caching and coalescing follow the package doc. It is
// safe for concurrent use; create it with New (the zero value is not
// usable).
type Source struct {
	fetch         func() (*oauth2.Token, error) // one grant, uncached
	refreshBefore time.Duration
	now           func() time.Time // time.Now; tests replace it
	joined        func()           // nil; tests observe callers joining a fetch

	mu        sync.Mutex
	tok       *oauth2.Token // the cached token, nil before the first fetch
	refreshAt time.Time     // on the now clock: when tok stops being reused
	inflight  *fetchCall    // the fetch in progress, nil when none
}

// fetchCall is one fetch shared by the callers that wait for it. tok and
// err are written before done is closed and only read after.
type fetchCall struct {
	done chan struct{}
	tok  *oauth2.Token
	err  error
}

// errFetchPanicked is what callers sharing a fetch get when it panicked;
// the panic itself goes on in the caller that ran the fetch.
var errFetchPanicked = errors.New("clientcred: the token fetch panicked")

// TokenError is the error for a token request the endpoint refused. Its
// text gives the status and the OAuth error code, never the secret or the
// response body; Err keeps oauth2's *RetrieveError for inspection.
type TokenError struct {
	Status int    // the HTTP status of the token endpoint's answer
	Code   string // the OAuth error code, such as "invalid_client"
	Err    error
}

func (e *TokenError) Error() string {
	s := fmt.Sprintf("clientcred: the token endpoint refused the request: %d %s", e.Status, http.StatusText(e.Status))
	if e.Code != "" {
		s += " (" + e.Code + ")"
	}
	return s
}

func (e *TokenError) Unwrap() error { return e.Err }

// New returns the Source for cfg.
func New(cfg Config) (*Source, error) {
	switch {
	case cfg.ClientID == "":
		return nil, errors.New("clientcred: Config.ClientID is required")
	case cfg.Secret == nil && len(cfg.ClientSecret.Bytes()) == 0:
		return nil, errors.New("clientcred: Config.ClientSecret or Config.Secret is required")
	case cfg.RefreshBefore < 0:
		return nil, fmt.Errorf("clientcred: Config.RefreshBefore %v is negative", cfg.RefreshBefore)
	}
	switch cfg.AuthStyle {
	case oauth2.AuthStyleAutoDetect:
		cfg.AuthStyle = oauth2.AuthStyleInHeader
	case oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams:
	default:
		return nil, fmt.Errorf("clientcred: Config.AuthStyle %d is not AuthStyleInHeader or AuthStyleInParams", cfg.AuthStyle)
	}
	if err := checkTokenURL(cfg.TokenURL); err != nil {
		return nil, err
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.RefreshBefore == 0 {
		cfg.RefreshBefore = DefaultRefreshBefore
	}
	f := &fetcher{cfg: cfg}
	return &Source{fetch: f.Token, refreshBefore: cfg.RefreshBefore, now: time.Now}, nil
}

// checkTokenURL accepts https URLs, and http ones on a loopback host.
func checkTokenURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return fmt.Errorf("clientcred: Config.TokenURL %q is not an absolute URL", s)
	}
	if u.Scheme == "https" {
		return nil
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); u.Scheme == "http" && (host == "localhost" || ip != nil && ip.IsLoopback()) {
		return nil
	}
	return fmt.Errorf("clientcred: Config.TokenURL %q must be https (http only on loopback)", s)
}

// Token returns the cached access token, or fetches one when there is none
// or the cached one is within its refresh margin of expiry (see the package
// doc). A caller that arrives while a fetch is in flight waits for it and
// gets its result. The token is shared: callers must not modify it.
func (s *Source) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	if s.tok != nil && s.now().Before(s.refreshAt) {
		tok := s.tok
		s.mu.Unlock()
		return tok, nil
	}
	c := s.inflight
	if c != nil {
		s.mu.Unlock()
		if s.joined != nil {
			s.joined()
		}
		<-c.done
		return c.tok, c.err
	}
	c = &fetchCall{done: make(chan struct{})}
	s.inflight = c
	s.mu.Unlock()
	s.run(c)
	return c.tok, c.err
}

// run performs the fetch c for every caller waiting on it. A panic in the
// fetch reaches this caller; the waiting ones get errFetchPanicked.
func (s *Source) run(c *fetchCall) {
	returned := false
	defer func() {
		if !returned {
			c.tok, c.err = nil, errFetchPanicked
		}
		s.mu.Lock()
		if c.err == nil {
			s.tok, s.refreshAt = c.tok, s.reuseUntil(c.tok)
		}
		s.inflight = nil
		s.mu.Unlock()
		close(c.done)
	}()
	c.tok, c.err = s.fetch()
	returned = true
}

// reuseUntil is when tok, just fetched, stops being reused, on the s.now
// clock: its expiry less min(refreshBefore, lifetime/2). x/oauth2 sets
// Expiry from the wall clock, so the lifetime is measured on that clock
// and then placed on s.now's. Requires s.mu held.
func (s *Source) reuseUntil(tok *oauth2.Token) time.Time {
	now := s.now()
	if tok.Expiry.IsZero() {
		return now.Add(time.Duration(math.MaxInt64))
	}
	lifetime := time.Until(tok.Expiry)
	if lifetime <= 0 {
		return now
	}
	return now.Add(lifetime - min(s.refreshBefore, lifetime/2))
}

// Format prints s as "clientcred.Source" with every verb, so that neither
// its token nor its secret reaches a log line.
func (s *Source) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, "clientcred.Source") }

// Transport returns an http.RoundTripper that sends each request with
// "Authorization: Bearer <token>" through base (http.DefaultTransport when
// nil). The caller's request is not modified.
func (s *Source) Transport(base http.RoundTripper) http.RoundTripper {
	return &oauth2.Transport{Source: s, Base: base}
}

// fetcher runs one client-credentials grant per Token call.
type fetcher struct {
	cfg Config
}

func (f *fetcher) Token() (*oauth2.Token, error) {
	timeout := f.cfg.HTTPClient.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	secret := f.cfg.ClientSecret
	if f.cfg.Secret != nil {
		v, err := f.cfg.Secret(ctx)
		if err != nil {
			return nil, fmt.Errorf("clientcred: reading the client secret: %w", err)
		}
		secret = v
	}
	cc := clientcredentials.Config{
		ClientID:       f.cfg.ClientID,
		ClientSecret:   secret.Reveal(),
		TokenURL:       f.cfg.TokenURL,
		Scopes:         f.cfg.Scopes,
		EndpointParams: f.cfg.EndpointParams,
		AuthStyle:      f.cfg.AuthStyle,
	}
	tok, err := cc.Token(context.WithValue(ctx, oauth2.HTTPClient, f.cfg.HTTPClient))
	if err == nil {
		return tok, nil
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		return nil, &TokenError{Status: re.Response.StatusCode, Code: re.ErrorCode, Err: err}
	}
	return nil, fmt.Errorf("clientcred: the token request failed: %w", err)
}
