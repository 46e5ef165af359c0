package ratelimit

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/fnshield/fnshield/internal/guard"
	"github.com/fnshield/fnshield/internal/problem"
)

// The transports hand key functions the guard's request view.
var _ Request = (*guard.Request)(nil)

// MiddlewareOption configures [Middleware] and [Lambda].
type MiddlewareOption interface{ applyTransport(*transportConfig) }

type transportOption func(*transportConfig)

func (o transportOption) applyTransport(c *transportConfig) { o(c) }

// transportConfig is the configuration of Middleware and Lambda.
type transportConfig struct {
	key        KeyFunc
	missingKey string
	shared     bool // missingKey is set
	legacy     bool
	onError    func(http.ResponseWriter, *http.Request, error)
}

func newTransportConfig(l *Limiter, fn string, opts []MiddlewareOption) *transportConfig {
	c := &transportConfig{key: l.key, onError: WriteError}
	for _, o := range opts {
		if o != nil {
			o.applyTransport(c)
		}
	}
	if c.key == nil {
		panic("ratelimit: " + fn + ": WithKey(nil)")
	}
	if c.onError == nil {
		panic("ratelimit: " + fn + ": WithErrorHandler(nil)")
	}
	return c
}

// KeyOption is an option both [New] and the transports accept.
type KeyOption interface {
	Option
	MiddlewareOption
}

type keyOption struct{ f KeyFunc }

func (o keyOption) apply(c *config)                   { c.key = o.f }
func (o keyOption) applyTransport(c *transportConfig) { c.key = o.f }

// WithKey sets how the transports find a request's key. Given to [New], it
// is the limiter's default for every Middleware and Lambda built on it;
// given to [Middleware] or [Lambda], it applies there only. The default is
// ByIP() with no trusted proxies: the source IP the transport reports (API
// Gateway's and Function URLs' recorded client address, net/http's
// RemoteAddr), or for ALB events the rightmost X-Forwarded-For entry,
// which the load balancer writes. Behind your own proxies, use [ByIP] with
// their prefixes. A nil f is an error from New and a panic from the
// transports.
func WithKey(f KeyFunc) KeyOption { return keyOption{f} }

// WithMissingKey makes requests whose key function finds no key
// ([ErrNoKey]) share one bucket, under key, instead of being rejected. By
// default they are rejected with 400 Bad Request: with [ByHeader], a
// request without the header would otherwise escape the limit. A shared
// bucket suits an anonymous tier ("anonymous" users share one limit).
func WithMissingKey(key string) MiddlewareOption {
	return transportOption(func(c *transportConfig) { c.missingKey, c.shared = key, true })
}

// WithLegacyHeaders adds X-RateLimit-Limit, X-RateLimit-Remaining and
// X-RateLimit-Reset (see [SetLegacyHeaders]) to every response, next to
// the RateLimit fields. Off by default.
func WithLegacyHeaders() MiddlewareOption {
	return transportOption(func(c *transportConfig) { c.legacy = true })
}

// WithErrorHandler replaces the rejection handler. err is an [*Error]
// whose Reason is [ErrLimited], [ErrNoKey] or [ErrStore]; the RateLimit
// and Retry-After headers are already set on w when it runs. The handler
// serves both Middleware and Lambda, which renders what it writes into the
// event's response. The default is [WriteError]. Middleware and Lambda
// panic on a nil handler.
func WithErrorHandler(h func(w http.ResponseWriter, r *http.Request, err error)) MiddlewareOption {
	return transportOption(func(c *transportConfig) { c.onError = h })
}

