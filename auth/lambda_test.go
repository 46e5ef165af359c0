package auth_test

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/auth"
)

// headerOf finds name case-insensitively in a single-value header map.
func headerOf(h map[string]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// v2Event is an HTTP API event for GET /orders with the given headers
// (lower-case names, as AWS sends them).
func v2Event(headers map[string]string) events.APIGatewayV2HTTPRequest {
	e := events.APIGatewayV2HTTPRequest{Version: "2.0", RawPath: "/orders", Headers: headers}
	e.RequestContext.HTTP.Method = "GET"
	return e
}

func TestLambdaErrorHandlerAndPassThrough(t *testing.T) {
	e := newTrEnv(t)
	var seenPath string
	h := auth.Lambda(e.v, func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{}, errors.New("next failed")
	}, auth.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
		seenPath = r.URL.Path
		w.Header().Set("X-Reason", "denied")
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusTeapot)
		_, _ = w.Write([]byte("custom"))
	}))

	resp, err := h(context.Background(), v2Event(nil))
	if err != nil || resp.StatusCode != http.StatusTeapot || resp.Body != "custom" || headerOf(resp.Headers, "X-Reason") != "denied" {
		t.Errorf("rejection = %+v, %v; want the custom handler's 418", resp, err)
	}
	if seenPath != "/orders" {
		t.Errorf("handler saw path %q, want the event's /orders", seenPath)
	}

	// A valid request reaches next, whose error passes through unchanged.
	_, err = h(context.Background(), v2Event(map[string]string{"authorization": "Bearer " + e.token(nil)}))
	if err == nil || err.Error() != "next failed" {
		t.Errorf("err = %v, want next's error", err)
	}
}

func TestLambdaUndecodableEventStillRejects(t *testing.T) {
	e := newTrEnv(t)
	h := auth.Lambda(e.v, func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		t.Error("next called")
		return events.APIGatewayV2HTTPResponse{}, nil
	})
	ev := v2Event(nil)
	ev.IsBase64Encoded, ev.Body = true, "!!not base64!!"
	resp, err := h(context.Background(), ev)
	if err != nil || resp.StatusCode != 401 {
		t.Errorf("got %d, %v; want a 401 response", resp.StatusCode, err)
	}
}

func TestLambdaPanicsAtWrapTime(t *testing.T) {
	e := newTrEnv(t)
	tests := []struct {
		name string
		wrap func()
	}{
		{"unsupported pair", func() {
			auth.Lambda(e.v, func(context.Context, events.SQSEvent) (string, error) { return "", nil })
		}},
		{"mismatched response", func() {
			auth.Lambda(e.v, func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayProxyResponse, error) {
				return events.APIGatewayProxyResponse{}, nil
			})
		}},
		{"nil verifier", func() {
			auth.Lambda(nil, func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
				return events.APIGatewayV2HTTPResponse{}, nil
			})
		}},
		{"nil next", func() {
			auth.Lambda[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse](e.v, nil)
		}},
		{"gateway claims on REST", func() {
			auth.Lambda(e.v, func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
				return events.APIGatewayProxyResponse{}, nil
			}, auth.TrustGatewayClaims())
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic at wrap time")
				}
			}()
			tt.wrap()
		})
	}
}

