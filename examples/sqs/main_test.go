package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/redact"
)

// TestHandler runs the handler main starts on batches mixing valid and
// invalid messages.
func TestHandler(t *testing.T) {
	const email = "jane.doe@example.com"
	valid := `{"order_id":"ord-1","email":"` + email + `","items":[{"sku":"book-1","quantity":2}]}`
	tests := []struct {
		name     string
		bodies   map[string]string // message ID → body
		failures []string          // the IDs the response must list
	}{
		{"all valid", map[string]string{"m1": valid, "m2": valid}, nil},
		{"one invalid", map[string]string{"m1": valid, "m2": `{"order_id":"ord-2","email":"` + email + `","items":[]}`}, []string{"m2"}},
		{"mixed", map[string]string{
			"m1": valid,
			"m2": `not json`,
			"m3": `{"order_id":"ord-3","email":"` + email + `","items":[{"sku":"book-1","quantity":0}]}`,
			"m4": `{"order_id":"ord-4","email":"` + email + `","items":[{"sku":"a","quantity":1}],"extra":true}`,
			"m5": valid,
		}, []string{"m2", "m3", "m4"}},
		{"all invalid", map[string]string{"m1": `{}`, "m2": `[]`}, []string{"m1", "m2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			handle, err := newHandler(slog.New(redact.NewHandler(slog.NewJSONHandler(&logs, nil))))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := handle(context.Background(), sqsEvent(tt.bodies))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range resp.BatchItemFailures {
				got = append(got, f.ItemIdentifier)
			}
			slices.Sort(got)
			if fmt.Sprint(got) != fmt.Sprint(tt.failures) {
				t.Fatalf("batch item failures %v, want %v", got, tt.failures)
			}
			fulfilled := strings.Count(logs.String(), `"msg":"order fulfilled"`)
			if want := len(tt.bodies) - len(tt.failures); fulfilled != want {
				t.Errorf("%d orders fulfilled, want %d:\n%s", fulfilled, want, logs.String())
			}
			if strings.Contains(logs.String(), email) {
				t.Errorf("logs leak the email:\n%s", logs.String())
			}
		})
	}
}

// sqsEvent builds a batch as Lambda delivers it, in message ID order.
func sqsEvent(bodies map[string]string) events.SQSEvent {
	var e events.SQSEvent
	for _, id := range slices.Sorted(func(yield func(string) bool) {
		for id := range bodies {
			if !yield(id) {
				return
			}
		}
	}) {
		e.Records = append(e.Records, events.SQSMessage{
			MessageId:      id,
			Body:           bodies[id],
			EventSource:    "aws:sqs",
			EventSourceARN: "arn:aws:sqs:eu-west-3:123456789012:orders",
			AWSRegion:      "eu-west-3",
		})
	}
	return e
}

// Example shows a batch with one invalid message.
func Example() {
	handle, err := newHandler(slog.New(slog.DiscardHandler))
	if err != nil {
		panic(err)
	}
	resp, err := handle(context.Background(), sqsEvent(map[string]string{
		"m1": `{"order_id":"ord-1","email":"a@example.com","items":[{"sku":"book-1","quantity":1}]}`,
		"m2": `{"order_id":"ord-2"}`,
	}))
	fmt.Println(resp.BatchItemFailures, err)
	// Output:
	// [{m2}] <nil>
}
