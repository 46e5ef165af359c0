// Command lambda-httpapi is a template for an AWS Lambda function behind an
// API Gateway HTTP API (payload format 2.0), guarded by fnshield: bearer
// tokens verified against an OpenID Connect issuer, a scope required, logs
// redacted, and the database password read through a secrets cache.
//
// Everything is built once, at cold start; the handler does no set-up work.
// Configuration comes from the function's environment:
//
//	OIDC_ISSUER     issuer URL; keys are found by OIDC discovery (required)
//	OIDC_AUDIENCE   accepted audience (default "orders-api")
//	ORDERS_SCOPE    scope required to place an order (default "orders:write")
//	APP_DB          secret read by secrets.Env("APP_"), e.g. {"password":"..."}
//
// Copy it, replace placeOrder, and swap secrets.Env for secrets/awssm or
// secrets/extension in production.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/fnshield/fnshield/auth"
	"github.com/fnshield/fnshield/redact"
	"github.com/fnshield/fnshield/secrets"
)

type app struct {
	log     *slog.Logger
	secrets *secrets.Cache
}

// order is the request body.
type order struct {
	SKU      string `json:"sku"`
	Quantity int    `json:"quantity"`
	Email    string `json:"email"`
}

func (a *app) placeOrder(ctx context.Context, e events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	var o order
	if err := json.Unmarshal([]byte(e.Body), &o); err != nil || o.SKU == "" || o.Quantity < 1 {
		return jsonResponse(http.StatusBadRequest, `{"error":"body must be {\"sku\":string,\"quantity\":>=1}"}`), nil
	}
	var db struct {
		Password string `json:"password"`
	}
	if err := a.secrets.GetJSON(ctx, "db", &db); err != nil {
		a.log.ErrorContext(ctx, "database secret unavailable", "err", err)
		return jsonResponse(http.StatusServiceUnavailable, `{"error":"try again later"}`), nil
	}
	c, _ := auth.ClaimsFromContext(ctx)
	// Whatever ends up in this line, redact.NewHandler keeps secrets and
	// personal data out of CloudWatch.
	a.log.InfoContext(ctx, "order placed",
		"subject", c.Subject, "sku", o.SKU, "quantity", o.Quantity,
		"email", o.Email, "db_password", db.Password, "body", e.Body)
	return jsonResponse(http.StatusCreated, fmt.Sprintf(`{"order":"ord-%s-%d","placedBy":%q}`, o.SKU, o.Quantity, c.Subject)), nil
}

func jsonResponse(status int, body string) events.APIGatewayV2HTTPResponse {
	return events.APIGatewayV2HTTPResponse{
		StatusCode: status,
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       body,
	}
}

func getenv(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func main() {
	ctx := context.Background()
	logger := slog.New(redact.NewHandler(slog.NewJSONHandler(os.Stdout, nil)))
	v, err := auth.New(ctx,
		auth.WithIssuer(os.Getenv("OIDC_ISSUER")),
		auth.WithAudience(getenv("OIDC_AUDIENCE", "orders-api")),
		auth.WithLogger(logger),
	)
	if err != nil {
		// A cold start that cannot load keys must fail loudly: Lambda
		// reports the init error and retries.
		logger.Error("auth set-up failed", "err", err)
		os.Exit(1)
	}
	a := &app{log: logger, secrets: secrets.New(secrets.Env("APP_"))}
	lambda.Start(auth.Lambda(v, a.placeOrder, auth.RequireScopes(getenv("ORDERS_SCOPE", "orders:write"))))
}
