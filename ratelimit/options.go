package ratelimit

import (
	"errors"
	"fmt"
	"log/slog"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// Option configures a [Limiter]. Options are applied in order by [New]; an
// invalid option makes New return an error.
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// defaultName is the policy name when WithName is not given.
const defaultName = "default"

// maxNameLen bounds a policy name, which appears in every store key and
// response header.
const maxNameLen = 64

type config struct {
	store          Store
	key            KeyFunc
	name           string
	failOpen       bool
	logger         *slog.Logger
	meterProvider  metric.MeterProvider
	tracerProvider trace.TracerProvider
	errs           []error
}

func newConfig(opts []Option) *config {
	c := &config{name: defaultName, failOpen: true, key: ByIP()}
	for _, o := range opts {
		if o != nil {
			o.apply(c)
		}
	}
	return c
}

func (c *config) errorf(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf("ratelimit: "+format, args...))
}

func (c *config) err() error { return errors.Join(c.errs...) }

// WithStore sets where buckets are kept. The default is a new
// [MemoryStore] of [DefaultMaxKeys] keys for each Limiter. Several
// limiters may share one store: their [WithName] names keep their keys
// apart. A nil store is an error.
func WithStore(s Store) Option {
	return optionFunc(func(c *config) {
		if s == nil {
			c.errorf("WithStore: nil store")
			return
		}
		c.store = s
	})
}

// WithName sets the policy name: it prefixes every key this limiter sends
// to its store ("<name>:<key>"), so that limiters sharing a store never
// share a bucket, and it names the policy in the RateLimit and
// RateLimit-Policy headers and in the metrics' policy attribute. The
// default is "default". A name is 1 to 64 printable ASCII characters
// without spaces; anything else is an error.
func WithName(policy string) Option {
	return optionFunc(func(c *config) {
		if !validName(policy) {
			c.errorf("WithName: a policy name must be 1 to %d printable ASCII characters without spaces", maxNameLen)
			return
		}
		c.name = policy
	})
}

func validName(s string) bool {
	if len(s) == 0 || len(s) > maxNameLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// WithFailOpen sets what happens when the store fails (an error or a
// timeout): true, the default, allows the request; false rejects it.
//
// Fail-open is the default because a rate limiter protects availability:
// an unreachable Redis should not take the whole API down with it, and the
// in-process memory store (which cannot fail) remains the first line of
// defence. Choose fail-closed when the limit guards something costly or
// abusable (a login endpoint, a paid upstream), where refusing is safer
// than serving unmetered. Either way the failure is counted
// (fnshield.ratelimit.store.errors and result="error") and logged when
// [WithLogger] is set; [Limiter.Allow] documents what it returns.
func WithFailOpen(open bool) Option {
	return optionFunc(func(c *config) { c.failOpen = open })
}

// WithLogger sets a logger for store failures (level Warn, with the policy
// name and the error; never the key). The default, or nil, logs nothing.
func WithLogger(logger *slog.Logger) Option {
	return optionFunc(func(c *config) { c.logger = logger })
}

// WithMeterProvider sets the OpenTelemetry meter provider for the
// fnshield.ratelimit.decisions and fnshield.ratelimit.store.errors
// counters and the fnshield.ratelimit.store.duration histogram. The
// default, or nil, is the global provider (otel.GetMeterProvider), a no-op
// until an SDK is installed.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return optionFunc(func(c *config) { c.meterProvider = mp })
}

// WithTracerProvider sets the OpenTelemetry tracer provider for the span
// around each call to a store other than the built-in memory store. The
// default, or nil, is the global provider (otel.GetTracerProvider), a
// no-op until an SDK is installed.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return optionFunc(func(c *config) { c.tracerProvider = tp })
}
