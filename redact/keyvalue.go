package redact

import "strings"

// ---- key=value and "key": value ----

func isValueStop(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', ',', ';', '&', '"', '\'', '`', ')', '}', ']', '<', '>', '\\', '|':
		return true
	}
	return false
}

var authSchemes = [...]string{"bearer", "basic", "digest", "token", "negotiate", "aws4-hmac-sha256"}

func isAuthSchemeWord(w string) bool {
	for _, a := range authSchemes {
		if strings.EqualFold(w, a) {
			return true
		}
	}
	return false
}

// knownKey reports whether the quoted key that ends just before the ':' at
// s[i] is remembered as not sensitive. If it is not, it leaves the key's
// words for keyValue.
func (sc *scanner) knownKey(i int) bool {
	c := sc.r.clean
	if c == nil || i < 1 {
		return false
	}
	lo, hi, open, ok := quotedKeyWords(sc.s, i-1, sc.s[i-1])
	if !ok || open < sc.lo {
		return false
	}
	if c.has(lo, hi) {
		return true
	}
	sc.keyAt, sc.keyLo, sc.keyHi = i+1, lo, hi
	return false
}

// keyValue handles a key=value or key: value pair whose separator is at i.
// When the key is sensitive, the whole value is replaced.
func (sc *scanner) keyValue(i int) int {
	s := sc.s
	sep := s[i]
	// Back over the spaces and tabs between the key and its separator
	// ("password    = x", pretty-printed JSON's "key" : value): the run
	// ends at this separator, so no byte is read back twice.
	j := i
	for j > sc.lo && (s[j-1] == ' ' || s[j-1] == '\t') {
		j--
	}
	km := sc.r.keys
	if km == nil {
		return -1
	}
	if sep == '=' && i+1 < len(s) && s[i+1] == '=' {
		return -1 // "token == nil": a comparison
	}
	// The key is read backwards to its start; most keys hold no start of
	// a sensitive name and are rejected there without normalising them.
	var ks, ke int
	quoted := false
	if j > sc.lo && (s[j-1] == '"' || s[j-1] == '\'') {
		// Quoted: back to the same quote, at most 128 bytes back. A short
		// key already found not sensitive costs one lookup.
		ke = j - 1
		q := s[j-1]
		ck := sc.r.clean
		var klo, khi uint64
		short := false
		if sc.keyAt == i+1 {
			klo, khi, short = sc.keyLo, sc.keyHi, true // looked up by run
		} else if ck != nil {
			var open int
			klo, khi, open, short = quotedKeyWords(s, ke, q)
			if short = short && open >= sc.lo; short && ck.has(klo, khi) {
				return -1
			}
		}
		lo := max(sc.lo, ke-129)
		qi, may := km.quotedKeyBack(s, lo, ke, q)
		if qi < lo {
			if sep == ':' && j == i {
				return sc.userPassword(i) // -u ":password"
			}
			return -1
		}
		ks, quoted = qi+1, true
		if ke > ks && s[ke-1] == '\\' {
			ke-- // \"key\": inside a JSON string
		}
		var kind string
		if may {
			kind, may = km.matchKey(s[ks:ke])
		}
		if !may {
			// One key a scan is remembered: a logger's fixed keys are all
			// remembered within a few lines all the same, and keys that
			// never repeat use up the write budget (cleanKeys.writes)
			// slowly.
			if sep == ':' && j == i && afterFlag(s, ke, userFlags) {
				return sc.userPassword(i) // curl -H "a: b" -u ":password"
			}
			if short && !sc.stored {
				sc.stored = true
				ck.add(klo, khi)
			}
			return -1
		}
		return sc.pair(i, ks, ke, kind, quoted)
	}
	ke = j
	ks, may := km.bareKeyBack(s, max(sc.lo, ke-128), ke)
	if may {
		if kind, ok := km.matchKey(s[ks:ke]); ok {
			return sc.pair(i, ks, ke, kind, quoted)
		}
	}
	if sep == ':' && j == i {
		return sc.userPassword(i)
	}
	return -1
}

