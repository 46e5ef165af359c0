package ratelimit_test

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"time"

	"github.com/fnshield/fnshield/ratelimit"
)

func ExampleLimiter_Allow() {
	// Two requests at once, then one a minute, per key.
	l, err := ratelimit.New(ratelimit.Limit{Rate: 1, Period: time.Minute, Burst: 2}, ratelimit.WithName("login"))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	for range 3 {
		d, err := l.Allow(ctx, "ip:203.0.113.9")
		if err != nil {
			fmt.Println(err)
			return
		}
		h := http.Header{}
		l.SetHeaders(h, d)
		fmt.Printf("allowed=%v RateLimit: %s Retry-After: %q\n", d.Allowed, h.Get("RateLimit"), h.Get("Retry-After"))
	}
	// Output:
	// allowed=true RateLimit: "login";r=1;t=60 Retry-After: ""
	// allowed=true RateLimit: "login";r=0;t=120 Retry-After: ""
	// allowed=false RateLimit: "login";r=0;t=120 Retry-After: "60"
}

func ExampleByIP() {
	// Behind a load balancer in 10.0.0.0/8, the client is the first
	// address left of the balancers in X-Forwarded-For.
	key := ratelimit.ByIP(netip.MustParsePrefix("10.0.0.0/8"))
	k, err := key(request{ip: "10.0.3.4", xff: "198.51.100.1, 203.0.113.9, 10.0.7.7"})
	fmt.Println(k, err)
	// Output: ip:203.0.113.9 <nil>
}
