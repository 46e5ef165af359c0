package extension

import (
	"net/http"
	"time"
)

// Defaults for a [Provider] built by [New].
const (
	DefaultPort             = 2773
	DefaultTimeout          = 5 * time.Second
	DefaultMaxResponseBytes = 1 << 20
)

// Environment variables read by [New].
const (
	PortEnv  = "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"
	TokenEnv = "AWS_SESSION_TOKEN"
)

// An Option configures a [Provider] built by [New].
type Option interface{ apply(*config) }

type config struct {
	baseURL          string // "" means from the environment
	token            *string
	client           *http.Client
	timeout          time.Duration
	maxResponseBytes int64
	parameterStore   bool
	allowNonLoopback bool
	stage            string
	labels           []string
	bad              string // the first out-of-range option, refused by New
}

func newConfig(opts []Option) config {
	c := config{timeout: DefaultTimeout, maxResponseBytes: DefaultMaxResponseBytes}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	return c
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithBaseURL sets the extension's address, such as "http://127.0.0.1:2773".
// It must use http or https, must have no query or fragment, and its host
// must be "localhost" or a loopback IP unless [AllowNonLoopback] is given.
// The default is http://localhost:<port>, the port taken from
// PARAMETERS_SECRETS_EXTENSION_HTTP_PORT or [DefaultPort].
func WithBaseURL(u string) Option {
	return optionFunc(func(c *config) { c.baseURL = u })
}

// WithToken sets the X-Aws-Parameters-Secrets-Token header value. The
// default is AWS_SESSION_TOKEN as read by [New]; an empty token makes every
// Fetch fail with [ErrInvalidConfig].
func WithToken(token string) Option {
	return optionFunc(func(c *config) { c.token = &token })
}

// WithHTTPClient sets the HTTP client. The default is a client that uses no
// proxy and follows no redirects; a client given here should do the same,
// or the token may travel with a redirect. A nil client keeps the default.
func WithHTTPClient(client *http.Client) Option {
	return optionFunc(func(c *config) { c.client = client })
}

// WithTimeout bounds each Fetch, on top of the caller's context. The default
// is [DefaultTimeout]; d must be positive, or every Fetch fails with
// [ErrInvalidConfig].
func WithTimeout(d time.Duration) Option {
	return optionFunc(func(c *config) {
		if d <= 0 {
			c.refuse("WithTimeout needs a positive duration")
			return
		}
		c.timeout = d
	})
}

// WithMaxResponseBytes bounds the response body Fetch reads; a longer body
// fails with [ErrResponseTooLarge]. The default is [DefaultMaxResponseBytes]
// (1 MiB); n must be positive, or every Fetch fails with [ErrInvalidConfig].
func WithMaxResponseBytes(n int64) Option {
	return optionFunc(func(c *config) {
		if n <= 0 {
			c.refuse("WithMaxResponseBytes needs a positive size")
			return
		}
		c.maxResponseBytes = n
	})
}

// refuse records the first out-of-range option.
func (c *config) refuse(reason string) {
	if c.bad == "" {
		c.bad = reason
	}
}

// ParameterStore makes Parameter Store the service for names with no
// "ssm:" or "secretsmanager:" prefix and no ARN. The default is Secrets
// Manager.
func ParameterStore() Option {
	return optionFunc(func(c *config) { c.parameterStore = true })
}

// AllowNonLoopback permits a base URL whose host is not a loopback address.
// The default refuses one, since the extension listens only inside the
// sandbox and the token must not be sent elsewhere.
func AllowNonLoopback() Option {
	return optionFunc(func(c *config) { c.allowNonLoopback = true })
}

// WithVersionStage makes Fetch request the version labelled stage for
// Secrets Manager names without a '#' suffix, as awssm.WithVersionStage
// does. The default is no versionStage in the request, which Secrets
// Manager treats as AWSCURRENT. A stage longer than 256 bytes or holding
// '#' is an [ErrInvalidConfig].
func WithVersionStage(stage string) Option {
	return optionFunc(func(c *config) { c.stage = stage })
}

// WithStageLabels declares custom staging labels, so that "name#label"
// asks for versionStage label rather than versionId label, as
// awssm.WithStageLabels does. Labels starting with "AWS" are always stages
// and need no declaration. The default is none. A label that is empty,
// longer than 256 bytes or holds '#' is an [ErrInvalidConfig].
func WithStageLabels(labels ...string) Option {
	return optionFunc(func(c *config) { c.labels = append(c.labels, labels...) })
}