func TestTrustGatewayClaims(t *testing.T) {
	e := newTrEnv(t)
	jwtAuthorizer := func(claims map[string]string, scopes []string) *events.APIGatewayV2HTTPRequestContextAuthorizerDescription {
		return &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims, Scopes: scopes},
		}
	}
	base := map[string]string{"sub": "user-9", "iss": "https://issuer.example", "exp": "1750000300", "client_id": "app"}
	withScope := maps.Clone(base)
	withScope["scope"], withScope["cognito:groups"] = "orders:read orders:write", "[admin staff]"

	tests := []struct {
		name       string
		opts       []auth.LambdaOption
		authorizer *events.APIGatewayV2HTTPRequestContextAuthorizerDescription
		header     string // an Authorization header, which must be ignored
		wantStatus int
		wantScopes string
		wantGroups string
	}{
		{name: "claims", authorizer: jwtAuthorizer(withScope, nil), wantStatus: 200, wantScopes: "orders:read orders:write", wantGroups: "admin staff"},
		{name: "authorizer scopes win", authorizer: jwtAuthorizer(withScope, []string{"orders:read"}), wantStatus: 200, wantScopes: "orders:read", wantGroups: "admin staff"},
		{name: "scope check", opts: []auth.LambdaOption{auth.RequireScopes("orders:write")}, authorizer: jwtAuthorizer(base, []string{"orders:read"}), wantStatus: 403},
		{name: "scope check passes", opts: []auth.LambdaOption{auth.RequireScopes("orders:write")}, authorizer: jwtAuthorizer(withScope, nil), wantStatus: 200, wantScopes: "orders:read orders:write", wantGroups: "admin staff"},
		{name: "group check", opts: []auth.LambdaOption{auth.RequireGroups("admin")}, authorizer: jwtAuthorizer(withScope, nil), wantStatus: 200, wantScopes: "orders:read orders:write", wantGroups: "admin staff"},
		{name: "no authorizer", wantStatus: 401},
		{name: "no authorizer with a token header is not verified", header: "Bearer " + e.token(nil), wantStatus: 401},
		{name: "lambda authorizer is not a JWT authorizer", authorizer: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{Lambda: map[string]any{"sub": "x"}}, wantStatus: 401},
		{name: "optional without authorizer", opts: []auth.LambdaOption{auth.Optional()}, wantStatus: 200},
		{name: "unreadable claim", authorizer: jwtAuthorizer(func() map[string]string { m := maps.Clone(base); m["exp"] = "soon"; return m }(), nil), wantStatus: 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *auth.Claims
			h := auth.Lambda(e.v, func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
				got, _ = auth.ClaimsFromContext(ctx)
				return events.APIGatewayV2HTTPResponse{StatusCode: 200}, nil
			}, append(tt.opts, auth.TrustGatewayClaims())...)
			ev := v2Event(map[string]string{"authorization": tt.header})
			ev.RequestContext.Authorizer = tt.authorizer
			resp, err := h(context.Background(), ev)
			if err != nil || resp.StatusCode != tt.wantStatus {
				t.Fatalf("got %d, %v; want %d", resp.StatusCode, err, tt.wantStatus)
			}
			if tt.wantStatus != 200 || tt.authorizer == nil {
				if got != nil {
					t.Errorf("claims = %+v, want none", got)
				}
				return
			}
			if got == nil || got.Subject != "user-9" || got.ClientID != "app" || got.Issuer != "https://issuer.example" || got.ExpiresAt.Unix() != 1750000300 {
				t.Fatalf("claims = %+v, want the authorizer's", got)
			}
			if s := strings.Join(got.Scopes, " "); s != tt.wantScopes {
				t.Errorf("scopes = %q, want %q", s, tt.wantScopes)
			}
			if g := strings.Join(got.Groups, " "); g != tt.wantGroups {
				t.Errorf("groups = %q, want %q", g, tt.wantGroups)
			}
		})
	}
}

func TestLambdaConcurrentInvocations(t *testing.T) {
	e := newTrEnv(t)
	h := auth.Lambda(e.v, func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		c, _ := auth.ClaimsFromContext(ctx)
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: c.Subject}, nil
	})
	subjects := []string{"a", "b", "c", "d", "e", "f"}
	tokens := make([]string, len(subjects))
	for i, s := range subjects {
		tokens[i] = e.token(map[string]any{"sub": s})
	}
	var wg sync.WaitGroup
	for i := range subjects {
		wg.Go(func() {
			for range 20 {
				ev := v2Event(map[string]string{"authorization": "Bearer " + tokens[i]})
				if i%2 == 1 {
					ev = v2Event(nil) // rejections interleave with successes
				}
				resp, err := h(context.Background(), ev)
				want := subjects[i]
				if i%2 == 1 {
					if err != nil || resp.StatusCode != 401 {
						t.Errorf("anonymous call: %d, %v", resp.StatusCode, err)
					}
					continue
				}
				if err != nil || resp.Body != want {
					t.Errorf("call for %s: body %q, err %v", want, resp.Body, err)
				}
			}
		})
	}
	wg.Wait()
}
