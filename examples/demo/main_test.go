package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestDemoScenario(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out, false); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{
		"no token:                → 401",
		"forged token (alg none): → 401",
		"expired token:           → 401",
		"token for another API:   → 401",
		"read-only token:         → 403",
		"good token:              → 201",
		`error="insufficient_scope"`,
		`scope="orders:write"`,
		`"customer_email":"[REDACTED:email]"`,
		"was fetched 1 time(s)",
		"printed with %v it is [REDACTED]",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("transcript lacks %q", want)
		}
	}
	if n := strings.Count(got, "→ 201"); n != 2 {
		t.Errorf("%d requests succeeded, want 2 (HTTP and Lambda)", n)
	}
	for _, leak := range []string{"correct-horse-battery-staple", "jane.doe@example.com", "4111 1111 1111 1111", fakeJWT} {
		if strings.Contains(got, leak) {
			t.Errorf("transcript leaks %q", leak)
		}
	}
	if t.Failed() {
		t.Log(got)
	}
}
