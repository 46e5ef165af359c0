// Command orders is the caller of a function-to-function call: invoked
// with an order, it asks the billing function to charge it over HTTPS.
//
// CALL_MODE chooses the credentials it attaches:
//
//   - iam (default): the request is signed with SigV4 using the function's
//     own execution role (the short-lived AWS_ACCESS_KEY_ID,
//     AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN Lambda provides), for a
//     Function URL with AuthType AWS_IAM. The service and region come from
//     the URL's host; SIGNING_SERVICE and AWS_REGION set them for a custom
//     domain.
//   - oauth: an access token from the client-credentials grant at
//     TOKEN_URL, for CLIENT_ID, with the client secret CLIENT_SECRET_NAME
//     read through the secrets cache (SECRETS_SOURCE extension, the
//     default, or env for local runs), cached until a minute before it
//     expires.
//
// BILLING_URL is the billing function's URL.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/fnshield/fnshield/auth/awsiam"
	"github.com/fnshield/fnshield/auth/clientcred"
	"github.com/fnshield/fnshield/redact"
	"github.com/fnshield/fnshield/secrets"
	"github.com/fnshield/fnshield/secrets/extension"
)

// localSecretPrefix is where SECRETS_SOURCE=env reads secrets from:
// CLIENT_SECRET_NAME=billing-client is read from LOCAL_SECRET_BILLING_CLIENT.
const localSecretPrefix = "LOCAL_SECRET_"

// Order is the event the function is invoked with.
type Order struct {
	ID     string `json:"id"`
	Amount int    `json:"amount"`
}

// Result is what the function returns.
type Result struct {
	Status int             `json:"status"`
	Reply  json.RawMessage `json:"reply,omitempty"`
}

func main() {
	logger := slog.New(redact.NewHandler(slog.NewJSONHandler(os.Stdout, nil)))
	client, err := newClient(os.Getenv)
	if err != nil {
		logger.Error("orders: configuration", "err", err)
		os.Exit(1)
	}
	lambda.Start(charger(client, os.Getenv("BILLING_URL"), logger))
}

// newClient builds the HTTP client that attaches the caller's credentials.
func newClient(getenv func(string) string) (*http.Client, error) {
	var rt http.RoundTripper
	switch mode := getenv("CALL_MODE"); mode {
	case "", "iam":
		creds := credentials.NewStaticCredentialsProvider(getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY"), getenv("AWS_SESSION_TOKEN"))
		var opts []awsiam.Option
		if s := getenv("SIGNING_SERVICE"); s != "" {
			opts = append(opts, awsiam.WithService(s), awsiam.WithRegion(getenv("AWS_REGION")))
		}
		t, err := awsiam.New(creds, opts...)
		if err != nil {
			return nil, err
		}
		rt = t
	case "oauth":
		var p secrets.Provider = extension.New()
		if getenv("SECRETS_SOURCE") == "env" {
			p = secrets.Env(localSecretPrefix)
		}
		cache := secrets.New(p)
		name := getenv("CLIENT_SECRET_NAME")
		src, err := clientcred.New(clientcred.Config{
			ClientID: getenv("CLIENT_ID"),
			Secret:   func(ctx context.Context) (secrets.Value, error) { return cache.Get(ctx, name) },
			TokenURL: getenv("TOKEN_URL"),
			Scopes:   strings.Fields(getenv("SCOPES")),
		})
		if err != nil {
			return nil, err
		}
		rt = src.Transport(nil)
	default:
		return nil, fmt.Errorf("CALL_MODE %q: want iam or oauth", mode)
	}
	return &http.Client{Transport: rt, Timeout: 10 * time.Second}, nil
}

// charger asks billing to charge each order.
func charger(client *http.Client, billingURL string, logger *slog.Logger) func(context.Context, Order) (Result, error) {
	return func(ctx context.Context, o Order) (Result, error) {
		body, _ := json.Marshal(o)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(billingURL, "/")+"/charge", strings.NewReader(string(body)))
		if err != nil {
			return Result{}, err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			logger.ErrorContext(ctx, "billing call failed", "order", o.ID, "err", err)
			return Result{}, fmt.Errorf("billing call failed")
		}
		defer resp.Body.Close()
		reply, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		logger.InfoContext(ctx, "billing answered", "order", o.ID, "status", resp.StatusCode)
		r := Result{Status: resp.StatusCode}
		if json.Valid(reply) {
			r.Reply = reply
		}
		return r, nil
	}
}
