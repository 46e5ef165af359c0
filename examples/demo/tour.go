package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/auth"
)

// tour drives the running server with the requests a client, an attacker
// and a misconfigured client would send, and prints what they got.
type tour struct {
	out      io.Writer
	base     string // the server's base URL
	iss      *devIssuer
	verifier *auth.Verifier
	api      *api
	client   *http.Client
}

// tourOrder is the order the tour places: it carries an email and a card
// number, which the logs must not show.
const tourOrder = `{"sku":"book-1","quantity":2,"email":"jane.doe@example.com","card_number":"4111 1111 1111 1111"}`

func (t *tour) run(ctx context.Context) error {
	fmt.Fprintf(t.out, "\n1. A development OpenID Connect issuer serves discovery and keys at %s\n", t.base)
	fmt.Fprintf(t.out, "2. auth.New found its keys by discovery (%d discovery and %d JWKS fetch, once, at start-up)\n",
		t.iss.discoveries.Load(), t.iss.keyFetches.Load())
	fmt.Fprintf(t.out, "3. POST %s/orders is guarded by auth.Middleware(v, auth.RequireScopes(%q))\n", t.base, writeScope)
	fmt.Fprintf(t.out, "   ratelimit.Middleware(limiter, ratelimit.WithKey(bySubject)) (%d orders a minute per subject)\n", ordersPerMinute)
	fmt.Fprintln(t.out, "   and validate.Middleware(schema), in that order.")
	fmt.Fprintln(t.out, "   Each request below logs one JSON line through redact.NewHandler, right under it.")
	fmt.Fprintln(t.out)

	good := map[string]any{"sub": "tour-user", "aud": audience, "scope": writeScope + " orders:read"}
	now := t.iss.now()
	forged, err := t.iss.sign(map[string]any{"alg": "none", "typ": "JWT"}, map[string]any{
		"iss": t.base, "sub": "tour-user", "aud": audience, "scope": writeScope, "exp": now.Add(time.Hour).Unix()})
	if err != nil {
		return err
	}
	steps := []struct {
		name   string
		claims map[string]any // nil: use token
		token  string
		body   string
	}{
		{name: "no token", body: tourOrder},
		{name: "forged token (alg none)", token: forged, body: tourOrder},
		{name: "expired token", claims: map[string]any{"sub": "tour-user", "aud": audience, "scope": writeScope,
			"iat": now.Add(-2 * time.Hour).Unix(), "exp": now.Add(-time.Hour).Unix()}, body: tourOrder},
		{name: "token for another API", claims: map[string]any{"sub": "tour-user", "aud": "billing-api", "scope": writeScope}, body: tourOrder},
		{name: "read-only token", claims: map[string]any{"sub": "tour-user", "aud": audience, "scope": "orders:read"}, body: tourOrder},
		{name: "good token", claims: good, body: tourOrder},
		{name: "good token, body not an order", claims: good, body: `{"sku":"","quantity":0,"email":"not-an-email"}`},
	}
	for _, s := range steps {
		token := s.token
		if s.claims != nil {
			if token, err = t.iss.mint(s.claims); err != nil {
				return err
			}
		}
		r, err := t.post(ctx, token, s.body)
		if err != nil {
			return err
		}
		r.print(t.out, "POST /orders, "+s.name)
	}

	// The good token and the bad body spent two of tour-user's orders:
	// the rest go now, then the limiter answers 429.
	goodToken, err := t.iss.mint(good)
	if err != nil {
		return err
	}
	var statuses []string
	for range ordersPerMinute {
		r, err := t.post(ctx, goodToken, tourOrder)
		if err != nil {
			return err
		}
		if r.status == http.StatusTooManyRequests {
			r.print(t.out, fmt.Sprintf("POST /orders, good token, again (%s)", strings.Join(statuses, " ")))
			break
		}
		statuses = append(statuses, strconv.Itoa(r.status))
	}

	fmt.Fprintln(t.out, "\n4. The same verifier guards a Lambda handler (API Gateway HTTP API events, invoked in process):")
	handler := auth.Lambda(t.verifier, func(ctx context.Context, e events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		c, _ := auth.ClaimsFromContext(ctx)
		return events.APIGatewayV2HTTPResponse{StatusCode: http.StatusCreated,
			Headers: map[string]string{"Content-Type": "application/json"},
			Body:    fmt.Sprintf(`{"placedBy":%q}`, c.Subject)}, nil
	}, auth.RequireScopes(writeScope))
	for _, s := range []struct{ name, token string }{{"no token", ""}, {"good token", goodToken}} {
		e := events.APIGatewayV2HTTPRequest{
			Version: "2.0", RawPath: "/orders", Body: tourOrder,
			Headers: map[string]string{"content-type": "application/json"},
			RequestContext: events.APIGatewayV2HTTPRequestContext{
				HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "POST", Path: "/orders", SourceIP: "198.51.100.7"},
			},
		}
		if s.token != "" {
			e.Headers["authorization"] = "Bearer " + s.token
		}
		resp, err := handler(ctx, e)
		if err != nil {
			return err
		}
		result{status: resp.StatusCode, challenge: header(resp.Headers, "WWW-Authenticate"), body: resp.Body}.
			print(t.out, "Lambda POST /orders, "+s.name)
	}
	return nil
}

