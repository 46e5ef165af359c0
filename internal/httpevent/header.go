package httpevent

import (
	"net/http"
	"slices"
	"strings"
)

// Header names in events are matched ASCII-case-insensitively. When one
// event map spells the same name in several casings (AWS merges them, so only
// hand-built events do this), the spellings are ranked so that every reader
// (Adapter.Header, Adapter.Cookie and the *http.Request view) agrees on which
// value comes first: the all-lowercase spelling, then the canonical one
// (http.CanonicalHeaderKey), then the others in byte order. Names that are not
// valid RFC 9110 tokens are ignored everywhere.

// maxProbe is the longest header name looked up through the allocation-free
// lowercase and canonical map probes; longer names fall back to a scan.
const maxProbe = 128

// nonEmpty reports whether a multi-value header entry carries a value;
// entries with no values are treated as absent.
func nonEmpty(v []string) bool { return len(v) > 0 }

// always accepts any single-value header entry, including an empty value.
func always(string) bool { return true }

// lookup returns the value of the highest-ranked key of m equal to name
// under ASCII case folding whose value passes usable. It does not allocate.
func lookup[V any](m map[string]V, name string, usable func(V) bool) (V, bool) {
	var zero V
	if len(m) == 0 {
		return zero, false
	}
	if len(name) <= maxProbe {
		var buf [maxProbe]byte
		lower, valid := lowerToken(&buf, name)
		if !valid {
			return zero, false
		}
		if v, ok := m[string(lower)]; ok && usable(v) {
			return v, true
		}
		canon := appendCanonical(buf[:0], name)
		if v, ok := m[string(canon)]; ok && usable(v) {
			return v, true
		}
	} else if !validToken(name) {
		return zero, false
	}
	best, found := "", false
	var bestV V
	for k, v := range m {
		if !foldEqual(k, name) || !usable(v) {
			continue
		}
		if !found || keyLess(k, best) {
			best, bestV, found = k, v, true
		}
	}
	return bestV, found
}

// lowerToken writes the ASCII lowercase form of name (at most maxProbe
// bytes) into buf and reports whether name is a token.
func lowerToken(buf *[maxProbe]byte, name string) ([]byte, bool) {
	if name == "" {
		return nil, false
	}
	b := buf[:len(name)]
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isTokenByte(c) {
			return nil, false
		}
		b[i] = lowerByte(c)
	}
	return b, true
}

// foldKeys returns the keys of m equal to ck under ASCII case folding whose
// values pass usable, in rank order.
func foldKeys[V any](m map[string]V, ck string, usable func(V) bool) []string {
	var keys []string
	for k, v := range m {
		if foldEqual(k, ck) && usable(v) {
			keys = append(keys, k)
		}
	}
	sortKeys(keys)
	return keys
}

// keyRank orders spellings of one header name: lowercase first, then
// canonical, then the rest.
func keyRank(k string) int {
	switch {
	case isLowerASCII(k):
		return 0
	case isCanonical(k):
		return 1
	}
	return 2
}

// keyLess reports whether spelling a ranks before spelling b.
func keyLess(a, b string) bool {
	ra, rb := keyRank(a), keyRank(b)
	if ra != rb {
		return ra < rb
	}
	return a < b
}

// headerSource is an event's headers as the event holds them: a
// single-value map, a multi-value map, or both (the multi-value entry wins
// per name), plus the fields some kinds hold apart from their maps.
type headerSource struct {
	single map[string]string
	multi  map[string][]string
	// cookies is the cookies field of HTTP API and Function URL events: the
	// first Cookie line, its entries joined with "; ".
	cookies []string
	// token is the authorizationToken of a TOKEN authorizer event, read as
	// the Authorization header when non-empty.
	token string
}

// lead returns the value a field outside the maps contributes ahead of the
// maps' values of name, if any.
func (hs headerSource) lead(name string) (string, bool) {
	switch {
	case len(hs.cookies) > 0 && foldEqual(name, "cookie"):
		if len(hs.cookies) == 1 {
			return hs.cookies[0], true
		}
		return strings.Join(hs.cookies, "; "), true
	case hs.token != "" && foldEqual(name, "authorization"):
		return hs.token, true
	}
	return "", false
}

// first returns the first value of name, or "".
func (hs headerSource) first(name string) string {
	if v, ok := hs.lead(name); ok {
		return v
	}
	return headerValue(hs.single, hs.multi, name)
}

