package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/auth/authtest"
	"github.com/fnshield/fnshield/redact"
)

func TestParseRate(t *testing.T) {
	tests := []struct {
		in      string
		want    rate
		wantErr bool
	}{
		{in: "100/1m", want: rate{count: 100, period: time.Minute}},
		{in: "100/1m,20", want: rate{count: 100, period: time.Minute, burst: 20}},
		{in: " 5 / 1s , 1 ", want: rate{count: 5, period: time.Second, burst: 1}},
		{in: "1/24h", want: rate{count: 1, period: 24 * time.Hour}},
		{in: "hundred", wantErr: true},
		{in: "100/", wantErr: true},
		{in: "100/m", wantErr: true},
		{in: "0/1m", wantErr: true},
		{in: "-1/1m", wantErr: true},
		{in: "100/0s", wantErr: true},
		{in: "100/-1m", wantErr: true},
		{in: "1/25h", wantErr: true},
		{in: "100/1m,0", wantErr: true},
		{in: "100/1m,", wantErr: true},
		{in: "100/1m,2,3", wantErr: true},
		{in: "2000/1us", wantErr: true},
		{in: "99999999999/1h", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseRate(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("parseRate(%q) = %+v, want an error", tt.in, got)
				}
				if strings.Contains(err.Error(), tt.in) {
					t.Errorf("error %q repeats the input", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("parseRate(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			}
		})
	}
}

func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"100/1m", "100/1m,20", "1/24h", "0/1s", "5/1h30m,7", "1/1ns", "x/y,z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := parseRate(s)
		if err != nil {
			return
		}
		if r.count < 1 || r.count > maxCount || r.period <= 0 || r.period > maxRatePeriod ||
			r.burst < 0 || r.burst > maxCount || int64(r.count) > int64(r.period) {
			t.Fatalf("parseRate(%q) = %+v: out of range", s, r)
		}
	})
}

