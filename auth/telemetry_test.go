package auth

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/trace"
)

// vtSpan is a recording span that keeps its events.
type vtSpan struct {
	trace.Span // a non-recording span, for the methods not overridden
	mu         sync.Mutex
	events     []string
}

func (s *vtSpan) IsRecording() bool { return true }

func (s *vtSpan) AddEvent(name string, opts ...trace.EventOption) {
	cfg := trace.NewEventConfig(opts...)
	var b strings.Builder
	b.WriteString(name)
	for _, kv := range cfg.Attributes() {
		b.WriteString(" " + string(kv.Key) + "=" + kv.Value.Emit())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, b.String())
}

func TestDecisionSpanEvents(t *testing.T) {
	clock := newVTClock()
	k := vtKeys()
	v := vtStaticVerifier(t, clock)
	span := &vtSpan{Span: trace.SpanFromContext(context.Background())}
	ctx := trace.ContextWithSpan(context.Background(), span)
	good := vtSign(t, "RS256", k.rsaA, "a1", nil, vtClaims(vtIssA, clock.now(), nil))
	expired := vtSign(t, "RS256", k.rsaA, "a1", nil, vtClaims(vtIssA, clock.now(), map[string]any{"exp": clock.now().Add(-time.Hour).Unix()}))
	_, _ = v.Verify(ctx, good)
	_, _ = v.Verify(ctx, expired)
	want := []string{
		"fnshield.auth.decision fnshield.auth.result=allowed",
		"fnshield.auth.decision fnshield.auth.result=denied fnshield.auth.reason=expired",
	}
	if strings.Join(span.events, "\n") != strings.Join(want, "\n") {
		t.Fatalf("events:\n got %q\nwant %q", span.events, want)
	}
	for _, e := range span.events {
		for _, seg := range strings.Split(good+"."+expired, ".") {
			if strings.Contains(e, seg) {
				t.Fatal("span event contains part of a token")
			}
		}
	}
}

func TestReasonOf(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{newError(ErrExpired, nil), "expired"},
		{ErrForbidden, "forbidden"},
		{newError(ErrInsufficientScope, ErrForbidden), "insufficient_scope"},
		{context.Canceled, "other"},
	}
	for _, tt := range tests {
		if got := reasonName(reasonOf(tt.err)); got != tt.want {
			t.Errorf("%v: got %q, want %q", tt.err, got, tt.want)
		}
	}
}
