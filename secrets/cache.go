package secrets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// A Cache serves secrets from a [Provider], keeping each value for a
// jittered TTL. Create one with [New] at start-up (outside the Lambda
// handler) and share it; it is safe for concurrent use. The zero Cache has
// no provider: every Get returns an error wrapping [ErrInvalidOption].
//
// # Lookups
//
// A hit takes no lock, reads no clock and does not allocate: it is one
// lookup in a concurrent map of names (sync.Map, whose reads of names that
// are already cached take no lock) and one atomic load. Adding or removing
// a name costs about the same whatever the number of names cached. Expiry is signalled by a runtime timer
// (time.AfterFunc, which runs no goroutine until it fires) that sends Get
// down the slow path, where it reads the clock and decides exactly. A value
// is therefore never served past its deadline except in the moment between
// the deadline and its timer running, which can stretch when the process
// was paused (a frozen Lambda sandbox): the first Gets after a thaw may
// still see a value whose TTL has just passed.
//
// Concurrent misses for one name make one provider call. The fetch runs in
// its own goroutine on context.WithoutCancel(ctx) of the Get that started it
// plus the fetch timeout, so a caller whose context ends returns ctx.Err()
// at once while the others still get the value. No lock is held during a
// fetch, and every fetch goroutine ends when the provider returns.
//
// # Failures
//
// A not-found answer is cached for the negative TTL and reported with an
// error wrapping [ErrNotFound]; it is authoritative and replaces a cached
// value. Other provider errors are not cached: the next Get asks again,
// except that while a previous value is within its stale-if-error window
// that value is served (counted as stale) and re-served for up to 5 seconds
// before the provider is asked again. If the provider panics, the panic is
// recovered in the fetch goroutine; the Get that started the fetch re-panics
// with the same value (as golang.org/x/sync/singleflight does), and other
// waiters receive a [*FetchError] wrapping [ErrProviderPanic]. Nothing is
// cached and nothing deadlocks. A panic in a background refresh only reaches
// Gets that waited for it.
//
// # Eviction
//
// At most MaxEntries names are cached. Eviction uses the CLOCK algorithm
// (second chance), an approximation of least-recently-used: a hit sets the
// entry's atomic "referenced" bit (only if it is not already set, so hot
// entries cause no cache-line writes), and inserting a name into a full
// cache sweeps a hand over the entries, clearing set bits and evicting the
// first entry whose bit is clear. Sweeps run under a mutex that only
// inserts and removals take, never hits.
//
// # Zeroing
//
// The cache owns the slices its provider returns. When an entry is evicted
// or invalidated its plaintext is zeroed at once. When a value is replaced
// by a newer fetch it is zeroed at the following replacement (or on eviction),
// so that a [Value] handed out just before a refresh stays readable for a
// TTL. Zeroing is best effort: strings from [Value.Reveal], slices from
// [Value.Bytes], and copies the provider or the Go runtime made are beyond
// its reach.
//
// # Time
//
// The cache reads time only through time.Since and runtime timers, so
// testing/synctest's fake clock drives it completely in tests (expiry,
// jitter, refresh-ahead, stale windows, fetch timeouts); there is no clock
// option. Deadlines use the monotonic clock and ignore wall-clock changes.
//
// # Telemetry
//
// Every Get adds 1 to the counter fnshield.secrets.cache with the attribute
// result = hit, miss, stale, coalesced or negative. Every provider call makes
// a span "secrets.fetch" (attributes: provider type, secret name, outcome) and
// adds 1 to fnshield.secrets.fetch with the outcome (ok, not_found, error,
// panic). Values never reach spans, counters or errors.
type Cache struct {
	// names maps each cached name (string) to its *entry. Inserts and
	// removals happen with mu held.
	names sync.Map
	tel   *telemetry

	provider Provider
	cfg      config
	epoch    time.Time // clock origin of the int64 deadlines below

	// mu guards ring and hand and serialises the changes to names. Lock
	// order: Cache.mu before entry.mu.
	mu   sync.Mutex
	ring []*entry // every entry of names, swept by the CLOCK hand
	hand int
}

