package auth

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/fnshield/fnshield/internal/guard"
)

// authorize is the one authorize path of every transport and authorizer:
// it extracts the token from r, lets a request without one through when
// optional, verifies the token, runs the checks and records the decision.
// It returns nil claims and a nil error only for an optional request
// without a token; when a check fails it returns the verified claims with
// the error.
func (p *policy) authorize(r *guard.Request, v *Verifier, optional bool) (*Claims, error) {
	token, err := p.extract(r)
	return p.authorizeToken(r.Context(), v, token, err, optional)
}

// authorizeToken is authorize for a token already extracted, with
// extraction's error.
func (p *policy) authorizeToken(ctx context.Context, v *Verifier, token string, extractErr error, optional bool) (*Claims, error) {
	if extractErr != nil {
		if optional && isMissing(extractErr) {
			return nil, nil
		}
		v.decide(ctx, extractErr, nil, !p.quiet)
		return nil, extractErr
	}
	c, err := v.verifyCredentials(ctx, token, !p.quiet)
	if err != nil {
		return nil, err
	}
	return c, p.admit(ctx, v, c)
}

// admit runs the checks on verified claims and records the decision. A
// failed check's error carries the claims, for the audit log.
func (p *policy) admit(ctx context.Context, v *Verifier, c *Claims) error {
	if err := p.check(c); err != nil {
		v.decide(ctx, err, c, !p.quiet)
		return withClaims(err, c)
	}
	v.decide(ctx, nil, c, !p.quiet)
	return nil
}

// extract runs the token sources in order over r: the first that finds a
// token, valid or malformed, decides. The token's characters are left for
// Verifier.verifyCredentials to check (see TokenSource.fromValue).
func (p *policy) extract(r *guard.Request) (string, error) {
	sources := p.sources
	if len(sources) == 0 {
		sources = defaultSources
	}
	var err error
	for _, s := range sources {
		var tok string
		tok, err = s.extractFrom(r)
		if err == nil || !isMissing(err) {
			return tok, err
		}
	}
	return "", err
}

var defaultSources = []TokenSource{{}}

// isMissing reports whether err is the missing-token error. It is a fast
// check for the errors extraction itself builds.
func isMissing(err error) bool {
	e, ok := err.(*Error)
	return ok && e.Reason == ErrMissingToken
}

// guard returns the shared transport's decision for Middleware and Lambda.
func (cfg *transportConfig) guard(v *Verifier) *guard.Guard {
	onError := cfg.onError
	if onError == nil {
		realm := cfg.realm
		onError = func(w http.ResponseWriter, _ *http.Request, err error) { WriteError(w, realm, err) }
	}
	return &guard.Guard{
		Package: "auth",
		Check: func(r *guard.Request) (guard.Verdict, error) {
			if cfg.preflight && isPreflight(r) {
				return guard.Verdict{}, nil
			}
			var (
				c   *Claims
				err error
			)
			if cfg.trustGateway {
				c, err = cfg.authorizeGateway(r, v)
			} else {
				c, err = cfg.authorize(r, v, cfg.optional)
			}
			if err != nil || c == nil {
				return guard.Verdict{}, err
			}
			return guard.Verdict{Context: NewContext(r.Context(), c)}, nil
		},
		OnError:  onError,
		Logger:   v.tel.logger,
		Reason:   reasonOfErr,
		LogAttrs: deniedClaims,
	}
}

// reasonOfErr names a denial's reason in the audit log.
func reasonOfErr(err error) string { return reasonName(reasonOf(err)) }

// deniedClaims adds to a rejection's audit record the issuer and subject
// of a token whose signature verified but that was denied all the same.
func deniedClaims(err error) []slog.Attr {
	var ae *Error
	if !errors.As(err, &ae) || ae.claims == nil {
		return nil
	}
	return []slog.Attr{slog.String("issuer", ae.claims.Issuer), slog.String("subject", ae.claims.Subject)}
}

// isPreflight reports whether r is a CORS preflight request.
func isPreflight(r *guard.Request) bool {
	return r.Method() == http.MethodOptions && r.Header("Access-Control-Request-Method") != ""
}
