package guard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/internal/guard"
	"github.com/fnshield/fnshield/internal/problem"
)

const eventsDir = "../../../shared/testdata/lambda-events/"

// loadEvent reads a real Lambda event fixture.
func loadEvent[E any](t *testing.T, name string) E {
	t.Helper()
	b, err := os.ReadFile(eventsDir + name)
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	var e E
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	return e
}

var errBadRecord = errors.New("bad record")

// recordGuard rejects payloads that start with "bad", recording the
// sources and payloads it saw.
func recordGuard(seen *[]string, logger *slog.Logger) *guard.Guard {
	return &guard.Guard{
		Package: "testpkg",
		Check:   func(*guard.Request) (guard.Verdict, error) { return guard.Verdict{}, nil },
		CheckRecord: func(_ context.Context, src guard.Source, payload []byte) error {
			*seen = append(*seen, string(src)+":"+string(payload))
			if bytes.HasPrefix(payload, []byte("bad")) {
				return errBadRecord
			}
			return nil
		},
		OnError: func(w http.ResponseWriter, _ *http.Request, _ error) { problem.Write(w, problem.Details{Status: 400}) },
		Logger:  logger,
		Reason:  func(error) string { return "invalid_payload" },
	}
}

// sqsBatch is the fixture's first message repeated with the given bodies.
// The fixture's message attributes are dropped: their binaryValue is a
// placeholder that is not base64.
func sqsBatch(t *testing.T, bodies ...string) events.SQSEvent {
	raw := loadEvent[map[string][]map[string]any](t, "sqsEvent.json")
	for _, r := range raw["Records"] {
		delete(r, "messageAttributes")
	}
	b, _ := json.Marshal(raw)
	var base events.SQSEvent
	if err := json.Unmarshal(b, &base); err != nil {
		t.Fatal(err)
	}
	var e events.SQSEvent
	for i, b := range bodies {
		m := base.Records[0]
		m.MessageId = "msg-" + string(rune('a'+i))
		m.Body = b
		e.Records = append(e.Records, m)
	}
	return e
}

func ids(items []events.SQSBatchItemFailure) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.ItemIdentifier)
	}
	return out
}

func TestSQS(t *testing.T) {
	tests := []struct {
		name       string
		bodies     []string
		nextFails  []string // IDs next reports as failed
		nextErr    error
		wantNext   []string // bodies next gets; nil: not called
		wantFailed []string
		wantErr    error
	}{
		{name: "all valid", bodies: []string{"ok1", "ok2"}, wantNext: []string{"ok1", "ok2"}},
		{name: "one invalid", bodies: []string{"ok1", "bad", "ok2"}, wantNext: []string{"ok1", "ok2"}, wantFailed: []string{"msg-b"}},
		{name: "first invalid", bodies: []string{"bad", "ok"}, wantNext: []string{"ok"}, wantFailed: []string{"msg-a"}},
		{name: "all invalid: next not called", bodies: []string{"bad1", "bad2"}, wantFailed: []string{"msg-a", "msg-b"}},
		{name: "next's failures merged", bodies: []string{"ok1", "bad", "ok2"}, nextFails: []string{"msg-c"},
			wantNext: []string{"ok1", "ok2"}, wantFailed: []string{"msg-b", "msg-c"}},
		{name: "next's error passes through", bodies: []string{"ok", "bad"}, nextErr: errors.New("handler failed"),
			wantNext: []string{"ok"}, wantErr: errors.New("handler failed")},
		{name: "empty batch", bodies: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seen []string
			var got []string
			called := false
			h := guard.Lambda(recordGuard(&seen, nil), func(_ context.Context, e events.SQSEvent) (events.SQSEventResponse, error) {
				called = true
				for _, r := range e.Records {
					got = append(got, r.Body)
				}
				var resp events.SQSEventResponse
				for _, id := range tt.nextFails {
					resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: id})
				}
				return resp, tt.nextErr
			})
			ev := sqsBatch(t, tt.bodies...)
			before := slices.Clone(ev.Records)
			resp, err := h(context.Background(), ev)
			if (err == nil) != (tt.wantErr == nil) || (err != nil && err.Error() != tt.wantErr.Error()) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if called != (tt.wantNext != nil) || !slices.Equal(got, tt.wantNext) {
				t.Errorf("next called %v with %q, want %q", called, got, tt.wantNext)
			}
			if tt.wantErr == nil && !slices.Equal(ids(resp.BatchItemFailures), tt.wantFailed) {
				t.Errorf("batch item failures = %q, want %q", ids(resp.BatchItemFailures), tt.wantFailed)
			}
			if !slices.EqualFunc(ev.Records, before, func(a, b events.SQSMessage) bool { return a.MessageId == b.MessageId && a.Body == b.Body }) {
				t.Error("the caller's event was modified")
			}
			if len(seen) != len(tt.bodies) {
				t.Errorf("checked %d records, want %d", len(seen), len(tt.bodies))
			}
		})
	}
}

