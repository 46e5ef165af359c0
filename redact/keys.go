package redact

import (
	"slices"
	"strings"
)

// A needle is one sensitive key name, normalised (lower case, letters and
// digits only).
type needle struct {
	name string
	kind string
	// wordStart and wordEnd require the match to begin (end) at a word
	// boundary of the original key: its start or end, a separator, or a
	// camelCase step. Short names such as "ssn" need both to avoid matching
	// inside other words ("classname").
	wordStart, wordEnd bool
	// sameWord lists continuations that, directly following the match in the
	// same word, make it a different word ("secretary", "tokens",
	// "tokenizer").
	sameWord []string
	// nextWord lists words that, following the match as the next word, make
	// the key describe something that is not a secret ("token_count",
	// "token_type", "token_url").
	nextWord []string
}

// tokenNextWords are the words after "token" that make a key non-secret.
var tokenNextWords = []string{"count", "type", "usage", "limit", "used", "url", "uri", "endpoint", "expir", "ttl", "len", "length", "name", "cache", "timeout", "lifetime", "duration", "size"}

// sessionNextWords are the words after "session" that make a key describe
// a session rather than hold its ID (session_ttl, session_timeout).
var sessionNextWords = []string{"count", "type", "limit", "ttl", "timeout", "expir", "len", "length", "duration", "status", "cache", "lifetime", "size"}

// secretNextWords are the words after "secret" that make a key name or
// describe a secret rather than hold it (secret_name, secret_version).
var secretNextWords = []string{"name", "version", "arn", "ref", "path", "count", "type"}

// builtinNeedles returns the built-in key names; see the package
// documentation for the rules.
func builtinNeedles() []needle {
	return []needle{
		{name: "password", kind: "password"},
		{name: "passwd", kind: "password"},
		{name: "passphrase", kind: "password"},
		{name: "pwd", kind: "password", wordStart: true, wordEnd: true},
		{name: "secret", kind: "secret", sameWord: []string{"ary", "smanager"}, nextWord: secretNextWords},
		{name: "secretaccesskey", kind: kindAWSSecretKey},
		{name: "token", kind: "token", sameWord: []string{"s", "i"}, nextWord: tokenNextWords},
		{name: "authorization", kind: "authorization"},
		{name: "cookie", kind: "cookie"},
		{name: "apikey", kind: "api_key"},
		{name: "accesskey", kind: "access_key"},
		{name: "privatekey", kind: kindPrivateKey},
		{name: "session", kind: "session", nextWord: sessionNextWords},
		{name: "credential", kind: "credential"},
		{name: "signature", kind: "signature", wordStart: true},
		{name: "ssn", kind: kindSSN, wordStart: true, wordEnd: true},
		{name: "socialsecurity", kind: kindSSN},
		{name: "cardnumber", kind: kindCard},
		{name: "creditcard", kind: kindCard},
		{name: "cardno", kind: kindCard, wordEnd: true},
		{name: "cvv", kind: "cvv", wordStart: true},
		{name: "cvc", kind: "cvv", wordStart: true},
		{name: "iban", kind: kindIBAN, wordStart: true, wordEnd: true},
	}
}

// maxKeyLen bounds the part of a key that is examined: only its first
// maxKeyLen normalised characters can match.
const maxKeyLen = 64

// keyMatcher finds sensitive key names. It is immutable after newKeyMatcher.
type keyMatcher struct {
	needles []needle // sorted by name
	// index maps the first two characters of a name (each of a-z0-9) to the
	// range of needles starting with them.
	index [36 * 36][2]uint16
	// tri is a prefilter: a key can match only if its letters and digits
	// (separators skipped) contain the first three characters of a needle,
	// or the two of a two-character one. Characters are compared by their
	// 5-bit code (code), which does not tell digits apart: bit a<<10|b<<5|c
	// of tri is set when a needle starts with codes a, b, c, and for every
	// c when a needle is a, b.
	tri [1 << 15 / 64]uint64
	// letterStart is set when every needle starts with two letters: then
	// a key without two letters in a row (separators skipped) cannot match.
	letterStart bool
}

// code maps a letter (either case) to 0..25, a digit to codeDigit and any
// other byte to codeSep.
var code = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case 'a' <= c && c <= 'z':
			t[c] = uint8(c - 'a')
		case 'A' <= c && c <= 'Z':
			t[c] = uint8(c - 'A')
		case '0' <= c && c <= '9':
			t[c] = codeDigit
		default:
			t[c] = codeSep
		}
	}
	return t
}()

