// Package redisstore is a ratelimit Store backed by Redis: one GCRA step per
// request, run atomically as a single Lua script, safe on Redis Cluster.
//
// Every instance of a function that shares one Redis (ElastiCache, Valkey,
// or self-hosted) shares its buckets, so the limit holds across instances:
//
//	client := redis.NewClient(&redis.Options{Addr: "cache:6379"})
//	store, err := redisstore.New(client)
//	l, err := ratelimit.New(ratelimit.Limit{Rate: 100, Period: time.Minute},
//		ratelimit.WithStore(store), ratelimit.WithName("api"))
//
// Each decision is one round trip: EVALSHA of a script that reads the
// bucket, decides and writes it back, on one key (so the script runs on
// whichever Cluster node owns that key), with the time taken from the
// server's clock (TIME), so that instances with skewed clocks agree. The
// script is loaded on first use and again after a server restart. Keys
// are "<prefix><policy>:<key>" and expire once their bucket would be full
// again, so idle keys cost nothing. Redis's clock has microsecond
// resolution; intervals are rounded up to whole microseconds.
//
// Every call is bounded by the store's own timeout ([WithTimeout], 100 ms
// by default), whatever the client's settings: a go-redis client left at
// its defaults ignores context deadlines and waits seconds for a dead
// server. A call that fails or times out returns an error and the
// ratelimit.Limiter applies its failure policy (fail-open by default).
package redisstore
