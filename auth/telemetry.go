package auth

import (
	"context"
	"errors"
	"log/slog"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

const instrumentationName = "github.com/fnshield/fnshield/auth"

// telemetry holds the instruments, created once in New. With no
// OpenTelemetry SDK installed they are no-ops.
type telemetry struct {
	tracer    trace.Tracer
	decisions metric.Int64Counter
	cache     metric.Int64Counter
	logger    *slog.Logger

	// Counter options, built once: each is a one-element slice passed on
	// with "...", as building the variadic slice per call would allocate
	// on every Verify.
	allowed  []metric.AddOption
	denied   map[string][]metric.AddOption // by reason name
	hit      []metric.AddOption
	miss     []metric.AddOption
	deniedOK []metric.AddOption // reason "other"
}

func newTelemetry(logger *slog.Logger, mp metric.MeterProvider, tp trace.TracerProvider) (*telemetry, error) {
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	t := &telemetry{
		tracer: tp.Tracer(instrumentationName),
		logger: logger,
		denied: make(map[string][]metric.AddOption, len(reasonTable)+1),
	}
	meter := mp.Meter(instrumentationName)
	var err error
	t.decisions, err = meter.Int64Counter("fnshield.auth.decisions",
		metric.WithDescription("Token decisions, by result (allowed, denied) and reason."),
		metric.WithUnit("{decision}"))
	if err != nil {
		return nil, err
	}
	t.cache, err = meter.Int64Counter("fnshield.auth.token_cache",
		metric.WithDescription("Verified-token cache lookups, by result (hit, miss)."),
		metric.WithUnit("{lookup}"))
	if err != nil {
		return nil, err
	}
	opts := func(kv ...attribute.KeyValue) []metric.AddOption {
		return []metric.AddOption{metric.WithAttributeSet(attribute.NewSet(kv...))}
	}
	t.allowed = opts(attribute.String("result", "allowed"), attribute.String("reason", "ok"))
	for _, ri := range reasonTable {
		t.denied[ri.name] = opts(attribute.String("result", "denied"), attribute.String("reason", ri.name))
	}
	t.deniedOK = opts(attribute.String("result", "denied"), attribute.String("reason", "other"))
	t.hit = opts(attribute.String("result", "hit"))
	t.miss = opts(attribute.String("result", "miss"))
	return t, nil
}

// reasonOf extracts the sentinel behind err.
func reasonOf(err error) error {
	var e *Error
	if errors.As(err, &e) && e.Reason != nil {
		return e.Reason
	}
	for _, ri := range reasonTable {
		if errors.Is(err, ri.reason) {
			return ri.reason
		}
	}
	return err
}

// record counts one decision (err nil means allowed), annotates the span
// in ctx when it is recording, and logs denials to the WithLogger logger.
// c is the verified claims when known (nil otherwise); only its issuer and
// subject are logged, never the token. The transports call it for their
// own denials (scopes, Require checks).
func (v *Verifier) record(ctx context.Context, err error, c *Claims) {
	v.decide(ctx, err, c, true)
}

// decide is record; with log false a denial is counted but not logged,
// because the caller (the shared transport) logs it with the request's
// attributes.
func (v *Verifier) decide(ctx context.Context, err error, c *Claims, log bool) {
	t := v.tel
	if err == nil {
		t.decisions.Add(ctx, 1, t.allowed...)
		if span := trace.SpanFromContext(ctx); span.IsRecording() {
			span.AddEvent("fnshield.auth.decision", trace.WithAttributes(
				attribute.String("fnshield.auth.result", "allowed")))
		}
		return
	}
	reason := reasonOf(err)
	name := reasonName(reason)
	opt, ok := t.denied[name]
	if !ok {
		opt = t.deniedOK
	}
	t.decisions.Add(ctx, 1, opt...)
	if span := trace.SpanFromContext(ctx); span.IsRecording() {
		span.AddEvent("fnshield.auth.decision", trace.WithAttributes(
			attribute.String("fnshield.auth.result", "denied"),
			attribute.String("fnshield.auth.reason", name)))
	}
	if t.logger == nil || !log {
		return
	}
	level := slog.LevelInfo
	switch reason {
	case ErrBadSignature, ErrBadAlgorithm, ErrBadIssuer, ErrUnknownKey, ErrMalformed, ErrKeysUnavailable:
		level = slog.LevelWarn
	}
	if !t.logger.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 3)
	attrs = append(attrs, slog.String("reason", name))
	if c != nil {
		attrs = append(attrs, slog.String("issuer", c.Issuer), slog.String("subject", c.Subject))
	}
	t.logger.LogAttrs(ctx, level, "auth: access denied", attrs...)
}

// recordCache counts a token-cache lookup.
func (t *telemetry) recordCache(ctx context.Context, hit bool) {
	if hit {
		t.cache.Add(ctx, 1, t.hit...)
	} else {
		t.cache.Add(ctx, 1, t.miss...)
	}
}
