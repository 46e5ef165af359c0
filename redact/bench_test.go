package redact

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"
)

// cleanLine is a realistic 200-byte JSON log line with nothing to redact.
const cleanLine = `{"time":"2024-05-01T12:00:00.123Z","level":"INFO","msg":"order processed","request_id":"8f5d1a3e-0b2c-4f6e-9a7d-1c2b3a4d5e6f","path":"/v1/orders/1234","status":200,"duration_ms":37,"region":"eu-west-1"}`

// twoFindingsLine is the same kind of line with an email and a card.
const twoFindingsLine = `{"time":"2024-05-01T12:00:00.123Z","level":"INFO","msg":"charge ok","request_id":"8f5d1a3e-0b2c-4f6e-9a7d-1c2b3a4d5e6f","customer":"jane.doe@example.com","card":"4111 1111 1111 1111","ms":37}`

func BenchmarkString(b *testing.B) {
	r := New()
	for _, bc := range []struct{ name, line string }{
		{"clean", cleanLine},
		{"two_findings", twoFindingsLine},
		{"attacker_64KiB_digits", strings.Repeat("4111 1111 1111 1112 ", 3277)},
		{"attacker_64KiB_at", strings.Repeat("a@", 32768)},
		{"attacker_64KiB_repeated_secret", strings.Repeat("password=abcdefgh ", 3641)},
		{"attacker_64KiB_pairs", strings.Repeat(`"token" : Token{a=`, 3641)},
		{"attacker_64KiB_key_gap", "password" + strings.Repeat(" ", 64<<10) + "= x"},
		{"attacker_64KiB_open_arrays", strings.Repeat(`password=[a, "b `, 4096)},
		{"attacker_64KiB_arrays", strings.Repeat(`{"token":["a","b"]} `, 3277)},
		{"attacker_64KiB_scopes", strings.Repeat("x token:a:b ", 5462)},
		{"attacker_64KiB_gap_separators", strings.Repeat("password"+strings.Repeat(" \t", 500)+":", 64)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.line)))
			start := cpuTime()
			for b.Loop() {
				_ = r.String(bc.line)
			}
			reportCPU(b, start, len(bc.line))
		})
	}
}

// BenchmarkTableLoop is a calibration floor: one table lookup per byte over
// the clean line, the least any byte-class prefilter can do. On a shared
// machine, the ratio String/clean : TableLoop says more than either figure.
func BenchmarkTableLoop(b *testing.B) {
	var table [256]bool
	for _, c := range []byte("@:=-[0123456789") {
		table[c] = true
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(cleanLine)))
	start := cpuTime()
	n := 0
	for b.Loop() {
		for i := 0; i < len(cleanLine); i++ {
			if table[cleanLine[i]] {
				n++
			}
		}
	}
	reportCPU(b, start, len(cleanLine))
	if n == 0 {
		b.Fatal("no interesting bytes")
	}
}

// regexpBaseline is what a straightforward implementation does: one
// compiled regexp per detector, each run over the whole line.
type regexpBaseline struct{ res []*regexp.Regexp }

func newRegexpBaseline() *regexpBaseline {
	pats := []string{
		`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`,                                  // email
		`\b(?:\d[ -]?){12,18}\d\b`,                                                        // card (Luhn in the func)
		`\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b`,                     // IBAN
		`\b\d{3}-\d{2}-\d{4}\b`,                                                           // SSN
		`\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b`,      // AWS key ID
		`\beyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`,                          // JWT
		`(?i)\bbearer\s+[A-Za-z0-9._~+/-]+=*`,                                             // Bearer
		`(?i)\bbasic\s+[A-Za-z0-9+/]+=*`,                                                  // Basic
		`-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----`,      // PEM
		`\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})`,                   // GitHub
		`\bxox[bpars]-[A-Za-z0-9-]{10,}`,                                                  // Slack
		`\b[sr]k_(?:live|test)_[A-Za-z0-9]{10,}`,                                          // Stripe
		`\bAIza[A-Za-z0-9_-]{35}`,                                                         // Google
		`[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]*:[^@/\s]+@`,                                   // URL password
		`(?i)(?:password|passwd|pwd|secret|token|api[_-]?key)["']?\s*[:=]\s*"?[^\s",;&]+`, // key=value
	}
	b := &regexpBaseline{}
	for _, p := range pats {
		b.res = append(b.res, regexp.MustCompile(p))
	}
	return b
}

