package auth

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"sync"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/internal/httpevent"
	"github.com/fnshield/fnshield/internal/problem"
)

// Lambda wraps an AWS Lambda handler for an HTTP-shaped event so that it
// runs only with a valid bearer token, like [Middleware] does for net/http:
// it extracts the token, verifies it with v, runs the checks and calls next
// with the claims in its context ([ClaimsFromContext]). The event is passed
// to next unchanged.
//
// The supported event and response pairs are those of API Gateway REST APIs
// (events.APIGatewayProxyRequest and Response), HTTP APIs
// (events.APIGatewayV2HTTPRequest and Response), ALB target groups
// (events.ALBTargetGroupRequest and Response, single- and multi-value
// header modes) and Function URLs (events.LambdaFunctionURLRequest and
// Response). The pair is resolved when Lambda is called: any other pair, a
// nil v or next, or [TrustGatewayClaims] on an event other than
// events.APIGatewayV2HTTPRequest panics then, at cold start, never during
// an invocation.
//
// The token is read straight from the event's headers or cookies; the
// *http.Request view of the event is built only to reject, or for a
// [FromRequest] token source. A rejection runs the error handler (see
// [WithErrorHandler]; the default is [WriteError]) on an in-memory response
// and returns it as R with a nil error, so API Gateway answers with that
// status, headers and problem+json body rather than a 502.
//
// The returned function is safe for concurrent use.
func Lambda[E, R any](v *Verifier, next func(context.Context, E) (R, error), opts ...MiddlewareOption) func(context.Context, E) (R, error) {
	if v == nil {
		panic("auth: Lambda called with a nil *Verifier")
	}
	if next == nil {
		panic("auth: Lambda called with a nil handler")
	}
	a := httpevent.For[E, R]()
	cfg := newMiddlewareConfig(opts)
	if cfg.trustGateway {
		checkGatewayEvent[E]()
	}
	// The adapter reads the event through a pointer, which would move every
	// event to the heap. Instead a pooled *E receives only the header and
	// cookie fields the token sources read (copyCredentials), and is
	// cleared of them before it goes back. A FromRequest source needs the
	// whole event: it gets a full copy.
	whole := slices.ContainsFunc(cfg.sources, func(s TokenSource) bool { return s.kind == tokenInFunc })
	pool := sync.Pool{New: func() any { return new(E) }}
	return func(ctx context.Context, e E) (R, error) {
		var (
			c   *Claims
			err error
		)
		if cfg.trustGateway {
			gc, gerr := gatewayClaimsIn(&e)
			c, err = cfg.authorizeGateway(ctx, v, gc, gerr)
		} else {
			ep := pool.Get().(*E)
			if whole {
				*ep = e
			} else {
				copyCredentials(ep, &e)
			}
			token, xerr := extractEvent(ctx, &cfg.policy, a, ep)
			if whole {
				*ep = *new(E) // drop references into the event before pooling
			} else {
				copyCredentials(ep, nil)
			}
			pool.Put(ep)
			c, err = cfg.authorize(ctx, v, token, xerr, cfg.optional)
		}
		if err != nil {
			return rejectEvent(ctx, a, e, cfg.onError, err), nil
		}
		if c != nil {
			ctx = NewContext(ctx, c)
		}
		return next(ctx, e)
	}
}

// copyCredentials copies to dst the fields of src that the event adapter's
// Header and Cookie read: headers, multi-value headers and the cookies
// field, whichever the event type has; a nil src clears them in dst. An
// event type it does not know is copied (or cleared) whole. The lambda
// tests read tokens from every supported event type's headers and
// cookies, so a field missing here fails them.
func copyCredentials[E any](dst, src *E) {
	switch d := any(dst).(type) {
	case *events.APIGatewayV2HTTPRequest:
		if s := any(src).(*events.APIGatewayV2HTTPRequest); s != nil {
			d.Headers, d.Cookies = s.Headers, s.Cookies
		} else {
			d.Headers, d.Cookies = nil, nil
		}
	case *events.LambdaFunctionURLRequest:
		if s := any(src).(*events.LambdaFunctionURLRequest); s != nil {
			d.Headers, d.Cookies = s.Headers, s.Cookies
		} else {
			d.Headers, d.Cookies = nil, nil
		}
	case *events.APIGatewayProxyRequest:
		if s := any(src).(*events.APIGatewayProxyRequest); s != nil {
			d.Headers, d.MultiValueHeaders = s.Headers, s.MultiValueHeaders
		} else {
			d.Headers, d.MultiValueHeaders = nil, nil
		}
	case *events.ALBTargetGroupRequest:
		if s := any(src).(*events.ALBTargetGroupRequest); s != nil {
			d.Headers, d.MultiValueHeaders = s.Headers, s.MultiValueHeaders
		} else {
			d.Headers, d.MultiValueHeaders = nil, nil
		}
	default:
		if src != nil {
			*dst = *src
		} else {
			*dst = *new(E)
		}
	}
}

// extractEvent runs the token sources over an event, reading headers and
// cookies directly and building the request view only for FromRequest
// sources.
func extractEvent[E, R any](ctx context.Context, p *policy, a *httpevent.Adapter[E, R], e *E) (string, error) {
	sources := p.sources
	if len(sources) == 0 {
		sources = defaultSources
	}
	var (
		r   *http.Request
		err error
	)
	for _, s := range sources {
		var tok string
		switch s.kind {
		case tokenInCookie:
			v, ok := a.Cookie(e, s.name)
			if !ok {
				err = missingToken()
				continue
			}
			tok, err = s.fromValue(v, false)
		case tokenInFunc:
			if r == nil {
				var rerr error
				if r, rerr = a.Request(ctx, e); rerr != nil {
					return "", extractError(errMalformedCredentials, rerr)
				}
			}
			tok, err = s.Extract(r)
		default:
			tok, err = s.fromValue(a.Header(e, s.headerName()), false)
		}
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

// rejectEvent renders err through the error handler into the event's
// response type.
func rejectEvent[E, R any](ctx context.Context, a *httpevent.Adapter[E, R], e E, onError func(http.ResponseWriter, *http.Request, error), err error) R {
	r, rerr := a.Request(ctx, &e)
	if rerr != nil {
		// The event cannot be viewed as a request (a body that is not
		// base64, say): give the handler a minimal one rather than none.
		r = (&http.Request{
			Method:     http.MethodGet,
			URL:        &url.URL{Path: "/"},
			Proto:      "HTTP/1.1",
			ProtoMajor: 1,
			ProtoMinor: 1,
			Header:     make(http.Header),
			Body:       http.NoBody,
		}).WithContext(ctx)
	}
	rec := problem.NewRecorder()
	onError(rec, r, err)
	return a.Response(&e, rec.Status(), rec.Header(), rec.Body())
}
