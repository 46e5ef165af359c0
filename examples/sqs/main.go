// Command sqs is a template for an AWS Lambda function consuming an SQS
// queue, guarded by fnshield:
//
//   - validate.Lambda checks every message body against message.schema.json
//     before the handler sees the batch: invalid messages are reported as
//     batch item failures (SQS retries them, then moves them to the
//     dead-letter queue) and left out of the batch the handler gets, so one
//     bad message never fails the others;
//   - the handler reports its own failures per message, too;
//   - logs go to stdout (CloudWatch) as JSON through redact.NewHandler, so
//     customers' emails never reach them.
//
// The event source mapping must have ReportBatchItemFailures on
// (template.yaml does): without it Lambda ignores the failures listed in the
// response and deletes the whole batch. It needs no configuration; README.md
// says how to run and deploy it.
package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/fnshield/fnshield/redact"
	"github.com/fnshield/fnshield/validate"
)

// messageSchema is the JSON Schema of the message bodies, compiled once at
// cold start.
//
//go:embed message.schema.json
var messageSchema []byte

func main() {
	logger := slog.New(redact.NewHandler(slog.NewJSONHandler(os.Stdout, nil)))
	handle, err := newHandler(logger)
	if err != nil {
		logger.Error("function cannot start", "err", err)
		os.Exit(1)
	}
	lambda.Start(handle)
}

// handler is the shape of an SQS Lambda handler with partial batch failures.
type handler = func(context.Context, events.SQSEvent) (events.SQSEventResponse, error)

// newHandler compiles the schema and wraps fulfil in validate.Lambda. main
// and the tests share it.
func newHandler(logger *slog.Logger) (handler, error) {
	s, err := validate.Compile(messageSchema,
		validate.WithMaxBytes(64<<10), // the SQS limit is 256 KiB; orders are far smaller
		validate.WithLogger(logger),   // each invalid message, by ID and violation paths; never its body
	)
	if err != nil {
		return nil, err
	}
	f := &fulfiller{log: logger}
	return validate.Lambda(s, f.fulfil), nil
}

// orderPlaced is a message body, as message.schema.json describes it.
type orderPlaced struct {
	OrderID string `json:"order_id"`
	Email   string `json:"email"`
	Items   []struct {
		SKU      string `json:"sku"`
		Quantity int    `json:"quantity"`
	} `json:"items"`
}

// fulfiller handles the orders. Its dependencies (a warehouse client, say)
// would be built once, in newHandler.
type fulfiller struct {
	log *slog.Logger
}

// fulfil handles the valid messages of a batch and reports, by message ID,
// those it could not handle, for SQS to deliver again.
func (f *fulfiller) fulfil(ctx context.Context, e events.SQSEvent) (events.SQSEventResponse, error) {
	var resp events.SQSEventResponse
	for _, m := range e.Records {
		if err := f.fulfilOne(ctx, m); err != nil {
			f.log.ErrorContext(ctx, "order not fulfilled", "message_id", m.MessageId, "err", err)
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
		}
	}
	return resp, nil
}

func (f *fulfiller) fulfilOne(ctx context.Context, m events.SQSMessage) error {
	var o orderPlaced
	if err := json.Unmarshal([]byte(m.Body), &o); err != nil {
		return err // unreachable behind validate.Lambda, kept for a handler used alone
	}
	units := 0
	for _, it := range o.Items {
		units += it.Quantity
	}
	// The email is logged on purpose: the redacting handler replaces it.
	f.log.InfoContext(ctx, "order fulfilled", "message_id", m.MessageId, "order_id", o.OrderID,
		"units", units, "notify", o.Email)
	return nil
}
