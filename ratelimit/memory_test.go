package ratelimit

import (
	"context"
	"errors"
	"hash/maphash"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a settable clock for a MemoryStore.
type fakeClock struct{ ns atomic.Int64 }

func (c *fakeClock) now() int64              { return c.ns.Load() }
func (c *fakeClock) advance(d time.Duration) { c.ns.Add(int64(d)) }

func newClockedStore(t testing.TB, maxKeys, shards int) (*MemoryStore, *fakeClock) {
	t.Helper()
	s := newMemoryStore(maxKeys, shards)
	c := &fakeClock{}
	s.now = c.now
	return s, c
}

func TestNewMemoryStoreSize(t *testing.T) {
	tests := []struct {
		name       string
		maxKeys    int
		wantErr    bool
		wantShards int
	}{
		{"zero", 0, true, 0},
		{"negative", -5, true, 0},
		{"too large", 1<<30 + 1, true, 0},
		{"one key", 1, false, 1},
		{"forty keys", 40, false, 1},
		{"largest in one shard", 2047, false, 1},
		{"two shards", 2048, false, 2},
		{"just short of four shards", 4095, false, 2},
		{"four shards", 4096, false, 4},
		{"ten thousand", 10_000, false, 8},
		{"smallest with 64 shards", 65_536, false, 64},
		{"default", DefaultMaxKeys, false, 64},
		{"largest", 1 << 30, false, 64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewMemoryStore(tt.maxKeys)
			if (err != nil) != tt.wantErr {
				t.Fatalf("NewMemoryStore(%d) error = %v, want error %v", tt.maxKeys, err, tt.wantErr)
			}
			if err != nil {
				if !errors.Is(err, ErrInvalidMaxKeys) {
					t.Fatalf("error %v does not wrap ErrInvalidMaxKeys", err)
				}
				return
			}
			if len(s.shards) != tt.wantShards {
				t.Fatalf("%d shards, want %d", len(s.shards), tt.wantShards)
			}
			total := 0
			for i := range s.shards {
				total += s.shards[i].max
			}
			if total != tt.maxKeys {
				t.Fatalf("shard limits sum to %d, want %d", total, tt.maxKeys)
			}
		})
	}
}

// TestMemoryStoreEvictsKeysNotUsedRecently: in a store of three keys a, b,
// c, with a used again, a new key d evicts b or c and never a. The store
// comes from NewMemoryStore, under a fresh random seed each round, so the
// outcome must not depend on where the keys hash.
func TestMemoryStoreEvictsKeysNotUsedRecently(t *testing.T) {
	for round := range 200 {
		s, err := NewMemoryStore(3)
		if err != nil {
			t.Fatal(err)
		}
		s.now = new(fakeClock).now // frozen: no token comes back
		t.Run("round "+strconv.Itoa(round), func(t *testing.T) {
			checkEvictsKeysNotUsedRecently(t, s)
		})
		if t.Failed() {
			return
		}
	}
}

