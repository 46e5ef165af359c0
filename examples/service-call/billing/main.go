// Command billing is the callee of a function-to-function call: a Lambda
// function behind a Function URL that charges an order for whoever may
// call it, and checks who that is.
//
// AUTH_MODE chooses how callers prove who they are:
//
//   - iam (default): the Function URL uses AuthType AWS_IAM, so AWS has
//     verified the caller's SigV4 signature before the function runs;
//     auth.IAMLambda admits only the roles in ALLOWED_CALLERS
//     (comma-separated role ARNs or account IDs), and answers 401 when the
//     event carries no IAM caller (the URL was deployed without IAM auth).
//   - oauth: the caller sends a short-lived OAuth access token from the
//     client-credentials grant; auth.Lambda verifies it against ISSUER_URL,
//     AUDIENCE and REQUIRED_SCOPE.
//
// Logs go through the redacting slog handler: no token or key reaches them.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/fnshield/fnshield/auth"
	"github.com/fnshield/fnshield/redact"
)

type handler = func(context.Context, events.LambdaFunctionURLRequest) (events.LambdaFunctionURLResponse, error)

func main() {
	logger := slog.New(redact.NewHandler(slog.NewJSONHandler(os.Stdout, nil)))
	h, err := newHandler(context.Background(), os.Getenv, logger)
	if err != nil {
		logger.Error("billing: configuration", "err", err)
		os.Exit(1)
	}
	lambda.Start(h)
}

// newHandler wraps charge according to the environment. A malformed
// ALLOWED_CALLERS entry, which auth.RequireCaller refuses with a panic, is
// returned as an error.
func newHandler(ctx context.Context, getenv func(string) string, logger *slog.Logger) (h handler, err error) {
	defer func() {
		if r := recover(); r != nil {
			h, err = nil, fmt.Errorf("ALLOWED_CALLERS: %v", r)
		}
	}()
	charge := chargeHandler(logger)
	switch mode := getenv("AUTH_MODE"); mode {
	case "", "iam":
		callers := splitList(getenv("ALLOWED_CALLERS"))
		if len(callers) == 0 {
			return nil, fmt.Errorf("ALLOWED_CALLERS is empty: name the role ARNs that may call billing")
		}
		return auth.IAMLambda(charge, auth.RequireCaller(callers...), auth.WithCallerLogger(logger)), nil
	case "oauth":
		v, err := auth.New(ctx, auth.WithIssuer(getenv("ISSUER_URL")), auth.WithAudience(getenv("AUDIENCE")), auth.WithLogger(logger))
		if err != nil {
			return nil, err
		}
		return auth.Lambda(v, charge, auth.RequireScopes(splitList(getenv("REQUIRED_SCOPE"))...)), nil
	default:
		return nil, fmt.Errorf("AUTH_MODE %q: want iam or oauth", mode)
	}
}

// chargeHandler is the business logic: it knows the caller from the
// context, whichever mode admitted it.
func chargeHandler(logger *slog.Logger) handler {
	return func(ctx context.Context, e events.LambdaFunctionURLRequest) (events.LambdaFunctionURLResponse, error) {
		who := "unknown"
		if c, ok := auth.CallerFromContext(ctx); ok {
			who = c.ARN
			if c.Role != "" {
				who = "role/" + c.Role
			}
		} else if c, ok := auth.ClaimsFromContext(ctx); ok {
			who = "client/" + c.ClientID
		}
		logger.InfoContext(ctx, "charge", "caller", who)
		body, _ := json.Marshal(map[string]any{"charged": true, "caller": who})
		return events.LambdaFunctionURLResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "application/json"}, Body: string(body)}, nil
	}
}

// splitList splits a comma- or space-separated list.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}
