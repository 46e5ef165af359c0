package validate

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"sync"
	"unicode/utf8"

	"github.com/fnshield/fnshield/internal/jsonwalk"
)

// The screen is one pass over the raw bytes, before any decoding, that
// rejects what encoding/json would reject (syntax, truncation) and what it
// would let through but a validator must not (duplicate member names,
// invalid UTF-8, lone surrogate escapes, excessive nesting, number literals
// that make exact arithmetic expensive). It never recurses: open containers
// live on an explicit stack bounded by the depth limit.

// Limits on number literals, enforced by the screen (see ErrNumber).
const (
	maxNumberLen      = 256
	maxNumberExponent = 400
)

// smallObject is how many members an object holds before its duplicate
// check switches from a linear scan of hashes to a hash set.
const smallObject = 32

// plain marks the bytes that need no attention inside a string: printable
// ASCII except the quote and the backslash.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// keyRef is one member name of an open object: its quickHash (while the
// object is small), and where its unescaped bytes are (in the document, or in the scanner's arena when the
// name had escapes).
type keyRef struct {
	h       uint64
	off, n  int
	inArena bool
}

// openObject is one object being scanned.
type openObject struct {
	first  int  // index in scanner.keys of its first member name
	mapped bool // its names are also in scanner.index[level]
}

// scanner holds the scratch space of one screen pass. It is reused through
// scanners; it is not safe for concurrent use.
type scanner struct {
	seed    maphash.Seed
	doc     []byte // the document, during run only
	stack   []byte // open containers, '{' or '['
	objects []openObject
	keys    []keyRef
	arena   []byte
	index   []nameIndex // per open object level, once it has more than smallObject names
}

var scanners = sync.Pool{New: func() any { return &scanner{seed: maphash.MakeSeed()} }}

// screen checks d against the limits and returns nil or a *ScreenError.
func screen(d []byte, maxBytes int64, maxDepth int, allowDup bool) error {
	if int64(len(d)) > maxBytes {
		return &ScreenError{Err: ErrTooLarge, Offset: maxBytes}
	}
	sc := scanners.Get().(*scanner)
	off, err := sc.run(d, maxDepth, allowDup)
	sc.release()
	if err != nil {
		return &ScreenError{Err: err, Offset: int64(off)}
	}
	return nil
}

// release empties the scanner and returns it to the pool, unless a huge
// document made its buffers too large to keep.
func (sc *scanner) release() {
	if cap(sc.arena) > 64<<10 || cap(sc.keys) > 4096 || len(sc.index) > 64 {
		return
	}
	sc.doc = nil
	sc.stack, sc.objects, sc.keys, sc.arena = sc.stack[:0], sc.objects[:0], sc.keys[:0], sc.arena[:0]
	for i := range sc.index {
		sc.index[i].reset()
	}
	scanners.Put(sc)
}

