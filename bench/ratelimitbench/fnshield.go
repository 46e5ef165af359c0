package ratelimitbench

import (
	"context"

	"github.com/fnshield/fnshield/ratelimit"
)

// Limit is the shared policy in fnshield's terms.
var Limit = ratelimit.Limit{Rate: Rate, Period: Period, Burst: Burst}

// fnshieldLimiter wraps a ratelimit.Limiter as a Limiter.
func fnshieldLimiter(opts ...ratelimit.Option) (Limiter, error) {
	l, err := ratelimit.New(Limit, opts...)
	if err != nil {
		return Limiter{}, err
	}
	return Limiter{Fnshield, func(ctx context.Context, key string) (bool, error) {
		d, err := l.Allow(ctx, key)
		return d.Allowed, err
	}}, nil
}

func newFnshieldMemory(maxKeys int) (Limiter, func(), error) {
	store, err := ratelimit.NewMemoryStore(maxKeys)
	if err != nil {
		return Limiter{}, nil, err
	}
	l, err := fnshieldLimiter(ratelimit.WithStore(store))
	return l, func() {}, err
}
