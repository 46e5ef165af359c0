// Package jsonwalk steps over the parts of a JSON document without
// decoding them: the primitives of the packages that read one member of a
// document by its exact name (auth's claims, secrets' fields), which run on
// documents encoding/json (json.Valid) has already accepted, and the number
// grammar that validate's screen and secrets' Value check untrusted input
// against. Each function returns the index just past what it skips; none
// reads past the end of doc, whatever doc holds.
package jsonwalk

// IsSpace reports JSON insignificant whitespace.
func IsSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// SkipSpace returns the index of the first non-space byte at or after i
// (len(doc) if none).
func SkipSpace(doc []byte, i int) int {
	for i < len(doc) && IsSpace(doc[i]) {
		i++
	}
	return i
}

// SkipString returns the index just past the string literal starting at
// doc[i], which is '"'.
func SkipString(doc []byte, i int) int {
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

// SkipValue returns the index just past the value starting at doc[i].
func SkipValue(doc []byte, i int) int {
	switch doc[i] {
	case '"':
		return SkipString(doc, i)
	case '{', '[':
		depth := 0
		for i < len(doc) {
			switch doc[i] {
			case '"':
				i = SkipString(doc, i)
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
			case c == ',' || c == '}' || c == ']' || IsSpace(c):
				return i
			}
			i++
		}
		return len(doc)
	}
}

// ScanNumber scans the JSON number that starts at doc[i], by RFC 8259's
// grammar -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?. It returns the
// index just past the number, the index of its exponent's first digit (-1
// when it has no exponent) and true; or the index of the byte where the
// grammar breaks (len(doc) if the number is cut short) and false. Unlike
// the Skip functions it checks what it reads: doc need not be valid JSON.
func ScanNumber(doc []byte, i int) (end, exp int, ok bool) {
	n := len(doc)
	exp = -1
	if i < n && doc[i] == '-' {
		i++
	}
	switch {
	case i >= n:
		return n, -1, false
	case doc[i] == '0':
		i++
	case doc[i] >= '1' && doc[i] <= '9':
		i = skipDigits(doc, i+1)
	default:
		return i, -1, false
	}
	if i < n && doc[i] == '.' {
		i++
		if i >= n || doc[i] < '0' || doc[i] > '9' {
			return i, -1, false
		}
		i = skipDigits(doc, i)
	}
	if i < n && (doc[i] == 'e' || doc[i] == 'E') {
		i++
		if i < n && (doc[i] == '+' || doc[i] == '-') {
			i++
		}
		if i >= n || doc[i] < '0' || doc[i] > '9' {
			return i, -1, false
		}
		exp = i
		i = skipDigits(doc, i)
	}
	return i, exp, true
}

// skipDigits returns the index of the first byte at or after i that is
// not an ASCII digit.
func skipDigits(doc []byte, i int) int {
	for i < len(doc) && doc[i] >= '0' && doc[i] <= '9' {
		i++
	}
	return i
}
