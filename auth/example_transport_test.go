package auth_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/auth"
	"github.com/fnshield/fnshield/auth/authtest"
)

// exampleVerifier starts a test issuer and a Verifier that trusts its keys.
// In production, use auth.WithIssuer with the issuer's URL instead.
func exampleVerifier() (*authtest.Issuer, *auth.Verifier) {
	iss, err := authtest.New()
	if err != nil {
		panic(err)
	}
	v, err := auth.New(context.Background(),
		auth.WithIssuerKeys(iss.URL(), iss.Keys()),
		auth.WithAudience("orders-api"),
	)
	if err != nil {
		panic(err)
	}
	return iss, v
}

func ExampleMiddleware() {
	iss, v := exampleVerifier()
	defer iss.Close()

	orders := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _ := auth.ClaimsFromContext(r.Context())
		fmt.Fprintf(w, "orders for %s", c.Subject)
	})
	h := auth.Middleware(v, auth.RequireScopes("orders:read"))(orders)

	for _, token := range []string{
		iss.Mint(map[string]any{"sub": "alice", "aud": "orders-api", "scope": "orders:read"}),
		iss.Mint(map[string]any{"sub": "bob", "aud": "orders-api", "scope": "profile"}),
		"",
	} {
		r := httptest.NewRequest(http.MethodGet, "/orders", nil)
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code == http.StatusOK {
			fmt.Println(w.Code, w.Body)
		} else {
			fmt.Println(w.Code, w.Header().Get("WWW-Authenticate"))
		}
	}
	// Output:
	// 200 orders for alice
	// 403 Bearer realm="fnshield", error="insufficient_scope", error_description="the token lacks a required scope", scope="orders:read"
	// 401 Bearer realm="fnshield"
}

func ExampleLambda() {
	iss, v := exampleVerifier()
	defer iss.Close()

	handle := func(ctx context.Context, e events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		c, _ := auth.ClaimsFromContext(ctx)
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: "hello " + c.Subject}, nil
	}
	// In main: lambda.Start(auth.Lambda(v, handle)).
	h := auth.Lambda(v, handle)

	e := events.APIGatewayV2HTTPRequest{RawPath: "/", Headers: map[string]string{
		"authorization": "Bearer " + iss.Mint(map[string]any{"sub": "alice", "aud": "orders-api"}),
	}}
	resp, _ := h(context.Background(), e)
	fmt.Println(resp.StatusCode, resp.Body)

	resp, _ = h(context.Background(), events.APIGatewayV2HTTPRequest{RawPath: "/"})
	fmt.Println(resp.StatusCode, resp.Headers["Content-Type"])
	// Output:
	// 200 hello alice
	// 401 application/problem+json
}

func ExampleTokenAuthorizer() {
	iss, v := exampleVerifier()
	defer iss.Close()

	// In main: lambda.Start(auth.TokenAuthorizer(v, auth.AllowWholeStage())).
	authorize := auth.TokenAuthorizer(v, auth.AllowWholeStage())
	resp, err := authorize(context.Background(), events.APIGatewayCustomAuthorizerRequest{
		Type:               "TOKEN",
		AuthorizationToken: "Bearer " + iss.Mint(map[string]any{"sub": "alice", "aud": "orders-api"}),
		MethodArn:          "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/orders",
	})
	fmt.Println(resp.PrincipalID, resp.PolicyDocument.Statement[0].Effect, resp.PolicyDocument.Statement[0].Resource[0], err)

	_, err = authorize(context.Background(), events.APIGatewayCustomAuthorizerRequest{
		AuthorizationToken: "Bearer not.a.token",
		MethodArn:          "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/orders",
	})
	fmt.Println(err)
	// Output:
	// alice Allow arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/* <nil>
	// Unauthorized
}
