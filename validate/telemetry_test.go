package validate_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/fnshield/fnshield/validate"
)

// spanRecorder is a TracerProvider whose spans record their attributes.
type spanRecorder struct {
	noop.TracerProvider
	mu    sync.Mutex
	spans []*recordedSpan
}

type recordedSpan struct {
	trace.Span
	name  string
	attrs map[attribute.Key]attribute.Value
	ended bool
}

func (s *recordedSpan) IsRecording() bool { return true }
func (s *recordedSpan) SetAttributes(kv ...attribute.KeyValue) {
	for _, a := range kv {
		s.attrs[a.Key] = a.Value
	}
}
func (s *recordedSpan) End(...trace.SpanEndOption) { s.ended = true }

type recordingTracer struct {
	noop.Tracer
	p *spanRecorder
}

func (p *spanRecorder) Tracer(string, ...trace.TracerOption) trace.Tracer {
	return recordingTracer{p: p}
}

func (t recordingTracer) Start(ctx context.Context, name string, _ ...trace.SpanStartOption) (context.Context, trace.Span) {
	s := &recordedSpan{Span: trace.SpanFromContext(ctx), name: name, attrs: map[attribute.Key]attribute.Value{}}
	t.p.mu.Lock()
	t.p.spans = append(t.p.spans, s)
	t.p.mu.Unlock()
	return trace.ContextWithSpan(ctx, s), s
}

func TestSpanAttributes(t *testing.T) {
	tp := &spanRecorder{}
	s := validate.MustCompile([]byte(`{"properties":{"a":{"type":"integer"},"b":{"type":"integer"}}}`),
		validate.WithTracerProvider(tp))
	h := validate.Middleware(s)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	for _, body := range []string{`{"a":1}`, `{"a":"x","b":"y"}`} {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	if len(tp.spans) != 2 {
		t.Fatalf("%d spans, want 2", len(tp.spans))
	}
	tests := []struct {
		result     string
		violations int64 // -1: absent
	}{{"valid", -1}, {"invalid", 2}}
	for i, tt := range tests {
		sp := tp.spans[i]
		if sp.name != "fnshield.validate" || !sp.ended {
			t.Errorf("span %d: name %q, ended %v", i, sp.name, sp.ended)
		}
		if got := sp.attrs["fnshield.validate.result"].AsString(); got != tt.result {
			t.Errorf("span %d: result %q, want %q", i, got, tt.result)
		}
		if got := sp.attrs["fnshield.validate.source"].AsString(); got != "http" {
			t.Errorf("span %d: source %q, want http", i, got)
		}
		v, ok := sp.attrs["fnshield.validate.violations"]
		if (tt.violations < 0) == ok || (ok && v.AsInt64() != tt.violations) {
			t.Errorf("span %d: violations %v (present %v), want %d", i, v.AsInt64(), ok, tt.violations)
		}
	}
}
