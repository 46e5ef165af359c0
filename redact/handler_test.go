package redact

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"testing/slogtest"
	"time"
)

func TestHandlerConformance(t *testing.T) {
	var buf bytes.Buffer
	h := NewHandler(slog.NewJSONHandler(&buf, nil))
	results := func() []map[string]any {
		var ms []map[string]any
		for _, line := range bytes.Split(buf.Bytes(), []byte{'\n'}) {
			if len(line) == 0 {
				continue
			}
			var m map[string]any
			if err := json.Unmarshal(line, &m); err != nil {
				t.Fatal(err)
			}
			ms = append(ms, m)
		}
		return ms
	}
	if err := slogtest.TestHandler(h, results); err != nil {
		t.Error(err)
	}
}

type order struct {
	ID     string        `json:"id"`
	Amount int           `json:"amount"`
	Tags   []string      `json:"tags"`
	Wait   time.Duration `json:"wait"`
	note   string
}

type plainValuer struct{}

func (plainValuer) LogValue() slog.Value { return slog.StringValue("valuer-ok") }

// fixedTime keeps output comparable.
var fixedTime = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

func record(msg string, attrs ...slog.Attr) slog.Record {
	r := slog.NewRecord(fixedTime, slog.LevelInfo, msg, 0)
	r.AddAttrs(attrs...)
	return r
}

func TestHandlerCleanRecordIsByteIdentical(t *testing.T) {
	attrs := []slog.Attr{
		slog.String("request_id", "8f5d1a3e-0b2c-4f6e-9a7d-1c2b3a4d5e6f"),
		slog.Int("status", 200),
		slog.Float64("ratio", 0.25),
		slog.Bool("password_set", true),
		slog.Duration("elapsed", 37*time.Millisecond),
		slog.Time("at", fixedTime),
		slog.Group("http", slog.String("method", "POST"), slog.Group("tls", slog.String("v", "1.3"))),
		slog.Any("err", errors.New("upstream timeout")),
		slog.Any("order", order{ID: "o-1", Amount: 12, Tags: []string{"a"}, note: "x"}),
		slog.Any("ptr", &order{ID: "o-2"}),
		slog.Any("map", map[string]int{"a": 1, "b": 2}),
		slog.Any("raw", []byte("plain bytes")),
		slog.Any("valuer", plainValuer{}),
		slog.Any("nil", nil),
	}
	for _, newInner := range []func(*bytes.Buffer) slog.Handler{
		func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	} {
		var want, got bytes.Buffer
		if err := newInner(&want).Handle(context.Background(), record("order processed", attrs...)); err != nil {
			t.Fatal(err)
		}
		if err := NewHandler(newInner(&got)).Handle(context.Background(), record("order processed", attrs...)); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("clean record changed:\n got: %s\nwant: %s", got.String(), want.String())
		}
	}
}

type secretStringer struct{ v string }

func (s secretStringer) String() string { return "user " + s.v }

type account struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Password string `json:"password"`
	Notes    string `json:"notes" redact:"true"`
	Label    string `json:"label" redact:"-"`
	Contact  string `json:"contact" redact:"phone"`
	Token    int    `json:"-"`
	Inner    *account
}

type node struct {
	Name string
	Next *node
}

