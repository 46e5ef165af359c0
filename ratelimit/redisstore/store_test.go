package redisstore_test

import (
	"context"
	"errors"
	"slices"
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
// (two instances), hammer one key; together they get what one bucket
// allows over the elapsed server time, within 5%. The bucket holds a
// second of tokens, so a client stalled by a loaded machine for less than
// that loses none of them.
func TestSharedRedisEnforcesOneLimit(t *testing.T) {
	addr := testredis.Start(t)
	prefix := uniquePrefix(t)
	lim := ratelimit.Limit{Rate: 100, Period: time.Second, Burst: 100}
	var limiters []*ratelimit.Limiter
	for range 2 {
		s, err := redisstore.New(newClient(t, addr, false), redisstore.WithPrefix(prefix), redisstore.WithTimeout(2*time.Second))
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
	// The window starts before the first call. The server decided the last
	// call between its start and its end, on this machine's monotonic
	// clock; a loaded machine can stretch that, so the count is checked
	// against the earliest and the latest end of the window.
	start := time.Now()
	const workers = 8
	var lastStart, lastEnd [workers]time.Duration
	var allowed, calls atomic.Int64
	var wg sync.WaitGroup
	deadline := start.Add(3 * time.Second)
	for w := range workers {
		l := limiters[w%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				lastStart[w] = time.Since(start)
				d, err := l.Allow(ctx, "client-1")
				lastEnd[w] = time.Since(start)
				if err != nil {
					t.Error(err)
					return
				}
				calls.Add(1)
				if d.Allowed {
					allowed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	early, late := slices.Max(lastStart[:]), slices.Max(lastEnd[:])
	rate := float64(lim.Rate) / lim.Period.Seconds()
	lo := float64(lim.Burst) + early.Seconds()*rate
	hi := float64(lim.Burst) + late.Seconds()*rate
	got := float64(allowed.Load())
	t.Logf("%d calls, %v allowed; one bucket allows %.0f to %.0f over %v to %v", calls.Load(), got, lo, hi, early, late)
	if calls.Load() < int64(2*hi) {
		t.Skipf("only %d calls: the machine is too loaded to saturate the limit", calls.Load())
	}
	if got > hi*1.05 || got < lo*0.95 {
		t.Fatalf("%v allowed, want %.0f to %.0f ± 5%%", got, lo, hi)
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
