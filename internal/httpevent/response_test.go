package httpevent

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

func TestRenderBody(t *testing.T) {
	binary := []byte{0x89, 'P', 'N', 'G', 0, 0xff}
	tests := []struct {
		name        string
		contentType string
		body        []byte
		want        string
		wantBase64  bool
	}{
		{name: "empty", contentType: "application/octet-stream", body: nil, want: ""},
		{name: "json", contentType: "application/json", body: []byte(`{"a":1}`), want: `{"a":1}`},
		{name: "problem json with params", contentType: "application/problem+json; charset=utf-8", body: []byte(`{}`), want: `{}`},
		{name: "text upper case", contentType: "TEXT/HTML", body: []byte("<p>é</p>"), want: "<p>é</p>"},
		{name: "xml", contentType: "application/xml", body: []byte("<a/>"), want: "<a/>"},
		{name: "atom xml", contentType: "application/atom+xml", body: []byte("<feed/>"), want: "<feed/>"},
		{name: "javascript", contentType: "application/javascript", body: []byte("x()"), want: "x()"},
		{name: "form", contentType: "application/x-www-form-urlencoded", body: []byte("a=1"), want: "a=1"},
		{name: "malformed params fall back", contentType: "text/plain; charset", body: []byte("hi"), want: "hi"},
		{name: "binary type", contentType: "image/png", body: binary, want: base64.StdEncoding.EncodeToString(binary), wantBase64: true},
		{name: "text type invalid utf-8", contentType: "text/plain", body: []byte("a\xffb"), want: base64.StdEncoding.EncodeToString([]byte("a\xffb")), wantBase64: true},
		{name: "no content type", contentType: "", body: []byte("hi"), want: "aGk=", wantBase64: true},
		{name: "no subtype", contentType: "text", body: []byte("hi"), want: "aGk=", wantBase64: true},
		{name: "jsonp lookalike", contentType: "application/jsonx", body: []byte("hi"), want: "aGk=", wantBase64: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.contentType != "" {
				h.Set("Content-Type", tt.contentType)
			}
			got, b64 := renderBody(h, tt.body)
			if got != tt.want || b64 != tt.wantBase64 {
				t.Errorf("renderBody = %q, %v, want %q, %v", got, b64, tt.want, tt.wantBase64)
			}
		})
	}
}

func problemHeader() http.Header {
	return http.Header{
		"Content-Type":     {"application/problem+json"},
		"Www-Authenticate": {`Bearer error="invalid_token"`},
		"Vary":             {"Origin", "Accept"},
		"Set-Cookie":       {"a=1; Path=/", "b=2; HttpOnly"},
		"X-Empty":          {},
	}
}

const problemBody = `{"title":"Unauthorized","status":401}`

