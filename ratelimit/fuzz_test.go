package ratelimit

import (
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"
)

// referenceClientIP is the plain reading of ByIP's rule, splitting every
// line up front: the oracle FuzzClientIP compares clientIP with.
func referenceClientIP(source string, xff []string, trusted []netip.Prefix) (netip.Addr, bool) {
	var hops []string
	for _, line := range xff {
		for _, item := range strings.Split(line, ",") {
			if item = strings.TrimSpace(item); item != "" {
				hops = append(hops, item)
			}
		}
	}
	var last netip.Addr
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
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHop(hops[i])
		if !ok {
			break
		}
		if !isTrusted(a, trusted) {
			return a, true
		}
		last = a
	}
	return last, last.IsValid()
}

func FuzzClientIP(f *testing.F) {
	seeds := []struct{ source, line1, line2 string }{
		{"10.1.2.3", "203.0.113.1", ""},
		{"10.1.2.3", "1.1.1.1, 203.0.113.1, 10.9.9.9", "10.8.8.8"},
		{"", "203.0.113.1, 10.2.2.2", ""},
		{"10.1.2.3", "203.0.113.1, garbage, 10.9.9.9", ""},
		{"2001:db8:ffff::1", "[2001:db8::1]:443, ::ffff:10.0.0.1", ""},
		{"fe80::1%eth0", ",,, ,", "1.2.3.4:80"},
		{"::ffff:10.1.2.3", "10.0.0.1,10.0.0.2,10.0.0.3", "unknown"},
	}
	for _, s := range seeds {
		f.Add(s.source, s.line1, s.line2)
	}
	trusted := []netip.Prefix{
		netip.MustParsePrefix("10.0.0.0/8"),
		netip.MustParsePrefix("2001:db8:ffff::/48"),
		netip.MustParsePrefix("127.0.0.1/32"),
	}
	f.Fuzz(func(t *testing.T, source, line1, line2 string) {
		xff := []string{line1, line2}
		got, gotOK := clientIP(source, xff, trusted)
		want, wantOK := referenceClientIP(source, xff, trusted)
		if got != want || gotOK != wantOK {
			t.Fatalf("clientIP(%q, %q) = %v %v, reference %v %v", source, xff, got, gotOK, want, wantOK)
		}
		if !gotOK {
			return
		}
		if got.Zone() != "" || got.Is4In6() {
			t.Fatalf("clientIP returned %v: zones and mapped forms must be normalised", got)
		}
		key := ipKey(got)
		if len(key) > 60 || strings.ContainsAny(key, " ,\r\n") {
			t.Fatalf("key %q too long or not clean", key)
		}
		// The key is the client's own address (IPv4) or its /64.
		p, err := netip.ParsePrefix(strings.TrimPrefix(key, "ip:") + map[bool]string{true: "/32", false: ""}[got.Is4()])
		if err != nil || !p.Contains(got) {
			t.Fatalf("key %q does not cover %v (%v)", key, got, err)
		}
	})
}

// parseSFString reads an RFC 8941 sf-string at the start of s and returns
// its value and the rest of s.
func parseSFString(t *testing.T, s string) (string, string) {
	t.Helper()
	if !strings.HasPrefix(s, `"`) {
		t.Fatalf("%q does not start with a string", s)
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			i++
			if i == len(s) || (s[i] != '"' && s[i] != '\\') {
				t.Fatalf("%q: bad escape", s)
			}
			b.WriteByte(s[i])
		case c == '"':
			return b.String(), s[i+1:]
		case c < ' ' || c > '~':
			t.Fatalf("%q: byte %#x in a string", s, c)
		default:
			b.WriteByte(c)
		}
	}
	t.Fatalf("%q: unterminated string", s)
	return "", ""
}

// parseParams reads ";k=<integer>" parameters in order.
func parseParams(t *testing.T, s string, keys ...string) []int64 {
	t.Helper()
	var out []int64
	for _, k := range keys {
		prefix := ";" + k + "="
		if !strings.HasPrefix(s, prefix) {
			t.Fatalf("%q: want parameter %s", s, k)
		}
		s = s[len(prefix):]
		end := strings.IndexByte(s, ';')
		if end < 0 {
			end = len(s)
		}
		v, err := strconv.ParseInt(s[:end], 10, 64)
		if err != nil || v < 0 || end > 15 {
			t.Fatalf("%q: parameter %s is not an sf-integer", s, k)
		}
		out = append(out, v)
		s = s[end:]
	}
	if s != "" {
		t.Fatalf("trailing %q", s)
	}
	return out
}

func FuzzHeaderFields(f *testing.F) {
	f.Add("default", 100, int64(time.Minute), 20, 7, int64(1500*time.Millisecond))
	f.Add(`a"b\c`, 3, int64(1500*time.Millisecond), 0, 0, int64(0))
	f.Add("x\x00\xff", 1, int64(1), 1, -1, int64(-5))
	f.Fuzz(func(t *testing.T, name string, rate int, period int64, burst, remaining int, reset int64) {
		lim := Limit{Rate: rate, Period: time.Duration(period), Burst: burst}
		if _, err := lim.gcra(); err != nil {
			return
		}
		pol := policyField(name, lim)
		gotName, rest := parseSFString(t, pol)
		qw := parseParams(t, rest, "q", "w")
		rl := rateLimitField(name, Decision{Remaining: remaining, ResetAfter: time.Duration(reset)})
		rlName, rest := parseSFString(t, rl)
		rt := parseParams(t, rest, "r", "t")
		if gotName != rlName {
			t.Fatalf("names differ: %q and %q", gotName, rlName)
		}
		if validName(name) && gotName != name {
			t.Fatalf("name %q rendered as %q", name, gotName)
		}
		// q per w seconds never exceeds the configured rate, and is within
		// one event of it.
		q, w := qw[0], qw[1]
		if w < 1 || time.Duration(w)*time.Second < lim.Period || time.Duration(w-1)*time.Second >= lim.Period {
			t.Fatalf("w=%d for period %v", w, lim.Period)
		}
		exact := float64(rate) * float64(w) * 1e9 / float64(period)
		if float64(q) > exact*(1+1e-12) || float64(q+1) < exact*(1-1e-12) {
			t.Fatalf("q=%d, exact quota %v", q, exact)
		}
		if rt[0] != int64(max(remaining, 0)) || rt[1] != ceilSeconds(time.Duration(reset)) {
			t.Fatalf("r=%d t=%d for remaining %d reset %v", rt[0], rt[1], remaining, time.Duration(reset))
		}
	})
}