const (
	codeDigit = 26
	codeSep   = 27
	triNone   = codeSep<<10 | codeSep<<5 | codeSep // no characters yet
)

// lowerAlnum maps A-Z to a-z, keeps a-z and 0-9, and maps anything else to 0.
var lowerAlnum = func() (t [256]byte) {
	for c := 0; c < 256; c++ {
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			t[c] = byte(c)
		case 'A' <= c && c <= 'Z':
			t[c] = byte(c) + 'a' - 'A'
		}
	}
	return t
}()

// mayMatch reports whether some needle could occur in key, looking for the
// first three characters of each needle among its letters and digits
// (separators skipped) in its first 128 bytes.
func (m *keyMatcher) mayMatch(key string) bool {
	if len(key) > 2*maxKeyLen {
		key = key[:2*maxKeyLen]
	}
	codes, tri := &code, &m.tri
	x := uint(triNone) // the codes of the last three characters
	for i := 0; i < len(key); i++ {
		c := uint(codes[key[i]])
		if c == codeSep {
			continue
		}
		x = (x<<5 | c) & (1<<15 - 1)
		if tri[x>>6]&(1<<(x&63)) != 0 {
			return true
		}
	}
	// A two-character needle at the end.
	x = (x<<5 | codeSep) & (1<<15 - 1)
	return tri[x>>6]&(1<<(x&63)) != 0
}

// quotedKeyBack reads backwards from s[ke-1], at most to s[lo], up to the
// byte q. It returns the index of q, or lo-1 if there is none, and whether
// the key in between passes mayMatch.
func (m *keyMatcher) quotedKeyBack(s string, lo, ke int, q byte) (int, bool) {
	if lo < 0 || lo > ke || ke > len(s) {
		return lo - 1, false
	}
	t := s[lo:ke]
	codes, tri := &code, &m.tri
	hit := false
	x := uint(triNone) // the codes of t[k] and the two characters after it
	k := len(t) - 1
	for ; k >= 0; k-- {
		b := t[k]
		if b == q {
			break
		}
		c := uint(codes[b])
		if c == codeSep {
			continue
		}
		x = c<<10 | x>>5
		if tri[x>>6&(1<<15/64-1)]&(1<<(x&63)) != 0 {
			hit = true
		}
	}
	return lo + k, hit
}

// bareKeyBack reads backwards from s[ke-1], at most to s[lo], over bytes of
// class cKey. It returns where they start and whether they pass mayMatch.
func (m *keyMatcher) bareKeyBack(s string, lo, ke int) (int, bool) {
	if lo < 0 || lo > ke || ke > len(s) {
		return ke, false
	}
	t := s[lo:ke]
	if m.letterStart && !letterPairBack(t) {
		return ke, false // "12:00:00": no key can end here
	}
	codes, tri := &code, &m.tri
	hit := false
	x := uint(triNone)
	k := len(t) - 1
	for ; k >= 0; k-- {
		b := t[k]
		if class[b]&cKey == 0 {
			break
		}
		c := uint(codes[b])
		if c == codeSep {
			continue
		}
		x = c<<10 | x>>5
		if tri[x>>6&(1<<15/64-1)]&(1<<(x&63)) != 0 {
			hit = true
		}
	}
	return lo + k + 1, hit
}

// letterPairBack reports whether the bytes of class cKey at the end of t
// hold two letters in a row, separators skipped.
func letterPairBack(t string) bool {
	prev := false
	for k := len(t) - 1; k >= 0; k-- {
		c := class[t[k]]
		switch {
		case c&cKey == 0:
			return false
		case c&(cUpper|cLower) != 0:
			if prev {
				return true
			}
			prev = true
		case c&cDigit != 0:
			prev = false
		}
	}
	return false
}

func alnumIndex(c byte) int {
	switch {
	case 'a' <= c && c <= 'z':
		return int(c - 'a')
	case '0' <= c && c <= '9':
		return 26 + int(c-'0')
	}
	return -1
}

