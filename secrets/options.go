package secrets

import (
	"fmt"
	"time"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// Defaults of the Cache options.
const (
	DefaultTTL          = 5 * time.Minute
	DefaultJitter       = 0.1
	DefaultMaxEntries   = 1024
	DefaultStaleIfError = time.Hour
	DefaultNegativeTTL  = 30 * time.Second
	DefaultFetchTimeout = 10 * time.Second
)

// staleRetryMax bounds how long a value served after a failed refresh is
// served again without asking the provider (it is never longer than the TTL).
// Without it every Get during a provider outage would wait for a failing fetch.
const staleRetryMax = 5 * time.Second

// An Option configures a [Cache]. Options are sealed: only this package
// defines them.
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	ttl            time.Duration
	jitter         float64
	maxEntries     int
	refreshAhead   float64
	staleIfError   time.Duration
	negativeTTL    time.Duration
	fetchTimeout   time.Duration
	tracerProvider trace.TracerProvider
	meterProvider  metric.MeterProvider

	// err is the first invalid option; every Get reports it.
	err error
}

func newConfig(opts []Option) config {
	c := config{
		ttl:          DefaultTTL,
		jitter:       DefaultJitter,
		maxEntries:   DefaultMaxEntries,
		staleIfError: DefaultStaleIfError,
		negativeTTL:  DefaultNegativeTTL,
		fetchTimeout: DefaultFetchTimeout,
	}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	return c
}

func (c *config) invalid(what string) {
	if c.err == nil {
		c.err = fmt.Errorf("%w: %s", ErrInvalidOption, what)
	}
}

// WithTTL sets how long a fetched value is served before it is fetched again
// (before jitter). The default is [DefaultTTL] (5 minutes); d must be > 0.
func WithTTL(d time.Duration) Option {
	return optionFunc(func(c *config) {
		if d <= 0 {
			c.invalid("TTL must be > 0")
			return
		}
		c.ttl = d
	})
}

// WithJitter spreads each entry's TTL uniformly over ±f×TTL, drawn once per
// fetch, so that a fleet of functions started together does not refresh in
// lockstep. The default is [DefaultJitter] (±10 %); f must be in [0, 0.5].
func WithJitter(f float64) Option {
	return optionFunc(func(c *config) {
		if !(f >= 0 && f <= 0.5) {
			c.invalid("jitter must be in [0, 0.5]")
			return
		}
		c.jitter = f
	})
}

// WithMaxEntries bounds the number of cached names (values and cached
// not-found answers). When a new name would exceed it, an entry that has
// not been used recently is evicted (see [Cache] for the algorithm). A miss
// copies the cache's map of names, whose cost grows with the number of
// names (about 40 µs of CPU for a thousand, 0.4 ms for ten thousand), so
// set n near the number of names a function really reads. The default is [DefaultMaxEntries]
// (1024); n must be ≥ 1.
func WithMaxEntries(n int) Option {
	return optionFunc(func(c *config) {
		if n < 1 {
			c.invalid("max entries must be ≥ 1")
			return
		}
		c.maxEntries = n
	})
}

// WithRefreshAhead turns on refresh-ahead: once a value is older than f×TTL
// (its jittered TTL), the next Get returns it at once and starts one
// background fetch, bounded by the fetch timeout, that replaces it. f must
// be in (0, 1). The default is off: values are fetched again by the first
// Get after they expire.
func WithRefreshAhead(f float64) Option {
	return optionFunc(func(c *config) {
		if !(f > 0 && f < 1) {
			c.invalid("refresh-ahead fraction must be in (0, 1)")
			return
		}
		c.refreshAhead = f
	})
}

// WithStaleIfError sets how long past its expiry a value is still served
// when fetching its replacement fails (the provider's error or timeout,
// not a not-found answer, which is authoritative). Each failure is recorded
// on the fetch span and the fnshield.secrets.fetch counter, and the stale
// value is then served for up to 5 seconds (never more than the TTL) before
// the provider is asked again. The default is [DefaultStaleIfError]
// (1 hour); d = 0 turns stale serving off, d must not be negative.
func WithStaleIfError(d time.Duration) Option {
	return optionFunc(func(c *config) {
		if d < 0 {
			c.invalid("stale-if-error must be ≥ 0")
			return
		}
		c.staleIfError = d
	})
}

// WithNegativeTTL sets how long a not-found answer is cached: Gets within
// that time return an error wrapping [ErrNotFound] without asking the
// provider. The default is [DefaultNegativeTTL] (30 seconds); d = 0 turns
// negative caching off, d must not be negative. Other provider errors are
// never cached.
func WithNegativeTTL(d time.Duration) Option {
	return optionFunc(func(c *config) {
		if d < 0 {
			c.invalid("negative TTL must be ≥ 0")
			return
		}
		c.negativeTTL = d
	})
}

// WithFetchTimeout bounds each provider fetch, which runs on a context that
// keeps the values of the Get that started it but not its cancellation. The
// default is [DefaultFetchTimeout] (10 seconds); d must be > 0.
func WithFetchTimeout(d time.Duration) Option {
	return optionFunc(func(c *config) {
		if d <= 0 {
			c.invalid("fetch timeout must be > 0")
			return
		}
		c.fetchTimeout = d
	})
}

// WithTracerProvider sets where fetch spans go. The default is the global
// provider (otel.GetTracerProvider), a no-op until an SDK is installed.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return optionFunc(func(c *config) { c.tracerProvider = tp })
}

// WithMeterProvider sets where the cache and fetch counters go. The default
// is the global provider (otel.GetMeterProvider), a no-op until an SDK is
// installed.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return optionFunc(func(c *config) { c.meterProvider = mp })
}
