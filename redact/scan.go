package redact

import (
	"math/bits"
	"strings"
)

// Byte classes, one table lookup per byte.
const (
	cAlnum  = 1 << iota // A-Z a-z 0-9
	cDigit              // 0-9
	cUpper              // A-Z
	cLower              // a-z
	cB64                // A-Z a-z 0-9 + /
	cB64URL             // A-Z a-z 0-9 - _
	cKey                // A-Z a-z 0-9 _ . -
	cHex                // 0-9 a-f A-F
)

var class = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		var v uint8
		switch {
		case '0' <= c && c <= '9':
			v = cAlnum | cDigit | cHex
		case 'A' <= c && c <= 'Z':
			v = cAlnum | cUpper
			if c <= 'F' {
				v |= cHex
			}
		case 'a' <= c && c <= 'z':
			v = cAlnum | cLower
			if c <= 'f' {
				v |= cHex
			}
		}
		if v&cAlnum != 0 {
			v |= cB64 | cB64URL | cKey
		}
		switch c {
		case '+', '/':
			v |= cB64
		case '-':
			v |= cB64URL | cKey
		case '_':
			v |= cB64URL | cKey
		case '.':
			v |= cKey
		}
		t[c] = v
	}
	return t
}()

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isAlnum(c byte) bool { return class[c]&cAlnum != 0 }

// A finding is one sensitive span s[start:end].
type finding struct {
	start, end int
	kind       string
}

// scanner holds the state of one pass over s. Findings are appended in
// order and never overlap; lo is the end of the last one.
type scanner struct {
	r *Redactor
	s string
	// The findings: the first ones in arr (so that a scanner on the stack
	// keeps them there), any others in more.
	arr     [8]finding
	n       int
	more    []finding
	lo      int
	pend    finding // an AWS secret key found ahead, added when reached
	openPEM bool    // a private key block ran to the end of s
	// The words of a quoted key that the scan loop or knownKey looked up
	// in vain, for keyValue to remember if the key is not sensitive: keyAt
	// is 1 + the index of the ':' after it (0: none).
	keyAt        int
	keyLo, keyHi uint64
	stored       bool // a key was remembered in this scan
	// Arrays opening before noArray are not read as arrays of scalars:
	// a read that failed at noArray (an object, a nested array, no
	// closing ']') would fail again (scalarArray).
	noArray int
	// Open '{' and "map[" (dumps) and other '[' (lists) on the line
	// before dumpAt, for inDump.
	dumpAt, dumps, lists int
}

func (sc *scanner) push(f finding) {
	if sc.n < len(sc.arr) {
		sc.arr[sc.n] = f
		sc.n++
	} else {
		sc.more = append(sc.more, f)
	}
	sc.lo = f.end
}

func (sc *scanner) count() int { return sc.n + len(sc.more) }

// findings returns the findings in order.
func (sc *scanner) findings() []finding {
	if sc.more == nil {
		return sc.arr[:sc.n]
	}
	return append(sc.arr[:sc.n:sc.n], sc.more...)
}

func (sc *scanner) add(start, end int, kind string) {
	if p := sc.pend; p.end > 0 && p.start < end {
		sc.pend = finding{}
		if p.end <= start {
			sc.push(p)
		} else {
			start, end = min(start, p.start), max(end, p.end)
		}
	}
	sc.push(finding{start: start, end: end, kind: kind})
}

// Scanner byte classes (Redactor.cls), three bits each. The letters are
// told apart by the two-byte word starts that may begin a detector
// (wordPairs): those that may come first, those that may come second, both
// or neither, so that most words starting with a first letter ("request",
// "status") are passed over in the table, not examined.
const (
	kOther  = iota // starts nothing
	kAlnum         // a letter or digit that starts nothing and comes second in no pair
	kSecond        // a letter that comes second in a pair
	kLetter        // a letter that comes first in a pair
	kBoth          // a letter that comes first in a pair and second in another
	kDigit         // a digit that may start a detector (see digitCandidate)
	kHere          // ':' '=' (key=value, URL passwords), '@' (email), '[' (a marker), '+' '(' (phone)
	kDash          // '-': "-----BEGIN ... PRIVATE KEY-----"
)

// isWordClass reports whether class k is that of a letter or digit.
func isWordClass(k uint) bool { return k-kAlnum <= kDigit-kAlnum }

// isFirstClass reports whether class k is that of a letter that may start
// a two-byte word start in wordPairs.
func isFirstClass(k uint) bool { return k == kLetter || k == kBoth }