func TestResponseREST(t *testing.T) {
	a := For[events.APIGatewayProxyRequest, events.APIGatewayProxyResponse]()
	tests := []struct {
		name   string
		status int
		header http.Header
		body   []byte
		want   events.APIGatewayProxyResponse
	}{
		{
			name:   "problem with multi-value headers",
			status: http.StatusUnauthorized,
			header: problemHeader(),
			body:   []byte(problemBody),
			// Headers stays nil: API Gateway merges both maps, so a name in
			// both would reach the client twice.
			want: events.APIGatewayProxyResponse{
				StatusCode: 401,
				MultiValueHeaders: map[string][]string{
					"Content-Type": {"application/problem+json"}, "Www-Authenticate": {`Bearer error="invalid_token"`},
					"Vary": {"Origin", "Accept"}, "Set-Cookie": {"a=1; Path=/", "b=2; HttpOnly"},
				},
				Body: problemBody,
			},
		},
		{
			name:   "zero status binary body no headers",
			status: 0,
			body:   []byte{0, 1, 2},
			want: events.APIGatewayProxyResponse{
				StatusCode: 200, MultiValueHeaders: map[string][]string{"Content-Type": {"application/octet-stream"}},
				Body: "AAEC", IsBase64Encoded: true,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := a.Response(nil, tt.status, tt.header, tt.body)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Response =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

// TestResponseSniffsContentType checks that a body without a Content-Type
// gets the one net/http's server would sniff, in the response's headers, and
// that text then stays text.
func TestResponseSniffsContentType(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00")
	tests := []struct {
		name       string
		status     int
		header     http.Header
		body       []byte
		wantType   string // "" for none
		wantBase64 bool
	}{
		{name: "plain text", body: []byte("hello, world"), wantType: "text/plain; charset=utf-8"},
		{name: "json without a type", body: []byte(`{"ok":true}`), wantType: "text/plain; charset=utf-8"},
		{name: "html", status: 404, body: []byte("<!DOCTYPE html><p>gone</p>"), wantType: "text/html; charset=utf-8"},
		{name: "png", body: png, wantType: "image/png", wantBase64: true},
		{name: "empty body", header: http.Header{"X-A": {"1"}}},
		{name: "lowercase content-type kept", header: http.Header{"content-type": {"text/csv"}}, body: []byte("a,b"), wantType: "text/csv"},
		{name: "suppressed by an empty entry", header: http.Header{"Content-Type": nil}, body: []byte("hi"), wantBase64: true},
		{name: "content-encoding set", header: http.Header{"Content-Encoding": {"gzip"}}, body: []byte("\x1f\x8b\x08"), wantBase64: true},
		{name: "no body allowed", status: http.StatusNoContent, body: []byte("x"), wantBase64: true},
	}
	rest := For[events.APIGatewayProxyRequest, events.APIGatewayProxyResponse]()
	v2 := For[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse]()
	alb := For[events.ALBTargetGroupRequest, events.ALBTargetGroupResponse]()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tt.header.Clone()
			check := func(kind string) func(int, http.Header, []byte, error) {
				return func(_ int, header http.Header, body []byte, err error) {
					t.Helper()
					if err != nil {
						t.Fatalf("%s: Parts: %v", kind, err)
					}
					if got := header.Get("Content-Type"); got != tt.wantType {
						t.Errorf("%s: Content-Type = %q, want %q", kind, got, tt.wantType)
					}
					if string(body) != string(tt.body) {
						t.Errorf("%s: body = %q, want %q", kind, body, tt.body)
					}
				}
			}
			r := rest.Response(nil, tt.status, tt.header, tt.body)
			if r.IsBase64Encoded != tt.wantBase64 {
				t.Errorf("REST isBase64Encoded = %v, want %v", r.IsBase64Encoded, tt.wantBase64)
			}
			check("REST")(rest.Parts(&r))
			h := v2.Response(nil, tt.status, tt.header, tt.body)
			if h.IsBase64Encoded != tt.wantBase64 {
				t.Errorf("HTTP API isBase64Encoded = %v, want %v", h.IsBase64Encoded, tt.wantBase64)
			}
			check("HTTP API")(v2.Parts(&h))
			l := alb.Response(nil, tt.status, tt.header, tt.body)
			check("ALB")(alb.Parts(&l))
			if !reflect.DeepEqual(tt.header, before) {
				t.Errorf("Response changed the caller's header to %v", tt.header)
			}
		})
	}
}

func TestResponseV2AndFunctionURL(t *testing.T) {
	type v2Want struct {
		status  int
		headers map[string]string
		cookies []string
		body    string
		b64     bool
	}
	tests := []struct {
		name   string
		status int
		header http.Header
		body   []byte
		want   v2Want
	}{
		{
			name:   "set-cookie to cookies and joined values",
			status: http.StatusTooManyRequests,
			header: problemHeader(),
			body:   []byte(problemBody),
			want: v2Want{
				status: 429,
				headers: map[string]string{
					"Content-Type": "application/problem+json", "Www-Authenticate": `Bearer error="invalid_token"`,
					"Vary": "Origin, Accept",
				},
				cookies: []string{"a=1; Path=/", "b=2; HttpOnly"},
				body:    problemBody,
			},
		},
		{
			name:   "set-cookie spellings in rank order",
			status: http.StatusOK,
			header: http.Header{"set-cookie": {"lower=1"}, "Set-Cookie": {"canon=1"}, "SET-COOKIE": {"upper=1"}},
			want:   v2Want{status: 200, headers: map[string]string{}, cookies: []string{"lower=1", "canon=1", "upper=1"}},
		},
		{
			name:   "binary",
			status: http.StatusOK,
			header: http.Header{"Content-Type": {"application/pdf"}},
			body:   []byte("%PDF-1.7"),
			want:   v2Want{status: 200, headers: map[string]string{"Content-Type": "application/pdf"}, body: "JVBERi0xLjc=", b64: true},
		},
	}
	v2 := For[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse]()
	fu := For[events.LambdaFunctionURLRequest, events.LambdaFunctionURLResponse]()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 10 { // map order must not matter
				r := v2.Response(nil, tt.status, tt.header, tt.body)
				got := v2Want{r.StatusCode, r.Headers, r.Cookies, r.Body, r.IsBase64Encoded}
				if !reflect.DeepEqual(got, tt.want) {
					t.Fatalf("HTTP API Response = %+v, want %+v", got, tt.want)
				}
				if r.MultiValueHeaders != nil {
					t.Fatalf("HTTP API MultiValueHeaders = %v, want nil", r.MultiValueHeaders)
				}
				f := fu.Response(nil, tt.status, tt.header, tt.body)
				got = v2Want{f.StatusCode, f.Headers, f.Cookies, f.Body, f.IsBase64Encoded}
				if !reflect.DeepEqual(got, tt.want) {
					t.Fatalf("Function URL Response = %+v, want %+v", got, tt.want)
				}
			}
		})
	}
}

