package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"sync"
	"time"
)

// DefaultMaxKeys is the size of the memory store a [Limiter] creates when no
// [WithStore] option is given.
const DefaultMaxKeys = 100_000

// maxMemoryKeys bounds NewMemoryStore's maxKeys so that slot indexes fit
// an int32.
const maxMemoryKeys = 1 << 30

// ErrInvalidMaxKeys is returned by [NewMemoryStore] for a maxKeys below 1 or
// above 2^30.
var ErrInvalidMaxKeys = errors.New("ratelimit: invalid memory store size")

// MemoryStore is a [Store] that keeps buckets in the process's memory. It is
// the default store: right for a single server, and as a cheap first line
// of defence in each Lambda instance (a limit kept in one instance's memory
// is a limit per instance; use ratelimit/redisstore for one limit across
// instances).
//
// It holds at most maxKeys keys. When full, adding a key evicts the least
// recently used one, so a flood of distinct keys cannot exhaust memory.
// (Keys are spread over up to 64 parts, each holding an equal share of
// maxKeys and evicting its own least recently used key, so with random
// keys eviction starts when the store is a few percent short of full.) An
// evicted key that comes back starts again with a full bucket. Size the
// store above the number of keys active within one bucket-refill time
// (Capacity × Interval), or a flood of new keys can give the clients it
// evicts a fresh burst. Each key costs about 100 bytes plus its length
// (the default key functions make keys of at most 60 bytes); memory grows
// with the keys actually seen, not with maxKeys.
//
// A MemoryStore starts no goroutine and needs no Close. It never returns
// an error for a valid Limit. It is safe for concurrent use; keys are
// spread over independently locked shards, so unrelated keys do not
// contend. The zero value is not usable: call [NewMemoryStore].
type MemoryStore struct {
	seed   maphash.Seed
	mask   uint64 // len(shards) - 1
	shards []shard
	start  time.Time // monotonic origin of the store's clock

	now func() int64 // nil: nanoseconds since start; tests replace it
}

// shard is one independently locked part of the store: an index from key to
// slot and the slots, linked in least-recently-used order.
type shard struct {
	mu      sync.Mutex
	index   map[string]int32 // key → slot; requires mu held
	entries []entry          // slots; requires mu held
	head    int32            // most recently used slot, -1 when empty; requires mu held
	tail    int32            // least recently used slot, -1 when empty; requires mu held
	max     int              // slot limit of this shard, ≥ 1
	_       [64]byte         // keeps two shards' locks off one cache line
}

type entry struct {
	key        string
	tat        int64 // theoretical arrival time, on the store's clock
	prev, next int32 // neighbours in LRU order, -1 at the ends
}

// NewMemoryStore returns a store holding at most maxKeys keys
// (1 ≤ maxKeys ≤ 2^30; otherwise it returns [ErrInvalidMaxKeys]).
func NewMemoryStore(maxKeys int) (*MemoryStore, error) {
	if maxKeys < 1 || maxKeys > maxMemoryKeys {
		return nil, fmt.Errorf("%w: maxKeys must be between 1 and %d", ErrInvalidMaxKeys, maxMemoryKeys)
	}
	// Up to 64 shards, a power of two, never more shards than keys.
	n := 64
	for n > maxKeys {
		n /= 2
	}
	return newMemoryStore(maxKeys, n), nil
}

// newMemoryStore builds a store of maxKeys keys over n shards (a power of
// two, at most maxKeys).
func newMemoryStore(maxKeys, n int) *MemoryStore {
	s := &MemoryStore{
		seed:   maphash.MakeSeed(),
		mask:   uint64(n - 1),
		shards: make([]shard, n),
		start:  time.Now(),
	}
	for i := range s.shards {
		sh := &s.shards[i]
		sh.max = maxKeys / n
		if i < maxKeys%n {
			sh.max++
		}
		sh.index = make(map[string]int32)
		sh.head, sh.tail = -1, -1
	}
	return s
}

// Allow implements [Store]. ctx is not used: the decision never waits.
func (s *MemoryStore) Allow(_ context.Context, key string, limit Limit, n int) (Decision, error) {
	g, err := limit.gcra()
	if err != nil {
		return Decision{}, err
	}
	if err := checkN(n, g); err != nil {
		return Decision{}, err
	}
	return s.allow("", key, g, int64(n), s.clock()), nil
}

// Len returns the number of keys held.
func (s *MemoryStore) Len() int {
	total := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		total += len(sh.index)
		sh.mu.Unlock()
	}
	return total
}

// clock returns the store's time in nanoseconds: monotonic, from the store's
// creation.
func (s *MemoryStore) clock() int64 {
	if s.now != nil {
		return s.now()
	}
	return int64(time.Since(s.start))
}

// allow decides for the key prefix+key without building that string unless
// the key is new, so that a known key costs no allocation.
func (s *MemoryStore) allow(prefix, key string, g gcra, n, now int64) Decision {
	var buf [128]byte
	b := append(append(buf[:0], prefix...), key...)
	sh := &s.shards[maphash.Bytes(s.seed, b)&s.mask]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	i, ok := sh.index[string(b)]
	if !ok {
		// A missing key is a full bucket; n ≤ burst, so it is allowed.
		tat, d := g.step(now, now, n)
		sh.insert(string(b), tat)
		return d
	}
	e := &sh.entries[i]
	tat, d := g.step(e.tat, now, n)
	e.tat = tat
	sh.touch(i)
	return d
}

// insert adds key as the most recently used entry, evicting the least
// recently used one when the shard is full. It requires sh.mu held and key
// absent.
func (sh *shard) insert(key string, tat int64) {
	var i int32
	if len(sh.entries) < sh.max {
		i = int32(len(sh.entries))
		sh.entries = append(sh.entries, entry{})
	} else {
		i = sh.tail
		sh.unlink(i)
		delete(sh.index, sh.entries[i].key)
	}
	sh.entries[i] = entry{key: key, tat: tat, prev: -1, next: sh.head}
	if sh.head >= 0 {
		sh.entries[sh.head].prev = i
	}
	sh.head = i
	if sh.tail < 0 {
		sh.tail = i
	}
	sh.index[key] = i
}

// touch makes slot i the most recently used. It requires sh.mu held.
func (sh *shard) touch(i int32) {
	if sh.head == i {
		return
	}
	sh.unlink(i)
	e := &sh.entries[i]
	e.prev, e.next = -1, sh.head
	if sh.head >= 0 {
		sh.entries[sh.head].prev = i
	}
	sh.head = i
	if sh.tail < 0 {
		sh.tail = i
	}
}

// unlink takes slot i out of the LRU list. It requires sh.mu held.
func (sh *shard) unlink(i int32) {
	e := &sh.entries[i]
	if e.prev >= 0 {
		sh.entries[e.prev].next = e.next
	} else {
		sh.head = e.next
	}
	if e.next >= 0 {
		sh.entries[e.next].prev = e.prev
	} else {
		sh.tail = e.prev
	}
	e.prev, e.next = -1, -1
}
