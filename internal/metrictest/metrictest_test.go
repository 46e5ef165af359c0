package metrictest

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

func TestProviderSums(t *testing.T) {
	var p Provider
	c, err := p.Meter("x").Int64Counter("requests")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c.Add(ctx, 2, metric.WithAttributes(attribute.String("result", "ok"), attribute.String("kind", "a")))
	c.Add(ctx, 3, metric.WithAttributeSet(attribute.NewSet(attribute.String("result", "denied"))))
	c.Add(ctx, 1, metric.WithAttributes(attribute.String("result", "ok"), attribute.String("kind", "b")))
	other, _ := p.Meter("y").Int64Counter("other")
	other.Add(ctx, 100)

	tests := []struct {
		name string
		kv   []string
		want int64
	}{
		{"all", nil, 6},
		{"by result", []string{"result", "ok"}, 3},
		{"by two attributes", []string{"result", "ok", "kind", "b"}, 1},
		{"no match", []string{"result", "nope"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.Sum("requests", tt.kv...); got != tt.want {
				t.Fatalf("Sum(requests, %v) = %d, want %d", tt.kv, got, tt.want)
			}
		})
	}
	if got := p.Sum("other"); got != 100 {
		t.Fatalf("Sum(other) = %d, want 100", got)
	}
	if n := len(p.Adds()); n != 4 {
		t.Fatalf("%d additions recorded, want 4", n)
	}
}

func TestHistogramRecords(t *testing.T) {
	var p Provider
	h, err := p.Meter("m").Float64Histogram("latency")
	if err != nil {
		t.Fatal(err)
	}
	h.Record(context.Background(), 0.25, metric.WithAttributes(attribute.String("policy", "a")))
	h.Record(context.Background(), 0.5)
	got := p.Records("latency")
	if len(got) != 2 || got[0].Value != 0.25 || got[1].Value != 0.5 || !h.Enabled(context.Background()) {
		t.Fatalf("records = %+v", got)
	}
	if v, _ := got[0].Attrs.Value("policy"); v.AsString() != "a" {
		t.Errorf("attributes = %v", got[0].Attrs)
	}
	if len(p.Records("other")) != 0 {
		t.Error("records of another instrument")
	}
}