// values returns every value of name in view order, or nil.
func (hs headerSource) values(name string) []string {
	rest := headerValues(hs.single, hs.multi, name)
	if v, ok := hs.lead(name); ok {
		return append([]string{v}, rest...)
	}
	return rest
}

// count returns len(values(name)) without building the values.
func (hs headerSource) count(name string) int {
	n := 0
	if len(hs.cookies) > 0 && foldEqual(name, "cookie") || hs.token != "" && foldEqual(name, "authorization") {
		n++
	}
	if !validToken(name) {
		return n
	}
	inMulti := false
	for k, v := range hs.multi {
		if len(v) > 0 && foldEqual(k, name) {
			n += len(v)
			inMulti = true
		}
	}
	if inMulti {
		return n
	}
	for k := range hs.single {
		if foldEqual(k, name) {
			n++
		}
	}
	return n
}

// cookie returns the first valid cookie called name: from the cookies field
// first, then from the Cookie header.
func (hs headerSource) cookie(name string) (string, bool) {
	if !validToken(name) {
		return "", false
	}
	if c, ok := cookieInLines(hs.cookies, name); ok {
		return c, true
	}
	return cookieFromHeaders(hs.single, hs.multi, name)
}

// build returns the canonical header of the view.
func (hs headerSource) build() http.Header {
	h := buildHeader(hs.single, hs.multi)
	if v, ok := hs.lead("Cookie"); ok {
		h["Cookie"] = append([]string{v}, h["Cookie"]...)
	}
	if v, ok := hs.lead("Authorization"); ok {
		h["Authorization"] = append([]string{v}, h["Authorization"]...)
	}
	return h
}

// buildHeader returns the canonical header of an event that has a
// single-value map, a multi-value map, or both (the multi-value map wins per
// name). Invalid names and multi-value entries without values are left out.
// The names one map spells in several casings get their spellings' values
// in rank order. It runs in time linear in the number of keys, plus sorting
// each such name's spellings.
func buildHeader(single map[string]string, multi map[string][]string) http.Header {
	h := make(http.Header, max(len(single), len(multi)))
	var multiDup, singleDup collisions
	for k, v := range multi {
		if !validToken(k) || len(v) == 0 {
			continue
		}
		ck := http.CanonicalHeaderKey(k)
		if _, ok := h[ck]; ok {
			multiDup.add(ck)
			continue
		}
		h[ck] = slices.Clip(slices.Clone(v))
	}
	// Names only in the single-value map go to h directly when the
	// multi-value map gave none, else to extra, so that a name found in h
	// always means the multi-value map has it.
	fromMulti := len(h) > 0
	dst, extra := h, http.Header(nil)
	var vals []string // one backing array for the single values
	for k, v := range single {
		if !validToken(k) {
			continue
		}
		ck := http.CanonicalHeaderKey(k)
		if fromMulti {
			if _, ok := h[ck]; ok {
				continue
			}
			if extra == nil {
				extra = make(http.Header)
			}
			dst = extra
		}
		if _, ok := dst[ck]; ok {
			singleDup.add(ck)
			continue
		}
		if vals == nil {
			vals = make([]string, 0, len(single))
		}
		vals = append(vals, v)
		dst[ck] = vals[len(vals)-1 : len(vals) : len(vals)]
	}
	for ck, v := range extra {
		h[ck] = v
	}
	if multiDup.names != nil {
		keys := gather(&multiDup, multi, nonEmpty)
		for i, ck := range multiDup.names {
			var vs []string
			for _, k := range keys[i] {
				vs = append(vs, multi[k]...)
			}
			h[ck] = vs
		}
	}
	if singleDup.names != nil {
		keys := gather(&singleDup, single, always)
		for i, ck := range singleDup.names {
			vs := make([]string, len(keys[i]))
			for j, k := range keys[i] {
				vs[j] = single[k]
			}
			h[ck] = vs
		}
	}
	return h
}

// collisions collects the canonical names that several keys of one map
// spell. The zero value is empty and ready to use.
type collisions struct {
	index map[string]int // canonical name → its position in names
	names []string
}

func (c *collisions) add(ck string) {
	if c.index == nil {
		c.index = make(map[string]int)
	}
	if _, ok := c.index[ck]; !ok {
		c.index[ck] = len(c.names)
		c.names = append(c.names, ck)
	}
}

