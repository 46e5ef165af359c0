package ratelimit

import "sync"

// shard is one independently locked part of a MemoryStore: an
// open-addressing table (linear probing, at most half full) of slots that
// hold a key's hash and its bucket side by side, so that a lookup usually
// reads one cache line.
//
// A key is kept as its 64-bit hash under the store's random seed, bit 0
// aside: two keys share a bucket only if their hashes collide, with odds
// of about n²/2^64 for n keys (6 in 10^8 for a million), which a client
// cannot aim for without the seed. In exchange a key costs 32 to 64 bytes
// whatever its length, and a lookup reads no key text.
//
// Eviction is CLOCK, an approximation of least-recently-used: a hit sets
// its slot's ref bit, and a full shard's hand sweeps the table, clearing
// ref bits, until it finds a key without one: a key not used since the
// hand last passed it. New keys start without it.
type shard struct {
	mu    sync.Mutex
	slots []slot   // nil until the first key; len a power of two; requires mu held
	count int      // keys held; requires mu held
	hand  int      // next slot the eviction sweep looks at; requires mu held
	max   int      // key limit of this shard, ≥ 1
	_     [64]byte // keeps two shards' locks off one cache line
}

// slot is one key's bucket: tag is the key's hash with bit 0 the ref bit,
// and 0 for an empty slot.
type slot struct {
	tag uint64
	tat int64 // theoretical arrival time, on the store's clock
}

const refBit = 1

// minSlots is the table size of a shard's first key.
const minSlots = 8

// tagOf returns the tag of a key hash: the hash without the ref bit, never
// 0 (which marks an empty slot).
func tagOf(h uint64) uint64 {
	if t := h &^ refBit; t != 0 {
		return t
	}
	return 2
}

// home returns the slot where a tag's probe starts. The low bits chose the
// shard, so the table index comes from higher ones.
func (sh *shard) home(tag uint64) int {
	return int(tag>>8) & (len(sh.slots) - 1)
}

// find returns the slot holding tag, and true; or false when tag is
// absent. It requires sh.mu held.
func (sh *shard) find(tag uint64) (int, bool) {
	if sh.slots == nil {
		return 0, false
	}
	mask := len(sh.slots) - 1
	for i := sh.home(tag); ; i = (i + 1) & mask {
		// The table is at most half full, so an empty slot ends the probe.
		switch t := sh.slots[i].tag; {
		case t == 0:
			return i, false
		case t&^refBit == tag:
			return i, true
		}
	}
}

// insert adds tag, absent, with its bucket, first evicting a key when the
// shard is full. It requires sh.mu held.
func (sh *shard) insert(tag uint64, tat int64) {
	if sh.count == sh.max {
		sh.evict()
	}
	if need := 2 * (sh.count + 1); need > len(sh.slots) {
		sh.grow(need)
	}
	i, _ := sh.find(tag)
	sh.slots[i] = slot{tag: tag, tat: tat}
	sh.count++
}

// grow doubles the table until it holds need slots, and places every key
// again. Growth stops at the table size of a full shard, so memory
// follows the keys seen, up to max. It requires sh.mu held.
func (sh *shard) grow(need int) {
	size := max(len(sh.slots), minSlots)
	for size < need {
		size *= 2
	}
	old := sh.slots
	sh.slots = make([]slot, size)
	for _, s := range old {
		if s.tag != 0 {
			i, _ := sh.find(s.tag &^ refBit)
			sh.slots[i] = s
		}
	}
	sh.hand = 0
}

// evict removes a key not used since the hand last passed it. It requires
// sh.mu held and the shard not empty.
func (sh *shard) evict() {
	mask := len(sh.slots) - 1
	// Within two turns every ref bit is clear, so the loop ends.
	for {
		s := &sh.slots[sh.hand]
		if s.tag != 0 {
			if s.tag&refBit == 0 {
				break
			}
			s.tag &^= refBit
		}
		sh.hand = (sh.hand + 1) & mask
	}
	sh.remove(sh.hand)
}

// remove empties slot i and moves back the keys probed past it, so that
// every key stays reachable from its home slot (backward-shift deletion).
// It requires sh.mu held.
func (sh *shard) remove(i int) {
	mask := len(sh.slots) - 1
	for j := (i + 1) & mask; sh.slots[j].tag != 0; j = (j + 1) & mask {
		// The key in j stays if its home lies cyclically in (i, j].
		k := sh.home(sh.slots[j].tag &^ refBit)
		if i < j && i < k && k <= j || i > j && (i < k || k <= j) {
			continue
		}
		sh.slots[i] = sh.slots[j]
		i = j
	}
	sh.slots[i] = slot{}
	sh.count--
}
