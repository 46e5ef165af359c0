package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
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
// It holds at most maxKeys keys, so a flood of distinct keys cannot
// exhaust memory. When full, adding a key evicts one not used recently:
// an approximation of least-recently-used (CLOCK) in which a key used
// since the store last considered it for eviction is kept, so that a flood
// of one-off keys displaces other new keys before those of active clients.
//
// A store of fewer than 2048 keys is exact: it evicts only when it holds
// maxKeys keys, and chooses among all of them. A larger store is split
// into up to 64 independently locked parts of at least 1024 keys each,
// and a part evicts as soon as it is full, so it evicts a little before
// the whole store is full. Measured with random keys, the first eviction
// comes on average at 93 to 98 % of maxKeys (94 % at [DefaultMaxKeys], 98 %
// at a million keys; never below 90 % in any trial), and after maxKeys
// distinct keys the store holds on average 98.8 to 99.7 % of them (99.0 %
// at DefaultMaxKeys).
//
// An evicted key that comes back starts again with a full bucket. Size the
// store above the number of keys active within one bucket-refill time
// (Burst × Period / Rate), or a flood of new keys can give the clients it
// evicts a fresh burst.
//
// Each key costs 32 to 64 bytes whatever its length: keys are remembered
// by a 64-bit hash under a random per-store seed, so two keys share a
// bucket only on a collision (about 6 in 10^8 for a million keys, and
// clients cannot aim for one). Memory grows with the keys actually seen,
// not with maxKeys.
//
// A MemoryStore starts no goroutine and needs no Close. It never returns
// an error for a valid Limit. It is safe for concurrent use; in a store of
// 2048 keys or more, calls for unrelated keys seldom wait for each other.
// The zero value is not usable: call [NewMemoryStore].
type MemoryStore struct {
	seed   maphash.Seed
	mask   uint64 // len(shards) - 1
	shards []shard
	start  time.Time // monotonic origin of the store's clock

	now func() int64 // nil: nanoseconds since start; tests replace it
}

// NewMemoryStore returns a store holding at most maxKeys keys
// (1 ≤ maxKeys ≤ 2^30; otherwise it returns [ErrInvalidMaxKeys]).
func NewMemoryStore(maxKeys int) (*MemoryStore, error) {
	if maxKeys < 1 || maxKeys > maxMemoryKeys {
		return nil, fmt.Errorf("%w: maxKeys must be between 1 and %d", ErrInvalidMaxKeys, maxMemoryKeys)
	}
	return newMemoryStore(maxKeys, shardCount(maxKeys)), nil
}

// Shards spread unrelated keys over independent locks, but each one evicts
// on its own as soon as it is full, while others may still have room.
// With random keys a shard's share varies by about the square root of its
// size, so shards are made large enough for that to be a small fraction
// of them; a store too small for two such shards is one shard, whose
// CLOCK is exact over all its keys.
const (
	minShardKeys = 1024 // keys a shard holds at least, when there are several
	maxShards    = 64
)

// shardCount returns the number of shards for a store of maxKeys keys:
// the largest power of two up to maxShards that leaves every shard at
// least minShardKeys keys, or 1.
func shardCount(maxKeys int) int {
	n := 1
	for 2*n <= maxShards && maxKeys/(2*n) >= minShardKeys {
		n *= 2
	}
	return n
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
		total += sh.count
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

// allow decides for the key prefix+key.
func (s *MemoryStore) allow(prefix, key string, g gcra, n, now int64) Decision {
	h := s.hash(prefix, key)
	sh := &s.shards[h&s.mask]
	tag := tagOf(h)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if i, ok := sh.find(tag); ok {
		e := &sh.slots[i]
		tat, d := g.step(e.tat, now, n)
		e.tat = tat
		e.tag |= refBit
		return d
	}
	// A missing key is a full bucket; n ≤ burst, so it is allowed.
	tat, d := g.step(now, now, n)
	sh.insert(tag, tat)
	return d
}

// hash returns the hash of prefix+key without building that string.
func (s *MemoryStore) hash(prefix, key string) uint64 {
	if len(prefix)+len(key) <= 128 {
		var buf [128]byte
		return maphash.Bytes(s.seed, append(append(buf[:0], prefix...), key...))
	}
	// The same value, streamed: Hash writes are equivalent to one write of
	// the concatenation.
	var mh maphash.Hash
	mh.SetSeed(s.seed)
	mh.WriteString(prefix)
	mh.WriteString(key)
	return mh.Sum64()
}
