package redact

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unsafe"
)

var (
	errorType    = reflect.TypeFor[error]()
	stringerType = reflect.TypeFor[fmt.Stringer]()
	timeType     = reflect.TypeFor[time.Time]()
	durationType = reflect.TypeFor[time.Duration]()
)

// maxItems bounds how many elements of one map, slice or array are
// examined; a longer container is cut there and marked truncated.
const maxItems = 256

// anyValue redacts a value of an slog.KindAny attribute. It returns the
// replacement and true when something was found; the original value is kept
// otherwise. Changed maps and structs come back as map[string]any (struct
// fields named as encoding/json would name them, unexported fields left
// out), changed slices as []any, changed errors and fmt.Stringers as
// strings.
func (r *Redactor) anyValue(x any, depth int) (any, bool) {
	switch t := x.(type) {
	case nil:
		return nil, false
	case string:
		return r.redactAny(t)
	case error:
		return r.scanText(t)
	case fmt.Stringer:
		if out, ok := r.scanText(t); ok {
			return out, true
		}
		// A struct, map or slice Stringer is also walked below, as
		// encoding/json would show it.
		if k := reflect.TypeOf(t).Kind(); k != reflect.Struct && k != reflect.Pointer && k != reflect.Map && k != reflect.Slice {
			return nil, false
		}
	case []byte:
		out := r.Bytes(t)
		if len(out) != len(t) || (len(t) > 0 && unsafe.SliceData(out) != unsafe.SliceData(t)) {
			return out, true
		}
		return nil, false
	}
	w := walker{r: r}
	return w.walk(reflect.ValueOf(x), depth)
}

// walker walks a value by reflection, bounded in depth and breadth, and
// safe against pointer cycles.
type walker struct {
	r    *Redactor
	seen []uintptr // pointers on the current path
}

func (w *walker) truncated() (any, bool) { return w.r.replacement("truncated", ""), true }

// text calls Error or String on x (an error or a fmt.Stringer), turning a
// panic into a failure.
func text(x any) (s string, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	switch t := x.(type) {
	case error:
		return t.Error(), true
	case fmt.Stringer:
		return t.String(), true
	}
	return "", false
}

// scanText redacts the text of an error or fmt.Stringer. It returns the
// redacted text and true when something was found; a method that panics
// is treated as unreadable and replaced.
func (r *Redactor) scanText(x any) (any, bool) {
	s, ok := text(x)
	if !ok {
		return r.replacement("truncated", ""), true
	}
	return r.redactAny(s)
}

// redactAny is redactString for callers that want an any: the string is
// boxed only when it changed.
func (r *Redactor) redactAny(s string) (any, bool) {
	if out, ok := r.redactString(s); ok {
		return out, true
	}
	return nil, false
}

func (w *walker) walk(v reflect.Value, depth int) (any, bool) {
	if !v.IsValid() {
		return nil, false
	}
	t := v.Type()
	if t == timeType || t == durationType {
		return nil, false
	}
	k := v.Kind()
	if (k == reflect.Pointer || k == reflect.Interface || k == reflect.Map || k == reflect.Slice) && v.IsNil() {
		return nil, false
	}
	if k != reflect.Interface && v.CanInterface() && (t.Implements(errorType) || t.Implements(stringerType)) {
		if rs, changed := w.r.scanText(v.Interface()); changed {
			return rs, true
		}
		{
			if k != reflect.Struct && k != reflect.Pointer && k != reflect.Map && k != reflect.Slice {
				return nil, false
			}
		}
	}
	if depth >= w.r.maxDepth {
		switch k {
		case reflect.Pointer, reflect.Interface, reflect.Struct, reflect.Map, reflect.Slice, reflect.Array:
			return w.truncated()
		}
	}
	switch k {
	case reflect.String:
		return w.r.redactAny(v.String())
	case reflect.Interface:
		return w.walk(v.Elem(), depth+1)
	case reflect.Pointer:
		p := v.Pointer()
		for _, q := range w.seen {
			if q == p {
				return w.truncated()
			}
		}
		w.seen = append(w.seen, p)
		defer func() { w.seen = w.seen[:len(w.seen)-1] }()
		return w.walk(v.Elem(), depth+1)
	case reflect.Struct:
		return w.walkStruct(v, depth)
	case reflect.Map:
		return w.walkMap(v, depth)
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			if k == reflect.Slice && v.CanInterface() {
				if b, ok := v.Interface().([]byte); ok {
					return w.r.anyValue(b, depth)
				}
			}
			return nil, false
		}
		return w.walkList(v, depth)
	}
	return nil, false
}

