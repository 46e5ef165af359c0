package e2e

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/auth/authtest"
)

// TestAuthorizer runs examples/authorizer as a TOKEN and as a REQUEST
// authorizer, the way API Gateway calls it.
func TestAuthorizer(t *testing.T) {
	bin := bootstrap(t, "authorizer")
	iss := authtest.NewIssuer(t)
	const arn = "arn:aws:execute-api:eu-west-3:123456789012:abcdef1234/prod/GET/orders"
	good := iss.Mint(map[string]any{"sub": "user-7", "aud": "orders-api", "scope": "orders:read", "tenant": "acme"})
	noScope := iss.Mint(map[string]any{"sub": "user-7", "aud": "orders-api", "scope": "profile"})
	forged := iss.MintWith(authtest.MintOptions{ForeignKey: true,
		Claims: map[string]any{"sub": "user-7", "aud": "orders-api", "scope": "orders:read"}})
	expired := iss.Mint(map[string]any{"sub": "user-7", "aud": "orders-api", "scope": "orders:read", "exp": 1_000_000_000})

	events := map[string]func(header string) any{
		"TOKEN": func(header string) any {
			return events.APIGatewayCustomAuthorizerRequest{Type: "TOKEN", AuthorizationToken: header, MethodArn: arn}
		},
		"REQUEST": func(header string) any {
			e := events.APIGatewayCustomAuthorizerRequestTypeRequest{Type: "REQUEST", MethodArn: arn,
				Resource: "/orders", Path: "/orders", HTTPMethod: "GET", Headers: map[string]string{}}
			if header != "" {
				e.Headers["Authorization"] = header
			}
			return e
		},
	}
	tests := []struct {
		name, header string
		effect       string // Allow, Deny, or "" for the error Unauthorized
	}{
		{"good token", "Bearer " + good, "Allow"},
		{"missing scope", "Bearer " + noScope, "Deny"},
		{"forged token", "Bearer " + forged, ""},
		{"expired token", "Bearer " + expired, ""},
		{"no token", "", ""},
		{"not a bearer token", "Basic dXNlcjpwYXNz", ""},
	}
	for kind, event := range events {
		t.Run(kind, func(t *testing.T) {
			fn := startFunction(t, bin, "ISSUER_URL="+iss.URL(), "AUDIENCE=orders-api",
				"REQUIRED_SCOPE=orders:read", "AUTHORIZER_TYPE="+kind, "CONTEXT_CLAIMS=tenant")
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					raw := fn.invoke(t, event(tt.header))
					if tt.effect == "" {
						var e lambdaError
						if err := json.Unmarshal(raw, &e); err != nil || e.ErrorMessage != "Unauthorized" {
							t.Fatalf("result %s, want the error Unauthorized", raw)
						}
						return
					}
					var resp eventsResponse
					if err := json.Unmarshal(raw, &resp); err != nil || len(resp.PolicyDocument.Statement) != 1 {
						t.Fatalf("result %s, want a policy with one statement", raw)
					}
					st := resp.PolicyDocument.Statement[0]
					if st.Effect != tt.effect || len(st.Resource) != 1 || st.Resource[0] != arn || st.Action[0] != "execute-api:Invoke" {
						t.Fatalf("statement %+v, want %s execute-api:Invoke on %s", st, tt.effect, arn)
					}
					if tt.effect == "Allow" {
						if resp.PrincipalID != "user-7" || resp.Context["sub"] != "user-7" ||
							resp.Context["tenant"] != "acme" || resp.Context["scope"] != "orders:read" || resp.Context["iss"] != iss.URL() {
							t.Errorf("principal %q, context %v: want user-7 with sub, iss, scope and tenant", resp.PrincipalID, resp.Context)
						}
					}
				})
			}
			fn.assertNoLeak(t, good, noScope, forged, expired)
		})
	}
}

// eventsResponse is events.APIGatewayCustomAuthorizerResponse as it travels:
// decoded independently, so that the test checks the wire format.
type eventsResponse struct {
	PrincipalID    string `json:"principalId"`
	PolicyDocument struct {
		Version   string
		Statement []struct {
			Action   []string
			Effect   string
			Resource []string
		}
	} `json:"policyDocument"`
	Context map[string]any `json:"context"`
}
