package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// maxDocument bounds discovery and JWKS response bodies.
const maxDocument = 1 << 20

// Cache lifetime of a fetched key set: the response's Cache-Control
// max-age, clamped to [minKeysTTL, maxKeysTTL], defaultKeysTTL without one.
const (
	minKeysTTL     = 5 * time.Minute
	maxKeysTTL     = 24 * time.Hour
	defaultKeysTTL = time.Hour
	maxRedirects   = 3
)

var (
	errInsecureURL    = errors.New("URL must be https (plain http only on a loopback host)")
	errLoopbackHTTP   = errors.New("plain http to a loopback host is only allowed when the configured URL is on loopback too")
	errFetchStatus    = errors.New("unexpected HTTP status")
	errTooLarge       = errors.New("response body larger than 1 MiB")
	errDiscoveryDoc   = errors.New("invalid OpenID configuration document")
	errIssuerMismatch = errors.New("discovery issuer does not equal the configured issuer")
	errTooManyHops    = errors.New("too many redirects")
)

// checkFetchURL applies the https-or-loopback rule to a URL the caller
// configured (an issuer, a JWKS URL, a Cognito endpoint): https URLs are
// accepted; http URLs only when the host is a loopback address
// (127.0.0.0/8, ::1) or "localhost", so that tests against httptest work
// while nothing real is ever fetched in the clear. User info is refused.
func checkFetchURL(raw string) (*url.URL, error) {
	return checkURL(raw, true)
}

// checkURL applies the https-or-loopback rule; loopbackHTTP says whether
// plain http to a loopback host is allowed at all (see fetcher). The error
// names the URL, without its user info: configured URLs and the ones an
// issuer publishes are not secrets, and naming them makes a mistake
// obvious.
func checkURL(raw string, loopbackHTTP bool) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: not a URL", errInsecureURL)
	}
	if u.Host == "" || u.User != nil || u.Opaque != "" {
		return nil, fmt.Errorf("%w: %s", errInsecureURL, u.Redacted())
	}
	switch u.Scheme {
	case "https":
		return u, nil
	case "http":
		if isLoopback(u.Hostname()) {
			if !loopbackHTTP {
				return nil, fmt.Errorf("%w: %s", errLoopbackHTTP, u.Redacted())
			}
			return u, nil
		}
	}
	return nil, fmt.Errorf("%w: %s", errInsecureURL, u.Redacted())
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// isLoopbackHTTPURL reports whether raw parses as a plain http URL whose
// host is a loopback address or "localhost". Only such a configured URL
// lets its fetches use plain http: an https source, even one on loopback,
// never downgrades, through its jwks_uri or a redirect.
func isLoopbackHTTPURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && strings.EqualFold(u.Scheme, "http") && isLoopback(u.Hostname())
}

// defaultHTTPClient returns the client used when WithHTTPClient is not
// given: a bounded overall timeout and at most maxRedirects redirects
// (newFetcher adds the https-or-loopback rule to every client).
func defaultHTTPClient() *http.Client {
	return &http.Client{
		Timeout: defaultTimeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects { // via holds the requests made so far
				return errTooManyHops
			}
			return nil
		},
	}
}

// fetcher performs the bounded GETs for discovery and key sets. Every URL
// it fetches, redirects included, obeys the https-or-loopback rule, with
// plain http to a loopback host only when loopback is set, which New does
// for the sources whose configured URL is itself on loopback: an https
// issuer cannot send a fetch to http://127.0.0.1, through its discovery
// document or a redirect.
type fetcher struct {
	client   *http.Client // a copy of the configured client, its redirects checked
	loopback bool
	tel      *telemetry
}

// newFetcher returns a fetcher using a shallow copy of client whose
// CheckRedirect applies the rule to each redirect target before the
// client's own CheckRedirect (or, without one, net/http's default limit of
// 10 redirects). client itself is not modified.
func newFetcher(client *http.Client, loopback bool, tel *telemetry) *fetcher {
	guarded := *client
	next := client.CheckRedirect
	guarded.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if _, err := checkURL(req.URL.String(), loopback); err != nil {
			return err
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 { // as net/http's default policy
			return errTooManyHops
		}
		return nil
	}
	return &fetcher{client: &guarded, loopback: loopback, tel: tel}
}