// gather returns, for each of c's names, the keys of m that spell it and
// whose values pass usable, in rank order, in one pass over m.
func gather[V any](c *collisions, m map[string]V, usable func(V) bool) [][]string {
	keys := make([][]string, len(c.names))
	var buf [maxProbe]byte
	for k, v := range m {
		if !validToken(k) || !usable(v) {
			continue
		}
		var i int
		var ok bool
		if len(k) <= maxProbe {
			i, ok = c.index[string(appendCanonical(buf[:0], k))]
		} else {
			i, ok = c.index[http.CanonicalHeaderKey(k)]
		}
		if ok {
			keys[i] = append(keys[i], k)
		}
	}
	for _, ks := range keys {
		sortKeys(ks)
	}
	return keys
}

// sortKeys sorts spellings of one name in rank order, ranking each once.
func sortKeys(keys []string) {
	type ranked struct {
		rank int
		key  string
	}
	rs := make([]ranked, len(keys))
	for i, k := range keys {
		rs[i] = ranked{keyRank(k), k}
	}
	slices.SortFunc(rs, func(a, b ranked) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		return strings.Compare(a.key, b.key)
	})
	for i, r := range rs {
		keys[i] = r.key
	}
}

// headerValue returns the first value of name from an event with a
// single-value map, a multi-value map, or both (multi-value wins).
func headerValue(single map[string]string, multi map[string][]string, name string) string {
	if v, ok := lookup(multi, name, nonEmpty); ok {
		return v[0]
	}
	v, _ := lookup(single, name, always)
	return v
}

// headerValues returns every value of name from an event with a
// single-value map, a multi-value map, or both (multi-value wins), in the
// order buildHeader gives them. It returns the event's own slice for a name
// spelled once in the multi-value map.
func headerValues(single map[string]string, multi map[string][]string, name string) []string {
	if !validToken(name) {
		return nil
	}
	if best, all := spellings(multi, name, nonEmpty); all != nil {
		var vals []string
		for _, k := range all {
			vals = append(vals, multi[k]...)
		}
		return vals
	} else if best != "" {
		return multi[best]
	}
	best, all := spellings(single, name, always)
	if all != nil {
		vals := make([]string, len(all))
		for i, k := range all {
			vals[i] = single[k]
		}
		return vals
	}
	if best != "" {
		return []string{single[best]}
	}
	return nil
}

// spellings returns the keys of m equal to the token name under ASCII case
// folding whose values pass usable: the only one as best (all nil), or, when
// there are several, all of them in rank order. best is "" when there is
// none. It allocates only when there are several.
func spellings[V any](m map[string]V, name string, usable func(V) bool) (best string, all []string) {
	n := 0
	for k, v := range m {
		if foldEqual(k, name) && usable(v) {
			best = k
			n++
		}
	}
	if n < 2 {
		return best, nil
	}
	return "", foldKeys(m, name, usable)
}

// validToken reports whether s is a non-empty RFC 9110 token, the syntax of
// header and cookie names.
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTokenByte(s[i]) {
			return false
		}
	}
	return true
}

// tokenLo and tokenHi have bit c (and c-64) set for each byte c that RFC
// 9110 allows in a token: "!#$%&'*+-.^_`|~", digits and letters.
// TestTokenMask checks them against that definition.
const (
	tokenLo uint64 = 0x03ff6cfa00000000
	tokenHi uint64 = 0x57ffffffc7fffffe
)

func isTokenByte(c byte) bool {
	switch {
	case c < 64:
		return tokenLo>>c&1 != 0
	case c < 128:
		return tokenHi>>(c-64)&1 != 0
	}
	return false
}

// foldEqual reports whether a and b are equal under ASCII case folding.
// Unlike strings.EqualFold it never folds non-ASCII runes onto ASCII ones.
func foldEqual(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerByte(a[i]) != lowerByte(b[i]) {
			return false
		}
	}
	return true
}

func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func upperByte(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		dst = append(dst, lowerByte(s[i]))
	}
	return dst
}

// appendCanonical appends the http.CanonicalHeaderKey form of the token s.
func appendCanonical(dst []byte, s string) []byte {
	upper := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if upper {
			c = upperByte(c)
		} else {
			c = lowerByte(c)
		}
		dst = append(dst, c)
		upper = c == '-'
	}
	return dst
}

func isLowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return false
		}
	}
	return true
}

func isCanonical(s string) bool {
	upper := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if upper && 'a' <= c && c <= 'z' || !upper && 'A' <= c && c <= 'Z' {
			return false
		}
		upper = c == '-'
	}
	return true
}