// Scanner events (Redactor.evt), looked up for the classes of the last
// four bytes s[i-3:i+1]. Each names the position to examine.
const (
	evNone      = iota
	evHere      // s[i] is kHere
	evDigits    // s[i-2:i+1] are digits starting a word
	evLetter    // s[i-1] is a first letter starting a word, s[i] may come second
	evDash      // s[i-1:i+1] is "--"
	evDigit     // s[i] is a digit starting a word (IP enabled)
	evLetterEnd // s[i-1] is a first letter starting a word, s[i] is kHere
)

const windowMask = 1<<12 - 1

// buildTables fills the scanner tables of r for its detectors.
func (r *Redactor) buildTables() {
	for c := range 256 {
		if isAlnum(byte(c)) {
			r.cls[c] = kAlnum
		}
	}
	r.cls[':'], r.cls['='], r.cls['['] = kHere, kHere, kHere
	if r.det.has(Email) {
		r.cls['@'], r.cls['%'] = kHere, kHere // '%': "%40" in URLs
	}
	if r.keys != nil {
		r.cls['>'] = kHere // <password>x</password>
	}
	if r.det.has(PrivateKey) || r.keys != nil {
		r.cls['-'] = kDash // "-----BEGIN", "--password x"
	}
	if r.det.has(Phone) {
		r.cls['+'], r.cls['('] = kHere, kHere
	}
	ip := r.det.has(IP)
	if r.det.has(Card) || r.det.has(SSN) || r.det.has(Phone) || ip {
		for c := '0'; c <= '9'; c++ {
			r.cls[c] = kDigit
		}
	}
	// pair marks the words starting with a byte of first followed by a
	// byte of second (an empty second: any byte at all).
	pair := func(first, second string) {
		for k := 0; k < len(first); k++ {
			a := first[k]
			if second == "" {
				r.wordPairs[pairIdx[a]] = ^uint64(0)
				continue
			}
			for m := 0; m < len(second); m++ {
				r.wordPairs[pairIdx[a]] |= 1 << pairIdx[second[m]]
			}
		}
	}
	const upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	if r.det.has(AWSAccessKey) {
		for _, p := range awsKeyPrefixes {
			pair(p[:1], p[1:2])
		}
	}
	if r.det.has(GoogleAPIKey) {
		pair("A", "I")
	}
	if r.det.has(IBAN) {
		for a := range 26 {
			for b := range 26 {
				if ibanLengths[a*26+b] != 0 {
					pair(upper[a:a+1], upper[b:b+1])
				}
			}
		}
	}
	if r.det.has(JWT) {
		pair("e", "y")
	}
	if r.det.has(Bearer) || r.det.has(JWT) {
		pair("Bb", "Ee")
	}
	if r.det.has(Basic) {
		pair("Bb", "Aa")
	}
	if r.det.has(GitHubToken) {
		pair("g", "hi")
	}
	if r.det.has(SlackToken) {
		pair("x", "oa")
		pair("h", "o")
	}
	if r.det.has(StripeKey) {
		pair("sr", "k")
	}
	if r.det.has(OpenAIKey) {
		pair("s", "k")
	}
	if r.det.has(GitLabToken) {
		pair("g", "l")
	}
	if r.det.has(NPMToken) {
		pair("n", "p")
	}
	if ip {
		pair("abcdefABCDEF", "") // IPv6; digits take the digit path
	}
	// Letters that come first in a pair, second, or both. A pair whose
	// second byte may be anything (IPv6) or a digit makes every byte a
	// possible second one.
	var second uint64
	for a, p := range r.wordPairs {
		second |= p
		if p != 0 && a < 62 && r.cls[alnumOf(a)] == kAlnum {
			r.cls[alnumOf(a)] = kLetter
		}
	}
	anySecond := second&(1<<10-1) != 0 || second>>62 != 0
	for b := range 62 {
		if second&(1<<b) == 0 {
			continue
		}
		switch c := alnumOf(b); r.cls[c] {
		case kAlnum:
			r.cls[c] = kSecond
		case kLetter:
			r.cls[c] = kBoth
		}
	}
	for w := range uint(len(r.evt)) {
		c0, c1, c2, c3 := w&7, w>>3&7, w>>6&7, w>>9&7
		first := isFirstClass(c1) && !isWordClass(c2)
		var e uint8
		switch {
		case !ip && c0 == kDigit && c1 == kDigit && c2 == kDigit && !isWordClass(c3):
			e = evDigits
		case ip && c0 == kDigit && !isWordClass(c1):
			e = evDigit
		case first && c0 == kHere:
			e = evLetterEnd
		case first && (anySecond || c0 == kSecond || c0 == kBoth):
			e = evLetter
		case c1 == kDash && c0 == kDash:
			e = evDash
		case c0 == kHere:
			e = evHere
		}
		r.evt[w] = e
	}
}

