package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/auth/authtest"
	"github.com/fnshield/fnshield/internal/testredis"
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

// getOrderEvent is a GET /orders/{id} event as an HTTP API (payload 2.0)
// sends it: no body, the ID in the path parameters.
func getOrderEvent(token, id string) events.APIGatewayV2HTTPRequest {
	e := events.APIGatewayV2HTTPRequest{
		Version:        "2.0",
		RouteKey:       "GET /orders/{id}",
		RawPath:        "/orders/" + id,
		Headers:        map[string]string{"accept": "application/json"},
		PathParameters: map[string]string{"id": id},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey: "GET /orders/{id}",
			Stage:    "$default",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method: "GET", Path: "/orders/" + id, Protocol: "HTTP/1.1", SourceIP: "203.0.113.9"},
		},
	}
	if token != "" {
		e.Headers["authorization"] = "Bearer " + token
	}
	return e
}

// placedOrder is an order as the orders API returns it.
type placedOrder struct {
	ID       string `json:"id"`
	SKU      string `json:"sku"`
	Quantity int    `json:"quantity"`
	PlacedBy string `json:"placedBy"`
	PlacedAt string `json:"placedAt"`
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
	fn := startFunction(t, bin, httpAPIEnv(iss, "RATE_LIMIT=3/1h")...)

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
		{"second order", writer, validOrder, http.StatusCreated, "", []string{`"id":"ord-2"`}},
		// RATE_LIMIT is 3/1h and user-7 has made three requests (the 401s
		// and the 403 came before the limiter and were not counted).
		{"limit spent", writer, validOrder, http.StatusTooManyRequests, "", []string{`"status":429`}},
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
			retry := header(resp.Headers, "Retry-After")
			if (tt.status == http.StatusTooManyRequests) != (retry != "") {
				t.Errorf("Retry-After %q with status %d", retry, resp.StatusCode)
			}
			if tt.status == http.StatusTooManyRequests && header(resp.Headers, "RateLimit") == "" {
				t.Error("429 without the RateLimit header")
			}
			if tt.token != "" && strings.Contains(resp.Body+header(resp.Headers, "WWW-Authenticate"), tt.token) {
				t.Error("the response echoes the token")
			}
		})
	}
	out := fn.waitForLogs(t, `"msg":"order placed"`, 2) // ord-1 and ord-2
	if !strings.Contains(out, `"msg":"order received"`) || !strings.Contains(out, "[REDACTED:email]") {
		t.Errorf("the incoming order was not logged, redacted:\n%s", out)
	}
	fn.assertNoLeak(t, customerEmail, cardNumber, strings.ReplaceAll(cardNumber, " ", ""), dbPassword, writer, reader)
}

// TestHTTPAPIGetOrder places an order, then reads it back with
// GET /orders/{id}, as examples/demo answers: 401 without a token, 200 with
// the owner's, 404 problems for an unknown ID and for another subject's
// order. The GET has no body and is not validated.
func TestHTTPAPIGetOrder(t *testing.T) {
	bin := bootstrap(t, "lambda-httpapi")
	iss := authtest.NewIssuer(t)
	fn := startFunction(t, bin, httpAPIEnv(iss, "RATE_LIMIT=20/1h")...)
	owner := iss.Mint(map[string]any{"sub": "user-7", "aud": "orders-api", "scope": "orders:write"})
	other := iss.Mint(map[string]any{"sub": "user-8", "aud": "orders-api", "scope": "orders:write"})

	var created events.APIGatewayV2HTTPResponse
	fn.invokeInto(t, orderEvent(owner, validOrder), &created)
	if created.StatusCode != http.StatusCreated {
		t.Fatalf("POST /orders: status %d, want 201 (body %s)", created.StatusCode, created.Body)
	}
	var order placedOrder
	if err := json.Unmarshal([]byte(created.Body), &order); err != nil || order.ID == "" {
		t.Fatalf("POST /orders answered %s (%v), want an order with an id", created.Body, err)
	}
	if loc := header(created.Headers, "Location"); loc != "/orders/"+order.ID {
		t.Fatalf("Location %q, want /orders/%s", loc, order.ID)
	}

	tests := []struct {
		name, token, id string
		status          int
		challenge       string // in WWW-Authenticate
	}{
		{"no token", "", order.ID, http.StatusUnauthorized, `Bearer realm="fnshield"`},
		{"own order", owner, order.ID, http.StatusOK, ""},
		{"unknown id", owner, "ord-404", http.StatusNotFound, ""},
		{"another subject's order", other, order.ID, http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var resp events.APIGatewayV2HTTPResponse
			fn.invokeInto(t, getOrderEvent(tt.token, tt.id), &resp)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d (body %s)", resp.StatusCode, tt.status, resp.Body)
			}
			if got := header(resp.Headers, "WWW-Authenticate"); !strings.Contains(got, tt.challenge) {
				t.Errorf("WWW-Authenticate %q, want it to contain %q", got, tt.challenge)
			}
			if tt.status != http.StatusOK {
				if ct := header(resp.Headers, "Content-Type"); ct != "application/problem+json" {
					t.Errorf("Content-Type %q, want application/problem+json", ct)
				}
				if want := fmt.Sprintf(`"status":%d`, tt.status); !strings.Contains(resp.Body, want) {
					t.Errorf("body %s, want a problem with %s", resp.Body, want)
				}
				return
			}
			var got placedOrder
			if err := json.Unmarshal([]byte(resp.Body), &got); err != nil {
				t.Fatalf("decode %s: %v", resp.Body, err)
			}
			if got != order {
				t.Errorf("GET answered %+v, want the order placed, %+v", got, order)
			}
			if strings.Contains(resp.Body, customerEmail) || strings.Contains(resp.Body, cardNumber) {
				t.Errorf("the order returned holds personal data: %s", resp.Body)
			}
		})
	}
	fn.assertNoLeak(t, customerEmail, cardNumber, owner, other)
}

