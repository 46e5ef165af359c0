package auth

import (
	"errors"
	"github.com/fnshield/fnshield/internal/guard"
	"net/http"
	"slices"
	"strings"
)

// Which option goes where:
//   - [Option] configures [New]; [LambdaOption] configures [Lambda] only
//     ([TrustGatewayClaims]); [MiddlewareOption] configures both [Middleware]
//     and [Lambda]; [AuthorizerOption] configures the three authorizers;
//     [TransportOption] ([RequireScopes], [RequireGroups], [Require],
//     [WithTokenFrom]) goes to all of them.
//   - An option that cannot apply to a function does not compile there.

// LambdaOption configures [Lambda]. Every [MiddlewareOption] is also a
// LambdaOption; [TrustGatewayClaims] is one only.
type LambdaOption interface {
	applyTransport(*transportConfig)
}

// MiddlewareOption configures [Middleware] and [Lambda].
type MiddlewareOption interface {
	LambdaOption
	middleware()
}

// AuthorizerOption configures [TokenAuthorizer], [RequestAuthorizer] and
// [SimpleAuthorizer].
type AuthorizerOption interface {
	applyAuthorizer(*authorizerConfig)
}

// TransportOption is an option that both the request transports
// ([Middleware], [Lambda]) and the Lambda authorizers accept: the access
// checks and the token source.
type TransportOption interface {
	MiddlewareOption
	AuthorizerOption
}

// policy is the part of the configuration shared by every transport: where
// the token is and what the claims must satisfy.
type policy struct {
	sources []TokenSource
	checks  []func(*Claims) error
	// quiet leaves logging denials to the caller: the shared guard logs
	// Middleware's and Lambda's rejections with the request's attributes.
	quiet bool
}

type policyOption func(*policy)

func (o policyOption) applyTransport(c *transportConfig)   { o(&c.policy) }
func (policyOption) middleware()                           {}
func (o policyOption) applyAuthorizer(c *authorizerConfig) { o(&c.policy) }

type middlewareOption func(*transportConfig)

func (o middlewareOption) applyTransport(c *transportConfig) { o(c) }
func (middlewareOption) middleware()                         {}

// lambdaOption is an option of the Lambda wrapper alone.
type lambdaOption func(*transportConfig)

func (o lambdaOption) applyTransport(c *transportConfig) { o(c) }

type authorizerOption func(*authorizerConfig)

func (o authorizerOption) applyAuthorizer(c *authorizerConfig) { o(c) }

// RequireScopes rejects a verified token that lacks any of scopes (all are
// required, here and across several RequireScopes options) with
// [ErrInsufficientScope]: status 403, RFC 6750 code "insufficient_scope",
// and the required scopes in the error's Scopes and in the
// WWW-Authenticate scope attribute. By default no scope is required.
func RequireScopes(scopes ...string) TransportOption {
	scopes = slices.Clone(scopes)
	return policyOption(func(p *policy) {
		if len(scopes) == 0 {
			return
		}
		p.checks = append(p.checks, func(c *Claims) error {
			if c.HasScopes(scopes...) {
				return nil
			}
			e := newError(ErrInsufficientScope, nil)
			e.Scopes = scopes
			return e
		})
	})
}

// RequireGroups rejects a verified token that belongs to none of groups
// (any one suffices) with [ErrForbidden], status 403. Several RequireGroups
// options must each be satisfied. By default no group is required.
func RequireGroups(groups ...string) TransportOption {
	groups = slices.Clone(groups)
	return policyOption(func(p *policy) {
		p.checks = append(p.checks, func(c *Claims) error {
			if c.InGroups(groups...) {
				return nil
			}
			return newError(ErrForbidden, errNotInGroup)
		})
	})
}

var errNotInGroup = errors.New("the token is in none of the required groups")

// Require adds a check of the verified claims, run after the scope and
// group checks given before it, in option order. A non-nil error rejects the
// request: an [*Error] is used as it is (so a check may choose 401 or 403);
// any other error becomes [ErrForbidden] (403) with it as the cause, which
// must not contain the token. Its text never reaches the client.
func Require(check func(*Claims) error) TransportOption {
	return policyOption(func(p *policy) {
		if check == nil {
			return
		}
		p.checks = append(p.checks, func(c *Claims) error {
			err := check(c)
			if err == nil {
				return nil
			}
			var ae *Error
			if errors.As(err, &ae) {
				return ae
			}
			return newError(ErrForbidden, err)
		})
	})
}

// WithTokenFrom sets where the token is read, trying sources in order: the
// first that finds a token (valid or malformed) decides. The default is
// FromHeader("Authorization"). The authorizers take the token from their
// event instead (see each), unless WithTokenFrom is given to
// [RequestAuthorizer] or [SimpleAuthorizer].
func WithTokenFrom(sources ...TokenSource) TransportOption {
	sources = slices.Clone(sources)
	return policyOption(func(p *policy) { p.sources = sources })
}

// check runs the claim checks in order and returns the first failure.
func (p *policy) check(c *Claims) error {
	for _, f := range p.checks {
		if err := f(c); err != nil {
			return err
		}
	}
	return nil
}

// transportConfig is the configuration of Middleware and Lambda.
type transportConfig struct {
	policy
	optional     bool
	preflight    bool
	realm        string
	onError      func(http.ResponseWriter, *http.Request, error)
	trustGateway bool
}

