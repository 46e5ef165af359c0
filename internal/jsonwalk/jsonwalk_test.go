package jsonwalk

import (
	"encoding/json"
	"testing"
)

func TestSkip(t *testing.T) {
	tests := []struct {
		doc  string
		at   int
		skip func([]byte, int) int
		want int
	}{
		{`  x`, 0, SkipSpace, 2},
		{`x`, 0, SkipSpace, 0},
		{`   `, 0, SkipSpace, 3},
		{`"a\"b" ,`, 0, SkipString, 6},
		{`"unterminated`, 0, SkipString, 13},
		{`"a\`, 0, SkipString, 3},
		{`{"a":[1,{"b":"}"}]} ,`, 0, SkipValue, 19},
		{`[1,2] `, 0, SkipValue, 5},
		{`123,`, 0, SkipValue, 3},
		{`true}`, 0, SkipValue, 4},
		{`null`, 0, SkipValue, 4},
		{`[[[`, 0, SkipValue, 3},
		{`"s"`, 0, SkipValue, 3},
	}
	for _, tt := range tests {
		if got := tt.skip([]byte(tt.doc), tt.at); got != tt.want {
			t.Errorf("skip(%q, %d) = %d, want %d", tt.doc, tt.at, got, tt.want)
		}
	}
}

// FuzzSkipValue checks that SkipValue never reads past the end of any
// input, and that on a valid document it skips exactly the whole value.
func FuzzSkipValue(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `[1,"x\"]",{}]`, `"\\"`, `-1.5e3`, `{"a":`, `"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		b := []byte(doc)
		i := SkipSpace(b, 0)
		if i == len(b) {
			return
		}
		end := SkipValue(b, i)
		if end < i || end > len(b) {
			t.Fatalf("SkipValue(%q, %d) = %d, outside the document", doc, i, end)
		}
		if json.Valid(b) && SkipSpace(b, end) != len(b) {
			t.Fatalf("SkipValue(%q) stopped at %d inside a valid document", doc, end)
		}
	})
}

func TestScanNumber(t *testing.T) {
	tests := []struct {
		in   string
		end  int
		want bool
	}{
		{"0", 1, true},
		{"-0", 2, true},
		{"5432", 4, true},
		{"-1.50E+03", 9, true},
		{"1e5,", 3, true},
		{"12}", 2, true},
		{"0123", 1, true}, // a number ends at the 0; what follows is the caller's
		{"", 0, false},
		{"-", 1, false},
		{"+1", 0, false},
		{".5", 0, false},
		{"1.", 2, false},
		{"1.e3", 2, false},
		{"1e", 2, false},
		{"1e+", 3, false},
		{"-x", 1, false},
	}
	for _, tt := range tests {
		end, _, ok := ScanNumber([]byte(tt.in), 0)
		if end != tt.end || ok != tt.want {
			t.Errorf("ScanNumber(%q) = %d, %v; want %d, %v", tt.in, end, ok, tt.end, tt.want)
		}
	}
}

// FuzzScanNumber checks ScanNumber against encoding/json: a whole input
// is one number exactly when json.Valid accepts it and it starts and ends
// without whitespace like a number, and the scan never leaves the input.
func FuzzScanNumber(f *testing.F) {
	for _, s := range []string{"0", "-1.5e+10", "1.", "01", "-", "1e", "12a"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		end, exp, ok := ScanNumber(b, 0)
		if end < 0 || end > len(b) || ok && exp >= end {
			t.Fatalf("ScanNumber(%q) = %d, out of range", b, end)
		}
		whole := ok && end == len(b)
		number := len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9') && !IsSpace(b[len(b)-1])
		if want := number && json.Valid(b); whole != want {
			t.Fatalf("ScanNumber(%q) = %d, %v; json.Valid says %v", b, end, ok, want)
		}
	})
}
