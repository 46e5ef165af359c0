package extension

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/fnshield/fnshield/secrets"
)

const tokenHeader = "X-Aws-Parameters-Secrets-Token"

// maxNameLen bounds a name; both services' own limit is 2048 characters.
const maxNameLen = 2048

var (
	// ErrInvalidConfig reports a configuration the provider refuses: a base
	// URL that does not parse, is not http(s) or is not loopback, a bad
	// port in PARAMETERS_SECRETS_EXTENSION_HTTP_PORT, or no token. A
	// Provider built with one returns it from every Fetch.
	ErrInvalidConfig = errors.New("extension: invalid configuration")

	// ErrInvalidName reports a name that cannot be requested: empty, too
	// long, with an empty service prefix or version suffix.
	ErrInvalidName = errors.New("extension: invalid secret name")

	// ErrResponseTooLarge reports a response body over the configured bound.
	ErrResponseTooLarge = errors.New("extension: response too large")

	// ErrMalformedResponse reports a 200 response that is not the JSON the
	// extension sends, or that has no value.
	ErrMalformedResponse = errors.New("extension: malformed response")
)

// Provider fetches secrets and parameters from the AWS Parameters and
// Secrets Lambda Extension. It implements [secrets.Provider] and is safe for
// concurrent use. Create it with [New]; the zero value is not usable.
type Provider struct {
	base             string // scheme://host[:port][/path], no trailing '/'
	token            string
	client           *http.Client
	timeout          time.Duration
	maxResponseBytes int64
	parameterStore   bool
	err              error // configuration error, returned by every Fetch
}

var _ secrets.Provider = (*Provider)(nil)

// New returns a Provider for the extension. It reads
// PARAMETERS_SECRETS_EXTENSION_HTTP_PORT and AWS_SESSION_TOKEN now, unless
// [WithBaseURL] and [WithToken] replace them. New never fails: a
// configuration it refuses (see [ErrInvalidConfig]) yields a Provider whose
// every Fetch returns that error, so a misconfigured function fails closed
// on its first secret.
func New(opts ...Option) *Provider {
	c := newConfig(opts)
	p := &Provider{
		client:           c.client,
		timeout:          c.timeout,
		maxResponseBytes: c.maxResponseBytes,
		parameterStore:   c.parameterStore,
	}
	if p.client == nil {
		p.client = defaultClient()
	}
	if c.token != nil {
		p.token = *c.token
	} else {
		p.token = os.Getenv(TokenEnv)
	}
	p.base, p.err = baseURL(c)
	if p.err == nil && p.token == "" {
		p.err = &ConfigError{Reason: "no session token (" + TokenEnv + " is empty)"}
	}
	return p
}

// ConfigError reports why [New] refused its configuration. It wraps
// [ErrInvalidConfig].
type ConfigError struct {
	Reason string
}

// Error returns "extension: invalid configuration: <reason>".
func (e *ConfigError) Error() string { return ErrInvalidConfig.Error() + ": " + e.Reason }

// Unwrap returns [ErrInvalidConfig].
func (e *ConfigError) Unwrap() error { return ErrInvalidConfig }

