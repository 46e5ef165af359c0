package httpevent

import (
	"encoding/base64"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// renderBody returns the body field and the isBase64Encoded flag of a
// response. The body stays text when the Content-Type is textual and the
// bytes are valid UTF-8; anything else (binary types, a missing Content-Type,
// invalid UTF-8) is sent base64-encoded. An empty body is "". Response has
// sniffed a missing Content-Type before.
func renderBody(header http.Header, body []byte) (string, bool) {
	if len(body) == 0 {
		return "", false
	}
	ct, _ := lookup(header, "Content-Type", nonEmpty)
	if len(ct) > 0 && isTextual(ct[0]) && utf8.Valid(body) {
		return string(body), false
	}
	return base64.StdEncoding.EncodeToString(body), true
}

// isTextual reports whether a Content-Type names text: text/*, JSON, XML
// (including +json and +xml suffixes), JavaScript and form data.
func isTextual(contentType string) bool {
	if contentType == "" {
		return false
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		// Fall back to the part before any parameters.
		mt, _, _ = strings.Cut(contentType, ";")
		mt = strings.ToLower(trimOWS(mt))
	}
	typ, sub, ok := strings.Cut(mt, "/")
	if !ok {
		return false
	}
	switch {
	case typ == "text":
		return true
	case sub == "json", strings.HasSuffix(sub, "+json"),
		sub == "xml", strings.HasSuffix(sub, "+xml"),
		strings.Contains(sub, "javascript"),
		sub == "x-www-form-urlencoded":
		return true
	}
	return false
}

// sniffs reports whether a response needs the Content-Type net/http's
// server would sniff: it has a body, a status that allows one, no
// Content-Type and no Content-Encoding.
func sniffs(status int, header http.Header, body []byte) bool {
	if len(body) == 0 || !bodyAllowed(status) || hasName(header, "Content-Type") {
		return false
	}
	ce, _ := lookup(header, "Content-Encoding", nonEmpty)
	return len(ce) == 0 || ce[0] == ""
}

// bodyAllowed reports whether a response with status may have a body, as
// net/http decides it: not for 1xx, 204 and 304.
func bodyAllowed(status int) bool {
	switch {
	case status >= 100 && status <= 199:
		return false
	case status == http.StatusNoContent, status == http.StatusNotModified:
		return false
	}
	return true
}

// statusCode maps 0 (a handler that never called WriteHeader) to 200.
func statusCode(status int) int {
	if status == 0 {
		return http.StatusOK
	}
	return status
}

// statusDescription returns ALB's "401 Unauthorized" form, or the bare code
// for a status without a standard text.
func statusDescription(status int) string {
	code := strconv.Itoa(status)
	if text := http.StatusText(status); text != "" {
		return code + " " + text
	}
	return code
}

// allValues returns a copy of header without empty entries (nil for no
// headers).
func allValues(header http.Header) map[string][]string {
	if len(header) == 0 {
		return nil
	}
	m := make(map[string][]string, len(header))
	for k, v := range header {
		if len(v) > 0 {
			m[k] = append([]string(nil), v...)
		}
	}
	return m
}

// joinedValues returns header with repeated values joined by ", ", as the
// single-value header maps of HTTP API, Function URL and single-value ALB
// responses need. Set-Cookie values cannot be joined: with cookies non-nil
// they are appended to *cookies; otherwise only the first one is kept.
func joinedValues(header http.Header, cookies *[]string) map[string]string {
	if len(header) == 0 {
		return nil
	}
	m := make(map[string]string, len(header))
	setCookie := false
	for k, v := range header {
		if len(v) == 0 {
			continue
		}
		if foldEqual(k, "Set-Cookie") {
			setCookie = true
			continue
		}
		m[k] = joinValues(k, v)
	}
	if !setCookie {
		return m
	}
	// Spellings of Set-Cookie are read in rank order, so the result does
	// not depend on map iteration order.
	keys := foldKeys(header, "Set-Cookie", nonEmpty)
	if cookies == nil {
		m[keys[0]] = header[keys[0]][0]
		return m
	}
	for _, k := range keys {
		*cookies = append(*cookies, header[k]...)
	}
	return m
}

// joinValues returns the single-value form of header k's values: joined with
// ", ", except Set-Cookie, whose values cannot be joined: only the first is
// kept.
func joinValues(k string, v []string) string {
	if foldEqual(k, "Set-Cookie") {
		return v[0]
	}
	return strings.Join(v, ", ")
}