// alnumOf is the inverse of pairIdx on 0..61.
func alnumOf(i int) byte {
	switch {
	case i < 10:
		return byte('0' + i)
	case i < 36:
		return byte('A' + i - 10)
	}
	return byte('a' + i - 36)
}

// pairIdx maps 0-9, A-Z and a-z to 0..61 and any other byte to 62.
var pairIdx = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case '0' <= c && c <= '9':
			t[c] = uint8(c - '0')
		case 'A' <= c && c <= 'Z':
			t[c] = uint8(c - 'A' + 10)
		case 'a' <= c && c <= 'z':
			t[c] = uint8(c - 'a' + 36)
		default:
			t[c] = 62
		}
	}
	return t
}()

// run scans s once, left to right. The loop costs a few instructions per
// byte and branches only at candidate positions: it keeps the classes of
// the last four bytes as a 12-bit window, and one table lookup on the
// window says whether a detector could start there. A word (a run of
// letters and digits) is a candidate only at its start, and only if its
// first two bytes (wordPairs) or its first three digits can begin a
// detector; punctuation that anchors a detector (':', '=', '@', "--", ...)
// is a candidate where it stands. Candidates are validated in place.
func (sc *scanner) run() {
	s := sc.s
	r := sc.r
	cls, evt := &r.cls, &r.evt
	var w uint
	from := 0 // positions before from were jumped over: not examined
	for i := 0; i < len(s); i++ {
		// Up to the next candidate: about ten instructions per byte. Only
		// the table index is masked, so that each byte waits on the one
		// before it for a single instruction.
		for ; uint(i+1) < uint(len(s)); i += 2 {
			w1 := w*8 + uint(cls[s[i]])
			w2 := w1*8 + uint(cls[s[i+1]])
			if evt[w1&windowMask]|evt[w2&windowMask] != evNone {
				if w = w2; evt[w1&windowMask] != evNone {
					w, i = w1, i-1
				}
				i++
				goto found
			}
			w = w2
		}
		if i == len(s) {
			return
		}
		w = w*8 + uint(cls[s[i]])
		if evt[w&windowMask] == evNone {
			return // the last byte
		}
	found:
		w &= windowMask
		e := evt[w]
		next := -1
		switch e {
		case evHere:
			if s[i] == ':' && i > 0 {
				if p := s[i-1]; p == '"' {
					// The key of a JSON member, most often one seen before:
					// looked up here when its 16 bytes are inside s and
					// after lo, else by knownKey. A key looked up in vain
					// is left for keyValue to remember (keyAt).
					if c := r.clean; c != nil && i >= 17 && i-17 >= sc.lo {
						const quotes = 0x2222222222222222
						lo, hi := uint64(0), le64(s[i-9:])
						if z := zeroBytes(hi ^ quotes); z != 0 {
							hi &^= 1<<(bits.Len64(z)-8) - 1
							if c.shortSlot(hi).Load() == hi {
								break
							}
							sc.keyAt, sc.keyLo, sc.keyHi = i+1, lo, hi
						} else if lo = le64(s[i-17:]); zeroBytes(lo^quotes) != 0 {
							lo &^= 1<<(bits.Len64(zeroBytes(lo^quotes))-8) - 1
							if set := c.set(lo, hi); set[0].holds(lo, hi) || set[1].holds(lo, hi) {
								break
							}
							sc.keyAt, sc.keyLo, sc.keyHi = i+1, lo, hi
						}
					} else if sc.knownKey(i) {
						break
					}
				} else if isDigit(p) && r.keys != nil && r.keys.letterStart && sc.lo <= i &&
					!(i+2 < len(s) && s[i+1] == '/' && s[i+2] == '/') &&
					!letterPairBack(s[max(sc.lo, i-128):i]) {
					// "12:00:00": what keyValue would find at once.
					break
				}
			}
			next = sc.at(kOther, i)
		case evDigits:
			// Three digits followed by something other than a digit,
			// ' ', '-' or '.' start nothing.
			if i+1 < len(s) && !isDigit(s[i+1]) && s[i+1] != ' ' && s[i+1] != '-' && s[i+1] != '.' {
				break
			}
			if i-2 >= from && sc.digitCandidate(i-2) {
				next = sc.word(i - 2)
			}
		case evLetter:
			if i-1 >= from && r.wordPairs[pairIdx[s[i-1]]]&(1<<(pairIdx[s[i]]&63)) != 0 {
				next = sc.word(i - 1)
			}
		case evDash, evLetterEnd:
			if i-1 >= from {
				next = sc.at(cls[s[i-1]], i-1)
			}
			if next < 0 && e == evLetterEnd {
				next = sc.at(kOther, i)
			}
		case evDigit:
			next = sc.at(kDigit, i)
		}
		if next < 0 {
			continue
		}
		if sc.pend.end > 0 {
			sc.runPending(next)
			return
		}
		// Resume at next; only whether s[next-1] is a letter or digit
		// matters for the events at next and after.
		from, i, w = next, next-1, uint(cls[s[next-1]])
	}
}

