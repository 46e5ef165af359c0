package extension

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name      string
		parameter bool
		body      string
		want      string
		wantErr   bool
	}{
		{"secret string", false, `{"Name":"n","SecretString":"v"}`, "v", false},
		{"secret binary", false, `{"SecretBinary":"AAH/"}`, "\x00\x01\xff", false},
		{"empty secret string", false, `{"SecretString":""}`, "", false},
		{"string wins over binary", false, `{"SecretString":"s","SecretBinary":"AA=="}`, "s", false},
		{"null string, binary set", false, `{"SecretString":null,"SecretBinary":"AA=="}`, "\x00", false},
		{"no value", false, `{"Name":"n"}`, "", true},
		{"not an object", false, `"v"`, "", true},
		{"trailing data", false, `{"SecretString":"v"} x`, "", true},
		{"bad base64", false, `{"SecretBinary":"***"}`, "", true},
		{"empty body", false, ``, "", true},
		{"parameter", true, `{"Parameter":{"Name":"n","Value":"v","Version":1}}`, "v", false},
		{"parameter empty value", true, `{"Parameter":{"Value":""}}`, "", false},
		{"parameter without value", true, `{"Parameter":{"Name":"n"}}`, "", true},
		{"parameter null", true, `{"Parameter":null}`, "", true},
		{"parameter value not a string", true, `{"Parameter":{"Value":42}}`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decode(tt.parameter, []byte(tt.body))
			if tt.wantErr {
				if err != ErrMalformedResponse || got != nil {
					t.Errorf("decode(%q) = %q, %v; want nil, ErrMalformedResponse", tt.body, got, err)
				}
				return
			}
			if err != nil || string(got) != tt.want || got == nil {
				t.Errorf("decode(%q) = %q, %v; want %q", tt.body, got, err, tt.want)
			}
		})
	}
}

func decode(parameter bool, body []byte) ([]byte, error) {
	if parameter {
		return decodeParameter(body)
	}
	return decodeSecret(body)
}

// FuzzDecodeResponse checks that the decoders never panic and that their
// only error is ErrMalformedResponse, whose text is fixed, so no part of a
// body (which may hold a secret) can reach an error text.
func FuzzDecodeResponse(f *testing.F) {
	for _, s := range []string{
		`{"SecretString":"v"}`, `{"SecretBinary":"AAH/"}`, `{"SecretString":null}`,
		`{"Parameter":{"Value":"v"}}`, `{"Parameter":{"Value":12345}}`, `{"Parameter":[]}`,
		`{"SecretString":"\u0000\ud800"}`, `{"SecretBinary":"AA"}`, `[`, ``,
	} {
		f.Add(false, []byte(s))
		f.Add(true, []byte(s))
	}
	f.Fuzz(func(t *testing.T, parameter bool, body []byte) {
		orig := bytes.Clone(body)
		got, err := decode(parameter, body)
		if !bytes.Equal(body, orig) {
			t.Fatalf("decode modified its input")
		}
		if err != nil {
			if !errors.Is(err, ErrMalformedResponse) || err.Error() != "extension: malformed response" || got != nil {
				t.Fatalf("decode = %q, %v; want nil, ErrMalformedResponse", got, err)
			}
			return
		}
		if got == nil {
			t.Fatalf("decode = nil, nil; want a value or an error")
		}
	})
}

// BenchmarkDecodeSecret decodes a typical 4 KiB secret and an
// attacker-sized response at the 1 MiB bound.
func BenchmarkDecodeSecret(b *testing.B) {
	for _, tc := range []struct {
		name string
		body []byte
	}{
		{"4KiB", []byte(`{"Name":"prod/db","SecretString":"` + strings.Repeat("s", 4<<10) + `"}`)},
		{"1MiB-escaped", []byte(`{"SecretString":"` + strings.Repeat(`\u0001`, (1<<20-20)/6) + `"}`)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(tc.body)))
			for b.Loop() {
				if _, err := decodeSecret(tc.body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