// Where an unquoted key stands, for "key: value" (keyPlace).
const (
	placeMid    = iota // inside a line, after a word or other punctuation
	placeLine          // at the start of a line, or of a YAML list item
	placeStruct        // after '{', ',', ';', '(', '[' or '|'
)

// keyPlace says where the unquoted key starting at ks stands, and the
// byte before it, spaces and tabs skipped (0 at the start of s).
func keyPlace(s string, ks int) (int, byte) {
	b := ks
	for b > 0 && (s[b-1] == ' ' || s[b-1] == '\t') {
		b--
	}
	if b == 0 {
		return placeLine, 0
	}
	switch c := s[b-1]; c {
	case '\n', '\r':
		return placeLine, c
	case '-':
		if b < ks && (b == 1 || s[b-2] == ' ' || s[b-2] == '\t' || s[b-2] == '\n') {
			return placeLine, c // "- password: x", a YAML list item
		}
	case '{', ',', ';', '(', '[', '|':
		return placeStruct, c
	}
	return placeMid, s[b-1]
}

// closerOf returns the byte that closes the quote or bracket c, or 0.
func closerOf(c byte) byte {
	switch c {
	case '"', '\'', '`':
		return c
	case '(':
		return ')'
	case '[':
		return ']'
	case '{':
		return '}'
	}
	return 0
}

// headerCase reports whether key is written like an HTTP header name:
// words of letters and digits joined by '-', each starting with a capital
// (Authorization, X-Api-Key, X-API-KEY).
func headerCase(key string) bool {
	start := true
	for k := 0; k < len(key); k++ {
		c := key[k]
		switch {
		case c == '-':
			if start {
				return false
			}
			start = true
		case start:
			if !isUpper(c) {
				return false
			}
			start = false
		case !isAlnum(c):
			return false
		}
	}
	return !start
}

// collectionKeys are plural key names that, before ": " and a word, name
// a group of things rather than hold a value: "secrets: get "db": ..." is
// an error from a package named secrets.
var collectionKeys = [...]string{"secrets", "passwords", "credentials", "cookies", "sessions", "signatures", "tokens"}

func isCollectionKey(key string) bool {
	for _, c := range collectionKeys {
		if strings.EqualFold(key, c) {
			return true
		}
	}
	return false
}

