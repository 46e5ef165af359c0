package redact

import "strings"

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

// npm matches an npm access token at i: npm_ and 36 letters and digits.
func (sc *scanner) npm(i int) int {
	s := sc.s
	if len(s)-i < 40 || !strings.HasPrefix(s[i:], "npm_") {
		return -1
	}
	e := sc.span(i+4, cAlnum)
	if e-i-4 != 36 || (e < len(s) && class[s[e]]&cB64URL != 0) {
		return -1
	}
	sc.add(i, e, kindNPM)
	return e
}
