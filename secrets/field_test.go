package secrets

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestGetField(t *testing.T) {
	const pw = "field-s3cr3t-9a7b"
	c := New(Static(map[string]string{
		"prod/db": `{"username":"app","password":"` + pw + `","port":5432,"tls":true,` +
			`"opts":{"a":[1,"}"]},"none":null,"esc\"key":"e","caf\u00e9":"accent","":"empty-key"}`,
		"prod/db#AWSPREVIOUS": `{"password":"previous-` + pw + `"}`,
		"dup":                 `{"password":"a-` + pw + `","password":"b-` + pw + `"}`,
		"escaped dup":         `{"password":"a-` + pw + `","pass\u0077ord":"b-` + pw + `"}`,
		"array":               `["` + pw + `"]`,
		"string":              `"` + pw + `"`,
		"invalid":             `{"password":"` + pw + `",}`,
		"trailing":            `{"password":"x"} {"password":"` + pw + `"}`,
	}))
	ctx := context.Background()
	tests := []struct {
		name, secret, field string
		want                string
		wantErr             error
	}{
		{"string field", "prod/db", "username", "app", nil},
		{"secret field", "prod/db", "password", pw, nil},
		{"number field is its JSON text", "prod/db", "port", "5432", nil},
		{"bool field", "prod/db", "tls", "true", nil},
		{"object field is its JSON text", "prod/db", "opts", `{"a":[1,"}"]}`, nil},
		{"escaped key", "prod/db", `esc"key`, "e", nil},
		{"unicode-escaped key", "prod/db", "café", "accent", nil},
		{"version suffix stays the provider's", "prod/db#AWSPREVIOUS", "password", "previous-" + pw, nil},
		{"missing field", "prod/db", "pasword", "", ErrNotFound},
		{"case matters", "prod/db", "Password", "", ErrNotFound},
		{"null field is missing", "prod/db", "none", "", ErrNotFound},
		{"missing secret", "prod/nope", "password", "", ErrNotFound},
		{"duplicate field", "dup", "password", "", ErrDecode},
		{"duplicate after unescaping", "escaped dup", "password", "", ErrDecode},
		{"array document", "array", "password", "", ErrDecode},
		{"string document", "string", "password", "", ErrDecode},
		{"invalid JSON", "invalid", "password", "", ErrDecode},
		{"two documents", "trailing", "password", "", ErrDecode},
		{"empty field name", "prod/db", "", "", ErrInvalidName},
		{"control character in field", "prod/db", "pass\nword", "", ErrInvalidName},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := c.GetField(ctx, tt.secret, tt.field)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("GetField(%q, %q) error = %v, want %v", tt.secret, tt.field, err, tt.wantErr)
				}
				if strings.Contains(err.Error(), pw) {
					t.Errorf("error %q leaks the secret", err)
				}
				if v.buf != nil {
					t.Errorf("GetField returned a Value with the error")
				}
				return
			}
			if err != nil {
				t.Fatalf("GetField(%q, %q): %v", tt.secret, tt.field, err)
			}
			if got := v.Reveal(); got != tt.want {
				t.Errorf("GetField(%q, %q) = %q, want %q", tt.secret, tt.field, got, tt.want)
			}
		})
	}

	_, err := c.GetField(ctx, "prod/db", "pasword")
	var fe *FetchError
	if !errors.As(err, &fe) || fe.Name != "prod/db" || fe.Field != "pasword" {
		t.Fatalf("missing field error = %#v, want a *FetchError naming secret and field", err)
	}
	if want := `secrets: get "prod/db" field "pasword": field secrets: not found`; err.Error() != want {
		t.Errorf("error text = %q, want %q", err, want)
	}
}

// TestGetFieldReadsThroughCache checks that fields of one secret share one
// fetch and that the Value outlives the cached copy.
func TestGetFieldReadsThroughCache(t *testing.T) {
	p := newCounting(func(context.Context, string, int) ([]byte, error) {
		return []byte(`{"username":"app","password":"pw"}`), nil
	})
	c := New(p)
	ctx := context.Background()
	u, err := c.GetField(ctx, "prod/db", "username")
	if err != nil {
		t.Fatal(err)
	}
	pw, err := c.GetField(ctx, "prod/db", "password")
	if err != nil {
		t.Fatal(err)
	}
	if n := p.n("prod/db"); n != 1 {
		t.Errorf("fetches = %d, want 1", n)
	}
	c.Invalidate("prod/db") // zeroes the cached document
	if u.Reveal() != "app" || pw.Reveal() != "pw" {
		t.Errorf("fields after Invalidate = %q, %q; want app, pw", u.Reveal(), pw.Reveal())
	}
}

// FuzzObjectField checks the field scanner against encoding/json decoding
// the document into a map: the same documents are objects, the same keys
// are found with the same values, and a key is reported as duplicate only
// when it is there more than once.
func FuzzObjectField(f *testing.F) {
	for _, s := range []struct{ doc, key string }{
		{`{"a":"b"}`, "a"},
		{` { "a" : [ 1 , { "}" : "]" } ] , "b" : null } `, "b"},
		{`{"a\u0062":1,"ab":2}`, "ab"},
		{`{"\ud83d\ude00":"x"}`, "😀"},
		{"{\"\xff\":1}", "\uFFFD"},
		{`{"a":"\"}"}`, "a"},
		{`[1]`, "a"},
		{`{}`, "a"},
		{`{"a":1}x`, "a"},
		{`{"a":{"a":{"a":1}}}`, "a"},
	} {
		f.Add([]byte(s.doc), s.key)
	}
	f.Fuzz(func(t *testing.T, doc []byte, key string) {
		raw, err := objectField(doc, key)
		var m map[string]json.RawMessage
		jerr := json.Unmarshal(doc, &m)
		isObject := jerr == nil && m != nil
		switch {
		case !isObject:
			if err == nil {
				t.Fatalf("objectField(%q) accepted a document encoding/json does not decode to a map: %v", doc, jerr)
			}
		case errors.Is(err, errDuplicateField):
			if n := countKey(t, doc, key); n < 2 {
				t.Fatalf("objectField(%q, %q) reported a duplicate, the key appears %d times", doc, key, n)
			}
		case err != nil:
			t.Fatalf("objectField(%q, %q) = %v, encoding/json decodes the object", doc, key, err)
		default:
			want, ok := m[key]
			if ok != (raw != nil) || (ok && string(raw) != string(want)) {
				t.Fatalf("objectField(%q, %q) = %q, encoding/json gives %q (present %v)", doc, key, raw, want, ok)
			}
		}
	})
}

// countKey counts the top-level members of the JSON object doc named key.
func countKey(t *testing.T, doc []byte, key string) int {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(doc)))
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	n := 0
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		if k == key {
			n++
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return n
}
