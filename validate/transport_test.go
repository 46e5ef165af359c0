package validate_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/internal/guardtest"
	"github.com/fnshield/fnshield/internal/metrictest"
	"github.com/fnshield/fnshield/validate"
)

var orderSchema = []byte(`{
	"type": "object",
	"required": ["id", "quantity"],
	"additionalProperties": false,
	"properties": {
		"id": {"type": "string", "pattern": "^o-[0-9]+$"},
		"quantity": {"type": "integer", "minimum": 1, "maximum": 10}
	}
}`)

func TestTransports(t *testing.T) {
	mp := &metrictest.Provider{}
	s := validate.MustCompile(orderSchema, validate.WithMaxBytes(256), validate.WithMeterProvider(mp))
	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	lambdaKinds := []guardtest.Kind{guardtest.REST, guardtest.HTTPAPI, guardtest.ALB, guardtest.ALBMulti, guardtest.FunctionURL}
	cases := []guardtest.Case[validate.TransportOption]{
		{Name: "valid", Method: "POST", Header: jsonHeader, Body: `{"id":"o-1","quantity":2}`, Status: 200},
		{Name: "charset and +json", Method: "POST", Header: http.Header{"Content-Type": {"application/vnd.order+json; charset=UTF-8"}},
			Body: `{"id":"o-1","quantity":2}`, Status: 200},
		{Name: "base64 body", Method: "POST", Header: jsonHeader, Body: `{"id":"o-1","quantity":2}`, Base64: true,
			Kinds: lambdaKinds, Status: 200},
		{Name: "not JSON content type", Method: "POST", Header: http.Header{"Content-Type": {"text/plain"}},
			Body: `{"id":"o-1","quantity":2}`, Status: 415, WantHeader: map[string]string{"Content-Type": "application/problem+json"}},
		{Name: "no content type", Method: "POST", Body: `{"id":"o-1","quantity":2}`, Status: 415},
		{Name: "latin-1 charset", Method: "POST", Header: http.Header{"Content-Type": {"application/json; charset=iso-8859-1"}},
			Body: `{"id":"o-1","quantity":2}`, Status: 415},
		{Name: "violations listed, values not echoed", Method: "POST", Header: jsonHeader,
			Body: `{"id":"o-SECRET","quantity":99,"<img src=x>":1}`, Status: 400,
			WantHeader:   map[string]string{"Content-Type": "application/problem+json"},
			BodyContains: []string{`"violations"`, `"instancePath":"/quantity"`, `"keyword":"maximum"`, `"keyword":"pattern"`, `"keyword":"additionalProperties"`},
			BodyExcludes: []string{"SECRET", "99", "img"}},
		{Name: "duplicate key", Method: "POST", Header: jsonHeader, Body: `{"id":"o-1","quantity":1,"quantity":5}`, Status: 400,
			BodyContains: []string{"duplicate member name"}},
		{Name: "truncated", Method: "POST", Header: jsonHeader, Body: `{"id":"o-1","quan`, Status: 400,
			BodyExcludes: []string{"quan"}},
		{Name: "empty body", Method: "POST", Header: jsonHeader, Status: 400},
		{Name: "too large", Method: "POST", Header: jsonHeader, Body: `{"id":"o-1","quantity":1,"pad":"` + strings.Repeat("x", 300) + `"}`,
			Status: 413, BodyExcludes: []string{"xxxx"}},
		{Name: "response schema rejects the handler's answer", Method: "POST", Header: jsonHeader,
			Opts:   []validate.TransportOption{validate.WithResponseSchema(s)},
			Body:   `{"id":"o-1","quantity":2}`,
			Status: 500, NextRuns: true, BodyExcludes: []string{guardtest.NextBody}},
		{Name: "custom error handler", Method: "POST", Header: jsonHeader, Body: `[]`,
			Opts: []validate.TransportOption{validate.WithErrorHandler(func(w http.ResponseWriter, _ *http.Request, err error) {
				var verr *validate.Error
				if errors.As(err, &verr) {
					w.WriteHeader(http.StatusUnprocessableEntity)
					return
				}
				w.WriteHeader(http.StatusTeapot)
			})},
			Status: 422},
	}
	guardtest.Run(t, cases, func(opts []validate.TransportOption) guardtest.Transports {
		return guardtest.Transports{
			Middleware: validate.Middleware(s, opts...),
			REST: func(n guardtest.RESTHandler) guardtest.RESTHandler {
				return validate.Lambda(s, n, opts...)
			},
			HTTPAPI: func(n guardtest.HTTPAPIHandler) guardtest.HTTPAPIHandler {
				return validate.Lambda(s, n, opts...)
			},
			ALB: func(n guardtest.ALBHandler) guardtest.ALBHandler {
				return validate.Lambda(s, n, opts...)
			},
			FunctionURL: func(n guardtest.FunctionURLHandler) guardtest.FunctionURLHandler {
				return validate.Lambda(s, n, opts...)
			},
		}
	})
	if got := mp.Sum("fnshield.validate.results", "source", "http", "result", "invalid"); got == 0 {
		t.Error("no invalid HTTP result counted")
	}
	if got := mp.Sum("fnshield.validate.results", "source", "response", "result", "error"); got == 0 {
		t.Error("no failed response counted")
	}
}

