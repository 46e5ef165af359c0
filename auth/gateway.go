package auth

import (
	"context"
	"fmt"
	"reflect"
	"slices"

	"github.com/aws/aws-lambda-go/events"
)

// checkGatewayEvent panics, at wrap time, when E is not
// events.APIGatewayV2HTTPRequest: only HTTP APIs have JWT authorizers
// whose verified claims reach the function.
func checkGatewayEvent[E any]() {
	if _, ok := any((*E)(nil)).(*events.APIGatewayV2HTTPRequest); !ok {
		panic(fmt.Sprintf("auth: TrustGatewayClaims needs events.APIGatewayV2HTTPRequest events, not %v", reflect.TypeFor[E]()))
	}
}

// gatewayClaimsIn reads the API Gateway JWT authorizer claims of e, whose
// type checkGatewayEvent has accepted. A direct call, so that e can stay
// on the caller's stack.
func gatewayClaimsIn[E any](e *E) (*Claims, error) {
	return gatewayClaims(any(e).(*events.APIGatewayV2HTTPRequest))
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

// authorizeGateway runs the checks on claims taken from API Gateway and
// records the decision: no token is verified, so Verify records nothing.
func (cfg *middlewareConfig) authorizeGateway(ctx context.Context, v *Verifier, c *Claims, err error) (*Claims, error) {
	if err != nil {
		if cfg.optional && isMissing(err) {
			return nil, nil
		}
		v.record(ctx, err, nil)
		return nil, err
	}
	if err := cfg.check(c); err != nil {
		v.record(ctx, err, c)
		return nil, err
	}
	v.record(ctx, nil, c)
	return c, nil
}
