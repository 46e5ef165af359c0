package ratelimitbench

import (
	"context"
	"sync"

	"github.com/sethvargo/go-limiter/memorystore"
	"github.com/throttled/throttled/v2"
	"github.com/throttled/throttled/v2/store/memstore"
	ulule "github.com/ulule/limiter/v3"
	ululememory "github.com/ulule/limiter/v3/drivers/store/memory"
	"golang.org/x/time/rate"
)

// RateMap is the naive approach: a golang.org/x/time/rate.Limiter per key
// in a map behind one mutex, never evicted. It is safe for concurrent use.
type RateMap struct {
	limit rate.Limit
	burst int

	mu sync.Mutex
	m  map[string]*rate.Limiter
}

// NewRateMap returns an empty RateMap for the shared policy.
func NewRateMap() *RateMap {
	return &RateMap{limit: rate.Every(Period / Rate), burst: Burst, m: make(map[string]*rate.Limiter)}
}

// Allow reports whether an event for key may happen now.
func (rm *RateMap) Allow(key string) bool {
	rm.mu.Lock()
	l, ok := rm.m[key]
	if !ok {
		l = rate.NewLimiter(rm.limit, rm.burst)
		rm.m[key] = l
	}
	rm.mu.Unlock()
	return l.Allow()
}

func newRateMap(int) (Limiter, func(), error) {
	rm := NewRateMap()
	return Limiter{XTimeRateMap, func(_ context.Context, key string) (bool, error) { return rm.Allow(key), nil }}, func() {}, nil
}

func newSethvargo(int) (Limiter, func(), error) {
	s, err := memorystore.New(&memorystore.Config{Tokens: Burst, Interval: Period})
	if err != nil {
		return Limiter{}, nil, err
	}
	return Limiter{SethvargoGoLimiter, func(ctx context.Context, key string) (bool, error) {
		_, _, _, ok, err := s.Take(ctx, key)
		return ok, err
	}}, func() { _ = s.Close(context.Background()) }, nil
}

func newThrottled(maxKeys int) (Limiter, func(), error) {
	s, err := memstore.NewCtx(maxKeys)
	if err != nil {
		return Limiter{}, nil, err
	}
	gcra, err := throttled.NewGCRARateLimiterCtx(s, throttled.RateQuota{
		MaxRate:  throttled.PerDuration(Rate, Period),
		MaxBurst: Burst - 1, // throttled allows MaxBurst+1 at once
	})
	if err != nil {
		return Limiter{}, nil, err
	}
	return Limiter{Throttled, func(ctx context.Context, key string) (bool, error) {
		limited, _, err := gcra.RateLimitCtx(ctx, key, 1)
		return !limited, err
	}}, func() {}, nil
}

// newUlule builds ulule/limiter with its memory store. Its expired-entry
// cleaner goroutine stops when the store is collected.
func newUlule(int) (Limiter, func(), error) {
	l := ulule.New(ululememory.NewStore(), ulule.Rate{Period: Period, Limit: Burst})
	return Limiter{UluleLimiter, func(ctx context.Context, key string) (bool, error) {
		c, err := l.Get(ctx, key)
		return !c.Reached, err
	}}, func() {}, nil
}
