package ratelimit_test

import (
	"context"
	"errors"
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/fnshield/fnshield/ratelimit"
)

// fakeRequest is a ratelimit.Request over a header map and a source IP.
type fakeRequest struct {
	h  http.Header
	ip string
}

func (r fakeRequest) Context() context.Context    { return context.Background() }
func (r fakeRequest) Header(name string) string   { return r.h.Get(name) }
func (r fakeRequest) Values(name string) []string { return r.h.Values(name) }
func (r fakeRequest) SourceIP() string            { return r.ip }

func xff(lines ...string) http.Header {
	return http.Header{"X-Forwarded-For": lines}
}

func TestByIP(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8:ffff::/48")}
	tests := []struct {
		name    string
		trusted []netip.Prefix
		ip      string
		h       http.Header
		want    string // "" means ErrNoKey
	}{
		{"direct client", nil, "198.51.100.7", nil, "ip:198.51.100.7"},
		{"untrusted peer ignores XFF", proxies, "198.51.100.7", xff("203.0.113.1"), "ip:198.51.100.7"},
		{"no trusted proxies ignores XFF", nil, "10.1.2.3", xff("203.0.113.1"), "ip:10.1.2.3"},
		{"one trusted hop", proxies, "10.1.2.3", xff("203.0.113.1"), "ip:203.0.113.1"},
		{"spoofed left part never read", proxies, "10.1.2.3", xff("1.1.1.1, 203.0.113.1"), "ip:203.0.113.1"},
		{"chain of trusted proxies", proxies, "10.1.2.3", xff("1.1.1.1, 203.0.113.1, 10.9.9.9, 10.8.8.8"), "ip:203.0.113.1"},
		{"several header lines, right to left", proxies, "10.1.2.3", xff("1.1.1.1, 203.0.113.1", "10.9.9.9"), "ip:203.0.113.1"},
		{"all trusted: leftmost", proxies, "10.1.2.3", xff("10.5.5.5, 10.6.6.6"), "ip:10.5.5.5"},
		{"trusted peer, no header", proxies, "10.1.2.3", nil, "ip:10.1.2.3"},
		{"garbage stops at the last trusted hop", proxies, "10.1.2.3", xff("203.0.113.1, nonsense, 10.9.9.9"), "ip:10.9.9.9"},
		{"garbage at the right end", proxies, "10.1.2.3", xff("203.0.113.1, unknown"), "ip:10.1.2.3"},
		{"empty items skipped", proxies, "10.1.2.3", xff("203.0.113.1, , ,"), "ip:203.0.113.1"},
		{"port on IPv4", proxies, "10.1.2.3", xff("203.0.113.1:4711"), "ip:203.0.113.1"},
		{"bracketed IPv6 with port", proxies, "10.1.2.3", xff("[2001:db8:1:2:3:4:5:6]:443"), "ip:2001:db8:1:2::/64"},
		{"IPv6 bucketed to /64", nil, "2001:db8:1:2:aaaa:bbbb:cccc:dddd", nil, "ip:2001:db8:1:2::/64"},
		{"IPv6 zone dropped", nil, "fe80::1%eth0", nil, "ip:fe80::/64"},
		{"IPv4-mapped is IPv4", nil, "::ffff:192.0.2.1", nil, "ip:192.0.2.1"},
		{"trusted IPv6 proxy", proxies, "2001:db8:ffff::1", xff("2001:db8:aa:bb::1"), "ip:2001:db8:aa:bb::/64"},
		{"mapped proxy address is trusted", proxies, "::ffff:10.1.2.3", xff("203.0.113.1"), "ip:203.0.113.1"},
		{"ALB: empty source reads the right end", nil, "", xff("1.1.1.1, 203.0.113.1"), "ip:203.0.113.1"},
		{"ALB behind a trusted CDN", proxies, "", xff("203.0.113.1, 10.2.2.2"), "ip:203.0.113.1"},
		{"ALB: garbage only", nil, "", xff("unknown"), ""},
		{"no address at all", nil, "", nil, ""},
		{"unparseable source", proxies, "not-an-ip", xff("203.0.113.1"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := ratelimit.ByIP(tt.trusted...)(fakeRequest{h: tt.h, ip: tt.ip})
			if tt.want == "" {
				if !errors.Is(err, ratelimit.ErrNoKey) {
					t.Fatalf("key %q, error %v; want ErrNoKey", key, err)
				}
				return
			}
			if err != nil || key != tt.want {
				t.Fatalf("key %q, error %v; want %q", key, err, tt.want)
			}
		})
	}
}

func TestByIPMappedTrustedPrefix(t *testing.T) {
	kf := ratelimit.ByIP(netip.MustParsePrefix("::ffff:10.0.0.0/104"))
	key, err := kf(fakeRequest{ip: "10.3.3.3", h: xff("203.0.113.1")})
	if err != nil || key != "ip:203.0.113.1" {
		t.Fatalf("key %q, error %v; want the forwarded client", key, err)
	}
}

func TestByIPPanicsOnInvalidPrefix(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("ByIP accepted the zero prefix")
		}
	}()
	ratelimit.ByIP(netip.Prefix{})
}

func TestByHeader(t *testing.T) {
	kf := ratelimit.ByHeader("X-API-Key")
	a, err := kf(fakeRequest{h: http.Header{"X-Api-Key": {"key-one-secret"}}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(a, "h:") || len(a) != 34 || strings.Contains(a, "secret") {
		t.Fatalf("key %q: want h: and 32 hex digits, without the value", a)
	}
	again, _ := kf(fakeRequest{h: http.Header{"X-Api-Key": {"key-one-secret"}}})
	b, _ := kf(fakeRequest{h: http.Header{"X-Api-Key": {"key-two-secret"}}})
	if again != a || b == a {
		t.Fatalf("same value gave %q and %q; another value gave %q", a, again, b)
	}
	for _, h := range []http.Header{nil, {"X-Api-Key": {""}}} {
		if key, err := kf(fakeRequest{h: h}); !errors.Is(err, ratelimit.ErrNoKey) {
			t.Fatalf("missing header: key %q, error %v; want ErrNoKey", key, err)
		}
	}
}

func TestByHeaderPanicsOnEmptyName(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("ByHeader accepted an empty name")
		}
	}()
	ratelimit.ByHeader("")
}
