package secrets

import (
	"errors"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/fnshield/fnshield/internal/jsonwalk"
)

// errBadString reports input that is not one JSON string literal. Like
// every error of the JSON helpers it says nothing about the input.
var errBadString = errors.New("not a JSON string")

// appendUnquoted appends the text of the JSON string literal s (quotes
// included, nothing around them) to dst, decoding it as encoding/json does:
// invalid UTF-8 and lone surrogates become U+FFFD. Unlike encoding/json it
// makes no string, so the caller can zero the result.
func appendUnquoted(dst, s []byte) ([]byte, error) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return dst, errBadString
	}
	s = s[1 : len(s)-1]
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\':
			r, n := unescape(s[i:])
			if n == 0 {
				return dst, errBadString
			}
			dst = utf8.AppendRune(dst, r)
			i += n
		case c == '"' || c < ' ':
			return dst, errBadString
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			i++
		default:
			r, n := utf8.DecodeRune(s[i:])
			dst = utf8.AppendRune(dst, r) // RuneError for an invalid byte
			i += n
		}
	}
	return dst, nil
}

// unescape decodes the escape sequence at the start of s, which begins with
// a backslash. It returns the rune and the bytes consumed, 0 if the
// sequence is invalid. A surrogate pair takes both of its \u escapes; an
// unpaired surrogate gives U+FFFD and consumes its own escape only.
func unescape(s []byte) (rune, int) {
	if len(s) < 2 {
		return 0, 0
	}
	switch s[1] {
	case '"', '\\', '/':
		return rune(s[1]), 2
	case 'b':
		return '\b', 2
	case 'f':
		return '\f', 2
	case 'n':
		return '\n', 2
	case 'r':
		return '\r', 2
	case 't':
		return '\t', 2
	case 'u':
		r := hex4(s[2:])
		if r < 0 {
			return 0, 0
		}
		if !utf16.IsSurrogate(r) {
			return r, 6
		}
		if len(s) >= 12 && s[6] == '\\' && s[7] == 'u' {
			if r2 := hex4(s[8:]); r2 >= 0 {
				if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
					return d, 12
				}
			}
		}
		return utf8.RuneError, 6
	}
	return 0, 0
}

// hex4 returns the value of the four hex digits at the start of s, or -1.
func hex4(s []byte) rune {
	if len(s) < 4 {
		return -1
	}
	var r rune
	for _, c := range s[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// isNumber reports whether b is exactly one JSON number literal.
func isNumber(b []byte) bool {
	end, _, ok := jsonwalk.ScanNumber(b, 0)
	return ok && end == len(b)
}

// trimSpace removes JSON whitespace from both ends of b.
func trimSpace(b []byte) []byte {
	for len(b) > 0 && jsonwalk.IsSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && jsonwalk.IsSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}