func TestKinesis(t *testing.T) {
	ev := loadEvent[events.KinesisEvent](t, "kinesisStreamEvent.json")
	good := ev.Records[0]
	bad := good
	bad.Kinesis.SequenceNumber = "seq-bad"
	bad.Kinesis.Data = []byte("bad data")
	ev.Records = []events.KinesisEventRecord{good, bad}

	var seen []string
	var got []string
	h := guard.Lambda(recordGuard(&seen, nil), func(_ context.Context, e events.KinesisEvent) (events.KinesisEventResponse, error) {
		for _, r := range e.Records {
			got = append(got, r.Kinesis.SequenceNumber)
		}
		return events.KinesisEventResponse{}, nil
	})
	resp, err := h(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.BatchItemFailures) != 1 || resp.BatchItemFailures[0].ItemIdentifier != "seq-bad" {
		t.Errorf("failures = %+v, want seq-bad", resp.BatchItemFailures)
	}
	if !slices.Equal(got, []string{good.Kinesis.SequenceNumber}) {
		t.Errorf("next got %q, want the good record only", got)
	}
	// The payload is the decoded data of the real fixture.
	if seen[0] != "kinesis:Hello, this is a test." {
		t.Errorf("payload = %q, want the decoded data", seen[0])
	}
}

func TestSNS(t *testing.T) {
	ev := loadEvent[events.SNSEvent](t, "snsEvent.json")
	var seen []string
	called := false
	h := guard.Lambda(recordGuard(&seen, nil), func(context.Context, events.SNSEvent) (struct{}, error) {
		called = true
		return struct{}{}, nil
	})
	if _, err := h(context.Background(), ev); err != nil || !called {
		t.Fatalf("valid event: err %v, called %v", err, called)
	}
	if seen[0] != "sns:"+ev.Records[0].SNS.Message {
		t.Errorf("payload = %q, want the SNS message", seen[0])
	}

	called = false
	bad := ev
	bad.Records = append(slices.Clone(ev.Records), ev.Records[0])
	bad.Records[1].SNS.MessageID = "sns-bad-id"
	bad.Records[1].SNS.Message = "bad secret-value"
	_, err := h(context.Background(), bad)
	var re *guard.RecordError
	if !errors.As(err, &re) || re.ID != "sns-bad-id" || re.Source != guard.SourceSNS || !errors.Is(err, errBadRecord) {
		t.Fatalf("err = %v, want a RecordError naming sns-bad-id and wrapping the check's error", err)
	}
	if called {
		t.Error("next called for an event with an invalid message")
	}
	if strings.Contains(err.Error(), "secret-value") {
		t.Errorf("error %q echoes the payload", err)
	}
}

func TestEventBridge(t *testing.T) {
	ev := loadEvent[events.EventBridgeEvent](t, "eventBridgeEvent.json")
	var buf bytes.Buffer
	var seen []string
	h := guard.Lambda(recordGuard(&seen, slog.New(slog.NewJSONHandler(&buf, nil))), func(context.Context, events.EventBridgeEvent) (string, error) {
		return "done", nil
	})
	if out, err := h(context.Background(), ev); err != nil || out != "done" {
		t.Fatalf("valid event: %q, %v", out, err)
	}
	if seen[0] != "eventbridge:"+string(ev.Detail) {
		t.Errorf("payload = %q, want the detail", seen[0])
	}
	ev.Detail = json.RawMessage(`bad`)
	out, err := h(context.Background(), ev)
	var re *guard.RecordError
	if !errors.As(err, &re) || re.ID != ev.ID || out != "" {
		t.Fatalf("got %q, %v; want a RecordError naming %s and the zero response", out, err, ev.ID)
	}
	for _, want := range []string{`"package":"testpkg"`, `"reason":"invalid_payload"`, `"source":"eventbridge"`, `"record_id":"` + ev.ID + `"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log %s lacks %s", buf.String(), want)
		}
	}
}
