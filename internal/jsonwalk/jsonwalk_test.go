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
