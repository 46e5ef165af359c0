package httpevent

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// benchEvent is a realistic HTTP API event: 15 headers, three cookies, a
// query with repeats and escapes, and a base64 JSON body.
func benchEvent(tb testing.TB) *events.APIGatewayV2HTTPRequest {
	tb.Helper()
	e := new(events.APIGatewayV2HTTPRequest)
	if err := json.Unmarshal(readTestdata(tb, "httpapi-cookies.json"), e); err != nil {
		tb.Fatal(err)
	}
	if len(e.Headers) != 15 {
		tb.Fatalf("bench event has %d headers, want 15", len(e.Headers))
	}
	return e
}

func BenchmarkRequest(b *testing.B) {
	e := benchEvent(b)
	a := For[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse]()
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.Request(ctx, e); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHeader(b *testing.B) {
	e := benchEvent(b)
	a := For[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse]()
	for _, bb := range []struct{ name, header string }{
		{"lowercase", "authorization"},
		{"canonical", "Authorization"},
		{"absent", "X-Api-Key"},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink = a.Header(e, bb.header)
			}
		})
	}
	// The floor: indexing the event's map with the name AWS used.
	b.Run("baseline-map-index", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sink = e.Headers["authorization"]
		}
	})
}

func BenchmarkCookie(b *testing.B) {
	e := benchEvent(b)
	a := For[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse]()
	b.ReportAllocs()
	for b.Loop() {
		sink, _ = a.Cookie(e, "lang")
	}
}

func BenchmarkSourceIP(b *testing.B) {
	e := benchEvent(b)
	a := For[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse]()
	b.ReportAllocs()
	for b.Loop() {
		sink = a.SourceIP(e)
	}
}

// BenchmarkReaders measures the readers a guard calls per request besides
// Header: Values on a REST multi-value header, Method, and Path and RawQuery
// of an HTTP API event.
func BenchmarkReaders(b *testing.B) {
	e := benchEvent(b)
	rd := ReaderFor[events.APIGatewayV2HTTPRequest]()
	rest := new(events.APIGatewayProxyRequest)
	if err := json.Unmarshal(readTestdata(b, "rest-mixed-headers.json"), rest); err != nil {
		b.Fatal(err)
	}
	restRd := ReaderFor[events.APIGatewayProxyRequest]()
	b.Run("values-rest", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkValues = restRd.Values(rest, "Authorization")
		}
	})
	b.Run("method", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sink = rd.Method(e)
		}
	})
	b.Run("path", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sink = rd.Path(e)
		}
	})
	b.Run("rawquery", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sink = rd.RawQuery(e)
		}
	})
}

var (
	sink       string
	sinkValues []string
)
