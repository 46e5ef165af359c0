package redact

import (
	"encoding/binary"
	"math/bits"
	"strings"
	"sync/atomic"
)

// cleanKeys remembers short quoted keys that were found not sensitive, so
// that the next line from the same logger ("time", "level", "msg", ...)
// costs one lookup per key instead of a walk over it. It is exact: a key is
// recognised only by all of its bytes, together with its opening quote, so
// a sensitive key can never be taken for a remembered one. Collisions only
// evict.
//
// Each slot is a tiny seqlock, so that concurrent writers and readers never
// see a key made of two halves: a reader accepts the two words only if the
// slot's sequence number was even and unchanged around its loads, and a
// writer takes the slot by moving the number from even to odd, or gives up.
type cleanKeys struct {
	// short holds keys of up to 7 bytes: with the opening quote, one word.
	short [cleanKeySlots]atomic.Uint64
	// slots holds longer ones, two words each, in sets of two.
	slots [cleanKeySlots]cleanKeySlot
	// writes is how many more keys may be stored. Every store takes a
	// slot's cache line from the other cores, which then miss on it: with
	// keys that never repeat (IDs used as keys), storing without end made
	// two cores 1.5x slower than no cache at all. A logger's keys are
	// learnt in its first lines; after maxCleanKeyWrites stores the cache
	// is only read.
	writes atomic.Int64
}

// maxCleanKeyWrites bounds the stores over a Redactor's life.
const maxCleanKeyWrites = 4096

func newCleanKeys() *cleanKeys {
	c := new(cleanKeys)
	c.writes.Store(maxCleanKeyWrites)
	return c
}

const cleanKeySlots = 256

type cleanKeySlot struct {
	seq    atomic.Uint32
	lo, hi atomic.Uint64
}

// maxCachedKey is the longest key that cleanKeys holds: with its opening
// quote, it fits the 16 bytes that end at the closing quote.
const maxCachedKey = 15

// quotedKeyWords returns the (at most) 16 bytes that end at s[ke], the
// closing quote q of a key, as two little-endian words, with every byte
// before the opening quote cleared (zero bytes stand for those before
// s[0]). It also returns the index of the opening quote: the last q before
// ke. ok is false if the key is longer than maxCachedKey.
func quotedKeyWords(s string, ke int, q byte) (lo, hi uint64, open int, ok bool) {
	switch {
	case uint(ke) > uint(len(s)):
		return 0, 0, 0, false
	case ke >= 16:
		lo, hi = le64(s[ke-16:]), le64(s[ke-8:])
	case len(s) < 8:
		for k := range ke {
			hi |= uint64(s[k]) << (8 * (8 - ke + k))
		}
	case ke >= 8:
		lo, hi = le64(s)<<(8*(16-ke)), le64(s[ke-8:])
	default:
		hi = le64(s) << (8 * (8 - ke))
	}
	qq := uint64(q) * 0x0101010101010101
	if z := zeroBytes(hi ^ qq); z != 0 {
		p := bits.Len64(z) - 8 // the lowest bit of the last quote
		return 0, hi &^ (1<<p - 1), ke - 8 + p/8, true
	}
	if z := zeroBytes(lo ^ qq); z != 0 {
		p := bits.Len64(z) - 8
		return lo &^ (1<<p - 1), hi, ke - 16 + p/8, true
	}
	return 0, 0, 0, false
}

func le64(b string) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// zeroBytes returns x with the high bit of each zero byte set and every
// other bit clear. It is exact: no borrow runs between bytes.
func zeroBytes(x uint64) uint64 {
	const low7 = 0x7f7f7f7f7f7f7f7f
	return ^((x&low7 + low7) | x | low7)
}

// shortSlot returns the slot where the key of up to 7 bytes in w (lo
// being zero) may be kept.
func (c *cleanKeys) shortSlot(w uint64) *atomic.Uint64 {
	return &c.short[w*0x9e3779b97f4a7c15>>(64-8)]
}

// set returns the two slots where the key in lo, hi may be kept.
func (c *cleanKeys) set(lo, hi uint64) *[2]cleanKeySlot {
	h := (lo*0x9e3779b97f4a7c15 ^ hi) * 0xbf58476d1ce4e5b9
	return (*[2]cleanKeySlot)(c.slots[h>>(64-7)*2:])
}

// has reports whether the key in lo, hi was remembered as not sensitive.
func (c *cleanKeys) has(lo, hi uint64) bool {
	if lo == 0 {
		return c.shortSlot(hi).Load() == hi
	}
	set := c.set(lo, hi)
	return set[0].holds(lo, hi) || set[1].holds(lo, hi)
}

func (sl *cleanKeySlot) holds(lo, hi uint64) bool {
	seq := sl.seq.Load()
	return seq&1 == 0 && sl.hi.Load() == hi && sl.lo.Load() == lo && sl.seq.Load() == seq
}

// add remembers the key in lo, hi as not sensitive, while the write
// budget lasts.
func (c *cleanKeys) add(lo, hi uint64) {
	if c.writes.Load() > 0 && c.writes.Add(-1) >= 0 {
		c.store(lo, hi)
	}
}

// store remembers the key in lo, hi as not sensitive, in an empty slot of
// its set or else in the one written fewer times, unless another writer
// holds that slot.
func (c *cleanKeys) store(lo, hi uint64) {
	if lo == 0 {
		c.shortSlot(hi).Store(hi)
		return
	}
	set := c.set(lo, hi)
	sl := &set[0]
	if s0, s1 := set[0].seq.Load(), set[1].seq.Load(); s0 != 0 && (s1 == 0 || s1 < s0) {
		sl = &set[1]
	}
	seq := sl.seq.Load()
	if seq&1 != 0 || !sl.seq.CompareAndSwap(seq, seq+1) {
		return
	}
	sl.lo.Store(lo)
	sl.hi.Store(hi)
	sl.seq.Store(seq + 2)
}

// matchKey is r.keys.match for the key of an attribute, a map or a struct
// field, with the clean keys in front: a short key is looked up as the JSON
// key "key" would be, so that the keys a program logs on every record cost
// one lookup. A key with a '"' in it is never looked up: no JSON key read
// by the scanner holds one.
func (r *Redactor) matchKey(key string) (string, bool) {
	c := r.clean
	if c == nil || len(key) > maxCachedKey || strings.IndexByte(key, '"') >= 0 {
		return r.keys.match(key)
	}
	lo, hi := bareKeyWords(key)
	if c.has(lo, hi) {
		return "", false
	}
	kind, ok := r.keys.match(key)
	if !ok {
		c.add(lo, hi)
	}
	return kind, ok
}

// bareKeyWords returns what quotedKeyWords returns for the JSON key "key";
// key is at most maxCachedKey bytes long.
func bareKeyWords(key string) (lo, hi uint64) {
	var b [16]byte
	copy(b[16-len(key):], key)
	b[15-len(key)] = '"'
	return binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:])
}
