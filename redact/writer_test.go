package redact

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestWriter(t *testing.T) {
	long := strings.Repeat("word ", 80) // 400 bytes, over the 256-byte bound below
	tests := []struct {
		name   string
		writes []string
		want   string
	}{
		{"whole lines", []string{"a jane@example.com\nb 4111111111111111\n"}, "a [REDACTED:email]\nb [REDACTED:card]\n"},
		{"line split across writes", []string{"mail jane@exa", "mple.com now\n"}, "mail [REDACTED:email] now\n"},
		{"card split across writes", []string{"4111 1111 ", "1111 1111\n"}, "[REDACTED:card]\n"},
		{"partial last line flushed on close", []string{"x\npassword=hun", "ter2"}, "x\npassword=[REDACTED:password]"},
		{"overlong line cut at a space", []string{long + "jane@example.com\n"}, long + "[REDACTED:email]\n"},
		{"private key across lines", []string{"key -----BEGIN RSA PRIVATE KEY-----\nMIIEow\nAAAA\n-----END RSA PRIVATE KEY----- tail\nnext a@example.com\n"},
			"key [REDACTED:private_key]\n tail\nnext [REDACTED:email]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			w := NewWriter(&out, WithMaxLineBytes(256))
			for _, s := range tt.writes {
				n, err := w.Write([]byte(s))
				if err != nil || n != len(s) {
					t.Fatalf("Write = %d, %v; want %d, nil", n, err, len(s))
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if out.String() != tt.want {
				t.Errorf("got:  %q\nwant: %q", out.String(), tt.want)
			}
		})
	}
}

func TestWriterHoldsPartialLineUntilFlush(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out)
	if _, err := w.Write([]byte("no newline a@example.com")); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 {
		t.Fatalf("partial line written early: %q", out.String())
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "no newline [REDACTED:email]" {
		t.Errorf("got %q", got)
	}
}

func TestWriterClosed(t *testing.T) {
	w := NewWriter(&bytes.Buffer{})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
	if _, err := w.Write([]byte("x\n")); !errors.Is(err, ErrClosed) {
		t.Errorf("Write after Close = %v, want ErrClosed", err)
	}
	if err := w.Flush(); !errors.Is(err, ErrClosed) {
		t.Errorf("Flush after Close = %v, want ErrClosed", err)
	}
}

type failingWriter struct{ err error }

func (f failingWriter) Write([]byte) (int, error) { return 0, f.err }

func TestWriterReturnsUnderlyingError(t *testing.T) {
	boom := errors.New("disk full")
	w := NewWriter(failingWriter{boom})
	if _, err := w.Write([]byte("line\n")); !errors.Is(err, boom) {
		t.Errorf("Write = %v, want %v", err, boom)
	}
	if _, err := w.Write([]byte("partial")); err != nil {
		t.Errorf("Write of a partial line = %v, want nil (nothing written yet)", err)
	}
	if err := w.Close(); !errors.Is(err, boom) {
		t.Errorf("Close = %v, want %v", err, boom)
	}
}

func TestWriterConcurrentLinesDoNotInterleave(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out)
	const writers, lines = 8, 50
	var wg sync.WaitGroup
	for g := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range lines {
				line := fmt.Sprintf("writer=%d line=%d user%d@example.com %s\n", g, i, g, strings.Repeat("x", 100+g))
				if _, err := w.Write([]byte(line)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(got) != writers*lines {
		t.Fatalf("%d lines, want %d", len(got), writers*lines)
	}
	for _, l := range got {
		var g, i int
		if _, err := fmt.Sscanf(l, "writer=%d line=%d", &g, &i); err != nil {
			t.Fatalf("mangled line %q", l)
		}
		want := fmt.Sprintf("writer=%d line=%d [REDACTED:email] %s", g, i, strings.Repeat("x", 100+g))
		if l != want {
			t.Fatalf("line %q, want %q", l, want)
		}
	}
}

func TestWriterMatchesString(t *testing.T) {
	g := newGen()
	r := New()
	var in, want strings.Builder
	for range 100 {
		line := strings.ReplaceAll(g.embed(g.positive(g.pick(mustKinds...)).text), "\n", " ")
		in.WriteString(line + "\n")
		want.WriteString(r.String(line) + "\n")
	}
	var out bytes.Buffer
	w := NewWriter(&out)
	if _, err := w.Write([]byte(in.String())); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if out.String() != want.String() {
		t.Errorf("Writer output differs from String line by line")
	}
}
