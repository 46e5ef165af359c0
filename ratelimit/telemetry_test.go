package ratelimit_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/fnshield/fnshield/internal/metrictest"
	"github.com/fnshield/fnshield/ratelimit"
)

func TestStoreDurationHistogram(t *testing.T) {
	inner, _ := ratelimit.NewMemoryStore(10)
	tests := []struct {
		name  string
		store ratelimit.Store
		want  int
	}{
		{"a shared store is timed", &recordingStore{inner: inner}, 3},
		{"the memory store is not", inner, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mp metrictest.Provider
			l, err := ratelimit.New(ratelimit.Limit{Rate: 10, Period: time.Second},
				ratelimit.WithStore(tt.store), ratelimit.WithName("orders"), ratelimit.WithMeterProvider(&mp))
			if err != nil {
				t.Fatal(err)
			}
			for range 3 {
				if _, err := l.Allow(context.Background(), "k"); err != nil {
					t.Fatal(err)
				}
			}
			records := mp.Records("fnshield.ratelimit.store.duration")
			if got := len(records); got != tt.want {
				t.Fatalf("%d durations recorded, want %d", got, tt.want)
			}
			for _, r := range records {
				policy, _ := r.Attrs.Value("policy")
				if policy.AsString() != "orders" || r.Value < 0 || r.Value > 10 {
					t.Fatalf("recorded %+v", r)
				}
			}
			if got := mp.Sum("fnshield.ratelimit.decisions", "policy", "orders", "result", "allowed"); got != 3 {
				t.Fatalf("decisions{allowed} = %d, want 3", got)
			}
		})
	}
}

// spanRecorder records the names of the spans started through it.
type spanRecorder struct {
	noop.TracerProvider

	mu    sync.Mutex
	names []string // requires mu held
}

func (p *spanRecorder) Tracer(string, ...trace.TracerOption) trace.Tracer {
	return recordingTracer{p: p}
}

type recordingTracer struct {
	noop.Tracer
	p *spanRecorder
}

func (t recordingTracer) Start(ctx context.Context, name string, opts ...trace.SpanStartOption) (context.Context, trace.Span) {
	t.p.mu.Lock()
	t.p.names = append(t.p.names, name)
	t.p.mu.Unlock()
	return t.Tracer.Start(ctx, name, opts...)
}

func TestStoreCallSpans(t *testing.T) {
	inner, _ := ratelimit.NewMemoryStore(10)
	tests := []struct {
		name  string
		store ratelimit.Store
		want  []string
	}{
		{"a shared store call is a span", &recordingStore{inner: inner}, []string{"ratelimit.store", "ratelimit.store"}},
		{"the memory store is not", inner, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tp spanRecorder
			l, err := ratelimit.New(ratelimit.Limit{Rate: 10, Period: time.Second},
				ratelimit.WithStore(tt.store), ratelimit.WithTracerProvider(&tp))
			if err != nil {
				t.Fatal(err)
			}
			for range 2 {
				_, _ = l.Allow(context.Background(), "k")
			}
			if !slices.Equal(tp.names, tt.want) {
				t.Fatalf("spans %q, want %q", tp.names, tt.want)
			}
		})
	}
}
