package redact

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
)

// refKeyWords is quotedKeyWords written the plain way: the last q in the 16
// bytes before ke, and the bytes from it to ke placed where the little-endian
// words put them.
func refKeyWords(s string, ke int, q byte) (lo, hi uint64, open int, ok bool) {
	open = strings.LastIndexByte(s[max(ke-16, 0):ke], q)
	if open < 0 {
		return 0, 0, 0, false
	}
	open += max(ke-16, 0)
	for k := open; k < ke; k++ {
		if d := ke - k; d <= 8 {
			hi |= uint64(s[k]) << (8 * (8 - d))
		} else {
			lo |= uint64(s[k]) << (8 * (16 - d))
		}
	}
	return lo, hi, open, true
}

func TestKeyWordsMatchReference(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 5))
	alphabet := []byte{'"', '\'', 'a', 'Z', '_', '\\', ':', 0, 0xff, 0x7f, 0x80, 0x22 | 0x80}
	for range 20000 {
		b := make([]byte, rnd.IntN(40))
		for i := range b {
			b[i] = alphabet[rnd.IntN(len(alphabet))]
		}
		s := string(b)
		for ke := range len(s) + 1 {
			for _, q := range []byte{'"', '\''} {
				lo, hi, open, ok := quotedKeyWords(s, ke, q)
				rlo, rhi, ropen, rok := refKeyWords(s, ke, q)
				if ok != rok || ok && (lo != rlo || hi != rhi || open != ropen) {
					t.Fatalf("quotedKeyWords(%q, %d, %q) = %x %x %d %v; want %x %x %d %v", s, ke, q, lo, hi, open, ok, rlo, rhi, ropen, rok)
				}
				if ke >= len(s) || s[ke] != q {
					continue
				}
				// knownKey finds the same key, and only that one.
				c, other := new(cleanKeys), new(cleanKeys)
				if rok {
					c.store(rlo, rhi)
					other.store(rlo, rhi^1<<(8*rnd.IntN(8)))
				}
				for _, lim := range []int{0, ke - 4, ke - 8, ke - 16, ke - 17} {
					want := rok && ropen >= lim
					sc := scanner{r: &Redactor{clean: c}, s: s, lo: lim}
					if got := sc.knownKey(ke + 1); got != want {
						t.Fatalf("knownKey on %q, key end %d, lo %d = %v; want %v", s, ke, lim, got, want)
					}
					sc.r.clean = other
					if sc.knownKey(ke+1) || rok && ropen >= lim && (sc.keyAt != ke+2 || sc.keyLo != rlo || sc.keyHi != rhi) {
						t.Fatalf("knownKey on %q, key end %d, lo %d: matched another key or left other words", s, ke, lim)
					}
				}
			}
		}
	}
}

// withoutKeyCache returns a Redactor like New(opts...) that remembers no
// keys, the reference for what the cache may not change.
func withoutKeyCache(opts ...Option) *Redactor {
	r := New(opts...)
	r.clean = nil
	return r
}

func keyCacheLines() []string {
	rnd := rand.New(rand.NewPCG(9, 1))
	keys := []string{
		"time", "level", "msg", "a", "ab", "pwd", "ssn", "iban", "token", "tokens", "secret", "secretary",
		"session_id", "request_id", "duration_ms", "api_key", "x-api-key", "X-Api-Key", "passwd", "password",
		"db_password", "token_count", "cvv", "card_number", "pwd\\", `a\"b`, "", "k'ey", "authorization",
		"privateKey", "status", "region", "accessToken", "tok", "sess", "passw", "ord", "x_token",
	}
	var lines []string
	for range 3000 {
		var b strings.Builder
		b.WriteString("{")
		for j := range 1 + rnd.IntN(8) {
			if j > 0 {
				b.WriteString(",")
			}
			q := `"`
			if rnd.IntN(8) == 0 {
				q = `'`
			}
			fmt.Fprintf(&b, `%s%s%s:"v%dhunter2"`, q, keys[rnd.IntN(len(keys))], q, rnd.IntN(100))
		}
		b.WriteString("}")
		lines = append(lines, b.String())
	}
	return lines
}

// The cache of clean keys changes no result: a Redactor that has seen
// every line before redacts each exactly as one without the cache.
func TestKeyCacheKeepsResults(t *testing.T) {
	lines := keyCacheLines()
	for name, r := range scanConfigs() {
		plain := *r
		plain.clean = nil
		for pass := range 3 {
			for _, s := range lines {
				if got, want := r.String(s), plain.String(s); got != want {
					t.Fatalf("%s, pass %d: with the key cache %q\n got:  %q\n want: %q", name, pass, s, got, want)
				}
			}
		}
	}
}