// entry is one cached name.
type entry struct {
	// The fields a hit reads come first.

	// fresh is the buffer of the current snapshot while that snapshot is a
	// value (not a cached not-found), not stale and not due: a hit returns
	// it without loading the snapshot. Set by installLocked before the
	// snapshot's timer starts, cleared (compare-and-swap) by that timer and
	// by removeLocked. nil sends Get to snap.
	fresh atomic.Pointer[buffer]

	// ref is the CLOCK bit: set by hits, cleared by the eviction sweep.
	ref atomic.Bool

	name string

	// snap is the current state: nil until a fetch succeeds or reports
	// not-found, and after removal.
	snap atomic.Pointer[snapshot]

	// idx is the entry's position in Cache.ring; guarded by Cache.mu.
	idx int

	// mu guards the fields below and orders snapshot installs against
	// removal.
	mu       sync.Mutex
	inflight *call   // the running fetch, if any
	retired  *buffer // the previous value, zeroed at the next replacement
	removed  bool    // evicted or invalidated: fetch results are not kept
}

// snapshot is an immutable view of an entry, except for its atomic flags.
// Times are nanoseconds since Cache.epoch.
type snapshot struct {
	// The fields a stale or negative hit reads come first.
	due   atomic.Bool // set by timer once refreshAt has passed
	stale bool        // re-served after a failed fetch
	buf   *buffer     // nil for a cached not-found
	err   error       // the *FetchError of a cached not-found

	refreshAt  int64 // refresh-ahead point; equals expires when off
	expires    int64
	staleUntil int64 // buf may be served after a failed fetch until then

	refreshStarted atomic.Bool // refresh-ahead runs once per snapshot
	timer          *time.Timer // written before the snapshot is published
}

// call is one provider fetch that Gets wait for. Its result fields are
// written before done is closed and read after.
type call struct {
	done       chan struct{}
	val        Value
	err        error
	stale      bool
	panicked   bool
	panicValue any
}

// New returns a Cache that fetches secrets from p. Defaults: TTL 5 minutes
// with ±10 % jitter, 1024 entries, stale-if-error 1 hour, negative TTL
// 30 seconds, fetch timeout 10 seconds, refresh-ahead off. New never fails:
// a nil provider or an invalid option makes every Get return an error
// wrapping [ErrInvalidOption]. The providers' Go type names the provider in
// spans.
func New(p Provider, opts ...Option) *Cache {
	cfg := newConfig(opts)
	if p == nil {
		cfg.invalid("nil provider")
	}
	return &Cache{
		tel:      newTelemetry(&cfg, fmt.Sprintf("%T", p)),
		provider: p,
		cfg:      cfg,
		epoch:    time.Now(),
	}
}

// errNoProvider is returned by every Get of the zero Cache.
var errNoProvider = fmt.Errorf("%w: zero Cache, use New", ErrInvalidOption)

// Get returns the named secret, from the cache when it holds a fresh value,
// else from the provider. A missing secret gives a [*FetchError] wrapping
// [ErrNotFound]; an invalid name gives an error wrapping [ErrInvalidName];
// if ctx ends first, Get returns ctx.Err() and the fetch goes on for others.
func (c *Cache) Get(ctx context.Context, name string) (Value, error) {
	if e := c.lookup(name); e != nil {
		if b := e.fresh.Load(); b != nil {
			e.touch()
			c.count(ctx, resultHit)
			return Value{buf: b}, nil
		}
		if s := e.snap.Load(); s != nil && !s.due.Load() {
			return c.serve(ctx, e, s) // a stale value or a cached not-found
		}
	}
	return c.get(ctx, name)
}

// touch sets e's CLOCK bit, writing only when it is clear so that hits on a
// hot entry share its cache line instead of bouncing it between cores.
func (e *entry) touch() {
	if !e.ref.Load() {
		e.ref.Store(true)
	}
}

// serve returns the value or cached not-found of snapshot s of e.
func (c *Cache) serve(ctx context.Context, e *entry, s *snapshot) (Value, error) {
	e.touch()
	switch {
	case s.buf == nil:
		c.count(ctx, resultNegative)
		return Value{}, s.err
	case s.stale:
		c.count(ctx, resultStale)
	default:
		c.count(ctx, resultHit)
	}
	return Value{buf: s.buf}, nil
}

func (c *Cache) count(ctx context.Context, r result) {
	c.tel.cache.Add(ctx, 1, c.tel.resultOpts[r]...)
}

