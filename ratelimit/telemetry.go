package ratelimit

import (
	"context"
	"log/slog"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

const instrumentationName = "github.com/fnshield/fnshield/ratelimit"

// telemetry holds a limiter's instruments and their attribute sets, made
// once in New so that recording a decision allocates nothing. With no
// OpenTelemetry SDK installed they are no-ops.
type telemetry struct {
	tracer        trace.Tracer
	decisions     metric.Int64Counter
	storeErrors   metric.Int64Counter
	storeDuration metric.Float64Histogram
	logger        *slog.Logger
	policy        string

	allowed []metric.AddOption
	denied  []metric.AddOption
	errored []metric.AddOption
	byName  []metric.AddOption
	record  []metric.RecordOption
}

func newTelemetry(policy string, logger *slog.Logger, mp metric.MeterProvider, tp trace.TracerProvider) (*telemetry, error) {
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	t := &telemetry{tracer: tp.Tracer(instrumentationName), logger: logger, policy: policy}
	meter := mp.Meter(instrumentationName)
	var err error
	if t.decisions, err = meter.Int64Counter("fnshield.ratelimit.decisions",
		metric.WithDescription("Rate-limit decisions, by result (allowed, denied, error) and policy."),
		metric.WithUnit("{decision}")); err != nil {
		return nil, err
	}
	if t.storeErrors, err = meter.Int64Counter("fnshield.ratelimit.store.errors",
		metric.WithDescription("Store calls that failed or timed out, by policy."),
		metric.WithUnit("{error}")); err != nil {
		return nil, err
	}
	if t.storeDuration, err = meter.Float64Histogram("fnshield.ratelimit.store.duration",
		metric.WithDescription("Duration of calls to a shared store (the memory store is not timed)."),
		metric.WithUnit("s")); err != nil {
		return nil, err
	}
	p := attribute.String("policy", policy)
	result := func(r string) []metric.AddOption {
		return []metric.AddOption{metric.WithAttributeSet(attribute.NewSet(attribute.String("result", r), p))}
	}
	t.allowed, t.denied, t.errored = result("allowed"), result("denied"), result("error")
	set := attribute.NewSet(p)
	t.byName = []metric.AddOption{metric.WithAttributeSet(set)}
	t.record = []metric.RecordOption{metric.WithAttributeSet(set)}
	return t, nil
}

// decision counts one decision and, for a denial, marks the span in ctx
// when it is recording.
func (t *telemetry) decision(ctx context.Context, d Decision) {
	if d.Allowed {
		t.decisions.Add(ctx, 1, t.allowed...)
		return
	}
	t.decisions.Add(ctx, 1, t.denied...)
	if span := trace.SpanFromContext(ctx); span.IsRecording() {
		span.AddEvent("fnshield.ratelimit.denied", trace.WithAttributes(
			attribute.String("fnshield.ratelimit.policy", t.policy),
			attribute.Int64("fnshield.ratelimit.retry_after_ms", d.RetryAfter.Milliseconds())))
	}
}

// storeCall records the duration of one store call.
func (t *telemetry) storeCall(ctx context.Context, elapsed time.Duration) {
	t.storeDuration.Record(ctx, elapsed.Seconds(), t.record...)
}

// storeError counts and logs a failed store call.
func (t *telemetry) storeError(ctx context.Context, err error, failOpen bool) {
	t.decisions.Add(ctx, 1, t.errored...)
	t.storeErrors.Add(ctx, 1, t.byName...)
	if t.logger == nil || !t.logger.Enabled(ctx, slog.LevelWarn) {
		return
	}
	t.logger.LogAttrs(ctx, slog.LevelWarn, "ratelimit: store failed",
		slog.String("policy", t.policy),
		slog.Bool("fail_open", failOpen),
		slog.String("error", err.Error()))
}