func TestResponseSchemaAcceptsValidResponse(t *testing.T) {
	in := validate.MustCompile([]byte(`{"type":"object"}`))
	out := validate.MustCompile([]byte(`{"type":"object","required":["ok"]}`))
	tests := []struct {
		name   string
		ct     string
		status int
		body   string
		want   int
	}{
		{"valid", "application/json", 201, `{"ok":true}`, 201},
		{"invalid", "application/json", 200, `{"secret":"hunter2"}`, 500},
		{"not JSON", "text/html", 200, `<p>`, 500},
		{"error responses pass", "text/plain", 404, `not found`, 404},
		{"no content", "", 204, ``, 204},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := validate.Middleware(in, validate.WithResponseSchema(out))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.ct != "" {
					w.Header().Set("Content-Type", tt.ct)
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			}))
			r := httptest.NewRequest("POST", "/", strings.NewReader(`{}`))
			r.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.want {
				t.Fatalf("status = %d, want %d", w.Code, tt.want)
			}
			if tt.want == 500 && strings.Contains(w.Body.String(), "hunter2") {
				t.Errorf("500 body echoes the response: %s", w.Body)
			}
		})
	}
}

func TestConstructorsPanic(t *testing.T) {
	s := validate.MustCompile([]byte(`{}`))
	next := func(context.Context, events.SQSEvent) (events.SQSEventResponse, error) {
		return events.SQSEventResponse{}, nil
	}
	tests := []struct {
		name string
		f    func()
	}{
		{"Middleware nil schema", func() { validate.Middleware(nil) }},
		{"Lambda nil schema", func() { validate.Lambda(nil, next) }},
		{"Lambda nil handler", func() {
			validate.Lambda[events.SQSEvent, events.SQSEventResponse](s, nil)
		}},
		{"Lambda unsupported pair", func() {
			validate.Lambda(s, func(context.Context, string) (string, error) { return "", nil })
		}},
		{"WithResponseSchema nil", func() { validate.WithResponseSchema(nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
			}()
			tt.f()
		})
	}
}