// now returns the monotonic time since c.epoch.
func (c *Cache) now() int64 { return int64(time.Since(c.epoch)) }

// get is the slow path: a miss, or a snapshot whose timer has fired.
func (c *Cache) get(ctx context.Context, name string) (Value, error) {
	if c.provider == nil {
		return Value{}, errNoProvider
	}
	if c.cfg.err != nil {
		return Value{}, c.cfg.err
	}
	if err := checkName(name); err != nil {
		return Value{}, err
	}
	if err := ctx.Err(); err != nil {
		return Value{}, err
	}
	e := c.entry(name)
	if s := e.snap.Load(); s != nil {
		now := c.now()
		if now < s.expires {
			if now >= s.refreshAt && s.refreshStarted.CompareAndSwap(false, true) {
				c.refresh(ctx, e)
			}
			return c.serve(ctx, e, s)
		}
	}

	e.mu.Lock()
	if s := e.snap.Load(); s != nil && c.now() < s.expires {
		// Filled while we were getting here.
		e.mu.Unlock()
		return c.serve(ctx, e, s)
	}
	res := resultCoalesced
	cl := e.inflight
	if cl == nil {
		res = resultMiss
		cl = &call{done: make(chan struct{})}
		e.inflight = cl
		go c.fill(ctx, e, cl)
	}
	e.mu.Unlock()

	select {
	case <-cl.done:
	case <-ctx.Done():
		return Value{}, ctx.Err()
	}
	if cl.panicked {
		if res == resultMiss {
			panic(cl.panicValue)
		}
		return Value{}, cl.err
	}
	if cl.stale {
		res = resultStale
	}
	c.count(ctx, res)
	return cl.val, cl.err
}

// refresh starts a background fetch for e unless one is running.
func (c *Cache) refresh(ctx context.Context, e *entry) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.inflight != nil || e.removed {
		return
	}
	cl := &call{done: make(chan struct{})}
	e.inflight = cl
	go c.fill(ctx, e, cl)
}

