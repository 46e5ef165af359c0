package auth

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestTokenCacheLRU(t *testing.T) {
	c := newTokenCache(3)
	key := func(i int) *tokenKey {
		k := tokenKey(sha256.Sum256([]byte(fmt.Sprint(i))))
		return &k
	}
	is := &issuer{}
	for i := range 3 {
		c.add(key(i), &Claims{Subject: fmt.Sprint(i)}, is, 1)
	}
	if _, _, _, ok := c.get(key(0)); !ok { // 0 becomes most recent
		t.Fatal("entry 0 missing")
	}
	c.add(key(3), &Claims{}, is, 1) // evicts 1, the least recent
	for i, want := range []bool{true, false, true, true} {
		if _, _, _, ok := c.get(key(i)); ok != want {
			t.Errorf("entry %d: got present=%v, want %v", i, ok, want)
		}
	}
	if got := c.len(); got != 3 {
		t.Errorf("len: got %d, want 3", got)
	}
	c.remove(key(0))
	if _, _, _, ok := c.get(key(0)); ok {
		t.Error("entry 0 present after remove")
	}
	c.add(key(2), &Claims{Subject: "new"}, is, 2) // replace keeps size
	if cl, _, gen, _ := c.get(key(2)); cl.Subject != "new" || gen != 2 || c.len() != 2 {
		t.Errorf("replace: got %q gen %d len %d", cl.Subject, gen, c.len())
	}
}

func TestTokenCacheHit(t *testing.T) {
	clock := newVTClock()
	k := vtKeys()
	v := vtStaticVerifier(t, clock, WithTokenCache(2))
	now := clock.now()
	tok := vtSign(t, "RS256", k.rsaA, "a1", nil, vtClaims(vtIssA, now, map[string]any{"exp": now.Add(time.Minute).Unix()}))
	c1, err := v.Verify(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := v.Verify(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	if c1 != c2 {
		t.Fatal("second Verify did not come from the cache")
	}
	// Time claims are re-checked on a hit.
	clock.advance(2 * time.Minute)
	_, err = v.Verify(context.Background(), tok)
	vtWantErr(t, tok, err, ErrExpired)
	if got := v.cache.len(); got != 0 {
		t.Fatalf("expired entry kept: len %d", got)
	}
	// Bounded: many tokens never grow it past its size.
	for i := range 5 {
		tk := vtSign(t, "ES256", k.ec256, "e1", nil, vtClaims(vtIssA, clock.now(), map[string]any{"jti": fmt.Sprint(i)}))
		if _, err := v.Verify(context.Background(), tk); err != nil {
			t.Fatal(err)
		}
	}
	if got := v.cache.len(); got != 2 {
		t.Fatalf("len: got %d, want 2", got)
	}
	// Failed tokens are not cached.
	bad := vtSign(t, "RS256", k.rsaA, "a1", nil, vtClaims(vtIssA, clock.now(), map[string]any{"aud": "x"}))
	for range 2 {
		_, err := v.Verify(context.Background(), bad)
		vtWantErr(t, bad, err, ErrBadAudience)
	}
}

func TestTokenCacheOff(t *testing.T) {
	v := vtStaticVerifier(t, newVTClock(), WithTokenCache(0))
	if v.cache != nil {
		t.Fatal("WithTokenCache(0): cache still on")
	}
	v = vtStaticVerifier(t, newVTClock())
	if v.cache == nil || v.cache.size != defaultCacheSize {
		t.Fatalf("default cache: got %+v, want size %d", v.cache, defaultCacheSize)
	}
}

func TestConcurrentVerify(t *testing.T) {
	clock := newVTClock()
	k := vtKeys()
	v := vtStaticVerifier(t, clock, WithTokenCache(4))
	now := clock.now()
	tokens := []struct {
		tok string
		ok  bool
	}{
		{vtSign(t, "RS256", k.rsaA, "a1", nil, vtClaims(vtIssA, now, nil)), true},
		{vtSign(t, "ES256", k.ec256, "e1", nil, vtClaims(vtIssA, now, nil)), true},
		{vtSign(t, "EdDSA", k.ed, "d1", nil, vtClaims(vtIssA, now, map[string]any{"sub": "x"})), true},
		{vtSign(t, "RS256", k.rsaB, "b1", nil, vtClaims(vtIssB, now, nil)), true},
		{vtSign(t, "RS256", k.rsaB, "a1", nil, vtClaims(vtIssA, now, nil)), false},
		{vtSign(t, "ES256", k.ec256, "e1", nil, vtClaims(vtIssA, now, map[string]any{"aud": "x"})), false},
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 30 {
				tt := tokens[(g+i)%len(tokens)]
				c, err := v.Verify(context.Background(), tt.tok)
				if (err == nil) != tt.ok || (tt.ok && c.Issuer == "") {
					t.Errorf("token %d: got err %v, want ok=%v", (g+i)%len(tokens), err, tt.ok)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestDenialLog(t *testing.T) {
	clock := newVTClock()
	k := vtKeys()
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	v := vtStaticVerifier(t, clock, WithLogger(logger))
	now := clock.now()
	expired := vtSign(t, "RS256", k.rsaA, "a1", nil, vtClaims(vtIssA, now, map[string]any{"exp": now.Add(-time.Hour).Unix(), "sub": "alice"}))
	forged := vtSign(t, "RS256", k.rsaB, "a1", nil, vtClaims(vtIssA, now, map[string]any{"sub": "mallory"}))
	good := vtSign(t, "RS256", k.rsaA, "a1", nil, vtClaims(vtIssA, now, nil))
	for _, tok := range []string{expired, forged, good} {
		_, _ = v.Verify(context.Background(), tok)
	}
	v.record(context.Background(), newError(ErrInsufficientScope, nil), &Claims{Issuer: vtIssA, Subject: "bob"})
	out := buf.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("log lines: got %d, want 3 (two denials, one scope denial):\n%s", len(lines), out)
	}
	for _, want := range []string{"reason=expired", "subject=alice", "level=WARN", "reason=bad_signature", "reason=insufficient_scope", "subject=bob"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "mallory") {
		t.Error("log names the subject of an unverified token")
	}
	for _, tok := range []string{expired, forged, good} {
		for _, seg := range strings.Split(tok, ".") {
			if strings.Contains(out, seg) {
				t.Fatal("log contains part of a token")
			}
		}
	}
}
