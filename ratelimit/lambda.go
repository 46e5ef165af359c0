package ratelimit

import (
	"context"

	"github.com/fnshield/fnshield/internal/guard"
)

// Lambda wraps an AWS Lambda handler for an HTTP-shaped event so that it
// runs only within l's limit, like [Middleware] does for net/http: it
// finds the request's key ([WithKey]), asks l, and calls next with the
// event unchanged, adding the RateLimit and RateLimit-Policy fields to
// next's response (next's own values win); or it returns the error
// handler's rejection (by default [WriteError]: 429 with Retry-After and a
// problem+json body) as R with a nil error, so API Gateway answers with
// that status and body rather than a 502.
//
// It accepts the HTTP-shaped event and response pairs that every fnshield
// Lambda wrapper accepts, and only those:
//
//   - events.APIGatewayProxyRequest and events.APIGatewayProxyResponse (REST API);
//   - events.APIGatewayV2HTTPRequest and events.APIGatewayV2HTTPResponse (HTTP API);
//   - events.ALBTargetGroupRequest and events.ALBTargetGroupResponse (both header modes);
//   - events.LambdaFunctionURLRequest and events.LambdaFunctionURLResponse.
//
// Record events (SQS, Kinesis, SNS, EventBridge) have no client to key
// and no response to carry a Retry-After: wrapping one panics. The pair is
// resolved when Lambda is called, so an unsupported pair, a nil l or a nil
// next panics then, at cold start, never during an invocation.
//
// The returned function is safe for concurrent use.
func Lambda[E, R any](l *Limiter, next func(context.Context, E) (R, error), opts ...MiddlewareOption) func(context.Context, E) (R, error) {
	if l == nil {
		panic("ratelimit: Lambda called with a nil *Limiter")
	}
	if next == nil {
		panic("ratelimit: Lambda called with a nil handler")
	}
	return guard.Lambda(l.guard(newTransportConfig(l, "Lambda", opts)), next)
}
