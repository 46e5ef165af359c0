package ratelimit_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fnshield/fnshield/internal/metrictest"
	"github.com/fnshield/fnshield/ratelimit"
)

// failingStore is a Store whose calls fail with err.
type failingStore struct{ err error }

func (s failingStore) Allow(context.Context, string, ratelimit.Limit, int) (ratelimit.Decision, error) {
	return ratelimit.Decision{}, s.err
}

// recordingStore records what a Limiter asks of its store, and decides
// through a memory store.
type recordingStore struct {
	mu     sync.Mutex
	keys   []string
	limits []ratelimit.Limit
	inner  *ratelimit.MemoryStore
}

func (s *recordingStore) Allow(ctx context.Context, key string, l ratelimit.Limit, n int) (ratelimit.Decision, error) {
	s.mu.Lock()
	s.keys = append(s.keys, key)
	s.limits = append(s.limits, l)
	s.mu.Unlock()
	return s.inner.Allow(ctx, key, l, n)
}

func TestNewRejectsInvalidConfiguration(t *testing.T) {
	ok := ratelimit.Limit{Rate: 1, Period: time.Second}
	tests := []struct {
		name  string
		limit ratelimit.Limit
		opts  []ratelimit.Option
		is    error
		text  string
	}{
		{"zero limit", ratelimit.Limit{}, nil, ratelimit.ErrInvalidLimit, "Rate"},
		{"negative burst", ratelimit.Limit{Rate: 1, Period: time.Second, Burst: -2}, nil, ratelimit.ErrInvalidLimit, "Burst"},
		{"nil store", ok, []ratelimit.Option{ratelimit.WithStore(nil)}, nil, "WithStore"},
		{"nil key function", ok, []ratelimit.Option{ratelimit.WithKey(nil)}, nil, "WithKey"},
		{"empty name", ok, []ratelimit.Option{ratelimit.WithName("")}, nil, "WithName"},
		{"name with a space", ok, []ratelimit.Option{ratelimit.WithName("a b")}, nil, "WithName"},
		{"name with a newline", ok, []ratelimit.Option{ratelimit.WithName("a\nb")}, nil, "WithName"},
		{"name too long", ok, []ratelimit.Option{ratelimit.WithName(strings.Repeat("n", 65))}, nil, "WithName"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := ratelimit.New(tt.limit, tt.opts...)
			if err == nil {
				t.Fatalf("New returned %v and no error", l)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Fatalf("error %v does not wrap %v", err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.text) {
				t.Fatalf("error %q does not mention %q", err, tt.text)
			}
		})
	}
}

func TestLimiterBurstThenDeny(t *testing.T) {
	l, err := ratelimit.New(ratelimit.Limit{Rate: 5, Period: time.Hour, Burst: 3})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i, want := range []bool{true, true, true, false} {
		d, err := l.Allow(ctx, "client")
		if err != nil {
			t.Fatal(err)
		}
		if d.Allowed != want || d.Limit != 3 {
			t.Fatalf("request %d: %+v, want Allowed %v, Limit 3", i, d, want)
		}
	}
	// Another key has its own bucket.
	if d, _ := l.Allow(ctx, "other"); !d.Allowed || d.Remaining != 2 {
		t.Fatalf("other key: %+v, want allowed with 2 remaining", d)
	}
	if got := l.Limit(); got.Burst != 3 || got.Rate != 5 {
		t.Fatalf("Limit() = %+v", got)
	}
}

func TestLimiterAllowNBounds(t *testing.T) {
	l, _ := ratelimit.New(ratelimit.Limit{Rate: 10, Period: time.Second})
	for _, n := range []int{-1, 0, 11} {
		d, err := l.AllowN(context.Background(), "k", n)
		if !errors.Is(err, ratelimit.ErrInvalidN) || d != (ratelimit.Decision{}) {
			t.Fatalf("AllowN(n=%d) = %+v, %v; want the zero Decision and ErrInvalidN", n, d, err)
		}
	}
	if d, err := l.AllowN(context.Background(), "k", 10); err != nil || !d.Allowed || d.Remaining != 0 {
		t.Fatalf("AllowN(n=10) = %+v, %v; want allowed with 0 remaining", d, err)
	}
}

