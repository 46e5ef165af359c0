package ratelimitbench

import (
	"context"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/fnshield/fnshield/ratelimit"
	"github.com/fnshield/fnshield/ratelimit/redisstore"
)

// RedisLimiters builds fnshield's limiter on ratelimit/redisstore and
// go-redis/redis_rate, fnshield first, both on client. Their keys do not
// collide: each library prefixes its own.
func RedisLimiters(client *redis.Client) ([]Limiter, error) {
	// redisstore bounds each call at 100 ms by default; redis_rate relies
	// on the client's 3 s read timeout. The same bound for both keeps a
	// loaded machine from turning slow calls into errors for one only.
	store, err := redisstore.New(client, redisstore.WithTimeout(3*time.Second))
	if err != nil {
		return nil, err
	}
	// A store error comes back as an error whatever the failure policy,
	// so the benchmark stops on it rather than counting a free decision.
	fn, err := fnshieldLimiter(ratelimit.WithStore(store))
	if err != nil {
		return nil, err
	}
	rr := redis_rate.NewLimiter(client)
	limit := redis_rate.Limit{Rate: Rate, Burst: Burst, Period: Period}
	return []Limiter{fn, {RedisRate, func(ctx context.Context, key string) (bool, error) {
		res, err := rr.Allow(ctx, key, limit)
		if err != nil {
			return false, err
		}
		return res.Allowed > 0, nil
	}}}, nil
}