func checkEvictsKeysNotUsedRecently(t *testing.T, s *MemoryStore) {
	t.Helper()
	ctx := context.Background()
	lim := Limit{Rate: 1, Period: time.Hour, Burst: 2}
	take := func(key string) Decision {
		t.Helper()
		d, err := s.Allow(ctx, key, lim, 1)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, k := range []string{"a", "b", "c"} {
		take(k) // one token left in each
	}
	take("a") // a is used again; its bucket is empty
	take("d") // evicts b or c, the keys not used since they were added
	if got := s.Len(); got != 3 {
		t.Fatalf("Len() = %d, want 3", got)
	}
	if d := take("a"); d.Allowed {
		t.Fatalf("a lost its state: got %+v, want a denial", d)
	}
	if d := take("d"); !d.Allowed || d.Remaining != 0 {
		t.Fatalf("d lost its state: got %+v, want allowed with 0 remaining", d)
	}
	// Exactly one of b and c, unused since they were added, was evicted.
	held := func(key string) bool {
		h := s.hash("", key)
		_, ok := s.shards[h&s.mask].find(tagOf(h))
		return ok
	}
	if !held("a") || !held("d") || held("b") == held("c") {
		t.Fatalf("held: a %v, b %v, c %v, d %v; want a, d and one of b, c",
			held("a"), held("b"), held("c"), held("d"))
	}
	// An evicted key comes back with a full bucket.
	evicted := "b"
	if held("b") {
		evicted = "c"
	}
	if d := take(evicted); !d.Allowed || d.Remaining != 1 {
		t.Fatalf("evicted key %s: got %+v, want allowed with 1 remaining", evicted, d)
	}
	for i := range s.shards {
		checkTable(t, &s.shards[i])
	}
}

// TestMemoryStoreFloodKeepsActiveKeys: under a flood of one-off keys, a
// key used between every two new keys is never evicted.
func TestMemoryStoreFloodKeepsActiveKeys(t *testing.T) {
	s, _ := newClockedStore(t, 100, 1)
	ctx := context.Background()
	lim := Limit{Rate: 1, Period: time.Hour, Burst: 1000}
	if _, err := s.Allow(ctx, "active", lim, 1); err != nil {
		t.Fatal(err)
	}
	for i := range 10_000 {
		if _, err := s.Allow(ctx, "flood-"+strconv.Itoa(i), lim, 1); err != nil {
			t.Fatal(err)
		}
		d, _ := s.Allow(ctx, "active", lim, 1)
		if want := 1000 - 2 - i; d.Remaining != want {
			t.Fatalf("after %d flood keys the active key has %d remaining, want %d: it was evicted", i+1, d.Remaining, want)
		}
		if i == 996 {
			break // its bucket is nearly empty; the point is made
		}
	}
	checkTable(t, &s.shards[0])
}

// TestMemoryStoreBoundedUnderKeyFlood: a million distinct keys never hold
// more than maxKeys entries, and the LRU structure stays consistent.
func TestMemoryStoreBoundedUnderKeyFlood(t *testing.T) {
	const maxKeys = 1000
	s, err := NewMemoryStore(maxKeys)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	lim := Limit{Rate: 10, Period: time.Second}
	buf := make([]byte, 0, 16)
	for i := range 1_000_000 {
		buf = strconv.AppendInt(buf[:0], int64(i), 36)
		if _, err := s.Allow(ctx, string(buf), lim, 1); err != nil {
			t.Fatal(err)
		}
	}
	if got := s.Len(); got != maxKeys {
		t.Fatalf("Len() = %d after a million keys, want %d", got, maxKeys)
	}
	for i := range s.shards {
		sh := &s.shards[i]
		if len(sh.slots) > 4*sh.max {
			t.Fatalf("shard %d: %d slots for at most %d keys", i, len(sh.slots), sh.max)
		}
		checkTable(t, sh)
	}
}

// checkTable verifies that every key in sh is found in its own slot, that
// the count is right and that the table is at most half full.
func checkTable(t *testing.T, sh *shard) {
	t.Helper()
	n := 0
	for i, sl := range sh.slots {
		if sl.tag == 0 {
			continue
		}
		n++
		if j, ok := sh.find(sl.tag &^ refBit); !ok || j != i {
			t.Fatalf("slot %d tag %#x found at %d (%v)", i, sl.tag, j, ok)
		}
	}
	if n != sh.count || n > sh.max || 2*n > len(sh.slots) && n > 0 {
		t.Fatalf("%d keys in %d slots, count %d, max %d", n, len(sh.slots), sh.count, sh.max)
	}
}

// TestMemoryStoreConcurrentAccuracy: at a frozen time, however many
// goroutines ask, exactly Burst requests per key are allowed.
func TestMemoryStoreConcurrentAccuracy(t *testing.T) {
	tests := []struct {
		name  string
		keys  int
		burst int
	}{
		{"one hot key", 1, 50},
		{"many keys", 64, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newClockedStore(t, 1000, 16)
			lim := Limit{Rate: 1, Period: time.Hour, Burst: tt.burst}
			var allowed [64]atomic.Int64
			var wg sync.WaitGroup
			for g := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range 200 {
						k := (i + g) % tt.keys
						d, err := s.Allow(context.Background(), "k"+strconv.Itoa(k), lim, 1)
						if err != nil {
							t.Error(err)
							return
						}
						if d.Allowed {
							allowed[k].Add(1)
						}
					}
				}()
			}
			wg.Wait()
			for k := range tt.keys {
				if got := allowed[k].Load(); got != int64(tt.burst) {
					t.Errorf("key %d: %d allowed, want exactly %d", k, got, tt.burst)
				}
			}
		})
	}
}

