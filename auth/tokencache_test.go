package auth

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"slices"
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
	if c1 == c2 || c1.Subject != c2.Subject {
		t.Fatalf("second Verify: got %p %+v, want a copy of %p %+v", c2, c2, c1, c1)
	}
	// The second Verify came from the cache: mark the entry and look again.
	ck := keyOf(tok)
	cached, is, gen, _ := v.cache.get(&ck)
	marked := *cached
	marked.Subject = "from-cache"
	v.cache.add(&ck, &marked, is, gen)
	if c3, err := v.Verify(context.Background(), tok); err != nil || c3.Subject != "from-cache" {
		t.Fatalf("third Verify: got %v, %v; want the cached claims", c3, err)
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

// TestCachedClaimsNotShared changes every list of the Claims that Verify
// returns, in place and by appending, and checks that the next Verify of
// the same token, a cache hit, still sees the verified values.
func TestCachedClaimsNotShared(t *testing.T) {
	clock := newVTClock()
	v := vtStaticVerifier(t, clock)
	tok := vtSign(t, "RS256", vtKeys().rsaA, "a1", nil, vtClaims(vtIssA, clock.now(), map[string]any{
		"aud": []string{vtAud, "other"}, "scope": "orders:read", "groups": []string{"users"},
	}))
	want := &Claims{Audience: []string{vtAud, "other"}, Scopes: []string{"orders:read"}, Groups: []string{"users"}}
	tamper := []struct {
		name string
		f    func(c *Claims)
	}{
		{"append to Scopes", func(c *Claims) { c.Scopes = append(c.Scopes, "orders:write") }},
		{"overwrite a scope", func(c *Claims) { c.Scopes[0] = "admin" }},
		{"append to Groups", func(c *Claims) { c.Groups = append(c.Groups, "admin") }},
		{"overwrite a group", func(c *Claims) { c.Groups[0] = "admin" }},
		{"append to Audience", func(c *Claims) { c.Audience = append(c.Audience, "billing") }},
		{"overwrite an audience", func(c *Claims) { c.Audience[1] = "billing" }},
		{"change the fields", func(c *Claims) { c.Subject, c.ClientID = "admin", "evil" }},
	}
	for _, tt := range tamper {
		t.Run(tt.name, func(t *testing.T) {
			for i := range 2 { // the first Verify may be the miss that fills the cache
				c, err := v.Verify(context.Background(), tok)
				if err != nil {
					t.Fatal(err)
				}
				if c.Subject != "user-1" || !slices.Equal(c.Audience, want.Audience) || !slices.Equal(c.Scopes, want.Scopes) ||
					!slices.Equal(c.Groups, want.Groups) || c.ClientID != "" {
					t.Fatalf("Verify %d: got sub %q aud %q scopes %q groups %q client %q, want the verified claims",
						i, c.Subject, c.Audience, c.Scopes, c.Groups, c.ClientID)
				}
				tt.f(c)
			}
		})
	}
	if v.cache.len() != 1 {
		t.Fatalf("cache len: got %d, want 1", v.cache.len())
	}
}

// TestClaimsClone checks that a clone's lists neither share storage with
// the original nor with each other: appending to one list of the copy
// leaves the copy's next list alone.
func TestClaimsClone(t *testing.T) {
	orig := &Claims{Subject: "s", Audience: []string{"a1", "a2"}, Scopes: []string{"s1"}, Groups: []string{"g1"}, raw: []byte(`{}`)}
	cp := orig.clone()
	cp.Audience = append(cp.Audience, "a3")
	cp.Scopes = append(cp.Scopes, "s2")
	cp.Scopes[0], cp.Groups[0] = "x", "y"
	if !slices.Equal(cp.Scopes, []string{"x", "s2"}) || !slices.Equal(cp.Groups, []string{"y"}) {
		t.Fatalf("copy: got scopes %q groups %q, want [x s2] [y]", cp.Scopes, cp.Groups)
	}
	if !slices.Equal(orig.Audience, []string{"a1", "a2"}) || !slices.Equal(orig.Scopes, []string{"s1"}) || !slices.Equal(orig.Groups, []string{"g1"}) {
		t.Fatalf("original changed: %q %q %q", orig.Audience, orig.Scopes, orig.Groups)
	}
	// More entries than fit with the copy: a separate array, same rules.
	long := &Claims{Audience: []string{"a1", "a2", "a3"}, Scopes: []string{"s1", "s2"}, Groups: []string{"g1"}}
	lc := long.clone()
	lc.Audience = append(lc.Audience, "a4")
	lc.Audience[0] = "x"
	if !slices.Equal(lc.Scopes, long.Scopes) || !slices.Equal(long.Audience, []string{"a1", "a2", "a3"}) || !slices.Equal(lc.Groups, long.Groups) {
		t.Fatalf("long lists: got copy %q %q %q, original %q", lc.Audience, lc.Scopes, lc.Groups, long.Audience)
	}
	empty := (&Claims{Scopes: []string{}}).clone()
	if empty.Audience != nil || empty.Groups != nil || empty.Scopes == nil || len(empty.Scopes) != 0 {
		t.Fatalf("nil and empty lists: got %#v %#v %#v, want nil, [] and nil", empty.Audience, empty.Scopes, empty.Groups)
	}
}
