package redact

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// A Redactor finds and replaces sensitive values in text. Build one with New;
// it is immutable afterwards and safe for concurrent use. The zero Redactor
// (and a nil *Redactor) finds nothing and returns its input unchanged.
type Redactor struct {
	det  detectorSet
	keys *keyMatcher
	// clean remembers short keys, quoted in text or of attributes, found
	// not sensitive (nil: none are remembered).
	clean *cleanKeys
	// Scanner tables, built by buildTables for the enabled detectors.
	cls       [256]uint8     // byte class (k* constants)
	evt       [1 << 12]uint8 // events (ev* flags) for a window of 4 classes
	wordPairs [64]uint64     // two-byte word starts that may begin a detector
	hmacKey   []byte
	mask      func(kind, value string) string

	maxDepth     int
	maxLineBytes int

	counter  metric.Int64Counter
	kindOpts map[string]metric.AddOption
}

// scopeName is the OpenTelemetry instrumentation scope of the package.
const scopeName = "github.com/fnshield/fnshield/redact"

// New returns a Redactor. By default it redacts the values of sensitive keys
// and every value detector except Phone and IP, and replaces each finding
// with "[REDACTED:<kind>]".
func New(opts ...Option) *Redactor {
	c := newConfig(opts)
	r := &Redactor{
		det:          c.detectors,
		keys:         newKeyMatcher(c.keys),
		hmacKey:      c.hmacKey,
		mask:         c.mask,
		maxDepth:     c.maxDepth,
		maxLineBytes: c.maxLineBytes,
	}
	r.clean = newCleanKeys()
	r.buildTables()

	mp := c.meterProvider
	r.counter, _ = mp.Meter(scopeName).Int64Counter("fnshield.redact.matches",
		metric.WithDescription("Sensitive values replaced, by kind."),
		metric.WithUnit("{match}"))
	r.kindOpts = make(map[string]metric.AddOption)
	kinds := slices.Concat(detectorKinds[1:], []string{kindKey, "truncated"})
	for _, n := range r.keys.needles {
		kinds = append(kinds, n.kind)
	}
	for _, k := range kinds {
		if _, ok := r.kindOpts[k]; !ok {
			r.kindOpts[k] = kindOption(k)
		}
	}
	return r
}

func kindOption(kind string) metric.AddOption {
	return metric.WithAttributeSet(attribute.NewSet(attribute.String("kind", kind)))
}

// defaultRedactor is the Redactor used by the package-level functions,
// built on first use and never changed.
var defaultRedactor = sync.OnceValue(func() *Redactor { return New() })

// String redacts s with a Redactor built by New with no options.
func String(s string) string { return defaultRedactor().String(s) }

// Bytes redacts b with a Redactor built by New with no options.
func Bytes(b []byte) []byte { return defaultRedactor().Bytes(b) }

// minSweepLen is the shortest finding whose other occurrences in the same
// text are also replaced; shorter values (a one-character password) would
// wipe out ordinary text.
const minSweepLen = 8

// maxSweep bounds how many distinct values sweep looks for, keeping the
// cost linear in the input whatever it holds.
const maxSweep = 8

// sweep adds the other occurrences of the values found, so that a secret
// recognised once (after "password=", or by its shape) is not left in clear
// text elsewhere in the same text, even where its context would not give it
// away ("x4111111111111111", "login hunter2hunter2 failed"). Values shorter
// than minSweepLen, private key blocks, and values beyond the first maxSweep
// are not swept.
func sweep(s string, fs []finding) []finding {
	n0 := len(fs)
	// runs[k]:runs[k+1] are runs of findings in order and not overlapping:
	// the scanner's, then those each swept value adds; an overlap is
	// looked up by binary search in each, so that text repeating a value
	// thousands of times costs n log n, not n².
	var runsArr [maxSweep + 2]int
	runs := append(runsArr[:0], 0, n0)
	swept := 0
	for fi := 0; fi < n0 && swept < maxSweep; fi++ {
		f := fs[fi]
		v := s[f.start:f.end]
		if len(v) < minSweepLen || f.kind == kindPrivateKey {
			continue
		}
		swept++
		for off := 0; off < len(s); {
			k := strings.Index(s[off:], v)
			if k < 0 {
				break
			}
			st, en := off+k, off+k+len(v)
			if overlapsRuns(fs, runs, st, en) {
				off = st + 1
				continue
			}
			fs = append(fs, finding{start: st, end: en, kind: f.kind})
			off = en
		}
		runs = append(runs, len(fs))
	}
	if len(fs) > n0 {
		slices.SortFunc(fs, func(a, b finding) int { return a.start - b.start })
	}
	return fs
}

