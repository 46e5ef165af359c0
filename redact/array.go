package redact

import "strings"

// ---- arrays under sensitive keys ----

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
