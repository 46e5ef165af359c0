package ratelimit

import "context"

// Store keeps the state of every key and makes the decision for one of them
// atomically. [NewMemoryStore] keeps it in the process; package
// ratelimit/redisstore keeps it in Redis, shared by every instance.
//
// Allow takes n tokens (1 ≤ n ≤ limit.Capacity()) from key's bucket if it
// holds that many, and reports the outcome. limit is valid (a Store may
// return [ErrInvalidLimit] for one that is not); the same key may be asked
// with different limits, and a store need not remember them: a GCRA bucket
// is one timestamp per key, the "theoretical arrival time" at which the
// bucket is full again. A step, at time now, for n tokens:
//
//	tat  := max(stored, now)             // a missing key is a full bucket
//	next := tat + n × limit.Interval()
//	if next − now > Capacity × Interval: // too few tokens
//		deny: RetryAfter = next − Capacity×Interval − now, ResetAfter = tat − now
//	else:
//		store next (it may expire at next), allow: ResetAfter = next − now
//	Remaining = ⌊(Capacity×Interval − (stored or next) + now) / Interval⌋
//
// The read, the decision and the write must be one atomic step per key, and
// now must come from a single clock for all callers sharing the store
// (Redis uses its server's clock). Keys are opaque strings chosen by the
// [Limiter]; a Store must not interpret them.
//
// An error means no decision was made: the Limiter then applies its
// failure policy (see [WithFailOpen]). Implementations must be safe for
// concurrent use and should return promptly when ctx is done.
type Store interface {
	Allow(ctx context.Context, key string, limit Limit, n int) (Decision, error)
}
