package ratelimit_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/fnshield/fnshield/ratelimit"
)

func TestSetHeaders(t *testing.T) {
	tests := []struct {
		name       string
		limit      ratelimit.Limit
		policy     string
		d          ratelimit.Decision
		wantPolicy string
		wantRL     string
		wantRetry  string // "" means absent
	}{
		{
			name:       "allowed",
			limit:      ratelimit.Limit{Rate: 100, Period: time.Minute, Burst: 20},
			policy:     "api",
			d:          ratelimit.Decision{Allowed: true, Limit: 20, Remaining: 19, ResetAfter: 600 * time.Millisecond},
			wantPolicy: `"api";q=100;w=60`,
			wantRL:     `"api";r=19;t=1`,
		},
		{
			name:       "denied, retry rounded up",
			limit:      ratelimit.Limit{Rate: 1, Period: time.Second},
			policy:     "default",
			d:          ratelimit.Decision{Limit: 1, RetryAfter: 1200 * time.Millisecond, ResetAfter: 2200 * time.Millisecond},
			wantPolicy: `"default";q=1;w=1`,
			wantRL:     `"default";r=0;t=3`,
			wantRetry:  "2",
		},
		{
			name:       "denied, under a second is 1",
			limit:      ratelimit.Limit{Rate: 1, Period: time.Second},
			policy:     "default",
			d:          ratelimit.Decision{Limit: 1, RetryAfter: time.Nanosecond, ResetAfter: time.Nanosecond},
			wantPolicy: `"default";q=1;w=1`,
			wantRL:     `"default";r=0;t=1`,
			wantRetry:  "1",
		},
		{
			name:       "denied, whole seconds stay",
			limit:      ratelimit.Limit{Rate: 1, Period: time.Second},
			policy:     "default",
			d:          ratelimit.Decision{Limit: 1, RetryAfter: 2 * time.Second, ResetAfter: 2 * time.Second},
			wantPolicy: `"default";q=1;w=1`,
			wantRL:     `"default";r=0;t=2`,
			wantRetry:  "2",
		},
		{
			name:       "sub-second period scales the quota",
			limit:      ratelimit.Limit{Rate: 10, Period: 500 * time.Millisecond},
			policy:     "fast",
			d:          ratelimit.Decision{Allowed: true, Limit: 10, Remaining: 10},
			wantPolicy: `"fast";q=20;w=1`,
			wantRL:     `"fast";r=10;t=0`,
		},
		{
			name:       "period rounded up to whole seconds",
			limit:      ratelimit.Limit{Rate: 3, Period: 1500 * time.Millisecond},
			policy:     "odd",
			d:          ratelimit.Decision{Allowed: true, Limit: 3, Remaining: 2, ResetAfter: 500 * time.Millisecond},
			wantPolicy: `"odd";q=4;w=2`,
			wantRL:     `"odd";r=2;t=1`,
		},
		{
			name:       "quote and backslash escaped",
			limit:      ratelimit.Limit{Rate: 5, Period: time.Hour},
			policy:     `a"b\c`,
			d:          ratelimit.Decision{Allowed: true, Limit: 5, Remaining: 4, ResetAfter: 12 * time.Minute},
			wantPolicy: `"a\"b\\c";q=5;w=3600`,
			wantRL:     `"a\"b\\c";r=4;t=720`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := ratelimit.New(tt.limit, ratelimit.WithName(tt.policy))
			if err != nil {
				t.Fatal(err)
			}
			h := http.Header{"Retry-After": {"stale"}}
			if tt.d.Allowed {
				h = http.Header{}
			}
			l.SetHeaders(h, tt.d)
			if got := h.Get("RateLimit-Policy"); got != tt.wantPolicy {
				t.Errorf("RateLimit-Policy = %s, want %s", got, tt.wantPolicy)
			}
			if got := h.Get("RateLimit"); got != tt.wantRL {
				t.Errorf("RateLimit = %s, want %s", got, tt.wantRL)
			}
			if got := h.Get("Retry-After"); got != tt.wantRetry {
				t.Errorf("Retry-After = %q, want %q", got, tt.wantRetry)
			}
		})
	}
}

func TestSetLegacyHeaders(t *testing.T) {
	h := http.Header{}
	ratelimit.SetLegacyHeaders(h, ratelimit.Decision{Limit: 20, Remaining: 7, ResetAfter: 7800 * time.Millisecond})
	want := map[string]string{"X-RateLimit-Limit": "20", "X-RateLimit-Remaining": "7", "X-RateLimit-Reset": "8"}
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
}

func TestErrorRetryAfter(t *testing.T) {
	tests := []struct {
		name string
		in   time.Duration
		want time.Duration
	}{
		{"zero is one second", 0, time.Second},
		{"rounded up", 1001 * time.Millisecond, 2 * time.Second},
		{"exact", 3 * time.Second, 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &ratelimit.Error{Reason: ratelimit.ErrLimited, Decision: ratelimit.Decision{RetryAfter: tt.in}}
			if got := e.RetryAfter(); got != tt.want {
				t.Fatalf("RetryAfter() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestErrorTextAndUnwrap(t *testing.T) {
	cause := errors.New("dial tcp: refused")
	tests := []struct {
		name string
		err  *ratelimit.Error
		text string
		is   []error
	}{
		{"limited", &ratelimit.Error{Reason: ratelimit.ErrLimited}, "ratelimit: rate limit exceeded", []error{ratelimit.ErrLimited}},
		{"store with cause", &ratelimit.Error{Reason: ratelimit.ErrStore, Err: cause}, "ratelimit: store failed: dial tcp: refused", []error{ratelimit.ErrStore, cause}},
		{"no reason", &ratelimit.Error{}, "ratelimit: rejected", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.text {
				t.Fatalf("Error() = %q, want %q", got, tt.text)
			}
			for _, target := range tt.is {
				if !errors.Is(tt.err, target) {
					t.Fatalf("errors.Is(%v, %v) = false", tt.err, target)
				}
			}
		})
	}
}