// overlapsRuns reports whether s[st:en] overlaps a finding in fs, whose
// runs fs[runs[k]:runs[k+1]], and fs[runs[len(runs)-1]:], are each in
// order and without overlaps.
func overlapsRuns(fs []finding, runs []int, st, en int) bool {
	if len(fs) <= 16 {
		// A typical line: a plain loop is cheaper than the searches.
		for _, f := range fs {
			if st < f.end && f.start < en {
				return true
			}
		}
		return false
	}
	for k := range runs {
		hi := len(fs)
		if k+1 < len(runs) {
			hi = runs[k+1]
		}
		run := fs[runs[k]:hi]
		// The first finding that ends after st is the only one that can
		// overlap: those after it start after its end.
		j, _ := slices.BinarySearchFunc(run, st, func(f finding, st int) int {
			if f.end <= st {
				return -1
			}
			return 1
		})
		if j < len(run) && run[j].start < en {
			return true
		}
	}
	return false
}

// String returns s with every sensitive value replaced. When nothing is
// found it returns s itself, without allocating.
func (r *Redactor) String(s string) string {
	if r == nil || len(s) == 0 {
		return s
	}
	sc := scanner{r: r, s: s}
	sc.run()
	if sc.count() == 0 {
		return s
	}
	out, _ := r.finish(nil, s, &sc, false)
	return unsafe.String(unsafe.SliceData(out), len(out))
}

// Bytes returns b with every sensitive value replaced, in a new slice. When
// nothing is found it returns b itself, without allocating.
func (r *Redactor) Bytes(b []byte) []byte {
	if r == nil || len(b) == 0 {
		return b
	}
	// s only lives during this call and b is not written meanwhile.
	s := unsafe.String(unsafe.SliceData(b), len(b))
	sc := scanner{r: r, s: s}
	sc.run()
	if sc.count() == 0 {
		return b
	}
	out, _ := r.finish(nil, s, &sc, true)
	return out
}

// maxPasses bounds the passes finish makes.
const maxPasses = 4

// finish appends to dst the redaction of s, given a scanner that has run
// over s and found something. A replacement can change the context of its
// neighbours (a marker is a word boundary where a digit was), so the result
// is scanned again until nothing more is found, which makes redaction
// idempotent: String(String(s)) == String(s). It reports whether a private
// key block ran to the end of s.
func (r *Redactor) finish(dst []byte, s string, sc *scanner, clone bool) ([]byte, bool) {
	openPEM := sc.openPEM
	out := r.appendRedacted(make([]byte, 0, len(s)+16*sc.count()), s, sweep(s, sc.findings()), clone)
	for range maxPasses - 1 {
		cur := unsafe.String(unsafe.SliceData(out), len(out))
		next := scanner{r: r, s: cur}
		next.run()
		if next.count() == 0 {
			break
		}
		out = r.appendRedacted(make([]byte, 0, len(out)+16*next.count()), cur, sweep(cur, next.findings()), false)
	}
	if dst == nil {
		return out, openPEM
	}
	return append(dst, out...), openPEM
}

// appendRedacted appends s to dst with the findings replaced, and counts
// them. clone asks for values handed to a mask function to be copied (s may
// alias a caller's []byte).
func (r *Redactor) appendRedacted(dst []byte, s string, fs []finding, clone bool) []byte {
	last := 0
	for _, f := range fs {
		dst = append(dst, s[last:f.start]...)
		v := s[f.start:f.end]
		if clone && r.mask != nil {
			v = strings.Clone(v)
		}
		dst = r.appendReplacement(dst, f.kind, v)
		last = f.end
		r.count(f.kind)
	}
	return append(dst, s[last:]...)
}

// appendReplacement appends the replacement for one finding.
func (r *Redactor) appendReplacement(dst []byte, kind, value string) []byte {
	switch {
	case r.mask != nil:
		return append(dst, r.mask(kind, value)...)
	case r.hmacKey != nil:
		mac := hmac.New(sha256.New, r.hmacKey)
		mac.Write([]byte(value))
		var sum [sha256.Size]byte
		dst = append(dst, kind...)
		dst = append(dst, ':')
		return hex.AppendEncode(dst, mac.Sum(sum[:0])[:4])
	default:
		dst = append(dst, "[REDACTED:"...)
		dst = append(dst, kind...)
		return append(dst, ']')
	}
}

// replacement returns the replacement for one finding as a string, and
// counts it.
func (r *Redactor) replacement(kind, value string) string {
	r.count(kind)
	var buf [64]byte
	return string(r.appendReplacement(buf[:0], kind, value))
}

func (r *Redactor) count(kind string) {
	if r.counter == nil {
		return
	}
	opt, ok := r.kindOpts[kind]
	if !ok {
		opt = kindOption(kind)
	}
	r.counter.Add(context.Background(), 1, opt)
}
