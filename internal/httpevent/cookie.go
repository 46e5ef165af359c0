package httpevent

import "strings"

// cookieIn returns the value of the first valid cookie called name in one
// Cookie header line, parsed as net/http parses a request's Cookie header
// (so that it agrees with (*http.Request).Cookie on the view). It does not
// allocate.
func cookieIn(line, name string) (string, bool) {
	for line != "" {
		var part string
		part, line, _ = strings.Cut(line, ";")
		part = trimOWS(part)
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		if trimOWS(k) != name {
			continue
		}
		if v, ok := cookieValue(v); ok {
			return v, true
		}
	}
	return "", false
}

// cookieValue strips one pair of surrounding double quotes and checks the
// value bytes as net/http does.
func cookieValue(v string) (string, bool) {
	if len(v) > 1 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == ';' || c == '\\' {
			return "", false
		}
	}
	return v, true
}

// cookieInLines returns the first cookie called name in lines.
func cookieInLines(lines []string, name string) (string, bool) {
	for _, l := range lines {
		if v, ok := cookieIn(l, name); ok {
			return v, true
		}
	}
	return "", false
}

// cookieFromHeaders finds cookie name in the Cookie header of an event with a
// single-value map, a multi-value map, or both, reading the lines in the order
// the *http.Request view holds them: spellings of "Cookie" in rank order, the
// multi-value map winning over the single-value one.
func cookieFromHeaders(single map[string]string, multi map[string][]string, name string) (string, bool) {
	if !validToken(name) {
		return "", false
	}
	if lines, ok := lookup(multi, "cookie", nonEmpty); ok {
		if v, ok := cookieInLines(lines, name); ok {
			return v, true
		}
		return bestFoldCookie(multi, name, func(lines []string) (string, bool) { return cookieInLines(lines, name) })
	}
	if line, ok := lookup(single, "cookie", always); ok {
		if v, ok := cookieIn(line, name); ok {
			return v, true
		}
		return bestFoldCookie(single, name, func(line string) (string, bool) { return cookieIn(line, name) })
	}
	return "", false
}

// bestFoldCookie looks for the cookie under every spelling of "Cookie" in m
// and returns the match from the highest-ranked spelling. It runs only when
// the highest-ranked spelling had no match, so re-checking it is harmless.
func bestFoldCookie[V any](m map[string]V, name string, find func(V) (string, bool)) (string, bool) {
	best, bestV, found := "", "", false
	for k, v := range m {
		if !foldEqual(k, "cookie") {
			continue
		}
		cv, ok := find(v)
		if !ok {
			continue
		}
		if !found || keyLess(k, best) {
			best, bestV, found = k, cv, true
		}
	}
	return bestV, found
}

// trimOWS trims spaces and horizontal tabs, as textproto.TrimString does for
// the characters a header line can hold.
func trimOWS(s string) string {
	for s != "" && isOWS(s[0]) {
		s = s[1:]
	}
	for s != "" && isOWS(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

func isOWS(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
