package redisstore_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/fnshield/fnshield/internal/testredis"
	"github.com/fnshield/fnshield/ratelimit"
	"github.com/fnshield/fnshield/ratelimit/redisstore"
)

// BenchmarkRedis compares a decision (one EVALSHA) with a plain GET on the
// same client and server over loopback: the decision's cost beyond the
// round trip is the script's.
func BenchmarkRedis(b *testing.B) {
	addr := testredis.Start(b)
	client := newClient(b, addr, false)
	store, err := redisstore.New(client, redisstore.WithPrefix(uniquePrefix(b)), redisstore.WithTimeout(5*time.Second))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	lim := ratelimit.Limit{Rate: 1_000_000, Period: time.Second}
	keys := make([]string, 1024)
	for i := range keys {
		keys[i] = "ip:10.0." + strconv.Itoa(i/256) + "." + strconv.Itoa(i%256)
	}
	if err := client.Set(ctx, "bench:get", "x", 0).Err(); err != nil {
		b.Fatal(err)
	}
	b.Run("GET", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := client.Get(ctx, "bench:get").Err(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Allow", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := store.Allow(ctx, keys[i%len(keys)], lim, 1); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	// A client that honours context deadlines needs no watcher goroutine.
	direct, err := redisstore.New(newClient(b, addr, true), redisstore.WithPrefix(uniquePrefix(b)), redisstore.WithTimeout(5*time.Second))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Allow/context-aware-client", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := direct.Allow(ctx, keys[i%len(keys)], lim, 1); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("GET/parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := client.Get(ctx, "bench:get").Err(); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("Allow/parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				if _, err := store.Allow(ctx, keys[i%len(keys)], lim, 1); err != nil {
					b.Error(err)
					return
				}
				i++
			}
		})
	})
}