// at examines position p as the start of a finding: a word start of class
// k (kLetter, kBoth, kDigit), "--" (kDash), or punctuation (kOther: s[p]
// says which). It returns where scanning resumes, always after p, or -1.
func (sc *scanner) at(k uint8, p int) int {
	s, r := sc.s, sc.r
	switch k {
	case kLetter, kBoth:
		if p+1 < len(s) && r.wordPairs[pairIdx[s[p]]]&(1<<(pairIdx[s[p+1]]&63)) != 0 {
			return sc.word(p)
		}
	case kDigit:
		if sc.digitCandidate(p) {
			return sc.word(p)
		}
	case kDash:
		if e := sc.pem(p); e >= 0 {
			return e
		}
		return sc.flag(p)
	default:
		switch s[p] {
		case ':':
			if r.det.has(URLPassword) && p+2 < len(s) && s[p+1] == '/' && s[p+2] == '/' {
				if e := sc.urlPassword(p); e > 0 {
					return e
				}
			}
			return sc.keyValue(p)
		case '=':
			return sc.keyValue(p)
		case '@':
			return sc.email(p, 1)
		case '%':
			if strings.HasPrefix(s[p:], "%40") {
				return sc.email(p, 3) // URL-encoded: jane%40example.com
			}
			if strings.HasPrefix(s[p:], "%2540") {
				return sc.email(p, 5) // encoded twice
			}
		case '>':
			return sc.xmlElement(p)
		case '[':
			if m := markerLen(s[p:]); m > 0 {
				return p + m
			}
		case '+':
			return sc.phoneIntl(p)
		case '(':
			return sc.phoneParen(p)
		}
	}
	return -1
}

// runPending goes on scanning from i once an AWS secret key has been found
// ahead of the scan (sc.pend): it is added when the scan reaches it, and
// the scan resumes after it. This is rare, so the loop is the plain one:
// visit each byte that is not inside a word, and each word start.
func (sc *scanner) runPending(i int) {
	s := sc.s
	n := len(s)
	pendAt := sc.pend.start
	for i < n {
		if i >= pendAt {
			p := sc.pend
			sc.pend = finding{}
			pendAt = n
			if p.end > 0 {
				sc.push(p)
				i = max(i, p.end)
				continue
			}
		}
		k := uint(sc.r.cls[s[i]])
		next := -1
		switch {
		case isWordClass(k):
			if (i == 0 || class[s[i-1]]&cAlnum == 0) && (isFirstClass(k) ||
				k == kDigit && (sc.r.det.has(IP) || i+2 < n && isDigit(s[i+1]) && isDigit(s[i+2]))) {
				next = sc.at(uint8(k), i)
			}
		case k == kDash:
			if i+1 < n && s[i+1] == '-' {
				next = sc.at(kDash, i)
			}
		case k != kOther:
			next = sc.at(kOther, i)
		}
		if next > i {
			i = next
			if sc.pend.end > 0 {
				pendAt = sc.pend.start
			}
			continue
		}
		i++
		if isWordClass(k) {
			for i < n && class[s[i]]&cAlnum != 0 {
				i++
			}
		}
	}
	if sc.pend.end > 0 {
		sc.push(sc.pend)
		sc.pend = finding{}
	}
}

// digitCandidate reports whether the run of digits at i, a word start, has
// a shape that some enabled detector could start with. Most numbers in
// logs (dates, times, counts, status codes) do not, and cost no more.
func (sc *scanner) digitCandidate(i int) bool {
	s, d := sc.s, sc.r.det
	if d.has(IP) {
		return true // IPv4 and IPv6 have too many shapes: let word decide
	}
	g := i + 1
	for g < len(s) && isDigit(s[g]) && g-i < 20 {
		g++
	}
	gl := g - i
	if gl >= 13 {
		return d.has(Card)
	}
	if gl < 3 || gl > 6 || g+3 >= len(s) {
		return false
	}
	next := s[g]
	// A card in groups needs a second group of at least 3 digits.
	if d.has(Card) && (next == ' ' || next == '-') && isDigit(s[g+1]) && isDigit(s[g+2]) && isDigit(s[g+3]) {
		return true
	}
	// ddd-dd-dddd and ddd-ddd-dddd (or with dots).
	return gl == 3 && (d.has(SSN) && next == '-' || d.has(Phone) && (next == '-' || next == '.'))
}