func TestLoadConfig(t *testing.T) {
	base := map[string]string{"ISSUER_URL": "https://issuer.example", "AUDIENCE": "orders-api", "SECRET_NAME": "prod/orders-db"}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		m[k] = v
		return m
	}
	tests := []struct {
		name    string
		env     map[string]string
		want    config
		wantErr string // the variable the error must name
	}{
		{name: "defaults", env: base, want: config{issuer: "https://issuer.example", audience: "orders-api",
			scopes: []string{"orders:write"}, rate: rate{count: 100, period: time.Minute}, secretName: "prod/orders-db", source: "extension"}},
		{name: "everything set", env: map[string]string{"ISSUER_URL": "https://i", "AUDIENCE": "a", "SECRET_NAME": "s",
			"REQUIRED_SCOPE": "orders:write orders:admin", "RATE_LIMIT": "10/1s,5", "REDIS_ADDR": " 10.0.0.5:6379 ", "SECRETS_SOURCE": "AWSSM"},
			want: config{issuer: "https://i", audience: "a", scopes: []string{"orders:write", "orders:admin"},
				rate: rate{count: 10, period: time.Second, burst: 5}, redisAddr: "10.0.0.5:6379", secretName: "s", source: "awssm"}},
		{name: "no issuer", env: with("ISSUER_URL", ""), wantErr: "ISSUER_URL"},
		{name: "no audience", env: with("AUDIENCE", ""), wantErr: "AUDIENCE"},
		{name: "no secret name", env: with("SECRET_NAME", ""), wantErr: "SECRET_NAME"},
		{name: "unknown secrets source", env: with("SECRETS_SOURCE", "vault"), wantErr: "SECRETS_SOURCE"},
		{name: "bad rate limit", env: with("RATE_LIMIT", "lots"), wantErr: "RATE_LIMIT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := loadConfig(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if !errors.Is(err, errConfig) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want errConfig naming %s", err, tt.wantErr)
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

// syncBuffer is a log destination written from concurrent invocations.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestHandler runs the handler main starts, in process, against a local
// issuer, with the database secret read from the environment.
// examples/e2e runs the compiled binary under the Lambda emulator.
func TestHandler(t *testing.T) {
	iss := authtest.NewIssuer(t)
	const dbPassword = "hunter2-correct-horse"
	t.Setenv(localSecretPrefix+"PROD_ORDERS_DB", `{"username":"orders","password":"`+dbPassword+`"}`)
	var logs syncBuffer
	handle := testHandler(t, iss, &logs, "SECRET_NAME", "prod/orders-db", "RATE_LIMIT", "4/1h")

	writer := iss.Mint(map[string]any{"sub": "user-7", "aud": "orders-api", "scope": "orders:write"})
	reader := iss.Mint(map[string]any{"sub": "user-7", "aud": "orders-api", "scope": "orders:read"})
	const email, card = "jane.doe@example.com", "4111 1111 1111 1111"
	order := `{"sku":"book-1","quantity":2,"email":"` + email + `","card_number":"` + card + `"}`
	tests := []struct {
		name, token, body string
		status            int
		inBody            string
	}{
		{"no token", "", order, 401, `"status":401`},
		{"forged token", iss.MintWith(authtest.MintOptions{Claims: map[string]any{"sub": "x", "aud": "orders-api", "scope": "orders:write"}, ForeignKey: true}), order, 401, `"status":401`},
		{"missing scope", reader, order, 403, `"status":403`},
		{"bad body", writer, `{"sku":"","quantity":0,"email":"jane.doe@example.com"}`, 400, `"instancePath":"/quantity"`},
		{"not JSON", writer, `{"sku":`, 400, `"status":400`},
		{"body over 64 KiB", writer, `{"sku":"` + strings.Repeat("a", 64<<10) + `"}`, 413, `"status":413`},
		{"order placed", writer, order, 201, `"placedBy":"user-7"`},
		// RATE_LIMIT is 4/1h: the two 400s, the 413 and the 201 above spent
		// user-7's four requests (the 401s and the 403 were never counted).
		{"limit spent", writer, order, 429, `"status":429`},
		{"another subject", iss.Mint(map[string]any{"sub": "user-9", "aud": "orders-api", "scope": "orders:write"}), order, 201, `"placedBy":"user-9"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := handle(context.Background(), httpAPIEvent(tt.token, tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status || !strings.Contains(resp.Body, tt.inBody) {
				t.Fatalf("got %d %s, want %d with %s", resp.StatusCode, resp.Body, tt.status, tt.inBody)
			}
			if retry := resp.Headers["Retry-After"]; (tt.status == 429) != (retry != "") {
				t.Errorf("Retry-After %q with status %d", retry, tt.status)
			}
		})
	}
	out := logs.String()
	if !strings.Contains(out, `"msg":"order received"`) {
		t.Fatalf("the order was not logged:\n%s", out)
	}
	for _, leak := range []string{dbPassword, email, card, writer, reader} {
		if strings.Contains(out, leak) {
			t.Errorf("logs leak %.24q...", leak)
		}
	}
}

// TestHandlerSecretUnavailable checks that a missing database secret is a
// 503 for the caller, not a crash or a leak.
func TestHandlerSecretUnavailable(t *testing.T) {
	iss := authtest.NewIssuer(t)
	var logs syncBuffer
	handle := testHandler(t, iss, &logs, "SECRET_NAME", "prod/absent-secret")
	token := iss.Mint(map[string]any{"sub": "user-7", "aud": "orders-api", "scope": "orders:write"})
	resp, err := handle(context.Background(), httpAPIEvent(token, `{"sku":"book-1","quantity":1,"email":"jane.doe@example.com"}`))
	if err != nil || resp.StatusCode != 503 {
		t.Fatalf("got %d %s, %v; want 503", resp.StatusCode, resp.Body, err)
	}
	if !strings.Contains(logs.String(), "database credentials unavailable") {
		t.Errorf("the failure was not logged:\n%s", logs.String())
	}
}

// testNow is the clock of testHandler's handlers.
var testNow = time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)

// testHandler builds the handler main starts, for a test issuer, with the
// secret read from the environment, its logs redacted into logs, and the
// environment variables given as name, value pairs.
func testHandler(tb testing.TB, iss *authtest.Issuer, logs *syncBuffer, env ...string) handler {
	tb.Helper()
	vars := map[string]string{"ISSUER_URL": iss.URL(), "AUDIENCE": "orders-api", "SECRETS_SOURCE": "env"}
	for i := 0; i+1 < len(env); i += 2 {
		vars[env[i]] = env[i+1]
	}
	cfg, err := loadConfig(func(k string) string { return vars[k] })
	if err != nil {
		tb.Fatal(err)
	}
	handle, err := newHandler(context.Background(), cfg, slog.New(redactingJSON(logs)), func() time.Time { return testNow })
	if err != nil {
		tb.Fatal(err)
	}
	return handle
}

// httpAPIEvent is a POST /orders event as API Gateway HTTP API sends it.
func httpAPIEvent(token, body string) events.APIGatewayV2HTTPRequest {
	e := events.APIGatewayV2HTTPRequest{
		Version:  "2.0",
		RouteKey: routePlaceOrder,
		RawPath:  "/orders",
		Headers:  map[string]string{"content-type": "application/json"},
		Body:     body,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "POST", Path: "/orders", SourceIP: "203.0.113.9"},
		},
	}
	if token != "" {
		e.Headers["authorization"] = "Bearer " + token
	}
	return e
}

// getEvent is a GET /orders/{id} event as API Gateway HTTP API sends it.
func getEvent(token, id string) events.APIGatewayV2HTTPRequest {
	e := events.APIGatewayV2HTTPRequest{
		Version:        "2.0",
		RouteKey:       routeGetOrder,
		RawPath:        "/orders/" + id,
		Headers:        map[string]string{},
		PathParameters: map[string]string{"id": id},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET", Path: "/orders/" + id, SourceIP: "203.0.113.9"},
		},
	}
	if token != "" {
		e.Headers["authorization"] = "Bearer " + token
	}
	return e
}

// TestGetOrder reads orders back with GET /orders/{id}, which has no body
// to validate: the caller's own order, and 404 for an unknown ID or
// someone else's order, as in examples/demo.
func TestGetOrder(t *testing.T) {
	iss := authtest.NewIssuer(t)
	t.Setenv(localSecretPrefix+"PROD_ORDERS_DB", `{"username":"orders","password":"local-only"}`)
	var logs syncBuffer
	handle := testHandler(t, iss, &logs, "SECRET_NAME", "prod/orders-db", "RATE_LIMIT", "20/1h")
	owner := iss.Mint(map[string]any{"sub": "user-7", "aud": "orders-api", "scope": "orders:write"})
	other := iss.Mint(map[string]any{"sub": "user-8", "aud": "orders-api", "scope": "orders:write"})
	reader := iss.Mint(map[string]any{"sub": "user-7", "aud": "orders-api", "scope": "orders:read"})

	resp, err := handle(context.Background(), httpAPIEvent(owner, `{"sku":"book-1","quantity":2,"email":"jane.doe@example.com"}`))
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("POST /orders: %d %s, %v; want 201", resp.StatusCode, resp.Body, err)
	}
	var created placed
	if err := json.Unmarshal([]byte(resp.Body), &created); err != nil {
		t.Fatal(err)
	}
	if loc := resp.Headers["Location"]; loc != "/orders/"+created.ID {
		t.Fatalf("Location %q, want /orders/%s", loc, created.ID)
	}
	want := placed{ID: created.ID, SKU: "book-1", Quantity: 2, PlacedBy: "user-7", PlacedAt: testNow}

	tests := []struct {
		name, token, id string
		status          int
		want            placed // for a 200
	}{
		{name: "own order", token: owner, id: created.ID, status: 200, want: want},
		{name: "no token", id: created.ID, status: 401},
		{name: "missing scope", token: reader, id: created.ID, status: 403},
		{name: "unknown id", token: owner, id: "ord-999", status: 404},
		{name: "empty id", token: owner, id: "", status: 404},
		{name: "another subject's order", token: other, id: created.ID, status: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := handle(context.Background(), getEvent(tt.token, tt.id))
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status {
				t.Fatalf("got %d %s, want %d", resp.StatusCode, resp.Body, tt.status)
			}
			if tt.status != 200 {
				if ct := resp.Headers["Content-Type"]; ct != "application/problem+json" {
					t.Errorf("Content-Type %q, want application/problem+json", ct)
				}
				if !strings.Contains(resp.Body, fmt.Sprintf(`"status":%d`, tt.status)) {
					t.Errorf("body %s, want a problem with status %d", resp.Body, tt.status)
				}
				return
			}
			var got placed
			if err := json.Unmarshal([]byte(resp.Body), &got); err != nil {
				t.Fatalf("decode %s: %v", resp.Body, err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if strings.Contains(resp.Body, "jane.doe") {
				t.Errorf("the order returned holds the email: %s", resp.Body)
			}
		})
	}
}

// TestUnknownRoute checks that a route the function does not serve gets a
// 404 problem, after the guards, rather than the POST handler.
func TestUnknownRoute(t *testing.T) {
	iss := authtest.NewIssuer(t)
	var logs syncBuffer
	handle := testHandler(t, iss, &logs, "SECRET_NAME", "prod/orders-db")
	token := iss.Mint(map[string]any{"sub": "user-7", "aud": "orders-api", "scope": "orders:write"})
	tests := []struct {
		name, routeKey string
		token          string
		status         int
	}{
		{"DELETE with a token", "DELETE /orders/{id}", token, 404},
		{"$default with a token", "$default", token, 404},
		{"DELETE without a token", "DELETE /orders/{id}", "", 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := getEvent(tt.token, "ord-1")
			e.RouteKey = tt.routeKey
			resp, err := handle(context.Background(), e)
			if err != nil || resp.StatusCode != tt.status {
				t.Fatalf("got %d %s, %v; want %d", resp.StatusCode, resp.Body, err, tt.status)
			}
		})
	}
}

// Example shows how RATE_LIMIT reads.
func Example() {
	r, err := parseRate("100/1m,20")
	fmt.Println(r.count, r.period, r.burst, err)
	_, err = parseRate("100 per minute")
	fmt.Println(err)
	// Output:
	// 100 1m0s 20 <nil>
	// want <count>/<period>[,<burst>], like "100/1m,20"
}

func redactingJSON(w *syncBuffer) slog.Handler {
	return redact.NewHandler(slog.NewJSONHandler(w, nil))
}
