package auth

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/internal/guard"
	"github.com/fnshield/fnshield/internal/httpevent"
)

// ErrUnauthorized is the error the REST API authorizers return for a
// missing or invalid token. API Gateway recognises exactly the text
// "Unauthorized" and answers 401; any other error becomes a 500.
var ErrUnauthorized = errors.New("Unauthorized")

// errMethodARN rejects a method or route ARN that is not of the form
// arn:<partition>:execute-api:<region>:<account>:<api>/<stage>/<method>/<path>.
var errMethodARN = errors.New("auth: malformed execute-api method ARN")

// TokenAuthorizer returns an API Gateway REST API Lambda authorizer of the
// TOKEN type. The event's authorizationToken (the identity source header,
// typically Authorization) must be "Bearer <token>", parsed like
// [FromHeader]("Authorization"); with WithTokenFrom(FromHeader(name)) for a
// name other than Authorization and Proxy-Authorization, the whole value is
// the token instead. Other token sources do not apply to TOKEN events.
//
// Its results:
//   - a valid token that passes the checks: an IAM policy allowing
//     execute-api:Invoke on the event's method ARN (or the whole stage, see
//     [AllowWholeStage]), principalId the subject (else the client ID), and
//     the claims in the context (see [WithContextClaims]);
//   - a valid token that fails RequireScopes, RequireGroups or Require: an
//     explicit Deny policy on the method ARN (API Gateway answers 403);
//   - a missing, malformed or invalid token: [ErrUnauthorized] (401);
//   - signing keys unavailable, or a malformed method ARN: an error with
//     other text, so that API Gateway fails closed with a 500 and does not
//     cache a decision.
//
// It panics if v is nil. The returned function is safe for concurrent use.
func TokenAuthorizer(v *Verifier, opts ...AuthorizerOption) func(context.Context, events.APIGatewayCustomAuthorizerRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
	if v == nil {
		panic("auth: TokenAuthorizer called with a nil *Verifier")
	}
	cfg := newAuthorizerConfig(v, opts)
	rd := httpevent.ReaderFor[events.APIGatewayCustomAuthorizerRequest]()
	src := TokenSource{kind: tokenInAuthorization}
	for _, s := range cfg.sources {
		if s.kind == tokenInHeader || s.kind == tokenInAuthorization {
			src = s
			break
		}
	}
	return func(ctx context.Context, e events.APIGatewayCustomAuthorizerRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
		if _, ok := parseMethodARN(e.MethodArn); !ok {
			return events.APIGatewayCustomAuthorizerResponse{}, errMethodARN
		}
		token, xerr := src.fromValue(e.AuthorizationToken, false)
		c, err := cfg.authorizeToken(ctx, v, token, xerr, false)
		if err != nil && cfg.audit.Logger != nil {
			cfg.audit.Audit(guard.EventRequest(ctx, rd, e), restStatus(c, err), err)
		}
		return cfg.iamDecision(e.MethodArn, c, err)
	}
}

// RequestAuthorizer returns an API Gateway Lambda authorizer of the REQUEST
// type, for REST APIs and for HTTP APIs with payload format 1.0. The token
// comes from the Authorization header (matched case-insensitively, in
// headers or multiValueHeaders), or from the [WithTokenFrom] sources, which
// see the event as an *http.Request with its method, path, query and
// headers. Its results are those of [TokenAuthorizer].
//
// It panics if v is nil. The returned function is safe for concurrent use.
func RequestAuthorizer(v *Verifier, opts ...AuthorizerOption) func(context.Context, events.APIGatewayCustomAuthorizerRequestTypeRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
	if v == nil {
		panic("auth: RequestAuthorizer called with a nil *Verifier")
	}
	cfg := newAuthorizerConfig(v, opts)
	rd := httpevent.ReaderFor[events.APIGatewayCustomAuthorizerRequestTypeRequest]()
	return func(ctx context.Context, e events.APIGatewayCustomAuthorizerRequestTypeRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
		if _, ok := parseMethodARN(e.MethodArn); !ok {
			return events.APIGatewayCustomAuthorizerResponse{}, errMethodARN
		}
		req := guard.EventRequest(ctx, rd, e)
		c, err := cfg.authorize(req, v, false)
		if err != nil {
			cfg.audit.Audit(req, restStatus(c, err), err)
		}
		return cfg.iamDecision(e.MethodArn, c, err)
	}
}

// SimpleAuthorizer returns an API Gateway HTTP API Lambda authorizer with
// payload format 2.0 and simple responses. The token comes from the
// Authorization header, or from the [WithTokenFrom] sources, which see the
// event as an *http.Request (method, raw path and query, headers, and the
// cookies field as a Cookie header).
//
// A valid token that passes the checks gives IsAuthorized true and the
// claims in the context (see [WithContextClaims]); any missing, invalid or
// insufficient token gives IsAuthorized false (API Gateway answers 403).
// When the signing keys are unavailable it returns an error (API Gateway
// answers 500). [AllowWholeStage] does not apply.
//
// It panics if v is nil. The returned function is safe for concurrent use.
func SimpleAuthorizer(v *Verifier, opts ...AuthorizerOption) func(context.Context, events.APIGatewayV2CustomAuthorizerV2Request) (events.APIGatewayV2CustomAuthorizerSimpleResponse, error) {
	if v == nil {
		panic("auth: SimpleAuthorizer called with a nil *Verifier")
	}
	cfg := newAuthorizerConfig(v, opts)
	rd := httpevent.ReaderFor[events.APIGatewayV2CustomAuthorizerV2Request]()
	return func(ctx context.Context, e events.APIGatewayV2CustomAuthorizerV2Request) (events.APIGatewayV2CustomAuthorizerSimpleResponse, error) {
		req := guard.EventRequest(ctx, rd, e)
		c, err := cfg.authorize(req, v, false)
		if err != nil {
			if errors.Is(err, ErrKeysUnavailable) {
				cfg.audit.Audit(req, http.StatusInternalServerError, err)
				return events.APIGatewayV2CustomAuthorizerSimpleResponse{}, err
			}
			cfg.audit.Audit(req, http.StatusForbidden, err)
			return events.APIGatewayV2CustomAuthorizerSimpleResponse{IsAuthorized: false}, nil
		}
		return events.APIGatewayV2CustomAuthorizerSimpleResponse{IsAuthorized: true, Context: cfg.context(c)}, nil
	}
}