// TestHTTPAPISharedLimit runs two instances of examples/lambda-httpapi at
// once with REDIS_ADDR pointing at one Redis: requests alternate between
// them, and the limit holds across both. With per-instance memory stores,
// each would allow RATE_LIMIT requests on its own.
func TestHTTPAPISharedLimit(t *testing.T) {
	bin := bootstrap(t, "lambda-httpapi")
	emulatorPath(t) // skip before starting Redis when the emulator is absent
	addr := testredis.Start(t)
	iss := authtest.NewIssuer(t)
	env := httpAPIEnv(iss, "RATE_LIMIT=4/1h", "REDIS_ADDR="+addr)
	instances := []*function{startFunction(t, bin, env...), startFunction(t, bin, env...)}
	// A subject of its own, so that reruns against a long-lived REDIS_ADDR
	// start from a full bucket.
	sub := fmt.Sprintf("shared-%d", time.Now().UnixNano())
	token := iss.Mint(map[string]any{"sub": sub, "aud": "orders-api", "scope": "orders:write"})
	var statuses []int
	for i := range 6 {
		var resp events.APIGatewayV2HTTPResponse
		instances[i%2].invokeInto(t, orderEvent(token, validOrder), &resp)
		statuses = append(statuses, resp.StatusCode)
		if resp.StatusCode == http.StatusTooManyRequests && header(resp.Headers, "Retry-After") == "" {
			t.Errorf("request %d: 429 without Retry-After", i+1)
		}
	}
	want := []int{201, 201, 201, 201, 429, 429}
	if fmt.Sprint(statuses) != fmt.Sprint(want) {
		t.Fatalf("statuses %v alternating between two instances, want %v", statuses, want)
	}
	for _, fn := range instances {
		fn.assertNoLeak(t, customerEmail, cardNumber, token)
	}
}

// TestHTTPAPIColdStartFailure starts examples/lambda-httpapi with an issuer
// that does not answer: the cold start must fail loudly, with a log line
// saying why, rather than serve requests it cannot authenticate.
func TestHTTPAPIColdStartFailure(t *testing.T) {
	bin := bootstrap(t, "lambda-httpapi")
	iss := authtest.NewIssuer(t)
	iss.SetDiscoveryFailure(http.StatusServiceUnavailable)
	fn := startFunction(t, bin, httpAPIEnv(iss)...)
	raw := fn.invoke(t, orderEvent("", validOrder))
	if strings.Contains(string(raw), `"statusCode"`) {
		t.Fatalf("the function answered %s, want an init failure", raw)
	}
	fn.waitForLog(t, `"msg":"function cannot start"`)
	fn.waitForLog(t, "Runtime exited with error") // the emulator's report, written just after
	fn.assertNoLeak(t, dbPassword)
}
