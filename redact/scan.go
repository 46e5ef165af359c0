package redact

import (
	"math/bits"
	"net/netip"
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

// ---- emails ----

// localEscape reports whether the two bytes after a '%' encode a byte
// that may be part of an email's local part ("%2B" for '+'), or are not
// an escape at all.
func localEscape(h string) bool {
	v, ok := unhex2(h)
	return !ok || isLocalPart(v) && v != '%'
}

func unhex2(h string) (byte, bool) {
	var v byte
	for k := 0; k < 2; k++ {
		c := h[k]
		switch {
		case isDigit(c):
			v = v<<4 | (c - '0')
		case 'a' <= c && c <= 'f':
			v = v<<4 | (c - 'a' + 10)
		case 'A' <= c && c <= 'F':
			v = v<<4 | (c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return v, true
}

func isLocalPart(c byte) bool {
	return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}

// email examines the '@' at i, written with n bytes ("@" or "%40").
func (sc *scanner) email(i, n int) int {
	s := sc.s
	// The domain first: most '@' and '%40' in logs are not followed by
	// one, and the local part costs a scan backwards.
	d := i + n
	k := d
	for k < len(s) && (isAlnum(s[k]) || s[k] == '-' || s[k] == '.') && k-d < 255 {
		if s[k] == '.' && (k == d || s[k-1] == '.') {
			break
		}
		k++
	}
	for k > d && (s[k-1] == '.' || s[k-1] == '-') {
		k--
	}
	if k == d || !isAlnum(s[d]) {
		return -1
	}
	dot := strings.LastIndexByte(s[d:k], '.')
	if dot < 0 {
		return -1
	}
	tld := s[d+dot+1 : k]
	if len(tld) < 2 {
		return -1
	}
	for j := 0; j < len(tld); j++ {
		if class[tld[j]]&(cUpper|cLower) == 0 {
			return -1
		}
	}
	a := i
	for a > sc.lo && isLocalPart(s[a-1]) && i-a < 256 {
		a--
	}
	// A URL-encoded separator ("%2F", "%3D") ends the local part:
	// /users%2Fjane%40example.com.
	for k := i - 3; k >= a; k-- {
		if s[k] == '%' && !localEscape(s[k+1:k+3]) {
			a = k + 3
			break
		}
	}
	for a < i && (s[a] == '.' || s[a] == '-') {
		a++
	}
	if a == i || s[i-1] == '.' {
		return -1
	}
	sc.add(a, k, kindEmail)
	return k
}

// ---- payment cards ----

func (sc *scanner) card(i int) int {
	s := sc.s
	// A card is not the fractional part of a decimal number, nor digits
	// glued to an identifier (blk_5739119717322549945, blk_-4980916519...).
	if i >= 2 && s[i-1] == '.' && isDigit(s[i-2]) {
		return -1
	}
	for k := i; k > 0 && (s[k-1] == '_' || s[k-1] == '-'); k-- {
		if k-1 > 0 && isAlnum(s[k-2]) {
			return -1
		}
	}
	// Quick rejection before any work: a card starts with a group of 3 to 6
	// digits followed by a separator, or is 13 to 19 digits in one run.
	g := i
	for g < len(s) && isDigit(s[g]) && g-i < 20 {
		g++
	}
	if gl := g - i; gl < 3 || (gl < 13 && (gl > 6 || g+1 >= len(s) || (s[g] != ' ' && s[g] != '-'))) {
		return -1
	}
	// A card in groups is not one of several numbers in a row
	// ("REPORT : 7024 5015 150454 240").
	if i >= 2 && (s[i-1] == ' ' || s[i-1] == '-') && isDigit(s[i-2]) && g-i < 13 {
		return -1
	}
	var digits [19]byte
	var ends, counts, lens [19]int
	nd, ng := 0, 0
	j := i
	for ng < len(ends) {
		st := j
		for j < len(s) && isDigit(s[j]) && j-st <= len(digits) {
			j++
		}
		gl := j - st
		if ng == 0 && gl > len(digits) {
			return -1 // an unseparated run longer than any card
		}
		if ng > 0 && (gl < 3 || gl > 6 || nd+gl > len(digits)) {
			break
		}
		for k := st; k < j; k++ {
			digits[nd] = s[k] - '0'
			nd++
		}
		ends[ng], counts[ng], lens[ng] = j, nd, gl
		ng++
		if gl < 3 || gl > 6 {
			break // only groups of 3 to 6 digits are followed by more groups
		}
		if j+1 < len(s) && (s[j] == ' ' || s[j] == '-') && isDigit(s[j+1]) {
			j++
			continue
		}
		break
	}
	for g := ng - 1; g >= 0; g-- {
		e, c := ends[g], counts[g]
		if c < 13 || !sc.wordEnd(e) || !cardLayout(lens[:g+1]) {
			continue
		}
		if e+1 < len(s) && s[e] == '.' && isDigit(s[e+1]) {
			continue // the integer part of a decimal number
		}
		if cardIssuer(digits[:c]) && luhn(digits[:c]) {
			sc.add(i, e, kindCard)
			return e
		}
	}
	return -1
}

// cardLayout reports whether groups of digits of these lengths are the way
// cards are printed: one run; groups of four with a last group of 3 to 6;
// or American Express and Diners Club's 4-6-5 and 4-6-4.
func cardLayout(lens []int) bool {
	switch n := len(lens); {
	case n == 1:
		return true
	case n == 3 && lens[0] == 4 && lens[1] == 6:
		return lens[2] == 4 || lens[2] == 5
	default:
		for _, l := range lens[:n-1] {
			if l != 4 {
				return false
			}
		}
		return lens[n-1] >= 3 && lens[n-1] <= 6
	}
}

func luhn(d []byte) bool {
	sum := 0
	double := false
	for k := len(d) - 1; k >= 0; k-- {
		v := int(d[k])
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}

func prefixNum(d []byte, n int) int {
	v := 0
	for k := 0; k < n && k < len(d); k++ {
		v = v*10 + int(d[k])
	}
	return v
}

// cardIssuer reports whether d starts with a known issuer prefix and has a
// length that issuer uses.
func cardIssuer(d []byte) bool {
	l := len(d)
	p2, p3, p4, p6 := prefixNum(d, 2), prefixNum(d, 3), prefixNum(d, 4), prefixNum(d, 6)
	in := func(v, lo, hi int) bool { return lo <= v && v <= hi }
	switch {
	case d[0] == 4: // Visa
		return l == 13 || l == 16 || l == 19
	case in(p2, 51, 55), in(p4, 2221, 2720): // Mastercard
		return l == 16
	case p2 == 34 || p2 == 37: // American Express
		return l == 15
	case p4 == 6011, p2 == 65, in(p3, 644, 649), in(p6, 622126, 622925): // Discover
		return l >= 16
	case in(p4, 3528, 3589): // JCB
		return l >= 16
	case p2 == 36, p2 == 38, p2 == 39, in(p3, 300, 305), p4 == 3095: // Diners Club
		return l >= 14
	case p2 == 62, in(p4, 8100, 8171): // UnionPay
		return l >= 16
	case in(p4, 2200, 2204): // Mir
		return l >= 16
	case p2 == 50, in(p2, 56, 58), p2 == 63, p2 == 67: // Maestro
		return l >= 13
	}
	return false
}

// ---- US social security numbers ----

func (sc *scanner) ssn(i int) int {
	s := sc.s
	if len(s)-i < 11 || s[i+3] != '-' || s[i+6] != '-' {
		return -1
	}
	for _, k := range [...]int{0, 1, 2, 4, 5, 7, 8, 9, 10} {
		if !isDigit(s[i+k]) {
			return -1
		}
	}
	e := i + 11
	if !sc.wordEnd(e) || (e+1 < len(s) && (s[e] == '-' || s[e] == '.') && isDigit(s[e+1])) {
		return -1
	}
	if i >= 2 && (s[i-1] == '-' || s[i-1] == '.') && isDigit(s[i-2]) {
		return -1
	}
	num := func(a, b int) int {
		v := 0
		for k := a; k < b; k++ {
			v = v*10 + int(s[k]-'0')
		}
		return v
	}
	area, group, serial := num(i, i+3), num(i+4, i+6), num(i+7, i+11)
	if area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0 {
		return -1
	}
	sc.add(i, e, kindSSN)
	return e
}

// ---- IBAN ----

// ibanLengths maps a country code to its IBAN length (SWIFT IBAN registry).
var ibanLengths = func() (t [26 * 26]uint8) {
	const reg = "AD24AE23AL28AT20AZ28BA20BE16BG22BH22BI27BR29BY28CH21CR22CY28CZ24DE22DJ27DK18DO28EE20EG29ES24" +
		"FI18FK18FO18FR27GB22GE22GI23GL18GR27GT28HN28HR21HU28IE22IL23IQ23IS26IT27JO30KW30KZ20LB28LC32" +
		"LI21LT20LU20LV21LY25MC27MD24ME22MK19MN20MR27MT31MU30NI28NL18NO15OM23PK24PL28PS29PT25QA29RO24" +
		"RS22RU33SA24SC31SD18SE24SI19SK24SM27SO23ST25SV28TL23TN24TR26UA29VA22VG24XK20YE30"
	for k := 0; k+4 <= len(reg); k += 4 {
		t[int(reg[k]-'A')*26+int(reg[k+1]-'A')] = (reg[k+2]-'0')*10 + reg[k+3] - '0'
	}
	return t
}()

func (sc *scanner) iban(i int) int {
	s := sc.s
	if len(s)-i < 15 || class[s[i+1]]&cUpper == 0 || !isDigit(s[i+2]) || !isDigit(s[i+3]) {
		return -1
	}
	l := int(ibanLengths[int(s[i]-'A')*26+int(s[i+1]-'A')])
	if l == 0 {
		return -1
	}
	var chars [34]byte
	n := 0
	j := i
	for n < l && j < len(s) {
		c := s[j]
		if class[c]&(cUpper|cDigit) != 0 {
			chars[n] = c
			n++
			j++
			continue
		}
		if c == ' ' && n%4 == 0 && n > 0 && j+1 < len(s) && class[s[j+1]]&(cUpper|cDigit) != 0 {
			j++
			continue
		}
		break
	}
	if n != l || !sc.wordEnd(j) {
		return -1
	}
	// mod 97 over BBAN + country + check digits, letters as 10..35.
	rem := 0
	for k := 0; k < l; k++ {
		c := chars[(k+4)%l]
		if isDigit(c) {
			rem = (rem*10 + int(c-'0')) % 97
		} else {
			rem = (rem*100 + int(c-'A') + 10) % 97
		}
	}
	if rem != 1 {
		return -1
	}
	sc.add(i, j, kindIBAN)
	return j
}

// ---- cloud and API credentials ----

var awsKeyPrefixes = [...]string{"AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "APKA"}

func (sc *scanner) awsKey(i int) int {
	s := sc.s
	if len(s)-i < 20 {
		return -1
	}
	ok := false
	for _, p := range awsKeyPrefixes {
		if s[i:i+4] == p {
			ok = true
			break
		}
	}
	if !ok {
		return -1
	}
	for k := i + 4; k < i+20; k++ {
		if class[s[k]]&(cUpper|cDigit) == 0 {
			return -1
		}
	}
	e := i + 20
	if !sc.wordEnd(e) {
		return -1
	}
	if sc.r.det.has(AWSSecretKey) {
		sc.awsSecretBefore(i)
	}
	sc.add(i, e, kindAWSAccessKey)
	if sc.r.det.has(AWSSecretKey) {
		sc.awsSecretNear(e)
	}
	return e
}

// awsSecretBefore looks, in the 100 bytes before an access key ID and
// after the last finding, for the same kind of run as awsSecretNear, and
// adds the nearest one: key pairs are printed in either order
// ("secret=..., id=AKIA..."). A secret already scheduled by an earlier key
// ID is left to it.
func (sc *scanner) awsSecretBefore(i int) {
	if sc.pend.end > 0 {
		return
	}
	s := sc.s
	lo := max(sc.lo, i-100)
	for e := i; e > lo; {
		if class[s[e-1]]&cB64 == 0 {
			e--
			continue
		}
		k := e - 1
		for k > lo && class[s[k-1]]&cB64 != 0 {
			k--
		}
		if st, ok := sc.awsSecretRun(k, e); ok && (k == 0 || class[s[k-1]]&cB64 == 0) {
			sc.push(finding{start: st, end: e, kind: kindAWSSecretKey})
			return
		}
		e = k
	}
}

// awsSecretNear looks, in the 100 bytes after an access key ID, for a
// 40-character base64 run with both upper- and lower-case letters, and
// schedules it as a finding.
func (sc *scanner) awsSecretNear(j int) {
	s := sc.s
	limit := min(len(s), j+100)
	for k := j; k < limit; {
		if class[s[k]]&cB64 == 0 {
			k++
			continue
		}
		e := sc.span(k, cB64)
		if st, ok := sc.awsSecretRun(k, e); ok {
			sc.pend = finding{start: st, end: e, kind: kindAWSSecretKey}
			return
		}
		k = e
	}
}

// awsSecretRun reports whether the base64 run s[k:e] is an AWS secret
// access key, and where the key starts: 40 characters with both upper- and
// lower-case letters, not followed by '='. A run of 41 that starts with the
// letter of a JSON escape ("\nwJalr...") starts one byte later.
func (sc *scanner) awsSecretRun(k, e int) (int, bool) {
	s := sc.s
	if e-k == 41 && k > 0 && s[k-1] == '\\' && (s[k] == 'n' || s[k] == 't' || s[k] == 'r') {
		k++
	}
	return k, e-k == 40 && (e == len(s) || s[e] != '=') && hasUpperLower(s[k:e])
}

func hasUpperLower(v string) bool {
	var u, l bool
	for k := 0; k < len(v); k++ {
		u = u || class[v[k]]&cUpper != 0
		l = l || class[v[k]]&cLower != 0
	}
	return u && l
}

func (sc *scanner) google(i int) int {
	s := sc.s
	if !strings.HasPrefix(s[i:], "AIza") {
		return -1
	}
	e := sc.span(i+4, cB64URL)
	if e-i != 39 {
		return -1
	}
	sc.add(i, e, kindGoogle)
	return e
}

// jwt returns the end of a JSON Web Token at i, or -1. It adds nothing.
func (sc *scanner) jwt(i int) int {
	s := sc.s
	if !strings.HasPrefix(s[i:], "eyJ") {
		return -1
	}
	e := sc.span(i+3, cB64URL)
	if e-i < 10 || e >= len(s) || s[e] != '.' || !strings.HasPrefix(s[e+1:], "eyJ") {
		return -1
	}
	e2 := sc.span(e+4, cB64URL)
	if e2-e < 10 || e2 >= len(s) || s[e2] != '.' {
		return -1
	}
	e3 := sc.span(e2+1, cB64URL)
	if e3 < len(s) && s[e3] == '.' && e3+1 < len(s) && class[s[e3+1]]&cB64URL != 0 {
		return -1 // more dot-separated parts: not a signed JWT
	}
	return e3
}

var githubPrefixes = [...]string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_"}

func (sc *scanner) github(i int) int {
	s := sc.s
	if strings.HasPrefix(s[i:], "github_pat_") {
		e := sc.span(i+11, cB64URL)
		if e-i-11 >= 22 {
			sc.add(i, e, kindGitHub)
			return e
		}
		return -1
	}
	for _, p := range githubPrefixes {
		if strings.HasPrefix(s[i:], p) {
			e := sc.span(i+4, cAlnum)
			if e-i-4 >= 30 && (e == len(s) || class[s[e]]&cB64URL == 0) {
				sc.add(i, e, kindGitHub)
				return e
			}
			return -1
		}
	}
	return -1
}

// slack matches Slack tokens: xoxb-, xoxp-, xoxa-, xoxr-, xoxs-, the
// rotating xoxe- and xoxe.xoxp- forms, and app-level xapp- tokens.
func (sc *scanner) slack(i int) int {
	s := sc.s
	st := i
	if strings.HasPrefix(s[i:], "xoxe.") {
		st = i + 5 // xoxe.xoxp-1-...: a rotating token's refresh form
	}
	switch {
	case len(s)-st < 15:
		return -1
	case strings.HasPrefix(s[st:], "xapp-"):
	case strings.HasPrefix(s[st:], "xox") && s[st+4] == '-' && strings.IndexByte("bparse", s[st+3]) >= 0:
	default:
		return -1
	}
	e := st + 5
	for e < len(s) && (isAlnum(s[e]) || s[e] == '-') {
		e++
	}
	if e-st-5 < 10 {
		return -1
	}
	sc.add(i, e, kindSlack)
	return e
}

// slackHookPaths are the paths of Slack webhook URLs whose rest is secret.
var slackHookPaths = [...]string{"hooks.slack.com/services/", "hooks.slack.com/workflows/", "hooks.slack.com/triggers/"}

func (sc *scanner) slackHook(i int) int {
	s := sc.s
	p := ""
	for _, h := range slackHookPaths {
		if strings.HasPrefix(s[i:], h) {
			p = h
			break
		}
	}
	if p == "" {
		return -1
	}
	st := i + len(p)
	e := st
	for e < len(s) && (class[s[e]]&cB64URL != 0 || s[e] == '/' || s[e] == '+') {
		e++
	}
	if e-st < 10 {
		return -1
	}
	sc.add(st, e, kindSlack)
	return e
}

func (sc *scanner) stripe(i int) int {
	s := sc.s
	if len(s)-i < 18 || s[i+1] != 'k' || s[i+2] != '_' {
		return -1
	}
	rest := s[i+3:]
	if !strings.HasPrefix(rest, "live_") && !strings.HasPrefix(rest, "test_") {
		return -1
	}
	st := i + 8
	e := sc.span(st, cAlnum)
	if e-st < 10 || (e < len(s) && class[s[e]]&cB64URL != 0) {
		return -1
	}
	sc.add(i, e, kindStripe)
	return e
}

// ---- Bearer and Basic credentials ----

func isTokenChar(c byte) bool {
	return class[c]&(cB64|cB64URL) != 0 || c == '.' || c == '~'
}

// authScheme handles "Bearer <token>" and "Basic <base64>" (any case). Only
// the credential is replaced.
func (sc *scanner) authScheme(i int) int {
	s := sc.s
	var bearer bool
	switch {
	case len(s)-i > 7 && strings.EqualFold(s[i:i+6], "bearer") && s[i+6] == ' ':
		if !sc.r.det.has(Bearer) && !sc.r.det.has(JWT) {
			return -1
		}
		bearer = true
	case len(s)-i > 6 && strings.EqualFold(s[i:i+5], "basic") && s[i+5] == ' ':
		if !sc.r.det.has(Basic) {
			return -1
		}
	default:
		return -1
	}
	st := i + 5
	if bearer {
		st++
	}
	for st < len(s) && s[st] == ' ' {
		st++
	}
	e := st
	for e < len(s) && isTokenChar(s[e]) {
		e++
	}
	for e < len(s) && s[e] == '=' {
		e++
	}
	tok := s[st:e]
	if bearer {
		if sc.r.det.has(JWT) {
			if je := sc.jwt(st); je == e {
				sc.add(st, e, kindJWT)
				return e
			}
		}
		if !sc.r.det.has(Bearer) || len(tok) < 8 || (len(tok) < 16 && !strings.ContainsAny(tok, "0123456789")) {
			return -1
		}
		if markerLen(s[st:]) > 0 {
			return -1
		}
		sc.add(st, e, kindBearer)
		return e
	}
	if !basicCredential(tok) {
		return -1
	}
	sc.add(st, e, kindBasic)
	return e
}

// basicCredential reports whether tok is standard base64 decoding to
// printable user:password.
func basicCredential(tok string) bool {
	if len(tok) < 4 || len(tok) > 1024 {
		return false
	}
	var acc uint32
	var bits int
	colon := false
	for k := 0; k < len(tok); k++ {
		c := tok[k]
		var v byte
		switch {
		case 'A' <= c && c <= 'Z':
			v = c - 'A'
		case 'a' <= c && c <= 'z':
			v = c - 'a' + 26
		case '0' <= c && c <= '9':
			v = c - '0' + 52
		case c == '+':
			v = 62
		case c == '/':
			v = 63
		case c == '=':
			return colon && bits < 8
		default:
			return false
		}
		acc = acc<<6 | uint32(v)
		bits += 6
		if bits >= 8 {
			bits -= 8
			b := byte(acc >> bits)
			if b < 0x20 || b == 0x7f {
				return false
			}
			colon = colon || b == ':'
		}
	}
	return colon
}

// ---- PEM private keys ----

func (sc *scanner) pem(i int) int {
	const begin, end = "-----BEGIN ", "-----END "
	s := sc.s
	if i+1 >= len(s) || s[i+1] != '-' || !strings.HasPrefix(s[i:], begin) {
		return -1
	}
	h := i + len(begin)
	k := strings.Index(s[h:min(len(s), h+64)], "-----")
	if k < 0 || !strings.HasSuffix(s[h:h+k], "PRIVATE KEY") && !strings.HasSuffix(s[h:h+k], "PRIVATE KEY BLOCK") {
		return -1
	}
	body := h + k + 5
	e := strings.Index(s[body:], end)
	if e < 0 {
		sc.add(i, len(s), kindPrivateKey)
		sc.openPEM = true
		return len(s)
	}
	f := body + e + len(end)
	t := strings.Index(s[f:min(len(s), f+64)], "-----")
	if t < 0 {
		sc.add(i, len(s), kindPrivateKey)
		sc.openPEM = true
		return len(s)
	}
	sc.add(i, f+t+5, kindPrivateKey)
	return f + t + 5
}

// ---- passwords in URLs ----

func isAuthorityEnd(c byte) bool {
	switch c {
	case '/', '?', '#', ' ', '\t', '\n', '\r', '"', '\'', '<', '>', '\\', '`':
		return true
	}
	return false
}

func (sc *scanner) urlPassword(i int) int {
	s := sc.s
	if i == 0 || !isAlnum(s[i-1]) {
		return -1
	}
	st := i + 3
	e := st
	for e < len(s) && !isAuthorityEnd(s[e]) && e-st < 512 {
		e++
	}
	at := strings.LastIndexByte(s[st:e], '@')
	if at < 0 {
		return -1
	}
	at += st
	colon := strings.IndexByte(s[st:at], ':')
	if colon < 0 {
		return -1
	}
	pw := st + colon + 1
	if pw == at {
		return -1
	}
	if markerLen(s[pw:at]) == at-pw || (sc.r.hmacKey != nil && isPseudonym(s[pw:at])) {
		return at + 1
	}
	sc.add(pw, at, kindURLPassword)
	return at + 1
}

// ---- phone numbers (off by default) ----

func (sc *scanner) phoneIntl(i int) int {
	s := sc.s
	if i > 0 && isAlnum(s[i-1]) || i+1 >= len(s) || !isDigit(s[i+1]) {
		return -1
	}
	// Read groups of digits; the number ends at the last group end that
	// gives 8 to 15 digits and is followed by neither a letter nor a digit.
	nd, best := 0, -1
	j := i + 1
	for j < len(s) {
		st := j
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		nd += j - st
		if nd > 15 {
			break
		}
		if nd >= 8 && sc.wordEnd(j) && !(j+1 < len(s) && s[j] == '.' && isDigit(s[j+1])) {
			best = j
		}
		if j+1 < len(s) && (s[j] == ' ' || s[j] == '-' || s[j] == '.' || s[j] == ')') && isDigit(s[j+1]) {
			j++
			continue
		}
		if j+2 < len(s) && s[j] == ' ' && s[j+1] == '(' && isDigit(s[j+2]) {
			j += 2
			continue
		}
		if j+1 < len(s) && s[j] == '(' && isDigit(s[j+1]) {
			j++
			continue
		}
		if j+2 < len(s) && s[j] == ')' && s[j+1] == ' ' && isDigit(s[j+2]) {
			j += 2
			continue
		}
		break
	}
	if best < 0 {
		return -1
	}
	sc.add(i, best, kindPhone)
	return best
}

func (sc *scanner) phoneNANP(i int) int {
	s := sc.s
	if len(s)-i < 12 || s[i] < '2' {
		return -1
	}
	sep := s[i+3]
	if (sep != '-' && sep != '.') || s[i+7] != sep {
		return -1
	}
	for _, k := range [...]int{0, 1, 2, 4, 5, 6, 8, 9, 10, 11} {
		if !isDigit(s[i+k]) {
			return -1
		}
	}
	e := sc.phoneExtension(i + 12)
	if !sc.wordEnd(e) || (e+1 < len(s) && (s[e] == '-' || s[e] == '.') && isDigit(s[e+1])) {
		return -1
	}
	sc.add(i, e, kindPhone)
	return e
}

// phoneParen matches (ddd) ddd-dddd, also written (ddd)ddd-dddd.
func (sc *scanner) phoneParen(i int) int {
	s := sc.s
	if len(s)-i < 13 || s[i+4] != ')' {
		return -1
	}
	d := i + 5 // the exchange
	if s[d] == ' ' {
		d++
	}
	if len(s)-d < 8 || s[d+3] != '-' {
		return -1
	}
	for _, k := range [...]int{i + 1, i + 2, i + 3, d, d + 1, d + 2, d + 4, d + 5, d + 6, d + 7} {
		if !isDigit(s[k]) {
			return -1
		}
	}
	e := sc.phoneExtension(d + 8)
	if !sc.wordEnd(e) {
		return -1
	}
	sc.add(i, e, kindPhone)
	return e
}

// phoneExtension returns the end of an extension written after a number
// that ends at e ("x204", " ext. 204", "#204"), or e if there is none.
func (sc *scanner) phoneExtension(e int) int {
	s := sc.s
	k := e
	if k < len(s) && s[k] == ' ' {
		k++
	}
	switch {
	case strings.HasPrefix(s[k:], "ext."):
		k += 4
	case strings.HasPrefix(s[k:], "ext"):
		k += 3
	case k < len(s) && (s[k] == 'x' || s[k] == '#'):
		k++
	default:
		return e
	}
	if k < len(s) && s[k] == ' ' {
		k++
	}
	d := k
	for d < len(s) && isDigit(s[d]) && d-k < 6 {
		d++
	}
	if d == k || !sc.wordEnd(d) {
		return e
	}
	return d
}

// ---- IP addresses (off by default) ----

func (sc *scanner) ipv4(i int) int {
	s := sc.s
	if i >= 2 && s[i-1] == '.' && isDigit(s[i-2]) || versionBefore(s, i) {
		return -1
	}
	if i+1 < len(s) && s[i] == '0' && s[i+1] == '.' && !strings.HasPrefix(s[i:], "0.0.0.0") {
		return -1 // 0.x.x.x names no host: a version such as 0.0.0.6
	}
	j := i
	for part := 0; part < 4; part++ {
		if part > 0 {
			if j >= len(s) || s[j] != '.' {
				return -1
			}
			j++
		}
		v, st := 0, j
		for j < len(s) && isDigit(s[j]) && j-st < 3 {
			v = v*10 + int(s[j]-'0')
			j++
		}
		if j == st || v > 255 || (j-st > 1 && s[st] == '0') {
			return -1
		}
	}
	if !sc.wordEnd(j) || (j+1 < len(s) && s[j] == '.' && isDigit(s[j+1])) {
		return -1
	}
	sc.add(i, j, kindIP)
	return j
}

// versionBefore reports whether the number at i is marked as a version:
// "v1.2.3.4", "~6.1.1.0", "version 10.0.0.1", "build=1.2.3.4".
func versionBefore(s string, i int) bool {
	if i == 0 {
		return false
	}
	if c := s[i-1]; c == '~' || (c == 'v' || c == 'V') && (i == 1 || !isAlnum(s[i-2])) {
		return true
	}
	k := i
	for k > 0 && i-k < 2 && (s[k-1] == ' ' || s[k-1] == '=' || s[k-1] == ':') {
		k--
	}
	if k == i {
		return false
	}
	w := k
	for w > 0 && k-w < 9 && class[s[w-1]]&(cUpper|cLower) != 0 {
		w--
	}
	switch strings.ToLower(s[w:k]) {
	case "version", "ver", "build", "release", "revision", "rev", "firmware":
		return w == 0 || !isAlnum(s[w-1])
	}
	return false
}

func (sc *scanner) ipv6(i int) int {
	s := sc.s
	j, colons := i, 0
	for j < len(s) && j-i < 45 && (class[s[j]]&cHex != 0 || s[j] == ':' || s[j] == '.') {
		if s[j] == ':' {
			colons++
		}
		j++
	}
	for j > i && (s[j-1] == '.' || (s[j-1] == ':' && (j-i < 2 || s[j-2] != ':'))) {
		if s[j-1] == ':' {
			colons--
		}
		j--
	}
	if colons < 2 || !sc.wordEnd(j) {
		return -1
	}
	a, err := netip.ParseAddr(s[i:j])
	if err != nil || !a.Is6() {
		return sc.skipIPv6Shape(i)
	}
	sc.add(i, j, kindIP)
	return j
}

// skipIPv6Shape returns the end of the run of hex digits, ':' and '.' at i
// if it has the shape of an IPv6 address (groups of at most four) but is
// not one, so that no address is looked for inside it: in
// "0::0::0::0::0::" the last "0::" is a valid address, and once redacted
// it would make the one before it valid too, so that redacting twice
// would differ from redacting once. Otherwise it returns -1.
func (sc *scanner) skipIPv6Shape(i int) int {
	s := sc.s
	e, group := i, 0
	for ; e < len(s) && (class[s[e]]&cHex != 0 || s[e] == ':' || s[e] == '.'); e++ {
		if group++; s[e] == ':' || s[e] == '.' {
			group = 0
		} else if group > 4 {
			return -1
		}
	}
	return e
}