// pair goes on with keyValue for a key s[ks:ke] of the given kind:
// if it is sensitive, its value is replaced. The separator s[i] is '=',
// ':', or ' ' after a command-line flag.
func (sc *scanner) pair(i, ks, ke int, kind string, quoted bool) int {
	s := sc.s
	n := len(s)
	sep := s[i]
	v := i + 1
	if sep == '=' && v < n && s[v] == '>' {
		v++ // Ruby's "key" => value
	}
	glued := v < n && s[v] != ' ' && s[v] != '\t'
	for v < n && (s[v] == ' ' || s[v] == '\t') {
		v++
	}
	if v >= n {
		return -1
	}
	place, before := placeMid, byte(0)
	var closer byte // closes the quote or bracket the key was opened by
	if !quoted {
		place, before = keyPlace(s, ks)
		if ks > 0 {
			closer = closerOf(s[ks-1])
		}
	}
	headerish := sep == ':' && (kind == "authorization" || kind == "cookie")
	if sep == ':' && !quoted {
		key := s[ks:ke]
		if glued && ke == i && (sourcePosition(s, ks, ke, v) || before == '[' && threadTag(s, ks, v) || archiveName(key)) {
			// A stack frame or logger position: (SessionTrackerImpl.java:146),
			// (SessionManager:42), c.e.TokenService:42, [Password-Checker:Main],
			// logback's ~[spring-session-core-2.7.0.jar:2.7.0].
			return -1
		}
		if loggerName(key) {
			// A logger's class name: Spring Boot's "c.e.TokenService : Started".
			return -1
		}
		switch {
		case ks > 0 && (s[ks-1] == '/' || s[ks-1] == '\\'):
			// The last part of a path: "open /run/secrets/db-password: no
			// such file or directory".
			return -1
		case kind == "password":
			// "password: x" announces one, in prose too.
		case place == placeLine:
			if !glued && isCollectionKey(key) && s[v] != '[' && s[v] != '"' && s[v] != '\'' {
				return -1 // "secrets: get ...", but not "passwords: [a, b]"
			}
		case place == placeStruct:
			// After '{', ',', '(' or '[': a dump's or a flow mapping's key.
		case ke < i:
			// "token : x": prose puts no space before a colon; aligned
			// key: value text does.
		case glued && ks > 0 && (s[ks-1] == ' ' || s[ks-1] == '\t' || closer != 0):
			// A Go %+v dump, {User:bob Token:abc}, but not a source
			// position such as pkg.TokenService:42.
			if strings.IndexByte(key, '.') >= 0 && allDigits(s, v) || scopeOrPath(s, v) && !sc.inDump(ks) {
				return -1
			}
		case closer != 0 && closer == s[ks-1] && (strings.IndexByte(key, '-') >= 0 || headerCase(key) ||
			headerish || kind == "api_key" || kind == "access_key" || afterFlag(s, ks-1, headerFlags)):
			// A header at the start of a quoted string: curl -H "X-Api-Key: ...",
			// -H 'Token: ...', any sensitive name after -H or --header.
		case strings.IndexByte(key, '-') >= 0 && (headerCase(key) || lowerDashed(key)):
			// A header inside a line: "upstream sent X-Api-Key: ...",
			// HTTP/2's lower-case "x-api-key: ...".
		case headerish && (headerCase(key) || credentialValue(s, v, kind)):
			// "upstream: Authorization: Token ... rejected"; lower-case
			// "authorization: Token abc" when the value reads as one.
		default:
			// Prose such as "verify token: expired".
			return -1
		}
	}
	var vs, ve, resume int
	switch c := s[v]; {
	case c == '"' || c == '\'':
		vs = v + 1
		k := vs
		for k < n && s[k] != c {
			if s[k] == '\\' {
				k++
			}
			k++
		}
		ve = min(k, n)
		resume = min(ve+1, n)
	case c == '\\' && v+1 < n && (s[v+1] == '"' || s[v+1] == '\''):
		vs = v + 2
		k := strings.Index(s[vs:], s[v:v+2])
		if k < 0 {
			k = n - vs
		}
		ve = vs + k
		resume = min(ve+2, n)
	case markerLen(s[v:]) > 0:
		return v + markerLen(s[v:]) // already redacted
	case c == '[' && headerish && v+1 < n && isAlnum(s[v+1]):
		// Go's http.Header: map[Authorization:[Token abc]].
		vs = v + 1
		k := vs
		for k < n && s[k] != ']' && s[k] != '\n' && s[k] != '\r' {
			k++
		}
		ve, resume = k, k
	case c == '[':
		// ["hunter2"], Go's [hunter2] for url.Values: each scalar is
		// replaced. An array of objects or arrays is examined key by key.
		return sc.scalarArray(v, kind)
	case c == '{':
		return -1 // structured: its own keys are examined as the scan goes on
	default:
		if quoted && quotedInProse(s, ks) {
			return -1 // get "prod/db-password": not found
		}
		vs = v
		k := v
		switch {
		case (closer == '"' || closer == '\'' || closer == '`') && (headerish || afterFlag(s, ks-1, headerFlags)):
			// -H "Authorization: Digest a=b, c=d", -H "token: a b": a
			// header's value runs up to the closing quote.
			for k < n && s[k] != closer && s[k] != '\n' && s[k] != '\r' {
				if s[k] == '\\' && k+1 < n && s[k+1] == closer {
					k++ // an escaped quote: -H "Authorization: Digest a=\"b\""
				}
				k++
			}
		case headerish && place == placeLine:
			// A header line: its value runs to the end of the line.
			for k < n && s[k] != '\n' && s[k] != '\r' {
				k++
			}
		default:
			for k < n && !isValueStop(s[k]) && s[k] != '{' && s[k] != '(' && s[k] != '[' {
				k++
			}
			if objectValue(s, vs, k) {
				// AppWindowToken{9f4ef63 ...}, Token(id=5, ...),
				// Credentials[accessKeyId=...]: its own keys are examined.
				return -1
			}
			for k < n && !isValueStop(s[k]) {
				k++ // a bracket inside a value that is not an object dump
			}
			if kind != "password" && kind != "secret" && objectRef(s[vs:k]) {
				return max(k, i+1) // token=Token@5f3a2b: an object, not its value
			}
			if k+1 < n && s[k] == ' ' && !isValueStop(s[k+1]) && !nextIsPair(s, k+1) &&
				(isAuthSchemeWord(s[vs:k]) || kind == "authorization" && schemeLike(s[vs:k])) {
				// An auth scheme takes its credential with it.
				k++
				for k < n && !isValueStop(s[k]) {
					k++
				}
			}
			for headerish && kind == "cookie" && k+2 < n && s[k] == ';' && s[k+1] == ' ' && nextIsPair(s, k+2) {
				// A Cookie header inside a line takes all its pairs:
				// "sent Cookie: a=b; c=d to upstream".
				k += 2
				for k < n && !isValueStop(s[k]) {
					k++
				}
			}
		}
		for k > vs && (s[k-1] == ' ' || s[k-1] == '\t') {
			k--
		}
		ve, resume = k, k
	}
	val := s[vs:ve]
	if len(val) == 0 || markerLen(val) == len(val) || (sc.r.hmacKey != nil && isPseudonym(val)) ||
		val == "true" || val == "false" || val == "null" || maskWord(val) || smallNumber(val, kind) {
		return max(resume, i+1)
	}
	sc.add(vs, ve, kind)
	return max(resume, i+1)
}