func TestMemoryStoreRejectsBadInput(t *testing.T) {
	s, _ := NewMemoryStore(10)
	ctx := context.Background()
	tests := []struct {
		name  string
		limit Limit
		n     int
		want  error
	}{
		{"invalid limit", Limit{}, 1, ErrInvalidLimit},
		{"n zero", Limit{Rate: 5, Period: time.Second}, 0, ErrInvalidN},
		{"n above capacity", Limit{Rate: 5, Period: time.Second}, 6, ErrInvalidN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Allow(ctx, "k", tt.limit, tt.n)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Allow error = %v, want %v", err, tt.want)
			}
		})
	}
	if got := s.Len(); got != 0 {
		t.Fatalf("rejected calls stored %d keys", got)
	}
}

// TestMemoryStoreHashesLongKeysAlike: a key too long for the stack buffer
// is hashed by streaming, to the same value as short keys would be.
func TestMemoryStoreHashesLongKeysAlike(t *testing.T) {
	s := newMemoryStore(10, 1)
	tests := []struct {
		name        string
		prefix, key string
	}{
		{"short", "api:", "ip:203.0.113.9"},
		{"at the buffer size", "api:", strings.Repeat("k", 124)},
		{"over the buffer size", "api:", strings.Repeat("k", 125)},
		{"long prefix", strings.Repeat("p", 100), strings.Repeat("k", 100)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := maphash.String(s.seed, tt.prefix+tt.key)
			if got := s.hash(tt.prefix, tt.key); got != want {
				t.Fatalf("hash = %#x, want %#x", got, want)
			}
		})
	}
}

func TestMemoryStoreLongKeys(t *testing.T) {
	s, c := newClockedStore(t, 10, 1)
	ctx := context.Background()
	lim := Limit{Rate: 1, Period: time.Second}
	long := string(make([]byte, 1000))
	for i, want := range []bool{true, false} {
		d, _ := s.Allow(ctx, long, lim, 1)
		if d.Allowed != want {
			t.Fatalf("call %d: Allowed %v, want %v", i, d.Allowed, want)
		}
	}
	c.advance(time.Second)
	if d, _ := s.Allow(ctx, long, lim, 1); !d.Allowed {
		t.Fatal("a second later the long key is still denied")
	}
}

func TestLimiterWarmKeyAllocatesNothing(t *testing.T) {
	l, err := New(Limit{Rate: 1_000_000_000, Period: time.Second}, WithName("api"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, _ = l.Allow(ctx, "203.0.113.9")
	allocs := testing.AllocsPerRun(1000, func() {
		_, _ = l.Allow(ctx, "203.0.113.9")
	})
	if allocs != 0 {
		t.Fatalf("Allow on a warm key: %v allocations, want 0", allocs)
	}
}

// TestShardTableAgainstModel drives one small shard through many inserts,
// hits and evictions, and checks after each step that every key it still
// holds is found with its own bucket: backward-shift deletion must never
// strand a key behind an empty slot.
func TestShardTableAgainstModel(t *testing.T) {
	s, c := newClockedStore(t, 37, 1)
	sh := &s.shards[0]
	lim := Limit{Rate: 1, Period: time.Second, Burst: 5}
	g, _ := lim.gcra()
	model := map[string]int64{} // key → tat the shard must hold
	r := rand.New(rand.NewPCG(3, 4))
	for step := range 20_000 {
		c.advance(time.Duration(r.IntN(300)) * time.Millisecond)
		key := "k" + strconv.Itoa(r.IntN(120))
		s.allow("", key, g, 1, c.now())
		i, ok := sh.find(tagOf(s.hash("", key)))
		if !ok {
			t.Fatalf("step %d: %s not held right after use", step, key)
		}
		model[key] = sh.slots[i].tat
		for k, tat := range model {
			j, ok := sh.find(tagOf(s.hash("", k)))
			switch {
			case !ok:
				delete(model, k) // evicted
			case sh.slots[j].tat != tat:
				t.Fatalf("step %d: %s holds tat %d, want %d", step, k, sh.slots[j].tat, tat)
			}
		}
		if len(model) != sh.count {
			t.Fatalf("step %d: model holds %d keys, shard %d", step, len(model), sh.count)
		}
		checkTable(t, sh)
	}
}
