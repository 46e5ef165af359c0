package ratelimit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"
)

// Request is what a [KeyFunc] may read of an incoming request. The
// transports pass a view that reads net/http requests and Lambda events
// alike; tests may implement it directly.
type Request interface {
	Context() context.Context
	// Header returns the first value of the named header, "" if absent.
	// Names are case-insensitive.
	Header(name string) string
	// Values returns every value of the named header, in order. The slice
	// must not be modified.
	Values(name string) []string
	// SourceIP returns the address of the immediate peer (the host part of
	// RemoteAddr on net/http, the source IP AWS recorded for API Gateway
	// and Function URLs), or "" when unknown (an ALB event).
	SourceIP() string
}

// KeyFunc returns the rate-limit key of a request: requests with the same
// key share a bucket. It returns an error wrapping [ErrNoKey] when the
// request carries no key. Keys should be short: the store keeps them.
type KeyFunc func(r Request) (string, error)

// ByIP returns a KeyFunc keying requests by client IP address:
// "ip:<address>" for IPv4 and "ip:<prefix>/64" for IPv6, since one IPv6
// subscriber usually holds a whole /64 and could otherwise rotate
// addresses to escape the limit. IPv4-mapped IPv6 addresses count as IPv4;
// zones are dropped.
//
// The client is the request's source IP, unless that address is inside
// one of the trusted prefixes (your load balancers or proxies): then
// X-Forwarded-For is read from right to left — every value of the header,
// each a comma-separated list — skipping addresses inside the trusted
// prefixes, and the first address outside them is the client. The
// header's left part, which the client writes, is thus never believed. An
// entry that is not an IP address (optionally with a port) stops the walk:
// the key is then the last trusted address read, so that garbage is
// charged to the proxy that forwarded it. When every address is trusted,
// the leftmost one is the key.
//
// An ALB event carries no source IP; the load balancer appends the
// client's address to X-Forwarded-For, so an empty source IP is treated as
// a trusted hop and the walk starts at the header's right end. With no
// trusted prefixes, only that rightmost entry is read.
//
// A request with neither a parseable source IP nor a usable
// X-Forwarded-For entry has no key ([ErrNoKey]).
//
// ByIP panics if a prefix is invalid (the zero netip.Prefix, for one): a
// programming error, caught when the key function is built.
func ByIP(trusted ...netip.Prefix) KeyFunc {
	prefixes := make([]netip.Prefix, len(trusted))
	for i, p := range trusted {
		if !p.IsValid() {
			panic(fmt.Sprintf("ratelimit: ByIP: trusted prefix %d is invalid", i))
		}
		// Compare unmapped addresses against masked prefixes.
		if p.Addr().Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		prefixes[i] = p.Masked()
	}
	return func(r Request) (string, error) {
		addr, ok := clientIP(r.SourceIP(), r.Values("X-Forwarded-For"), prefixes)
		if !ok {
			return "", fmt.Errorf("%w: no client IP address", ErrNoKey)
		}
		return ipKey(addr), nil
	}
}

// clientIP finds the client address as ByIP describes.
func clientIP(source string, xff []string, trusted []netip.Prefix) (netip.Addr, bool) {
	var last netip.Addr // the last trusted address read
	if source != "" {
		a, ok := parseHop(source)
		if !ok {
			return netip.Addr{}, false
		}
		if !isTrusted(a, trusted) {
			return a, true
		}
		last = a
	}
	for i := len(xff) - 1; i >= 0; i-- {
		line := xff[i]
		for len(line) > 0 {
			var item string
			if c := strings.LastIndexByte(line, ','); c >= 0 {
				item, line = line[c+1:], line[:c]
			} else {
				item, line = line, ""
			}
			item = strings.TrimSpace(item)
			if item == "" {
				continue // "a, , b" or a trailing comma: no hop
			}
			a, ok := parseHop(item)
			if !ok {
				return last, last.IsValid()
			}
			if !isTrusted(a, trusted) {
				return a, true
			}
			last = a
		}
	}
	return last, last.IsValid()
}

// parseHop parses one address as proxies write them: "1.2.3.4",
// "2001:db8::1", "1.2.3.4:5678" or "[2001:db8::1]:5678". Zones are dropped
// and IPv4-mapped addresses unmapped.
func parseHop(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, err := netip.ParseAddrPort(s)
		if err != nil {
			return netip.Addr{}, false
		}
		a = ap.Addr()
	}
	return a.WithZone("").Unmap(), true
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ipKey renders the key of a client address.
func ipKey(a netip.Addr) string {
	if a.Is4() {
		return "ip:" + a.String()
	}
	p, _ := a.Prefix(64) // cannot fail for a valid IPv6 address
	return "ip:" + p.String()
}

// ByHeader returns a KeyFunc keying requests by the first value of the
// named header, such as an API key: "h:" followed by the first 16 bytes of
// the value's SHA-256 in hex. The value itself never reaches the store, a
// log or a metric. A request without the header, or with an empty value,
// has no key ([ErrNoKey]).
//
// The hash is unkeyed so that every instance sharing a store computes the
// same key; for low-entropy values (user names) anyone able to read the
// store could confirm a guess.
//
// ByHeader panics if name is empty.
func ByHeader(name string) KeyFunc {
	if name == "" {
		panic("ratelimit: ByHeader: empty header name")
	}
	return func(r Request) (string, error) {
		v := r.Header(name)
		if v == "" {
			return "", fmt.Errorf("%w: header missing", ErrNoKey)
		}
		sum := sha256.Sum256([]byte(v))
		var b [2 + 32]byte
		copy(b[:], "h:")
		hex.Encode(b[2:], sum[:16])
		return string(b[:]), nil
	}
}