// maskWord reports whether a value is a placeholder that a program wrote
// instead of a secret: asterisks, or a word such as hidden (Kafka's
// "ssl.key.password = [hidden]") or redacted.
func maskWord(val string) bool {
	if strings.Trim(val, "*") == "" {
		return true
	}
	for _, w := range [...]string{"hidden", "redacted", "masked", "filtered", "removed", "omitted", "sanitized"} {
		if strings.EqualFold(val, w) {
			return true
		}
	}
	return false
}

// smallNumber reports whether val is a number of one or two digits under
// a key whose secrets are never that short (token=1, session=0): a flag or
// a count. Passwords, card security codes and PINs may be.
func smallNumber(val, kind string) bool {
	if len(val) > 2 || !allDigitsString(val) {
		return false
	}
	switch kind {
	case "token", "session", "secret", "api_key", "access_key", "credential", "signature", "authorization", "cookie":
		return true
	}
	return false
}

// quotedInProse reports whether the quoted key whose text starts at ks
// follows a word: Go's %q in an error ("get "db-password": not found"),
// where JSON and YAML would put '{', ',' or a line start.
func quotedInProse(s string, ks int) bool {
	b := ks - 1 // the opening quote
	if b > 0 && s[b-1] == '\\' {
		b--
	}
	for b > 0 && (s[b-1] == ' ' || s[b-1] == '\t') {
		b--
	}
	return b > 0 && isAlnum(s[b-1])
}

// allDigits reports whether the bytes from v up to the next byte that is
// not a letter or digit are all digits (and there is at least one).
func allDigits(s string, v int) bool {
	k := v
	for k < len(s) && isDigit(s[k]) {
		k++
	}
	return k > v && (k == len(s) || !isAlnum(s[k]))
}

