package ratelimit

import (
	"math/bits"
	"net/http"
	"strconv"
	"time"
)

// Header field names.
const (
	HeaderPolicy     = "RateLimit-Policy"
	HeaderRateLimit  = "RateLimit"
	HeaderRetryAfter = "Retry-After"
)

// Canonical forms of the field names, as http.Header keys them.
var (
	keyPolicy     = http.CanonicalHeaderKey(HeaderPolicy)
	keyRateLimit  = http.CanonicalHeaderKey(HeaderRateLimit)
	keyRetryAfter = http.CanonicalHeaderKey(HeaderRetryAfter)
)

// SetHeaders sets on h the fields describing d under this limiter's policy,
// as draft-ietf-httpapi-ratelimit-headers defines them:
//
//	RateLimit-Policy: "<name>";q=<quota>;w=<window seconds>
//	RateLimit: "<name>";r=<remaining>;t=<seconds until the bucket is full>
//
// and, when d is a denial, Retry-After: d.RetryAfter in whole seconds,
// rounded up, at least 1. The quota is Rate per Period; a Period that is
// not a whole number of seconds is rounded up to one that is, and the
// quota scaled down to match (10 per 500ms is q=20;w=1). Existing values
// of these fields are replaced.
func (l *Limiter) SetHeaders(h http.Header, d Decision) {
	h[keyPolicy] = []string{l.policy}
	h[keyRateLimit] = []string{rateLimitField(l.name, d)}
	if !d.Allowed {
		h[keyRetryAfter] = []string{strconv.FormatInt(retryAfterSeconds(d.RetryAfter), 10)}
	}
}

// SetLegacyHeaders sets on h the X-RateLimit-Limit, X-RateLimit-Remaining
// and X-RateLimit-Reset fields that clients written before the IETF draft
// read: the bucket size, the remaining requests, and the seconds (rounded
// up) until the bucket is full again — a delay, not a Unix time.
func SetLegacyHeaders(h http.Header, d Decision) {
	h["X-Ratelimit-Limit"] = []string{strconv.Itoa(d.Limit)}
	h["X-Ratelimit-Remaining"] = []string{strconv.Itoa(d.Remaining)}
	h["X-Ratelimit-Reset"] = []string{strconv.FormatInt(ceilSeconds(d.ResetAfter), 10)}
}

// policyField renders the RateLimit-Policy value of a validated limit.
func policyField(name string, l Limit) string {
	q, w := quota(l)
	b := make([]byte, 0, len(name)+32)
	b = appendString(b, name)
	b = append(b, ";q="...)
	b = strconv.AppendUint(b, q, 10)
	b = append(b, ";w="...)
	b = strconv.AppendUint(b, w, 10)
	return string(b)
}

// quota expresses Rate per Period as q per w whole seconds: w is Period
// rounded up to a second (at least 1) and q = ⌊Rate × w / Period⌋.
func quota(l Limit) (q, w uint64) {
	period := uint64(l.Period)
	w = (period + uint64(time.Second) - 1) / uint64(time.Second)
	// Rate ≤ Period (validated), so Rate × w × 1e9 / Period < 2^64 and
	// Div64 cannot overflow.
	hi, lo := bits.Mul64(uint64(l.Rate), w*uint64(time.Second))
	q, _ = bits.Div64(hi, lo, period)
	return q, w
}

// rateLimitField renders the RateLimit value of d.
func rateLimitField(name string, d Decision) string {
	var buf [128]byte
	b := appendString(buf[:0], name)
	b = append(b, ";r="...)
	b = strconv.AppendInt(b, int64(max(d.Remaining, 0)), 10)
	b = append(b, ";t="...)
	b = strconv.AppendInt(b, ceilSeconds(d.ResetAfter), 10)
	return string(b)
}

// appendString appends s as an RFC 8941 sf-string: in double quotes, with
// '"' and '\' escaped. Bytes outside printable ASCII, which an sf-string
// cannot hold, become '?'. (Policy names are checked by WithName, so this
// only guards against misuse.)
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < ' ' || c > '~':
			b = append(b, '?')
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// ceilSeconds returns d in whole seconds, rounded up; 0 for d ≤ 0.
func ceilSeconds(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64((d-1)/time.Second) + 1
}

// retryAfterSeconds is the Retry-After of a denial: d rounded up to whole
// seconds, at least 1.
func retryAfterSeconds(d time.Duration) int64 {
	return max(ceilSeconds(d), 1)
}