func TestHandlerRedacts(t *testing.T) {
	loop := &node{Name: "a"}
	loop.Next = loop
	tests := []struct {
		name    string
		msg     string
		attrs   []slog.Attr
		want    []string // substrings of the JSON output
		notWant []string
	}{
		{"message", "charge for jane@example.com", nil, []string{`"msg":"charge for [REDACTED:email]"`}, []string{"jane@"}},
		{"string attr", "m", []slog.Attr{slog.String("note", "card 4111111111111111")}, []string{`"note":"card [REDACTED:card]"`}, nil},
		{"sensitive key", "m", []slog.Attr{slog.String("db_password", "hunter2"), slog.Int("api_key", 12345)}, []string{`"db_password":"[REDACTED:password]"`, `"api_key":"[REDACTED:api_key]"`}, []string{"hunter2", "12345"}},
		{"nested group", "m", []slog.Attr{slog.Group("a", slog.Group("b", slog.String("email", "x@example.com"), slog.Int("n", 1)))}, []string{`"a":{"b":{"email":"[REDACTED:email]","n":1}}`}, nil},
		{"sensitive group", "m", []slog.Attr{slog.Group("credentials", slog.String("user", "bob"), slog.Bool("ok", true))}, []string{`"credentials":{"user":"[REDACTED:credential]","ok":true}`}, []string{"bob"}},
		{"error", "m", []slog.Attr{slog.Any("err", fmt.Errorf("login jane@example.com: %w", errors.New("denied")))}, []string{`"err":"login [REDACTED:email]: denied"`}, nil},
		{"stringer", "m", []slog.Attr{slog.Any("who", secretStringer{"jane@example.com"})}, []string{`"who":"user [REDACTED:email]"`}, nil},
		{"bytes", "m", []slog.Attr{slog.Any("body", []byte(`{"token":"abc"}`))}, nil, []string{base64Of(`{"token":"abc"}`)}},
		{"struct", "m", []slog.Attr{slog.Any("acct", account{Name: "Jane", Email: "jane@example.com", Password: "pw", Notes: "n", Label: "keep@example.com", Contact: "555", Token: 7, Inner: &account{Name: "In", Password: "pw2"}})},
			[]string{`"email":"[REDACTED:email]"`, `"password":"[REDACTED:password]"`, `"notes":"[REDACTED:key]"`, `"label":"keep@example.com"`, `"contact":"[REDACTED:phone]"`, `"name":"Jane"`, `"Inner":{`},
			[]string{"jane@", `"pw"`, "pw2", `"Token"`}},
		{"map", "m", []slog.Attr{slog.Any("headers", map[string]any{"Authorization": "Bearer x", "Accept": "json", "n": 2})}, []string{`"Authorization":"[REDACTED:authorization]"`, `"Accept":"json"`, `"n":2`}, []string{"Bearer x"}},
		{"slice", "m", []slog.Attr{slog.Any("to", []string{"ok", "a@example.com"})}, []string{`"to":["ok","[REDACTED:email]"]`}, nil},
		{"cycle", "m", []slog.Attr{slog.Any("loop", loop), slog.String("email", "a@example.com")}, []string{`"email":"[REDACTED:email]"`, "[REDACTED:truncated]"}, nil},
		{"log valuer", "m", []slog.Attr{slog.Any("v", valuerOf("x@example.com"))}, []string{`"v":"[REDACTED:email]"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			h := NewHandler(slog.NewJSONHandler(&buf, nil))
			if err := h.Handle(context.Background(), record(tt.msg, tt.attrs...)); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %s\n got: %s", w, out)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("output contains %s\n got: %s", w, out)
				}
			}
		})
	}
}

func base64Of(s string) string {
	b, _ := json.Marshal([]byte(s))
	return strings.Trim(string(b), `"`)
}

type valuerOf string

func (v valuerOf) LogValue() slog.Value { return slog.StringValue(string(v)) }

func TestHandlerDepthBound(t *testing.T) {
	type deep struct{ Next *deep }
	d := &deep{}
	for range 20 {
		d = &deep{Next: d}
	}
	var buf bytes.Buffer
	h := NewHandler(slog.NewJSONHandler(&buf, nil), WithMaxDepth(3))
	if err := h.Handle(context.Background(), record("m", slog.Any("d", d))); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "[REDACTED:truncated]") {
		t.Errorf("deep value not truncated: %s", buf.String())
	}
}

func TestHandlerWithAttrsRedactsOnce(t *testing.T) {
	calls := 0
	var buf bytes.Buffer
	h := NewHandler(slog.NewJSONHandler(&buf, nil), WithMask(func(kind, _ string) string {
		calls++
		return "<" + kind + ">"
	}))
	l := slog.New(h).With("user", "jane@example.com").WithGroup("req").With("token", "abc")
	if calls != 2 {
		t.Fatalf("mask calls after With = %d, want 2", calls)
	}
	for range 3 {
		l.Info("hello")
	}
	if calls != 2 {
		t.Errorf("mask calls after logging = %d, want 2 (attrs redacted once)", calls)
	}
	if got := strings.Count(buf.String(), `"user":"<email>","req":{"token":"<token>"}`); got != 3 {
		t.Errorf("redacted With attrs in %d lines, want 3:\n%s", got, buf.String())
	}
}

func TestHandlerSensitiveWithGroup(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(NewHandler(slog.NewJSONHandler(&buf, nil))).WithGroup("session")
	l.Info("m", "id", "abc", "fresh", true)
	if got := buf.String(); !strings.Contains(got, `"session":{"id":"[REDACTED:session]","fresh":true}`) {
		t.Errorf("got %s", got)
	}
}

func TestHandlerDoesNotModifyRecord(t *testing.T) {
	rec := record("to jane@example.com", slog.String("email", "jane@example.com"))
	h := NewHandler(slog.NewJSONHandler(&bytes.Buffer{}, nil))
	if err := h.Handle(context.Background(), rec); err != nil {
		t.Fatal(err)
	}
	if rec.Message != "to jane@example.com" {
		t.Errorf("message modified: %q", rec.Message)
	}
	rec.Attrs(func(a slog.Attr) bool {
		if a.Value.String() != "jane@example.com" {
			t.Errorf("attr modified: %v", a)
		}
		return true
	})
}

func TestReplaceAttr(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{ReplaceAttr: ReplaceAttr}))
	l.With("password", "pw").Info("mail jane@example.com", slog.Group("credentials", slog.String("user", "bob")), slog.Int("n", 3))
	got := buf.String()
	for _, w := range []string{`"msg":"mail [REDACTED:email]"`, `"password":"[REDACTED:password]"`, `"credentials":{"user":"[REDACTED:credential]"}`, `"n":3`, `"level":"INFO"`} {
		if !strings.Contains(got, w) {
			t.Errorf("output lacks %s\n got: %s", w, got)
		}
	}
	r := New(WithKeys("customer"))
	if a := r.ReplaceAttr(nil, slog.String("customer", "Jane")); a.Value.String() != "[REDACTED:key]" {
		t.Errorf("custom ReplaceAttr = %v", a)
	}
}

func TestHandlerEnabledDelegates(t *testing.T) {
	h := NewHandler(slog.NewJSONHandler(&bytes.Buffer{}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if h.Enabled(context.Background(), slog.LevelInfo) || !h.Enabled(context.Background(), slog.LevelError) {
		t.Errorf("Enabled does not follow the wrapped handler")
	}
}
