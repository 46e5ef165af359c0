package ratelimitbench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
)

// checkBurst checks that l allows exactly Burst events for a new key and
// denies the next one: with Period an hour, no token comes back meanwhile.
func checkBurst(t *testing.T, l Limiter, key string) {
	t.Helper()
	ctx := context.Background()
	for i := range Burst + 1 {
		ok, err := l.Allow(ctx, key)
		if err != nil {
			t.Fatalf("%s: event %d: %v", l.Name, i+1, err)
		}
		if want := i < Burst; ok != want {
			t.Fatalf("%s: event %d allowed=%v, want %v", l.Name, i+1, ok, want)
		}
	}
}

// TestParity checks that every in-memory limiter enforces the shared
// policy the same way, key by key: a benchmark of a limiter that allows
// everything, or of a different policy, would compare nothing.
func TestParity(t *testing.T) {
	for _, impl := range Memory {
		l, closeFn, err := impl.New(1 << 10)
		if err != nil {
			t.Fatalf("%s: %v", impl.Name, err)
		}
		if l.Name != impl.Name {
			t.Errorf("%s builds a limiter named %s", impl.Name, l.Name)
		}
		for k := range 3 {
			checkBurst(t, l, fmt.Sprintf("client-%d", k))
		}
		closeFn()
	}
}

// rotatingKeys is how many keys the rotating benchmarks cycle through.
const rotatingKeys = 1_000_000

// keys returns n client keys such as the transports derive from an IP.
func keys(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("ip:10.%d.%d.%d", i>>16&0xff, i>>8&0xff, i&0xff)
	}
	return out
}

// BenchmarkRatelimit takes one decision per call, for one hot key (past
// its burst, so denied) and for keys rotating through 1,000,000 (a
// limiter tracking a million clients: every key is seen once before the
// timer starts), on one goroutine (serial) and on every core (parallel).
func BenchmarkRatelimit(b *testing.B) {
	rotating := keys(rotatingKeys)
	ctx := context.Background()
	for _, set := range []struct {
		name string
		keys []string
	}{{"one_key", []string{"ip:203.0.113.7"}}, {"1M_keys", rotating}} {
		for _, impl := range Memory {
			l, closeFn, err := impl.New(rotatingKeys + rotatingKeys/4)
			if err != nil {
				b.Fatal(err)
			}
			for _, k := range set.keys {
				if _, err := l.Allow(ctx, k); err != nil {
					b.Fatal(err)
				}
			}
			runDecisions(b, set.name, impl.Name, l.Allow, set.keys)
			closeFn()
		}
	}
}

// runDecisions benchmarks allow over keys, cycling through them, on one
// goroutine (serial, from the first key) and on every core (parallel, each
// goroutine from a random key).
func runDecisions(b *testing.B, set, name string, allow func(context.Context, string) (bool, error), keys []string) {
	ctx := context.Background()
	b.Run(set+"/serial/"+name, func(b *testing.B) {
		b.ReportAllocs()
		k := 0
		for b.Loop() {
			if _, err := allow(ctx, keys[k]); err != nil {
				b.Fatal(err)
			}
			if k++; k == len(keys) {
				k = 0
			}
		}
	})
	b.Run(set+"/parallel/"+name, func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			k := rand.IntN(len(keys))
			for pb.Next() {
				if _, err := allow(ctx, keys[k]); err != nil {
					b.Error(err)
					return
				}
				if k++; k == len(keys) {
					k = 0
				}
			}
		})
	})
}
