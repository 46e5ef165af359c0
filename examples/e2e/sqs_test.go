package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// TestSQS runs examples/sqs under the emulator with a batch mixing valid and
// invalid messages: the response must list exactly the invalid ones.
func TestSQS(t *testing.T) {
	fn := startFunction(t, bootstrap(t, "sqs"))
	valid := `{"order_id":"ord-1","email":"` + customerEmail + `","items":[{"sku":"book-1","quantity":2}]}`
	bodies := []struct {
		id, body string
		bad      bool
	}{
		{"0f1c5d1e-0001", valid, false},
		{"0f1c5d1e-0002", `{"order_id":"ord-2","email":"` + customerEmail + `","items":[{"sku":"book-1","quantity":0}]}`, true},
		{"0f1c5d1e-0003", `not json at all`, true},
		{"0f1c5d1e-0004", valid, false},
		{"0f1c5d1e-0005", `{"order_id":"ord-5","email":"` + customerEmail + `","items":[],"card_number":"` + cardNumber + `"}`, true},
	}
	var e events.SQSEvent
	var want []string
	for _, b := range bodies {
		e.Records = append(e.Records, events.SQSMessage{MessageId: b.id, Body: b.body, EventSource: "aws:sqs",
			EventSourceARN: "arn:aws:sqs:eu-west-3:123456789012:orders", AWSRegion: "eu-west-3", ReceiptHandle: "rh-" + b.id})
		if b.bad {
			want = append(want, b.id)
		}
	}
	var resp events.SQSEventResponse
	fn.invokeInto(t, e, &resp)
	var got []string
	for _, f := range resp.BatchItemFailures {
		got = append(got, f.ItemIdentifier)
	}
	slices.Sort(got)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("batchItemFailures %v, want exactly %v", got, want)
	}
	out := fn.waitForLogs(t, `"msg":"order fulfilled"`, 2)
	if n := strings.Count(out, `"msg":"order fulfilled"`); n != 2 {
		t.Errorf("%d orders fulfilled, want the 2 valid ones:\n%s", n, out)
	}
	fn.assertNoLeak(t, customerEmail, cardNumber, "not json at all")
}
