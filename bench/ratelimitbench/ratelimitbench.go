// Package ratelimitbench sets fnshield's ratelimit.Limiter side by side
// with other Go rate limiters: in memory, and through a real redis-server.
//
// Every limiter gets the same policy, Rate events per Period with Burst at
// once, and starts with a full bucket, so that TestParity can check that
// each one allows exactly Burst events for a new key and denies the next.
// Period is long on purpose: no bucket refills during a test, so the
// verdicts do not depend on the speed of a loaded machine.
package ratelimitbench

import (
	"context"
	"time"
)

// The shared policy.
const (
	Rate   = 100
	Period = time.Hour
	Burst  = 100
)

// Implementation names, as they appear in benchmark names and RESULTS.md.
const (
	Fnshield           = "fnshield"
	XTimeRateMap       = "xtime-rate-map" // the naive approach
	SethvargoGoLimiter = "sethvargo-go-limiter"
	Throttled          = "throttled"
	UluleLimiter       = "ulule-limiter"
	RedisRate          = "redis_rate"
)

// Limiter is one implementation: Allow reports whether an event for key
// may happen now.
type Limiter struct {
	Name  string
	Allow func(ctx context.Context, key string) (bool, error)
}

// Memory lists the in-memory implementations, fnshield first. New builds
// one able to hold maxKeys keys where the library bounds its store, and
// returns a function that stops its background work, if any.
var Memory = []struct {
	Name string
	New  func(maxKeys int) (l Limiter, close func(), err error)
}{
	{Fnshield, newFnshieldMemory},
	{XTimeRateMap, newRateMap},
	{SethvargoGoLimiter, newSethvargo},
	{Throttled, newThrottled},
	{UluleLimiter, newUlule},
}