// run scans one JSON text. It returns the offset of the first problem
// and its sentinel, or len(d) and nil.
func (sc *scanner) run(d []byte, maxDepth int, allowDup bool) (int, error) {
	var (
		n     = len(d)
		i     int
		start int
		esc   bool
		err   error
	)
	sc.doc = d
	sc.stack = sc.stack[:0]
	sc.objects = sc.objects[:0]
	sc.keys = sc.keys[:0]
	sc.arena = sc.arena[:0]

value:
	for i < n && isSpace(d[i]) {
		i++
	}
	if i >= n {
		return n, ErrSyntax
	}
	switch c := d[i]; c {
	case '{':
		if len(sc.stack) >= maxDepth {
			return i, ErrTooDeep
		}
		sc.stack = append(sc.stack, '{')
		sc.objects = append(sc.objects, openObject{first: len(sc.keys)})
		i++
		for i < n && isSpace(d[i]) {
			i++
		}
		if i < n && d[i] == '}' {
			i++
			sc.closeObject()
			goto next
		}
		goto key
	case '[':
		if len(sc.stack) >= maxDepth {
			return i, ErrTooDeep
		}
		sc.stack = append(sc.stack, '[')
		i++
		for i < n && isSpace(d[i]) {
			i++
		}
		if i < n && d[i] == ']' {
			i++
			sc.stack = sc.stack[:len(sc.stack)-1]
			goto next
		}
		goto value
	case '"':
		if i, _, err = scanString(d, i+1); err != nil {
			return i, err
		}
		goto next
	case 't':
		if !bytes.HasPrefix(d[i:], []byte("true")) {
			return i, ErrSyntax
		}
		i += 4
		goto next
	case 'f':
		if !bytes.HasPrefix(d[i:], []byte("false")) {
			return i, ErrSyntax
		}
		i += 5
		goto next
	case 'n':
		if !bytes.HasPrefix(d[i:], []byte("null")) {
			return i, ErrSyntax
		}
		i += 4
		goto next
	default:
		if c != '-' && (c < '0' || c > '9') {
			return i, ErrSyntax
		}
		if i, err = scanNumber(d, i); err != nil {
			return i, err
		}
		goto next
	}

key:
	for i < n && isSpace(d[i]) {
		i++
	}
	if i >= n || d[i] != '"' {
		return i, ErrSyntax
	}
	start = i
	if i, esc, err = scanString(d, i+1); err != nil {
		return i, err
	}
	if !allowDup && sc.duplicate(start+1, i-1, esc) {
		return start, ErrDuplicateKey
	}
	for i < n && isSpace(d[i]) {
		i++
	}
	if i >= n || d[i] != ':' {
		return i, ErrSyntax
	}
	i++
	goto value

next:
	if len(sc.stack) == 0 {
		for i < n && isSpace(d[i]) {
			i++
		}
		if i != n {
			return i, ErrSyntax
		}
		return n, nil
	}
	for i < n && isSpace(d[i]) {
		i++
	}
	if i >= n {
		return n, ErrSyntax
	}
	switch top := sc.stack[len(sc.stack)-1]; d[i] {
	case ',':
		i++
		if top == '{' {
			goto key
		}
		goto value
	case '}':
		if top != '{' {
			return i, ErrSyntax
		}
		i++
		sc.closeObject()
		goto next
	case ']':
		if top != '[' {
			return i, ErrSyntax
		}
		i++
		sc.stack = sc.stack[:len(sc.stack)-1]
		goto next
	}
	return i, ErrSyntax
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

// closeObject pops the innermost open object and forgets its names.
func (sc *scanner) closeObject() {
	o := sc.objects[len(sc.objects)-1]
	if o.mapped {
		sc.index[len(sc.objects)-1].reset()
	}
	sc.keys = sc.keys[:o.first]
	sc.objects = sc.objects[:len(sc.objects)-1]
	sc.stack = sc.stack[:len(sc.stack)-1]
}

// duplicate records doc[from:to], a member name of the innermost open
// object as it appears between its quotes, and reports whether the object
// already has a member of that name. Names are compared after unescaping.
func (sc *scanner) duplicate(from, to int, esc bool) bool {
	raw := sc.doc[from:to]
	ref := keyRef{off: from, n: len(raw)}
	name := raw
	if esc {
		off := len(sc.arena)
		sc.arena = appendUnescaped(sc.arena, raw)
		name = sc.arena[off:]
		ref = keyRef{off: off, n: len(name), inArena: true}
	}
	level := len(sc.objects) - 1
	o := &sc.objects[level]
	names := sc.keys[o.first:]
	if o.mapped {
		if !sc.index[level].add(sc, maphash.Bytes(sc.seed, name), name, len(sc.keys)) {
			return true
		}
		sc.keys = append(sc.keys, ref)
		return false
	}
	// A small object: compare with each name, filtered by a cheap
	// unseeded hash. Once the object is large enough for an attacker to
	// gain from hash collisions, its names move to a set keyed by a seeded
	// hash.
	ref.h = quickHash(name)
	for _, k := range names {
		if k.h == ref.h && bytes.Equal(sc.name(k), name) {
			return true
		}
	}
	if len(names) >= smallObject {
		sc.mapObject(level, o)
		sc.index[level].add(sc, maphash.Bytes(sc.seed, name), name, len(sc.keys))
	}
	sc.keys = append(sc.keys, ref)
	return false
}

// quickHash is a cheap hash of a name: exact for names up to 7 bytes,
// otherwise mixing the length and the first and last 8 bytes.
func quickHash(b []byte) uint64 {
	n := len(b)
	if n < 8 {
		var x uint64
		for _, c := range b {
			x = x<<8 | uint64(c)
		}
		return x | uint64(n)<<56
	}
	return binary.LittleEndian.Uint64(b) ^ binary.LittleEndian.Uint64(b[n-8:])*0x9E3779B97F4A7C15 ^ uint64(n)
}

func (sc *scanner) name(k keyRef) []byte {
	if k.inArena {
		return sc.arena[k.off : k.off+k.n]
	}
	return sc.doc[k.off : k.off+k.n]
}

// mapObject indexes the names of the object at level by hash.
func (sc *scanner) mapObject(level int, o *openObject) {
	for len(sc.index) <= level {
		sc.index = append(sc.index, nameIndex{})
	}
	x := &sc.index[level]
	for j := o.first; j < len(sc.keys); j++ {
		name := sc.name(sc.keys[j])
		x.add(sc, maphash.Bytes(sc.seed, name), name, j)
	}
	o.mapped = true
}

// nameIndex is an open-addressing hash set of the names of one large
// object, keyed by their seeded hash (which an attacker cannot steer into
// long probe sequences).
type nameIndex struct {
	slots []nameSlot // a power of two long; at most half full
	n     int
}

type nameSlot struct {
	h uint64
	k int // 1 + the name's index in scanner.keys; 0: empty
}

// add records the name keys[k] with hash h, unless the set has the same
// name already: then it reports false.
func (x *nameIndex) add(sc *scanner, h uint64, name []byte, k int) bool {
	if 2*(x.n+1) > len(x.slots) {
		x.grow(sc)
	}
	mask := uint64(len(x.slots) - 1)
	for p := h & mask; ; p = (p + 1) & mask {
		s := &x.slots[p]
		if s.k == 0 {
			*s = nameSlot{h: h, k: k + 1}
			x.n++
			return true
		}
		if s.h == h && bytes.Equal(sc.name(sc.keys[s.k-1]), name) {
			return false
		}
	}
}

// grow doubles the table (starting at 4*smallObject slots) and re-inserts
// the names.
func (x *nameIndex) grow(sc *scanner) {
	old := x.slots
	x.slots = make([]nameSlot, max(4*smallObject, 2*len(old)))
	x.n = 0
	mask := uint64(len(x.slots) - 1)
	for _, s := range old {
		if s.k == 0 {
			continue
		}
		p := s.h & mask
		for x.slots[p].k != 0 {
			p = (p + 1) & mask
		}
		x.slots[p] = s
		x.n++
	}
}

// reset empties the set, and drops a table grown large by one big object
// rather than clearing it for every object after it.
func (x *nameIndex) reset() {
	if len(x.slots) > 1024 {
		x.slots = nil
	} else {
		clear(x.slots)
	}
	x.n = 0
}

// scanString scans a string whose opening quote is at i-1. It returns the
// offset after the closing quote and whether the string has escapes.
func scanString(d []byte, i int) (int, bool, error) {
	n := len(d)
	esc := false
	for {
		// Eight bytes at a time while none needs attention, then byte by
		// byte up to the one that does.
		for i+8 <= n && special(binary.LittleEndian.Uint64(d[i:])) == 0 {
			i += 8
		}
		for i < n && plain[d[i]] {
			i++
		}
		if i >= n {
			return n, esc, ErrSyntax
		}
		switch c := d[i]; {
		case c == '"':
			return i + 1, esc, nil
		case c == '\\':
			esc = true
			if i+1 >= n {
				return n, esc, ErrSyntax
			}
			switch d[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				r, ok := hex4(d, i+2)
				if !ok {
					return i, esc, ErrSyntax
				}
				if r < 0xD800 || r > 0xDFFF {
					i += 6
					continue
				}
				if r >= 0xDC00 { // a low surrogate first
					return i, esc, ErrEncoding
				}
				if i+7 < n && d[i+6] == '\\' && d[i+7] == 'u' {
					r2, ok := hex4(d, i+8)
					if !ok {
						return i + 6, esc, ErrSyntax
					}
					if r2 >= 0xDC00 && r2 <= 0xDFFF {
						i += 12
						continue
					}
				}
				return i, esc, ErrEncoding
			default:
				return i, esc, ErrSyntax
			}
		case c < 0x20:
			return i, esc, ErrSyntax
		default: // c >= 0x80
			r, size := utf8.DecodeRune(d[i:])
			if r == utf8.RuneError && size == 1 {
				return i, esc, ErrEncoding
			}
			i += size
		}
	}
}

// special returns a non-zero value when one of the eight bytes in x is a
// control character, a quote, a backslash or not ASCII. (The has-zero-byte
// tricks may also flag a byte after a flagged one; never miss one.)
func special(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	q := x ^ (ones * '"')
	b := x ^ (ones * '\\')
	ctl := (x - ones*0x20) &^ x
	quo := (q - ones) &^ q
	bsl := (b - ones) &^ b
	return (ctl | quo | bsl | x) & highs
}

// hex4 decodes the four hex digits at d[i:i+4].
func hex4(d []byte, i int) (rune, bool) {
	if i+4 > len(d) {
		return 0, false
	}
	var r rune
	for _, c := range d[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// scanNumber scans a number starting at i and returns the offset after it:
// the JSON grammar (jsonwalk.ScanNumber), then the literal's length and
// exponent limits.
func scanNumber(d []byte, i int) (int, error) {
	end, expAt, ok := jsonwalk.ScanNumber(d, i)
	if !ok {
		return end, ErrSyntax
	}
	if end-i > maxNumberLen || expAt >= 0 && exponent(d[expAt:end]) > maxNumberExponent {
		return i, ErrNumber
	}
	return end, nil
}

// exponent returns the value of the exponent digits, or more than
// maxNumberExponent for any larger one (it stops counting there).
func exponent(digits []byte) int {
	exp := 0
	for _, c := range digits {
		if exp > maxNumberExponent {
			break
		}
		exp = exp*10 + int(c-'0')
	}
	return exp
}

// appendUnescaped appends the text of the string body raw (already
// checked by scanString) to dst.
func appendUnescaped(dst, raw []byte) []byte {
	for i := 0; i < len(raw); {
		c := raw[i]
		if c != '\\' {
			dst = append(dst, c)
			i++
			continue
		}
		switch raw[i+1] {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, _ := hex4(raw, i+2)
			if r >= 0xD800 && r < 0xDC00 {
				r2, _ := hex4(raw, i+8)
				r = 0x10000 + (r-0xD800)<<10 + (r2 - 0xDC00)
				i += 6
			}
			dst = utf8.AppendRune(dst, r)
			i += 6
			continue
		default: // '"', '\\', '/'
			dst = append(dst, raw[i+1])
		}
		i += 2
	}
	return dst
}
