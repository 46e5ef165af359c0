package auth_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/auth"
	"github.com/fnshield/fnshield/auth/authtest"
)

const (
	trMethodARN = "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/orders/42"
	trStageARN  = "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/*"
)

// policyOf returns the single statement's effect and resources.
func policyOf(t *testing.T, resp events.APIGatewayCustomAuthorizerResponse) (string, []string) {
	t.Helper()
	p := resp.PolicyDocument
	if p.Version != "2012-10-17" || len(p.Statement) != 1 {
		t.Fatalf("policy = %+v, want version 2012-10-17 with one statement", p)
	}
	st := p.Statement[0]
	if !reflect.DeepEqual(st.Action, []string{"execute-api:Invoke"}) {
		t.Errorf("action = %v, want execute-api:Invoke", st.Action)
	}
	return st.Effect, st.Resource
}

func TestTokenAuthorizer(t *testing.T) {
	e := newTrEnv(t)
	valid := e.token(map[string]any{"scope": "orders:read", "client_id": "app-1", "cognito:groups": []string{"staff", "ops"}, "tenant": "t-7", "level": 3, "nested": map[string]any{"a": 1}})
	expired := e.token(map[string]any{"exp": e.clock().Add(-time.Hour)})
	noSub := e.token(map[string]any{"sub": authtest.Omit, "client_id": "machine"})

	tests := []struct {
		name          string
		opts          []auth.AuthorizerOption
		token         string
		arn           string
		wantErr       string // exact error text; "" for a policy
		wantEffect    string
		wantResource  string
		wantPrincipal string
	}{
		{name: "allow", token: "Bearer " + valid, arn: trMethodARN, wantEffect: "Allow", wantResource: trMethodARN, wantPrincipal: "user-1"},
		{name: "allow whole stage", opts: []auth.AuthorizerOption{auth.AllowWholeStage()}, token: "Bearer " + valid, arn: trMethodARN, wantEffect: "Allow", wantResource: trStageARN, wantPrincipal: "user-1"},
		{name: "whole stage from the root resource", opts: []auth.AuthorizerOption{auth.AllowWholeStage()}, token: "Bearer " + valid, arn: "arn:aws-cn:execute-api:cn-north-1:1:api/$default/GET/", wantEffect: "Allow", wantResource: "arn:aws-cn:execute-api:cn-north-1:1:api/$default/*", wantPrincipal: "user-1"},
		{name: "principal falls back to client", token: "Bearer " + noSub, arn: trMethodARN, wantEffect: "Allow", wantResource: trMethodARN, wantPrincipal: "machine"},
		{name: "scope denied", opts: []auth.AuthorizerOption{auth.RequireScopes("orders:write"), auth.AllowWholeStage()}, token: "Bearer " + valid, arn: trMethodARN, wantEffect: "Deny", wantResource: trMethodARN, wantPrincipal: "user-1"},
		{name: "group denied", opts: []auth.AuthorizerOption{auth.RequireGroups("admin")}, token: "Bearer " + valid, arn: trMethodARN, wantEffect: "Deny", wantResource: trMethodARN, wantPrincipal: "user-1"},
		{name: "group allowed", opts: []auth.AuthorizerOption{auth.RequireGroups("admin", "ops")}, token: "Bearer " + valid, arn: trMethodARN, wantEffect: "Allow", wantResource: trMethodARN, wantPrincipal: "user-1"},
		{name: "require denied", opts: []auth.AuthorizerOption{auth.Require(func(c *auth.Claims) error { return errors.New("no") })}, token: "Bearer " + valid, arn: trMethodARN, wantEffect: "Deny", wantResource: trMethodARN, wantPrincipal: "user-1"},
		{name: "missing", token: "", arn: trMethodARN, wantErr: "Unauthorized"},
		{name: "other scheme", token: "Basic dTpw", arn: trMethodARN, wantErr: "Unauthorized"},
		{name: "raw token needs the scheme", token: valid, arn: trMethodARN, wantErr: "Unauthorized"},
		{name: "raw token from a custom header", opts: []auth.AuthorizerOption{auth.WithTokenFrom(auth.FromHeader("X-Token"))}, token: valid, arn: trMethodARN, wantEffect: "Allow", wantResource: trMethodARN, wantPrincipal: "user-1"},
		{name: "expired", token: "Bearer " + expired, arn: trMethodARN, wantErr: "Unauthorized"},
		{name: "garbage", token: "Bearer a.b.c", arn: trMethodARN, wantErr: "Unauthorized"},
		{name: "malformed ARN", token: "Bearer " + valid, arn: "arn:aws:execute-api:eu-west-1:123456789012:abc123", wantErr: "auth: malformed execute-api method ARN"},
		{name: "wildcard in ARN", opts: []auth.AuthorizerOption{auth.AllowWholeStage()}, token: "Bearer " + valid, arn: "arn:aws:execute-api:eu-west-1:123456789012:abc123/*/GET/x", wantErr: "auth: malformed execute-api method ARN"},
		{name: "other service", token: "Bearer " + valid, arn: "arn:aws:s3:eu-west-1:123456789012:abc123/prod/GET/x", wantErr: "auth: malformed execute-api method ARN"},
		{name: "empty ARN", token: "Bearer " + valid, wantErr: "auth: malformed execute-api method ARN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := auth.TokenAuthorizer(e.v, tt.opts...)
			resp, err := h(context.Background(), events.APIGatewayCustomAuthorizerRequest{Type: "TOKEN", AuthorizationToken: tt.token, MethodArn: tt.arn})
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want exactly %q", err, tt.wantErr)
				}
				if len(resp.PolicyDocument.Statement) != 0 {
					t.Errorf("policy %+v returned with an error", resp.PolicyDocument)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v, want a policy", err)
			}
			effect, res := policyOf(t, resp)
			if effect != tt.wantEffect || len(res) != 1 || res[0] != tt.wantResource {
				t.Errorf("policy = %s %v, want %s [%s]", effect, res, tt.wantEffect, tt.wantResource)
			}
			if resp.PrincipalID != tt.wantPrincipal {
				t.Errorf("principalId = %q, want %q", resp.PrincipalID, tt.wantPrincipal)
			}
			if effect == "Deny" && len(resp.Context) != 0 {
				t.Errorf("Deny carries context %v", resp.Context)
			}
		})
	}

	t.Run("unauthorized is the sentinel", func(t *testing.T) {
		_, err := auth.TokenAuthorizer(e.v)(context.Background(), events.APIGatewayCustomAuthorizerRequest{MethodArn: trMethodARN})
		if !errors.Is(err, auth.ErrUnauthorized) {
			t.Errorf("err = %v, want ErrUnauthorized", err)
		}
	})

	t.Run("context", func(t *testing.T) {
		h := auth.TokenAuthorizer(e.v, auth.WithContextClaims("tenant", "level", "nested", "absent"))
		resp, err := h(context.Background(), events.APIGatewayCustomAuthorizerRequest{AuthorizationToken: "Bearer " + valid, MethodArn: trMethodARN})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]any{
			"sub": "user-1", "iss": e.iss.URL(), "scope": "orders:read", "client_id": "app-1",
			"groups": "staff,ops", "exp": e.clock().Add(5 * time.Minute).Unix(), "tenant": "t-7", "level": float64(3),
		}
		if !reflect.DeepEqual(resp.Context, want) {
			t.Errorf("context = %v, want %v", resp.Context, want)
		}
		// API Gateway rejects nested context values.
		for k, v := range resp.Context {
			switch v.(type) {
			case string, float64, int64, bool:
			default:
				t.Errorf("context %s has type %T, want a flat value", k, v)
			}
		}
		b, _ := json.Marshal(resp)
		if strings.Contains(string(b), valid[strings.LastIndexByte(valid, '.')+1:]) {
			t.Error("response carries the token")
		}
	})
}

