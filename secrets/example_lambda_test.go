package secrets_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/fnshield/fnshield/secrets"
	"github.com/fnshield/fnshield/secrets/awssm"
)

// app is what a function builds once, at cold start, and shares between
// invocations.
type app struct {
	secrets *secrets.Cache
}

// newApp builds the app from cfg, which comes from
// config.LoadDefaultConfig(ctx) in main.
func newApp(cfg aws.Config) *app {
	return &app{secrets: secrets.New(awssm.NewFromConfig(cfg), secrets.WithTTL(10*time.Minute))}
}

// handle is the Lambda handler: it reads the database credentials from the
// cache (one fetch per TTL, not per invocation).
func (a *app) handle(ctx context.Context, e events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	var db struct {
		Username string
		Password secrets.Value // prints as [REDACTED]; Reveal when dialling
	}
	if err := a.secrets.GetJSON(ctx, "prod/db", &db); err != nil {
		return events.APIGatewayV2HTTPResponse{StatusCode: 500}, err
	}
	return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: fmt.Sprintf("connected as %s with %v", db.Username, db.Password)}, nil
}

// Example_lambda is the wiring of the package documentation, run against a
// stand-in for Secrets Manager on a loopback port.
func Example_lambda() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if !strings.Contains(string(body), `"SecretId":"prod/db"`) {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"__type":"ResourceNotFoundException","message":"not found"}`)
			return
		}
		fmt.Fprint(w, `{"Name":"prod/db","SecretString":"{\"Username\":\"orders\",\"Password\":\"correct horse\"}"}`)
	}))
	defer srv.Close()
	cfg := aws.Config{ // in main: cfg, err := config.LoadDefaultConfig(ctx)
		Region:       "eu-west-3",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "example-key", ""),
		BaseEndpoint: aws.String(srv.URL),
	}

	a := newApp(cfg) // in main: lambda.Start(newApp(cfg).handle)
	resp, err := a.handle(context.Background(), events.APIGatewayV2HTTPRequest{})
	fmt.Println(resp.StatusCode, resp.Body, err)
	// Output:
	// 200 connected as orders with [REDACTED] <nil>
}

// ExampleRoute serves secrets from several sources through one cache.
func ExampleRoute() {
	router, err := secrets.Route(map[string]secrets.Provider{
		// In a function: "sm:": awssm.NewFromConfig(cfg), "ssm:": ssm.NewFromConfig(cfg).
		"sm:":  secrets.Static(map[string]string{"prod/db": `{"password":"correct horse"}`}),
		"ssm:": secrets.Static(map[string]string{"/prod/region": "eu-west-3"}),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	cache := secrets.New(router, secrets.WithTTL(5*time.Minute))
	ctx := context.Background()

	region, err := cache.Get(ctx, "ssm:/prod/region")
	fmt.Println(region.Reveal(), err)

	pw, err := cache.GetField(ctx, "sm:prod/db", "password")
	fmt.Println(pw, len(pw.Reveal()), err)

	_, err = cache.Get(ctx, "vault:prod/db")
	fmt.Println(err)
	// Output:
	// eu-west-3 <nil>
	// [REDACTED] 13 <nil>
	// secrets: get "vault:prod/db": secrets: invalid secret name: no provider for its prefix
}
