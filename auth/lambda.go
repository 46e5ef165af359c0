package auth

import (
	"context"

	"github.com/fnshield/fnshield/internal/guard"
)

// Lambda wraps an AWS Lambda handler for an HTTP-shaped event so that it
// runs only with a valid bearer token, like [Middleware] does for net/http:
// it extracts the token, verifies it with v, runs the checks and calls next
// with the claims in its context ([ClaimsFromContext]). The event is passed
// to next unchanged.
//
// It accepts the HTTP-shaped event and response pairs that every fnshield
// Lambda wrapper accepts, and only those:
//
//   - events.APIGatewayProxyRequest and events.APIGatewayProxyResponse (REST API);
//   - events.APIGatewayV2HTTPRequest and events.APIGatewayV2HTTPResponse (HTTP API);
//   - events.ALBTargetGroupRequest and events.ALBTargetGroupResponse (both header modes);
//   - events.LambdaFunctionURLRequest and events.LambdaFunctionURLResponse.
//
// The pair is resolved when Lambda is called: any other pair, a nil v or
// next, or [TrustGatewayClaims] on an event other than
// events.APIGatewayV2HTTPRequest panics then, at cold start, never during
// an invocation.
//
// The token is read straight from the event's headers or cookies; the
// *http.Request view of the event is built only to reject, or for a
// [FromRequest] token source. Two or more values of the credentials header
// (REST multiValueHeaders, ALB multi-value mode) are malformed credentials,
// as with Middleware. A rejection runs the error handler (see
// [WithErrorHandler]; the default is [WriteError]) on an in-memory response
// and returns it as R with a nil error, so API Gateway answers with that
// status, headers and problem+json body rather than a 502.
//
// The returned function is safe for concurrent use.
func Lambda[E, R any](v *Verifier, next func(context.Context, E) (R, error), opts ...LambdaOption) func(context.Context, E) (R, error) {
	if v == nil {
		panic("auth: Lambda called with a nil *Verifier")
	}
	if next == nil {
		panic("auth: Lambda called with a nil handler")
	}
	cfg := newTransportConfig(opts)
	if cfg.trustGateway {
		checkGatewayEvent[E]()
	}
	return guard.Lambda(cfg.guard(v), next)
}
