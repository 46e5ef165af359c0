package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/auth/authtest"
	"github.com/fnshield/fnshield/internal/testtool"
)

// syncBuffer collects the emulator's output, written from its goroutines.
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

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestUnderRuntimeEmulator builds the function, runs it under the AWS Lambda
// Runtime Interface Emulator with the real aws-lambda-go runtime client, and
// invokes it with HTTP API events, as API Gateway would.
func TestUnderRuntimeEmulator(t *testing.T) {
	rie := testtool.Require(t, "aws-lambda-rie", "run 'make tools' to build it into .bin/")
	if testing.Short() {
		t.Skip("skipping the emulator test in -short mode")
	}

	dir := t.TempDir()
	bootstrap := filepath.Join(dir, "bootstrap")
	build := exec.Command("go", "build", "-o", bootstrap, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	iss := authtest.NewIssuer(t)
	const dbPassword = "hunter2-correct-horse"
	invokeAddr, runtimeAddr := freeAddr(t), freeAddr(t)
	var logs syncBuffer
	cmd := exec.Command(rie,
		"--runtime-interface-emulator-address", invokeAddr,
		"--runtime-api-address", runtimeAddr,
		bootstrap)
	cmd.Env = append(os.Environ(),
		"OIDC_ISSUER="+iss.URL(),
		`APP_DB={"password":"`+dbPassword+`"}`,
		"AWS_LAMBDA_FUNCTION_TIMEOUT=30",
		"LOG_LEVEL=error",
	)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start emulator: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("emulator output:\n%s", logs.String())
		}
	})
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", invokeAddr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("emulator did not listen on %s: %v", invokeAddr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}

	invoke := func(t *testing.T, token, body string) events.APIGatewayV2HTTPResponse {
		t.Helper()
		e := events.APIGatewayV2HTTPRequest{
			Version:  "2.0",
			RouteKey: "POST /orders",
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
		payload, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost,
			"http://"+invokeAddr+"/2015-03-31/functions/function/invocations", bytes.NewReader(payload))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("invoke: %v", err)
		}
		defer resp.Body.Close()
		var out events.APIGatewayV2HTTPResponse
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			t.Fatalf("decode invocation result (HTTP %d): %v", resp.StatusCode, err)
		}
		return out
	}

	writer := iss.Mint(map[string]any{"sub": "user-7", "aud": "orders-api", "scope": "orders:write"})
	reader := iss.Mint(map[string]any{"sub": "user-7", "aud": "orders-api", "scope": "orders:read"})
	order := `{"sku":"book-1","quantity":2,"email":"jane.doe@example.com"}`
	tests := []struct {
		name, token, body string
		status            int
		challenge         string // in WWW-Authenticate
		inBody            string
	}{
		{"no token", "", order, 401, `Bearer realm="fnshield"`, `"status":401`},
		{"forged token", iss.MintWith(authtest.MintOptions{Claims: map[string]any{"sub": "x", "aud": "orders-api", "scope": "orders:write"}, ForeignKey: true}), order, 401, `error="invalid_token"`, `"status":401`},
		{"missing scope", reader, order, 403, `scope="orders:write"`, `"status":403`},
		{"bad body", writer, `{"sku":""}`, 400, "", `"error"`},
		{"order placed", writer, order, 201, "", `"placedBy":"user-7"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := invoke(t, tt.token, tt.body)
			if got.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d (body %s)", got.StatusCode, tt.status, got.Body)
			}
			var challenge string
			for k, v := range got.Headers {
				if strings.EqualFold(k, "WWW-Authenticate") {
					challenge = v
				}
			}
			if !strings.Contains(challenge, tt.challenge) {
				t.Errorf("WWW-Authenticate = %q, want it to contain %q", challenge, tt.challenge)
			}
			if !strings.Contains(got.Body, tt.inBody) {
				t.Errorf("body = %s, want it to contain %s", got.Body, tt.inBody)
			}
			if tt.token != "" && strings.Contains(got.Body, tt.token) {
				t.Errorf("response body echoes the token")
			}
		})
	}

	// The function's log lines reach the emulator's output; give the last
	// one a moment to be flushed through.
	deadline = time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), `"msg":"order placed"`) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	out := logs.String()
	if !strings.Contains(out, `"msg":"order placed"`) {
		t.Fatalf("no order log line in the function's output:\n%s", out)
	}
	for _, leak := range []string{dbPassword, "jane.doe@example.com", writer, reader} {
		if strings.Contains(out, leak) {
			t.Errorf("function output leaks %.24q...", leak)
		}
	}
	if !strings.Contains(out, `"email":"[REDACTED:email]"`) {
		t.Errorf("email attribute not redacted in:\n%s", out)
	}
}
