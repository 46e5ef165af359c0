package ratelimit_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/embedded"

	"github.com/fnshield/fnshield/internal/metrictest"
	"github.com/fnshield/fnshield/ratelimit"
)

// histProvider records Float64Histogram values next to metrictest's
// counters (metrictest records counters only).
type histProvider struct {
	metrictest.Provider

	mu      sync.Mutex
	records []histRecord // requires mu held
}

type histRecord struct {
	name  string
	value float64
	attrs attribute.Set
}

func (p *histProvider) Meter(name string, opts ...metric.MeterOption) metric.Meter {
	return &histMeter{Meter: p.Provider.Meter(name, opts...), p: p}
}

type histMeter struct {
	metric.Meter
	p *histProvider
}

func (m *histMeter) Float64Histogram(name string, _ ...metric.Float64HistogramOption) (metric.Float64Histogram, error) {
	return &histogram{name: name, p: m.p}, nil
}

type histogram struct {
	embedded.Float64Histogram
	name string
	p    *histProvider
}

func (h *histogram) Record(_ context.Context, v float64, opts ...metric.RecordOption) {
	cfg := metric.NewRecordConfig(opts)
	h.p.mu.Lock()
	h.p.records = append(h.p.records, histRecord{h.name, v, cfg.Attributes()})
	h.p.mu.Unlock()
}

func (h *histogram) Enabled(context.Context) bool { return true }

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
			var mp histProvider
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
			if got := len(mp.records); got != tt.want {
				t.Fatalf("%d durations recorded, want %d", got, tt.want)
			}
			for _, r := range mp.records {
				policy, _ := r.attrs.Value("policy")
				if r.name != "fnshield.ratelimit.store.duration" || policy.AsString() != "orders" || r.value < 0 || r.value > 10 {
					t.Fatalf("recorded %+v", r)
				}
			}
			if got := mp.Sum("fnshield.ratelimit.decisions", "policy", "orders", "result", "allowed"); got != 3 {
				t.Fatalf("decisions{allowed} = %d, want 3", got)
			}
		})
	}
}
