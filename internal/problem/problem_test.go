package problem

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestMarshalJSON(t *testing.T) {
	tests := []struct {
		name string
		d    Details
		want string
	}{
		{
			name: "defaults from status",
			d:    New(http.StatusUnauthorized, "The access token is invalid."),
			want: `{"type":"about:blank","title":"Unauthorized","status":401,"detail":"The access token is invalid."}`,
		},
		{
			name: "all members",
			d:    Details{Type: "https://fnshield.dev/problems/rate-limited", Title: "Too many requests", Status: 429, Detail: "Slow down.", Instance: "/orders"},
			want: `{"type":"https://fnshield.dev/problems/rate-limited","title":"Too many requests","status":429,"detail":"Slow down.","instance":"/orders"}`,
		},
		{
			name: "extensions sorted, standard names not overridable",
			d: Details{Status: 400, Extensions: map[string]any{
				"violations": []string{"/a"},
				"code":       "x",
				"status":     999,
				"title":      "spoofed",
			}},
			want: `{"type":"about:blank","title":"Bad Request","status":400,"code":"x","violations":["/a"]}`,
		},
		{
			name: "escaping",
			d:    Details{Status: 400, Detail: "quote \" and <tag>"},
			want: `{"type":"about:blank","title":"Bad Request","status":400,"detail":"quote \" and \u003ctag\u003e"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.d)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Fatalf("got  %s\nwant %s", got, tt.want)
			}
			var back map[string]any
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatalf("output is not JSON: %v", err)
			}
		})
	}
}

func TestWriteKeepsHeadersAndSetsProblemHeaders(t *testing.T) {
	for _, name := range []string{"httptest", "recorder"} {
		t.Run(name, func(t *testing.T) {
			var (
				w      http.ResponseWriter
				status func() int
				body   func() string
			)
			if name == "httptest" {
				rr := httptest.NewRecorder()
				w, status, body = rr, func() int { return rr.Code }, func() string { return rr.Body.String() }
			} else {
				rec := NewRecorder()
				w, status, body = rec, rec.Status, func() string { return string(rec.Body()) }
			}
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			Write(w, New(http.StatusUnauthorized, "The access token is invalid."))
			if got := status(); got != http.StatusUnauthorized {
				t.Errorf("status = %d, want 401", got)
			}
			h := w.Header()
			for k, want := range map[string]string{
				"Content-Type":           ContentType,
				"Cache-Control":          "no-store",
				"X-Content-Type-Options": "nosniff",
				"WWW-Authenticate":       `Bearer error="invalid_token"`,
			} {
				if got := h.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			var p map[string]any
			if err := json.Unmarshal([]byte(body()), &p); err != nil {
				t.Fatalf("body %q: %v", body(), err)
			}
			if p["status"] != float64(401) || p["title"] != "Unauthorized" {
				t.Errorf("body = %v", p)
			}
		})
	}
}

func TestWriteDropsUnencodableExtensions(t *testing.T) {
	rec := NewRecorder()
	Write(rec, Details{Status: 400, Extensions: map[string]any{"bad": make(chan int)}})
	var p map[string]any
	if err := json.Unmarshal(rec.Body(), &p); err != nil {
		t.Fatalf("body %q: %v", rec.Body(), err)
	}
	if _, ok := p["bad"]; ok || p["status"] != float64(400) {
		t.Fatalf("body = %v, want status 400 without the bad extension", p)
	}
}

func TestRecorder(t *testing.T) {
	var r Recorder // zero value is usable
	if r.Status() != http.StatusOK {
		t.Fatalf("zero Recorder status = %d, want 200", r.Status())
	}
	r.Header().Add("Set-Cookie", "a=1")
	r.Header().Add("Set-Cookie", "b=2")
	if _, err := r.Write([]byte("hello ")); err != nil {
		t.Fatal(err)
	}
	r.WriteHeader(http.StatusTeapot) // after a Write: ignored, as in net/http
	if _, err := r.Write([]byte("world")); err != nil {
		t.Fatal(err)
	}
	if r.Status() != http.StatusOK {
		t.Errorf("status = %d, want 200 (first write implies 200)", r.Status())
	}
	if string(r.Body()) != "hello world" {
		t.Errorf("body = %q", r.Body())
	}
	if got := r.Header().Values("Set-Cookie"); len(got) != 2 {
		t.Errorf("Set-Cookie = %q, want two values", got)
	}

	r2 := NewRecorder()
	r2.WriteHeader(http.StatusTooManyRequests)
	r2.WriteHeader(http.StatusOK)
	if r2.Status() != http.StatusTooManyRequests {
		t.Errorf("status = %d, want the first WriteHeader (429)", r2.Status())
	}
}

func ExampleWrite() {
	rec := NewRecorder()
	Write(rec, New(403, "The token lacks a required scope."))
	fmt.Println(rec.Status(), rec.Header().Get("Content-Type"))
	fmt.Println(string(rec.Body()))
	// Output:
	// 403 application/problem+json
	// {"type":"about:blank","title":"Forbidden","status":403,"detail":"The token lacks a required scope."}
}
