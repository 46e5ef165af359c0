// Command lambda-httpapi is a template for an AWS Lambda function behind an
// API Gateway HTTP API (payload format 2.0), guarded by fnshield:
//
//   - auth.Lambda admits only requests with a valid bearer token from the
//     configured OpenID Connect issuer that carries the required scope
//     (401 and 403 otherwise, with RFC 6750 challenges);
//   - ratelimit.Lambda limits each caller (the token's subject) to
//     RATE_LIMIT, shared through Redis when REDIS_ADDR is set (429 with
//     Retry-After once spent);
//   - validate.Lambda admits only bodies that order.schema.json accepts
//     (400 otherwise, listing the violations without echoing any value);
//   - logs go to stdout (CloudWatch) as JSON through redact.NewHandler, so
//     the order's email and card number never reach them;
//   - the database credentials come from a secrets.Cache, never from a plain
//     environment variable.
//
// Everything is built once, at cold start; the handler does no set-up work.
// Configuration comes from the environment only: README.md lists every
// variable. Copy this folder, replace placeOrder's body, and deploy it with
// template.yaml.
package main

import (
	"context"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync/atomic"

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
	handle, err := newHandler(context.Background(), cfg, logger)
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

// newHandler builds the function's dependencies and wraps placeOrder in
// fnshield's guards. main and the tests share it.
func newHandler(ctx context.Context, cfg config, logger *slog.Logger) (handler, error) {
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
	}
	// Outermost first: an unauthenticated request costs one signature check
	// and never touches the limiter; the limit is counted per verified
	// subject; the body is validated last, just before the handler.
	return auth.Lambda(v,
		ratelimit.Lambda(l,
			validate.Lambda(s, a.placeOrder),
			ratelimit.WithKey(bySubject)),
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

// app holds what the handler needs, built once at cold start.
type app struct {
	log        *slog.Logger
	secrets    *secrets.Cache
	secretName string
	placed     atomic.Int64 // orders placed by this instance; stands for the database
}

// order is the request body of POST /orders.
type order struct {
	SKU        string `json:"sku"`
	Quantity   int    `json:"quantity"`
	Email      string `json:"email"`
	CardNumber string `json:"card_number"`
}

// dbCredentials is the JSON secret SECRET_NAME names, in the shape Secrets
// Manager's database secrets have.
type dbCredentials struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Host     string `json:"host"`
}

// placeOrder handles POST /orders for a caller whose token auth.Lambda has
// verified, with a body validate.Lambda has checked against orderSchema.
func (a *app) placeOrder(ctx context.Context, e events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	body := []byte(e.Body)
	if e.IsBase64Encoded {
		var err error
		if body, err = base64.StdEncoding.DecodeString(e.Body); err != nil {
			return problem(http.StatusBadRequest, "the body is not valid base64"), nil
		}
	}
	var o order
	if err := json.Unmarshal(body, &o); err != nil {
		// Unreachable behind validate.Lambda, kept for a handler used alone.
		return problem(http.StatusBadRequest, "the body is not an order"), nil
	}
	// The whole order is logged on purpose: the redacting handler replaces
	// the email and card number, whatever the attribute names.
	a.log.InfoContext(ctx, "order received", "order", o)

	var db dbCredentials
	if err := a.secrets.GetJSON(ctx, a.secretName, &db); err != nil || db.Password == "" {
		if err == nil {
			err = errors.New("the secret has no password")
		}
		a.log.ErrorContext(ctx, "database credentials unavailable", "err", err)
		return problem(http.StatusServiceUnavailable, "orders cannot be placed right now"), nil
	}
	// Open your database client with db here (once, and keep it in app);
	// this template counts orders instead.
	id := fmt.Sprintf("ord-%d", a.placed.Add(1))
	c, _ := auth.ClaimsFromContext(ctx)
	a.log.InfoContext(ctx, "order placed", "id", id, "subject", c.Subject, "sku", o.SKU, "quantity", o.Quantity)
	resp := jsonResponse(http.StatusCreated, map[string]any{"id": id, "placedBy": c.Subject, "sku": o.SKU, "quantity": o.Quantity})
	resp.Headers["Location"] = "/orders/" + id
	return resp, nil
}

func jsonResponse(status int, v any) events.APIGatewayV2HTTPResponse {
	body, err := json.Marshal(v)
	if err != nil {
		return problem(http.StatusInternalServerError, "the response could not be encoded")
	}
	return events.APIGatewayV2HTTPResponse{
		StatusCode: status,
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       string(body),
	}
}

// problem is an RFC 9457 problem response, like the ones fnshield's guards
// send. detail is fixed text: never echo the request.
func problem(status int, detail string) events.APIGatewayV2HTTPResponse {
	body, _ := json.Marshal(map[string]any{
		"type": "about:blank", "title": http.StatusText(status), "status": status, "detail": detail,
	})
	return events.APIGatewayV2HTTPResponse{
		StatusCode: status,
		Headers:    map[string]string{"Content-Type": "application/problem+json"},
		Body:       string(body),
	}
}