func newTransportConfig[O LambdaOption](opts []O) *transportConfig {
	c := &transportConfig{realm: DefaultRealm, policy: policy{quiet: true}}
	for _, o := range opts {
		if any(o) != nil {
			o.applyTransport(c)
		}
	}
	if c.onError == nil {
		realm := c.realm
		c.onError = func(w http.ResponseWriter, _ *http.Request, err error) { WriteError(w, realm, err) }
	}
	return c
}

// DefaultRealm is the realm of the WWW-Authenticate challenges the default
// error handler sends.
const DefaultRealm = "fnshield"

// Optional lets requests without a token through, with no claims in their
// context (ClaimsFromContext reports false). A token that is present but
// malformed or invalid is still rejected, as are the checks for a verified
// token. By default a token is required.
//
// See also [AllowPreflight] for CORS preflight requests.
func Optional() MiddlewareOption {
	return middlewareOption(func(c *transportConfig) { c.optional = true })
}

// AllowPreflight lets CORS preflight requests through without a token: an
// OPTIONS request that carries an Access-Control-Request-Method header
// reaches the next handler (a CORS handler placed after this one, or the
// route's OPTIONS handler) with no claims in its context. Browsers never
// send credentials on a preflight, so without it a protected route that
// answers preflights itself always gets 401. Other OPTIONS requests still
// need a token. Off by default.
func AllowPreflight() MiddlewareOption {
	return middlewareOption(func(c *transportConfig) { c.preflight = true })
}

// WithRealm sets the realm of the default error handler's WWW-Authenticate
// challenges. The default is [DefaultRealm]. Quotes and backslashes in realm
// are escaped.
func WithRealm(realm string) MiddlewareOption {
	return middlewareOption(func(c *transportConfig) { c.realm = realm })
}

// WithErrorHandler replaces the rejection handler. err is an [*Error]
// (test it with errors.Is against the sentinels; its Status, Code and
// Description are safe to show). The handler serves both Middleware and
// the Lambda wrapper, which renders what it writes into the event's
// response. The default is [WriteError] with the configured realm: an RFC
// 9457 problem+json body and a WWW-Authenticate challenge.
func WithErrorHandler(h func(w http.ResponseWriter, r *http.Request, err error)) MiddlewareOption {
	return middlewareOption(func(c *transportConfig) { c.onError = h })
}

// TrustGatewayClaims makes [Lambda] take the claims that an API Gateway
// HTTP API JWT authorizer has already verified, from
// RequestContext.Authorizer.JWT, instead of verifying a token again: the
// checks (RequireScopes, RequireGroups, Require) still run, and scopes come
// from the authorizer's scope list, or else from the scope claim. A request
// that reaches the function without JWT authorizer claims is rejected as a
// missing token (401).
//
// Use it ONLY for a route protected by an API Gateway JWT authorizer: the
// claims are taken on trust, and anyone who can invoke the function
// directly, or through a route without the authorizer, can forge them.
//
// It applies to events.APIGatewayV2HTTPRequest only: it is a [LambdaOption],
// so passing it to [Middleware] does not compile, and wrapping any other
// event type with it panics at wrap time. The Verifier is still required
// (its telemetry records the decisions) but no token is verified.
func TrustGatewayClaims() LambdaOption {
	return lambdaOption(func(c *transportConfig) { c.trustGateway = true })
}

// authorizerConfig is the configuration of the Lambda authorizers.
type authorizerConfig struct {
	policy
	wholeStage    bool
	contextClaims []string
	// audit logs denials with the same record as the transports; the
	// policy is quiet so that each denial is logged once.
	audit *guard.Guard
}

func newAuthorizerConfig(v *Verifier, opts []AuthorizerOption) *authorizerConfig {
	c := &authorizerConfig{policy: policy{quiet: true}}
	for _, o := range opts {
		if o != nil {
			o.applyAuthorizer(c)
		}
	}
	c.audit = &guard.Guard{Package: "auth", Logger: v.tel.logger, Reason: reasonOfErr, LogAttrs: deniedClaims}
	return c
}

// AllowWholeStage makes an Allow policy cover every method and resource of
// the stage (arn:aws:execute-api:region:account:api/stage/*) instead of the
// one method ARN of the request. Use it when API Gateway caches the
// authorizer's result: a cached single-method policy would deny the same
// token on the API's other routes. Only use it when every route of the
// stage accepts the same tokens and checks. Deny policies always name the
// method ARN. By default the policy names the method ARN only.
func AllowWholeStage() AuthorizerOption {
	return authorizerOption(func(c *authorizerConfig) { c.wholeStage = true })
}

// WithContextClaims adds claims to the authorizer's context, which API
// Gateway passes to the integration (requestContext.authorizer). Only
// string, number and boolean claims are copied (API Gateway rejects nested
// values); others are skipped. The context always has sub, iss, scope
// (space-separated), client_id and, when present, token_use, groups
// (comma-separated) and exp.
func WithContextClaims(names ...string) AuthorizerOption {
	names = slices.Clone(names)
	return authorizerOption(func(c *authorizerConfig) { c.contextClaims = append(c.contextClaims, names...) })
}

// quoteAuthParam renders s as an RFC 9110 quoted-string.
func quoteAuthParam(s string) string {
	if !strings.ContainsAny(s, "\"\\") && !hasControl(s) {
		return `"` + s + `"`
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < ' ' && c != '\t' || c == 0x7f:
			// Control characters cannot appear in a header value; drop them.
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' || c == 0x7f {
			return true
		}
	}
	return false
}
