package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
)

// line is how the tour prints a request's name and status.
func line(name string, status int) string {
	return fmt.Sprintf("%-*s → %d", nameWidth, name+":", status)
}

// TestTour runs the scripted tour in process, as `make demo ARGS=-tour-only`
// does, and checks what it shows.
func TestTour(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out, options{addr: "127.0.0.1:0", tourOnly: true}); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{
		line("POST /orders, no token", 401),
		line("POST /orders, forged token (alg none)", 401),
		line("POST /orders, expired token", 401),
		line("POST /orders, token for another API", 401),
		line("POST /orders, read-only token", 403),
		line("POST /orders, good token", 201),
		line("POST /orders, good token, body not an order", 400),
		`"violations":[`,
		line("POST /orders, good token, again (201 201 201)", 429),
		"Retry-After: ",
		`{"instancePath":"/quantity","keyword":"minimum"`,
		line("Lambda POST /orders, no token", 401),
		line("Lambda POST /orders, good token", 201),
		`error="insufficient_scope"`,
		`scope="orders:write"`,
		"(1 discovery and 1 JWKS fetch",
		"printed with %v it is [REDACTED]",
		`"msg":"order received"`,
		`"email":"[REDACTED:email]"`,
		`"card_number":"[REDACTED:card]"`,
		`"authorization":"[REDACTED:authorization]"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("transcript lacks %q", want)
		}
	}
	for _, leak := range []string{"jane.doe@example.com", "4111 1111 1111 1111", "Bearer ey"} {
		if strings.Contains(got, leak) {
			t.Errorf("transcript leaks %q", leak)
		}
	}
	if strings.Contains(got, "Serving on") {
		t.Error("-tour-only printed the serving instructions")
	}
	if t.Failed() {
		t.Log(got)
	}
}

func TestRunRefusesNonLoopback(t *testing.T) {
	tests := []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:8080", true},
		{"[::1]:8080", true},
		{"localhost:0", true},
		{"0.0.0.0:8080", false},
		{":8080", false},
		{"192.0.2.1:8080", false},
		{"example.com:80", false},
		{"127.0.0.1", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			if err := checkLoopback(tt.addr); (err == nil) != tt.ok {
				t.Fatalf("checkLoopback(%q) = %v, want ok=%v", tt.addr, err, tt.ok)
			}
		})
	}
	var out bytes.Buffer
	if err := run(context.Background(), &out, options{addr: "0.0.0.0:0", tourOnly: true}); err == nil {
		t.Fatal("run on 0.0.0.0 succeeded, want an error")
	}
}

func TestSigningKeyFromEnv(t *testing.T) {
	tests := []struct {
		name, value string
		wantErr     bool
	}{
		{"valid seed", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", false},
		{"not base64", "not base64!", true},
		{"short seed", "AAECAw==", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("FNSHIELD_DEMO_SIGNING_KEY", tt.value)
			var out bytes.Buffer
			err := run(context.Background(), &out, options{addr: "127.0.0.1:0", tourOnly: true})
			if (err != nil) != tt.wantErr {
				t.Fatalf("run = %v, want error %v\n%s", err, tt.wantErr, out.String())
			}
			if err != nil && strings.Contains(err.Error(), tt.value) {
				t.Errorf("error %q repeats the secret", err)
			}
			if !tt.wantErr && !strings.Contains(out.String(), "from the environment (FNSHIELD_DEMO_SIGNING_KEY)") {
				t.Errorf("transcript does not say the key came from the environment")
			}
		})
	}
}

// Example shows the addresses the demo agrees to serve on.
func Example() {
	for _, addr := range []string{"127.0.0.1:8080", "[::1]:0", "0.0.0.0:8080"} {
		fmt.Println(addr, checkLoopback(addr) == nil)
	}
	// Output:
	// 127.0.0.1:8080 true
	// [::1]:0 true
	// 0.0.0.0:8080 false
}