// readEvent loads a fixture from the shared Lambda event samples.
func readEvent(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "shared", "testdata", "lambda-events", name))
	if err != nil {
		t.Fatal(err)
	}
	// sqsEvent.json's placeholder binaryValue is not base64, which the
	// []byte field of events.SQSMessageAttribute requires.
	b = bytes.ReplaceAll(b, []byte(`"base64Str"`), []byte(`"YmFzZTY0U3Ry"`))
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func TestSQSPartialBatch(t *testing.T) {
	mp := &metrictest.Provider{}
	var logs bytes.Buffer
	s := validate.MustCompile([]byte(`{"type":"object","required":["message"],"properties":{"message":{"type":"string","maxLength":10}}}`),
		validate.WithMeterProvider(mp), validate.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	var e events.SQSEvent
	readEvent(t, "sqsEvent.json", &e) // record 0: "Test message." (not JSON); record 1: {"message": "foo1"}
	e.Records = append(e.Records, e.Records[1], e.Records[1], e.Records[1])
	e.Records[2].MessageId, e.Records[2].Body = "too-long", `{"message":"PRIVATE-TEXT-0123"}`
	e.Records[3].MessageId, e.Records[3].Body = "dup", `{"message":"a","message":"b"}`
	e.Records[4].MessageId = "handler-fails"

	var got []string
	h := validate.Lambda(s, func(_ context.Context, e events.SQSEvent) (events.SQSEventResponse, error) {
		var resp events.SQSEventResponse
		for _, r := range e.Records {
			got = append(got, r.MessageId)
			if r.MessageId == "handler-fails" {
				resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: r.MessageId})
			}
		}
		return resp, nil
	})
	resp, err := h(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	var failed []string
	for _, f := range resp.BatchItemFailures {
		failed = append(failed, f.ItemIdentifier)
	}
	wantNext := []string{e.Records[1].MessageId, "handler-fails"}
	wantFailed := []string{e.Records[0].MessageId, "too-long", "dup", "handler-fails"}
	if strings.Join(got, ",") != strings.Join(wantNext, ",") {
		t.Errorf("next got %v, want %v", got, wantNext)
	}
	if strings.Join(failed, ",") != strings.Join(wantFailed, ",") {
		t.Errorf("batch item failures %v, want %v", failed, wantFailed)
	}
	if v, i, e := mp.Sum("fnshield.validate.results", "source", "sqs", "result", "valid"),
		mp.Sum("fnshield.validate.results", "source", "sqs", "result", "invalid"),
		mp.Sum("fnshield.validate.results", "source", "sqs", "result", "error"); v != 2 || i != 1 || e != 2 {
		t.Errorf("counted valid %d, invalid %d, error %d; want 2, 1, 2", v, i, e)
	}
	if strings.Contains(logs.String(), "PRIVATE") || !strings.Contains(logs.String(), "/message maxLength") {
		t.Errorf("logs: %s", logs.String())
	}
}

func TestSQSAllInvalidSkipsHandler(t *testing.T) {
	s := validate.MustCompile([]byte(`{"type":"object"}`))
	var e events.SQSEvent
	readEvent(t, "sqsEvent.json", &e)
	for i := range e.Records {
		e.Records[i].Body = "not json"
	}
	called := false
	h := validate.Lambda(s, func(context.Context, events.SQSEvent) (events.SQSEventResponse, error) {
		called = true
		return events.SQSEventResponse{}, nil
	})
	resp, err := h(context.Background(), e)
	if err != nil || called || len(resp.BatchItemFailures) != len(e.Records) {
		t.Fatalf("err %v, called %v, failures %d of %d", err, called, len(resp.BatchItemFailures), len(e.Records))
	}
}

func TestNestedPayloads(t *testing.T) {
	t.Run("SNS message inside SQS", func(t *testing.T) {
		s := validate.MustCompile([]byte(`{"type":"object","required":["message","username"],"properties":{"username":{"type":"string","maxLength":8}}}`),
			validate.WithPayload("/Message"))
		var e events.SQSEvent
		readEvent(t, "snsSqsEvent.json", &e)
		bad := e.Records[0]
		bad.MessageId = "bad"
		bad.Body = strings.Replace(bad.Body, `\"lessa\"`, `\"far-too-long-name\"`, 1)
		if bad.Body == e.Records[0].Body {
			t.Fatal("fixture changed: could not make the record invalid")
		}
		e.Records = append(e.Records, bad)
		assertSQS(t, s, e, []string{e.Records[0].MessageId}, []string{"bad"})
	})
	t.Run("S3 notification inside SQS", func(t *testing.T) {
		s := validate.MustCompile([]byte(`{"type":"object","required":["Records"],"properties":{"Records":{"type":"array","minItems":1,
			"items":{"type":"object","required":["eventName","s3"],"properties":{"eventName":{"type":"string","pattern":"^ObjectCreated:"},
			"s3":{"type":"object","required":["bucket","object"],"properties":{"object":{"type":"object","required":["key","size"],
			"properties":{"size":{"type":"integer","maximum":10485760}}}}}}}}}}`))
		var e events.SQSEvent
		readEvent(t, "s3SqsEvent.json", &e)
		bad := e.Records[0]
		bad.MessageId = "deleted"
		bad.Body = strings.Replace(bad.Body, "ObjectCreated:Put", "ObjectRemoved:Delete", 1)
		if bad.Body == e.Records[0].Body {
			t.Fatal("fixture changed: could not make the record invalid")
		}
		e.Records = append(e.Records, bad)
		assertSQS(t, s, e, []string{e.Records[0].MessageId}, []string{"deleted"})
	})
}

