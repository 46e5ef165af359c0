package auth

import (
	"fmt"
	"reflect"
	"slices"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/internal/guard"
)

// checkGatewayEvent panics, at wrap time, when E is not
// events.APIGatewayV2HTTPRequest: only HTTP APIs have JWT authorizers
// whose verified claims reach the function.
func checkGatewayEvent[E any]() {
	if _, ok := any((*E)(nil)).(*events.APIGatewayV2HTTPRequest); !ok {
		panic(fmt.Sprintf("auth: TrustGatewayClaims needs events.APIGatewayV2HTTPRequest events, not %v", reflect.TypeFor[E]()))
	}
}

// gatewayClaims builds Claims from the JWT authorizer section of an HTTP
// API event. No authorizer claims is a missing token.
func gatewayClaims(e *events.APIGatewayV2HTTPRequest) (*Claims, error) {
	az := e.RequestContext.Authorizer
	if az == nil || az.JWT == nil || len(az.JWT.Claims) == 0 {
		return nil, missingToken()
	}
	m := make(map[string]any, len(az.JWT.Claims))
	for k, v := range az.JWT.Claims {
		m[k] = v
	}
	c, err := claimsFromMap(m)
	if err != nil {
		return nil, newError(ErrMalformed, errGatewayClaims)
	}
	if len(az.JWT.Scopes) > 0 {
		c.Scopes = slices.Clone(az.JWT.Scopes)
	}
	return c, nil
}

var errGatewayClaims = fmt.Errorf("the API Gateway authorizer claims cannot be read: %w", errClaimType)

// authorizeGateway is authorize for TrustGatewayClaims: it takes the
// claims an API Gateway JWT authorizer verified from the event, then runs
// the checks and records the decision (no token is verified, so Verify
// records nothing).
func (cfg *transportConfig) authorizeGateway(r *guard.Request, v *Verifier) (*Claims, error) {
	e, ok := r.Event().(*events.APIGatewayV2HTTPRequest)
	if !ok {
		return nil, newError(ErrMalformed, errNotAuthorizerEvent)
	}
	c, err := gatewayClaims(e)
	if err != nil {
		if cfg.optional && isMissing(err) {
			return nil, nil
		}
		v.decide(r.Context(), err, nil, !cfg.quiet)
		return nil, err
	}
	return c, cfg.admit(r.Context(), v, c)
}
