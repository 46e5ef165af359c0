package redact

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// plainFindings scans s with the plain loop (runPending with nothing
// pending), which visits every byte outside words and every word start. The
// windowed loop of run must find exactly the same.
func plainFindings(r *Redactor, s string) ([]finding, bool) {
	sc := scanner{r: r, s: s}
	sc.runPending(0)
	return slices.Clone(sc.findings()), sc.openPEM
}

func checkWindowedScan(t *testing.T, r *Redactor, s string) {
	t.Helper()
	sc := scanner{r: r, s: s}
	sc.run()
	want, wantPEM := plainFindings(r, s)
	if got := sc.findings(); !slices.Equal(got, want) || sc.openPEM != wantPEM {
		t.Fatalf("windowed scan differs from the plain one on %q:\n got:  %v (open PEM %v)\n want: %v (open PEM %v)", s, got, sc.openPEM, want, wantPEM)
	}
}

// scanConfigs are Redactors whose scanner tables differ.
func scanConfigs() map[string]*Redactor {
	return map[string]*Redactor{
		"default":  New(),
		"phone+ip": New(WithDetectors(Phone, IP)),
		"keys":     New(WithKeys("x1", "zz9", "foo_bar")),
		"few":      New(WithoutDetectors(Card, SSN, JWT, Email, IBAN, PrivateKey)),
	}
}

func TestWindowedScanMatchesPlainScan(t *testing.T) {
	frags := []string{
		"password", "token", "api_key", "X-Api-Key", "secretary", "cvv", "iban", "x1", "zz9",
		"=", ":", ": ", `"`, "'", " ", "-", "--", "\n", "{", ",", "[", "@", "+", "(", ")", ".", "/", "//", "\\",
		"4111 1111 1111 1111", "4111111111111111", "123-45-6789", "555-867-5309", "2024-05-01T12:00:00Z", "1234", "12",
		"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AIzaSyA1234567890abcdefghijklmnopqrstu",
		"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl", "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
		"xoxb-1234567890-abcdefghij", "hooks.slack.com/services/T000/B000/XXXXXXXXXXXX", "sk_live_abcdefghij1234567890",
		"Bearer abcdefghijklmnop1234", "Basic dXNlcjpwYXNzd29yZA==", "postgres://u:p4ssw0rd!@db/x",
		"-----BEGIN PRIVATE KEY-----", "-----END PRIVATE KEY-----", "[REDACTED:email]", "jane@example.com",
		"GB82 WEST 1234 5698 7654 32", "+44 20 7946 0958", "10.1.2.3", "fe80::1", "INFO", "eu-west-1", "abc",
	}
	rnd := rand.New(rand.NewPCG(7, 11))
	lines := []string{cleanLine, twoFindingsLine, "", "a", "12", "--", "AKIAIOSFODNN7EXAMPLE"}
	for range 3000 {
		var b strings.Builder
		for range 1 + rnd.IntN(16) {
			b.WriteString(frags[rnd.IntN(len(frags))])
		}
		lines = append(lines, b.String())
	}
	for name, r := range scanConfigs() {
		t.Run(name, func(t *testing.T) {
			for _, s := range lines {
				checkWindowedScan(t, r, s)
			}
		})
	}
}

// TestKeyPrefilterKeepsEveryMatch checks that the prefilter (mayMatch and
// the backward readers used at ':' and '=') never rejects a key that the
// full matcher accepts.
func TestKeyPrefilterKeepsEveryMatch(t *testing.T) {
	m := newKeyMatcher([]string{"x1", "zz9", "foo_bar"})
	parts := []string{"pass", "word", "p", "a", "ss", "w", "ord", "tok", "en", "api", "key", "x", "1", "zz", "9", "foo", "bar",
		"ssn", "iban", "cvv", "db", "user", "Id", "SSN", "Token", "PASS", "secret", "ary", "count", "2"}
	seps := []string{"", "", "", "_", "-", ".", " ", "$"}
	rnd := rand.New(rand.NewPCG(3, 5))
	matched := 0
	for range 20000 {
		var b strings.Builder
		for range 1 + rnd.IntN(5) {
			b.WriteString(parts[rnd.IntN(len(parts))])
			b.WriteString(seps[rnd.IntN(len(seps))])
		}
		key := b.String()
		_, full := m.matchKey(key)
		if !full {
			continue
		}
		matched++
		if !m.mayMatch(key) {
			t.Fatalf("mayMatch(%q) = false, but the key matches", key)
		}
		s := `{"` + key + `":1}`
		if q, may := m.quotedKeyBack(s, 0, 2+len(key), '"'); q != 1 || !may {
			t.Fatalf("quotedKeyBack on %q = %d, %v; want 1, true", s, q, may)
		}
		if strings.ContainsAny(key, " $") {
			continue // not a bare key
		}
		s = "x " + key + "=1"
		if ks, may := m.bareKeyBack(s, 0, 2+len(key)); ks != 2 || !may {
			t.Fatalf("bareKeyBack on %q = %d, %v; want 2, true", s, ks, may)
		}
	}
	if matched < 1000 {
		t.Fatalf("only %d generated keys match; the test is too weak", matched)
	}
}
