package redisstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/fnshield/fnshield/ratelimit"
)

// Defaults.
const (
	DefaultPrefix  = "fnshield:rl:"
	DefaultTimeout = 100 * time.Millisecond
)

// ErrUnexpectedReply is returned when the server's reply to the script is
// not the one it returns, such as from a proxy that rewrites replies.
var ErrUnexpectedReply = errors.New("redisstore: unexpected reply from the server")

// gcraScript is one GCRA step on KEYS[1] at the server's time, in
// microseconds (exact in Lua's doubles: every value stays below 2^53).
// ARGV: the interval between tokens, the bucket size, the tokens to take.
// It returns {allowed (0 or 1), remaining, retry after, reset after}.
var gcraScript = redis.NewScript(`
if redis.replicate_commands then redis.replicate_commands() end
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local offset = interval * burst
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local nxt = tat + interval * n
-- floor(a / b) for integers, exact even where the division rounds.
local function quot(a, b)
  local q = math.floor(a / b)
  if q * b > a then q = q - 1 elseif (q + 1) * b <= a then q = q + 1 end
  return q
end
if nxt - now > offset then
  return {0, quot(offset - (tat - now), interval), nxt - offset - now, tat - now}
end
redis.call('SET', KEYS[1], string.format('%.0f', nxt), 'PX', math.floor((nxt - now) / 1000) + 1)
return {1, quot(offset - (nxt - now), interval), 0, nxt - now}
`)

// Store is a ratelimit.Store keeping buckets in Redis. It is safe for
// concurrent use; create it once with [New]. The zero value is not usable.
type Store struct {
	client  redis.UniversalClient
	prefix  string
	timeout time.Duration
	// direct is true when the client itself stops at the context deadline,
	// so the call needs no watcher goroutine.
	direct bool
}

// Option configures a [Store].
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	prefix  string
	timeout time.Duration
	errs    []error
}

// WithPrefix sets the prefix of every Redis key the store writes. The
// default is "fnshield:rl:". Any string is accepted, the empty one
// included.
func WithPrefix(prefix string) Option {
	return optionFunc(func(c *config) { c.prefix = prefix })
}

// WithTimeout bounds each call to the store, from the call to the decision,
// retries and reconnections included. The default is 100 ms; d must be
// positive.
func WithTimeout(d time.Duration) Option {
	return optionFunc(func(c *config) {
		if d <= 0 {
			c.errs = append(c.errs, errors.New("redisstore: WithTimeout: the timeout must be positive"))
			return
		}
		c.timeout = d
	})
}

// New returns a store using client, which may be a *redis.Client, a
// *redis.ClusterClient, a failover client or a *redis.Ring. New does no
// I/O. It returns an error for a nil client or an invalid option.
//
// When the client honours context deadlines (go-redis's
// ContextTimeoutEnabled), a call is simply given a deadline. Otherwise
// (the go-redis default) the call runs on a goroutine the store stops
// waiting for at the timeout; that goroutine ends when the client's own
// read, write or dial timeout fires.
func New(client redis.UniversalClient, opts ...Option) (*Store, error) {
	if client == nil {
		return nil, errors.New("redisstore: nil client")
	}
	c := &config{prefix: DefaultPrefix, timeout: DefaultTimeout}
	for _, o := range opts {
		if o != nil {
			o.apply(c)
		}
	}
	if err := errors.Join(c.errs...); err != nil {
		return nil, err
	}
	s := &Store{client: client, prefix: c.prefix, timeout: c.timeout}
	switch cl := client.(type) {
	case *redis.Client:
		s.direct = cl.Options().ContextTimeoutEnabled
	case *redis.ClusterClient:
		s.direct = cl.Options().ContextTimeoutEnabled
	}
	return s, nil
}

// Allow implements ratelimit.Store: one script run on the key
// prefix+key. It returns an error wrapping ratelimit.ErrInvalidLimit or
// ratelimit.ErrInvalidN for invalid arguments, context.DeadlineExceeded
// when the timeout fired, and the client's error otherwise.
func (s *Store) Allow(ctx context.Context, key string, limit ratelimit.Limit, n int) (ratelimit.Decision, error) {
	interval, capacity := limit.Interval(), limit.Capacity()
	if interval == 0 {
		return ratelimit.Decision{}, fmt.Errorf("redisstore: %w", ratelimit.ErrInvalidLimit)
	}
	if n < 1 || n > capacity {
		return ratelimit.Decision{}, fmt.Errorf("redisstore: %w", ratelimit.ErrInvalidN)
	}
	// Microseconds, rounded up so that the rate is never exceeded.
	us := (int64(interval) + 999) / 1000
	args := []any{us, capacity, n}
	keys := []string{s.prefix + key}

	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	var reply []int64
	var err error
	if s.direct {
		reply, err = s.run(ctx, keys, args)
	} else {
		reply, err = s.runBounded(ctx, keys, args)
	}
	if err != nil {
		return ratelimit.Decision{}, fmt.Errorf("redisstore: %w", err)
	}
	return ratelimit.Decision{
		Allowed:    reply[0] == 1,
		Limit:      capacity,
		Remaining:  int(reply[1]),
		RetryAfter: time.Duration(reply[2]) * time.Microsecond,
		ResetAfter: time.Duration(reply[3]) * time.Microsecond,
	}, nil
}

type result struct {
	reply []int64
	err   error
}

// runBounded runs the script on a goroutine and waits no longer than ctx.
func (s *Store) runBounded(ctx context.Context, keys []string, args []any) ([]int64, error) {
	done := make(chan result, 1) // buffered: a late result is dropped, not blocked on
	go func() {
		r, err := s.run(ctx, keys, args)
		done <- result{r, err}
	}()
	select {
	case r := <-done:
		return r.reply, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// run runs the script (EVALSHA, then EVAL if the server lost it) and checks
// the reply's shape.
func (s *Store) run(ctx context.Context, keys []string, args []any) ([]int64, error) {
	r, err := gcraScript.Run(ctx, s.client, keys, args...).Int64Slice()
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, err
	}
	if len(r) != 4 || r[0] < 0 || r[0] > 1 || r[1] < 0 || r[2] < 0 || r[3] < 0 {
		return nil, ErrUnexpectedReply
	}
	return r, nil
}
