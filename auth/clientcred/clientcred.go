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
// The grant itself is golang.org/x/oauth2/clientcredentials. A Source
// caches the token until shortly before it expires (see
// Config.RefreshBefore), and concurrent callers that find it stale wait for
// one fetch. The client secret stays a secrets.Value, which never prints.
package clientcred

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
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
	// AuthStyle is how the client authenticates; the zero value detects it.
	AuthStyle oauth2.AuthStyle
	// HTTPClient calls the token endpoint. The default has a 10 s timeout.
	HTTPClient *http.Client
	// RefreshBefore is how long before expiry a token is refreshed; zero
	// means DefaultRefreshBefore. It must not be negative.
	RefreshBefore time.Duration
}

// Source is a cached token source for one client. It is safe for
// concurrent use.
type Source struct {
	ts oauth2.TokenSource
}

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
	return &Source{ts: oauth2.ReuseTokenSourceWithExpiry(nil, f, cfg.RefreshBefore)}, nil
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

// Token returns a valid access token, fetching one when the cached token
// is missing or within RefreshBefore of its expiry.
func (s *Source) Token() (*oauth2.Token, error) { return s.ts.Token() }

// Transport returns an http.RoundTripper that sends each request with
// "Authorization: Bearer <token>" through base (http.DefaultTransport when
// nil). The caller's request is not modified.
func (s *Source) Transport(base http.RoundTripper) http.RoundTripper {
	return &oauth2.Transport{Source: s.ts, Base: base}
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
