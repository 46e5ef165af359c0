package redact

import "strings"

// ---- XML elements ----

// xmlAttr returns where the value of attribute name starts and ends in
// the tag text s[from:to], or 0, 0.
func xmlAttr(s string, from, to int, name string) (int, int) {
	t := s[from:to]
	for k := 0; k < len(t); {
		j := strings.Index(t[k:], name)
		if j < 0 {
			return 0, 0
		}
		j += k
		e := j + len(name)
		if j > 0 && (t[j-1] == ' ' || t[j-1] == '\t') && e+1 < len(t) && t[e] == '=' && (t[e+1] == '"' || t[e+1] == '\'') {
			q := strings.IndexByte(t[e+2:], t[e+1])
			if q < 0 {
				return 0, 0
			}
			return from + e + 2, from + e + 2 + q
		}
		k = e
	}
	return 0, 0
}

// xmlHasAttr reports whether the tag text s[from:to] has attribute name.
func xmlHasAttr(s string, from, to int, name string) bool {
	vs, ve := xmlAttr(s, from, to, name)
	return vs > 0 || ve > 0
}

// maxXMLValue bounds how far xmlElement looks for the closing tag.
const maxXMLValue = 4096

// xmlElement handles an XML element whose start tag ends with the '>' at
// i: <password>x</password>, <ns:ApiKey type="t">x</ns:ApiKey>. When its
// name is sensitive, the text up to the matching end tag is replaced.
func (sc *scanner) xmlElement(i int) int {
	s := sc.s
	km := sc.r.keys
	if km == nil || i == 0 {
		return -1
	}
	lt := i - 1
	for lt >= sc.lo && i-lt < 256 && s[lt] != '<' && s[lt] != '>' && s[lt] != '\n' {
		lt--
	}
	if lt < sc.lo || s[lt] != '<' {
		return -1
	}
	ne := lt + 1
	for ne < i && s[ne] != ' ' && s[ne] != '\t' && s[ne] != '/' {
		ne++
	}
	name := s[lt+1 : ne]
	if name == "" || !isAlnum(name[0]) {
		return -1
	}
	kind, ok := km.match(name)
	byAttr := false
	if !ok {
		// <property name="password">x</property>, <add key="ApiKey" value="x"/>
		for _, a := range [...]string{"name", "key"} {
			if as, ae := xmlAttr(s, ne, i, a); ae > as {
				if kind, ok = km.match(s[as:ae]); ok {
					byAttr = true
					break
				}
			}
		}
		if !ok {
			return -1
		}
	}
	if s[i-1] == '/' || byAttr && xmlHasAttr(s, ne, i, "value") {
		// <add key="ApiKey" value="x"/>, <input name="password" value="x">,
		// <password value="x"/>; <password/> has no text.
		vs, ve := xmlAttr(s, ne, i, "value")
		if ve <= vs || markerLen(s[vs:ve]) == ve-vs || (sc.r.hmacKey != nil && isPseudonym(s[vs:ve])) {
			return -1
		}
		sc.add(vs, ve, kind)
		return i + 1
	}
	vs := i + 1
	var ve int
	if strings.HasPrefix(s[vs:], "<![CDATA[") {
		e := strings.Index(s[vs:min(len(s), vs+maxXMLValue)], "]]>")
		if e < 0 {
			return -1
		}
		vs, ve = vs+9, vs+e // the text inside the CDATA section
		if !strings.HasPrefix(s[ve+3:], "</") {
			return -1
		}
		ve3 := ve + 3
		if !strings.HasPrefix(s[ve3+2:], name) {
			return -1
		}
		if vs == ve || markerLen(s[vs:ve]) == ve-vs {
			return ve3
		}
		sc.add(vs, ve, kind)
		return ve3
	}
	e := strings.IndexByte(s[vs:min(len(s), vs+maxXMLValue)], '<')
	if e <= 0 {
		return -1
	}
	ve = vs + e
	if !strings.HasPrefix(s[ve:], "</") || !strings.HasPrefix(s[ve+2:], name) {
		return -1
	}
	val := s[vs:ve]
	if strings.TrimSpace(val) == "" || markerLen(val) == len(val) || (sc.r.hmacKey != nil && isPseudonym(val)) {
		return ve
	}
	sc.add(vs, ve, kind)
	return ve
}
