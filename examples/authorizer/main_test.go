package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/auth"
	"github.com/fnshield/fnshield/auth/authtest"
)

func TestLoadConfig(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    config
		wantErr bool
	}{
		{
			name: "token authorizer by default",
			env:  map[string]string{"ISSUER_URL": "https://issuer.example", "AUDIENCE": "orders-api"},
			want: config{issuer: "https://issuer.example", audience: "orders-api", kind: "TOKEN"},
		},
		{
			name: "request authorizer with scopes and context claims",
			env: map[string]string{"ISSUER_URL": "https://issuer.example", "AUDIENCE": "orders-api",
				"AUTHORIZER_TYPE": " request ", "REQUIRED_SCOPE": "orders:read  orders:write", "CONTEXT_CLAIMS": "tenant, ,plan"},
			want: config{issuer: "https://issuer.example", audience: "orders-api", kind: "REQUEST",
				scopes: []string{"orders:read", "orders:write"}, contextClaims: []string{"tenant", "plan"}},
		},
		{name: "no issuer", env: map[string]string{"AUDIENCE": "orders-api"}, wantErr: true},
		{name: "no audience", env: map[string]string{"ISSUER_URL": "https://issuer.example"}, wantErr: true},
		{name: "unknown type", env: map[string]string{"ISSUER_URL": "https://issuer.example", "AUDIENCE": "a", "AUTHORIZER_TYPE": "JWT"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := loadConfig(func(k string) string { return tt.env[k] })
			if tt.wantErr {
				if !errors.Is(err, errConfig) {
					t.Fatalf("err = %v, want errConfig", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("config = %+v, want %+v", got, tt.want)
			}
		})
	}
}

const methodARN = "arn:aws:execute-api:eu-west-3:123456789012:abcdef1234/prod/GET/orders"

// TestAuthorizers runs both authorizer types, as main wires them, against a
// local issuer.
func TestAuthorizers(t *testing.T) {
	iss := authtest.NewIssuer(t)
	cfg, err := loadConfig(func(k string) string {
		return map[string]string{"ISSUER_URL": iss.URL(), "AUDIENCE": "orders-api",
			"REQUIRED_SCOPE": "orders:read", "CONTEXT_CLAIMS": "tenant"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	v, err := cfg.verifier(context.Background(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	tokenAuth := auth.TokenAuthorizer(v, cfg.options()...)
	requestAuth := auth.RequestAuthorizer(v, cfg.options()...)
	invoke := map[string]func(token string) (events.APIGatewayCustomAuthorizerResponse, error){
		"TOKEN": func(token string) (events.APIGatewayCustomAuthorizerResponse, error) {
			return tokenAuth(context.Background(), events.APIGatewayCustomAuthorizerRequest{
				Type: "TOKEN", AuthorizationToken: "Bearer " + token, MethodArn: methodARN})
		},
		"REQUEST": func(token string) (events.APIGatewayCustomAuthorizerResponse, error) {
			return requestAuth(context.Background(), events.APIGatewayCustomAuthorizerRequestTypeRequest{
				Type: "REQUEST", MethodArn: methodARN, HTTPMethod: "GET", Path: "/orders",
				Headers: map[string]string{"Authorization": "Bearer " + token}})
		},
	}
	good := iss.Mint(map[string]any{"sub": "user-7", "aud": "orders-api", "scope": "orders:read", "tenant": "acme"})
	tests := []struct {
		name, token string
		effect      string // "" when the authorizer must answer Unauthorized
	}{
		{"good token", good, "Allow"},
		{"missing scope", iss.Mint(map[string]any{"sub": "user-7", "aud": "orders-api", "scope": "orders:list"}), "Deny"},
		{"wrong audience", iss.Mint(map[string]any{"sub": "user-7", "aud": "billing", "scope": "orders:read"}), ""},
		{"forged", iss.MintWith(authtest.MintOptions{Claims: map[string]any{"sub": "user-7", "aud": "orders-api", "scope": "orders:read"}, ForeignKey: true}), ""},
		{"garbage", "not-a-token", ""},
	}
	for kind, call := range invoke {
		for _, tt := range tests {
			t.Run(kind+"/"+tt.name, func(t *testing.T) {
				resp, err := call(tt.token)
				if tt.effect == "" {
					if err == nil || err.Error() != "Unauthorized" {
						t.Fatalf("err = %v, want Unauthorized", err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if got := resp.PolicyDocument.Statement[0].Effect; got != tt.effect {
					t.Fatalf("effect = %s, want %s", got, tt.effect)
				}
				if tt.effect == "Allow" {
					if resp.PrincipalID != "user-7" || resp.Context["tenant"] != "acme" || resp.Context["scope"] != "orders:read" {
						t.Errorf("principal %q, context %v: want user-7 with tenant and scope", resp.PrincipalID, resp.Context)
					}
				}
			})
		}
	}
}

// Example shows the configuration main reads from the function's environment.
func Example() {
	env := map[string]string{"ISSUER_URL": "https://issuer.example", "AUDIENCE": "orders-api", "REQUIRED_SCOPE": "orders:read"}
	cfg, err := loadConfig(func(k string) string { return env[k] })
	fmt.Println(cfg.kind, cfg.scopes, err)
	_, err = loadConfig(func(string) string { return "" })
	fmt.Println(err)
	// Output:
	// TOKEN [orders:read] <nil>
	// invalid configuration: ISSUER_URL is required
}
