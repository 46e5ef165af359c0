package httpevent

import (
	"github.com/aws/aws-lambda-go/events"
)

// GatewayJWT returns the claims and scopes that an API Gateway HTTP API JWT
// authorizer verified and recorded in the event (requestContext.authorizer.jwt),
// given as a pointer to the event. It reports false when the event records
// none, or is not an HTTP API event: only HTTP APIs have JWT authorizers
// whose claims reach the function. The map and slice are the event's own.
func GatewayJWT(e any) (claims map[string]string, scopes []string, ok bool) {
	ev, isHTTPAPI := e.(*events.APIGatewayV2HTTPRequest)
	if !isHTTPAPI || ev == nil {
		return nil, nil, false
	}
	az := ev.RequestContext.Authorizer
	if az == nil || az.JWT == nil || len(az.JWT.Claims) == 0 {
		return nil, nil, false
	}
	return az.JWT.Claims, az.JWT.Scopes, true
}

// GatewayJWTSupported reports whether events of type E can carry JWT
// authorizer claims: only events.APIGatewayV2HTTPRequest can.
func GatewayJWTSupported[E any]() bool {
	_, ok := any((*E)(nil)).(*events.APIGatewayV2HTTPRequest)
	return ok
}
