package validate

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestScreen(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		err    error // nil: accepted
		offset int64
	}{
		{"object", `{"a":1,"b":[true,false,null],"c":{"d":"e"}}`, nil, 0},
		{"scalar", ` 12.5e-3 `, nil, 0},
		{"empty string", `""`, nil, 0},
		{"escapes", `"\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"`, nil, 0},
		{"utf-8 text", `{"name":"Zoë 😀"}`, nil, 0},
		{"same names in sibling objects", `[{"a":1},{"a":2}]`, nil, 0},
		{"same name at two depths", `{"a":{"a":1}}`, nil, 0},
		{"big integer", `123456789012345678901234567890`, nil, 0},
		{"exponent at the limit", `1e400`, nil, 0},
		{"empty", ``, ErrSyntax, 0},
		{"whitespace only", ` `, ErrSyntax, 1},
		{"truncated object", `{"a":1`, ErrSyntax, 6},
		{"truncated string", `{"a":"xy`, ErrSyntax, 8},
		{"truncated literal", `tru`, ErrSyntax, 0},
		{"truncated escape", `"\u00`, ErrSyntax, 1},
		{"trailing comma", `[1,]`, ErrSyntax, 3},
		{"trailing garbage", `{} x`, ErrSyntax, 3},
		{"two documents", `1 2`, ErrSyntax, 2},
		{"leading zero", `01`, ErrSyntax, 1},
		{"bare dot", `1.`, ErrSyntax, 2},
		{"single quotes", `{'a':1}`, ErrSyntax, 1},
		{"control character", "\"a\x01\"", ErrSyntax, 2},
		{"bad escape", `"\x"`, ErrSyntax, 1},
		{"mismatched bracket", `[1}`, ErrSyntax, 2},
		{"byte order mark", "\xef\xbb\xbf{}", ErrSyntax, 0},
		{"NaN", `NaN`, ErrSyntax, 0},
		{"duplicate", `{"role":"user","role":"admin"}`, ErrDuplicateKey, 15},
		{"duplicate after unescaping", `{"a":1,"\u0061":2}`, ErrDuplicateKey, 7},
		{"duplicate escaped both", `{"\/":1,"\u002f":2}`, ErrDuplicateKey, 8},
		{"duplicate nested", `{"x":[{"y":{"k":1,"k":2}}]}`, ErrDuplicateKey, 18},
		{"duplicate surrogate pair", `{"😀":1,"\ud83d\ude00":2}`, ErrDuplicateKey, 10},
		{"invalid UTF-8", "\"\xff\"", ErrEncoding, 1},
		{"overlong UTF-8", "\"\xc0\xaf\"", ErrEncoding, 1},
		{"UTF-8 surrogate", "\"\xed\xa0\x80\"", ErrEncoding, 1},
		{"truncated UTF-8", "\"\xe2\x82\"", ErrEncoding, 1},
		{"lone high surrogate", `"\ud800"`, ErrEncoding, 1},
		{"lone low surrogate", `"\udc00"`, ErrEncoding, 1},
		{"high surrogate then a letter", `"\ud800\u0041"`, ErrEncoding, 1},
		{"invalid UTF-8 in a name", "{\"\xff\":1}", ErrEncoding, 2},
		{"long number", "1" + strings.Repeat("0", 256), ErrNumber, 0},
		{"large exponent", `[1e401]`, ErrNumber, 1},
		{"small exponent", `[1e-999999999]`, ErrNumber, 1},
		{"too deep", strings.Repeat("[", 65) + strings.Repeat("]", 65), ErrTooDeep, 64},
		{"too deep objects", strings.Repeat(`{"a":`, 65), ErrTooDeep, 320},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := screen([]byte(tt.in), defaultMaxBytes, defaultMaxDepth, false)
			if tt.err == nil {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			var se *ScreenError
			if !errors.As(err, &se) || !errors.Is(err, tt.err) {
				t.Fatalf("got %v, want %v", err, tt.err)
			}
			if se.Offset != tt.offset {
				t.Errorf("offset = %d, want %d", se.Offset, tt.offset)
			}
			if json.Valid([]byte(tt.in)) && (tt.err == ErrSyntax) {
				t.Errorf("encoding/json accepts %q, which the screen calls a syntax error", tt.in)
			}
		})
	}
}

