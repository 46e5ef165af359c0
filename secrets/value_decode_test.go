package secrets

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestValueUnmarshalJSON(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		wantErr bool
	}{
		{"plain", `"` + plaintext + `"`, plaintext, false},
		{"escapes", `"a\"b\\c\/d\b\f\n\r\t"`, "a\"b\\c/d\b\f\n\r\t", false},
		{"unicode escape", `"caf\u00e9 \u20ac"`, "café €", false},
		{"surrogate pair", `"\ud83d\ude00"`, "😀", false},
		{"lone surrogate", `"a\ud83db"`, "a\uFFFDb", false},
		{"invalid UTF-8", "\"a\xffb\"", "a\uFFFDb", false},
		{"raw UTF-8", `"pässwörd"`, "pässwörd", false},
		{"empty string", `""`, "", false},
		{"surrounding space", " \t\"x\"\n", "x", false},
		{"base64-looking text is kept", `"aHVudGVyMg=="`, "aHVudGVyMg==", false},
		{"integer keeps its text", `5432`, "5432", false},
		{"negative zero", `-0`, "-0", false},
		{"fraction and exponent keep their text", `-1.50E+03`, "-1.50E+03", false},
		{"big integer is not rounded", `123456789012345678901234567890`, "123456789012345678901234567890", false},
		{"number with space", " 42\n", "42", false},
		{"true", `true`, "true", false},
		{"false", `false`, "false", false},
		{"leading zero", `0123`, "", true},
		{"leading plus", `+1`, "", true},
		{"bare minus", `-`, "", true},
		{"dot without digits", `1.`, "", true},
		{"exponent without digits", `1e+`, "", true},
		{"hex", `0x10`, "", true},
		{"two numbers", `1 2`, "", true},
		{"capitalised true", `True`, "", true},
		{"object", `{"a":"b"}`, "", true},
		{"array", `["a"]`, "", true},
		{"placeholder", `"[REDACTED]"`, "", true},
		{"escaped placeholder", `"[REDACTED\u005d"`, "", true},
		{"unterminated", `"abc`, "", true},
		{"inner quote", `"a"b"`, "", true},
		{"bad escape", `"a\qb"`, "", true},
		{"short unicode escape", `"\u12"`, "", true},
		{"control character", "\"a\nb\"", "", true},
		{"empty input", ``, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v Value
			err := v.UnmarshalJSON([]byte(tt.in))
			if tt.wantErr {
				if !errors.Is(err, ErrDecode) {
					t.Fatalf("UnmarshalJSON(%q) error = %v, want ErrDecode", tt.in, err)
				}
				if v.buf != nil {
					t.Errorf("UnmarshalJSON(%q) set the Value despite the error", tt.in)
				}
				if len(tt.in) > 4 && !strings.Contains(tt.in, "REDACTED") && strings.Contains(err.Error(), tt.in[1:len(tt.in)-1]) {
					t.Errorf("error %q echoes the input", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("UnmarshalJSON(%q): %v", tt.in, err)
			}
			if got := v.Reveal(); got != tt.want {
				t.Errorf("UnmarshalJSON(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestValueUnmarshalNullKeepsValue(t *testing.T) {
	v := NewValue([]byte("kept"))
	if err := json.Unmarshal([]byte(`null`), &v); err != nil {
		t.Fatal(err)
	}
	if got := v.Reveal(); got != "kept" {
		t.Errorf("after null, Reveal = %q, want kept", got)
	}
}

func TestValueUnmarshalText(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		wantErr bool
	}{
		{"text", []byte(plaintext), false},
		{"binary", []byte{0, 1, 0xff, '"'}, false},
		{"empty", []byte{}, false},
		{"placeholder", []byte("[REDACTED]"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := bytes.Clone(tt.in)
			var v Value
			err := v.UnmarshalText(in)
			if tt.wantErr {
				if !errors.Is(err, ErrDecode) || v.buf != nil {
					t.Fatalf("UnmarshalText(%q) = %v, Value set %v; want ErrDecode, unset", tt.in, err, v.buf != nil)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			clear(in) // the Value must hold its own copy
			if got := v.Reveal(); got != string(tt.in) {
				t.Errorf("UnmarshalText(%q) = %q", tt.in, got)
			}
		})
	}
}

// TestUnmarshalDoesNotAliasCache checks that decoding into a Value taken
// from the cache replaces it rather than writing into the cache's copy.
func TestUnmarshalDoesNotAliasCache(t *testing.T) {
	c := New(Static(map[string]string{"k": "cached"}))
	v, err := c.Get(context.Background(), "k")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(`"other"`), &v); err != nil {
		t.Fatal(err)
	}
	if got := mustGet(t, c, "k"); got != "cached" {
		t.Errorf("cache value after decoding into a copy = %q, want cached", got)
	}
}

// creds is the typed shape of a Secrets Manager key/value secret.
type creds struct {
	Username string  `json:"username"`
	Password Value   `json:"password"`
	APIKey   *Value  `json:"api_key"`
	Extra    []Value `json:"extra"`
	Nested   struct {
		Token Value `json:"token"`
	} `json:"nested"`
}

func TestGetJSONIntoValues(t *testing.T) {
	const doc = `{"username":"app","password":"` + plaintext + `","api_key":"` + plaintext + `-key",` +
		`"extra":["` + plaintext + `-1"],"nested":{"token":"` + plaintext + `-tok"}}`
	c := New(Static(map[string]string{"prod/db": doc, "bad": `{"password":{"v":"` + plaintext + `"}}`}))
	var got creds
	if err := c.GetJSON(context.Background(), "prod/db", &got); err != nil {
		t.Fatalf("GetJSON: %v", err)
	}
	if got.Username != "app" || got.Password.Reveal() != plaintext || got.APIKey.Reveal() != plaintext+"-key" ||
		len(got.Extra) != 1 || got.Extra[0].Reveal() != plaintext+"-1" || got.Nested.Token.Reveal() != plaintext+"-tok" {
		t.Fatalf("decoded %q %q %q %v %q", got.Username, got.Password.Reveal(), got.APIKey.Reveal(), len(got.Extra), got.Nested.Token.Reveal())
	}

	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3s", "%-20v", "% x", "%#x", "%U", "%c", "%b", "%o", "%e", "%t", "%p"}
	for _, arg := range []any{got, &got, []creds{got}, map[string]creds{"db": got}} {
		for _, verb := range verbs {
			out := fmt.Sprintf(verb, arg)
			if leaks(out) {
				t.Errorf("Sprintf(%q, %T) = %q leaks the plaintext", verb, arg, out)
			}
		}
	}
	var buf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewJSONHandler(&buf, nil), slog.NewTextHandler(&buf, nil)} {
		slog.New(h).Info("loaded", "creds", got, "ptr", &got, slog.Any("any", got))
	}
	out, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	buf.Write(out)
	if leaks(buf.String()) {
		t.Errorf("slog or JSON output leaks the plaintext:\n%s", buf.String())
	}
	if n := strings.Count(buf.String(), "[REDACTED]"); n < 4 {
		t.Errorf("output has %d [REDACTED], want every Value redacted:\n%s", n, buf.String())
	}

	// What a Value encodes to does not decode back into a secret.
	var again creds
	if err := c.GetJSON(context.Background(), "bad", &again); !errors.Is(err, ErrDecode) || leaks(err.Error()) {
		t.Errorf("object into Value: err = %v, want ErrDecode without the plaintext", err)
	}
	if err := json.Unmarshal(out, &again); !errors.Is(err, ErrDecode) {
		t.Errorf("decoding marshalled output: err = %v, want ErrDecode (placeholder)", err)
	}
}

// TestGetJSONScalarsIntoValues decodes the usual database secret, whose
// port is a JSON number, into a map of Values and into a struct.
func TestGetJSONScalarsIntoValues(t *testing.T) {
	const doc = `{"username":"u","password":"` + plaintext + `","port":5432,"ssl":true,"ratio":0.25,"comment":null}`
	c := New(Static(map[string]string{"prod/db": doc, "nested": `{"password":"p","hosts":["a","b"]}`}))

	var m map[string]Value
	if err := c.GetJSON(context.Background(), "prod/db", &m); err != nil {
		t.Fatalf("GetJSON into map: %v", err)
	}
	want := map[string]string{"username": "u", "password": plaintext, "port": "5432", "ssl": "true", "ratio": "0.25", "comment": ""}
	if len(m) != len(want) {
		t.Errorf("map has %d keys, want %d", len(m), len(want))
	}
	for k, w := range want {
		if got := m[k].Reveal(); got != w {
			t.Errorf("m[%q] = %q, want %q", k, got, w)
		}
	}
	if out := fmt.Sprintf("%v %+v", m, m); leaks(out) || strings.Contains(out, "5432") {
		t.Errorf("printing the map shows a value: %s", out)
	}

	var s struct {
		Username string `json:"username"`
		Password Value  `json:"password"`
		Port     Value  `json:"port"`
		SSL      Value  `json:"ssl"`
		Comment  Value  `json:"comment"`
	}
	if err := c.GetJSON(context.Background(), "prod/db", &s); err != nil {
		t.Fatalf("GetJSON into struct: %v", err)
	}
	if s.Username != "u" || s.Password.Reveal() != plaintext || s.Port.Reveal() != "5432" || s.SSL.Reveal() != "true" || s.Comment.Bytes() != nil {
		t.Errorf("struct = %q %q %q %q %q", s.Username, s.Password.Reveal(), s.Port.Reveal(), s.SSL.Reveal(), s.Comment.Reveal())
	}

	// An array is still not a Value: the whole decode fails.
	var n map[string]Value
	if err := c.GetJSON(context.Background(), "nested", &n); !errors.Is(err, ErrDecode) {
		t.Errorf("GetJSON with an array member: err = %v, want ErrDecode", err)
	}
}

// FuzzValueUnmarshalJSON checks the decoder against encoding/json: the same
// strings are accepted and decode to the same text, a number or boolean
// is accepted exactly when encoding/json finds it valid and keeps its
// text, and errors never echo the input.
func FuzzValueUnmarshalJSON(f *testing.F) {
	for _, s := range []string{
		`"plain"`, `"a\"b"`, `"\u00e9"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\udc00\ud83d"`,
		"\"\xff\"", `"\u0000"`, `"[REDACTED]"`, `null`, `1`, `"\`, `"\u12"`, `" "`, `"\ud83d\u0041"`,
		`5432`, `-0.5e-3`, `01`, `1.`, `-`, `true`, `false`, `tru`, ` 7 `, `{"a":1}`, `[1]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var v Value
		err := v.UnmarshalJSON(in)
		var s *string
		jerr := json.Unmarshal(in, &s)
		isString := jerr == nil && s != nil
		switch {
		case isString && *s == redacted:
			if err == nil {
				t.Fatalf("UnmarshalJSON(%q) accepted the placeholder", in)
			}
		case isString:
			if err != nil {
				t.Fatalf("UnmarshalJSON(%q) = %v, encoding/json accepts it", in, err)
			}
			if got := v.Reveal(); got != *s {
				t.Fatalf("UnmarshalJSON(%q) = %q, encoding/json gives %q", in, got, *s)
			}
		case jerr == nil && s == nil: // null
			if err != nil || v.buf != nil {
				t.Fatalf("UnmarshalJSON(null) = %v, set %v", err, v.buf != nil)
			}
		case json.Valid(in) && bytes.IndexByte([]byte("-0123456789tf"), bytes.TrimSpace(in)[0]) >= 0:
			if err != nil {
				t.Fatalf("UnmarshalJSON(%q) = %v, encoding/json accepts it as a number or boolean", in, err)
			}
			if got := v.Reveal(); got != string(bytes.TrimSpace(in)) {
				t.Fatalf("UnmarshalJSON(%q) = %q, want the literal text", in, got)
			}
		default:
			if err == nil {
				t.Fatalf("UnmarshalJSON(%q) accepted what encoding/json refuses as a string: %v", in, jerr)
			}
		}
		if err != nil && !errors.Is(err, ErrDecode) {
			t.Fatalf("error %v does not wrap ErrDecode", err)
		}
		if err != nil && len(in) > 12 && !bytes.Contains(in, []byte("REDACTED")) && strings.Contains(err.Error(), string(in[1:len(in)-1])) {
			t.Fatalf("error %q echoes the input", err)
		}
	})
}
