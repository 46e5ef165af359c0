package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"unicode/utf8"
)

// JSON member names are case-sensitive (RFC 7519 §4, RFC 7515 §4,
// RFC 7517 §4), but encoding/json matches object keys to struct fields
// case-insensitively (and under Unicode folding: "\u212Aid", with a
// Kelvin sign, matches "kid"), and lets the last of duplicate keys win.
// Decoding tokens and key sets into structs would therefore read
// {"scope":"read","Scope":"admin"} differently from every other JWT
// library. The documents the verifier reads are instead scanned here: only
// a member whose name is exactly one of the names sought fills it.

// Causes for objects that cannot be read unambiguously. They name no
// member and no value.
var (
	errNotObject       = errors.New("not a JSON object")
	errDuplicateMember = errors.New("a member appears twice")
	errFoldedMember    = errors.New("a member name differs from a registered one only in case")
)

// memberPolicy says how scanObject treats a member whose name equals a
// sought name only under case folding (as encoding/json would match it).
type memberPolicy uint8

const (
	// foldIgnored leaves such a member unread, like any other unknown
	// member (token payloads: it is just a custom claim).
	foldIgnored memberPolicy = iota
	// foldRejected makes it an error (JOSE headers, JWKs, key set and
	// discovery documents: a member that may be meant as a registered one
	// is ambiguous, so the object is refused).
	foldRejected
)

// scanObject reads the JSON object doc. For each member whose name (after
// unescaping) is exactly names[i], vals[i] is set to the member's raw
// value; vals must be at least as long as names, and its entries for absent
// members are left nil. It returns errNotObject when doc is not a valid
// JSON object, errDuplicateMember when a sought name appears twice, and,
// under foldRejected, errFoldedMember for a member whose name equals a
// sought one only under Unicode case folding. Other members, duplicated or
// not, are skipped.
//
// The work is one validation pass (json.Valid, which allocates nothing)
// and one scan; a name is only allocated when it contains an escape.
func scanObject(doc []byte, names []string, vals [][]byte, policy memberPolicy) error {
	if !json.Valid(doc) {
		return errNotObject
	}
	i := skipSpace(doc, 0)
	if doc[i] != '{' { // Valid: doc holds a value, so i is in range
		return errNotObject
	}
	i = skipSpace(doc, i+1)
	if doc[i] == '}' {
		return nil
	}
	for {
		// doc[i] is the opening quote of a member name.
		end := skipString(doc, i)
		name := doc[i+1 : end-1]
		if bytes.IndexByte(name, '\\') >= 0 {
			var s string
			if json.Unmarshal(doc[i:end], &s) != nil {
				return errNotObject // unreachable after Valid
			}
			name = []byte(s)
		}
		i = skipSpace(doc, end)
		i = skipSpace(doc, i+1) // past ':'
		vend := skipValue(doc, i)
		if err := storeMember(name, doc[i:vend], names, vals, policy); err != nil {
			return err
		}
		i = skipSpace(doc, vend)
		if doc[i] == '}' {
			return nil
		}
		i = skipSpace(doc, i+1) // past ','
	}
}

// storeMember records one member for scanObject.
func storeMember(name, val []byte, names []string, vals [][]byte, policy memberPolicy) error {
	for k, n := range names {
		if string(name) == n {
			if vals[k] != nil {
				return errDuplicateMember
			}
			vals[k] = val
			return nil
		}
	}
	if policy == foldRejected {
		for _, n := range names {
			if bytes.EqualFold(name, []byte(n)) {
				return errFoldedMember
			}
		}
	}
	return nil
}

// isSpace reports JSON insignificant whitespace.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// skipSpace returns the index of the first non-space byte at or after i
// (len(doc) if none).
func skipSpace(doc []byte, i int) int {
	for i < len(doc) && isSpace(doc[i]) {
		i++
	}
	return i
}

// skipString returns the index just past the string starting at doc[i],
// which is '"'. doc must be valid JSON.
func skipString(doc []byte, i int) int {
	for i++; i < len(doc); i++ {
		switch doc[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(doc)
}

// skipValue returns the index just past the value starting at doc[i]. doc
// must be valid JSON.
func skipValue(doc []byte, i int) int {
	switch doc[i] {
	case '"':
		return skipString(doc, i)
	case '{', '[':
		depth := 0
		for i < len(doc) {
			switch doc[i] {
			case '"':
				i = skipString(doc, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return len(doc)
	default: // number, true, false, null
		for i < len(doc) {
			switch c := doc[i]; {
			case c == ',' || c == '}' || c == ']' || isSpace(c):
				return i
			}
			i++
		}
		return len(doc)
	}
}

// isNull reports whether the raw value v is absent or JSON null. Absent
// and null members are treated alike, as encoding/json does.
func isNull(v []byte) bool { return v == nil || string(v) == "null" }

// stringValue decodes the raw value v into *dst: a JSON string, or absent
// or null (leaving *dst unchanged). Any other type is errClaimType.
func stringValue(v []byte, dst *string) error {
	if isNull(v) {
		return nil
	}
	if v[0] != '"' {
		return errClaimType
	}
	s, err := unquote(v)
	if err != nil {
		return err
	}
	*dst = s
	return nil
}

// unquote decodes the JSON string v (quotes included, valid JSON). Strings
// without escapes or invalid UTF-8 (nearly all) are copied directly; others
// go through encoding/json so that escapes and invalid UTF-8 come out as
// Decode would read them.
func unquote(v []byte) (string, error) {
	body := v[1 : len(v)-1]
	if bytes.IndexByte(body, '\\') < 0 && utf8.Valid(body) {
		return string(body), nil
	}
	var s string
	if json.Unmarshal(v, &s) != nil {
		return "", errClaimType
	}
	return s, nil
}

// forEachElement calls f with the raw value of each element of the JSON
// array v (valid JSON, as cut from a document scanObject accepted), in
// order, and stops at f's first error. A v that is not an array is
// errClaimType.
func forEachElement(v []byte, f func(elem []byte) error) error {
	if len(v) == 0 || v[0] != '[' {
		return errClaimType
	}
	i := skipSpace(v, 1)
	for i < len(v) && v[i] != ']' {
		end := skipValue(v, i)
		if err := f(v[i:end]); err != nil {
			return err
		}
		i = skipSpace(v, end)
		if i < len(v) && v[i] == ',' {
			i = skipSpace(v, i+1)
		}
	}
	return nil
}

// stringArray decodes the JSON array v (valid JSON) of strings. A null
// element is "", as encoding/json reads it; any other non-string element
// is errClaimType. An empty array is an empty, non-nil slice.
func stringArray(v []byte) ([]string, error) {
	n := 0
	if err := forEachElement(v, func([]byte) error { n++; return nil }); err != nil {
		return nil, err
	}
	out := make([]string, 0, n)
	err := forEachElement(v, func(e []byte) error {
		switch e[0] {
		case '"':
			s, err := unquote(e)
			if err != nil {
				return err
			}
			out = append(out, s)
		case 'n':
			out = append(out, "")
		default:
			return errClaimType
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