// fieldName returns the name encoding/json gives a struct field, and false
// for fields it leaves out.
func fieldName(f reflect.StructField) (string, bool) {
	if !f.IsExported() {
		return "", false
	}
	tag := f.Tag.Get("json")
	if tag == "-" {
		return "", false
	}
	if name, _, _ := strings.Cut(tag, ","); name != "" {
		return name, true
	}
	return f.Name, true
}

// fieldPolicy interprets a redact struct tag: "-" never redact, "true" always
// (kind "key"), any other word always with that kind. It returns the kind to
// force, and skip for "-".
func fieldPolicy(f reflect.StructField) (kind string, skip bool) {
	switch tag := f.Tag.Get("redact"); tag {
	case "":
		return "", false
	case "-":
		return "", true
	case "true":
		return kindKey, false
	default:
		return tag, false
	}
}

func (w *walker) walkStruct(v reflect.Value, depth int) (any, bool) {
	t := v.Type()
	var out map[string]any
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, ok := fieldName(f)
		if !ok {
			continue
		}
		fv := v.Field(i)
		kind, skip := fieldPolicy(f)
		var nv any
		changed := false
		switch {
		case skip:
		case kind != "" || w.keyKind(&kind, f.Name, name):
			if !fv.IsZero() && fv.Kind() != reflect.Bool {
				nv, changed = w.r.replacement(kind, plainText(fv)), true
			}
		default:
			nv, changed = w.walk(fv, depth+1)
		}
		if changed && out == nil {
			out = make(map[string]any, t.NumField())
			for j := 0; j < i; j++ {
				if n, ok := fieldName(t.Field(j)); ok {
					out[n] = v.Field(j).Interface()
				}
			}
		}
		if out != nil {
			if changed {
				out[name] = nv
			} else {
				out[name] = fv.Interface()
			}
		}
	}
	if out == nil {
		return nil, false
	}
	return out, true
}

// keyKind reports whether either name is a sensitive key and sets *kind.
func (w *walker) keyKind(kind *string, names ...string) bool {
	for _, n := range names {
		if k, ok := w.r.matchKey(n); ok {
			*kind = k
			return true
		}
	}
	return false
}

// plainText formats a value for a mask or pseudonym.
func plainText(v reflect.Value) string {
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10)
	}
	if v.CanInterface() {
		return fmt.Sprint(v.Interface())
	}
	return ""
}

func (w *walker) walkMap(v reflect.Value, depth int) (any, bool) {
	var out map[string]any
	it := v.MapRange()
	n := 0
	var done []reflect.Value // keys examined before the first change
	for it.Next() {
		if n == maxItems {
			if out == nil {
				out = w.mapPrefix(v, done)
			}
			out["…"], _ = w.truncated()
			break
		}
		n++
		key := it.Key()
		ks := mapKeyString(key)
		var nv any
		changed := false
		if kind, ok := w.r.matchKey(ks); ok {
			ev := it.Value()
			if !(ev.Kind() == reflect.Bool || (ev.Kind() == reflect.Interface && !ev.IsNil() && ev.Elem().Kind() == reflect.Bool)) {
				nv, changed = w.r.replacement(kind, plainText(ev)), true
			}
		} else {
			nv, changed = w.walk(it.Value(), depth+1)
		}
		if changed && out == nil {
			out = w.mapPrefix(v, done)
		}
		if out == nil {
			done = append(done, key)
			continue
		}
		if changed {
			out[ks] = nv
		} else {
			out[ks] = it.Value().Interface()
		}
	}
	if out == nil {
		return nil, false
	}
	return out, true
}

func (w *walker) mapPrefix(v reflect.Value, keys []reflect.Value) map[string]any {
	out := make(map[string]any, v.Len())
	for _, k := range keys {
		out[mapKeyString(k)] = v.MapIndex(k).Interface()
	}
	return out
}

func mapKeyString(k reflect.Value) string {
	if k.Kind() == reflect.String {
		return k.String()
	}
	return plainText(k)
}

func (w *walker) walkList(v reflect.Value, depth int) (any, bool) {
	var out []any
	n := v.Len()
	for i := 0; i < n; i++ {
		if i == maxItems {
			if out == nil {
				out = w.listPrefix(v, i)
			}
			tr, _ := w.truncated()
			out = append(out, tr)
			break
		}
		nv, changed := w.walk(v.Index(i), depth+1)
		if changed && out == nil {
			out = w.listPrefix(v, i)
		}
		if out != nil {
			if changed {
				out = append(out, nv)
			} else {
				out = append(out, v.Index(i).Interface())
			}
		}
	}
	if out == nil {
		return nil, false
	}
	return out, true
}

func (w *walker) listPrefix(v reflect.Value, n int) []any {
	out := make([]any, 0, min(v.Len(), maxItems+1))
	for i := 0; i < n; i++ {
		out = append(out, v.Index(i).Interface())
	}
	return out
}
