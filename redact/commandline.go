package redact

import "strings"

// ---- secrets on command lines ----

// userPassword handles the user:password argument of curl's -u and
// --user (and --proxy-user, -U): the password is replaced. The ':' is at
// i and the key before it was not sensitive.
func (sc *scanner) userPassword(i int) int {
	s := sc.s
	u := i
	for u > sc.lo && i-u < 128 && s[u-1] != ' ' && s[u-1] != '\t' && s[u-1] != '=' &&
		s[u-1] != '"' && s[u-1] != '\'' && s[u-1] != ':' {
		u--
	}
	// p is the end of the flag before user:password.
	p := u
	switch {
	case u+2 < i && s[u] == '-' && (s[u+1] == 'u' || s[u+1] == 'U') && isAlnum(s[u+2]):
		u += 2 // -uadmin:password, the value glued to the flag
		p = u
	case p > 0 && (s[p-1] == '"' || s[p-1] == '\''):
		p-- // -u "user:password", -u ":password"
		fallthrough
	default:
		if p > 0 && s[p-1] == '=' {
			p-- // --user=user:password
			break
		}
		gap := p
		for p > 0 && (s[p-1] == ' ' || s[p-1] == '\t') {
			p-- // one or more spaces or tabs after the flag
		}
		if p == gap {
			return -1
		}
	}
	if (u == i && (u == 0 || s[u-1] != '"' && s[u-1] != '\'')) || p < 2 || !endsWithFlag(s[max(0, p-16):p], userFlags) {
		return -1
	}
	if u < i && !letterPairBack(s[max(sc.lo, u):i]) {
		// A user without two letters in a row ("-u 1000:1000", a uid
		// and gid) is not one; the scan loop passes over such colons
		// without calling keyValue.
		return -1
	}
	if m := markerLen(s[i+1:]); m > 0 {
		return i + 1 + m // already redacted
	}
	ps, e := i+1, i+1
	quote := byte(0)
	if e < len(s) && (s[e] == '\'' || s[e] == '"') {
		// --user kevin:'pa ss', the password quoted on its own.
		quote = s[e]
		ps, e = e+1, e+1
		for e < len(s) && s[e] != quote && s[e] != '\n' {
			e++
		}
	} else {
		for e < len(s) && !isValueStop(s[e]) {
			e++
		}
	}
	user, pw := s[u:i], s[ps:e]
	switch {
	case len(pw) == 0 || markerLen(pw) == len(pw) || (sc.r.hmacKey != nil && isPseudonym(pw)):
		return -1
	case pw == user || allDigitsString(user) && allDigitsString(pw):
		return -1 // "-u root:root", "-u 1000:1000": a user and group
	case strings.Contains(pw, "//") || shellReference(pw):
		return -1 // -url:https://x, -u "$USER:$PASSWORD"
	}
	sc.add(ps, e, "password")
	if quote != 0 && e < len(s) {
		e++
	}
	return e
}

// Flags whose value commandline.go and pair read: curl's user:password
// (and httpie's --auth), and curl's header.
var (
	userFlags   = []string{"-u", "-U", "--user", "--proxy-user", "--auth"}
	headerFlags = []string{"-H", "--header"}
)

// afterFlag reports whether s[q] follows one of flags and one or more
// spaces or tabs: the quote of -u ":password" or -H "token: x".
func afterFlag(s string, q int, flags []string) bool {
	p := q
	for p > 0 && (s[p-1] == ' ' || s[p-1] == '\t') {
		p--
	}
	return p < q && endsWithFlag(s[max(0, p-16):p], flags)
}

// endsWithFlag reports whether w ends with one of flags as a word of its
// own.
func endsWithFlag(w string, flags []string) bool {
	for _, f := range flags {
		if strings.HasSuffix(w, f) && (len(w) == len(f) || isSpaceOrQuote(w[len(w)-len(f)-1])) {
			return true
		}
	}
	return false
}

// shellReference reports whether pw is a shell's reference to a value
// rather than the value: $PASSWORD, ${TOKEN}, $(cat file).
func shellReference(pw string) bool {
	if len(pw) < 2 || pw[0] != '$' {
		return false
	}
	if pw[1] == '{' || pw[1] == '(' {
		return true
	}
	for k := 1; k < len(pw); k++ {
		if c := pw[k]; !isUpper(c) && !isDigit(c) && c != '_' {
			return false
		}
	}
	return true
}

func allDigitsString(w string) bool {
	for k := 0; k < len(w); k++ {
		if !isDigit(w[k]) {
			return false
		}
	}
	return true
}

// flag handles a command-line flag "--name value" at i ("--" at i) whose
// name is sensitive: --password hunter2, --token "abc". A flag followed by
// '=' is left to keyValue; a flag whose last word says it names where the
// secret is (--password-file, --token-stdin) is not a secret.
func (sc *scanner) flag(i int) int {
	s := sc.s
	km := sc.r.keys
	if km == nil || i > 0 && !isSpaceOrQuote(s[i-1]) {
		return -1
	}
	ks := i + 2
	ke := ks
	for ke < len(s) && ke-ks < 64 && class[s[ke]]&cKey != 0 {
		ke++
	}
	if ke == ks || ke+1 >= len(s) || (s[ke] != ' ' && s[ke] != '\t') {
		return -1
	}
	w := ke + 1
	for w < len(s) && (s[w] == ' ' || s[w] == '\t') {
		w++ // --password<TAB>x, --user  'x'
	}
	if w == len(s) || s[w] == '-' {
		return -1
	}
	name := s[ks:ke]
	if !km.mayMatch(name) || flagNamesPlace(name) {
		return -1
	}
	kind, ok := km.matchKey(name)
	if !ok {
		return -1
	}
	return sc.pair(ke, ks, ke, kind, false)
}

func isSpaceOrQuote(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '"' || c == '\'' || c == '`'
}

// flagNamesPlace reports whether the flag's last word says where a secret
// is rather than what it is: --password-file, --token-stdin.
func flagNamesPlace(name string) bool {
	k := strings.LastIndexAny(name, "-_.")
	if k < 0 {
		return false
	}
	switch strings.ToLower(name[k+1:]) {
	case "file", "path", "stdin", "env", "dir", "fd", "cmd", "command", "helper", "prompt", "type", "length", "url":
		return true
	}
	return false
}
