package auth_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/auth"
	"github.com/fnshield/fnshield/auth/authtest"
)

// These examples run against authtest, a local OpenID Connect issuer; in a
// test, authtest.NewIssuer(t) also closes it for you.

// newExampleIssuer starts a test issuer and a Verifier that finds its keys
// by OIDC discovery, as auth.WithIssuer does with a real issuer.
func newExampleIssuer() (*authtest.Issuer, *auth.Verifier) {
	iss, err := authtest.New(authtest.WithAudience("orders-api"))
	if err != nil {
		panic(err)
	}
	v, err := auth.New(context.Background(), auth.WithIssuer(iss.URL()), auth.WithAudience("orders-api"))
	if err != nil {
		panic(err)
	}
	return iss, v
}

func ExampleWithIssuer() {
	iss, err := authtest.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer iss.Close()

	// New fetches <issuer>/.well-known/openid-configuration, checks that it
	// names this issuer, and loads the JWK Set at its jwks_uri.
	v, err := auth.New(context.Background(),
		auth.WithIssuer(iss.URL()), // e.g. "https://login.example.com/"
		auth.WithAudience(iss.Audience()),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("discovery fetches:", iss.Requests(authtest.DiscoveryPath), "key set fetches:", iss.Requests(authtest.JWKSPath))

	c, err := v.Verify(context.Background(), iss.Mint(map[string]any{"sub": "user-1"}))
	fmt.Println(c.Subject, err)

	// A key the issuer does not publish verifies nothing.
	_, err = v.Verify(context.Background(), iss.MintWith(authtest.MintOptions{ForeignKey: true}))
	fmt.Println(errors.Is(err, auth.ErrBadSignature))
	// Output:
	// discovery fetches: 1 key set fetches: 1
	// user-1 <nil>
	// true
}

func ExampleWithCognito() {
	const (
		region = "eu-west-1"
		pool   = "eu-west-1_Example"
		issuer = "https://cognito-idp." + region + ".amazonaws.com/" + pool
	)
	// The test issuer serves the pool's keys at <server>/<pool>/.well-known/jwks.json,
	// as Cognito does; WithCognitoEndpoint points the verifier at it.
	iss, err := authtest.New(authtest.WithIssuerPath(pool))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer iss.Close()
	endpoint := strings.TrimSuffix(iss.URL(), "/"+pool)

	v, err := auth.New(context.Background(),
		auth.WithCognito(region, pool, "web-client"),
		auth.WithCognitoEndpoint(endpoint), // only for tests: Cognito's own endpoint is the default
	)
	if err != nil {
		fmt.Println(err)
		return
	}

	// Cognito access tokens carry client_id and no aud.
	access := iss.Mint(map[string]any{"iss": issuer, "aud": authtest.Omit, "sub": "user-1",
		"token_use": "access", "client_id": "web-client", "scope": "orders/read", "cognito:groups": []string{"staff"}})
	c, err := v.Verify(context.Background(), access)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Subject, c.TokenUse, c.ClientID, c.Scopes, c.Groups)

	other := iss.Mint(map[string]any{"iss": issuer, "aud": authtest.Omit, "token_use": "access", "client_id": "other-client"})
	_, err = v.Verify(context.Background(), other)
	fmt.Println(errors.Is(err, auth.ErrBadAudience))
	// Output:
	// user-1 access web-client [orders/read] [staff]
	// true
}

func ExampleRequestAuthorizer() {
	iss, v := newExampleIssuer()
	defer iss.Close()

	// In main: lambda.Start(auth.RequestAuthorizer(v, auth.RequireScopes("orders:read"))).
	authorize := auth.RequestAuthorizer(v, auth.RequireScopes("orders:read"))
	event := func(token string) events.APIGatewayCustomAuthorizerRequestTypeRequest {
		return events.APIGatewayCustomAuthorizerRequestTypeRequest{
			Type:       "REQUEST",
			MethodArn:  "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/orders",
			HTTPMethod: http.MethodGet,
			Path:       "/orders",
			Headers:    map[string]string{"Authorization": "Bearer " + token},
		}
	}

	resp, err := authorize(context.Background(), event(iss.Mint(map[string]any{"sub": "alice", "scope": "orders:read"})))
	fmt.Println(resp.PrincipalID, resp.PolicyDocument.Statement[0].Effect, err)

	resp, err = authorize(context.Background(), event(iss.Mint(map[string]any{"sub": "bob", "scope": "profile"})))
	fmt.Println(resp.PrincipalID, resp.PolicyDocument.Statement[0].Effect, err)

	_, err = authorize(context.Background(), event("not-a-token"))
	fmt.Println(err)
	// Output:
	// alice Allow <nil>
	// bob Deny <nil>
	// Unauthorized
}