func TestLimiterPrefixesKeysAndNormalisesLimit(t *testing.T) {
	inner, _ := ratelimit.NewMemoryStore(100)
	rec := &recordingStore{inner: inner}
	l, err := ratelimit.New(ratelimit.Limit{Rate: 2, Period: time.Second}, ratelimit.WithStore(rec), ratelimit.WithName("login"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Allow(context.Background(), "ip:192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	if len(rec.keys) != 1 || rec.keys[0] != "login:ip:192.0.2.1" {
		t.Fatalf("store keys %q, want [login:ip:192.0.2.1]", rec.keys)
	}
	if got := rec.limits[0]; got.Burst != 2 {
		t.Fatalf("store got limit %+v, want Burst 2 filled in", got)
	}
}

func TestLimitersSharingAStoreDoNotCollide(t *testing.T) {
	store, _ := ratelimit.NewMemoryStore(100)
	lim := ratelimit.Limit{Rate: 1, Period: time.Hour}
	a, _ := ratelimit.New(lim, ratelimit.WithStore(store), ratelimit.WithName("a"))
	b, _ := ratelimit.New(lim, ratelimit.WithStore(store), ratelimit.WithName("b"))
	ctx := context.Background()
	for _, l := range []*ratelimit.Limiter{a, b} {
		if d, _ := l.Allow(ctx, "same-key"); !d.Allowed {
			t.Fatalf("limiter %s: first request denied", l.Name())
		}
	}
	if d, _ := a.Allow(ctx, "same-key"); d.Allowed {
		t.Fatal("limiter a: second request allowed")
	}
	if got := store.Len(); got != 2 {
		t.Fatalf("shared store holds %d keys, want 2", got)
	}
}

func TestLimiterStoreFailurePolicy(t *testing.T) {
	cause := errors.New("connection refused")
	tests := []struct {
		name     string
		failOpen bool
		want     ratelimit.Decision
	}{
		{"fail open", true, ratelimit.Decision{Allowed: true, Limit: 4, Remaining: 3}},
		{"fail closed", false, ratelimit.Decision{Limit: 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mp metrictest.Provider
			var logs bytes.Buffer
			l, err := ratelimit.New(ratelimit.Limit{Rate: 4, Period: time.Second},
				ratelimit.WithStore(failingStore{cause}),
				ratelimit.WithFailOpen(tt.failOpen),
				ratelimit.WithName("orders"),
				ratelimit.WithMeterProvider(&mp),
				ratelimit.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
			if err != nil {
				t.Fatal(err)
			}
			d, err := l.Allow(context.Background(), "secret-api-key-value")
			if d != tt.want {
				t.Fatalf("Allow = %+v, want %+v", d, tt.want)
			}
			if !errors.Is(err, ratelimit.ErrStore) || !errors.Is(err, cause) {
				t.Fatalf("error %v does not wrap ErrStore and the cause", err)
			}
			if got := mp.Sum("fnshield.ratelimit.decisions", "result", "error", "policy", "orders"); got != 1 {
				t.Errorf("decisions{result=error} = %d, want 1", got)
			}
			if got := mp.Sum("fnshield.ratelimit.store.errors", "policy", "orders"); got != 1 {
				t.Errorf("store.errors = %d, want 1", got)
			}
			out := logs.String()
			if !strings.Contains(out, "connection refused") || !strings.Contains(out, "policy=orders") {
				t.Errorf("log %q lacks the error or the policy", out)
			}
			if strings.Contains(out, "secret-api-key-value") || strings.Contains(err.Error(), "secret-api-key-value") {
				t.Errorf("the key leaked into the log or the error: %q / %q", out, err)
			}
		})
	}
}

func TestLimiterCountsDecisions(t *testing.T) {
	var mp metrictest.Provider
	l, err := ratelimit.New(ratelimit.Limit{Rate: 2, Period: time.Hour}, ratelimit.WithMeterProvider(&mp))
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		_, _ = l.Allow(context.Background(), "k")
	}
	tests := []struct {
		result string
		want   int64
	}{{"allowed", 2}, {"denied", 3}, {"error", 0}}
	for _, tt := range tests {
		t.Run(tt.result, func(t *testing.T) {
			got := mp.Sum("fnshield.ratelimit.decisions", "result", tt.result, "policy", "default")
			if got != tt.want {
				t.Fatalf("decisions{result=%s} = %d, want %d", tt.result, got, tt.want)
			}
		})
	}
}