// check applies the fetcher's rule to raw.
func (f *fetcher) check(raw string) (*url.URL, error) {
	return checkURL(raw, f.loopback)
}

// get fetches rawURL and returns its body (at most 1 MiB) and the
// lifetime its Cache-Control allows. The span is named spanName.
func (f *fetcher) get(ctx context.Context, spanName, issuer, rawURL string) ([]byte, time.Duration, error) {
	ctx, span := f.tel.tracer.Start(ctx, spanName, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attribute.String("fnshield.auth.issuer", issuer), attribute.String("url.full", rawURL)))
	defer span.End()
	body, ttl, err := f.doGet(ctx, rawURL)
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, "fetch failed")
	}
	return body, ttl, err
}

func (f *fetcher) doGet(ctx context.Context, rawURL string) ([]byte, time.Duration, error) {
	u, err := f.check(rawURL)
	if err != nil {
		return nil, 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		return nil, 0, fmt.Errorf("%w %d from %s", errFetchStatus, resp.StatusCode, u.Redacted())
	}
	if resp.ContentLength > maxDocument {
		return nil, 0, fmt.Errorf("%w: %s", errTooLarge, u.Redacted())
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxDocument+1))
	if err != nil {
		return nil, 0, err
	}
	if len(body) > maxDocument {
		return nil, 0, fmt.Errorf("%w: %s", errTooLarge, u.Redacted())
	}
	return body, cacheTTL(resp.Header.Values("Cache-Control")), nil
}

// cacheTTL reads max-age from Cache-Control and clamps it to
// [minKeysTTL, maxKeysTTL]; no-store and no-cache count as the minimum.
func cacheTTL(values []string) time.Duration {
	ttl, found := defaultKeysTTL, false
	for _, v := range values {
		for d := range strings.SplitSeq(v, ",") {
			d = strings.TrimSpace(d)
			name, val, _ := strings.Cut(d, "=")
			switch strings.ToLower(name) {
			case "max-age":
				n, err := strconv.ParseInt(strings.Trim(val, `"`), 10, 64)
				if err == nil && n >= 0 && !found {
					ttl, found = time.Duration(min(n, int64(maxKeysTTL/time.Second)))*time.Second, true
				}
			case "no-store", "no-cache":
				ttl, found = minKeysTTL, true
			}
		}
	}
	return min(max(ttl, minKeysTTL), maxKeysTTL)
}

// discoveryURL is where an issuer's OpenID configuration lives.
func discoveryURL(issuer string) string {
	return strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration"
}

// discover runs OpenID Connect discovery for issuer and returns its
// jwks_uri, after checking that the document names exactly this issuer.
func (f *fetcher) discover(ctx context.Context, issuer string) (string, error) {
	if _, err := checkFetchURL(issuer); err != nil {
		return "", err
	}
	docURL := discoveryURL(issuer)
	body, _, err := f.get(ctx, "fnshield.auth.discovery", issuer, docURL)
	if err != nil {
		return "", err
	}
	// Members are matched exactly; "Issuer" or "JWKS_URI" beside them, or
	// either twice, makes the document ambiguous and so invalid.
	var v [2][]byte
	var docIssuer, jwksURI string
	if scanObject(body, []string{"issuer", "jwks_uri"}, v[:], foldRejected) != nil ||
		stringValue(v[0], &docIssuer) != nil || stringValue(v[1], &jwksURI) != nil || jwksURI == "" {
		return "", fmt.Errorf("%w at %s", errDiscoveryDoc, docURL)
	}
	if docIssuer != issuer {
		return "", fmt.Errorf("%w: the document at %s says %s, the configured issuer is %q",
			errIssuerMismatch, docURL, quoteBounded(docIssuer), issuer)
	}
	if _, err := f.check(jwksURI); err != nil {
		return "", fmt.Errorf("jwks_uri: %w", err)
	}
	return jwksURI, nil
}

// maxQuoted bounds how much of a value read from the network an error
// quotes.
const maxQuoted = 200

// quoteBounded quotes s for an error message, cut to maxQuoted bytes.
func quoteBounded(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	return strconv.Quote(s[:maxQuoted]) + "..."
}
