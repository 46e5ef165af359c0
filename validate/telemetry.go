package validate

import (
	"context"
	"errors"
	"log/slog"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

const instrumentationName = "github.com/fnshield/fnshield/validate"

// Sources of a validated document, the "source" attribute of
// fnshield.validate.results.
const (
	sourceDirect      = "direct"
	sourceHTTP        = "http"
	sourceSQS         = "sqs"
	sourceKinesis     = "kinesis"
	sourceSNS         = "sns"
	sourceEventBridge = "eventbridge"
	sourceResponse    = "response" // a handler's response, checked by WithResponseSchema
)

var sources = []string{sourceDirect, sourceHTTP, sourceSQS, sourceKinesis, sourceSNS, sourceEventBridge, sourceResponse}

// Results, the "result" attribute.
const (
	resultValid   = "valid"
	resultInvalid = "invalid" // the schema rejected the document
	resultError   = "error"   // the screen rejected it, or validation could not run
)

// telemetry holds the instruments, created once in Compile. With no
// OpenTelemetry SDK installed they are no-ops.
type telemetry struct {
	tracer  trace.Tracer
	results metric.Int64Counter
	logger  *slog.Logger
	opts    map[[2]string]metric.AddOption // by source and result
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
		opts:   make(map[[2]string]metric.AddOption, 3*len(sources)),
	}
	var err error
	t.results, err = meter(mp).Int64Counter("fnshield.validate.results",
		metric.WithDescription("Validated documents, by result (valid, invalid, error) and source (http, sqs, kinesis, sns, eventbridge, direct, response)."),
		metric.WithUnit("{document}"))
	if err != nil {
		return nil, err
	}
	for _, src := range sources {
		for _, res := range []string{resultValid, resultInvalid, resultError} {
			t.opts[[2]string{src, res}] = metric.WithAttributeSet(attribute.NewSet(
				attribute.String("result", res), attribute.String("source", src)))
		}
	}
	return t, nil
}

func meter(mp metric.MeterProvider) metric.Meter { return mp.Meter(instrumentationName) }

// resultOf names the outcome of err.
func resultOf(err error) string {
	switch {
	case err == nil:
		return resultValid
	case errors.Is(err, ErrInvalid):
		return resultInvalid
	default:
		return resultError
	}
}

// record counts one validation of a document from src, annotates the span
// in ctx when it is recording, and, for a direct Validate or Decode call,
// logs a rejection to the WithLogger logger (paths, keywords and offsets;
// never a value). The transports' rejections are logged by the shared
// guard instead, with the request's attributes and logAttrs.
func (t *telemetry) record(ctx context.Context, src string, err error) {
	res := resultOf(err)
	t.results.Add(ctx, 1, t.opts[[2]string{src, res}])
	var verr *Error
	errors.As(err, &verr)
	if span := trace.SpanFromContext(ctx); span.IsRecording() {
		attrs := []attribute.KeyValue{
			attribute.String("fnshield.validate.result", res),
			attribute.String("fnshield.validate.source", src),
		}
		if verr != nil {
			attrs = append(attrs, attribute.Int("fnshield.validate.violations", len(verr.Violations)+verr.Omitted))
		}
		span.SetAttributes(attrs...)
	}
	if err == nil || src != sourceDirect || t.logger == nil || !t.logger.Enabled(ctx, slog.LevelWarn) {
		return
	}
	attrs := make([]slog.Attr, 0, 6)
	attrs = append(attrs, slog.String("package", "validate"), slog.String("source", src), slog.String("result", res))
	if lc, ok := lambdacontext.FromContext(ctx); ok && lc.AwsRequestID != "" {
		attrs = append(attrs, slog.String("request_id", lc.AwsRequestID))
	}
	attrs = append(attrs, logAttrs(err)...)
	t.logger.LogAttrs(ctx, slog.LevelWarn, "validate: document rejected", attrs...)
}

// logAttrs describes a rejection for logs: the violations' instance paths
// and keywords, or the screen's reason and byte offset; never a value.
func logAttrs(err error) []slog.Attr {
	var (
		verr *Error
		serr *ScreenError
	)
	switch {
	case errors.As(err, &verr):
		paths := make([]string, len(verr.Violations))
		for i, v := range verr.Violations {
			paths[i] = v.InstancePath + " " + v.Keyword
		}
		return []slog.Attr{slog.Any("violations", paths), slog.Int("omitted", verr.Omitted)}
	case errors.As(err, &serr):
		return []slog.Attr{slog.String("cause", serr.Err.Error()), slog.Int64("offset", serr.Offset)}
	default:
		return []slog.Attr{slog.String("cause", err.Error())}
	}
}