// Concurrent writers and readers never make the cache take a sensitive key
// for a remembered clean one: the slots are seqlocked, so no key is read
// as half of one and half of another.
func TestKeyCacheConcurrent(t *testing.T) {
	r := New()
	// Clean and sensitive keys of the same lengths, 1 to 15 bytes, so that
	// they meet in the same slots.
	var clean, sensitive []string
	for n := 1; n <= 15; n++ {
		clean = append(clean, strings.Repeat("q", n))
		sensitive = append(sensitive, strings.Repeat("q", max(n-5, 0))+"token"[:min(n, 5)])
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Go(func() {
			rnd := rand.New(rand.NewPCG(uint64(g), 2))
			for range 3000 {
				var b strings.Builder
				for range 6 {
					k := clean[rnd.IntN(len(clean))]
					if rnd.IntN(3) == 0 {
						k = sensitive[rnd.IntN(len(sensitive))]
					}
					fmt.Fprintf(&b, `,"%s":"SECRETVALUE"`, k)
				}
				in := b.String()
				out := r.String(in)
				if want := withoutKeyCacheResult(in); out != want {
					select {
					case errs <- fmt.Sprintf("%q\n got:  %q\n want: %q", in, out, want):
					default:
					}
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}

var plainRedactor = sync.OnceValue(func() *Redactor { return withoutKeyCache() })

func withoutKeyCacheResult(s string) string { return plainRedactor().String(s) }

func TestKeyCacheRemembersOnlyCleanKeys(t *testing.T) {
	r := New()
	line := `{"time":"x","password":"hunter2hunter2","level":"y","request_id":"z","db_password":"p4ss"}`
	// One key is remembered a scan: three lines remember the three.
	for range 3 {
		out := r.String(line)
		if strings.Contains(out, "hunter2") || strings.Contains(out, "p4ss") {
			t.Fatalf("leaked: %q", out)
		}
	}
	for _, k := range []string{"time", "level", "request_id"} {
		s := `"` + k + `":`
		lo, hi, _, ok := quotedKeyWords(s, len(s)-2, '"')
		if !ok || !r.clean.has(lo, hi) {
			t.Errorf("clean key %q not remembered", k)
		}
	}
	for _, k := range []string{"password", "db_password"} {
		s := `"` + k + `":`
		lo, hi, _, ok := quotedKeyWords(s, len(s)-2, '"')
		if ok && r.clean.has(lo, hi) {
			t.Errorf("sensitive key %q remembered as clean", k)
		}
	}
}

// Keys that never repeat use up the write budget, one a line, and then the
// cache is only read: nothing new is stored, and results do not change.
func TestKeyCacheWriteBudget(t *testing.T) {
	r := New()
	for n := range maxCleanKeyWrites + 100 {
		r.String(fmt.Sprintf(`{"k%05d":"v","m%05d":"w"}`, n, n))
	}
	if w := r.clean.writes.Load(); w > 0 {
		t.Fatalf("write budget left after %d lines of new keys: %d", maxCleanKeyWrites+100, w)
	}
	s := `"fresh":`
	lo, hi, _, _ := quotedKeyWords(s, len(s)-2, '"')
	for range 3 {
		if got := r.String(`{"fresh":"x","password":"hunter2"}`); got != `{"fresh":"x","password":"[REDACTED:password]"}` {
			t.Fatalf("got %q", got)
		}
	}
	if r.clean.has(lo, hi) {
		t.Error("a key was stored after the write budget ran out")
	}
}

// The keys of attributes, maps and struct fields go through the same cache:
// matchKey agrees with the key matcher, cold and warm, and its words for a
// key are those the scanner reads for the same JSON key.
func TestMatchKeyAgreesWithKeyMatcher(t *testing.T) {
	keys := []string{
		"", "a", "ab", "time", "level", "password", "db_password", "x-api-key", "X-Api-Key", "tokens", "token_count",
		"session_id", "exactly15bytes_", "sixteen_bytes_xx", "pass\"word", `a"b`, "secret\\", "ünïcödé", "ssn", "s_s_n",
		"accessToken", "privateKey", "iban", "ibanx", "cvv", "card_number", "ok",
	}
	for name, r := range scanConfigs() {
		for pass := range 3 {
			for _, k := range keys {
				gk, gok := r.matchKey(k)
				wk, wok := r.keys.match(k)
				if gk != wk || gok != wok {
					t.Fatalf("%s, pass %d: matchKey(%q) = %q, %v; keys.match = %q, %v", name, pass, k, gk, gok, wk, wok)
				}
			}
		}
	}
	for _, k := range keys {
		if len(k) > maxCachedKey || strings.Contains(k, `"`) {
			continue
		}
		s := `"` + k + `"`
		lo, hi, _, ok := quotedKeyWords(s, len(s)-1, '"')
		if blo, bhi := bareKeyWords(k); !ok || blo != lo || bhi != hi {
			t.Errorf("bareKeyWords(%q) = %x %x; quotedKeyWords = %x %x %v", k, blo, bhi, lo, hi, ok)
		}
	}
}
