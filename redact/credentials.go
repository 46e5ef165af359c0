package redact

import (
	"hash/crc32"
	"strings"
)

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

// ---- OpenAI, GitLab and npm tokens ----

// openAIMarker is "OpenAI" in base64, which OpenAI writes in the middle of
// its keys.
const openAIMarker = "T3BlbkFJ"

// openAIPrefixes are the prefixes of OpenAI's project, service account,
// admin and user keys.
var openAIPrefixes = [...]string{"sk-proj-", "sk-svcacct-", "sk-admin-", "sk-None-"}

// openAI matches an OpenAI API key at i: a known prefix followed by at
// least 40 characters of [A-Za-z0-9_-] with upper- and lower-case letters
// and digits (or the OpenAI marker), or the older "sk-" and 48 letters and
// digits.
func (sc *scanner) openAI(i int) int {
	s := sc.s
	if len(s)-i < 43 || s[i+1] != 'k' || s[i+2] != '-' {
		return -1
	}
	for _, p := range openAIPrefixes {
		if !strings.HasPrefix(s[i:], p) {
			continue
		}
		st := i + len(p)
		e := sc.span(st, cB64URL)
		if e-st < 40 || e-st > 300 || !sc.wordEnd(e) || !randomLooking(s[st:e]) {
			return -1
		}
		sc.add(i, e, kindOpenAI)
		return e
	}
	st := i + 3
	e := sc.span(st, cAlnum)
	if e-st != 48 || (e < len(s) && class[s[e]]&cB64URL != 0) || !randomLooking(s[st:e]) {
		return -1
	}
	sc.add(i, e, kindOpenAI)
	return e
}

// randomLooking reports whether v holds the OpenAI marker, or upper- and
// lower-case letters and digits: generated, not a word-like identifier.
func randomLooking(v string) bool {
	if strings.Contains(v, openAIMarker) {
		return true
	}
	var u, l, d bool
	for k := 0; k < len(v); k++ {
		c := class[v[k]]
		u = u || c&cUpper != 0
		l = l || c&cLower != 0
		d = d || c&cDigit != 0
	}
	return u && l && d
}

// gitlabPrefixes are GitLab's token prefixes (personal, project and group
// access, deploy, runner authentication, CI job, pipeline trigger, feed,
// OAuth application secret, agent).
var gitlabPrefixes = [...]string{"glpat-", "gldt-", "glrt-", "glcbt-", "glptt-", "glft-", "gloas-", "glagent-", "glsoat-", "glimt-", "glffct-"}

// gitlab matches a GitLab token at i: a known prefix and at least 20
// characters of [A-Za-z0-9_-]. A routable token's trailer, ".<version>.<crc>"
// in base 36, is part of the token.
func (sc *scanner) gitlab(i int) int {
	s := sc.s
	if len(s)-i < 24 || s[i+1] != 'l' {
		return -1
	}
	for _, p := range gitlabPrefixes {
		if !strings.HasPrefix(s[i:], p) {
			continue
		}
		st := i + len(p)
		e := sc.span(st, cB64URL)
		if e-st < 20 || e-st > 400 {
			return -1
		}
		// ".01.0w1ohrd09": the routable form's version and checksum.
		if t := routableTrailer(s[e:]); t > 0 {
			e += t
		}
		if !sc.wordEnd(e) {
			return -1
		}
		sc.add(i, e, kindGitLab)
		return e
	}
	return -1
}

// routableTrailer returns the length of GitLab's routable token trailer
// at the start of t, or 0: a version and a base-36 CRC32, written
// ".<digits>.<letters and digits>" or ".<9 letters and digits>".
func routableTrailer(t string) int {
	if len(t) < 3 || t[0] != '.' || !isAlnum(t[1]) {
		return 0
	}
	k := 1
	for k < len(t) && k < 4 && isDigit(t[k]) {
		k++
	}
	if k > 1 && k+1 < len(t) && t[k] == '.' && isAlnum(t[k+1]) {
		k++
		st := k
		for k < len(t) && k-st < 16 && isAlnum(t[k]) {
			k++
		}
		return k
	}
	k = 1
	for k < len(t) && k < 12 && class[t[k]]&(cLower|cDigit) != 0 {
		k++
	}
	if k == 10 && (k == len(t) || !isAlnum(t[k])) {
		return k
	}
	return 0
}

// npm matches an npm access token at i: npm_ and 36 letters and digits,
// with both letters and digits among the first 30 or a valid checksum.
// npm uses GitHub's token format: 30 random characters, then the CRC-32 of
// those 30 in 6 base-62 digits. Secret scanners' test tokens are random
// but carry no valid checksum, so the checksum alone does not decide.
func (sc *scanner) npm(i int) int {
	s := sc.s
	if len(s)-i < 40 || !strings.HasPrefix(s[i:], "npm_") {
		return -1
	}
	e := sc.span(i+4, cAlnum)
	if e-i-4 != 36 || (e < len(s) && class[s[e]]&cB64URL != 0) {
		return -1
	}
	if body := s[i+4 : i+34]; !lettersAndDigits(body) && !base62CRC(body, s[i+34:e]) {
		return -1
	}
	sc.add(i, e, kindNPM)
	return e
}

// lettersAndDigits reports whether v holds both a letter and a digit.
func lettersAndDigits(v string) bool {
	var l, d bool
	for k := 0; k < len(v); k++ {
		c := class[v[k]]
		l = l || c&(cUpper|cLower) != 0
		d = d || c&cDigit != 0
	}
	return l && d
}

// base62CRC reports whether sum, 6 base-62 digits (0-9, A-Z, a-z), is the
// CRC-32 (IEEE) of body, as in GitHub's and npm's token checksums.
func base62CRC(body, sum string) bool {
	var v uint64
	for k := 0; k < len(sum); k++ {
		c := sum[k]
		var d byte
		switch {
		case isDigit(c):
			d = c - '0'
		case isUpper(c):
			d = c - 'A' + 10
		default:
			d = c - 'a' + 36
		}
		v = v*62 + uint64(d)
	}
	return len(sum) == 6 && v == uint64(crc32.ChecksumIEEE([]byte(body)))
}
