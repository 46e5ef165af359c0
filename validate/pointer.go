package validate

import (
	"errors"
	"strconv"
	"strings"
)

// pointer is a parsed RFC 6901 JSON Pointer.
type pointer struct {
	tokens []string
}

// parsePointer parses s, which must be empty (the whole document) or start
// with "/"; "~" may only appear as "~0" or "~1".
func parsePointer(s string) (*pointer, error) {
	if s == "" {
		return &pointer{}, nil
	}
	if s[0] != '/' {
		return nil, errors.New("a JSON Pointer must be empty or start with /")
	}
	parts := strings.Split(s[1:], "/")
	for i, p := range parts {
		t, ok := unescapeToken(p)
		if !ok {
			return nil, errors.New("a JSON Pointer may only contain ~ as ~0 or ~1")
		}
		parts[i] = t
	}
	return &pointer{tokens: parts}, nil
}

// unescapeToken decodes ~1 and ~0 in one reference token.
func unescapeToken(t string) (string, bool) {
	if !strings.Contains(t, "~") {
		return t, true
	}
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		if t[i] != '~' {
			b.WriteByte(t[i])
			continue
		}
		if i+1 == len(t) || (t[i+1] != '0' && t[i+1] != '1') {
			return "", false
		}
		if t[i+1] == '0' {
			b.WriteByte('~')
		} else {
			b.WriteByte('/')
		}
		i++
	}
	return b.String(), true
}

// resolve returns the value at p in doc, a tree decoded with UseNumber.
func (p *pointer) resolve(doc any) (any, bool) {
	for _, t := range p.tokens {
		switch v := doc.(type) {
		case map[string]any:
			next, ok := v[t]
			if !ok {
				return nil, false
			}
			doc = next
		case []any:
			i, ok := arrayIndex(t)
			if !ok || i >= len(v) {
				return nil, false
			}
			doc = v[i]
		default:
			return nil, false
		}
	}
	return doc, true
}

// arrayIndex parses an RFC 6901 array index: decimal digits, no sign, no
// leading zero.
func arrayIndex(t string) (int, bool) {
	if t == "" || (len(t) > 1 && t[0] == '0') {
		return 0, false
	}
	for i := 0; i < len(t); i++ {
		if t[i] < '0' || t[i] > '9' {
			return 0, false
		}
	}
	i, err := strconv.Atoi(t)
	return i, err == nil
}

// valueAt returns the value at the JSON Pointer ptr in doc.
func valueAt(doc any, ptr string) (any, bool) {
	p, err := parsePointer(ptr)
	if err != nil {
		return nil, false
	}
	return p.resolve(doc)
}

// parentPointer drops the last reference token of ptr.
func parentPointer(ptr string) string {
	if i := strings.LastIndexByte(ptr, '/'); i >= 0 {
		return ptr[:i]
	}
	return ""
}
