package redact

import (
	"bytes"
	"errors"
	"io"
	"sync"
	"unsafe"
)

// ErrClosed is returned by Write and Flush on a closed Writer.
var ErrClosed = errors.New("redact: write to closed Writer")

// maxPEMLines bounds how many lines a Writer drops while waiting for the END
// line of a private key block whose BEGIN line it has seen: after that many
// it assumes the END line is missing and lets lines through again.
const maxPEMLines = 200

// Writer is an io.WriteCloser that redacts text line by line before writing
// it to another io.Writer, for log, fmt and third-party loggers. It holds
// bytes until the end of their line, so a line split across writes is still
// redacted as a whole, and it writes each line (or group of lines) with a
// single Write, so concurrent writers never interleave lines.
//
// A line longer than the bound set with WithMaxLineBytes (64 KiB by default)
// is not held forever: its first part is redacted and written, cut after
// the last space of its second half if there is one. A secret straddling
// that cut is seen in two halves and may not be recognised; this is a known
// limitation, reduced by cutting at spaces.
//
// A private key block spans lines: after a line with "-----BEGIN ... PRIVATE
// KEY-----" and no END, the following lines are dropped up to and including
// the END line (at most 200 lines).
//
// Writer is safe for concurrent use. The zero Writer is not usable; build
// one with NewWriter.
type Writer struct {
	r   *Redactor
	max int

	// mu guards the fields below.
	mu       sync.Mutex
	w        io.Writer
	buf      []byte // bytes not yet written: at most the start of one line
	out      []byte // scratch for redacted output
	pemLines int    // lines left to drop inside a private key block
	closed   bool
}

// NewWriter returns a Writer that redacts with New(opts...) and writes to w.
func NewWriter(w io.Writer, opts ...Option) *Writer {
	r := New(opts...)
	return &Writer{r: r, max: r.maxLineBytes, w: w}
}

// Write buffers p and writes every completed line, redacted. It returns
// len(p) and the error of the underlying Writer, if any; the lines of a
// failed write are not retried.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return 0, ErrClosed
	}
	w.buf = append(w.buf, p...)
	return len(p), w.drain(false)
}

// Flush writes the buffered partial line, redacted.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return ErrClosed
	}
	return w.drain(true)
}

// Close flushes the partial last line and marks the Writer closed. It does
// not close the underlying Writer. Closing twice returns nil.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	err := w.drain(true)
	w.closed = true
	w.buf, w.out = nil, nil
	return err
}

// drain redacts and writes whole lines, pieces of overlong lines, and with
// final the rest. Requires mu held.
func (w *Writer) drain(final bool) error {
	out := w.out[:0]
	start := 0
	for start < len(w.buf) {
		rest := w.buf[start:]
		if i := bytes.IndexByte(rest, '\n'); i >= 0 && i <= w.max {
			out = w.line(out, rest[:i], true)
			start += i + 1
			continue
		}
		if len(rest) > w.max {
			c := cutPoint(rest[:w.max])
			out = w.line(out, rest[:c], false)
			start += c
			continue
		}
		if final {
			out = w.line(out, rest, false)
			start = len(w.buf)
		}
		break
	}
	n := copy(w.buf, w.buf[start:])
	w.buf = w.buf[:n]
	if cap(w.buf) > 4*w.max && n < w.max {
		w.buf = append([]byte(nil), w.buf...)
	}
	w.out = out[:0]
	if len(out) == 0 {
		return nil
	}
	_, err := w.w.Write(out)
	return err
}

// cutPoint picks where to cut an overlong line: after the last space of
// its second half, or at its end.
func cutPoint(b []byte) int {
	if k := bytes.LastIndexByte(b[len(b)/2:], ' '); k >= 0 {
		return len(b)/2 + k + 1
	}
	return len(b)
}

// line appends one redacted line (or piece), with a newline if nl. Requires
// mu held.
func (w *Writer) line(dst, line []byte, nl bool) []byte {
	if w.pemLines > 0 {
		w.pemLines--
		k := bytes.Index(line, []byte("-----END "))
		if k < 0 {
			return dst // inside the key block
		}
		e := bytes.Index(line[k+9:], []byte("-----"))
		if e < 0 {
			return dst
		}
		w.pemLines = 0
		line = line[k+9+e+5:]
		if len(line) == 0 {
			return dst
		}
	}
	s := unsafe.String(unsafe.SliceData(line), len(line)) // line is not modified during the call
	sc := scanner{r: w.r, s: s}
	sc.run()
	if sc.count() > 0 {
		var open bool
		dst, open = w.r.finish(dst, s, &sc, true)
		if open {
			w.pemLines = maxPEMLines
		}
	} else {
		dst = append(dst, line...)
	}
	if nl {
		dst = append(dst, '\n')
	}
	return dst
}
