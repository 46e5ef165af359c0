package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/auth/authtest"
)

// chargeEvent is the Function URL event for POST /charge, with the IAM
// caller AWS records after verifying a SigV4 signature (none for arn "").
func chargeEvent(account, arn, authorization string) events.LambdaFunctionURLRequest {
	e := events.LambdaFunctionURLRequest{Version: "2.0", RawPath: "/charge", Body: `{"id":"o-1","amount":42}`,
		Headers: map[string]string{"content-type": "application/json"}}
	if authorization != "" {
		e.Headers["authorization"] = authorization
	}
	e.RequestContext.HTTP.Method, e.RequestContext.HTTP.Path, e.RequestContext.HTTP.SourceIP = "POST", "/charge", "203.0.113.9"
	e.RequestContext.RequestID = "e2e-charge"
	if arn != "" {
		e.RequestContext.Authorizer = &events.LambdaFunctionURLRequestContextAuthorizerDescription{
			IAM: &events.LambdaFunctionURLRequestContextAuthorizerIAMDescription{AccountID: account, UserARN: arn, CallerID: "AROAEXAMPLE:orders", AccessKey: "ASIAEXAMPLE"},
		}
	}
	return e
}

// TestServiceCall runs examples/service-call: billing checking its caller
// (IAM and OAuth), and orders attaching its credentials (SigV4 and a
// client-credentials token) to the call.
func TestServiceCall(t *testing.T) {
	billing := bootstrap(t, "service-call/billing")
	orders := bootstrap(t, "service-call/orders")

	t.Run("billing admits only the orders role", func(t *testing.T) {
		fn := startFunction(t, billing, "ALLOWED_CALLERS=arn:aws:iam::123456789012:role/orders-role")
		tests := []struct {
			name, account, arn string
			want               int
		}{
			{"orders role session", "123456789012", "arn:aws:sts::123456789012:assumed-role/orders-role/orders-fn", 200},
			{"another role", "123456789012", "arn:aws:sts::123456789012:assumed-role/reports-role/reports-fn", 403},
			{"no IAM caller", "", "", 401},
		}
		for _, tt := range tests {
			var resp events.LambdaFunctionURLResponse
			fn.invokeInto(t, chargeEvent(tt.account, tt.arn, ""), &resp)
			if resp.StatusCode != tt.want {
				t.Errorf("%s: status %d, want %d (body %s)", tt.name, resp.StatusCode, tt.want, resp.Body)
			}
			if tt.want == 200 && !strings.Contains(resp.Body, `"caller":"role/orders-role"`) {
				t.Errorf("%s: body %s, want the caller's role", tt.name, resp.Body)
			}
		}
		fn.waitForLog(t, `"reason":"no_iam_caller"`)
		fn.assertNoLeak(t, "ASIAEXAMPLE")
	})

	t.Run("billing verifies OAuth tokens", func(t *testing.T) {
		iss := authtest.NewIssuer(t)
		good := iss.Mint(map[string]any{"sub": "orders-fn", "client_id": "orders-fn", "aud": "billing", "scope": "billing/charge"})
		noScope := iss.Mint(map[string]any{"sub": "orders-fn", "client_id": "orders-fn", "aud": "billing", "scope": "billing/read"})
		fn := startFunction(t, billing, "AUTH_MODE=oauth", "ISSUER_URL="+iss.URL(), "AUDIENCE=billing", "REQUIRED_SCOPE=billing/charge")
		for _, tt := range []struct {
			name, header string
			want         int
		}{{"token with the scope", "Bearer " + good, 200}, {"token without it", "Bearer " + noScope, 403}, {"no token", "", 401}} {
			var resp events.LambdaFunctionURLResponse
			fn.invokeInto(t, chargeEvent("", "", tt.header), &resp)
			if resp.StatusCode != tt.want {
				t.Errorf("%s: status %d, want %d", tt.name, resp.StatusCode, tt.want)
			}
		}
		fn.assertNoLeak(t, good, noScope)
	})

	t.Run("orders signs its call with SigV4", func(t *testing.T) {
		var authz atomic.Value
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			sum := sha256.Sum256(body)
			authz.Store(r.Header.Get("Authorization"))
			if r.Header.Get("X-Amz-Content-Sha256") != hex.EncodeToString(sum[:]) || r.Header.Get("X-Amz-Security-Token") != "e2e-session" {
				w.WriteHeader(http.StatusForbidden)
				return
			}
			_, _ = io.WriteString(w, `{"charged":true}`)
		}))
		defer srv.Close()
		fn := startFunction(t, orders, "BILLING_URL="+srv.URL, "SIGNING_SERVICE=lambda",
			"AWS_ACCESS_KEY_ID=ASIAE2EEXAMPLE", "AWS_SECRET_ACCESS_KEY=e2e-secret-access-key", "AWS_SESSION_TOKEN=e2e-session")
		var res struct {
			Status int
			Reply  json.RawMessage
		}
		fn.invokeInto(t, map[string]any{"id": "o-1", "amount": 42}, &res)
		if res.Status != 200 || string(res.Reply) != `{"charged":true}` {
			t.Errorf("result %+v, want billing's 200", res)
		}
		if a, _ := authz.Load().(string); !strings.HasPrefix(a, "AWS4-HMAC-SHA256 Credential=ASIAE2EEXAMPLE/") || !strings.Contains(a, "/eu-west-3/lambda/aws4_request") {
			t.Errorf("Authorization %q, want a SigV4 signature for lambda in the function's region", a)
		}
		fn.assertNoLeak(t, "e2e-secret-access-key", "Signature=")
	})

	t.Run("orders attaches a client-credentials token", func(t *testing.T) {
		var fetches atomic.Int32
		tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if id, secret, ok := r.BasicAuth(); !ok || id != "orders-fn" || secret != "e2e-client-secret" {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			fetches.Add(1)
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"access_token":"e2e-access-token","token_type":"Bearer","expires_in":3600}`)
		}))
		defer tokens.Close()
		api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "Bearer e2e-access-token" {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			_, _ = io.WriteString(w, `{"charged":true}`)
		}))
		defer api.Close()
		fn := startFunction(t, orders, "CALL_MODE=oauth", "BILLING_URL="+api.URL, "TOKEN_URL="+tokens.URL, "CLIENT_ID=orders-fn",
			"CLIENT_SECRET_NAME=billing-client", "SECRETS_SOURCE=env", "LOCAL_SECRET_BILLING_CLIENT=e2e-client-secret")
		for range 3 {
			var res struct{ Status int }
			fn.invokeInto(t, map[string]any{"id": "o-2", "amount": 7}, &res)
			if res.Status != 200 {
				t.Fatalf("status %d, want 200", res.Status)
			}
		}
		if n := fetches.Load(); n != 1 {
			t.Errorf("token fetches = %d, want 1 for three invocations", n)
		}
		fn.assertNoLeak(t, "e2e-client-secret", "e2e-access-token")
	})
}
