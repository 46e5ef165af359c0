package ratelimit

import (
	"errors"
	"fmt"
	"time"
)

// Limit is a rate: Rate events per Period, with up to Burst of them at once.
//
// The limiter is a GCRA (generic cell rate algorithm) token bucket: a
// bucket holds Burst tokens, one token comes back every Period/Rate, and
// each allowed event takes one. A key that has been idle for Burst
// intervals can therefore make Burst requests at once, then Rate per
// Period.
//
// Burst 0 means Burst = Rate: Limit{Rate: 100, Period: time.Minute} allows
// 100 requests at once and then 100 a minute, which is what most people
// expect from "100 a minute". Set Burst explicitly for a smaller or a
// larger bucket.
//
// The interval between two tokens, Period/Rate, is kept in whole
// nanoseconds, rounded up, so the enforced rate never exceeds the
// configured one (it is lower by at most one nanosecond per event).
// The zero Limit is invalid: [New] rejects it.
type Limit struct {
	Rate   int           // events per Period; must be positive
	Period time.Duration // must be positive
	Burst  int           // bucket size; 0 means Rate; must not be negative
}

// ErrInvalidLimit is returned by [New], and by the stores, for a Limit that
// cannot be enforced: a zero or negative Rate or Period, a negative Burst,
// a Rate faster than one event per nanosecond, or a bucket that holds more
// than about 146 years of tokens.
var ErrInvalidLimit = errors.New("ratelimit: invalid limit")

// maxOffset bounds Interval × Burst, the time a full bucket represents.
// 2^62 ns (146 years) keeps every sum of a time and an offset inside an
// int64, and a microsecond count inside a float64's exact integers (2^53),
// which the Redis store's Lua script relies on.
const maxOffset = 1 << 62

// gcra is a validated Limit in the units the algorithm uses.
type gcra struct {
	interval int64 // nanoseconds between two tokens, > 0
	burst    int64 // bucket size, > 0
	offset   int64 // interval × burst, ≤ maxOffset
}

// gcra validates l and derives the algorithm's constants.
func (l Limit) gcra() (gcra, error) {
	switch {
	case l.Rate <= 0:
		return gcra{}, fmt.Errorf("%w: Rate must be positive", ErrInvalidLimit)
	case l.Period <= 0:
		return gcra{}, fmt.Errorf("%w: Period must be positive", ErrInvalidLimit)
	case l.Burst < 0:
		return gcra{}, fmt.Errorf("%w: Burst must not be negative", ErrInvalidLimit)
	}
	rate, period := int64(l.Rate), int64(l.Period)
	if rate > period {
		return gcra{}, fmt.Errorf("%w: Rate exceeds one event per nanosecond of Period", ErrInvalidLimit)
	}
	interval := period / rate
	if period%rate != 0 {
		interval++
	}
	burst := int64(l.Burst)
	if burst == 0 {
		burst = rate
	}
	if burst > maxOffset/interval {
		return gcra{}, fmt.Errorf("%w: Burst × Period/Rate exceeds 146 years", ErrInvalidLimit)
	}
	return gcra{interval: interval, burst: burst, offset: interval * burst}, nil
}

// Interval returns the time between two tokens: Period/Rate, rounded up to
// the nanosecond. It returns 0 for an invalid Limit.
func (l Limit) Interval() time.Duration {
	g, err := l.gcra()
	if err != nil {
		return 0
	}
	return time.Duration(g.interval)
}

// Capacity returns the bucket size: Burst, or Rate when Burst is 0. It
// returns 0 for an invalid Limit.
func (l Limit) Capacity() int {
	g, err := l.gcra()
	if err != nil {
		return 0
	}
	return int(g.burst)
}

// Decision is the outcome of one rate-limit check, with what the
// RateLimit response headers need.
type Decision struct {
	// Allowed reports whether the request may proceed.
	Allowed bool
	// Limit is the bucket size: the most requests the key could make at
	// once (Limit.Capacity).
	Limit int
	// Remaining is how many more requests the key could make now, after
	// this one when it was allowed; between 0 and Limit.
	Remaining int
	// RetryAfter is how long until this request would be allowed: 0 when
	// Allowed.
	RetryAfter time.Duration
	// ResetAfter is how long until the bucket is full again, that is until
	// Remaining would be back at Limit without further requests.
	ResetAfter time.Duration
}

// step runs one GCRA step for n events at now, given the key's theoretical
// arrival time tat (the time at which its bucket is full again; any value
// at or before now means full). It returns the new tat to store when the
// decision is Allowed, and tat unchanged otherwise. Times are nanoseconds
// on any one clock; 1 ≤ n ≤ g.burst.
func (g gcra) step(tat, now, n int64) (int64, Decision) {
	if tat < now {
		tat = now
	}
	d := Decision{Limit: int(g.burst)}
	next := tat + g.interval*n
	if next-now > g.offset {
		// Denied: the bucket holds fewer than n tokens. The request fits
		// once next - offset has passed.
		d.RetryAfter = time.Duration(next - g.offset - now)
		d.ResetAfter = time.Duration(tat - now)
		d.Remaining = int((g.offset - (tat - now)) / g.interval)
		return tat, d
	}
	d.Allowed = true
	d.ResetAfter = time.Duration(next - now)
	d.Remaining = int((g.offset - (next - now)) / g.interval)
	return next, d
}