// entry returns the entry of name, inserting one (and evicting another if
// the cache is full) if there is none.
func (c *Cache) entry(name string) *entry {
	if e := c.lookup(name); e != nil {
		return e
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.lookup(name); e != nil {
		return e
	}
	if len(c.ring) >= c.cfg.maxEntries {
		c.removeLocked(c.victimLocked())
	}
	e := &entry{name: strings.Clone(name), idx: len(c.ring)}
	c.ring = append(c.ring, e)
	c.names.Store(e.name, e)
	return e
}

// lookup returns the entry of name, or nil.
func (c *Cache) lookup(name string) *entry {
	if v, ok := c.names.Load(name); ok {
		return v.(*entry)
	}
	return nil
}

// victimLocked chooses the entry to evict with the CLOCK sweep. Requires
// c.mu held and a non-empty ring.
func (c *Cache) victimLocked() *entry {
	// Two turns clear every bit, unless hits keep setting them; then the
	// entry under the hand goes anyway. Removal moves the last entry to the
	// hand, so the hand does not advance past a victim.
	for range 2 * len(c.ring) {
		if c.hand >= len(c.ring) {
			c.hand = 0
		}
		e := c.ring[c.hand]
		if !e.ref.Load() {
			return e
		}
		e.ref.Store(false)
		c.hand++
	}
	if c.hand >= len(c.ring) {
		c.hand = 0
	}
	return c.ring[c.hand]
}

// removeLocked takes e out of the ring and the name map, and zeroes e's
// plaintext. Requires c.mu held and e not yet removed.
func (c *Cache) removeLocked(e *entry) {
	last := len(c.ring) - 1
	moved := c.ring[last]
	c.ring[e.idx] = moved
	moved.idx = e.idx
	c.ring[last] = nil
	c.ring = c.ring[:last]
	c.names.Delete(e.name)

	e.mu.Lock()
	defer e.mu.Unlock()
	e.removed = true
	e.fresh.Store(nil)
	if s := e.snap.Swap(nil); s != nil {
		s.stopTimer()
		s.buf.wipe()
	}
	e.retired.wipe()
	e.retired = nil
}

// removeIfEmpty removes e if it holds nothing, so that failed lookups of
// many names do not fill the cache.
func (c *Cache) removeIfEmpty(e *entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e.mu.Lock()
	empty := !e.removed && e.inflight == nil && e.snap.Load() == nil
	e.mu.Unlock()
	if empty {
		c.removeLocked(e)
	}
}

// Invalidate drops the named secret from the cache and zeroes its cached
// plaintext; the next Get fetches it again. A fetch already running still
// answers the Gets waiting for it, but its result is not kept. Invalidating
// a name that is not cached does nothing.
func (c *Cache) Invalidate(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.lookup(name); e != nil {
		c.removeLocked(e)
	}
}

// Prime stores a copy of v as the current value of name, as if the
// provider had just returned it: it is served for a jittered TTL, then
// fetched again from the provider under the same name, with refresh-ahead,
// stale-if-error and coalescing like any fetched value. It suits values
// loaded in bulk at cold start, such as the parameters of ssm.LoadPath,
// under the names the provider reads them by. A cached value or not-found
// answer for name is replaced (and zeroed as on a refresh); a fetch already
// running still answers its waiters and then replaces the primed value.
// Priming may evict another name, as a miss does. The zero Value primes an
// empty secret. Prime fails with an error wrapping [ErrInvalidName] or
// [ErrInvalidOption] as Get would; it does not count as a Get in the
// telemetry.
func (c *Cache) Prime(name string, v Value) error {
	switch {
	case c.provider == nil:
		return errNoProvider
	case c.cfg.err != nil:
		return c.cfg.err
	}
	if err := checkName(name); err != nil {
		return err
	}
	b := v.Bytes()
	if b == nil {
		b = []byte{}
	}
	e := c.entry(name)
	now := c.now()
	e.mu.Lock()
	defer e.mu.Unlock()
	c.installLocked(e, c.newSnapshot(now, newBuffer(b)), now)
	return nil
}

// GetJSON gets the named secret and decodes it as JSON into v. A decoding
// failure gives a [*FetchError] wrapping [ErrDecode], whose text never
// includes any part of the secret (encoding/json's errors can); v may have
// been partly filled.
func (c *Cache) GetJSON(ctx context.Context, name string, v any) error {
	val, err := c.Get(ctx, name)
	if err != nil {
		return err
	}
	err = val.with(func(b []byte) error { return json.Unmarshal(b, v) })
	if err == nil {
		return nil
	}
	var invalid *json.InvalidUnmarshalError
	if errors.As(err, &invalid) {
		return invalid // a programming error about v's type, no secret data
	}
	return &FetchError{Name: name, Err: ErrDecode}
}

// fill runs one provider fetch for e and publishes its result to cl.
func (c *Cache) fill(ctx context.Context, e *entry, cl *call) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.fetchTimeout)
	defer cancel()
	ctx, span := c.tel.tracer.Start(ctx, "secrets.fetch",
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(c.tel.provider, attribute.String("fnshield.secrets.name", e.name)))

	b, err, panicValue, panicked := c.fetch(ctx, e.name)

	out := outcomeOK
	switch {
	case panicked:
		out = outcomePanic
	case err == nil:
	case errors.Is(err, ErrNotFound):
		out = outcomeNotFound
	default:
		out = outcomeError
		span.SetAttributes(attribute.String("error.type", errorType(err)))
	}
	c.tel.fetch.Add(ctx, 1, c.tel.outcomeOpts[out]...)
	span.SetAttributes(c.tel.outcomeAttrs[out])
	if out == outcomeError || out == outcomePanic {
		span.SetStatus(codes.Error, outcomeNames[out])
	}
	span.End()

	now := c.now()
	e.mu.Lock()
	cur := e.snap.Load()
	switch out {
	case outcomePanic:
		cl.panicked, cl.panicValue = true, panicValue
		cl.err = &FetchError{Name: e.name, Err: ErrProviderPanic}
	case outcomeOK:
		buf := newBuffer(b)
		cl.val = Value{buf: buf}
		c.installLocked(e, c.newSnapshot(now, buf), now)
	case outcomeNotFound:
		ferr := &FetchError{Name: e.name, Err: err}
		cl.err = ferr
		var s *snapshot
		if c.cfg.negativeTTL > 0 {
			exp := addSat(now, int64(c.cfg.negativeTTL))
			s = &snapshot{err: ferr, refreshAt: exp, expires: exp, staleUntil: exp}
		}
		c.installLocked(e, s, now)
	default:
		switch {
		case cur != nil && cur.buf != nil && now < cur.expires:
			// A refresh-ahead failed; the current value is still fresh.
			cl.val = Value{buf: cur.buf}
		case cur != nil && cur.buf != nil && now < cur.staleUntil:
			exp := min(addSat(now, int64(min(staleRetryMax, c.cfg.ttl))), cur.staleUntil)
			c.installLocked(e, &snapshot{
				buf: cur.buf, stale: true,
				refreshAt: exp, expires: exp, staleUntil: cur.staleUntil,
			}, now)
			cl.val, cl.stale = Value{buf: cur.buf}, true
		default:
			cl.err = &FetchError{Name: e.name, Err: err}
			if cur != nil {
				c.installLocked(e, nil, now) // expired beyond use
			}
		}
	}
	e.inflight = nil
	empty := e.snap.Load() == nil && !e.removed
	e.mu.Unlock()
	// Remove an empty entry before waking the waiters, so that a Get that
	// returned an error has left nothing of its name in the cache.
	if empty {
		c.removeIfEmpty(e)
	}
	close(cl.done)
}

