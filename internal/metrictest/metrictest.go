// Package metrictest is a recording OpenTelemetry MeterProvider for tests:
// it records what fnshield's packages add to their Int64Counters and
// Float64Histograms, by instrument name and attributes, without an SDK
// (which the library must not depend on). Every other instrument is a
// no-op.
package metrictest

import (
	"context"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/embedded"
	"go.opentelemetry.io/otel/metric/noop"
)

// Provider records Int64Counter additions and Float64Histogram records.
// The zero value is ready to use and it is safe for concurrent use.
type Provider struct {
	embedded.MeterProvider

	mu      sync.Mutex
	adds    []Add    // guarded by mu
	records []Record // guarded by mu
}

// Record is one recorded histogram value.
type Record struct {
	Name  string
	Value float64
	Attrs attribute.Set
}

// Records returns a copy of every histogram value recorded under name.
func (p *Provider) Records(name string) []Record {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []Record
	for _, r := range p.records {
		if r.Name == name {
			out = append(out, r)
		}
	}
	return out
}

// Add is one recorded counter addition.
type Add struct {
	Name  string
	Value int64
	Attrs attribute.Set
}

// Meter returns a meter whose Int64Counters record into p.
func (p *Provider) Meter(string, ...metric.MeterOption) metric.Meter {
	return &meter{p: p}
}

// Sum returns the total added to the counter name by additions whose
// attributes include every key/value pair in kv ("key", "value", ...).
func (p *Provider) Sum(name string, kv ...string) int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	var n int64
	for _, a := range p.adds {
		if a.Name == name && matches(a.Attrs, kv) {
			n += a.Value
		}
	}
	return n
}

// Adds returns a copy of every addition recorded so far.
func (p *Provider) Adds() []Add {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Add(nil), p.adds...)
}

func matches(s attribute.Set, kv []string) bool {
	for i := 0; i+1 < len(kv); i += 2 {
		v, ok := s.Value(attribute.Key(kv[i]))
		if !ok || v.Emit() != kv[i+1] {
			return false
		}
	}
	return true
}

type meter struct {
	noop.Meter
	p *Provider
}

func (m *meter) Int64Counter(name string, _ ...metric.Int64CounterOption) (metric.Int64Counter, error) {
	return &counter{name: name, p: m.p}, nil
}

type counter struct {
	embedded.Int64Counter
	name string
	p    *Provider
}

func (c *counter) Add(_ context.Context, incr int64, opts ...metric.AddOption) {
	cfg := metric.NewAddConfig(opts)
	c.p.mu.Lock()
	c.p.adds = append(c.p.adds, Add{Name: c.name, Value: incr, Attrs: cfg.Attributes()})
	c.p.mu.Unlock()
}

func (c *counter) Enabled(context.Context) bool { return true }

func (m *meter) Float64Histogram(name string, _ ...metric.Float64HistogramOption) (metric.Float64Histogram, error) {
	return &histogram{name: name, p: m.p}, nil
}

type histogram struct {
	embedded.Float64Histogram
	name string
	p    *Provider
}

func (h *histogram) Record(_ context.Context, v float64, opts ...metric.RecordOption) {
	cfg := metric.NewRecordConfig(opts)
	h.p.mu.Lock()
	h.p.records = append(h.p.records, Record{Name: h.name, Value: v, Attrs: cfg.Attributes()})
	h.p.mu.Unlock()
}

func (h *histogram) Enabled(context.Context) bool { return true }
