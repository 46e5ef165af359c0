package secrets

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"sync"
)

// redacted is what every formatting and encoding path of a Value produces.
const redacted = "[REDACTED]"

// A Value holds a secret's plaintext and keeps it out of logs, traces and
// encoded output by accident: String, GoString, Format (every verb,
// including %v, %+v, %#v, %s, %q, %x, %X and %d), LogValue, MarshalJSON,
// MarshalText, AppendText, MarshalBinary and GobEncode all produce
// [REDACTED]. [Value.Reveal] and [Value.Bytes] are the only ways to the
// plaintext.
//
// A Value returned by [Cache.Get] is a view of the cache's copy of the
// secret, so Get does not allocate. The cache zeroes that copy (best effort)
// when the entry is evicted or invalidated, and one generation after it is
// replaced by a newer value (see [Cache]). From then on Reveal returns ""
// and Bytes returns nil. Call Reveal or Bytes when you need the plaintext
// rather than keeping Values for a long time; the string or slice they
// return is the caller's copy and is never zeroed by this package.
//
// A Value can be decoded: [Value.UnmarshalJSON] takes a JSON string, number
// or boolean and [Value.UnmarshalText] any bytes, so a struct or map with
// Value fields can be filled by [Cache.GetJSON] or encoding/json (a
// database secret {"username":"u","password":"p","port":5432} decodes
// into a map[string]Value) and still prints as [REDACTED] field by field. Decoding gives a Value that no cache owns: it
// is never zeroed.
//
// The zero Value holds no secret: Reveal returns "", Bytes returns nil and it
// formats as [REDACTED] like any other Value. Values are small and are
// passed by value; they are safe for concurrent use, except that a decode
// into a Value must not run alongside other uses of that same variable.
type Value struct {
	// buf is a pointer, never a slice, so that fmt printing a struct with an
	// unexported Value field through reflection prints an address, not bytes.
	buf *buffer
}

// buffer is the plaintext shared by the Values of one cache fill.
type buffer struct {
	// mu orders readers against wipe, which zeroes the plaintext in place.
	mu sync.RWMutex
	// p is a pointer so that fmt never prints the bytes: a bad verb on a
	// struct with an unexported Value field dereferences one pointer
	// (Value.buf) but prints nested pointers as addresses.
	p *[]byte
}

func newBuffer(b []byte) *buffer { return &buffer{p: &b} }

// plain returns the plaintext, or nil once wiped. Requires mu held.
func (b *buffer) plain() []byte {
	if b.p == nil {
		return nil
	}
	return *b.p
}

// NewValue returns a Value holding a copy of b. It is meant for tests and for
// providers of secrets that do not come from a Cache.
func NewValue(b []byte) Value {
	return Value{buf: newBuffer(append([]byte(nil), b...))}
}

// wipe zeroes the plaintext in place and forgets it.
func (b *buffer) wipe() {
	if b == nil {
		return
	}
	b.mu.Lock()
	if b.p != nil {
		clear(*b.p)
		b.p = nil
	}
	b.mu.Unlock()
}

// Reveal returns the plaintext as a new string. It returns "" for the zero
// Value and for a Value whose cache copy has been zeroed.
func (v Value) Reveal() string {
	if v.buf == nil {
		return ""
	}
	v.buf.mu.RLock()
	defer v.buf.mu.RUnlock()
	return string(v.buf.plain())
}

// Bytes returns a copy of the plaintext, which the caller owns (and may
// zero). It returns nil for the zero Value and for a Value whose cache copy
// has been zeroed.
func (v Value) Bytes() []byte {
	if v.buf == nil {
		return nil
	}
	v.buf.mu.RLock()
	defer v.buf.mu.RUnlock()
	if v.buf.p == nil {
		return nil
	}
	return append([]byte(nil), v.buf.plain()...)
}

// with calls f with the plaintext while holding the read lock, so that f can
// decode it without a copy. f must not retain the slice.
func (v Value) with(f func([]byte) error) error {
	if v.buf == nil {
		return f(nil)
	}
	v.buf.mu.RLock()
	defer v.buf.mu.RUnlock()
	return f(v.buf.plain())
}

// String returns "[REDACTED]".
func (Value) String() string { return redacted }

// GoString returns "[REDACTED]", so %#v does not print the plaintext.
func (Value) GoString() string { return redacted }

// Format writes "[REDACTED]" for every verb and flag, so that no fmt verb
// (%x, %q, %d, ...) reaches the plaintext.
func (Value) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redacted) }

// LogValue implements [slog.LogValuer]: a Value logs as "[REDACTED]".
func (Value) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON returns the JSON string "[REDACTED]".
func (Value) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText returns "[REDACTED]".
func (Value) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// AppendText appends "[REDACTED]" to b.
func (Value) AppendText(b []byte) ([]byte, error) { return append(b, redacted...), nil }

// MarshalBinary returns "[REDACTED]".
func (Value) MarshalBinary() ([]byte, error) { return []byte(redacted), nil }

// GobEncode returns "[REDACTED]", so encoding/gob never sees the plaintext.
// There is deliberately no GobDecode: a redacted Value cannot be restored.
func (Value) GobEncode() ([]byte, error) { return []byte(redacted), nil }

var (
	errValueNotString = fmt.Errorf("%w: a secret value decodes from a JSON string, number or boolean only", ErrDecode)
	errValueRedacted  = fmt.Errorf("%w: the value is the placeholder "+redacted+", not a secret", ErrDecode)
)

// UnmarshalJSON sets v to the text of the JSON string data, unescaped as
// encoding/json unescapes strings (invalid UTF-8 becomes U+FFFD). The text
// is taken as it is: a string that looks like base64 is not decoded; a
// binary secret can be stored base64-encoded and decoded by the caller
// from [Value.Bytes]. A JSON number or true/false sets v to its literal
// text as written (5432 gives "5432", 1.50e3 gives "1.50e3"), so that
// the port of a database secret decodes alongside its password. JSON null
// leaves v unchanged (the zero Value in a fresh target), as encoding/json
// does for other types. An object or array, anything that is not one JSON
// value, and the string "[REDACTED]" (what a Value encodes to, so decoding
// it would turn the placeholder into a password) give an error wrapping
// [ErrDecode] whose text never includes the input. The plaintext is
// decoded into a new buffer without passing through a Go string.
func (v *Value) UnmarshalJSON(data []byte) error {
	data = trimSpace(data)
	switch {
	case string(data) == "null":
		return nil
	case string(data) == "true", string(data) == "false", isNumber(data):
		return v.set(append([]byte(nil), data...))
	case len(data) == 0 || data[0] != '"':
		return errValueNotString
	}
	b, err := appendUnquoted(make([]byte, 0, max(len(data)-2, 0)), data)
	if err != nil {
		clear(b)
		return errValueNotString
	}
	return v.set(b)
}

// UnmarshalText sets v to a copy of text, so that decoders of other
// formats (and flag.TextVar) can fill a Value. The text "[REDACTED]" gives
// an error wrapping [ErrDecode], as for [Value.UnmarshalJSON].
func (v *Value) UnmarshalText(text []byte) error {
	return v.set(append([]byte(nil), text...))
}

// set makes b, which it owns, the plaintext of v, refusing the redaction
// placeholder.
func (v *Value) set(b []byte) error {
	if bytes.Equal(b, []byte(redacted)) {
		clear(b)
		return errValueRedacted
	}
	v.buf = newBuffer(b)
	return nil
}
