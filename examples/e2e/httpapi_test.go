package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/auth/authtest"
)

// Personal data in the orders the tests send, which the function logs and
// its redacting handler must hide.
const (
	customerEmail = "jane.doe@example.com"
	cardNumber    = "4111 1111 1111 1111"
	dbPassword    = "hunter2-correct-horse-battery"
)

var validOrder = `{"sku":"book-1","quantity":2,"email":"` + customerEmail + `","card_number":"` + cardNumber + `"}`

// httpAPIEnv is the environment of examples/lambda-httpapi for a test
// issuer, with its database secret read from the environment.
func httpAPIEnv(iss *authtest.Issuer, extra ...string) []string {
	return append([]string{
		"ISSUER_URL=" + iss.URL(),
		"AUDIENCE=orders-api",
		"REQUIRED_SCOPE=orders:write",
		"SECRET_NAME=prod/orders-db",
		"SECRETS_SOURCE=env",
		`LOCAL_SECRET_PROD_ORDERS_DB={"username":"orders","password":"` + dbPassword + `"}`,
	}, extra...)
}

// orderEvent is a POST /orders event as an HTTP API (payload 2.0) sends it.
func orderEvent(token, body string) events.APIGatewayV2HTTPRequest {
	e := events.APIGatewayV2HTTPRequest{
		Version:  "2.0",
		RouteKey: "POST /orders",
		RawPath:  "/orders",
		Headers:  map[string]string{"content-type": "application/json"},
		Body:     body,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey: "POST /orders",
			Stage:    "$default",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method: "POST", Path: "/orders", Protocol: "HTTP/1.1", SourceIP: "203.0.113.9"},
		},
	}
	if token != "" {
		e.Headers["authorization"] = "Bearer " + token
	}
	return e
}

// header finds a response header whatever its case.
func header(h map[string]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// TestHTTPAPI runs examples/lambda-httpapi under the emulator.
func TestHTTPAPI(t *testing.T) {
	bin := bootstrap(t, "lambda-httpapi")
	iss := authtest.NewIssuer(t)
	fn := startFunction(t, bin, httpAPIEnv(iss)...)

	writer := iss.Mint(map[string]any{"sub": "user-7", "aud": "orders-api", "scope": "orders:write"})
	reader := iss.Mint(map[string]any{"sub": "user-8", "aud": "orders-api", "scope": "orders:read"})
	tests := []struct {
		name, token, body string
		status            int
		challenge         string // in WWW-Authenticate
		inBody            []string
	}{
		{"no token", "", validOrder, http.StatusUnauthorized, `Bearer realm="fnshield"`, []string{`"status":401`}},
		{"forged token", iss.MintWith(authtest.MintOptions{ForeignKey: true, Claims: map[string]any{"sub": "x", "aud": "orders-api", "scope": "orders:write"}}),
			validOrder, http.StatusUnauthorized, `error="invalid_token"`, []string{`"status":401`}},
		{"missing scope", reader, validOrder, http.StatusForbidden, `scope="orders:write"`, []string{`"status":403`}},
		{"order placed", writer, validOrder, http.StatusCreated, "", []string{`"placedBy":"user-7"`, `"id":"ord-1"`}},
		{"bad body", writer, `{"sku":"","quantity":0,"email":"` + customerEmail + `"}`, http.StatusBadRequest, "",
			[]string{`"status":400`, `"violations":[`, `"instancePath":"/quantity","keyword":"minimum"`, `"instancePath":"/sku","keyword":"pattern"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var resp events.APIGatewayV2HTTPResponse
			fn.invokeInto(t, orderEvent(tt.token, tt.body), &resp)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d (body %s)", resp.StatusCode, tt.status, resp.Body)
			}
			if got := header(resp.Headers, "WWW-Authenticate"); !strings.Contains(got, tt.challenge) {
				t.Errorf("WWW-Authenticate %q, want it to contain %q", got, tt.challenge)
			}
			for _, want := range tt.inBody {
				if !strings.Contains(resp.Body, want) {
					t.Errorf("body %s, want it to contain %s", resp.Body, want)
				}
			}
			if tt.token != "" && strings.Contains(resp.Body+header(resp.Headers, "WWW-Authenticate"), tt.token) {
				t.Error("the response echoes the token")
			}
		})
	}
	out := fn.waitForLog(t, `"msg":"order placed"`)
	if !strings.Contains(out, `"msg":"order received"`) || !strings.Contains(out, "[REDACTED:email]") {
		t.Errorf("the incoming order was not logged, redacted:\n%s", out)
	}
	fn.assertNoLeak(t, customerEmail, cardNumber, strings.ReplaceAll(cardNumber, " ", ""), dbPassword, writer, reader)
}
