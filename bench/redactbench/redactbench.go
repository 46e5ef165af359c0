// Package redactbench sets fnshield's redact.Redactor side by side with the
// usual approach to log redaction: a set of Go regular expressions, one per
// detector, each run over the whole line.
//
// The regexp set covers the same default detectors as fnshield (emails,
// payment cards with a Luhn check, IBANs, SSNs, AWS keys, JWTs, Bearer and
// Basic credentials, private keys, GitHub, Slack, Stripe and Google keys,
// URL passwords, and values under sensitive keys). TestParity checks that
// both remove every secret planted in the dirty lines and leave the clean
// lines as they are.
package redactbench

import (
	"regexp"
	"strings"
)

// Implementation names, as they appear in benchmark names and RESULTS.md.
const (
	Fnshield = "fnshield"
	Regexp   = "regexp-set"
)

// Line is one benchmark input. Secrets lists the substrings a redactor
// must remove; a clean line has none and must come back unchanged.
type Line struct {
	Name    string
	Text    string
	Secrets []string
}

const (
	jwtValue  = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTEyMyIsImV4cCI6MTcxNDU2NzIwMH0.c2lnbmF0dXJlLWJ5dGVzLWhlcmUtYW5kLW1vcmU"
	awsKeyID  = "AKIAQWERTYUIOPASDFGH"
	cardValue = "4111 1111 1111 1111"
	email     = "jane.doe@example.com"
	password  = "hunter2-correct-horse"
)

// Lines returns the inputs: realistic JSON and text log lines, clean and
// with findings, a 4 KiB clean line such as a logged request body, and an
// attacker-sized line.
func Lines() []Line {
	var big strings.Builder
	big.WriteString(`{"time":"2024-05-01T12:00:00.123Z","level":"INFO","msg":"request body","items":[`)
	for i := 0; big.Len() < 4<<10-64; i++ {
		if i > 0 {
			big.WriteString(",")
		}
		big.WriteString(`{"sku":"SKU-000` + string(rune('0'+i%10)) + `","qty":3,"price":"19.99","currency":"EUR","warehouse":"eu-west-1c"}`)
	}
	big.WriteString(`]}`)
	return []Line{
		{
			Name: "json_clean",
			Text: `{"time":"2024-05-01T12:00:00.123Z","level":"INFO","msg":"order processed","request_id":"8f5d1a3e-0b2c-4f6e-9a7d-1c2b3a4d5e6f","path":"/v1/orders/1234","status":200,"duration_ms":37,"region":"eu-west-1"}`,
		},
		{
			Name:    "json_dirty",
			Text:    `{"time":"2024-05-01T12:00:00.123Z","level":"INFO","msg":"charge ok","request_id":"8f5d1a3e-0b2c-4f6e-9a7d-1c2b3a4d5e6f","customer":"` + email + `","card":"` + cardValue + `","password":"` + password + `","ms":37}`,
			Secrets: []string{email, cardValue, password},
		},
		{
			Name: "text_clean",
			Text: `2024-05-01T12:00:00.123Z INFO GET /v1/orders/1234 status=200 duration=37ms bytes=5120 region=eu-west-1 version=1.4.2 request_id=8f5d1a3e-0b2c-4f6e-9a7d-1c2b3a4d5e6f`,
		},
		{
			Name:    "text_dirty",
			Text:    `2024-05-01T12:00:00.123Z WARN upstream call failed authorization="Bearer ` + jwtValue + `" aws_key=` + awsKeyID + ` status=401`,
			Secrets: []string{jwtValue, awsKeyID},
		},
		{Name: "json_clean_4KiB", Text: big.String()},
		// Attacker-sized: 64 KiB of card-shaped digit groups that fail the
		// Luhn check, so that every candidate must be examined and dropped.
		{Name: "attacker_64KiB_digits", Text: strings.Repeat("4111 1111 1111 1112 ", 3277)},
	}
}

// RegexpSet is the baseline: one compiled regular expression per detector,
// each applied to the whole line in turn.
type RegexpSet struct {
	detectors []regexpDetector
}

type regexpDetector struct {
	re *regexp.Regexp
	// group, when non-zero, is the submatch replaced (the value after a
	// key); otherwise the whole match is.
	group int
	// check, when set, must accept the match for it to be replaced.
	check func(string) bool
}

// NewRegexpSet compiles the baseline's expressions.
func NewRegexpSet() *RegexpSet {
	d := func(pattern string) regexpDetector { return regexpDetector{re: regexp.MustCompile(pattern)} }
	card := d(`\b\d(?:[ -]?\d){12,18}\b`)
	card.check = luhnValid
	keyed := d(`(?i)(?:password|passwd|passphrase|pwd|secret|token|authorization|cookie|api[-_]?key|access[-_]?key|private[-_]?key|session|credential)["']?\s*[:=]\s*["']?([^\s"',;&]+)`)
	keyed.group = 1
	return &RegexpSet{detectors: []regexpDetector{
		d(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`),
		card,
		d(`\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b`),
		d(`\b\d{3}-\d{2}-\d{4}\b`),
		d(`\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b`),
		d(`\beyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`),
		d(`(?i)\bbearer\s+[A-Za-z0-9._~+/-]+=*`),
		d(`(?i)\bbasic\s+[A-Za-z0-9+/]+=*`),
		d(`-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----`),
		d(`\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})\b`),
		d(`\bxox[baprs]-[A-Za-z0-9-]{10,}`),
		d(`\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}`),
		d(`\bAIza[A-Za-z0-9_-]{35}`),
		d(`[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]+:([^@/\s]+)@`),
		keyed,
	}}
}

// String returns s with every match of every detector replaced.
func (rs *RegexpSet) String(s string) string {
	for _, det := range rs.detectors {
		if !det.re.MatchString(s) {
			continue
		}
		s = det.replace(s)
	}
	return s
}

func (det regexpDetector) replace(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range det.re.FindAllStringSubmatchIndex(s, -1) {
		start, end := m[0], m[1]
		if det.group > 0 {
			start, end = m[2*det.group], m[2*det.group+1]
		}
		if start < 0 || (det.check != nil && !det.check(s[start:end])) {
			continue
		}
		b.WriteString(s[last:start])
		b.WriteString("[REDACTED]")
		last = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// luhnValid reports whether the digits of s pass the Luhn check.
func luhnValid(s string) bool {
	sum, n := 0, 0
	for i := len(s) - 1; i >= 0; i-- {
		c := s[i]
		if c < '0' || c > '9' {
			continue
		}
		d := int(c - '0')
		if n%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		n++
	}
	return n > 0 && sum%10 == 0
}
