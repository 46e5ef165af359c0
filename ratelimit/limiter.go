package ratelimit

import (
	"context"
	"fmt"
	"time"

	"go.opentelemetry.io/otel/trace"
)

// Limiter limits events per key to one [Limit], keeping buckets in a
// [Store]. Build it once, at initialisation, with [New].
//
// A Limiter is safe for concurrent use. Its zero value is not usable.
type Limiter struct {
	limit    Limit // validated, Burst never 0
	g        gcra
	name     string
	prefix   string // name + ":", prepended to every store key
	store    Store
	mem      *MemoryStore // store, when it is a *MemoryStore: the fast path
	failOpen bool
	key      KeyFunc // the transports' default key function
	tel      *telemetry
	policy   string // the RateLimit-Policy field value
}

// New returns a Limiter enforcing limit. It returns an error wrapping
// [ErrInvalidLimit] for an invalid limit (see [Limit]), or an error naming
// the option for an invalid option.
//
// Defaults: a [MemoryStore] of [DefaultMaxKeys] keys of its own, the policy
// name "default", fail-open, keys by ByIP() for the transports, no logger,
// the global OpenTelemetry providers.
func New(limit Limit, opts ...Option) (*Limiter, error) {
	g, err := limit.gcra()
	if err != nil {
		return nil, err
	}
	c := newConfig(opts)
	if c.key == nil {
		c.errorf("WithKey: nil key function")
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	limit.Burst = int(g.burst)
	l := &Limiter{
		limit:    limit,
		g:        g,
		name:     c.name,
		prefix:   c.name + ":",
		store:    c.store,
		failOpen: c.failOpen,
		key:      c.key,
		policy:   policyField(c.name, limit),
	}
	if l.store == nil {
		l.mem, _ = NewMemoryStore(DefaultMaxKeys)
		l.store = l.mem
	} else if m, ok := l.store.(*MemoryStore); ok {
		l.mem = m
	}
	if l.tel, err = newTelemetry(c.name, c.logger, c.meterProvider, c.tracerProvider); err != nil {
		return nil, fmt.Errorf("ratelimit: telemetry: %w", err)
	}
	return l, nil
}

// Limit returns the limit enforced, with Burst filled in when it was 0.
func (l *Limiter) Limit() Limit { return l.limit }

// Name returns the policy name (see [WithName]).
func (l *Limiter) Name() string { return l.name }

// Allow is AllowN(ctx, key, 1).
func (l *Limiter) Allow(ctx context.Context, key string) (Decision, error) {
	return l.AllowN(ctx, key, 1)
}

// AllowN reports whether n events may happen now for key, and takes n
// tokens from key's bucket if so. Any string is a key; keys are compared
// exactly, and the store sees them prefixed with the policy name.
//
// An n below 1 or above the bucket size returns the zero Decision and an
// error wrapping [ErrInvalidN].
//
// When the store fails, AllowN returns a decision made by the failure
// policy together with an error wrapping [ErrStore] and the store's error:
//   - fail-open (the default): Allowed true, Limit the bucket size,
//     Remaining Limit−n (the store's state is unknown, so the bucket is
//     taken as full), RetryAfter and ResetAfter 0;
//   - fail-closed ([WithFailOpen](false)): Allowed false, Limit the bucket
//     size, Remaining, RetryAfter and ResetAfter 0.
//
// So d.Allowed is always the answer, and a non-nil error says the answer
// came from the failure policy rather than from the store. The built-in
// memory store never fails.
func (l *Limiter) AllowN(ctx context.Context, key string, n int) (Decision, error) {
	if err := checkN(n, l.g); err != nil {
		return Decision{}, err
	}
	if l.mem != nil {
		d := l.mem.allow(l.prefix, key, l.g, int64(n), l.mem.clock())
		l.tel.decision(ctx, d)
		return d, nil
	}
	ctx, span := l.tel.tracer.Start(ctx, "ratelimit.store", trace.WithSpanKind(trace.SpanKindClient))
	start := time.Now()
	d, err := l.store.Allow(ctx, l.prefix+key, l.limit, n)
	l.tel.storeCall(ctx, time.Since(start))
	if err != nil {
		span.RecordError(err)
		span.End()
		l.tel.storeError(ctx, err, l.failOpen)
		d = Decision{Limit: int(l.g.burst)}
		if l.failOpen {
			d.Allowed = true
			d.Remaining = d.Limit - n
		}
		return d, fmt.Errorf("%w: %w", ErrStore, err)
	}
	span.End()
	l.tel.decision(ctx, d)
	return d, nil
}

// checkN reports whether n tokens can ever be taken from a bucket of g.
func checkN(n int, g gcra) error {
	if n < 1 || int64(n) > g.burst {
		return fmt.Errorf("%w: n=%d, capacity %d", ErrInvalidN, n, g.burst)
	}
	return nil
}