func ExampleSimpleAuthorizer() {
	iss, v := newExampleIssuer()
	defer iss.Close()

	// In main: lambda.Start(auth.SimpleAuthorizer(v, auth.WithContextClaims("tenant"))).
	authorize := auth.SimpleAuthorizer(v, auth.WithContextClaims("tenant"))
	event := func(token string) events.APIGatewayV2CustomAuthorizerV2Request {
		return events.APIGatewayV2CustomAuthorizerV2Request{
			Type:     "REQUEST",
			RouteArn: "arn:aws:execute-api:eu-west-1:123456789012:abc123/$default/GET/orders",
			RawPath:  "/orders",
			Headers:  map[string]string{"authorization": "Bearer " + token},
		}
	}

	resp, err := authorize(context.Background(), event(iss.Mint(map[string]any{"sub": "alice", "tenant": "acme"})))
	fmt.Println(resp.IsAuthorized, resp.Context["sub"], resp.Context["tenant"], err)

	resp, err = authorize(context.Background(), event(iss.MintWith(authtest.MintOptions{Algorithm: "none"})))
	fmt.Println(resp.IsAuthorized, err)
	// Output:
	// true alice acme <nil>
	// false <nil>
}

func ExampleRequire() {
	iss, v := newExampleIssuer()
	defer iss.Close()

	// Require runs after the verification and RequireScopes: here, a
	// custom claim must name the tenant this service belongs to.
	sameTenant := auth.Require(func(c *auth.Claims) error {
		var custom struct {
			Tenant string `json:"tenant"`
		}
		if err := c.Decode(&custom); err != nil {
			return err
		}
		if custom.Tenant != "acme" {
			return errors.New("token for another tenant")
		}
		return nil
	})
	h := auth.Middleware(v, auth.RequireScopes("orders:read"), sameTenant)(http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))

	for _, tenant := range []string{"acme", "globex"} {
		r := httptest.NewRequest(http.MethodGet, "/orders", nil)
		r.Header.Set("Authorization", "Bearer "+iss.Mint(map[string]any{"sub": "alice", "scope": "orders:read", "tenant": tenant}))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(tenant, w.Code)
	}
	// Output:
	// acme 200
	// globex 403
}

func ExampleClaims_Decode() {
	iss, v := newExampleIssuer()
	defer iss.Close()

	token := iss.Mint(map[string]any{"sub": "alice", "tenant": "acme", "roles": []string{"buyer", "approver"}})
	c, err := v.Verify(context.Background(), token)
	if err != nil {
		fmt.Println(err)
		return
	}
	var custom struct {
		Tenant string   `json:"tenant"`
		Roles  []string `json:"roles"`
	}
	if err := c.Decode(&custom); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Subject, custom.Tenant, custom.Roles)

	// A claim of another type fails without quoting the payload.
	var wrong struct {
		Tenant int `json:"tenant"`
	}
	fmt.Println(c.Decode(&wrong))
	// Output:
	// alice acme [buyer approver]
	// auth: decode claims into *struct { Tenant int "json:\"tenant\"" }: payload does not fit the target type
}

func ExampleWithErrorHandler() {
	iss, v := newExampleIssuer()
	defer iss.Close()

	// The handler decides how rejections look; err is an *auth.Error whose
	// Status, Code and Description are safe to show.
	onError := func(w http.ResponseWriter, r *http.Request, err error) {
		var e *auth.Error
		if !errors.As(err, &e) {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(e.Status)
		fmt.Fprintf(w, "denied (%s): %s", e.Code, e.Description)
	}
	h := auth.Middleware(v, auth.RequireScopes("orders:write"), auth.WithErrorHandler(onError))(http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))

	for _, token := range []string{
		iss.Mint(map[string]any{"sub": "alice", "scope": "orders:write"}),
		iss.Mint(map[string]any{"sub": "bob", "scope": "orders:read"}),
		iss.Mint(map[string]any{"sub": "eve", "exp": 1}),
	} {
		r := httptest.NewRequest(http.MethodPost, "/orders", nil)
		r.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(w.Code, w.Body)
	}
	// Output:
	// 200 ok
	// 403 denied (insufficient_scope): the token lacks a required scope
	// 401 denied (invalid_token): the token has expired
}
