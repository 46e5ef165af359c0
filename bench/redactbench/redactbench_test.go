package redactbench

import (
	"strings"
	"testing"

	"github.com/fnshield/fnshield/redact"
)

// impls returns the redactors compared, fnshield first.
func impls() []struct {
	name   string
	redact func(string) string
} {
	r := redact.New()
	rs := NewRegexpSet()
	return []struct {
		name   string
		redact func(string) string
	}{
		{Fnshield, r.String},
		{Regexp, rs.String},
	}
}

// TestParity checks that both redactors do the same job on the benchmark
// lines: every planted secret removed from the dirty lines, the clean
// lines returned unchanged. Otherwise the comparison would be meaningless.
func TestParity(t *testing.T) {
	for _, line := range Lines() {
		for _, impl := range impls() {
			got := impl.redact(line.Text)
			if len(line.Secrets) == 0 && got != line.Text {
				t.Errorf("%s changed clean line %s:\n got %s\nwant %s", impl.name, line.Name, got, line.Text)
			}
			if len(line.Secrets) > 0 && got == line.Text {
				t.Errorf("%s left dirty line %s unchanged", impl.name, line.Name)
			}
			for _, s := range line.Secrets {
				if strings.Contains(got, s) {
					t.Errorf("%s left %q in line %s: %s", impl.name, s, line.Name, got)
				}
			}
		}
	}
}

// TestParityRegexpSetCoversDetectors checks the baseline's detectors one by one, so
// that it is a real implementation of the same job and not a strawman
// that misses most of it.
func TestParityRegexpSetCoversDetectors(t *testing.T) {
	rs := NewRegexpSet()
	tests := []struct {
		name, in, secret string
	}{
		{"email", "contact jane.doe@example.com now", "jane.doe@example.com"},
		{"card_luhn", "card 4111-1111-1111-1111 ok", "4111-1111-1111-1111"},
		{"iban", "iban DE89370400440532013000 ok", "DE89370400440532013000"},
		{"ssn", "ssn 123-45-6789 ok", "123-45-6789"},
		{"aws_key_id", "key AKIAQWERTYUIOPASDFGH ok", "AKIAQWERTYUIOPASDFGH"},
		{"jwt", "t=" + jwtValue, jwtValue},
		{"bearer", "Authorization: Bearer abc.def-ghi", "abc.def-ghi"},
		{"basic", "Authorization: Basic dXNlcjpwYXNz", "dXNlcjpwYXNz"},
		{"private_key", "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----", "MIIB"},
		{"github", "ghp_" + strings.Repeat("a1B2", 9), "ghp_" + strings.Repeat("a1B2", 9)},
		{"slack", "xoxb-1234567890-abcdefghij", "xoxb-1234567890-abcdefghij"},
		{"stripe", "sk_live_" + strings.Repeat("x", 24), "sk_live_" + strings.Repeat("x", 24)},
		{"google", "AIza" + strings.Repeat("B", 35), "AIza" + strings.Repeat("B", 35)},
		{"url_password", "dsn=postgres://app:s3cr3tpw@db:5432/x", "s3cr3tpw"},
		{"key_value", "db_password=opensesame retry=3", "opensesame"},
		{"json_key", `{"api_key": "k-1234567890"}`, "k-1234567890"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rs.String(tt.in)
			if strings.Contains(got, tt.secret) {
				t.Errorf("String(%q) = %q, still holds %q", tt.in, got, tt.secret)
			}
		})
	}
	if got, in := rs.String("card 4111 1111 1111 1112"), "card 4111 1111 1111 1112"; got != in {
		t.Errorf("String(%q) = %q, want it unchanged (fails Luhn)", in, got)
	}
}

// BenchmarkRedact redacts each line with each redactor, as a log handler
// does for every record.
func BenchmarkRedact(b *testing.B) {
	for _, line := range Lines() {
		for _, impl := range impls() {
			b.Run(line.Name+"/"+impl.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(line.Text)))
				for b.Loop() {
					_ = impl.redact(line.Text)
				}
			})
		}
	}
}
