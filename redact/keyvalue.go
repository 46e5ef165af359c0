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
			if strings.IndexByte(key, '.') >= 0 && allDigits(s, v) || scopeOrPath(s, v) {
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

// scalarArray replaces each element of the array opening at s[v] ('[')
// under a sensitive key of the given kind, if every element is a scalar:
// a quoted string, or a bare word as Go's %v writes them ([a b]). It
// returns where scanning resumes (after the ']'), or -1 if the array holds
// an object or array or does not close, leaving its contents to the scan.
// Elements that are true, false, null, empty or already redacted are kept.
func (sc *scanner) scalarArray(v int, kind string) int {
	if v < sc.noArray {
		return -1 // a read from before v failed past it
	}
	end := sc.arrayElems(v, "")
	if end < 0 {
		return -1
	}
	sc.arrayElems(v, kind)
	return end
}

// arrayElems reads the array opening at s[v] for scalarArray. With kind
// "", it only checks the array: it returns the index after its ']', or -1
// (and sets noArray) if an element is not a scalar or there is no ']'.
// With a kind, it replaces the elements of an array so checked.
func (sc *scanner) arrayElems(v int, kind string) int {
	s := sc.s
	n := len(s)
	k := v + 1
	for k < n {
		switch c := s[k]; c {
		case ' ', '\t', '\n', '\r', ',':
			k++
			continue
		case ']':
			return k + 1
		case '{':
			sc.noArray = max(sc.noArray, k)
			return -1
		case '"', '\'':
			e := k + 1
			for e < n && s[e] != c {
				if s[e] == '\\' {
					e++
				}
				e++
			}
			if e >= n {
				sc.noArray = n
				return -1
			}
			if kind != "" {
				sc.arrayElem(k+1, e, kind)
			}
			k = e + 1
			continue
		case '[':
			if m := markerLen(s[k:]); m > 0 {
				k += m
				continue
			}
			sc.noArray = max(sc.noArray, k)
			return -1
		case '\\':
			if k+1 < n && (s[k+1] == '"' || s[k+1] == '\'') {
				// [\"x\"] inside a JSON string.
				e := strings.Index(s[k+2:], s[k:k+2])
				if e < 0 {
					sc.noArray = n
					return -1
				}
				if kind != "" {
					sc.arrayElem(k+2, k+2+e, kind)
				}
				k += e + 4
				continue
			}
		}
		e := k
		for e < n && s[e] != ' ' && s[e] != '\t' && s[e] != '\n' && s[e] != '\r' && s[e] != ',' && s[e] != ']' {
			if s[e] == '[' || s[e] == '{' {
				sc.noArray = max(sc.noArray, e)
				return -1
			}
			e++
		}
		if kind != "" {
			sc.arrayElem(k, e, kind)
		}
		k = e
	}
	sc.noArray = n
	return -1
}

// arrayElem replaces the array element s[vs:ve] unless it says nothing.
func (sc *scanner) arrayElem(vs, ve int, kind string) {
	val := sc.s[vs:ve]
	if len(val) == 0 || markerLen(val) == len(val) || val == "true" || val == "false" || val == "null" || maskWord(val) ||
		(sc.r.hmacKey != nil && isPseudonym(val)) {
		return
	}
	sc.add(vs, ve, kind)
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

// sourcePosition reports whether the key s[ks:ke], glued to a number at v,
// is a source position as stack traces and loggers print one rather than
// a key and its value: a file name with a source extension
// (SessionTrackerImpl.java:146, CookieParser.kt:33), a dotted name ending
// in a type name (c.e.TokenService:42), or a class name inside a frame's
// parentheses or brackets (x.y(SessionManager:42)). A name ending in Id or
// ID is not one: {SessionID:12345} holds a session's identifier.
func sourcePosition(s string, ks, ke, v int) bool {
	if !allDigits(s, v) {
		return false
	}
	key := s[ks:ke]
	if strings.HasSuffix(key, "Id") || strings.HasSuffix(key, "ID") {
		return false
	}
	if d := strings.LastIndexByte(key, '.'); d >= 0 {
		return d > 0 && (sourceExt(key[d+1:]) || typeName(key[d+1:]))
	}
	if ks < 2 || !className(key) {
		return false
	}
	open := s[ks-1]
	if (open != '(' && open != '[') || !isAlnum(s[ks-2]) {
		return false
	}
	e := v
	for e < len(s) && isDigit(s[e]) {
		e++
	}
	return e < len(s) && s[e] == closerOf(open)
}

// archiveName reports whether key is the file name of a Java archive, as
// logback prints one with its version after a stack frame:
// ~[spring-session-core-2.7.0.jar:2.7.0].
func archiveName(key string) bool {
	d := strings.LastIndexByte(key, '.')
	if d <= 0 {
		return false
	}
	switch key[d+1:] {
	case "jar", "war", "ear", "aar":
		return true
	}
	return false
}

// loggerName reports whether key is a Java class name with its package,
// as loggers print one: lower-case package names (or their initials)
// joined by '.', then a type name (c.e.TokenService,
// org.apache.zookeeper.server.SessionTrackerImpl).
func loggerName(key string) bool {
	d := strings.LastIndexByte(key, '.')
	if d <= 0 || !typeName(key[d+1:]) || strings.IndexByte(key[d+1:], '.') >= 0 {
		return false
	}
	start := true
	for k := 0; k < d; k++ {
		c := key[k]
		switch {
		case c == '.':
			if start {
				return false
			}
			start = true
		case class[c]&cLower != 0 || !start && (isDigit(c) || c == '_'):
			start = false
		default:
			return false
		}
	}
	return !start
}

// sourceExt reports whether ext is the extension of a source file that
// stack traces name.
func sourceExt(ext string) bool {
	switch ext {
	case "java", "kt", "kts", "scala", "groovy", "clj", "go", "py", "rb", "js", "mjs", "ts", "cs", "c", "cc", "cpp", "h", "hpp", "rs", "swift", "php", "ex", "exs", "erl":
		return true
	}
	return false
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

// threadTag reports whether the value at v, after "[name:" with the name
// at ks, ends like a logger's thread and source position or class before
// the closing bracket: [SessionTracker:ZooKeeperServer@325],
// [Session-1:SessionManager], and after a dashed thread name, a
// capitalised word: [Password-Checker:Main]. The '[' stands alone, not
// after a word as in Go's map[token:x].
func threadTag(s string, ks, v int) bool {
	if ks >= 2 && isAlnum(s[ks-2]) {
		return false
	}
	k := v
	for k < len(s) && k-v < 256 && s[k] != ']' && s[k] != ' ' && s[k] != '\n' {
		k++
	}
	if k == len(s) || s[k] != ']' {
		return false
	}
	w := s[v:k]
	if className(w) || strings.IndexByte(s[ks:v], '-') >= 0 && capitalWord(w) {
		return true
	}
	d := k
	for d > v && isDigit(s[d-1]) {
		d--
	}
	return d < k && d-1 > v && s[d-1] == '@' && isAlnum(s[d-2])
}

// capitalWord reports whether w is a capital and at least two lower-case
// letters: Main, Worker.
func capitalWord(w string) bool {
	if len(w) < 3 || !isUpper(w[0]) {
		return false
	}
	for k := 1; k < len(w); k++ {
		if class[w[k]]&cLower == 0 {
			return false
		}
	}
	return true
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

// objectValue reports whether the unquoted value s[vs:k] opens an object
// dump rather than holding a secret: a type name followed by '{', '(' or
// '[' and what looks like the start of an object's body
// (AppWindowToken{9f4ef63 ...}, Token{a64f992, Token { kind: ...,
// Token(id=5, ...), as Java's toString and Kotlin data classes write
// them, Credentials[accessKeyId=...]).
func objectValue(s string, vs, k int) bool {
	v := s[vs:k]
	body := ""
	var open byte
	switch {
	case k > vs && k < len(s) && (s[k] == '{' || s[k] == '(' || s[k] == '['):
		open, body = s[k], s[k+1:]
	case k+1 < len(s) && s[k] == ' ' && s[k+1] == '{':
		open, body = '{', s[k+2:]
	default:
		return false
	}
	if !typeName(v) {
		return false
	}
	if body == "" || body[0] == ' ' || body[0] == closerOf(open) {
		return true
	}
	if open == '(' && (body[0] == '\'' || body[0] == '"') {
		// Pydantic's SecretStr('**********'): a masked value.
		q := strings.IndexByte(body[1:], body[0])
		return q >= 0 && maskWord(body[1:1+q]) && 2+q < len(body) && body[2+q] == ')'
	}
	// A hash code (Android's Token{a64f992 ...}) or a first key.
	h := 0
	for h < len(body) && h < 17 && class[body[h]]&cHex != 0 {
		h++
	}
	if open == '{' && h >= 4 && h <= 16 && (h == len(body) || body[h] == ' ' || body[h] == '}') {
		return true
	}
	e := 0
	for e < len(body) && e < 64 && class[body[e]]&cKey != 0 {
		e++
	}
	return e > 0 && e < len(body) && (body[e] == '=' || body[e] == ':')
}

// className reports whether w is a CamelCase class name of letters only,
// with at least two capitals: SessionManager, ZooKeeperServer.
func className(w string) bool {
	if len(w) < 4 || !isUpper(w[0]) {
		return false
	}
	upper := 0
	for k := 0; k < len(w); k++ {
		c := class[w[k]]
		if c&(cUpper|cLower) == 0 {
			return false
		}
		if c&cUpper != 0 {
			upper++
		}
	}
	return upper >= 2 && upper < len(w)
}

// objectRef reports whether the value v is a reference to an object as
// Java prints one: [package.]ClassName@hash, the hash 5 to 8 lower-case
// hex digits with a letter among them (Token@5f3a2b,
// org.hibernate.impl.SessionImpl@1a2b3c4d). "Admin@2024" is not one.
func objectRef(v string) bool {
	at := strings.LastIndexByte(v, '@')
	if at <= 0 || len(v)-at-1 < 5 || len(v)-at-1 > 8 {
		return false
	}
	letter := false
	for k := at + 1; k < len(v); k++ {
		c := v[k]
		if !isDigit(c) && (c < 'a' || c > 'f') {
			return false
		}
		letter = letter || !isDigit(c)
	}
	if !letter {
		return false
	}
	name := v[:at]
	if d := strings.LastIndexByte(name, '.'); d >= 0 {
		for k := 0; k < d; k++ {
			if c := name[k]; c != '.' && class[c]&(cLower|cDigit) == 0 && c != '_' {
				return false
			}
		}
		name = name[d+1:]
	}
	return typeName(name)
}

// typeName reports whether w looks like the name of a type: a capital,
// then letters, digits, '_', '$' or '.', with a lower-case letter.
func typeName(w string) bool {
	if len(w) < 2 || len(w) > 64 || !isUpper(w[0]) {
		return false
	}
	lower := false
	for k := 1; k < len(w); k++ {
		c := w[k]
		lower = lower || class[c]&cLower != 0
		if !isAlnum(c) && c != '_' && c != '$' && c != '.' {
			return false
		}
	}
	return lower
}