func TestResponseALBModes(t *testing.T) {
	a := For[events.ALBTargetGroupRequest, events.ALBTargetGroupResponse]()
	load := func(t *testing.T, file string) *events.ALBTargetGroupRequest {
		t.Helper()
		e := new(events.ALBTargetGroupRequest)
		if err := json.Unmarshal(readTestdata(t, file), e); err != nil {
			t.Fatal(err)
		}
		return e
	}
	tests := []struct {
		name   string
		file   string
		status int
		header http.Header
		body   []byte
		want   events.ALBTargetGroupResponse
	}{
		{
			name:   "single-value mode",
			file:   "alb-single.json",
			status: http.StatusUnauthorized,
			header: problemHeader(),
			body:   []byte(problemBody),
			want: events.ALBTargetGroupResponse{
				StatusCode: 401, StatusDescription: "401 Unauthorized",
				Headers: map[string]string{
					"Content-Type": "application/problem+json", "Www-Authenticate": `Bearer error="invalid_token"`,
					"Vary": "Origin, Accept", "Set-Cookie": "a=1; Path=/",
				},
				Body: problemBody,
			},
		},
		{
			name:   "multi-value mode",
			file:   "alb-multi.json",
			status: http.StatusTooManyRequests,
			header: problemHeader(),
			body:   []byte(problemBody),
			want: events.ALBTargetGroupResponse{
				StatusCode: 429, StatusDescription: "429 Too Many Requests",
				MultiValueHeaders: map[string][]string{
					"Content-Type": {"application/problem+json"}, "Www-Authenticate": {`Bearer error="invalid_token"`},
					"Vary": {"Origin", "Accept"}, "Set-Cookie": {"a=1; Path=/", "b=2; HttpOnly"},
				},
				Body: problemBody,
			},
		},
		{
			name:   "multi-value mode without headers",
			file:   "alb-multi.json",
			status: 499,
			want: events.ALBTargetGroupResponse{
				StatusCode: 499, StatusDescription: "499", MultiValueHeaders: map[string][]string{},
			},
		},
		{
			name:   "single-value mode binary",
			file:   "alb-single.json",
			status: 0,
			header: http.Header{"Content-Type": {"image/png"}},
			body:   []byte{0x89, 'P', 'N', 'G'},
			want: events.ALBTargetGroupResponse{
				StatusCode: 200, StatusDescription: "200 OK",
				Headers: map[string]string{"Content-Type": "image/png"},
				Body:    "iVBORw==", IsBase64Encoded: true,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := a.Response(load(t, tt.file), tt.status, tt.header, tt.body)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Response =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

// TestResponseDoesNotRetainHeader checks that the rendered response owns its
// header values.
func TestResponseDoesNotRetainHeader(t *testing.T) {
	a := For[events.APIGatewayProxyRequest, events.APIGatewayProxyResponse]()
	h := http.Header{"Vary": {"Origin", "Accept"}}
	got := a.Response(nil, 200, h, nil)
	h["Vary"][0] = "changed"
	if want := []string{"Origin", "Accept"}; !slices.Equal(got.MultiValueHeaders["Vary"], want) {
		t.Errorf("MultiValueHeaders[Vary] = %q after changing the input, want %q", got.MultiValueHeaders["Vary"], want)
	}
}

func TestForAndSupported(t *testing.T) {
	tests := []struct {
		name      string
		supported bool
		forPanics func() (msg string)
		wantNames []string
	}{
		{name: "rest", supported: Supported[events.APIGatewayProxyRequest, events.APIGatewayProxyResponse](),
			forPanics: catch(func() { For[events.APIGatewayProxyRequest, events.APIGatewayProxyResponse]() })},
		{name: "http api", supported: Supported[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse](),
			forPanics: catch(func() { For[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse]() })},
		{name: "alb", supported: Supported[events.ALBTargetGroupRequest, events.ALBTargetGroupResponse](),
			forPanics: catch(func() { For[events.ALBTargetGroupRequest, events.ALBTargetGroupResponse]() })},
		{name: "function url", supported: Supported[events.LambdaFunctionURLRequest, events.LambdaFunctionURLResponse](),
			forPanics: catch(func() { For[events.LambdaFunctionURLRequest, events.LambdaFunctionURLResponse]() })},
		{name: "sqs and string", supported: Supported[events.SQSEvent, string](),
			forPanics: catch(func() { For[events.SQSEvent, string]() }),
			wantNames: []string{"(events.SQSEvent, string)"}},
		{name: "mismatched pair", supported: Supported[events.APIGatewayProxyRequest, events.APIGatewayV2HTTPResponse](),
			forPanics: catch(func() { For[events.APIGatewayProxyRequest, events.APIGatewayV2HTTPResponse]() }),
			wantNames: []string{"events.APIGatewayProxyRequest", "events.APIGatewayV2HTTPResponse"}},
		{name: "pointer event", supported: Supported[*events.APIGatewayProxyRequest, events.APIGatewayProxyResponse](),
			forPanics: catch(func() { For[*events.APIGatewayProxyRequest, events.APIGatewayProxyResponse]() }),
			wantNames: []string{"*events.APIGatewayProxyRequest", "events.APIGatewayProxyResponse"}},
		{name: "interface types", supported: Supported[any, error](),
			forPanics: catch(func() { For[any, error]() }),
			wantNames: []string{"interface {}", "error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := tt.forPanics()
			wantSupported := len(tt.wantNames) == 0
			if tt.supported != wantSupported {
				t.Errorf("Supported = %v, want %v", tt.supported, wantSupported)
			}
			if (msg == "") != wantSupported {
				t.Errorf("For panic = %q, want a panic: %v", msg, !wantSupported)
			}
			for _, name := range tt.wantNames {
				if !strings.Contains(msg, name) || !strings.HasPrefix(msg, "httpevent: unsupported event/response pair (") {
					t.Errorf("panic message %q does not name %q", msg, name)
				}
			}
		})
	}
}

// catch returns a func that runs f and returns its panic message, or "".
func catch(f func()) func() string {
	return func() (msg string) {
		defer func() {
			if r := recover(); r != nil {
				msg, _ = r.(string)
				if msg == "" {
					msg = "non-string panic"
				}
			}
		}()
		f()
		return ""
	}
}
