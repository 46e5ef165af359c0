// Command demo shows fnshield at work on embedded defaults, with nothing to
// configure and no network beyond loopback.
//
// It starts a local OpenID Connect issuer (auth/authtest), an orders API
// guarded by auth.Middleware, and drives both: requests without a token, with
// forged, expired and under-scoped tokens, and with a good one. The same
// verifier then guards a Lambda handler for API Gateway HTTP API events,
// invoked in process. Every log line goes through redact.NewHandler, and the
// database password comes from a secrets.Cache that prints as [REDACTED].
//
//	go run ./examples/demo           # run the scenario and exit
//	go run ./examples/demo -serve    # then keep the API up until interrupted
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/auth"
	"github.com/fnshield/fnshield/auth/authtest"
	"github.com/fnshield/fnshield/redact"
	"github.com/fnshield/fnshield/secrets"
)

func main() {
	serve := flag.Bool("serve", false, "keep the orders API running after the scenario, until interrupted")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, *serve); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

// The embedded defaults: the demo's audience, scope and database secret.
const (
	audience   = "orders-api"
	writeScope = "orders:write"
	dbSecret   = `{"user":"orders","password":"correct-horse-battery-staple"}`
)

// step is one request of the scenario and its outcome.
type step struct {
	Name   string
	Status int
	Header string // WWW-Authenticate, if any
	Body   string
}

// app is the demo's orders API: its dependencies are built once, at start-up.
type app struct {
	log *slog.Logger
	db  *secrets.Cache
}

func (a *app) placeOrder(ctx context.Context) (string, error) {
	var db struct{ User, Password string }
	if err := a.db.GetJSON(ctx, "demo/db", &db); err != nil {
		return "", err
	}
	c, _ := auth.ClaimsFromContext(ctx)
	// A careless log line: redact.NewHandler keeps it safe.
	a.log.InfoContext(ctx, "order placed",
		"subject", c.Subject,
		"customer_email", "jane.doe@example.com",
		"card", "4111 1111 1111 1111",
		"db_password", db.Password,
		slog.Group("request", "authorization", "Bearer "+fakeJWT, "path", "/orders"),
	)
	return fmt.Sprintf(`{"order":"ord-1","placedBy":%q}`, c.Subject), nil
}

// fakeJWT looks like a token, so that the log line above has one to hide.
const fakeJWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIn0.c2lnbmF0dXJl"