// iamDecision renders the outcome of the one authorize path as the REST
// API authorizers' IAM policy response: an Allow for claims that passed, an
// explicit Deny for verified claims that failed a check, and otherwise
// "Unauthorized" or, for an outage, an error API Gateway answers with 500.
// methodARN has been parsed already.
func (cfg *authorizerConfig) iamDecision(methodARN string, c *Claims, err error) (events.APIGatewayCustomAuthorizerResponse, error) {
	switch {
	case err == nil:
		resource := methodARN
		if cfg.wholeStage {
			arn, _ := parseMethodARN(methodARN)
			resource = arn.wholeStage()
		}
		return events.APIGatewayCustomAuthorizerResponse{
			PrincipalID:    principal(c),
			PolicyDocument: policyDocument("Allow", resource),
			Context:        cfg.context(c),
		}, nil
	case c != nil:
		return events.APIGatewayCustomAuthorizerResponse{
			PrincipalID:    principal(c),
			PolicyDocument: policyDocument("Deny", methodARN),
		}, nil
	default:
		return authorizerFailure(err)
	}
}

// restStatus is the status API Gateway answers a REST API client for a
// denial of the TOKEN and REQUEST authorizers (see iamDecision).
func restStatus(c *Claims, err error) int {
	switch {
	case errors.Is(err, ErrKeysUnavailable):
		return http.StatusInternalServerError
	case c != nil:
		return http.StatusForbidden
	}
	return http.StatusUnauthorized
}

// authorizerFailure maps a token failure to API Gateway's 401, except an
// outage, which must not look like the client's fault (nor be cached).
func authorizerFailure(err error) (events.APIGatewayCustomAuthorizerResponse, error) {
	if errors.Is(err, ErrKeysUnavailable) {
		return events.APIGatewayCustomAuthorizerResponse{}, err
	}
	return events.APIGatewayCustomAuthorizerResponse{}, ErrUnauthorized
}

func policyDocument(effect, resource string) events.APIGatewayCustomAuthorizerPolicy {
	return events.APIGatewayCustomAuthorizerPolicy{
		Version: "2012-10-17",
		Statement: []events.IAMPolicyStatement{{
			Action:   []string{"execute-api:Invoke"},
			Effect:   effect,
			Resource: []string{resource},
		}},
	}
}

// principal is the principalId of a policy: the subject, else the client
// ID (client-credentials tokens may have no subject).
func principal(c *Claims) string {
	if c.Subject != "" {
		return c.Subject
	}
	if c.ClientID != "" {
		return c.ClientID
	}
	return "unknown"
}

// context builds the authorizer context: flat string, number and boolean
// values only, as API Gateway requires.
func (cfg *authorizerConfig) context(c *Claims) map[string]any {
	m := map[string]any{
		"sub":       c.Subject,
		"iss":       c.Issuer,
		"scope":     strings.Join(c.Scopes, " "),
		"client_id": c.ClientID,
	}
	if c.TokenUse != "" {
		m["token_use"] = c.TokenUse
	}
	if len(c.Groups) > 0 {
		m["groups"] = strings.Join(c.Groups, ",")
	}
	if !c.ExpiresAt.IsZero() {
		m["exp"] = c.ExpiresAt.Unix()
	}
	if len(cfg.contextClaims) == 0 {
		return m
	}
	var all map[string]any
	if c.Decode(&all) != nil {
		return m
	}
	for _, name := range cfg.contextClaims {
		switch val := all[name].(type) {
		case string, float64, bool:
			m[name] = val
		}
	}
	return m
}

// methodARN is a parsed execute-api ARN:
// arn:<partition>:execute-api:<region>:<account>:<api>/<stage>/<method>/<path>.
type methodARN struct {
	prefix string // "arn:<partition>:execute-api:<region>:<account>:"
	api    string
	stage  string
}

// parseMethodARN accepts only well-formed execute-api ARNs whose fields
// hold no IAM wildcard, so that a policy built from one never grants more
// than the request's method (or, by choice, its stage).
func parseMethodARN(s string) (methodARN, bool) {
	if strings.ContainsAny(s, "*? \t\r\n") {
		return methodARN{}, false
	}
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] != "execute-api" || parts[3] == "" || parts[4] == "" {
		return methodARN{}, false
	}
	res := strings.SplitN(parts[5], "/", 4)
	if len(res) < 3 || res[0] == "" || res[1] == "" || res[2] == "" {
		return methodARN{}, false
	}
	for _, p := range parts[1:5] {
		if strings.Contains(p, "/") {
			return methodARN{}, false
		}
	}
	return methodARN{prefix: strings.Join(parts[:5], ":") + ":", api: res[0], stage: res[1]}, true
}

// wholeStage is the ARN of every method and resource of the stage.
func (a methodARN) wholeStage() string {
	return a.prefix + a.api + "/" + a.stage + "/*"
}
