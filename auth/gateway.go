package auth

import (
	"fmt"
	"reflect"
	"slices"

	"github.com/fnshield/fnshield/internal/guard"
	"github.com/fnshield/fnshield/internal/httpevent"
)

// checkGatewayEvent panics, at wrap time, when E is not
// events.APIGatewayV2HTTPRequest: only HTTP APIs have JWT authorizers
// whose verified claims reach the function.
func checkGatewayEvent[E any]() {
	if !httpevent.GatewayJWTSupported[E]() {
		panic(fmt.Sprintf("auth: TrustGatewayClaims needs events.APIGatewayV2HTTPRequest events, not %v", reflect.TypeFor[E]()))
	}
}

// gatewayClaims builds Claims from the JWT authorizer section of an HTTP
// API event, given as a pointer. No authorizer claims is a missing token.
func gatewayClaims(e any) (*Claims, error) {
	claims, scopes, ok := httpevent.GatewayJWT(e)
	if !ok {
		return nil, missingToken()
	}
	m := make(map[string]any, len(claims))
	for k, v := range claims {
		m[k] = v
	}
	c, err := claimsFromMap(m)
	if err != nil {
		return nil, newError(ErrMalformed, errGatewayClaims)
	}
	if len(scopes) > 0 {
		c.Scopes = slices.Clone(scopes)
	}
	return c, nil
}

var errGatewayClaims = fmt.Errorf("the API Gateway authorizer claims cannot be read: %w", errClaimType)

// authorizeGateway is authorize for TrustGatewayClaims: it takes the
// claims an API Gateway JWT authorizer verified from the event, then runs
// the checks and records the decision (no token is verified, so Verify
// records nothing).
func (cfg *transportConfig) authorizeGateway(r *guard.Request, v *Verifier) (*Claims, error) {
	c, err := gatewayClaims(r.Event())
	if err != nil {
		if cfg.optional && isMissing(err) {
			return nil, nil
		}
		v.decide(r.Context(), err, nil, !cfg.quiet)
		return nil, err
	}
	return c, cfg.admit(r.Context(), v, c)
}