func run(ctx context.Context, out io.Writer, serve bool) error {
	fmt.Fprintln(out, "fnshield demo: everything runs on this machine, on embedded defaults.")

	var logs bytes.Buffer
	logger := slog.New(redact.NewHandler(slog.NewJSONHandler(&logs, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // keep the transcript short
			}
			return a
		},
	})))

	iss, err := authtest.New()
	if err != nil {
		return err
	}
	defer iss.Close()
	fmt.Fprintf(out, "\n1. A local OpenID Connect issuer serves discovery and keys at %s\n", iss.URL())

	v, err := auth.New(ctx,
		auth.WithIssuer(iss.URL()),
		auth.WithAudience(audience),
		auth.WithHTTPClient(iss.Client()),
		auth.WithLogger(logger),
	)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "2. auth.New discovered the issuer and loaded its keys (%d fetches, once, at start-up)\n",
		iss.Requests(authtest.DiscoveryPath)+iss.Requests(authtest.JWKSPath))

	fetches := 0
	db := secrets.New(secrets.ProviderFunc(func(ctx context.Context, name string) ([]byte, error) {
		fetches++
		return secrets.Static(map[string]string{"demo/db": dbSecret}).Fetch(ctx, name)
	}))
	a := &app{log: logger, db: db}

	mux := http.NewServeMux()
	mux.Handle("POST /orders", auth.Middleware(v, auth.RequireScopes(writeScope))(http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			body, err := a.placeOrder(r.Context())
			if err != nil {
				http.Error(w, "order failed", http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, body)
		})))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	api := "http://" + ln.Addr().String() + "/orders"
	fmt.Fprintf(out, "3. The orders API listens at %s, guarded by auth.Middleware(v, auth.RequireScopes(%q))\n\n", api, writeScope)

	tokens := scenarioTokens(iss)
	for _, tc := range tokens {
		s, err := post(ctx, api, tc.token)
		if err != nil {
			return err
		}
		s.Name = tc.name
		printStep(out, s)
	}

	fmt.Fprintln(out, "\n4. The same verifier guards a Lambda handler (API Gateway HTTP API event, invoked in process):")
	handler := auth.Lambda(v, func(ctx context.Context, e events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		body, err := a.placeOrder(ctx)
		if err != nil {
			return events.APIGatewayV2HTTPResponse{StatusCode: 500}, err
		}
		return events.APIGatewayV2HTTPResponse{StatusCode: 201, Body: body,
			Headers: map[string]string{"content-type": "application/json"}}, nil
	}, auth.RequireScopes(writeScope))
	for _, tc := range tokens[len(tokens)-2:] {
		e := events.APIGatewayV2HTTPRequest{
			RawPath: "/orders",
			Headers: map[string]string{"authorization": "Bearer " + tc.token},
			RequestContext: events.APIGatewayV2HTTPRequestContext{
				HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "POST", Path: "/orders", SourceIP: "198.51.100.7"},
			},
		}
		resp, err := handler(ctx, e)
		if err != nil {
			return err
		}
		printStep(out, step{Name: tc.name, Status: resp.StatusCode, Header: lookup(resp.Headers, "WWW-Authenticate"), Body: resp.Body})
	}

	fmt.Fprintln(out, "\n5. What the handlers logged, through redact.NewHandler:")
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		fmt.Fprintln(out, "   "+line)
	}

	val, err := db.Get(ctx, "demo/db")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\n6. secrets: demo/db was fetched %d time(s) for all the orders above; printed with %%v it is %v\n", fetches, val)

	if serve {
		fmt.Fprintf(out, "\nServing %s until interrupted. Try:\n  curl -i -X POST %s -H 'Authorization: Bearer %s'\n",
			api, api, iss.Mint(map[string]any{"sub": "curl-user", "aud": audience, "scope": writeScope, "exp": time.Now().Add(time.Hour).Unix()}))
		<-ctx.Done()
	}
	return nil
}

type namedToken struct{ name, token string }

func scenarioTokens(iss *authtest.Issuer) []namedToken {
	good := map[string]any{"sub": "user-42", "aud": audience, "scope": writeScope + " orders:read"}
	return []namedToken{
		{"no token", ""},
		{"forged token (alg none)", iss.MintWith(authtest.MintOptions{Claims: good, Algorithm: "none"})},
		{"expired token", iss.Mint(map[string]any{"sub": "user-42", "aud": audience, "scope": writeScope,
			"iat": time.Now().Add(-2 * time.Hour).Unix(), "exp": time.Now().Add(-time.Hour).Unix()})},
		{"token for another API", iss.Mint(map[string]any{"sub": "user-42", "aud": "billing-api", "scope": writeScope})},
		{"read-only token", iss.Mint(map[string]any{"sub": "user-42", "aud": audience, "scope": "orders:read"})},
		{"good token", iss.Mint(good)},
	}
}

func post(ctx context.Context, url, token string) (step, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(`{"sku":"book-1"}`))
	if err != nil {
		return step{}, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return step{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if err != nil {
		return step{}, err
	}
	return step{Status: resp.StatusCode, Header: resp.Header.Get("WWW-Authenticate"), Body: string(body)}, nil
}

func printStep(out io.Writer, s step) {
	fmt.Fprintf(out, "   POST /orders, %-24s → %d %s\n", s.Name+":", s.Status, http.StatusText(s.Status))
	if s.Header != "" {
		fmt.Fprintf(out, "      WWW-Authenticate: %s\n", s.Header)
	}
	body := s.Body
	var compact bytes.Buffer
	if json.Compact(&compact, []byte(body)) == nil {
		body = compact.String()
	}
	if body != "" {
		fmt.Fprintf(out, "      %s\n", body)
	}
}

// lookup finds a header in a Lambda response's map whatever its case.
func lookup(h map[string]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}
