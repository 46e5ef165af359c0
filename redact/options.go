package redact

import (
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
)

// An Option configures a Redactor, and through it a Handler or a Writer.
// Options are applied in order; later options override earlier ones.
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

const (
	defaultMaxDepth     = 8
	defaultMaxItems     = 256
	defaultMaxLineBytes = 64 << 10
	minMaxLineBytes     = 256
)

type config struct {
	keys          []string
	detectors     detectorSet
	hmacKey       []byte
	mask          func(kind, value string) string
	meterProvider metric.MeterProvider
	maxDepth      int
	maxLineBytes  int
}

func newConfig(opts []Option) config {
	c := config{
		detectors:    defaultDetectors,
		maxDepth:     defaultMaxDepth,
		maxLineBytes: defaultMaxLineBytes,
	}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	if c.meterProvider == nil {
		c.meterProvider = otel.GetMeterProvider()
	}
	return c
}

// WithKeys adds key names whose values are always redacted, in addition to
// the built-in ones (password, secret, token, authorization, cookie, api key,
// ...). Names are normalised like the built-in ones: case, '-', '_', '.' and
// spaces are ignored, and a key matches when its normalised form contains
// the normalised name, so WithKeys("internal-ref") also matches
// "X-Internal-Ref" and "internalRefID". Values found by an added key are
// replaced with the kind "key". Value detectors stay as they are.
func WithKeys(names ...string) Option {
	names = append([]string(nil), names...)
	return optionFunc(func(c *config) { c.keys = append(c.keys, names...) })
}

// WithDetectors enables value detectors in addition to those already on,
// for example WithDetectors(redact.Phone, redact.IP). By default every
// detector except Phone and IP is on.
func WithDetectors(ds ...Detector) Option {
	ds = append([]Detector(nil), ds...)
	return optionFunc(func(c *config) {
		for _, d := range ds {
			if d > 0 && int(d) < numDetectors {
				c.detectors |= 1 << d
			}
		}
	})
}

// WithoutDetectors disables value detectors. Key-based redaction is not a
// detector and stays on.
func WithoutDetectors(ds ...Detector) Option {
	ds = append([]Detector(nil), ds...)
	return optionFunc(func(c *config) {
		for _, d := range ds {
			if d > 0 && int(d) < numDetectors {
				c.detectors &^= 1 << d
			}
		}
	})
}

// WithHMAC replaces each finding with a stable pseudonym instead of a
// marker: "<kind>:<h>", where h is the first 8 hex digits of
// HMAC-SHA256(key, value). Equal values give equal pseudonyms under one key,
// so logs can still be correlated without revealing values. It replaces any
// earlier WithMask. By default findings become "[REDACTED:<kind>]". An empty
// key is ignored.
func WithHMAC(key []byte) Option {
	key = append([]byte(nil), key...)
	return optionFunc(func(c *config) {
		if len(key) == 0 {
			return
		}
		c.hmacKey = key
		c.mask = nil
	})
}

// WithMask replaces each finding with mask(kind, value), for example to keep
// the last four digits of a card. The function must be safe for concurrent
// use and must not retain value. It replaces any earlier WithHMAC. A nil
// function restores the default "[REDACTED:<kind>]" markers.
func WithMask(mask func(kind, value string) string) Option {
	return optionFunc(func(c *config) {
		c.mask = mask
		c.hmacKey = nil
	})
}

// WithMeterProvider sets the OpenTelemetry meter provider used for the
// fnshield.redact.matches counter. By default the global provider is used,
// which costs nothing until an SDK is installed.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return optionFunc(func(c *config) { c.meterProvider = mp })
}

// WithMaxDepth bounds how deep a Handler walks nested groups, maps, structs,
// slices and pointers (default 8). Anything deeper is replaced with
// "[REDACTED:truncated]", since it cannot be checked. Values below 1 are
// ignored.
func WithMaxDepth(n int) Option {
	return optionFunc(func(c *config) {
		if n >= 1 {
			c.maxDepth = n
		}
	})
}

// WithMaxLineBytes bounds how many bytes a Writer holds while waiting for the
// end of a line (default 64 KiB, minimum 256). A longer line is redacted and
// written in pieces; see Writer for what that means for a secret straddling
// a cut. Other users of Option ignore it.
func WithMaxLineBytes(n int) Option {
	return optionFunc(func(c *config) {
		c.maxLineBytes = max(n, minMaxLineBytes)
	})
}
