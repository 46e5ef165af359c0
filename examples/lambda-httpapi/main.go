// Command lambda-httpapi is a template for an AWS Lambda function behind an
// API Gateway HTTP API (payload format 2.0) serving the orders API of
// examples/demo (POST /orders places an order, GET /orders/{id} reads one of
// the caller's own), guarded by fnshield:
//
//   - auth.Lambda admits only requests with a valid bearer token from the
//     configured OpenID Connect issuer that carries the required scope
//     (401 and 403 otherwise, with RFC 6750 challenges);
//   - ratelimit.Lambda limits each caller (the token's subject) to
//     RATE_LIMIT, shared through Redis when REDIS_ADDR is set (429 with
//     Retry-After once spent);
//   - validate.Lambda admits only POST /orders bodies that order.schema.json
//     accepts (400 otherwise, listing the violations without echoing any
//     value; 415 unless the Content-Type is application/json);
//   - logs go to stdout (CloudWatch) as JSON through redact.NewHandler, so
//     the order's email and card number never reach them;
//   - the database credentials come from a secrets.Cache, never from a plain
//     environment variable.
//
// Everything is built once, at cold start; the handler does no set-up work.
// Configuration comes from the environment only: README.md lists every
// variable. Copy this folder, replace the orderBook with your database, and
// deploy it with template.yaml.
package main

import (
	"context"
	_ "embed"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/redis/go-redis/v9"

	"github.com/fnshield/fnshield/auth"
	"github.com/fnshield/fnshield/ratelimit"
	"github.com/fnshield/fnshield/ratelimit/redisstore"
	"github.com/fnshield/fnshield/redact"
	"github.com/fnshield/fnshield/secrets"
	"github.com/fnshield/fnshield/validate"
)

// orderSchema is the JSON Schema of POST /orders bodies, compiled once at
// cold start.
//
//go:embed order.schema.json
var orderSchema []byte

func main() {
	// Lambda sends stdout to CloudWatch Logs.
	logger := slog.New(redact.NewHandler(slog.NewJSONHandler(os.Stdout, nil)))
	cfg, err := loadConfig(os.Getenv)
	if err != nil {
		logger.Error("function cannot start", "err", err)
		os.Exit(1)
	}
	handle, err := newHandler(context.Background(), cfg, logger, time.Now)
	if err != nil {
		// A cold start that cannot load the issuer's keys fails loudly:
		// Lambda reports the init error and tries again.
		logger.Error("function cannot start", "err", err)
		os.Exit(1)
	}
	lambda.Start(handle)
}

// handler is the shape of an HTTP API (payload 2.0) Lambda handler.
type handler = func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

// The routes of the orders API, as HTTP API route keys ("METHOD /path"):
// template.yaml declares the same two.
const (
	routePlaceOrder = "POST /orders"
	routeGetOrder   = "GET /orders/{id}"
)

// newHandler builds the function's dependencies and wraps the orders API in
// fnshield's guards; now stamps the orders placed. main and the tests share
// it.
func newHandler(ctx context.Context, cfg config, logger *slog.Logger, now func() time.Time) (handler, error) {
	v, err := auth.New(ctx,
		auth.WithIssuer(cfg.issuer), // discovery and keys are fetched now, once
		auth.WithAudience(cfg.audience),
		auth.WithLogger(logger), // denials with their reason, never the token
	)
	if err != nil {
		return nil, err
	}
	l, err := newLimiter(cfg, logger)
	if err != nil {
		return nil, err
	}
	s, err := validate.Compile(orderSchema,
		validate.WithMaxBytes(64<<10), // orders are small; larger bodies get a 413 unread
		validate.WithLogger(logger))   // rejected bodies by violation path, never their values
	if err != nil {
		return nil, err
	}
	a := &app{
		log:        logger,
		secrets:    secrets.New(cfg.secretsProvider()), // fetched on first use, then cached for 5 minutes
		secretName: cfg.secretName,
		now:        now,
	}
	// Only POST /orders has a body to validate; GET /orders/{id} has none,
	// so validate.Lambda wraps placeOrder alone.
	a.placeOrder = validate.Lambda(s, a.place)
	// Outermost first: an unauthenticated request costs one signature check
	// and never touches the limiter; the limit is counted per verified
	// subject, on every route; the route's handler runs last.
	return auth.Lambda(v,
		ratelimit.Lambda(l, a.route, ratelimit.WithKey(bySubject)),
		auth.RequireScopes(cfg.scopes...)), nil
}

// newLimiter builds the RATE_LIMIT limiter, its buckets in Redis when
// REDIS_ADDR is set (shared by every instance of the function), else in
// this instance's memory. When Redis fails, requests are let through
// (ratelimit's default fail-open policy) and the failure is logged.
func newLimiter(cfg config, logger *slog.Logger) (*ratelimit.Limiter, error) {
	opts := []ratelimit.Option{ratelimit.WithName("orders"), ratelimit.WithLogger(logger)}
	if cfg.redisAddr != "" {
		store, err := redisstore.New(redis.NewClient(&redis.Options{Addr: cfg.redisAddr}))
		if err != nil {
			return nil, err
		}
		opts = append(opts, ratelimit.WithStore(store))
	}
	return ratelimit.New(ratelimit.Limit{Rate: cfg.rate.count, Period: cfg.rate.period, Burst: cfg.rate.burst}, opts...)
}

// bySubject keys the rate limit by the token's subject, which auth.Lambda
// has verified and put in the context.
func bySubject(r ratelimit.Request) (string, error) {
	c, ok := auth.ClaimsFromContext(r.Context())
	if !ok || c.Subject == "" {
		return "", fmt.Errorf("%w: no verified subject", ratelimit.ErrNoKey)
	}
	return "sub:" + c.Subject, nil
}

// app holds what the handlers need, built once at cold start. Its methods
// are safe for concurrent use.
type app struct {
	log        *slog.Logger
	secrets    *secrets.Cache
	secretName string
	now        func() time.Time
	orders     orderBook // stands for the database
	placeOrder handler   // place behind validate.Lambda
}

// route sends a request that auth.Lambda and ratelimit.Lambda have admitted
// to its route's handler, by the route key API Gateway matched.
func (a *app) route(ctx context.Context, e events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	switch e.RouteKey {
	case routePlaceOrder:
		return a.placeOrder(ctx, e)
	case routeGetOrder:
		return a.getOrder(ctx, e)
	default:
		// A route added to the API but not here.
		return problem(http.StatusNotFound, "no such route"), nil
	}
}
