package guard

import (
	"context"

	"github.com/aws/aws-lambda-go/events"
)

// RecordError is the error a record event's handler returns when a record
// of an SNS or EventBridge event fails its check: it names the record (by
// its AWS-assigned ID, never its content) and wraps the check's error.
type RecordError struct {
	Source Source // SourceSNS or SourceEventBridge
	ID     string // the SNS MessageId or the EventBridge event id
	Err    error
}

// Error returns "<source> record <id>: <cause>".
func (e *RecordError) Error() string {
	return string(e.Source) + " record " + e.ID + ": " + e.Err.Error()
}

// Unwrap returns the check's error.
func (e *RecordError) Unwrap() error { return e.Err }

// recordLambda returns the record-event handler for (E, R), or false when
// E is not a record event the guard handles. It panics when E is a record
// event but g has no CheckRecord, or when R does not fit E.
func recordLambda[E, R any](g *Guard, next func(context.Context, E) (R, error)) (func(context.Context, E) (R, error), bool) {
	if g.CheckRecord == nil {
		return nil, false
	}
	var h any
	switch n := any(next).(type) {
	case func(context.Context, events.SQSEvent) (events.SQSEventResponse, error):
		h = sqsLambda(g, n)
	case func(context.Context, events.KinesisEvent) (events.KinesisEventResponse, error):
		h = kinesisLambda(g, n)
	case func(context.Context, events.SNSEvent) (R, error):
		h = snsLambda(g, n)
	case func(context.Context, events.EventBridgeEvent) (R, error):
		h = eventBridgeLambda(g, n)
	}
	f, ok := h.(func(context.Context, E) (R, error))
	return f, ok
}

// sqsLambda checks each message body; failures become batch item failures
// and are left out of the event next gets.
func sqsLambda(g *Guard, next func(context.Context, events.SQSEvent) (events.SQSEventResponse, error)) func(context.Context, events.SQSEvent) (events.SQSEventResponse, error) {
	return batchLambda(g, SourceSQS, next,
		func(e *events.SQSEvent) *[]events.SQSMessage { return &e.Records },
		func(r *events.SQSMessage) (string, []byte) { return r.MessageId, []byte(r.Body) },
		func(r *events.SQSEventResponse) *[]events.SQSBatchItemFailure { return &r.BatchItemFailures },
		func(id string) events.SQSBatchItemFailure { return events.SQSBatchItemFailure{ItemIdentifier: id} })
}

// kinesisLambda is sqsLambda for Kinesis records, identified by sequence
// number, with their decoded data as payload.
func kinesisLambda(g *Guard, next func(context.Context, events.KinesisEvent) (events.KinesisEventResponse, error)) func(context.Context, events.KinesisEvent) (events.KinesisEventResponse, error) {
	return batchLambda(g, SourceKinesis, next,
		func(e *events.KinesisEvent) *[]events.KinesisEventRecord { return &e.Records },
		func(r *events.KinesisEventRecord) (string, []byte) { return r.Kinesis.SequenceNumber, r.Kinesis.Data },
		func(r *events.KinesisEventResponse) *[]events.KinesisBatchItemFailure { return &r.BatchItemFailures },
		func(id string) events.KinesisBatchItemFailure {
			return events.KinesisBatchItemFailure{ItemIdentifier: id}
		})
}

// batchLambda is the partial-batch skeleton of a batch event E of records
// T answered by R with failure items F: the records that fail the check
// are reported as failures and left out of the event next gets; next's own
// failures follow them; when every record fails, next is not called.
func batchLambda[E, T, R, F any](g *Guard, src Source, next func(context.Context, E) (R, error),
	records func(*E) *[]T, read func(*T) (string, []byte), failures func(*R) *[]F, item func(id string) F,
) func(context.Context, E) (R, error) {
	return func(ctx context.Context, e E) (R, error) {
		keep, failed := partition(ctx, g, src, *records(&e), read)
		var resp R
		if len(keep) > 0 {
			if len(failed) > 0 {
				*records(&e) = keep
			}
			var err error
			if resp, err = next(ctx, e); err != nil {
				return resp, err
			}
		}
		if len(failed) > 0 {
			theirs := failures(&resp)
			items := make([]F, 0, len(failed)+len(*theirs))
			for _, id := range failed {
				items = append(items, item(id))
			}
			*theirs = append(items, *theirs...)
		}
		return resp, nil
	}
}

// partition checks each record. It returns the records that passed (a new
// slice, only when some failed; the event's own slice otherwise) and the
// IDs of those that failed.
func partition[T any](ctx context.Context, g *Guard, src Source, records []T, read func(*T) (string, []byte)) (keep []T, failed []string) {
	for i := range records {
		id, payload := read(&records[i])
		err := g.CheckRecord(ctx, src, payload)
		if err == nil {
			if failed != nil {
				keep = append(keep, records[i])
			}
			continue
		}
		if failed == nil {
			keep = append(make([]T, 0, len(records)-1), records[:i]...)
		}
		failed = append(failed, id)
		g.logRecord(ctx, src, id, err)
	}
	if failed == nil {
		keep = records
	}
	return keep, failed
}

// snsLambda checks every message; the first failure is returned as a
// *RecordError and next is not called (SNS retries or dead-letters the
// whole delivery).
func snsLambda[R any](g *Guard, next func(context.Context, events.SNSEvent) (R, error)) func(context.Context, events.SNSEvent) (R, error) {
	return func(ctx context.Context, e events.SNSEvent) (R, error) {
		for i := range e.Records {
			m := &e.Records[i].SNS
			if err := g.CheckRecord(ctx, SourceSNS, []byte(m.Message)); err != nil {
				g.logRecord(ctx, SourceSNS, m.MessageID, err)
				var zero R
				return zero, &RecordError{Source: SourceSNS, ID: m.MessageID, Err: err}
			}
		}
		return next(ctx, e)
	}
}

// eventBridgeLambda checks the event's detail.
func eventBridgeLambda[R any](g *Guard, next func(context.Context, events.EventBridgeEvent) (R, error)) func(context.Context, events.EventBridgeEvent) (R, error) {
	return func(ctx context.Context, e events.EventBridgeEvent) (R, error) {
		detail := []byte(e.Detail)
		if len(detail) == 0 {
			detail = []byte("null")
		}
		if err := g.CheckRecord(ctx, SourceEventBridge, detail); err != nil {
			g.logRecord(ctx, SourceEventBridge, e.ID, err)
			var zero R
			return zero, &RecordError{Source: SourceEventBridge, ID: e.ID, Err: err}
		}
		return next(ctx, e)
	}
}
