package ratelimit_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fnshield/fnshield/ratelimit"
)

// A limit no benchmark reaches, so every call takes the allowed path
// (denials cost the same).
var benchLimit = ratelimit.Limit{Rate: 1_000_000_000, Period: time.Second}

func benchLimiter(b *testing.B, maxKeys int) *ratelimit.Limiter {
	b.Helper()
	s, err := ratelimit.NewMemoryStore(maxKeys)
	if err != nil {
		b.Fatal(err)
	}
	l, err := ratelimit.New(benchLimit, ratelimit.WithStore(s), ratelimit.WithName("api"))
	if err != nil {
		b.Fatal(err)
	}
	return l
}

// ipKeys returns n distinct IP keys. They are visited in the order they
// were built, so that reading a key is cheap, as for a key just derived
// from a request; where a key lives in the store depends on its hash only,
// so the store's memory is read in random order regardless.
func ipKeys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = "ip:10." + strconv.Itoa(i>>16&255) + "." + strconv.Itoa(i>>8&255) + "." + strconv.Itoa(i&255)
	}
	return keys
}

// BenchmarkAllow measures Limiter.Allow over the memory store: one warm
// key; a million distinct keys, all held (each call a cache-cold key);
// and a flood of a million keys through a store of 10,000, so that nearly
// every call evicts.
func BenchmarkAllow(b *testing.B) {
	ctx := context.Background()
	million := ipKeys(1_000_000)
	// One store holding all million keys, filled once for both benchmarks
	// that read it. Each shard holds an equal share of the store, so a
	// store 10% larger than the key count evicts none of them.
	full := benchLimiter(b, len(million)*11/10)
	for _, k := range million {
		_, _ = full.Allow(ctx, k)
	}
	b.Run("warm-key", func(b *testing.B) {
		l := benchLimiter(b, ratelimit.DefaultMaxKeys)
		b.ReportAllocs()
		for b.Loop() {
			_, _ = l.Allow(ctx, "ip:203.0.113.9")
		}
	})
	// rotate asks l for each key in turn.
	rotate := func(b *testing.B, l *ratelimit.Limiter) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			_, _ = l.Allow(ctx, million[i])
			if i++; i == len(million) {
				i = 0
			}
		}
	}
	b.Run("1M-keys", func(b *testing.B) { rotate(b, full) })
	b.Run("1M-keys-evicting", func(b *testing.B) { rotate(b, benchLimiter(b, 10_000)) })
	b.Run("warm-key/parallel", func(b *testing.B) {
		l := benchLimiter(b, ratelimit.DefaultMaxKeys)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				_, _ = l.Allow(ctx, "ip:203.0.113.9")
			}
		})
	})
	// Each goroutine its own warm key: shards keep them from contending,
	// so this one should scale with -cpu.
	b.Run("key-per-goroutine/parallel", func(b *testing.B) {
		l := benchLimiter(b, ratelimit.DefaultMaxKeys)
		var next atomic.Int64
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			key := million[next.Add(1)]
			for pb.Next() {
				_, _ = l.Allow(ctx, key)
			}
		})
	})
	b.Run("1M-keys/parallel", func(b *testing.B) {
		l := full
		var next atomic.Int64
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := int(next.Add(7919)) % len(million)
			for pb.Next() {
				_, _ = l.Allow(ctx, million[i])
				if i++; i == len(million) {
					i = 0
				}
			}
		})
	})
}

// BenchmarkMiddleware measures the whole net/http path: key from the
// source IP, decision, RateLimit fields.
func BenchmarkMiddleware(b *testing.B) {
	l := benchLimiter(b, ratelimit.DefaultMaxKeys)
	h := ratelimit.Middleware(l)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	r := httptest.NewRequest(http.MethodGet, "/orders", nil)
	r.RemoteAddr = "203.0.113.9:5555"
	w := httptest.NewRecorder()
	b.ReportAllocs()
	for b.Loop() {
		clear(w.Header())
		h.ServeHTTP(w, r)
	}
}