// baseURL validates the configured or environment base URL.
func baseURL(c config) (string, error) {
	raw := c.baseURL
	if raw == "" {
		port := DefaultPort
		if s := os.Getenv(PortEnv); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 || n > 65535 {
				return "", &ConfigError{Reason: PortEnv + " is not a port number"}
			}
			port = n
		}
		raw = "http://localhost:" + strconv.Itoa(port)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return "", &ConfigError{Reason: "base URL is not an http(s) URL without query or fragment"}
	}
	if !c.allowNonLoopback && !isLoopback(u.Hostname()) {
		return "", &ConfigError{Reason: "base URL host is not a loopback address"}
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// defaultClient returns an HTTP client that uses no proxy (so the token
// cannot reach one) and follows no redirects (so it cannot be sent on).
func defaultClient() *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:               nil,
			MaxIdleConnsPerHost: 8,
			IdleConnTimeout:     90 * time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// service is the AWS service behind a name.
type service int

const (
	secretsManager service = iota
	parameterStore
)

// request is a resolved name: the service and its query.
type request struct {
	service service
	path    string
	query   url.Values
}

// resolve maps name to the extension request that fetches it.
func (p *Provider) resolve(name string) (request, error) {
	if name == "" || len(name) > maxNameLen {
		return request{}, ErrInvalidName
	}
	svc := secretsManager
	if p.parameterStore {
		svc = parameterStore
	}
	switch {
	case strings.HasPrefix(name, "ssm:"):
		svc, name = parameterStore, name[len("ssm:"):]
	case strings.HasPrefix(name, "secretsmanager:"):
		svc, name = secretsManager, name[len("secretsmanager:"):]
	case strings.HasPrefix(name, "arn:"):
		// arn:partition:service:region:account:resource
		if f := strings.SplitN(name, ":", 4); len(f) == 4 {
			switch f[2] {
			case "ssm":
				svc = parameterStore
			case "secretsmanager":
				svc = secretsManager
			}
		}
	}
	if name == "" {
		return request{}, ErrInvalidName
	}
	if svc == parameterStore {
		return request{
			service: parameterStore,
			path:    "/systemsmanager/parameters/get",
			query:   url.Values{"name": {name}, "withDecryption": {"true"}},
		}, nil
	}
	q := url.Values{}
	id, version, hasVersion := strings.Cut(name, "#")
	switch {
	case id == "" || (hasVersion && (version == "" || strings.Contains(version, "#"))):
		return request{}, ErrInvalidName
	case hasVersion && strings.HasPrefix(version, "AWS"):
		q.Set("versionStage", version)
	case hasVersion:
		q.Set("versionId", version)
	}
	q.Set("secretId", id)
	return request{service: secretsManager, path: "/secretsmanager/get", query: q}, nil
}

// Fetch returns the value of the secret or parameter name (see the package
// documentation for the name syntax) with one GET to the extension. It
// honours ctx and the provider's timeout.
func (p *Provider) Fetch(ctx context.Context, name string) ([]byte, error) {
	if p.err != nil {
		return nil, p.err
	}
	req, err := p.resolve(name)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, p.base+req.path+"?"+req.query.Encode(), nil)
	if err != nil {
		return nil, &Error{service: req.service, Name: name, Err: err}
	}
	hreq.Header.Set(tokenHeader, p.token)
	resp, err := p.client.Do(hreq)
	if err != nil {
		return nil, &Error{service: req.service, Name: name, Err: err}
	}
	defer resp.Body.Close()
	body, err := readBounded(resp.Body, p.maxResponseBytes)
	if err != nil {
		return nil, &Error{service: req.service, Name: name, StatusCode: resp.StatusCode, Err: err}
	}
	if resp.StatusCode != http.StatusOK {
		e := &Error{service: req.service, Name: name, StatusCode: resp.StatusCode}
		if resp.StatusCode == http.StatusNotFound || (resp.StatusCode == http.StatusBadRequest && reportsNotFound(body)) {
			e.Err = secrets.ErrNotFound
		}
		return nil, e
	}
	var v []byte
	if req.service == parameterStore {
		v, err = decodeParameter(body)
	} else {
		v, err = decodeSecret(body)
	}
	if err != nil {
		return nil, &Error{service: req.service, Name: name, StatusCode: resp.StatusCode, Err: err}
	}
	return v, nil
}

// readBounded reads r to its end, failing with ErrResponseTooLarge past max
// bytes.
func readBounded(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, ErrResponseTooLarge
	}
	return b, nil
}

// reportsNotFound reports whether a 400 body carries one of the AWS
// not-found error codes.
func reportsNotFound(body []byte) bool {
	s := string(body)
	return strings.Contains(s, "ResourceNotFoundException") ||
		strings.Contains(s, "ParameterNotFound") ||
		strings.Contains(s, "ParameterVersionNotFound")
}

// Error reports a failed Fetch. Its text names the secret and the HTTP
// status or cause; it never includes the response body. Use errors.Is with
// [secrets.ErrNotFound], [ErrResponseTooLarge], [ErrMalformedResponse] or
// context.DeadlineExceeded to branch.
type Error struct {
	Name       string // the name passed to Fetch
	StatusCode int    // the extension's HTTP status; 0 if it did not answer
	Err        error  // the cause; nil for an unexpected status

	service service
}

// Error returns "extension: get secret|parameter <name>: <reason>".
func (e *Error) Error() string {
	what := "secret "
	if e.service == parameterStore {
		what = "parameter "
	}
	var reason string
	switch {
	case errors.Is(e.Err, secrets.ErrNotFound):
		reason = "not found (HTTP " + strconv.Itoa(e.StatusCode) + ")"
	case errors.Is(e.Err, ErrResponseTooLarge), errors.Is(e.Err, ErrMalformedResponse):
		reason = strings.TrimPrefix(e.Err.Error(), "extension: ")
	case errors.Is(e.Err, context.Canceled):
		reason = context.Canceled.Error()
	case errors.Is(e.Err, context.DeadlineExceeded):
		reason = "timed out"
	case e.Err == nil:
		reason = "HTTP " + strconv.Itoa(e.StatusCode)
	default:
		reason = "request failed"
	}
	return "extension: get " + what + strconv.Quote(e.Name) + ": " + reason
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }
