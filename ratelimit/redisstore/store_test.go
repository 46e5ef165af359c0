package redisstore_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/fnshield/fnshield/internal/testredis"
	"github.com/fnshield/fnshield/ratelimit"
	"github.com/fnshield/fnshield/ratelimit/redisstore"
)

func newClient(t testing.TB, addr string, contextTimeouts bool) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: contextTimeouts})
	t.Cleanup(func() { c.Close() })
	return c
}

// uniquePrefix keeps tests apart on a shared server (REDIS_ADDR).
func uniquePrefix(t testing.TB) string {
	return "fnshield-test:" + t.Name() + ":" + time.Now().Format("150405.000000000") + ":"
}

func TestNewRejectsInvalidConfiguration(t *testing.T) {
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer c.Close()
	tests := []struct {
		name   string
		client redis.UniversalClient
		opts   []redisstore.Option
		text   string
	}{
		{"nil client", nil, nil, "nil client"},
		{"zero timeout", c, []redisstore.Option{redisstore.WithTimeout(0)}, "WithTimeout"},
		{"negative timeout", c, []redisstore.Option{redisstore.WithTimeout(-time.Second)}, "WithTimeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := redisstore.New(tt.client, tt.opts...)
			if err == nil || !strings.Contains(err.Error(), tt.text) {
				t.Fatalf("New = %v, %v; want an error mentioning %q", s, err, tt.text)
			}
		})
	}
}

func TestStoreRejectsBadArguments(t *testing.T) {
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer c.Close()
	s, err := redisstore.New(c)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		limit ratelimit.Limit
		n     int
		want  error
	}{
		{"invalid limit", ratelimit.Limit{}, 1, ratelimit.ErrInvalidLimit},
		{"n zero", ratelimit.Limit{Rate: 2, Period: time.Second}, 0, ratelimit.ErrInvalidN},
		{"n over capacity", ratelimit.Limit{Rate: 2, Period: time.Second}, 3, ratelimit.ErrInvalidN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.Allow(context.Background(), "k", tt.limit, tt.n); !errors.Is(err, tt.want) {
				t.Fatalf("Allow error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestStoreGCRA(t *testing.T) {
	addr := testredis.Start(t)
	client := newClient(t, addr, false)
	prefix := uniquePrefix(t)
	s, err := redisstore.New(client, redisstore.WithPrefix(prefix))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	lim := ratelimit.Limit{Rate: 1, Period: time.Hour, Burst: 3}
	for i, want := range []int{2, 1, 0} {
		d, err := s.Allow(ctx, "k", lim, 1)
		if err != nil {
			t.Fatal(err)
		}
		if !d.Allowed || d.Remaining != want || d.Limit != 3 || d.RetryAfter != 0 {
			t.Fatalf("request %d: %+v, want allowed with %d remaining", i, d, want)
		}
		// The server's clock moves between calls: ResetAfter is (i+1) hours
		// less what elapsed since the first call.
		if hi, lo := time.Duration(i+1)*time.Hour, time.Duration(i+1)*time.Hour-5*time.Second; d.ResetAfter > hi || d.ResetAfter < lo {
			t.Fatalf("request %d: ResetAfter %v outside [%v, %v]", i, d.ResetAfter, lo, hi)
		}
	}
	d, err := s.Allow(ctx, "k", lim, 1)
	if err != nil {
		t.Fatal(err)
	}
	if d.Allowed || d.Remaining != 0 || d.RetryAfter <= time.Hour-5*time.Second || d.RetryAfter > time.Hour {
		t.Fatalf("fourth request: %+v, want denied, retry in just under an hour", d)
	}
	// The key is the prefix plus the key, and expires when the bucket
	// would be full again.
	ttl, err := client.PTTL(ctx, prefix+"k").Result()
	if err != nil {
		t.Fatal(err)
	}
	if ttl <= 2*time.Hour || ttl > 3*time.Hour+time.Millisecond {
		t.Fatalf("PTTL = %v, want about 3h", ttl)
	}
	// n tokens at once on a fresh key.
	d, err = s.Allow(ctx, "other", lim, 3)
	if err != nil || !d.Allowed || d.Remaining != 0 {
		t.Fatalf("AllowN(3) = %+v, %v; want allowed with 0 remaining", d, err)
	}
}

// TestStoreReloadsScript: after SCRIPT FLUSH (a restart or failover loses
// cached scripts) the next call loads the script again.
func TestStoreReloadsScript(t *testing.T) {
	addr := testredis.Start(t)
	client := newClient(t, addr, false)
	s, _ := redisstore.New(client, redisstore.WithPrefix(uniquePrefix(t)))
	ctx := context.Background()
	lim := ratelimit.Limit{Rate: 10, Period: time.Second}
	for i := range 2 {
		if err := client.ScriptFlush(ctx).Err(); err != nil {
			t.Fatal(err)
		}
		if d, err := s.Allow(ctx, "k", lim, 1); err != nil || !d.Allowed {
			t.Fatalf("call %d after SCRIPT FLUSH: %+v, %v", i, d, err)
		}
	}
}

// TestSharedRedisEnforcesOneLimit: two limiters, each with its own client
// (two instances), hammer one key from eight goroutines; together they get
// exactly what one bucket holds, no more and none lost. The bucket refills
// one token an hour, so the count does not depend on how long a loaded
// machine takes to make the calls.
func TestSharedRedisEnforcesOneLimit(t *testing.T) {
	addr := testredis.Start(t)
	prefix := uniquePrefix(t)
	lim := ratelimit.Limit{Rate: 1, Period: time.Hour, Burst: 100}
	var limiters []*ratelimit.Limiter
	for range 2 {
		s, err := redisstore.New(newClient(t, addr, false), redisstore.WithPrefix(prefix), redisstore.WithTimeout(5*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		l, err := ratelimit.New(lim, ratelimit.WithStore(s), ratelimit.WithName("shared"), ratelimit.WithFailOpen(false))
		if err != nil {
			t.Fatal(err)
		}
		limiters = append(limiters, l)
	}
	ctx := context.Background()
	const workers, callsEach = 8, 50
	var allowed [2]atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for range callsEach {
				d, err := limiters[w%2].Allow(ctx, "client-1")
				if err != nil {
					t.Error(err)
					return
				}
				if d.Allowed {
					allowed[w%2].Add(1)
				}
			}
		})
	}
	wg.Wait()
	// Each instance makes 200 calls: with a bucket each, both would
	// allow 100.
	a, b := allowed[0].Load(), allowed[1].Load()
	if a+b != int64(lim.Burst) {
		t.Fatalf("%d calls allowed (%d + %d by the two instances), want the bucket's %d",
			a+b, a, b, lim.Burst)
	}
}

// TestStoreFailureIsBounded: when Redis dies or hangs mid-run, every call
// returns within the timeout (plus scheduling slack), with an error, and
// the limiter's failure policy decides.
func TestStoreFailureIsBounded(t *testing.T) {
	addr := testredis.Start(t)
	const timeout = 100 * time.Millisecond
	const bound = timeout + time.Second // generous for a loaded CI machine
	tests := []struct {
		name            string
		contextTimeouts bool
		failOpen        bool
		breakIt         func(*proxy)
	}{
		{"killed, default client, fail open", false, true, (*proxy).kill},
		{"killed, default client, fail closed", false, false, (*proxy).kill},
		{"hung, default client, fail open", false, true, (*proxy).freeze},
		{"hung, default client, fail closed", false, false, (*proxy).freeze},
		{"hung, context-aware client", true, true, (*proxy).freeze},
		{"killed, context-aware client", true, false, (*proxy).kill},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := startProxy(t, addr)
			s, err := redisstore.New(newClient(t, p.addr(), tt.contextTimeouts),
				redisstore.WithPrefix(uniquePrefix(t)), redisstore.WithTimeout(timeout))
			if err != nil {
				t.Fatal(err)
			}
			l, err := ratelimit.New(ratelimit.Limit{Rate: 1000, Period: time.Second},
				ratelimit.WithStore(s), ratelimit.WithFailOpen(tt.failOpen))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if d, err := l.Allow(ctx, "k"); err != nil || !d.Allowed {
				t.Fatalf("before the failure: %+v, %v", d, err)
			}
			tt.breakIt(p)
			for i := range 5 {
				begin := time.Now()
				d, err := l.Allow(ctx, "k")
				took := time.Since(begin)
				if took > bound {
					t.Fatalf("call %d took %v, bound %v", i, took, bound)
				}
				if !errors.Is(err, ratelimit.ErrStore) {
					t.Fatalf("call %d: error %v, want ErrStore", i, err)
				}
				if d.Allowed != tt.failOpen {
					t.Fatalf("call %d: Allowed %v with fail-open %v", i, d.Allowed, tt.failOpen)
				}
			}
		})
	}
}

func TestStoreHonoursCallerCancellation(t *testing.T) {
	addr := testredis.Start(t)
	p := startProxy(t, addr)
	s, _ := redisstore.New(newClient(t, p.addr(), false), redisstore.WithTimeout(time.Minute))
	p.freeze()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	begin := time.Now()
	_, err := s.Allow(ctx, "k", ratelimit.Limit{Rate: 1, Period: time.Second}, 1)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want context.DeadlineExceeded", err)
	}
	if took := time.Since(begin); took > time.Second+50*time.Millisecond {
		t.Fatalf("Allow took %v past a 50ms caller deadline", took)
	}
}
