package ratelimit

import (
	"context"
	"strconv"
	"testing"
	"time"
)

// TestMemoryStoreHoldsMaxKeys: a store built by NewMemoryStore holds as
// many distinct keys as it was sized for, each with its own bucket, up to
// the size where it is split into parts.
func TestMemoryStoreHoldsMaxKeys(t *testing.T) {
	lim := Limit{Rate: 1, Period: time.Hour, Burst: 2}
	ctx := context.Background()
	tests := []struct {
		name    string
		maxKeys int
	}{
		{"one", 1},
		{"two", 2},
		{"three", 3},
		{"ten", 10},
		{"sixty-four", 64},
		{"a hundred", 100},
		{"a thousand", 1000},
		{"largest in one part", 2*minShardKeys - 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewMemoryStore(tt.maxKeys)
			if err != nil {
				t.Fatal(err)
			}
			key := func(i int) string { return "k" + strconv.Itoa(i) }
			for i := range tt.maxKeys {
				if d, err := s.Allow(ctx, key(i), lim, 1); err != nil || d.Remaining != 1 {
					t.Fatalf("first Allow(%s) = %+v, %v; want 1 remaining", key(i), d, err)
				}
			}
			if got := s.Len(); got != tt.maxKeys {
				t.Fatalf("Len() = %d after %d distinct keys, want %d", got, tt.maxKeys, tt.maxKeys)
			}
			// A key still held finds its bucket with one token taken; an
			// evicted one would start again with a full bucket.
			for i := range tt.maxKeys {
				if d, err := s.Allow(ctx, key(i), lim, 1); err != nil || d.Remaining != 0 {
					t.Fatalf("second Allow(%s) = %+v, %v; want 0 remaining: its bucket was lost", key(i), d, err)
				}
			}
		})
	}
}

// TestMemoryStoreLargeHoldsNearlyAll: a store of 100,000 keys, split into
// 64 parts of 1562 or 1563 keys, holds at least 97 % of 100,000 distinct
// keys.
//
// It cannot flake. The store then holds 100,000 minus the overflow, the
// sum over parts of (keys hashed to the part − its size)⁺. Each part's
// count is Binomial(100,000, 1/64), so the expected overflow is 64 times
// E[(X − size)⁺] ≈ 1001 keys (1 %; measured: 99.0 % held). Moving one key
// to another part changes the overflow by at most 1, so by McDiarmid's
// inequality an overflow above 3000, 1999 over its mean, has probability
// at most exp(−2·1999²/100,000) ≈ 2·10⁻³⁵ (assuming the seeded hash
// spreads keys uniformly).
func TestMemoryStoreLargeHoldsNearlyAll(t *testing.T) {
	const maxKeys = 100_000
	s, err := NewMemoryStore(maxKeys)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	lim := Limit{Rate: 1, Period: time.Hour}
	buf := make([]byte, 0, 16)
	for i := range maxKeys {
		buf = strconv.AppendInt(buf[:0], int64(i), 36)
		if _, err := s.Allow(ctx, string(buf), lim, 1); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := s.Len(), maxKeys*97/100; got < want {
		t.Fatalf("Len() = %d after %d distinct keys, want at least %d (97 %%)", got, maxKeys, want)
	}
}