// post sends body to POST /orders with token, if any.
func (t *tour) post(ctx context.Context, token, body string) (result, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.base+"/orders", strings.NewReader(body))
	if err != nil {
		return result{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := t.client.Do(req)
	if err != nil {
		return result{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return result{}, err
	}
	return result{status: resp.StatusCode, challenge: resp.Header.Get("WWW-Authenticate"),
		retryAfter: resp.Header.Get("Retry-After"), body: string(b)}, nil
}

// result is what one request of the tour got back.
type result struct {
	status                int
	challenge, retryAfter string
	body                  string
}

// nameWidth aligns the results of the tour's requests.
const nameWidth = 48

func (r result) print(out io.Writer, name string) {
	var b strings.Builder
	fmt.Fprintf(&b, "   %-*s → %d %s\n", nameWidth, name+":", r.status, http.StatusText(r.status))
	if r.challenge != "" {
		fmt.Fprintf(&b, "      WWW-Authenticate: %s\n", r.challenge)
	}
	if r.retryAfter != "" {
		fmt.Fprintf(&b, "      Retry-After: %s\n", r.retryAfter)
	}
	body := strings.TrimSpace(r.body)
	var compact bytes.Buffer
	if json.Compact(&compact, []byte(body)) == nil {
		body = compact.String()
	}
	if body != "" {
		fmt.Fprintf(&b, "      %s\n", body)
	}
	io.WriteString(out, b.String())
}

// header finds a header in a Lambda response's map whatever its case.
func header(h map[string]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// printCurls prints the commands to try against the running server. The
// demo's test runs exactly these lines, so keep to the curl options it
// understands (-s -i -X -H -d -o -w) and to $TOKEN.
func printCurls(out io.Writer, base string) {
	post := "curl -s -i -X POST " + base + "/orders -H 'Content-Type: application/json'"
	authz := ` -H "Authorization: Bearer $TOKEN"`
	fmt.Fprintf(out, `
Serving on %[1]s until Ctrl-C. Try, from another terminal:

  # 401: no token
  %[2]s -d '%[3]s'

  # a 15-minute DEVELOPMENT-ONLY token with the orders:write scope (minted for loopback callers only)
  TOKEN=$(curl -s '%[1]s/dev/token?scope=orders:write')

  # 201: the order is placed; its log line here shows the email and card number redacted
  %[2]s%[4]s -d '%[3]s'

  # 400: the body breaks the order schema; the answer lists the violations, without echoing values
  %[2]s%[4]s -d '{"sku":"","quantity":0,"email":"not-an-email"}'

  # 429 once dev-user's %[5]d orders a minute are spent (the two above count): the status of each try
  for i in 1 2 3 4 5; do %[2]s%[4]s -d '%[3]s' -o /dev/null -w '%%{http_code}\n'; done

  # 429 again, with Retry-After and the RateLimit headers
  %[2]s%[4]s -d '%[3]s'

Request logs follow, one JSON line per request.
`, base, post, tourOrder, authz, ordersPerMinute)
}