func (rb *regexpBaseline) String(s string) string {
	for i, re := range rb.res {
		s = re.ReplaceAllStringFunc(s, func(m string) string {
			if i == 1 { // card: digits must pass Luhn
				var d []byte
				for k := 0; k < len(m); k++ {
					if isDigit(m[k]) {
						d = append(d, m[k]-'0')
					}
				}
				if !luhn(d) {
					return m
				}
			}
			return "[REDACTED]"
		})
	}
	return s
}

func BenchmarkRegexpBaseline(b *testing.B) {
	rb := newRegexpBaseline()
	for _, bc := range []struct{ name, line string }{
		{"clean", cleanLine},
		{"two_findings", twoFindingsLine},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.line)))
			start := cpuTime()
			for b.Loop() {
				_ = rb.String(bc.line)
			}
			reportCPU(b, start, len(bc.line))
		})
	}
}

func TestRegexpBaselineAgrees(t *testing.T) {
	// The baseline must do the same job on the benchmark line, or the
	// comparison is meaningless.
	got := newRegexpBaseline().String(twoFindingsLine)
	for _, v := range []string{"jane.doe@example.com", "4111 1111 1111 1111"} {
		if strings.Contains(got, v) {
			t.Errorf("baseline left %q in %q", v, got)
		}
	}
}

func handlerAttrs() []slog.Attr {
	return []slog.Attr{
		slog.String("request_id", "8f5d1a3e-0b2c-4f6e-9a7d-1c2b3a4d5e6f"),
		slog.String("path", "/v1/orders/1234"),
		slog.Int("status", 200),
		slog.Duration("elapsed", 37*time.Millisecond),
		slog.Group("http", slog.String("method", "POST"), slog.Int("bytes", 512)),
		slog.Any("error", errors.New("upstream timeout after 3 retries")),
	}
}

func BenchmarkHandler(b *testing.B) {
	attrs := handlerAttrs()
	for _, bc := range []struct {
		name string
		h    slog.Handler
	}{
		{"bare_json", slog.NewJSONHandler(io.Discard, nil)},
		{"redact_json", NewHandler(slog.NewJSONHandler(io.Discard, nil))},
	} {
		b.Run(bc.name, func(b *testing.B) {
			l := slog.New(bc.h)
			b.ReportAllocs()
			start := cpuTime()
			for b.Loop() {
				l.LogAttrs(b.Context(), slog.LevelInfo, "order processed", attrs...)
			}
			reportCPU(b, start, 0)
		})
	}
}

func BenchmarkWriter(b *testing.B) {
	w := NewWriter(io.Discard)
	line := []byte(cleanLine + "\n")
	b.ReportAllocs()
	b.SetBytes(int64(len(line)))
	start := cpuTime()
	for b.Loop() {
		_, _ = w.Write(line)
	}
	reportCPU(b, start, len(line))
}

// BenchmarkStringParallel runs String on both cores: on the same clean
// line (the key cache only read), and on lines whose keys are drawn from
// 4,096 names (the cache mostly missing, written until its store limit),
// with and without the cache, to show what misses cost on two cores.
func BenchmarkStringParallel(b *testing.B) {
	rnd := rand.New(rand.NewPCG(1, 2))
	var lines []string
	for range 1024 {
		var sb strings.Builder
		sb.WriteString("{")
		for k := range 8 {
			if k > 0 {
				sb.WriteString(",")
			}
			fmt.Fprintf(&sb, `"k%04x":"v%d"`, rnd.IntN(4096), k)
		}
		sb.WriteString("}")
		lines = append(lines, sb.String())
	}
	for _, bc := range []struct {
		name  string
		r     *Redactor
		lines []string
	}{
		{"same_line", New(), []string{cleanLine}},
		{"distinct_keys", New(), lines},
		{"distinct_keys_nocache", withoutKeyCache(), lines},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				i := 0
				for pb.Next() {
					_ = bc.r.String(bc.lines[i%len(bc.lines)])
					i++
				}
			})
		})
	}
}
