package secrets

import (
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/trace"
)

const instrumentationName = "github.com/fnshield/fnshield/secrets"

// result is the outcome of one Get, the "result" attribute of the
// fnshield.secrets.cache counter.
type result int

const (
	resultHit       result = iota // a fresh cached value
	resultMiss                    // this Get started a fetch
	resultStale                   // a value past its expiry, after a failed fetch
	resultCoalesced               // this Get waited for a fetch another started
	resultNegative                // a cached not-found answer
	numResults
)

var resultNames = [numResults]string{"hit", "miss", "stale", "coalesced", "negative"}

// outcome is the outcome of one provider fetch, the "outcome" attribute of
// the fnshield.secrets.fetch counter and of the fetch span.
type outcome int

const (
	outcomeOK outcome = iota
	outcomeNotFound
	outcomeError
	outcomePanic
	numOutcomes
)

var outcomeNames = [numOutcomes]string{"ok", "not_found", "error", "panic"}

// telemetry holds the instruments of one Cache, made once in New. The
// attribute options are built once too, so that counting a hit allocates
// nothing.
type telemetry struct {
	tracer       trace.Tracer
	cache        metric.Int64Counter
	fetch        metric.Int64Counter
	resultOpts   [numResults][]metric.AddOption
	outcomeOpts  [numOutcomes][]metric.AddOption
	outcomeAttrs [numOutcomes]attribute.KeyValue
	provider     attribute.KeyValue
}

func newTelemetry(cfg *config, providerName string) *telemetry {
	tp := cfg.tracerProvider
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	mp := cfg.meterProvider
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	meter := mp.Meter(instrumentationName)
	t := &telemetry{
		tracer:   tp.Tracer(instrumentationName),
		provider: attribute.String("fnshield.secrets.provider", providerName),
	}
	var err error
	t.cache, err = meter.Int64Counter("fnshield.secrets.cache",
		metric.WithDescription("Secret cache lookups by result (hit, miss, stale, coalesced, negative)."),
		metric.WithUnit("{lookup}"))
	if err != nil {
		t.cache = noop.Int64Counter{}
	}
	t.fetch, err = meter.Int64Counter("fnshield.secrets.fetch",
		metric.WithDescription("Secret provider fetches by outcome (ok, not_found, error, panic)."),
		metric.WithUnit("{fetch}"))
	if err != nil {
		t.fetch = noop.Int64Counter{}
	}
	for r := range numResults {
		set := attribute.NewSet(attribute.String("result", resultNames[r]))
		t.resultOpts[r] = []metric.AddOption{metric.WithAttributeSet(set)}
	}
	for o := range numOutcomes {
		t.outcomeAttrs[o] = attribute.String("outcome", outcomeNames[o])
		set := attribute.NewSet(t.provider, t.outcomeAttrs[o])
		t.outcomeOpts[o] = []metric.AddOption{metric.WithAttributeSet(set)}
	}
	return t
}
