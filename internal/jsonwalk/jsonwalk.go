// Package jsonwalk steps over the parts of a JSON document that
// encoding/json (json.Valid) has already accepted, without decoding them:
// the primitives of the packages that read one member of a document by its
// exact name (auth's claims, secrets' fields). Each function returns the
// index just past what it skips; none reads past the end of doc, whatever
// doc holds.
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
