// Package chainbench measures what fnshield adds to a Lambda invocation:
// an API Gateway HTTP API (payload 2.0) event through
//
//	auth.Lambda(v, ratelimit.Lambda(l, validate.Lambda(s, handle)))
//
// with handle logging through a redacting slog handler, against the same
// handler unwrapped, logging through the plain handler.
//
// Both handlers log one line and answer 201; the guarded one also finds the
// verified claims in its context. The limit is generous, so that every
// request is allowed and the chain runs to the end.
package chainbench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/auth"
	"github.com/fnshield/fnshield/auth/authtest"
	"github.com/fnshield/fnshield/bench/validatebench"
	"github.com/fnshield/fnshield/ratelimit"
	"github.com/fnshield/fnshield/redact"
	"github.com/fnshield/fnshield/validate"
)

// Implementation names, as they appear in benchmark names and RESULTS.md.
const (
	Fnshield = "fnshield"
	Bare     = "bare"
)

// Audience is the audience the guarded handler's verifier requires.
const Audience = "orders-api"

// Handler is the shape every wrapped and unwrapped handler has here.
type Handler = func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

// Setup is a test issuer, a token it minted, and the two handlers.
type Setup struct {
	Issuer  *authtest.Issuer
	Token   string
	Bare    Handler
	Guarded Handler
}

// Close stops the issuer.
func (s *Setup) Close() { s.Issuer.Close() }

// handler returns the application's handler, logging to logger.
func handler(logger *slog.Logger) Handler {
	return func(ctx context.Context, e events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		subject := "anonymous"
		if c, ok := auth.ClaimsFromContext(ctx); ok {
			subject = c.Subject
		}
		logger.LogAttrs(ctx, slog.LevelInfo, "order accepted",
			slog.String("request_id", e.RequestContext.RequestID),
			slog.String("route", e.RouteKey),
			slog.String("subject", subject),
			slog.String("customer_email", "jane.doe@example.com"),
			slog.Int("bytes", len(e.Body)),
		)
		return events.APIGatewayV2HTTPResponse{
			StatusCode: 201,
			Headers:    map[string]string{"Content-Type": "application/json"},
			Body:       `{"status":"accepted"}`,
		}, nil
	}
}

// NewSetup builds the issuer and both handlers, which log JSON lines to
// bareLog and guardedLog. tokenCache is the verifier's WithTokenCache size:
// 0 makes every request pay the signature check, as a client's first
// request does.
func NewSetup(tokenCache int, bareLog, guardedLog io.Writer) (*Setup, error) {
	iss, err := authtest.New(authtest.WithAlgorithm("ES256"))
	if err != nil {
		return nil, err
	}
	v, err := auth.New(context.Background(),
		auth.WithIssuer(iss.URL()),
		auth.WithHTTPClient(iss.Client()),
		auth.WithAudience(Audience),
		auth.WithTokenCache(tokenCache),
	)
	if err != nil {
		iss.Close()
		return nil, err
	}
	l, err := ratelimit.New(ratelimit.Limit{Rate: 1_000_000, Period: time.Second})
	if err != nil {
		iss.Close()
		return nil, err
	}
	s, err := validate.Compile([]byte(validatebench.Schema))
	if err != nil {
		iss.Close()
		return nil, err
	}
	plain := slog.New(slog.NewJSONHandler(bareLog, nil))
	redacted := slog.New(redact.NewHandler(slog.NewJSONHandler(guardedLog, nil)))
	return &Setup{
		Issuer: iss,
		Token: iss.Mint(map[string]any{
			"sub": "user-123456", "aud": Audience, "scope": "orders:write", "client_id": "web-app",
		}),
		Bare: handler(plain),
		Guarded: auth.Lambda(v,
			ratelimit.Lambda(l,
				validate.Lambda(s, handler(redacted))),
			auth.RequireScopes("orders:write")),
	}, nil
}

// Event returns an HTTP API event carrying token and body, as API Gateway
// sends a POST /orders.
func Event(token, body string) events.APIGatewayV2HTTPRequest {
	return events.APIGatewayV2HTTPRequest{
		Version:        "2.0",
		RouteKey:       "POST /orders",
		RawPath:        "/orders",
		RawQueryString: "",
		Headers: map[string]string{
			"accept":          "application/json",
			"authorization":   "Bearer " + token,
			"content-length":  fmt.Sprint(len(body)),
			"content-type":    "application/json",
			"host":            "abc123.execute-api.eu-west-1.amazonaws.com",
			"user-agent":      "orders-client/1.4",
			"x-amzn-trace-id": "Root=1-5f84c7a9-0c8b0a3b5e8e8c6d3f2a1b0c",
		},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:   "POST /orders",
			AccountID:  "123456789012",
			Stage:      "$default",
			RequestID:  "JKJaXmPLvHcESHA=",
			APIID:      "abc123",
			DomainName: "abc123.execute-api.eu-west-1.amazonaws.com",
			Time:       "07/Dec/2026:09:00:00 +0000",
			TimeEpoch:  1796634000000,
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method:    "POST",
				Path:      "/orders",
				Protocol:  "HTTP/1.1",
				SourceIP:  "203.0.113.7",
				UserAgent: "orders-client/1.4",
			},
		},
		Body: body,
	}
}
