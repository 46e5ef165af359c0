package extension

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/fnshield/fnshield/secrets"
	"github.com/fnshield/fnshield/secrets/internal/awserr"
	"github.com/fnshield/fnshield/secrets/internal/quote"
	"github.com/fnshield/fnshield/secrets/internal/smname"
	"github.com/fnshield/fnshield/secrets/internal/ssmname"
)

const tokenHeader = "X-Aws-Parameters-Secrets-Token"

// maxParameterLen bounds a Parameter Store name, the service's own limit.
// Secrets Manager names are bounded by package smname.
const maxParameterLen = 2048

var (
	// ErrInvalidConfig reports a configuration the provider refuses: a base
	// URL that does not parse, is not http(s) or is not loopback, a bad
	// port in PARAMETERS_SECRETS_EXTENSION_HTTP_PORT, no token, or an
	// invalid staging label. A Provider built with one returns it from
	// every Fetch. It comes in a [*ConfigError], which also matches
	// [secrets.ErrInvalidOption].
	ErrInvalidConfig = errors.New("extension: invalid configuration")

	// ErrInvalidName is [secrets.ErrInvalidName], as os.ErrNotExist is
	// fs.ErrNotExist: Fetch refuses a name that cannot be requested (empty,
	// too long, a bare service prefix, a Secrets Manager name with an empty
	// version suffix or more than one '#', or a parameter name holding a
	// character other than letters, digits and "_.-/" outside its
	// ":version" or ":label" selector or ARN fields) with an [*Error]
	// wrapping it, before any request is made. An HTTP 400 answer that
	// relays a ValidationException or InvalidParameterException, or that
	// names no AWS error at all (the extension's own refusal of the
	// request, whose only caller-chosen part is the name), also matches it.
	ErrInvalidName = secrets.ErrInvalidName

	// ErrScheduledForDeletion reports a Secrets Manager secret that an
	// operator has scheduled for deletion, which the extension cannot read
	// (an InvalidRequestException saying the secret is marked for
	// deletion, marked deleted or scheduled for deletion, in any letter
	// case). The [*Error] wraps
	// it and [secrets.ErrNotFound], so a [secrets.Cache] stops serving the
	// value at its next fetch instead of serving it stale.
	ErrScheduledForDeletion = errors.New("extension: secret scheduled for deletion")

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
	stage            string // default versionStage, "" for the service default
	stages           smname.Stages
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
	if p.err == nil && c.bad != "" {
		p.err = &ConfigError{Reason: c.bad}
	}
	if p.err == nil && p.token == "" {
		p.err = &ConfigError{Reason: "no session token (" + TokenEnv + " is empty)"}
	}
	stages, err := smname.NewStages(c.labels)
	if err == nil && (len(c.stage) > smname.MaxVersionLen || strings.Contains(c.stage, "#")) {
		err = smname.ErrInvalidLabels
	}
	if p.err == nil && err != nil {
		p.err = &ConfigError{Reason: "staging labels must be 1 to 256 bytes without '#'"}
	}
	p.stage, p.stages = c.stage, stages
	return p
}

// ConfigError reports why [New] refused its configuration. It wraps
// [ErrInvalidConfig].
type ConfigError struct {
	Reason string
}

// Error returns "extension: invalid configuration: <reason>".
func (e *ConfigError) Error() string { return ErrInvalidConfig.Error() + ": " + e.Reason }

// Unwrap returns [ErrInvalidConfig] and [secrets.ErrInvalidOption].
func (e *ConfigError) Unwrap() []error { return []error{ErrInvalidConfig, secrets.ErrInvalidOption} }

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

var (
	errEmptyName     = fmt.Errorf("%w: empty name", secrets.ErrInvalidName)
	errLongName      = fmt.Errorf("%w: longer than 4096 bytes", secrets.ErrInvalidName)
	errLongParameter = fmt.Errorf("%w: parameter name longer than 2048 bytes", secrets.ErrInvalidName)
)

