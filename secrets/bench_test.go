package secrets

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

// mutexCache is the baseline: the straightforward cache one would write
// first, a map and an expiry time behind one sync.Mutex.
type mutexCache struct {
	p   Provider
	ttl time.Duration

	mu sync.Mutex
	m  map[string]mutexEntry
}

type mutexEntry struct {
	v   []byte
	exp time.Time
}

func (c *mutexCache) Get(ctx context.Context, name string) ([]byte, error) {
	c.mu.Lock()
	e, ok := c.m[name]
	c.mu.Unlock()
	if ok && time.Now().Before(e.exp) {
		return e.v, nil
	}
	v, err := c.p.Fetch(ctx, name)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.m[name] = mutexEntry{v: v, exp: time.Now().Add(c.ttl)}
	c.mu.Unlock()
	return v, nil
}

// benchNames returns n realistic secret names and a provider for them.
func benchNames(n int) ([]string, Provider) {
	names := make([]string, n)
	m := make(map[string]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("prod/service-%05d/db-password", i)
		m[names[i]] = "pw-" + names[i]
	}
	return names, Static(m)
}

var benchSizes = []int{10, 100, 1000, 10000}

// reportCPU starts measuring process CPU time and returns a function that
// reports it per op as "cpu-ns/op". Call it after setup (it also resets the
// timer) and defer the result.
func reportCPU(b *testing.B) func() {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	start := processCPU()
	return func() {
		b.StopTimer()
		if b.N > 0 {
			b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

// BenchmarkGetHit is one goroutine reading one cached name.
func BenchmarkGetHit(b *testing.B) {
	names, p := benchNames(1)
	c := New(p)
	ctx := context.Background()
	if _, err := c.Get(ctx, names[0]); err != nil {
		b.Fatal(err)
	}
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := c.Get(ctx, names[0]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBaselineHit is the same for the mutex baseline.
func BenchmarkBaselineHit(b *testing.B) {
	names, p := benchNames(1)
	c := &mutexCache{p: p, ttl: DefaultTTL, m: map[string]mutexEntry{}}
	ctx := context.Background()
	if _, err := c.Get(ctx, names[0]); err != nil {
		b.Fatal(err)
	}
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := c.Get(ctx, names[0]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetHitParallel reads n cached names from all Ps at once.
func BenchmarkGetHitParallel(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprint("n=", n), func(b *testing.B) {
			names, p := benchNames(n)
			c := New(p, WithMaxEntries(n))
			ctx := context.Background()
			for _, name := range names {
				if _, err := c.Get(ctx, name); err != nil {
					b.Fatal(err)
				}
			}
			defer reportCPU(b)()
			b.RunParallel(func(pb *testing.PB) {
				i := rand.IntN(n)
				for pb.Next() {
					if _, err := c.Get(ctx, names[i]); err != nil {
						b.Error(err)
						return
					}
					if i++; i == n {
						i = 0
					}
				}
			})
		})
	}
}

// BenchmarkBaselineHitParallel is the same for the mutex baseline.
func BenchmarkBaselineHitParallel(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprint("n=", n), func(b *testing.B) {
			names, p := benchNames(n)
			c := &mutexCache{p: p, ttl: DefaultTTL, m: map[string]mutexEntry{}}
			ctx := context.Background()
			for _, name := range names {
				if _, err := c.Get(ctx, name); err != nil {
					b.Fatal(err)
				}
			}
			defer reportCPU(b)()
			b.RunParallel(func(pb *testing.PB) {
				i := rand.IntN(n)
				for pb.Next() {
					if _, err := c.Get(ctx, names[i]); err != nil {
						b.Error(err)
						return
					}
					if i++; i == n {
						i = 0
					}
				}
			})
		})
	}
}

// BenchmarkGetMiss is a Get that fetches (an in-memory provider, so this is
// the cache's own cost of a miss: entry, goroutine, span, snapshot, timer).
func BenchmarkGetMiss(b *testing.B) {
	names, p := benchNames(1)
	c := New(p)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		c.Invalidate(names[0])
		if _, err := c.Get(ctx, names[0]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValueReveal is the cost of getting the plaintext out.
func BenchmarkValueReveal(b *testing.B) {
	v := NewValue([]byte("a-typical-32-byte-secret-value!!"))
	b.ReportAllocs()
	for b.Loop() {
		if len(v.Reveal()) != 32 {
			b.Fatal("bad length")
		}
	}
}

// BenchmarkGetMissFull is a miss in a full cache of n names: the fetch,
// one eviction and one insertion, each of which copies the name map.
func BenchmarkGetMissFull(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprint("n=", n), func(b *testing.B) {
			names, _ := benchNames(2 * n)
			c := New(ProviderFunc(func(_ context.Context, name string) ([]byte, error) {
				return []byte(name), nil
			}), WithMaxEntries(n))
			ctx := context.Background()
			for _, name := range names[:n] {
				if _, err := c.Get(ctx, name); err != nil {
					b.Fatal(err)
				}
			}
			defer reportCPU(b)()
			i := 0
			for b.Loop() {
				if _, err := c.Get(ctx, names[i]); err != nil {
					b.Fatal(err)
				}
				i = (i + n + 1) % len(names) // never a name still cached
			}
		})
	}
}
