package secrets

import (
	"bytes"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

const plaintext = "hunter2-Pl41nt3xt"

// leaks reports whether out contains the plaintext in any common encoding.
func leaks(out string) bool {
	for _, form := range []string{
		plaintext,
		"hunter2",
		hex.EncodeToString([]byte(plaintext)),
		strings.ToUpper(hex.EncodeToString([]byte(plaintext))),
		fmt.Sprint([]byte(plaintext))[1:10], // "104 117 1..." as %d of bytes prints
	} {
		if strings.Contains(out, form) {
			return true
		}
	}
	return false
}

func TestValueFormattingDoesNotLeak(t *testing.T) {
	v := NewValue([]byte(plaintext))
	type exported struct {
		Name string
		V    Value
	}
	type unexported struct {
		name string
		v    Value
	}
	subjects := []struct {
		name string
		arg  any
		// redactedShown: the output must show [REDACTED] (fmt reaches the
		// Value's methods); through an unexported field fmt prints the
		// pointer inside instead, which must still not leak.
		redactedShown bool
	}{
		{"Value", v, true},
		{"*Value", &v, true},
		{"struct with exported Value", exported{"db", v}, true},
		{"*struct with exported Value", &exported{"db", v}, true},
		{"struct with unexported Value", unexported{"db", v}, false},
		{"slice of Values", []Value{v, v}, true},
		{"map of Values", map[string]Value{"db": v}, true},
		{"interface holding Value", any(v), true},
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %v", "%10.3s", "%-20v", "% x", "%#x", "%U", "%c", "%b", "%o", "%e", "%t", "%p"}
	for _, s := range subjects {
		for _, verb := range verbs {
			t.Run(s.name+" "+verb, func(t *testing.T) {
				out := fmt.Sprintf(verb, s.arg)
				if verb == "%T %v" {
					out = fmt.Sprintf(verb, s.arg, s.arg)
				}
				if leaks(out) {
					t.Errorf("Sprintf(%q) = %q leaks the plaintext", verb, out)
				}
				if s.redactedShown && verb != "%p" && !strings.Contains(out, "[REDACTED]") {
					t.Errorf("Sprintf(%q) = %q, want [REDACTED]", verb, out)
				}
			})
		}
	}
	for name, out := range map[string]string{
		"Sprint":      fmt.Sprint(v),
		"Sprintln":    fmt.Sprintln(v, &v),
		"String":      v.String(),
		"GoString":    v.GoString(),
		"Errorf %v":   fmt.Errorf("connect: %v", v).Error(),
		"Errorf %w":   fmt.Errorf("connect %v: %w", v, errors.New("refused")).Error(),
		"errors.Join": errors.Join(errors.New(v.String()), fmt.Errorf("%s", v)).Error(),
	} {
		if leaks(out) || !strings.Contains(out, "[REDACTED]") {
			t.Errorf("%s = %q, want [REDACTED] and no plaintext", name, out)
		}
	}
}

func TestValueSlogDoesNotLeak(t *testing.T) {
	v := NewValue([]byte(plaintext))
	type creds struct {
		User     string
		Password Value
	}
	handlers := map[string]func(*bytes.Buffer) slog.Handler{
		"JSON": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	}
	for name, h := range handlers {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(h(&buf)).With("pw", v)
			log.Info("login", "password", v, "creds", creds{"app", v}, "ptr", &v,
				slog.Group("g", "secret", v), slog.Any("any", v))
			log.Error("failed", "err", fmt.Errorf("dial with %v: %w", v, errors.New("refused")))
			out := buf.String()
			if leaks(out) {
				t.Errorf("log output leaks the plaintext:\n%s", out)
			}
			if n := strings.Count(out, "[REDACTED]"); n < 7 {
				t.Errorf("log output has %d [REDACTED], want ≥ 7:\n%s", n, out)
			}
		})
	}
}

func TestValueEncodingsDoNotLeak(t *testing.T) {
	v := NewValue([]byte(plaintext))
	type doc struct {
		User     string `json:"user" xml:"user"`
		Password Value  `json:"password" xml:"password"`
		Attr     Value  `json:"-" xml:"attr,attr"`
		Key      map[Value]int
	}
	d := doc{User: "app", Password: v, Attr: v}
	jsonOut, err := json.Marshal(d)
	if err != nil {
		t.Fatalf("json.Marshal: %v", err)
	}
	xmlOut, err := xml.Marshal(struct {
		XMLName xml.Name `xml:"doc"`
		User    string   `xml:"user"`
		P       Value    `xml:"password"`
		A       Value    `xml:"attr,attr"`
	}{User: "app", P: v, A: v})
	if err != nil {
		t.Fatalf("xml.Marshal: %v", err)
	}
	var gobOut bytes.Buffer
	if err := gob.NewEncoder(&gobOut).Encode(struct {
		User string
		P    Value
	}{"app", v}); err != nil {
		t.Fatalf("gob: %v", err)
	}
	text, _ := v.MarshalText()
	appended, _ := v.AppendText([]byte("x="))
	bin, _ := v.MarshalBinary()
	for name, out := range map[string]string{
		"json": string(jsonOut), "xml": string(xmlOut), "gob": gobOut.String(),
		"MarshalText": string(text), "AppendText": string(appended), "MarshalBinary": string(bin),
	} {
		if leaks(out) || !strings.Contains(out, "[REDACTED]") {
			t.Errorf("%s = %q, want [REDACTED] and no plaintext", name, out)
		}
	}
	if want := `{"user":"app","password":"[REDACTED]","Key":null}`; string(jsonOut) != want {
		t.Errorf("json = %s, want %s", jsonOut, want)
	}
}

func TestValueReveal(t *testing.T) {
	src := []byte(plaintext)
	v := NewValue(src)
	src[0] = 'X' // NewValue copied
	if got := v.Reveal(); got != plaintext {
		t.Errorf("Reveal = %q, want %q", got, plaintext)
	}
	b := v.Bytes()
	b[0] = 'Y' // Bytes is a copy
	if got := string(v.Bytes()); got != plaintext {
		t.Errorf("Bytes after changing a copy = %q, want %q", got, plaintext)
	}

	var zero Value
	if got := zero.Reveal(); got != "" {
		t.Errorf("zero Reveal = %q, want \"\"", got)
	}
	if got := zero.Bytes(); got != nil {
		t.Errorf("zero Bytes = %q, want nil", got)
	}
	if got := fmt.Sprint(zero); got != "[REDACTED]" {
		t.Errorf("zero Sprint = %q, want [REDACTED]", got)
	}

	v.buf.wipe()
	if got := v.Reveal(); got != "" {
		t.Errorf("Reveal after wipe = %q, want \"\"", got)
	}
}