// resolve maps name to the extension request that fetches it.
func (p *Provider) resolve(name string) (request, error) {
	if len(name) > secrets.MaxNameLen {
		return request{}, errLongName
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
		return request{service: svc}, errEmptyName
	}
	if svc == parameterStore {
		if len(name) > maxParameterLen {
			return request{service: svc}, errLongParameter
		}
		if err := ssmname.Check(name); err != nil {
			return request{service: svc}, err
		}
		return request{
			service: parameterStore,
			path:    "/systemsmanager/parameters/get",
			query:   url.Values{"name": {name}, "withDecryption": {"true"}},
		}, nil
	}
	ref, err := smname.Parse(name, p.stages, p.stage)
	if err != nil {
		return request{}, err
	}
	q := url.Values{"secretId": {ref.ID}}
	if ref.Stage != "" {
		q.Set("versionStage", ref.Stage)
	}
	if ref.VersionID != "" {
		q.Set("versionId", ref.VersionID)
	}
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
		return nil, &Error{service: req.service, Name: name, Err: err}
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
		return nil, &Error{service: req.service, Name: name, StatusCode: resp.StatusCode, Err: classify(resp.StatusCode, body)}
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

// errDeleted is the cause of an Error for a secret scheduled for deletion.
var errDeleted = errors.Join(secrets.ErrNotFound, ErrScheduledForDeletion)

// errRefusedName is the cause of an Error for a name the extension or the
// service refused.
var errRefusedName = fmt.Errorf("%w: refused by the service", secrets.ErrInvalidName)

// classify returns the shared reason of an error answer, from its status
// and the AWS error it relays, or nil. The body is only searched, never
// kept, since it may quote the secret's name or more.
func classify(status int, body []byte) error {
	if status == http.StatusNotFound {
		return secrets.ErrNotFound
	}
	if status != http.StatusBadRequest && status != http.StatusForbidden {
		return nil
	}
	s := string(body)
	switch {
	case strings.Contains(s, "ResourceNotFoundException"),
		strings.Contains(s, "ParameterNotFound"),
		strings.Contains(s, "ParameterVersionNotFound"):
		return secrets.ErrNotFound
	case strings.Contains(s, "InvalidRequestException") && awserr.MarkedForDeletion(s):
		return errDeleted
	case strings.Contains(s, "AccessDeniedException"):
		return secrets.ErrAccessDenied
	case status != http.StatusBadRequest:
		return nil
	case strings.Contains(s, "ValidationException"), strings.Contains(s, "InvalidParameterException"),
		!namesAWSError(s):
		// The request's only caller-chosen part is the name: a refusal
		// of the request's parameters, or a 400 from the extension itself
		// that relays no AWS error, is a refusal of the name.
		return errRefusedName
	}
	return nil
}

// namesAWSError reports whether the body of an error answer holds what
// looks like an AWS error code, such as ResourceNotFoundException,
// ParameterNotFound or DecryptionFailure.
func namesAWSError(s string) bool {
	for _, w := range []string{"Exception", "NotFound", "Failure", "InvalidKeyId", "Error"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// Error reports a failed Fetch. Its text names the secret and the HTTP
// status or cause; it never includes the response body. Use errors.Is with
// [secrets.ErrNotFound], [secrets.ErrAccessDenied],
// [secrets.ErrInvalidName], [ErrScheduledForDeletion],
// [ErrResponseTooLarge], [ErrMalformedResponse] or
// context.DeadlineExceeded to branch.
type Error struct {
	Name       string // the name passed to Fetch
	StatusCode int    // the extension's HTTP status; 0 if it did not answer
	Err        error  // the cause; nil for an error status with no shared reason

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
	case errors.Is(e.Err, ErrScheduledForDeletion):
		reason = "scheduled for deletion (HTTP " + strconv.Itoa(e.StatusCode) + ")"
	case errors.Is(e.Err, secrets.ErrNotFound):
		reason = "not found (HTTP " + strconv.Itoa(e.StatusCode) + ")"
	case errors.Is(e.Err, secrets.ErrAccessDenied):
		reason = "access denied (HTTP " + strconv.Itoa(e.StatusCode) + ")"
	case errors.Is(e.Err, errRefusedName):
		reason = "invalid secret name (HTTP " + strconv.Itoa(e.StatusCode) + ")"
	case errors.Is(e.Err, secrets.ErrInvalidName):
		reason = strings.TrimPrefix(e.Err.Error(), "secrets: ")
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
	return "extension: get " + what + quote.Name(e.Name) + ": " + reason
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }
