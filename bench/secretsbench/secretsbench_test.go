package secretsbench

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/fnshield/fnshield/secrets"
)

// impl is one cache under comparison. get is what the benchmark calls:
// each cache's own Get, whose result (a secrets.Value, a []byte) is taken
// as the cache hands it out. reveal returns the plaintext, for TestParity.
type impl struct {
	name   string
	get    func(ctx context.Context, name string) error
	reveal func(ctx context.Context, name string) ([]byte, error)
}

func impls(p secrets.Provider, entries int) []impl {
	c := secrets.New(p, secrets.WithTTL(TTL), secrets.WithMaxEntries(entries))
	mc := NewMutexCache(p, TTL)
	return []impl{
		{
			name: Fnshield,
			get: func(ctx context.Context, name string) error {
				_, err := c.Get(ctx, name)
				return err
			},
			reveal: func(ctx context.Context, name string) ([]byte, error) {
				v, err := c.Get(ctx, name)
				return v.Bytes(), err
			},
		},
		{
			name: MutexMap,
			get: func(ctx context.Context, name string) error {
				_, err := mc.Get(ctx, name)
				return err
			},
			reveal: mc.Get,
		},
	}
}

// TestParity checks that both caches return the provider's value for
// every name, on the miss and on the hit, and an ErrNotFound error for a
// name the provider does not hold.
func TestParity(t *testing.T) {
	names, p := Names(100)
	ctx := context.Background()
	for _, impl := range impls(p, len(names)) {
		for round := range 2 {
			for _, name := range names {
				got, err := impl.reveal(ctx, name)
				if err != nil || string(got) != "pw-"+name {
					t.Fatalf("%s round %d: Get(%q) = %q, %v; want %q", impl.name, round, name, got, err, "pw-"+name)
				}
			}
		}
		if _, err := impl.reveal(ctx, "prod/missing"); !errors.Is(err, secrets.ErrNotFound) {
			t.Errorf("%s: Get(missing) error = %v, want ErrNotFound", impl.name, err)
		}
	}
}

// BenchmarkSecrets reads cached secrets: one name, or names drawn in turn
// from 100 and 1,000, on one goroutine (serial) and on every core
// (parallel), every value cached before the timer starts. cold_fill is
// the other path: each operation fills a new cache with 1,000 names from
// the provider, as a function reading its secrets after a cold start does
// (many names, to show how the cost grows with them).
func BenchmarkSecrets(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{1, 100, 1000} {
		names, p := Names(n)
		for _, impl := range impls(p, n) {
			for _, name := range names {
				if err := impl.get(ctx, name); err != nil {
					b.Fatal(err)
				}
			}
			b.Run("names_"+strconv.Itoa(n)+"/serial/"+impl.name, func(b *testing.B) {
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					if err := impl.get(ctx, names[i]); err != nil {
						b.Fatal(err)
					}
					if i++; i == len(names) {
						i = 0
					}
				}
			})
			b.Run("names_"+strconv.Itoa(n)+"/parallel/"+impl.name, func(b *testing.B) {
				b.ReportAllocs()
				b.RunParallel(func(pb *testing.PB) {
					i := 0
					for pb.Next() {
						if err := impl.get(ctx, names[i]); err != nil {
							b.Error(err)
							return
						}
						if i++; i == len(names) {
							i = 0
						}
					}
				})
			})
		}
	}
	const fill = 1000
	names, p := Names(fill)
	for i, impl := range impls(p, fill) {
		b.Run("cold_fill_"+strconv.Itoa(fill)+"/serial/"+impl.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c := impls(p, fill)[i] // a new, empty cache
				for _, name := range names {
					if err := c.get(ctx, name); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