func TestScreenDepthLimitExact(t *testing.T) {
	for _, depth := range []int{1, 2, 64, 1000} {
		ok := strings.Repeat("[", depth) + strings.Repeat("]", depth)
		if err := screen([]byte(ok), defaultMaxBytes, depth, false); err != nil {
			t.Errorf("depth %d at limit %d: got %v, want nil", depth, depth, err)
		}
		deep := "[" + ok + "]"
		if err := screen([]byte(deep), defaultMaxBytes, depth, false); !errors.Is(err, ErrTooDeep) {
			t.Errorf("depth %d at limit %d: got %v, want ErrTooDeep", depth+1, depth, err)
		}
	}
}

func TestScreenAllowDuplicateKeys(t *testing.T) {
	if err := screen([]byte(`{"a":1,"a":2}`), defaultMaxBytes, defaultMaxDepth, true); err != nil {
		t.Fatalf("got %v, want nil", err)
	}
}

func TestScreenLargeObjects(t *testing.T) {
	// Objects past smallObject names use the hash index: check that
	// duplicates are still found at every position, and not found when
	// there are none, across object sizes and nesting.
	for _, n := range []int{smallObject - 1, smallObject, smallObject + 1, 100, 5000} {
		names := make([]string, n)
		for i := range names {
			names[i] = fmt.Sprintf(`"k%d":%d`, i, i)
		}
		doc := "{" + strings.Join(names, ",") + `,"inner":{` + strings.Join(names, ",") + "}}"
		if err := screen([]byte(doc), 1<<30, defaultMaxDepth, false); err != nil {
			t.Fatalf("%d names: got %v, want nil", n, err)
		}
		for _, dup := range []int{0, n / 2, n - 1} {
			d := "{" + strings.Join(names, ",") + fmt.Sprintf(`,"\u006b%d":0}`, dup) // \u006b is k
			if err := screen([]byte(d), 1<<30, defaultMaxDepth, false); !errors.Is(err, ErrDuplicateKey) {
				t.Errorf("%d names, duplicate of k%d: got %v, want ErrDuplicateKey", n, dup, err)
			}
		}
	}
}

func TestScreenTooLarge(t *testing.T) {
	big := []byte(`"` + strings.Repeat("a", 100) + `"`)
	err := screen(big, 50, defaultMaxDepth, false)
	var se *ScreenError
	if !errors.As(err, &se) || se.Err != ErrTooLarge || se.Offset != 50 {
		t.Fatalf("got %v, want ErrTooLarge at 50", err)
	}
}

// TestScreenAttackInputs checks the outcome for hostile 1 MiB documents;
// BenchmarkScreenAttack measures that each is handled in linear time (speed
// is for benchmarks, not timed tests).
func TestScreenAttackInputs(t *testing.T) {
	for _, tt := range screenAttacks() {
		t.Run(tt.name, func(t *testing.T) {
			err := screen(tt.doc, screenAttackSize, defaultMaxDepth, false)
			if !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Fatalf("got %v, want %v", err, tt.err)
			}
		})
	}
}

// screenAttackSize is the size limit screenAttacks are checked against.
const screenAttackSize = 1 << 20

// screenAttacks returns hostile documents of about screenAttackSize bytes
// and the error each must give: shapes that a quadratic duplicate check or
// a backtracking scan would take orders of magnitude longer on.
func screenAttacks() []struct {
	name string
	doc  []byte
	err  error
} {
	const size = screenAttackSize
	var many strings.Builder
	many.WriteString("{")
	for i := 0; many.Len() < size-32; i++ {
		if i > 0 {
			many.WriteString(",")
		}
		fmt.Fprintf(&many, `"%x":0`, i)
	}
	many.WriteString(`,"0":1}`)
	return []struct {
		name string
		doc  []byte
		err  error
	}{
		{"depth-bomb", []byte(strings.Repeat("[", size)), ErrTooDeep},
		{"object-depth-bomb", []byte(strings.Repeat(`{"":`, size/4)), ErrTooDeep},
		{"unclosed-string", []byte(`"` + strings.Repeat("a", size-1)), ErrSyntax},
		{"many-names-duplicate-last", []byte(many.String()), ErrDuplicateKey},
		{"escapes", []byte(`"` + strings.Repeat(`\u0041`, size/6-1) + `"`), nil},
		{"oversize", []byte(strings.Repeat(" ", size+1)), ErrTooLarge},
	}
}