func assertSQS(t *testing.T, s *validate.Schema, e events.SQSEvent, wantNext, wantFailed []string) {
	t.Helper()
	var got []string
	h := validate.Lambda(s, func(_ context.Context, e events.SQSEvent) (events.SQSEventResponse, error) {
		for _, r := range e.Records {
			got = append(got, r.MessageId)
		}
		return events.SQSEventResponse{}, nil
	})
	resp, err := h(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	var failed []string
	for _, f := range resp.BatchItemFailures {
		failed = append(failed, f.ItemIdentifier)
	}
	if strings.Join(got, ",") != strings.Join(wantNext, ",") || strings.Join(failed, ",") != strings.Join(wantFailed, ",") {
		t.Errorf("next got %v, failures %v; want %v and %v", got, failed, wantNext, wantFailed)
	}
}

func TestKinesisPartialBatch(t *testing.T) {
	s := validate.MustCompile([]byte(`{"type":"object","required":["temp"],"properties":{"temp":{"type":"number"}}}`))
	var e events.KinesisEvent
	readEvent(t, "kinesisStreamEvent.json", &e) // both records carry text, not JSON
	e.Records[1].Kinesis.Data = []byte(`{"temp":21.5}`)
	var got []string
	h := validate.Lambda(s, func(_ context.Context, e events.KinesisEvent) (events.KinesisEventResponse, error) {
		for _, r := range e.Records {
			got = append(got, r.Kinesis.SequenceNumber)
		}
		return events.KinesisEventResponse{}, nil
	})
	resp, err := h(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != e.Records[1].Kinesis.SequenceNumber {
		t.Errorf("next got %v", got)
	}
	if len(resp.BatchItemFailures) != 1 || resp.BatchItemFailures[0].ItemIdentifier != e.Records[0].Kinesis.SequenceNumber {
		t.Errorf("failures %+v", resp.BatchItemFailures)
	}
}

func TestSNSAndEventBridge(t *testing.T) {
	t.Run("SNS", func(t *testing.T) {
		s := validate.MustCompile([]byte(`{"type":"object"}`))
		var e events.SNSEvent
		readEvent(t, "snsEvent.json", &e) // "Hello from SNS!" is not JSON
		called := false
		h := validate.Lambda(s, func(context.Context, events.SNSEvent) (any, error) { called = true; return nil, nil })
		_, err := h(context.Background(), e)
		if err == nil || called {
			t.Fatalf("err %v, called %v", err, called)
		}
		if !strings.Contains(err.Error(), e.Records[0].SNS.MessageID) || strings.Contains(err.Error(), "Hello") || !errors.Is(err, validate.ErrSyntax) {
			t.Errorf("error %q", err)
		}
		e.Records[0].SNS.Message = `{"ok":true}`
		if _, err := h(context.Background(), e); err != nil || !called {
			t.Errorf("valid message: err %v, called %v", err, called)
		}
	})
	t.Run("EventBridge", func(t *testing.T) {
		s := validate.MustCompile([]byte(`{"type":"object","required":["instance_id","state"],"properties":{"state":{"enum":["running","stopped"]}}}`))
		var e events.EventBridgeEvent
		readEvent(t, "eventBridgeEvent.json", &e) // state "terminated"
		called := false
		h := validate.Lambda(s, func(context.Context, events.EventBridgeEvent) (string, error) { called = true; return "done", nil })
		_, err := h(context.Background(), e)
		if !errors.Is(err, validate.ErrInvalid) || called || !strings.Contains(err.Error(), e.ID) || strings.Contains(err.Error(), "terminated") {
			t.Fatalf("err %v, called %v", err, called)
		}
		e.Detail = json.RawMessage(`{"instance_id":"i-1","state":"running"}`)
		if out, err := h(context.Background(), e); err != nil || out != "done" {
			t.Errorf("valid detail: %q, %v", out, err)
		}
	})
}

// TestLambdaBodyBase64Invalid checks that an event whose base64 body does
// not decode is a 400, not a crash.
func TestLambdaBodyBase64Invalid(t *testing.T) {
	s := validate.MustCompile([]byte(`{}`))
	h := validate.Lambda(s, func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{StatusCode: 200}, nil
	})
	resp, err := h(context.Background(), events.APIGatewayV2HTTPRequest{
		Headers: map[string]string{"content-type": "application/json"},
		Body:    "!!" + base64.StdEncoding.EncodeToString([]byte("{}")), IsBase64Encoded: true,
	})
	if err != nil || resp.StatusCode != 400 {
		t.Fatalf("got %d, %v; want 400", resp.StatusCode, err)
	}
}

func TestWriteError(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		status int
		detail string
	}{
		{"content type", validate.ErrContentType, 415, "must be JSON"},
		{"too large", &validate.ScreenError{Err: validate.ErrTooLarge, Offset: 1024}, 413, "larger than 1024 bytes"},
		{"too deep", &validate.ScreenError{Err: validate.ErrTooDeep, Offset: 64}, 400, "too deeply (at byte 64)"},
		{"duplicate", &validate.ScreenError{Err: validate.ErrDuplicateKey, Offset: 9}, 400, "duplicate member name"},
		{"encoding", &validate.ScreenError{Err: validate.ErrEncoding, Offset: 3}, 400, "not valid UTF-8"},
		{"number", &validate.ScreenError{Err: validate.ErrNumber}, 400, "number literal"},
		{"syntax in payload", &validate.ScreenError{Err: validate.ErrSyntax, Offset: 2, Payload: true}, 400, "The payload in the request body is not valid JSON"},
		{"payload missing", &validate.ScreenError{Err: validate.ErrPayload}, 400, "lacks the expected payload"},
		{"violations", &validate.Error{Violations: []validate.Violation{{InstancePath: "/a", Keyword: "type", Message: "must be of type string"}}, Omitted: 3}, 400, `"omitted":3`},
		{"other", errors.New("secret internal detail"), 500, "could not be validated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			validate.WriteError(w, httptest.NewRequest("POST", "/", nil), tt.err)
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.detail) {
				t.Errorf("got %d %s, want %d containing %q", w.Code, w.Body, tt.status, tt.detail)
			}
			if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type %q", ct)
			}
			if strings.Contains(w.Body.String(), "secret") {
				t.Errorf("body echoes the error: %s", w.Body)
			}
		})
	}
}

func TestRejectionLoggedOnceWithRequestAttributes(t *testing.T) {
	var logs bytes.Buffer
	s := validate.MustCompile([]byte(`{"type":"object","properties":{"qty":{"type":"integer","maximum":10}}}`),
		validate.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	h := validate.Middleware(s)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { t.Error("next called") }))
	r := httptest.NewRequest(http.MethodPost, "/orders/7", strings.NewReader(`{"qty":987654321}`))
	r.Header.Set("Content-Type", "application/json")
	r.RemoteAddr = "198.51.100.4:5555"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if w.Code != 400 || len(lines) != 1 {
		t.Fatalf("status %d, log %q: want 400 logged once", w.Code, logs.String())
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"package": "validate", "reason": "invalid_payload", "status": float64(400), "method": "POST",
		"path": "/orders/7", "source_ip": "198.51.100.4"}
	for k, v := range want {
		if rec[k] != v {
			t.Errorf("log %s = %v, want %v", k, rec[k], v)
		}
	}
	if !strings.Contains(lines[0], "/qty maximum") || strings.Contains(lines[0], "987654321") {
		t.Errorf("log %s: want the instance path and keyword, never the value", lines[0])
	}
}
