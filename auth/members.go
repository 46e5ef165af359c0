package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"unicode/utf8"

	"github.com/fnshield/fnshield/internal/jsonwalk"
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
	i := jsonwalk.SkipSpace(doc, 0)
	if doc[i] != '{' { // Valid: doc holds a value, so i is in range
		return errNotObject
	}
	i = jsonwalk.SkipSpace(doc, i+1)
	if doc[i] == '}' {
		return nil
	}
	for {
		// doc[i] is the opening quote of a member name.
		end := jsonwalk.SkipString(doc, i)
		name := doc[i+1 : end-1]
		if bytes.IndexByte(name, '\\') >= 0 {
			var s string
			if json.Unmarshal(doc[i:end], &s) != nil {
				return errNotObject // unreachable after Valid
			}
			name = []byte(s)
		}
		i = jsonwalk.SkipSpace(doc, end)
		i = jsonwalk.SkipSpace(doc, i+1) // past ':'
		vend := jsonwalk.SkipValue(doc, i)
		if err := storeMember(name, doc[i:vend], names, vals, policy); err != nil {
			return err
		}
		i = jsonwalk.SkipSpace(doc, vend)
		if doc[i] == '}' {
			return nil
		}
		i = jsonwalk.SkipSpace(doc, i+1) // past ','
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

// unquote decodes the JSON string v (quotes included, valid JSON). A string
// that is not valid text (see validText) is errClaimType: encoding/json
// would read its invalid bytes and lone surrogates as U+FFFD, so that
// different byte strings came out as one. Strings without escapes (nearly
// all) are copied directly; others go through encoding/json.
func unquote(v []byte) (string, error) {
	body := v[1 : len(v)-1]
	if bytes.IndexByte(body, '\\') < 0 {
		if !utf8.Valid(body) {
			return "", errClaimType
		}
		return string(body), nil
	}
	if !validText(body) {
		return "", errClaimType
	}
	var s string
	if json.Unmarshal(v, &s) != nil {
		return "", errClaimType
	}
	return s, nil
}

// errInvalidText is the cause for a document that is not valid UTF-8 or
// holds a lone UTF-16 surrogate escape.
var errInvalidText = errors.New("not valid UTF-8 text")

// validText reports whether doc, JSON text or the body of a JSON string, is
// valid UTF-8 and each of its \u escapes of a UTF-16 surrogate is one half
// of a pair, high then low (RFC 8259 §8; RFC 7519 §7.2 requires JWT
// headers and claims to be UTF-8). encoding/json decodes invalid bytes and
// lone surrogates to U+FFFD, which would let many byte strings stand for
// one claim value. doc need not be valid JSON; escapes other than \u are
// skipped.
func validText(doc []byte) bool {
	if !utf8.Valid(doc) {
		return false
	}
	i := 0
	for {
		j := bytes.IndexByte(doc[i:], '\\')
		if j < 0 {
			return true
		}
		i += j
		u, ok := escapedUnit(doc, i)
		if !ok { // not a \u escape: skip the escaped byte
			i += 2
			if i >= len(doc) {
				return true
			}
			continue
		}
		i += 6
		switch {
		case u >= 0xdc00 && u <= 0xdfff: // low surrogate without a high one
			return false
		case u >= 0xd800 && u <= 0xdbff:
			lo, ok := escapedUnit(doc, i)
			if !ok || lo < 0xdc00 || lo > 0xdfff {
				return false
			}
			i += 6
		}
	}
}

// escapedUnit reads the escape \uXXXX at doc[i:] and returns its code
// unit; ok is false when doc[i:] does not start with one.
func escapedUnit(doc []byte, i int) (u uint16, ok bool) {
	if i+6 > len(doc) || doc[i] != '\\' || doc[i+1] != 'u' {
		return 0, false
	}
	for _, c := range doc[i+2 : i+6] {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		u = u<<4 | uint16(d)
	}
	return u, true
}

// forEachElement calls f with the raw value of each element of the JSON
// array v (valid JSON, as cut from a document scanObject accepted), in
// order, and stops at f's first error. A v that is not an array is
// errClaimType.
func forEachElement(v []byte, f func(elem []byte) error) error {
	if len(v) == 0 || v[0] != '[' {
		return errClaimType
	}
	i := jsonwalk.SkipSpace(v, 1)
	for i < len(v) && v[i] != ']' {
		end := jsonwalk.SkipValue(v, i)
		if err := f(v[i:end]); err != nil {
			return err
		}
		i = jsonwalk.SkipSpace(v, end)
		if i < len(v) && v[i] == ',' {
			i = jsonwalk.SkipSpace(v, i+1)
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
