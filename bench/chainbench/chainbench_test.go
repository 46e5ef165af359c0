package chainbench

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
)

const body = `{"id":"ord-1234","customer":"cus-5678","currency":"EUR","items":[{"sku":"SKU-1","qty":2,"price":9.99}]}`

// TestParity checks that the guarded handler serves the benchmark's
// request as the bare one does, with its log line redacted, and that it
// really guards: a request without a valid token, without the scope or
// with an invalid payload never reaches the handler.
func TestParity(t *testing.T) {
	var bareLog, guardedLog bytes.Buffer
	s, err := NewSetup(0, &bareLog, &guardedLog)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	for _, h := range []struct {
		name string
		h    Handler
	}{{Bare, s.Bare}, {Fnshield, s.Guarded}} {
		resp, err := h.h(ctx, Event(s.Token, body))
		if err != nil || resp.StatusCode != 201 {
			t.Errorf("%s: benchmark request = %d, %v; want 201", h.name, resp.StatusCode, err)
		}
	}
	if !strings.Contains(bareLog.String(), "jane.doe@example.com") {
		t.Errorf("bare log lacks the email: %s", bareLog.String())
	}
	if g := guardedLog.String(); strings.Contains(g, "jane.doe@example.com") || !strings.Contains(g, `"subject":"user-123456"`) {
		t.Errorf("guarded log is not redacted, or lacks the verified subject: %s", g)
	}

	guardedLog.Reset()
	noScope := s.Issuer.Mint(map[string]any{"sub": "user-1", "aud": Audience, "scope": "orders:read"})
	tests := []struct {
		name, token, body string
		want              int
	}{
		{"no_token", "", body, 401},
		{"forged_token", s.Token[:len(s.Token)-4] + "AAAA", body, 401},
		{"missing_scope", noScope, body, 403},
		{"invalid_payload", s.Token, strings.Replace(body, `"qty":2`, `"qty":0`, 1), 400},
		{"not_json", s.Token, `{"id":`, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Event(tt.token, tt.body)
			if tt.token == "" {
				delete(e.Headers, "authorization")
			}
			resp, err := s.Guarded(ctx, e)
			if err != nil || resp.StatusCode != tt.want {
				t.Errorf("guarded = %d, %v; want %d", resp.StatusCode, err, tt.want)
			}
		})
	}
	if guardedLog.Len() != 0 {
		t.Errorf("a rejected request reached the handler: %s", guardedLog.String())
	}
}

// BenchmarkChain invokes each handler with the same HTTP API event.
// fresh_token: the verifier's token cache is off, so the request pays the
// ES256 signature check, as a client's first request does. repeated_token:
// the cache is on and the client's token comes back.
func BenchmarkChain(b *testing.B) {
	for _, mode := range []struct {
		name  string
		cache int
	}{{"fresh_token", 0}, {"repeated_token", 1024}} {
		s, err := NewSetup(mode.cache, io.Discard, io.Discard)
		if err != nil {
			b.Fatal(err)
		}
		e := Event(s.Token, body)
		ctx := context.Background()
		for _, h := range []struct {
			name string
			h    Handler
		}{{Fnshield, s.Guarded}, {Bare, s.Bare}} {
			b.Run(mode.name+"/"+h.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(e.Body)))
				for b.Loop() {
					resp, err := h.h(ctx, e)
					if err != nil || resp.StatusCode != 201 {
						b.Fatalf("%d, %v", resp.StatusCode, err)
					}
				}
			})
		}
		s.Close()
	}
}