// word tries the detectors that start with a letter or digit at a word
// start. It returns where scanning resumes, or -1.
func (sc *scanner) word(i int) int {
	s, d := sc.s, sc.r.det
	c := s[i]
	if isDigit(c) {
		// Cheap shape checks on the leading run of digits decide which
		// detectors are worth calling.
		g := i
		for g < len(s) && isDigit(s[g]) && g-i < 20 {
			g++
		}
		gl := g - i
		var next byte
		if g < len(s) {
			next = s[g]
		}
		if d.has(IP) && gl <= 3 && next == '.' {
			if e := sc.ipv4(i); e > 0 {
				return e
			}
		}
		if d.has(SSN) && gl == 3 && next == '-' {
			if e := sc.ssn(i); e > 0 {
				return e
			}
		}
		if d.has(Card) && (gl >= 13 || (gl >= 3 && gl <= 6 && (next == ' ' || next == '-'))) {
			if e := sc.card(i); e > 0 {
				return e
			}
		}
		if d.has(Phone) && gl == 3 && (next == '-' || next == '.') {
			if e := sc.phoneNANP(i); e > 0 {
				return e
			}
		}
	}
	switch c {
	case 'A':
		if d.has(AWSAccessKey) {
			if e := sc.awsKey(i); e > 0 {
				return e
			}
		}
		if d.has(GoogleAPIKey) {
			if e := sc.google(i); e > 0 {
				return e
			}
		}
	case 'e':
		if d.has(JWT) {
			if e := sc.jwt(i); e > 0 {
				sc.add(i, e, kindJWT)
				return e
			}
		}
	case 'g':
		if d.has(GitHubToken) {
			if e := sc.github(i); e > 0 {
				return e
			}
		}
		if d.has(GitLabToken) {
			if e := sc.gitlab(i); e > 0 {
				return e
			}
		}
	case 'n':
		if d.has(NPMToken) {
			if e := sc.npm(i); e > 0 {
				return e
			}
		}
	case 'x':
		if d.has(SlackToken) {
			if e := sc.slack(i); e > 0 {
				return e
			}
		}
	case 'h':
		if d.has(SlackToken) {
			if e := sc.slackHook(i); e > 0 {
				return e
			}
		}
	case 's', 'r':
		if d.has(StripeKey) {
			if e := sc.stripe(i); e > 0 {
				return e
			}
		}
		if c == 's' && d.has(OpenAIKey) {
			if e := sc.openAI(i); e > 0 {
				return e
			}
		}
	case 'B', 'b':
		if e := sc.authScheme(i); e > 0 {
			return e
		}
	}
	if class[c]&cUpper != 0 && d.has(IBAN) {
		if e := sc.iban(i); e > 0 {
			return e
		}
	}
	if class[c]&cHex != 0 && d.has(IP) {
		if e := sc.ipv6(i); e > 0 {
			return e
		}
	}
	return -1
}

// wordEnd reports whether position j ends a word: end of input or a byte
// that is not a letter or digit.
func (sc *scanner) wordEnd(j int) bool { return j >= len(sc.s) || !isAlnum(sc.s[j]) }

// run returns the end of the run of bytes of class cl starting at j.
func (sc *scanner) span(j int, cl uint8) int {
	s := sc.s
	for j < len(s) && class[s[j]]&cl != 0 {
		j++
	}
	return j
}

// markerLen returns the length of a replacement marker at the start of s
// ("[REDACTED]" or "[REDACTED:kind]"), or 0.
func markerLen(s string) int {
	const p = "[REDACTED"
	if !strings.HasPrefix(s, p) || len(s) == len(p) {
		return 0
	}
	if s[len(p)] == ']' {
		return len(p) + 1
	}
	if s[len(p)] != ':' {
		return 0
	}
	for j := len(p) + 1; j < len(s) && j < len(p)+40; j++ {
		c := s[j]
		if c == ']' {
			if j == len(p)+1 {
				return 0
			}
			return j + 1
		}
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_') {
			return 0
		}
	}
	return 0
}

// isPseudonym reports whether v has the shape of a WithHMAC replacement,
// kind:8 hex digits.
func isPseudonym(v string) bool {
	k := strings.IndexByte(v, ':')
	if k < 1 || len(v)-k-1 != 8 {
		return false
	}
	for i := 0; i < k; i++ {
		c := v[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	for i := k + 1; i < len(v); i++ {
		c := v[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
