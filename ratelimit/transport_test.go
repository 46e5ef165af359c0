package ratelimit_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fnshield/fnshield/internal/guardtest"
	"github.com/fnshield/fnshield/ratelimit"
)

// setup configures one conformance case: the limiter each transport gets
// (a fresh one per transport, so that their buckets do not mix), keys to
// exhaust first, and the transport options.
type setup struct {
	limit   ratelimit.Limit
	opts    []ratelimit.Option
	exhaust []string // keys whose buckets are emptied before the request
	mw      []ratelimit.MiddlewareOption
}

func (s setup) limiter(t *testing.T) *ratelimit.Limiter {
	t.Helper()
	lim := s.limit
	if lim == (ratelimit.Limit{}) {
		lim = ratelimit.Limit{Rate: 2, Period: time.Minute}
	}
	l, err := ratelimit.New(lim, s.opts...)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range s.exhaust {
		for {
			d, _ := l.Allow(context.Background(), k)
			if !d.Allowed {
				break
			}
		}
	}
	return l
}

func fixedKey(key string) ratelimit.KeyFunc {
	return func(ratelimit.Request) (string, error) { return key, nil }
}

func TestTransportConformance(t *testing.T) {
	broken := failingStore{errors.New("redis: connection refused")}
	cases := []guardtest.Case[setup]{
		{
			Name:   "allowed, with the RateLimit fields",
			Opts:   []setup{{opts: []ratelimit.Option{ratelimit.WithName("api")}}},
			Status: http.StatusOK,
			WantHeader: map[string]string{
				"RateLimit-Policy":  `"api";q=2;w=60`,
				"RateLimit":         `"api";r=1;t=30`,
				"Retry-After":       "",
				"X-RateLimit-Limit": "",
			},
			// ALB events carry no source IP: the load balancer's
			// X-Forwarded-For entry is the key there.
			Header: http.Header{"X-Forwarded-For": {"198.51.100.4"}},
		},
		{
			Name:   "over the limit: 429 with Retry-After",
			Opts:   []setup{{exhaust: []string{"k"}, mw: []ratelimit.MiddlewareOption{ratelimit.WithKey(fixedKey("k"))}}},
			Status: http.StatusTooManyRequests,
			WantHeader: map[string]string{
				"Retry-After":      "30",
				"RateLimit":        `"default";r=0;t=60`,
				"RateLimit-Policy": `"default";q=2;w=60`,
				"Content-Type":     "application/problem+json",
			},
			BodyContains: []string{`"status":429`},
		},
		{
			Name:   "WithKey given to New is the transports' default",
			Opts:   []setup{{exhaust: []string{"k"}, opts: []ratelimit.Option{ratelimit.WithKey(fixedKey("k"))}}},
			Status: http.StatusTooManyRequests,
		},
		{
			Name: "WithKey given to the transport wins",
			Opts: []setup{{exhaust: []string{"k"}, opts: []ratelimit.Option{ratelimit.WithKey(fixedKey("k"))},
				mw: []ratelimit.MiddlewareOption{ratelimit.WithKey(fixedKey("fresh"))}}},
			Status: http.StatusOK,
		},
		{
			Name:   "other keys are not limited",
			Opts:   []setup{{exhaust: []string{"someone-else"}, mw: []ratelimit.MiddlewareOption{ratelimit.WithKey(fixedKey("k"))}}},
			Status: http.StatusOK,
		},
		{
			Name:         "no key: 400",
			Opts:         []setup{{mw: []ratelimit.MiddlewareOption{ratelimit.WithKey(ratelimit.ByHeader("X-API-Key"))}}},
			Status:       http.StatusBadRequest,
			WantHeader:   map[string]string{"Content-Type": "application/problem+json", "RateLimit": ""},
			BodyExcludes: []string{"X-API-Key"},
		},
		{
			Name:   "API key hashed, never echoed",
			Opts:   []setup{{mw: []ratelimit.MiddlewareOption{ratelimit.WithKey(ratelimit.ByHeader("X-API-Key"))}}},
			Header: http.Header{"X-Api-Key": {"sk_live_very_secret"}},
			Status: http.StatusOK,
			WantHeader: map[string]string{
				"RateLimit": `"default";r=1;t=30`,
			},
			BodyExcludes: []string{"sk_live_very_secret"},
		},
		{
			Name: "no key, shared bucket",
			Opts: []setup{{exhaust: []string{"anonymous"}, mw: []ratelimit.MiddlewareOption{
				ratelimit.WithKey(ratelimit.ByHeader("X-API-Key")), ratelimit.WithMissingKey("anonymous")}}},
			Status: http.StatusTooManyRequests,
		},
		{
			Name:   "legacy headers on request",
			Opts:   []setup{{mw: []ratelimit.MiddlewareOption{ratelimit.WithKey(fixedKey("k")), ratelimit.WithLegacyHeaders()}}},
			Status: http.StatusOK,
			WantHeader: map[string]string{
				"X-RateLimit-Limit":     "2",
				"X-RateLimit-Remaining": "1",
				"X-RateLimit-Reset":     "30",
			},
		},
		{
			Name:       "the handler's own fields win",
			Opts:       []setup{{mw: []ratelimit.MiddlewareOption{ratelimit.WithKey(fixedKey("k"))}}},
			NextHeader: http.Header{"Ratelimit": {`"upstream";r=9;t=1`}},
			Status:     http.StatusOK,
			WantHeader: map[string]string{"RateLimit": `"upstream";r=9;t=1`, "RateLimit-Policy": `"default";q=2;w=60`},
		},
		{
			Name:         "store down, fail open: served without fields",
			Opts:         []setup{{opts: []ratelimit.Option{ratelimit.WithStore(broken)}, mw: []ratelimit.MiddlewareOption{ratelimit.WithKey(fixedKey("k"))}}},
			Status:       http.StatusOK,
			WantHeader:   map[string]string{"RateLimit": "", "RateLimit-Policy": ""},
			BodyExcludes: []string{"connection refused"},
		},
		{
			Name: "store down, fail closed: 503",
			Opts: []setup{{opts: []ratelimit.Option{ratelimit.WithStore(broken), ratelimit.WithFailOpen(false)},
				mw: []ratelimit.MiddlewareOption{ratelimit.WithKey(fixedKey("k"))}}},
			Status:       http.StatusServiceUnavailable,
			WantHeader:   map[string]string{"Retry-After": "1", "Content-Type": "application/problem+json"},
			BodyExcludes: []string{"connection refused", "redis"},
		},
		{
			Name: "custom error handler",
			Opts: []setup{{exhaust: []string{"k"}, mw: []ratelimit.MiddlewareOption{ratelimit.WithKey(fixedKey("k")),
				ratelimit.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
					var e *ratelimit.Error
					if errors.As(err, &e) && errors.Is(err, ratelimit.ErrLimited) {
						w.Header().Set("X-Wait", e.RetryAfter().String())
					}
					w.WriteHeader(http.StatusServiceUnavailable)
				})}}},
			Status:     http.StatusServiceUnavailable,
			WantHeader: map[string]string{"X-Wait": "30s", "Retry-After": "30"},
		},
	}
	guardtest.Run(t, cases, func(opts []setup) guardtest.Transports {
		s := opts[0]
		return guardtest.Transports{
			Middleware: func(h http.Handler) http.Handler { return ratelimit.Middleware(s.limiter(t), s.mw...)(h) },
			REST: func(n guardtest.RESTHandler) guardtest.RESTHandler {
				return ratelimit.Lambda(s.limiter(t), n, s.mw...)
			},
			HTTPAPI: func(n guardtest.HTTPAPIHandler) guardtest.HTTPAPIHandler {
				return ratelimit.Lambda(s.limiter(t), n, s.mw...)
			},
			ALB: func(n guardtest.ALBHandler) guardtest.ALBHandler { return ratelimit.Lambda(s.limiter(t), n, s.mw...) },
			FunctionURL: func(n guardtest.FunctionURLHandler) guardtest.FunctionURLHandler {
				return ratelimit.Lambda(s.limiter(t), n, s.mw...)
			},
		}
	})
}

func TestTransportsPanicOnProgrammingErrors(t *testing.T) {
	l, _ := ratelimit.New(ratelimit.Limit{Rate: 1, Period: time.Second})
	handler := func(context.Context, struct{}) (struct{}, error) { return struct{}{}, nil }
	tests := []struct {
		name string
		wrap func()
		want string
	}{
		{"nil limiter, middleware", func() { ratelimit.Middleware(nil) }, "nil *Limiter"},
		{"nil error handler", func() { ratelimit.Middleware(l, ratelimit.WithErrorHandler(nil)) }, "WithErrorHandler"},
		{"nil key function", func() { ratelimit.Lambda(l, handler, ratelimit.WithKey(nil)) }, "WithKey"},
		{"nil limiter, lambda", func() { ratelimit.Lambda(nil, handler) }, "nil *Limiter"},
		{"unsupported event", func() { ratelimit.Lambda(l, handler) }, "unsupported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if r == nil || !strings.Contains(toString(r), tt.want) {
					t.Fatalf("panic %v, want one mentioning %q", r, tt.want)
				}
			}()
			tt.wrap()
		})
	}
}

func toString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	if e, ok := v.(error); ok {
		return e.Error()
	}
	return ""
}
