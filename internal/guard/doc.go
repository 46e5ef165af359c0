// Package guard is the transport skeleton every fnshield package shares.
// A package supplies its decision as a [Guard]; [Middleware] and [Lambda]
// turn it into net/http middleware and an aws-lambda-go handler wrapper,
// built once, when the handler is wrapped:
//
//	g := &guard.Guard{Package: "ratelimit", Check: l.check, OnError: writeError}
//	mw := guard.Middleware(g)   // func(http.Handler) http.Handler
//	h := guard.Lambda(g, next)  // func(context.Context, E) (R, error)
//
// # The decision
//
// Check reads a [Request]: headers, cookies, the source IP, the method and
// path, the bounded body, or the whole *http.Request, which a Lambda event
// only builds when asked. It returns a [Verdict] (a new context for the
// next handler, headers to add to the response) or an error, which rejects
// the request. The error handler renders the rejection; the packages'
// defaults write RFC 9457 application/problem+json bodies that never echo
// the request.
//
// # What the Lambda wrapper accepts
//
// Every fnshield Lambda wrapper has the shape
// func(context.Context, E) (R, error), so they nest:
// auth.Lambda(v, ratelimit.Lambda(l, validate.Lambda(s, handle))). The
// event and response types are checked when the handler is wrapped, at cold
// start; a pair a wrapper does not accept panics then, naming both types.
//
// HTTP-shaped events, accepted by every wrapper, with the response type
// that goes with each:
//
//   - API Gateway REST API (payload 1.0): events.APIGatewayProxyRequest and
//     events.APIGatewayProxyResponse;
//   - API Gateway HTTP API (payload 2.0): events.APIGatewayV2HTTPRequest and
//     events.APIGatewayV2HTTPResponse;
//   - ALB target groups, single- and multi-value header modes:
//     events.ALBTargetGroupRequest and events.ALBTargetGroupResponse;
//   - Function URLs: events.LambdaFunctionURLRequest and
//     events.LambdaFunctionURLResponse.
//
// A rejection is returned as the response type, with a nil error, so that
// the client gets its status, headers and body rather than a 502. Headers a
// check adds (ratelimit's RateLimit headers, say) are merged into the
// handler's response; the handler's own headers win. The event reaches the
// handler unchanged.
//
// Record events, accepted by the wrappers whose decision reads payloads
// (validate):
//
//   - events.SQSEvent with events.SQSEventResponse, and events.KinesisEvent
//     with events.KinesisEventResponse: each record is checked; the records
//     that fail are reported in BatchItemFailures (so the event source
//     mapping needs ReportBatchItemFailures) and left out of the event the
//     handler gets, whose own failures are added to them. When every record
//     fails the handler is not called.
//   - events.SNSEvent and events.EventBridgeEvent, with any response type:
//     a failing message (SNS) or detail (EventBridge) returns an error that
//     names the record by its AWS-assigned ID, and the handler is not
//     called.
//
// # Rejection logs
//
// Given a *slog.Logger, a package logs each rejection once, at level Warn,
// with the same attributes across packages: package, reason, status,
// method, path, source_ip and, on Lambda, request_id from the Lambda
// context; a rejected record logs package, reason, source, record_id and
// request_id. No header value, token or body is ever logged.
package guard
