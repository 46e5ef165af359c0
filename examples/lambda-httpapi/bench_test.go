package main

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/auth/authtest"
)

// BenchmarkHandler measures one invocation of the whole chain (auth,
// ratelimit, validate, the handler and its redacted log lines), in
// process, for the requests the function sees most and for an attacker's.
func BenchmarkHandler(b *testing.B) {
	iss := authtest.NewIssuer(b)
	b.Setenv(localSecretPrefix+"PROD_ORDERS_DB", `{"username":"orders","password":"bench-password"}`)
	handle := testHandler(b, iss, &syncBuffer{}, "SECRET_NAME", "prod/orders-db", "RATE_LIMIT", "1000000000/1h")
	token := iss.Mint(map[string]any{"sub": "user-7", "aud": "orders-api", "scope": "orders:write"})
	order := `{"sku":"book-1","quantity":2,"email":"jane.doe@example.com","card_number":"4111 1111 1111 1111"}`
	// Attackers' bodies: 60 KiB of junk within the 64 KiB limit, which
	// must be parsed to be refused, and 1 MiB over it, refused unread.
	junk := `{"sku":"book-1","quantity":2,"email":"a@example.com","x":"` + strings.Repeat("[{", 30<<10) + `"}`
	huge := strings.Repeat(" ", 1<<20)
	cases := []struct {
		name   string
		e      events.APIGatewayV2HTTPRequest
		status int
	}{
		{"order placed", httpAPIEvent(token, order), 201}, // ord-1, first
		{"order read", getEvent(token, "ord-1"), 200},
		{"no token", httpAPIEvent("", order), 401},
		{"forged token", httpAPIEvent("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", order), 401},
		{"60KiB invalid body", httpAPIEvent(token, junk), 400},
		{"1MiB body", httpAPIEvent(token, huge), 413},
	}
	for _, c := range cases {
		e := c.e
		if resp, err := handle(context.Background(), e); err != nil || resp.StatusCode != c.status {
			b.Fatalf("%s: status %d, %v; want %d", c.name, resp.StatusCode, err, c.status)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(e.Body)))
			for b.Loop() {
				_, _ = handle(context.Background(), e)
			}
		})
	}
}
