package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{
	`{"a":1,"b":[true,false,null],"c":{"d":"e\u00e9\ud83d\ude00"}}`,
	`{"a":1,"\u0061":2}`,
	`[1e400, -0.5E-3, 123456789012345678901234567890]`,
	`"\ud800"`, "\"\xff\"", `{"a":`, `[[[[[[`, ` `, `01`, `{"":{"":{"":[]}}}`,
}

// FuzzScreen checks the screen against encoding/json: it accepts exactly
// the documents json.Valid accepts, except those that break one of its own
// rules (invalid UTF-8 or lone surrogates, number literals, depth, and
// duplicate names), and it finds duplicates exactly where a token-level
// reference does.
func FuzzScreen(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Add(orderDoc)
	f.Fuzz(func(t *testing.T, d []byte) {
		err := screen(d, 1<<30, maxMaxDepth, true)
		valid := json.Valid(d)
		switch {
		case err == nil:
			if !valid {
				t.Fatalf("screen accepts %q, encoding/json does not", d)
			}
		case errors.Is(err, ErrSyntax):
			if valid {
				t.Fatalf("screen: %v for %q, which encoding/json accepts", err, d)
			}
		case errors.Is(err, ErrEncoding):
			if utf8.Valid(d) && !bytes.Contains(d, []byte(`\u`)) && !bytes.Contains(d, []byte(`\U`)) {
				t.Fatalf("screen: %v for valid UTF-8 without escapes %q", err, d)
			}
		case errors.Is(err, ErrNumber), errors.Is(err, ErrTooDeep):
		default:
			t.Fatalf("screen: unexpected %v", err)
		}
		if err != nil {
			return
		}
		dupErr := screen(d, 1<<30, maxMaxDepth, false)
		if got, want := dupErr != nil, hasDuplicate(d); got != want {
			t.Fatalf("duplicate check on %q: screen %v, reference %v", d, dupErr, want)
		}
		if dupErr != nil && !errors.Is(dupErr, ErrDuplicateKey) {
			t.Fatalf("with duplicates off: %v", dupErr)
		}
	})
}

// hasDuplicate is the reference duplicate check: encoding/json's tokens,
// a set of names per open object.
func hasDuplicate(d []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(d))
	type frame struct {
		obj       bool
		names     map[string]bool
		expectKey bool
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return false
		}
		if err != nil {
			return false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.obj && top.expectKey {
			if name, ok := tok.(string); ok {
				if top.names[name] {
					return true
				}
				top.names[name] = true
				top.expectKey = false
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			if top != nil && top.obj {
				top.expectKey = true
			}
			stack = append(stack, &frame{obj: true, names: map[string]bool{}, expectKey: true})
			continue
		case json.Delim('['):
			if top != nil && top.obj {
				top.expectKey = true
			}
			stack = append(stack, &frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			if len(stack) > 0 && stack[len(stack)-1].obj {
				stack[len(stack)-1].expectKey = true
			}
			continue
		}
		if top != nil && top.obj {
			top.expectKey = true
		}
	}
}

// FuzzValidate runs hostile documents through a realistic schema: no
// panic, only documented errors, and nothing accepted that encoding/json
// would not parse.
func FuzzValidate(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Add(orderDoc)
	f.Add([]byte(`{"orderId":"x","items":[{"sku":1}],"metadata":{"a/b~c":1},"total":1e300}`))
	s := MustCompile(orderSchema, WithMaxDepth(32))
	f.Fuzz(func(t *testing.T, d []byte) {
		err := s.Validate(d)
		if err == nil {
			if !json.Valid(d) {
				t.Fatalf("Validate accepts %q, encoding/json does not", d)
			}
			return
		}
		var verr *Error
		if errors.As(err, &verr) {
			if len(verr.Violations) == 0 || len(verr.Violations) > MaxViolations {
				t.Fatalf("%d violations", len(verr.Violations))
			}
			for _, v := range verr.Violations {
				if v.Keyword == "" || v.Message == "" {
					t.Fatalf("incomplete violation %+v", v)
				}
			}
			return
		}
		for _, sentinel := range []error{ErrTooLarge, ErrTooDeep, ErrDuplicateKey, ErrSyntax, ErrEncoding, ErrNumber} {
			if errors.Is(err, sentinel) {
				return
			}
		}
		t.Fatalf("undocumented error %v", err)
	})
}
