package validate

import (
	"context"

	"github.com/fnshield/fnshield/internal/guard"
)

// Lambda wraps an AWS Lambda handler so that it only sees payloads s
// accepts. The pair of event and response types is resolved when Lambda is
// called, at cold start; an unsupported pair, a nil s or a nil next panics
// then, never during an invocation.
//
// HTTP-shaped events (events.APIGatewayProxyRequest, APIGatewayV2HTTPRequest,
// ALBTargetGroupRequest and LambdaFunctionURLRequest, each with its own
// response type) are checked as [Middleware] checks a request, the body
// decoded from base64 when the event says so; a rejection is returned as
// the response type with a nil error, so the client gets the 400, 413 or
// 415 and its problem+json body rather than a 502.
//
// Record events check each record's payload, with WithPayload applied to
// it: the SQS message body, the Kinesis record's data, the SNS message, the
// EventBridge detail.
//
//   - events.SQSEvent with events.SQSEventResponse, and events.KinesisEvent
//     with events.KinesisEventResponse: invalid records are reported in
//     BatchItemFailures (the event source mapping needs
//     ReportBatchItemFailures) and left out of the event next gets; next's
//     own failures are added. When no record is valid, next is not called.
//   - events.SNSEvent and events.EventBridgeEvent, with any response type:
//     the first invalid record makes the handler return an error naming the
//     record by its AWS-assigned ID (its text carries the violations'
//     paths, never a value), and next is not called.
//
// These are the rules of every fnshield Lambda wrapper; the options that
// concern HTTP responses (WithErrorHandler, WithResponseSchema) do not
// apply to record events. The returned function is safe for concurrent
// use.
func Lambda[E, R any](s *Schema, next func(context.Context, E) (R, error), opts ...TransportOption) func(context.Context, E) (R, error) {
	if s == nil {
		panic("validate: Lambda called with a nil *Schema")
	}
	if next == nil {
		panic("validate: Lambda called with a nil handler")
	}
	return guard.Lambda(newTransportConfig(opts).guard(s), next)
}
