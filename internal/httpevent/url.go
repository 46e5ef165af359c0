package httpevent

import (
	"maps"
	"net/url"
	"slices"
	"strings"
)

// setURL sets the path and query of u, the URL of a request view, from an
// event path and an encoded raw query.
func setURL(u *url.URL, path, rawQuery string) {
	u.Path, u.RawPath = splitPath(path)
	u.RawQuery = rawQuery
}

// splitPath returns the decoded path and, where it differs from the encoding
// url.URL.EscapedPath would choose, the encoded one (else "") of an event
// path.
//
// AWS delivers the path percent-encoded for REST APIs, ALB and Function URLs
// and already decoded for HTTP APIs, and an event does not say which. The
// path is therefore read as an encoded path after percent-encoding the bytes
// that cannot appear literally in one (space, controls, non-ASCII, '?', '#',
// and a '%' not followed by two hex digits): encoded paths pass through
// unchanged and decoded ones become valid, with one ambiguity left: a decoded
// path that literally contains "%XX" is decoded once more. A path that does
// not start with '/' gets one.
func splitPath(path string) (decoded, raw string) {
	raw = escapeInvalid(path, pathByte)
	if !strings.HasPrefix(raw, "/") {
		raw = "/" + raw
	}
	decoded, err := url.PathUnescape(raw)
	if err != nil {
		// Unreachable: escapeInvalid leaves only valid escapes.
		decoded = raw
	}
	// RawPath keeps the client's encoding where it differs from the one
	// url.URL.EscapedPath would choose.
	if decoded != raw || strings.ContainsAny(raw, "!'()*") {
		return decoded, raw
	}
	return decoded, ""
}

// queryForm says how an event holds its query.
type queryForm uint8

const (
	// queryNone: the event has no query (TOKEN authorizer).
	queryNone queryForm = iota
	// queryRaw: the raw query string as sent (HTTP API, Function URL).
	queryRaw
	// queryDecoded: parameter maps holding decoded keys and values (REST).
	queryDecoded
	// queryEncoded: parameter maps holding keys and values still
	// percent-encoded as the client sent them (ALB).
	queryEncoded
)

// querySource is an event's query in the form the event holds it. Encoding
// it is left to encode, so that readers that do not need the query do not
// pay for it.
type querySource struct {
	form   queryForm
	raw    string
	single map[string]string
	multi  map[string][]string
}

// encode returns the raw query of the request view.
func (q querySource) encode() string {
	switch q.form {
	case queryRaw:
		return escapeBytes(q.raw, queryByte)
	case queryDecoded:
		return decodedQuery(q.single, q.multi)
	case queryEncoded:
		return encodedQuery(q.single, q.multi)
	}
	return ""
}

// pathByte reports whether c may appear literally in an encoded path
// (RFC 3986 pchar or '/').
func pathByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$&'()*+,;=:@/", c) >= 0
}

// queryByte reports whether c may appear literally in a raw query, as
// net/http's server keeps it: every byte but controls, space and DEL, so
// '%' (even one that starts no valid escape), '#', '[', '|' and non-ASCII
// bytes are all kept.
func queryByte(c byte) bool { return c > ' ' && c != 0x7f }

// albKeyByte and albValueByte report whether c may appear literally in a
// query key or value built from ALB's still-encoded parameters: query bytes
// minus the separators that would split a key or value ('&', and '=' in a
// key).
func albKeyByte(c byte) bool   { return queryByte(c) && c != '&' && c != '=' }
func albValueByte(c byte) bool { return queryByte(c) && c != '&' }

// escapeInvalid percent-encodes each byte of s for which ok is false, and
// every '%' that does not start a valid escape. Valid escapes are kept, so
// already encoded input is returned unchanged, without allocating.
func escapeInvalid(s string, ok func(byte) bool) string {
	keep := func(i int) bool {
		if s[i] == '%' {
			return i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])
		}
		return ok(s[i])
	}
	i := 0
	for i < len(s) && keep(i) {
		i++
	}
	if i == len(s) {
		return s
	}
	return escapeFrom(s, i, keep)
}

// escapeBytes percent-encodes each byte of s for which ok is false; every
// other byte, '%' included when ok allows it, is kept. It returns s without
// allocating when nothing is encoded.
func escapeBytes(s string, ok func(byte) bool) string {
	i := 0
	for i < len(s) && ok(s[i]) {
		i++
	}
	if i == len(s) {
		return s
	}
	return escapeFrom(s, i, func(i int) bool { return ok(s[i]) })
}

// escapeFrom returns s with each byte s[j], j >= i, for which keep(j) is
// false percent-encoded; s[i] is the first such byte.
func escapeFrom(s string, i int, keep func(i int) bool) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		if keep(i) {
			b.WriteByte(s[i])
			continue
		}
		const hex = "0123456789ABCDEF"
		b.WriteByte('%')
		b.WriteByte(hex[s[i]>>4])
		b.WriteByte(hex[s[i]&15])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// decodedQuery returns the raw query for API Gateway REST parameters, which
// AWS delivers decoded: keys sorted, keys and values escaped with
// url.QueryEscape. The multi-value map is used when it has entries.
func decodedQuery(single map[string]string, multi map[string][]string) string {
	if len(multi) > 0 {
		return url.Values(multi).Encode()
	}
	if len(single) == 0 {
		return ""
	}
	var b strings.Builder
	for i, k := range slices.Sorted(maps.Keys(single)) {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(k))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(single[k]))
	}
	return b.String()
}

// encodedQuery returns the raw query for ALB parameters, which ALB delivers
// still percent-encoded as the client sent them: keys sorted (the client's
// order is lost), each key and value kept as sent, as net/http's server
// keeps a raw query, except for controls and spaces and the separators that
// would add a pair ('&', and '=' in a key), which are encoded. The
// multi-value map is used when it has entries.
func encodedQuery(single map[string]string, multi map[string][]string) string {
	var b strings.Builder
	pair := func(k, v string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(escapeBytes(k, albKeyByte))
		b.WriteByte('=')
		b.WriteString(escapeBytes(v, albValueByte))
	}
	if len(multi) > 0 {
		for _, k := range slices.Sorted(maps.Keys(multi)) {
			for _, v := range multi[k] {
				pair(k, v)
			}
		}
		return b.String()
	}
	for _, k := range slices.Sorted(maps.Keys(single)) {
		pair(k, single[k])
	}
	return b.String()
}