// Middleware returns net/http middleware that limits requests with l. For
// each request it finds the key ([WithKey]; by default the client IP),
// asks l, and either calls next or rejects through the error handler
// (default [WriteError]: 429 Too Many Requests with Retry-After and an
// application/problem+json body). Both allowed and rejected responses carry
// the RateLimit and RateLimit-Policy fields ([Limiter.SetHeaders]); next's
// own values of them win. When the store fails, l's failure policy
// decides: fail-open lets the request through without RateLimit fields,
// fail-closed answers 503. A request without a key is answered 400 (see
// [WithMissingKey]). Rejections are logged to l's [WithLogger] logger.
//
// The caller's request is never modified. Middleware panics if l is nil, a
// programming error caught when the handler chain is built. The returned
// middleware is safe for concurrent use.
func Middleware(l *Limiter, opts ...MiddlewareOption) func(http.Handler) http.Handler {
	if l == nil {
		panic("ratelimit: Middleware called with a nil *Limiter")
	}
	return guard.Middleware(l.guard(newTransportConfig(l, "Middleware", opts)))
}

// guard builds the transports' Guard.
func (l *Limiter) guard(c *transportConfig) *guard.Guard {
	return &guard.Guard{
		Package: "ratelimit",
		Check:   func(r *guard.Request) (guard.Verdict, error) { return l.check(c, r) },
		OnError: c.onError,
		Logger:  l.tel.logger,
		Reason:  reason,
	}
}

// check is the transports' decision for one request.
func (l *Limiter) check(c *transportConfig, r *guard.Request) (guard.Verdict, error) {
	key, err := c.key(r)
	if err != nil {
		if !c.shared || !errors.Is(err, ErrNoKey) {
			return guard.Verdict{}, &Error{Reason: ErrNoKey, Err: err}
		}
		key = c.missingKey
	}
	d, err := l.Allow(r.Context(), key)
	if err != nil {
		if d.Allowed {
			return guard.Verdict{}, nil // fail-open: counted and logged by Allow
		}
		return guard.Verdict{}, &Error{Reason: ErrStore, Decision: d, Err: err}
	}
	h := make(http.Header, 5)
	l.SetHeaders(h, d)
	if c.legacy {
		SetLegacyHeaders(h, d)
	}
	if !d.Allowed {
		return guard.Verdict{Header: h}, &Error{Reason: ErrLimited, Decision: d}
	}
	return guard.Verdict{Header: h}, nil
}

// reason names a rejection in the guard's logs.
func reason(err error) string {
	switch {
	case errors.Is(err, ErrLimited):
		return "limited"
	case errors.Is(err, ErrNoKey):
		return "no_key"
	case errors.Is(err, ErrStore):
		return "store_unavailable"
	}
	return "rejected"
}

// WriteError is the default error handler of [Middleware] and [Lambda],
// exported so that a custom handler can log and then delegate to it. It
// writes err as an RFC 9457 problem+json body with a fixed detail (never
// the key or the store's error):
//
//   - [ErrLimited]: 429 Too Many Requests, with Retry-After (whole seconds,
//     rounded up, at least 1);
//   - [ErrNoKey]: 400 Bad Request;
//   - [ErrStore]: 503 Service Unavailable, with Retry-After: 1;
//   - anything else: 500 Internal Server Error.
func WriteError(w http.ResponseWriter, _ *http.Request, err error) {
	var e *Error
	errors.As(err, &e)
	h := w.Header()
	switch {
	case e != nil && e.Reason == ErrLimited:
		h[keyRetryAfter] = []string{strconv.FormatInt(retryAfterSeconds(e.Decision.RetryAfter), 10)}
		problem.Write(w, problem.New(http.StatusTooManyRequests, "The rate limit was exceeded: retry after the delay in Retry-After."))
	case e != nil && e.Reason == ErrNoKey:
		problem.Write(w, problem.New(http.StatusBadRequest, "The request does not identify its client for rate limiting."))
	case e != nil && e.Reason == ErrStore:
		h[keyRetryAfter] = []string{"1"}
		problem.Write(w, problem.New(http.StatusServiceUnavailable, "The rate limiter is unavailable."))
	default:
		problem.Write(w, problem.New(http.StatusInternalServerError, "The request could not be rate limited."))
	}
}
