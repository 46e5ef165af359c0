package redact

import "strings"

// ---- names from code: stack frames, loggers, threads, object dumps ----

// The recognisers here tell the key of a pair from a name a program or
// its logger wrote: a source position (SessionTrackerImpl.java:146), a
// logger's class, a thread tag ([main:QuorumPeer@913]) or an object
// dump (Token{...}, Token(id=5)). pair consults them before taking a
// sensitive word for a key.

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
