package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/fnshield/fnshield/ratelimit"
	"github.com/fnshield/fnshield/ratelimit/redisstore"
)

func ExampleNew() {
	// Nothing listens on this address: the store fails within its
	// timeout, and the limiter fails open (its default).
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer client.Close()

	store, err := redisstore.New(client, redisstore.WithTimeout(50*time.Millisecond))
	if err != nil {
		fmt.Println(err)
		return
	}
	l, err := ratelimit.New(ratelimit.Limit{Rate: 100, Period: time.Minute},
		ratelimit.WithStore(store), ratelimit.WithName("api"))
	if err != nil {
		fmt.Println(err)
		return
	}
	d, err := l.Allow(context.Background(), "ip:203.0.113.9")
	fmt.Println("allowed:", d.Allowed, "store failed:", errors.Is(err, ratelimit.ErrStore))
	// Output: allowed: true store failed: true
}