// fetch calls the provider, recovering a panic.
func (c *Cache) fetch(ctx context.Context, name string) (b []byte, err error, panicValue any, panicked bool) {
	normal := false
	defer func() {
		if !normal {
			panicValue, panicked = recover(), true
			b, err = nil, nil
		}
	}()
	b, err = c.provider.Fetch(ctx, name)
	normal = true
	return b, err, nil, false
}

// errorType names an error's kind for the error.type span attribute
// without its text.
func errorType(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	return fmt.Sprintf("%T", err)
}

// newSnapshot returns the snapshot of a value fetched at now, with a
// jittered TTL.
func (c *Cache) newSnapshot(now int64, buf *buffer) *snapshot {
	ttl := float64(c.cfg.ttl) * (1 + c.cfg.jitter*(2*rand.Float64()-1))
	exp := addSat(now, int64(ttl))
	s := &snapshot{
		buf:        buf,
		refreshAt:  exp,
		expires:    exp,
		staleUntil: addSat(exp, int64(c.cfg.staleIfError)),
	}
	if c.cfg.refreshAhead > 0 {
		s.refreshAt = addSat(now, int64(ttl*c.cfg.refreshAhead))
	}
	return s
}

// installLocked makes s (nil to drop the value) e's current snapshot.
// Requires e.mu held.
func (c *Cache) installLocked(e *entry, s *snapshot, now int64) {
	if e.removed {
		return // evicted or invalidated meanwhile: the waiters own the result
	}
	old := e.snap.Load()
	var fresh *buffer
	if s != nil && s.buf != nil && !s.stale {
		fresh = s.buf
	}
	// fresh first, then the timer, whose expire can then clear it.
	e.fresh.Store(fresh)
	if s != nil {
		s.startTimer(e, now)
	}
	e.snap.Store(s)
	if old == nil {
		return
	}
	old.stopTimer()
	if old.buf != nil && (s == nil || s.buf != old.buf) {
		e.retired.wipe()
		e.retired = old.buf
	}
}

// startTimer arranges for s to expire at s.refreshAt. Requires e.fresh
// already set for s.
func (s *snapshot) startTimer(e *entry, now int64) {
	d := time.Duration(s.refreshAt - now)
	if d <= 0 {
		s.expire(e)
		return
	}
	s.timer = time.AfterFunc(d, func() { s.expire(e) })
}

// expire marks s due and stops hits on e from returning its buffer. It
// leaves e.fresh alone if s is no longer current: a newer snapshot of a
// value always has a buffer of its own, and one that shares s's buffer (a
// stale one) never sets e.fresh.
func (s *snapshot) expire(e *entry) {
	s.due.Store(true)
	if s.buf != nil {
		e.fresh.CompareAndSwap(s.buf, nil)
	}
}

func (s *snapshot) stopTimer() {
	if s.timer != nil {
		s.timer.Stop()
	}
}

// addSat returns a+b for b ≥ 0, saturating instead of overflowing.
func addSat(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
