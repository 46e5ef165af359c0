package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzScanObject checks scanObject against encoding/json's own reading of
// the top-level members (json.Decoder tokens, exact names): the same
// validity verdict, the same raw values for the sought names, and the
// first duplicate or folded name reported in member order.
func FuzzScanObject(f *testing.F) {
	for _, s := range []string{
		`{"iss":"a","scope":"r","kid":"k","a":[1,{"b":"}"}]}`,
		`{"iss":"a","iss":"b"}`,
		`{"Scope":"x","scope":"y"}`,
		`{"\u0069ss":"a","k\u0049d":1}`,
		"{\"\u212aid\":1,\"\u017fcope\":2}",
		` { "a" : null , "x" : { } } `,
		`[]`, `{`, `{"a":1}x`, `"s"`, `{"a":"\ud800"}`,
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	names := []string{"iss", "scope", "kid", "a"}
	f.Fuzz(func(t *testing.T, doc []byte, reject bool) {
		policy := foldIgnored
		if reject {
			policy = foldRejected
		}
		vals := make([][]byte, len(names))
		err := scanObject(doc, names, vals, policy)
		wantVals, want := jsonMembers(doc, names, policy)
		if !errors.Is(err, want) {
			t.Fatalf("error: got %v, want %v", err, want)
		}
		if err != nil {
			return
		}
		for i := range names {
			if !bytes.Equal(vals[i], wantVals[i]) {
				t.Fatalf("%s: got %q, want %q", names[i], vals[i], wantVals[i])
			}
		}
	})
}

// jsonMembers is the reference: what scanObject must return for doc,
// computed with encoding/json's tokenizer.
func jsonMembers(doc []byte, names []string, policy memberPolicy) ([][]byte, error) {
	if !json.Valid(doc) {
		return nil, errNotObject
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errNotObject
	}
	vals := make([][]byte, len(names))
	var first error
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, errNotObject
		}
		name := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, errNotObject
		}
		if first != nil {
			continue
		}
		exact := false
		for i, n := range names {
			if name == n {
				exact = true
				if vals[i] != nil {
					first = errDuplicateMember
				}
				vals[i] = raw
			}
		}
		if !exact && policy == foldRejected {
			for _, n := range names {
				if bytes.EqualFold([]byte(name), []byte(n)) {
					first = errFoldedMember
				}
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, errNotObject
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errNotObject
	}
	return vals, first
}

// FuzzUnquote checks unquote against encoding/json: a JSON string that
// encoding/json reads is accepted exactly when it reads it without
// replacing anything by U+FFFD (an invalid byte or a lone surrogate), and
// then to the same value. Inputs that spell U+FFFD themselves, whose
// replacement cannot be told apart, are left out.
func FuzzUnquote(f *testing.F) {
	for _, s := range []string{
		`"plain"`, `"a\u0020b"`, `"\ud83d\ude00"`, `"\ud800"`, `"\udc00"`, `"\ud800\u0041"`,
		`"\\ud800"`, `"\\\ud800"`, "\"a\xffb\"", "\"\xed\xa0\x80\"", `"\ud800\"`, `"\u00e9\n"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, v []byte) {
		var want string
		if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' || json.Unmarshal(v, &want) != nil {
			return // not one JSON string: unquote is only given those
		}
		if bytes.Contains(v, []byte("\uFFFD")) || bytes.Contains(bytes.ToLower(v), []byte("fffd")) {
			return
		}
		got, err := unquote(v)
		replaced := strings.ContainsRune(want, utf8.RuneError)
		switch {
		case replaced && err == nil:
			t.Fatalf("unquote(%q) = %q, want an error (encoding/json reads %q)", v, got, want)
		case !replaced && err != nil:
			t.Fatalf("unquote(%q): %v, want %q", v, err, want)
		case err == nil && got != want:
			t.Fatalf("unquote(%q) = %q, want %q", v, got, want)
		}
	})
}