// lowerDashed reports whether key is lower-case words joined by '-'
// (x-api-key), as HTTP/2 writes header names.
func lowerDashed(key string) bool {
	for k := 0; k < len(key); k++ {
		if c := key[k]; c != '-' && class[c]&(cLower|cDigit) == 0 {
			return false
		}
	}
	return key[0] != '-' && key[len(key)-1] != '-'
}

// credentialValue reports whether the value at v of an Authorization or
// Cookie key reads as a credential rather than prose: a scheme and the
// word after it, or for a cookie name=value.
func credentialValue(s string, v int, kind string) bool {
	k := v
	for k < len(s) && !isValueStop(s[k]) {
		k++
	}
	w := s[v:k]
	if kind == "cookie" {
		e := strings.IndexByte(w, '=')
		return e > 0 && e < len(w)-1
	}
	return k+1 < len(s) && s[k] == ' ' && !isValueStop(s[k+1]) && (isAuthSchemeWord(w) || schemeLike(w))
}

// scopeOrPath reports whether the value at v, glued to "key:" inside a
// line, is an OAuth-style scope or the rest of a colon-separated name
// rather than a secret: token:read, user:email, session:12345:data. Each
// part is a short lower-case word or a number.
func scopeOrPath(s string, v int) bool {
	parts := 0
	k := v
	for {
		st := k
		for k < len(s) && class[s[k]]&cLower != 0 {
			k++
		}
		if k == st {
			for k < len(s) && isDigit(s[k]) {
				k++
			}
		}
		if k == st || k-st > 10 || k < len(s) && isAlnum(s[k]) {
			return false
		}
		parts++
		if k+1 < len(s) && s[k] == ':' && isAlnum(s[k+1]) {
			k++
			continue
		}
		break
	}
	if k < len(s) && !isValueStop(s[k]) {
		return false
	}
	// One part is a scope word (read); a number alone may be a secret.
	return parts > 1 || !isDigit(s[v])
}

// inDump reports whether the key at ks stands inside a Go %v or %+v dump
// on its line: after a '{' or "map[" not closed before it. The brackets
// are counted forward from where the last call stopped, so that the scan
// stays linear however many keys ask.
func (sc *scanner) inDump(ks int) bool {
	s := sc.s
	if ks < sc.dumpAt {
		sc.dumpAt, sc.dumps, sc.lists = 0, 0, 0
	}
	for k := sc.dumpAt; k < ks; k++ {
		switch s[k] {
		case '\n':
			sc.dumps, sc.lists = 0, 0
		case '{':
			sc.dumps++
		case '[':
			if k >= 3 && s[k-3:k] == "map" {
				sc.dumps++
			} else {
				sc.lists++
			}
		case ']':
			if sc.lists > 0 {
				sc.lists--
			} else if sc.dumps > 0 {
				sc.dumps--
			}
		case '}':
			if sc.dumps > 0 {
				sc.dumps--
			}
		}
	}
	sc.dumpAt = ks
	return sc.dumps > 0
}

// schemeLike reports whether w could be an HTTP authentication scheme
// other than the well-known ones (Token, SharedKey, SSWS): a capital, then
// letters, at most 24 bytes.
func schemeLike(w string) bool {
	if len(w) < 2 || len(w) > 24 || !isUpper(w[0]) {
		return false
	}
	for k := 1; k < len(w); k++ {
		if class[w[k]]&(cUpper|cLower) == 0 {
			return false
		}
	}
	return true
}

// nextIsPair reports whether the word at k is itself a key=value pair
// ("user=bob"), not a credential (which may end with '=' padding).
func nextIsPair(s string, k int) bool {
	for ; k < len(s) && !isValueStop(s[k]); k++ {
		if s[k] == '=' && k+1 < len(s) && s[k+1] != '=' && !isValueStop(s[k+1]) {
			return true
		}
	}
	return false
}
