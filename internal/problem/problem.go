// Package problem renders RFC 9457 problem details (application/problem+json)
// for every fnshield package's default error handler, and provides an
// in-memory http.ResponseWriter so that one error handler of the form
// func(http.ResponseWriter, *http.Request, error) serves both net/http and
// Lambda responses.
package problem

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
)

// ContentType is the media type of a problem details body.
const ContentType = "application/problem+json"

// Details is an RFC 9457 problem details object.
//
// Title and Detail are fixed texts chosen by fnshield: they must never carry
// a token, a secret or any part of the rejected input.
type Details struct {
	// Type is a URI reference identifying the problem type. Empty means
	// "about:blank", whose title is the HTTP status text.
	Type string
	// Title is a short summary of the problem type. Empty means the status
	// text of Status.
	Title string
	// Status is the HTTP status code.
	Status int
	// Detail explains this occurrence.
	Detail string
	// Instance is a URI reference identifying this occurrence.
	Instance string
	// Extensions holds extension members. Keys that collide with the
	// standard members are ignored.
	Extensions map[string]any
}

// New returns Details for status with the status text as title and detail
// as the explanation.
func New(status int, detail string) Details {
	return Details{Status: status, Detail: detail}
}

var standardMembers = map[string]bool{"type": true, "title": true, "status": true, "detail": true, "instance": true}

// MarshalJSON encodes d with the standard members first, in RFC order, then
// the extension members sorted by key, so that output is deterministic.
func (d Details) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.Grow(128)
	typ := d.Type
	if typ == "" {
		typ = "about:blank"
	}
	title := d.Title
	if title == "" {
		title = http.StatusText(d.Status)
	}
	b.WriteString(`{"type":`)
	writeString(&b, typ)
	b.WriteString(`,"title":`)
	writeString(&b, title)
	b.WriteString(`,"status":`)
	b.WriteString(strconv.Itoa(d.Status))
	if d.Detail != "" {
		b.WriteString(`,"detail":`)
		writeString(&b, d.Detail)
	}
	if d.Instance != "" {
		b.WriteString(`,"instance":`)
		writeString(&b, d.Instance)
	}
	if len(d.Extensions) > 0 {
		keys := make([]string, 0, len(d.Extensions))
		for k := range d.Extensions {
			if !standardMembers[k] {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			v, err := json.Marshal(d.Extensions[k])
			if err != nil {
				return nil, err
			}
			b.WriteByte(',')
			writeString(&b, k)
			b.WriteByte(':')
			b.Write(v)
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func writeString(b *bytes.Buffer, s string) {
	// json.Marshal of a string cannot fail.
	v, _ := json.Marshal(s)
	b.Write(v)
}

// Write renders d to w: the problem+json content type, no-store caching,
// nosniff, the status code and the body. Headers already set on w (such as
// WWW-Authenticate or Retry-After) are kept.
func Write(w http.ResponseWriter, d Details) {
	body, err := d.MarshalJSON()
	if err != nil {
		// Only an extension value can fail to encode; drop the extensions
		// rather than fail the rejection.
		d.Extensions = nil
		body, _ = d.MarshalJSON()
	}
	h := w.Header()
	h.Set("Content-Type", ContentType)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(d.Status)
	_, _ = w.Write(body)
}

// Recorder is an in-memory http.ResponseWriter. Error handlers write to it
// when they serve a Lambda invocation, and the Lambda wrapper turns what was
// written into the event's response type.
//
// The zero value is ready to use. A Recorder is not safe for concurrent use.
type Recorder struct {
	header      http.Header
	status      int
	wroteHeader bool
	body        bytes.Buffer
}

// NewRecorder returns an empty Recorder.
func NewRecorder() *Recorder { return &Recorder{} }

// Header returns the response headers.
func (r *Recorder) Header() http.Header {
	if r.header == nil {
		r.header = make(http.Header)
	}
	return r.header
}

// WriteHeader records the status code; calls after the first are ignored,
// as with net/http.
func (r *Recorder) WriteHeader(status int) {
	if r.wroteHeader {
		return
	}
	r.wroteHeader = true
	r.status = status
}

// Write appends to the body, recording status 200 first if no status was set.
func (r *Recorder) Write(p []byte) (int, error) {
	if !r.wroteHeader {
		r.WriteHeader(http.StatusOK)
	}
	return r.body.Write(p)
}

// Status returns the recorded status code, 200 if none was written.
func (r *Recorder) Status() int {
	if !r.wroteHeader {
		return http.StatusOK
	}
	return r.status
}

// Body returns the bytes written so far. The slice aliases the Recorder's
// buffer until the next Write.
func (r *Recorder) Body() []byte { return r.body.Bytes() }