func TestTokenAuthorizerKeysUnavailable(t *testing.T) {
	e := newTrEnv(t)
	e.iss.SetJWKSFailure(http.StatusServiceUnavailable)
	e.advance(48 * time.Hour)
	_, err := auth.TokenAuthorizer(e.v)(context.Background(), events.APIGatewayCustomAuthorizerRequest{AuthorizationToken: "Bearer " + e.token(nil), MethodArn: trMethodARN})
	if !errors.Is(err, auth.ErrKeysUnavailable) || err.Error() == "Unauthorized" {
		t.Errorf("err = %v, want ErrKeysUnavailable (a 500, not a cached 401)", err)
	}
}

func TestRequestAuthorizer(t *testing.T) {
	e := newTrEnv(t)
	valid := e.token(map[string]any{"scope": "orders:read"})

	tests := []struct {
		name       string
		opts       []auth.AuthorizerOption
		event      events.APIGatewayCustomAuthorizerRequestTypeRequest
		wantErr    bool
		wantEffect string
	}{
		{name: "lower-case header", event: events.APIGatewayCustomAuthorizerRequestTypeRequest{Headers: map[string]string{"authorization": "Bearer " + valid}}, wantEffect: "Allow"},
		{name: "canonical header", event: events.APIGatewayCustomAuthorizerRequestTypeRequest{Headers: map[string]string{"Authorization": "Bearer " + valid}}, wantEffect: "Allow"},
		{name: "both maps hold the header once", event: events.APIGatewayCustomAuthorizerRequestTypeRequest{
			Headers:           map[string]string{"Authorization": "Bearer " + valid},
			MultiValueHeaders: map[string][]string{"Authorization": {"Bearer " + valid}}}, wantEffect: "Allow"},
		{name: "differently cased in the two maps", event: events.APIGatewayCustomAuthorizerRequestTypeRequest{
			Headers:           map[string]string{"authorization": "Bearer " + valid},
			MultiValueHeaders: map[string][]string{"Authorization": {"Bearer " + valid}}}, wantEffect: "Allow"},
		{name: "repeated header", event: events.APIGatewayCustomAuthorizerRequestTypeRequest{
			MultiValueHeaders: map[string][]string{"Authorization": {"Bearer " + valid, "Bearer " + valid}}}, wantErr: true},
		{name: "missing", event: events.APIGatewayCustomAuthorizerRequestTypeRequest{Headers: map[string]string{"accept": "*/*"}}, wantErr: true},
		{name: "scope deny", opts: []auth.AuthorizerOption{auth.RequireScopes("orders:write")}, event: events.APIGatewayCustomAuthorizerRequestTypeRequest{Headers: map[string]string{"authorization": "Bearer " + valid}}, wantEffect: "Deny"},
		{name: "cookie source", opts: []auth.AuthorizerOption{auth.WithTokenFrom(auth.FromCookie("at"))}, event: events.APIGatewayCustomAuthorizerRequestTypeRequest{Headers: map[string]string{"cookie": "x=1; at=" + valid}}, wantEffect: "Allow"},
		{name: "query source", opts: []auth.AuthorizerOption{auth.WithTokenFrom(auth.FromRequest(func(r *http.Request) (string, error) {
			return r.URL.Query().Get("token"), nil
		}))}, event: events.APIGatewayCustomAuthorizerRequestTypeRequest{Path: "/orders", QueryStringParameters: map[string]string{"token": valid}}, wantEffect: "Allow"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.event.Type, tt.event.MethodArn, tt.event.HTTPMethod = "REQUEST", trMethodARN, "GET"
			resp, err := auth.RequestAuthorizer(e.v, tt.opts...)(context.Background(), tt.event)
			if tt.wantErr {
				if err == nil || err.Error() != "Unauthorized" {
					t.Fatalf("err = %v, want Unauthorized", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if effect, res := policyOf(t, resp); effect != tt.wantEffect || res[0] != trMethodARN {
				t.Errorf("policy = %s %v, want %s on the method", effect, res, tt.wantEffect)
			}
		})
	}
}

func TestSimpleAuthorizer(t *testing.T) {
	e := newTrEnv(t)
	valid := e.token(map[string]any{"scope": "orders:read orders:write"})
	expired := e.token(map[string]any{"exp": e.clock().Add(-time.Hour)})

	tests := []struct {
		name     string
		opts     []auth.AuthorizerOption
		headers  map[string]string
		cookies  []string
		query    string
		wantAuth bool
	}{
		{name: "valid", headers: map[string]string{"authorization": "Bearer " + valid}, wantAuth: true},
		{name: "scope ok", opts: []auth.AuthorizerOption{auth.RequireScopes("orders:write")}, headers: map[string]string{"authorization": "Bearer " + valid}, wantAuth: true},
		{name: "scope missing", opts: []auth.AuthorizerOption{auth.RequireScopes("admin")}, headers: map[string]string{"authorization": "Bearer " + valid}},
		{name: "expired", headers: map[string]string{"authorization": "Bearer " + expired}},
		{name: "missing"},
		{name: "comma-joined duplicates", headers: map[string]string{"authorization": "Bearer " + valid + ",Bearer " + valid}},
		{name: "cookies field", opts: []auth.AuthorizerOption{auth.WithTokenFrom(auth.FromCookie("at"))}, cookies: []string{"a=b", "at=" + valid}, wantAuth: true},
		{name: "raw query", opts: []auth.AuthorizerOption{auth.WithTokenFrom(auth.FromRequest(func(r *http.Request) (string, error) {
			return r.URL.Query().Get("t"), nil
		}))}, query: "x=1&t=" + valid, wantAuth: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := events.APIGatewayV2CustomAuthorizerV2Request{Version: "2.0", Type: "REQUEST", RouteArn: trMethodARN, RawPath: "/orders", RawQueryString: tt.query, Headers: tt.headers, Cookies: tt.cookies}
			ev.RequestContext.HTTP.Method = "GET"
			resp, err := auth.SimpleAuthorizer(e.v, tt.opts...)(context.Background(), ev)
			if err != nil {
				t.Fatalf("err = %v, want a response", err)
			}
			if resp.IsAuthorized != tt.wantAuth {
				t.Fatalf("IsAuthorized = %v, want %v", resp.IsAuthorized, tt.wantAuth)
			}
			if tt.wantAuth && (resp.Context["sub"] != "user-1" || resp.Context["scope"] != "orders:read orders:write") {
				t.Errorf("context = %v, want sub and scope", resp.Context)
			}
			if !tt.wantAuth && resp.Context != nil {
				t.Errorf("context = %v on a refusal, want none", resp.Context)
			}
		})
	}
}

func TestAuthorizersPanicOnNilVerifier(t *testing.T) {
	for name, f := range map[string]func(){
		"token":   func() { auth.TokenAuthorizer(nil) },
		"request": func() { auth.RequestAuthorizer(nil) },
		"simple":  func() { auth.SimpleAuthorizer(nil) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		})
	}
}
