package ratelimitbench

import (
	"context"
	"fmt"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/fnshield/fnshield/internal/testredis"
)

func redisLimiters(tb testing.TB) []Limiter {
	tb.Helper()
	client := redis.NewClient(&redis.Options{Addr: testredis.Start(tb)})
	tb.Cleanup(func() { _ = client.Close() })
	ls, err := RedisLimiters(client)
	if err != nil {
		tb.Fatal(err)
	}
	return ls
}

// TestParityRedis checks that redisstore and redis_rate enforce the shared
// policy the same way on a real redis-server.
func TestParityRedis(t *testing.T) {
	for _, l := range redisLimiters(t) {
		for k := range 2 {
			checkBurst(t, l, fmt.Sprintf("client-%d", k))
		}
	}
}

// BenchmarkRatelimitRedis takes one decision per call through a real
// redis-server on loopback: for one hot key (past its burst), serial and
// parallel, and for keys rotating through 1,000,000, most of them new to
// the server (a Redis round trip costs the same for a new key).
func BenchmarkRatelimitRedis(b *testing.B) {
	ls := redisLimiters(b)
	rotating := keys(rotatingKeys)
	ctx := context.Background()
	for _, l := range ls {
		for range Burst {
			if _, err := l.Allow(ctx, "ip:203.0.113.7"); err != nil {
				b.Fatal(err)
			}
		}
	}
	for _, set := range []struct {
		name string
		keys []string
	}{{"one_key", []string{"ip:203.0.113.7"}}, {"1M_keys", rotating}} {
		for _, l := range ls {
			runDecisions(b, set.name, l.Name, l.Allow, set.keys)
		}
	}
}