func newKeyMatcher(extra []string) *keyMatcher {
	ns := builtinNeedles()
	for _, k := range extra {
		var buf [maxKeyLen]byte
		n, _ := normalizeKey(k, &buf)
		if n < 2 {
			continue // one-character keys would match almost everything
		}
		name := string(buf[:n])
		if !slices.ContainsFunc(ns, func(x needle) bool { return x.name == name }) {
			ns = append(ns, needle{name: name, kind: kindKey})
		}
	}
	slices.SortFunc(ns, func(a, b needle) int { return strings.Compare(a.name, b.name) })
	m := &keyMatcher{needles: ns, letterStart: true}
	for i, n := range ns {
		r := &m.index[alnumIndex(n.name[0])*36+alnumIndex(n.name[1])]
		if r[1] == 0 {
			r[0] = uint16(i)
		}
		r[1] = uint16(i + 1)
		ca, cb := uint(code[n.name[0]]), uint(code[n.name[1]])
		if ca >= codeDigit || cb >= codeDigit {
			m.letterStart = false
		}
		for c := range uint(codeSep + 1) {
			if len(n.name) == 2 || c == uint(code[n.name[2]]) {
				t := ca<<10 | cb<<5 | c
				m.tri[t>>6] |= 1 << (t & 63)
			}
		}
	}
	return m
}

// normalizeKey writes the lower-cased letters and digits of key into buf and
// returns their count and a bit set of word starts (bit i: a word starts at
// buf[i]).
func normalizeKey(key string, buf *[maxKeyLen]byte) (n int, starts uint64) {
	prev := byte(0) // class of previous kept input byte: 0 sep, 'l' lower, 'u' upper, 'd' digit
	sep := true
	for i := 0; i < len(key) && n < maxKeyLen; i++ {
		c := key[i]
		var cl byte
		switch {
		case 'a' <= c && c <= 'z':
			cl = 'l'
		case 'A' <= c && c <= 'Z':
			cl = 'u'
			c += 'a' - 'A'
		case '0' <= c && c <= '9':
			cl = 'd'
		default:
			sep = true
			continue
		}
		start := sep
		if !start {
			switch {
			case cl == 'u' && prev != 'u':
				start = true // fooBar, foo1Bar
			case cl == 'l' && prev == 'u' && i >= 2 && isUpper(key[i-2]) && n > 0:
				// APIKey: the word starts at the last capital ("Key").
				starts |= 1 << (n - 1)
				// The bit for the previous upper-case letter marks the start;
				// clear nothing else: "API" still started a word earlier.
			}
		}
		if start {
			starts |= 1 << n
		}
		buf[n] = c
		n++
		prev = cl
		sep = false
	}
	return n, starts
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

// match reports whether key names something sensitive, and its kind.
func (m *keyMatcher) match(key string) (kind string, ok bool) {
	if m == nil || len(key) < 2 || !m.mayMatch(key) {
		return "", false
	}
	return m.matchKey(key)
}

// matchKey is match for a key known to pass mayMatch.
func (m *keyMatcher) matchKey(key string) (kind string, ok bool) {
	var buf [maxKeyLen]byte
	n, starts := normalizeKey(key, &buf)
	return m.matchNorm(buf[:n], starts)
}

func (m *keyMatcher) matchNorm(k []byte, starts uint64) (string, bool) {
	for p := 0; p+1 < len(k); p++ {
		a, b := alnumIndex(k[p]), alnumIndex(k[p+1])
		r := m.index[a*36+b]
		// Longer names sharing a prefix sort later: try them first.
		for i := int(r[1]) - 1; i >= int(r[0]); i-- {
			nd := &m.needles[i]
			if nd.matchAt(k, p, starts) {
				return nd.kind, true
			}
		}
	}
	return "", false
}

func (nd *needle) matchAt(k []byte, p int, starts uint64) bool {
	if len(k)-p < len(nd.name) || string(k[p:p+len(nd.name)]) != nd.name {
		return false
	}
	end := p + len(nd.name)
	atStart := func(i int) bool { return i >= len(k) || starts&(1<<i) != 0 }
	if nd.wordStart && !atStart(p) {
		return false
	}
	if nd.wordEnd && !atStart(end) {
		return false
	}
	rest := k[end:]
	if end < len(k) && starts&(1<<end) == 0 {
		for _, w := range nd.sameWord {
			if hasPrefix(rest, w) {
				return false
			}
		}
	} else {
		for _, w := range nd.nextWord {
			if hasPrefix(rest, w) {
				return false
			}
		}
	}
	return true
}

func hasPrefix(b []byte, p string) bool {
	return len(b) >= len(p) && string(b[:len(p)]) == p
}
