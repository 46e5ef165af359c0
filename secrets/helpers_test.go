package secrets

import (
	"context"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	mnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/trace"
	tnoop "go.opentelemetry.io/otel/trace/noop"
)

// recorder is a minimal OpenTelemetry meter and tracer provider that keeps
// counter sums by attribute and finished spans, for assertions.
type recorder struct {
	mnoop.MeterProvider
	tnoop.TracerProvider

	mu     sync.Mutex
	counts map[string]int64 // "instrument attrs" → sum
	spans  []recordedSpan
}

type recordedSpan struct {
	name   string
	attrs  []attribute.KeyValue
	status codes.Code
	desc   string
}

func newRecorder() *recorder { return &recorder{counts: map[string]int64{}} }

func (r *recorder) options() []Option {
	return []Option{WithMeterProvider(r), WithTracerProvider(r)}
}

func (r *recorder) Meter(string, ...metric.MeterOption) metric.Meter { return recMeter{r: r} }
func (r *recorder) Tracer(string, ...trace.TracerOption) trace.Tracer {
	return recTracer{r: r}
}

// count returns the sum of instrument with the given attribute key=value.
func (r *recorder) count(instrument, key, value string) int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.counts[instrument+" "+key+"="+value]
}

func (r *recorder) finished() []recordedSpan {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recordedSpan(nil), r.spans...)
}

type recMeter struct {
	mnoop.Meter
	r *recorder
}

func (m recMeter) Int64Counter(name string, _ ...metric.Int64CounterOption) (metric.Int64Counter, error) {
	return recCounter{r: m.r, name: name}, nil
}

type recCounter struct {
	mnoop.Int64Counter
	r    *recorder
	name string
}

func (c recCounter) Add(_ context.Context, n int64, opts ...metric.AddOption) {
	set := metric.NewAddConfig(opts).Attributes()
	c.r.mu.Lock()
	defer c.r.mu.Unlock()
	for _, kv := range set.ToSlice() {
		c.r.counts[c.name+" "+string(kv.Key)+"="+kv.Value.Emit()] += n
	}
}

type recTracer struct {
	tnoop.Tracer
	r *recorder
}

func (t recTracer) Start(ctx context.Context, name string, opts ...trace.SpanStartOption) (context.Context, trace.Span) {
	cfg := trace.NewSpanStartConfig(opts...)
	return ctx, &recSpan{r: t.r, s: recordedSpan{name: name, attrs: cfg.Attributes()}}
}

type recSpan struct {
	tnoop.Span
	r *recorder
	s recordedSpan
}

func (s *recSpan) SetAttributes(kv ...attribute.KeyValue) { s.s.attrs = append(s.s.attrs, kv...) }
func (s *recSpan) SetStatus(c codes.Code, d string)       { s.s.status, s.s.desc = c, d }
func (s *recSpan) End(...trace.SpanEndOption) {
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	s.r.spans = append(s.r.spans, s.s)
}

// attr returns the value of key in span s, or "".
func (s recordedSpan) attr(key string) string {
	for _, kv := range s.attrs {
		if string(kv.Key) == key {
			return kv.Value.Emit()
		}
	}
	return ""
}

// counting is a provider whose behaviour the test sets per call.
type counting struct {
	mu    sync.Mutex
	calls map[string]int
	fn    func(ctx context.Context, name string, call int) ([]byte, error)
}

func newCounting(fn func(ctx context.Context, name string, call int) ([]byte, error)) *counting {
	return &counting{calls: map[string]int{}, fn: fn}
}

func (p *counting) Fetch(ctx context.Context, name string) ([]byte, error) {
	p.mu.Lock()
	p.calls[name]++
	n := p.calls[name]
	p.mu.Unlock()
	return p.fn(ctx, name, n)
}

// n returns how many times name was fetched.
func (p *counting) n(name string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls[name]
}

// total returns the number of fetches of all names.
func (p *counting) total() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	t := 0
	for _, n := range p.calls {
		t += n
	}
	return t
}

// mustGet gets name and fails the test on error.
func mustGet(t *testing.T, c *Cache, name string) string {
	t.Helper()
	v, err := c.Get(context.Background(), name)
	if err != nil {
		t.Fatalf("Get(%q): %v", name, err)
	}
	return v.Reveal()
}

// entryCount returns the number of cached names, checking that the name
// map and the CLOCK ring agree.
func entryCount(t *testing.T, c *Cache) int {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	m := map[string]*entry{}
	c.names.Range(func(k, v any) bool {
		m[k.(string)] = v.(*entry)
		return true
	})
	if len(m) != len(c.ring) {
		t.Fatalf("name map has %d entries, ring %d", len(m), len(c.ring))
	}
	for i, e := range c.ring {
		if e.idx != i {
			t.Fatalf("ring[%d].idx = %d", i, e.idx)
		}
		if m[e.name] != e {
			t.Fatalf("name map does not hold ring entry %q", e.name)
		}
	}
	return len(m)
}
