package httpevent

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

type ctxKey struct{}

// probe holds what the adapter's per-request readers return for one event,
// so that table tests can check them against the full view.
type probe struct {
	header   func(name string) string
	cookie   func(name string) (string, bool)
	sourceIP string
	body     func() ([]byte, error)
}

// viewOf builds the view and the probe of an event of type E decoded from
// JSON.
type viewOf func(t *testing.T, ctx context.Context, data []byte) (*http.Request, probe, error)

func kind[E, R any]() viewOf {
	return func(t *testing.T, ctx context.Context, data []byte) (*http.Request, probe, error) {
		t.Helper()
		e := new(E)
		if err := json.Unmarshal(data, e); err != nil {
			t.Fatalf("unmarshal %T: %v", *e, err)
		}
		a := For[E, R]()
		p := probe{
			header:   func(name string) string { return a.Header(e, name) },
			cookie:   func(name string) (string, bool) { return a.Cookie(e, name) },
			sourceIP: a.SourceIP(e),
			body:     func() ([]byte, error) { return a.Body(e) },
		}
		r, err := a.Request(ctx, e)
		return r, p, err
	}
}

var (
	restKind        = kind[events.APIGatewayProxyRequest, events.APIGatewayProxyResponse]()
	httpAPIKind     = kind[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse]()
	albKind         = kind[events.ALBTargetGroupRequest, events.ALBTargetGroupResponse]()
	functionURLKind = kind[events.LambdaFunctionURLRequest, events.LambdaFunctionURLResponse]()
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type viewWant struct {
	method      string
	path        string
	escapedPath string
	requestURI  string
	query       url.Values
	host        string
	// headers maps a name, spelled in any case, to its want r.Header.Get
	// value; "" means absent.
	headers map[string]string
	// values maps a canonical name to all its want values.
	values map[string][]string
	// cookies maps a name to its want value; "-" means absent.
	cookies    map[string]string
	body       string
	remoteAddr string
}

func TestRequestView(t *testing.T) {
	tests := []struct {
		name string
		file string
		kind viewOf
		want viewWant
	}{
		{
			name: "rest mixed headers multi-value query base64 body",
			file: "rest-mixed-headers.json",
			kind: restKind,
			want: viewWant{
				method:      "POST",
				path:        "/prod/orders/42",
				escapedPath: "/prod/orders/42",
				requestURI:  "/prod/orders/42?q=fish+%26+chips&tag=red&tag=blue",
				query:       url.Values{"tag": {"red", "blue"}, "q": {"fish & chips"}},
				host:        "api.example.com",
				headers: map[string]string{
					"authorization":              "Bearer multi-map-token",
					"AUTHORIZATION":              "Bearer multi-map-token",
					"cloudfront-forwarded-proto": "https",
					"X-Custom-Trace":             "single-only",
					"x-amz-meta-tag":             "one",
					"Host":                       "",
					"X-Missing":                  "",
				},
				values: map[string][]string{
					"Cookie":         {"session=abc123; theme=dark", "lang=en-GB"},
					"X-Amz-Meta-Tag": {"one", "two"},
					"Authorization":  {"Bearer multi-map-token"},
					"X-Custom-Trace": {"single-only"},
				},
				cookies:    map[string]string{"session": "abc123", "theme": "dark", "lang": "en-GB", "Session": "-", "missing": "-"},
				body:       `{"order":"A-1","qty":2}`,
				remoteAddr: "198.51.100.7",
			},
		},
		{
			name: "rest single-value query escaped and encoded path",
			file: "rest-single-query.json",
			kind: restKind,
			want: viewWant{
				method:      "GET",
				path:        "/files/report 2024.pdf",
				escapedPath: "/files/report%202024.pdf",
				requestURI:  "/files/report%202024.pdf?empty=&filter=a%3Db%26c&name=J%C3%B6rg+M%C3%BCller",
				query:       url.Values{"name": {"Jörg Müller"}, "filter": {"a=b&c"}, "empty": {""}},
				host:        "wt6mne2s9k.execute-api.us-west-2.amazonaws.com",
				headers:     map[string]string{"Accept": "*/*", "X-API-KEY": "k-123", "Cookie": ""},
				values:      map[string][]string{"User-Agent": {"Mozilla/5.0"}},
				cookies:     map[string]string{"session": "-"},
				body:        "",
				remoteAddr:  "2001:db8::1",
			},
		},
		{
			name: "http api cookies field repeats escapes base64 body",
			file: "httpapi-cookies.json",
			kind: httpAPIKind,
			want: viewWant{
				method:      "POST",
				path:        "/items",
				escapedPath: "/items",
				requestURI:  "/items?tag=red&tag=blue&q=fish%20%26%20chips&name=J%C3%B6rg&plus=a+b",
				query:       url.Values{"tag": {"red", "blue"}, "q": {"fish & chips"}, "name": {"Jörg"}, "plus": {"a b"}},
				host:        "r3pmxmplak.execute-api.us-east-2.amazonaws.com",
				headers: map[string]string{
					"Authorization":   "Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig",
					"Accept-Encoding": "gzip, deflate, br",
					"X-Request-IDs":   "a1,b2",
					"cookie":          `session=s3cr3t-session; theme="dark"; lang=en-GB`,
				},
				values:     map[string][]string{"Cookie": {`session=s3cr3t-session; theme="dark"; lang=en-GB`}},
				cookies:    map[string]string{"session": "s3cr3t-session", "theme": "dark", "lang": "en-GB", "other": "-"},
				body:       `{"order":"A-1","qty":2}`,
				remoteAddr: "192.0.2.44",
			},
		},
		{
			name: "http api decoded path with space and cookie header fallback",
			file: "httpapi-plain.json",
			kind: httpAPIKind,
			want: viewWant{
				method:      "PUT",
				path:        "/docs/my file.txt",
				escapedPath: "/docs/my%20file.txt",
				requestURI:  "/docs/my%20file.txt",
				query:       url.Values{},
				host:        "r3pmxmplak.execute-api.us-east-2.amazonaws.com",
				headers:     map[string]string{"Content-Type": "text/plain; charset=utf-8", "Cookie": "fallback=from-header"},
				cookies:     map[string]string{"fallback": "from-header"},
				body:        "hello, world",
				remoteAddr:  "203.0.113.5",
			},
		},
		{
			name: "alb single-value mode with encoded query",
			file: "alb-single.json",
			kind: albKind,
			want: viewWant{
				method:      "GET",
				path:        "/search/café",
				escapedPath: "/search/caf%C3%A9",
				requestURI:  "/search/caf%C3%A9?name=J%C3%B6rg&plus=a+b&q=fish%20%26%20chips",
				query:       url.Values{"q": {"fish & chips"}, "name": {"Jörg"}, "plus": {"a b"}},
				host:        "lambda-alb-123578498.us-east-1.elb.amazonaws.com",
				headers:     map[string]string{"Authorization": "Bearer alb-token", "X-Forwarded-For": "72.12.164.125"},
				cookies:     map[string]string{"session": "alb-session", "theme": "light"},
				body:        "",
				remoteAddr:  "",
			},
		},
		{
			name: "alb multi-value mode with binary body",
			file: "alb-multi.json",
			kind: albKind,
			want: viewWant{
				method:      "POST",
				path:        "/upload",
				escapedPath: "/upload",
				requestURI:  "/upload?q=fish%20%26%20chips&tag=red&tag=blue",
				query:       url.Values{"q": {"fish & chips"}, "tag": {"red", "blue"}},
				host:        "lambda-alb-123578498.us-east-1.elb.amazonaws.com",
				headers:     map[string]string{"x-tenant": "t-1", "Content-Type": "application/octet-stream"},
				values:      map[string][]string{"X-Tenant": {"t-1", "t-2"}, "Cookie": {"session=alb-multi", "theme=light"}},
				cookies:     map[string]string{"session": "alb-multi", "theme": "light"},
				body:        "\x89PNG\r\n\x1a\n\x00\xff",
				remoteAddr:  "",
			},
		},
		{
			name: "function url cookies and base64 form body",
			file: "functionurl-cookies.json",
			kind: functionURLKind,
			want: viewWant{
				method:      "POST",
				path:        "/my/path",
				escapedPath: "/my/path",
				requestURI:  "/my/path?parameter1=value1&parameter1=value2&parameter2=value",
				query:       url.Values{"parameter1": {"value1", "value2"}, "parameter2": {"value"}},
				host:        "abcdefghijkl3mnopqrstu4vwxyz.lambda-url.us-west-2.on.aws",
				headers:     map[string]string{"Authorization": "Bearer url-token", "header2": "value1,value2"},
				values:      map[string][]string{"Cookie": {"cookie1=one; cookie2=two"}},
				cookies:     map[string]string{"cookie1": "one", "cookie2": "two"},
				body:        "name=J%C3%B6rg&tier=gold",
				remoteAddr:  "123.123.123.123",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.WithValue(t.Context(), ctxKey{}, tt.name)
			r, p, err := tt.kind(t, ctx, readTestdata(t, tt.file))
			if err != nil {
				t.Fatalf("Request: %v", err)
			}
			checkView(t, r, p, tt.want)
			if got := r.Context().Value(ctxKey{}); got != tt.name {
				t.Errorf("context value = %v, want %q", got, tt.name)
			}
		})
	}
}

func checkView(t *testing.T, r *http.Request, p probe, want viewWant) {
	t.Helper()
	if r.Method != want.method {
		t.Errorf("Method = %q, want %q", r.Method, want.method)
	}
	if r.URL.Path != want.path {
		t.Errorf("URL.Path = %q, want %q", r.URL.Path, want.path)
	}
	if got := r.URL.EscapedPath(); got != want.escapedPath {
		t.Errorf("EscapedPath = %q, want %q", got, want.escapedPath)
	}
	if r.RequestURI != want.requestURI {
		t.Errorf("RequestURI = %q, want %q", r.RequestURI, want.requestURI)
	}
	if q, err := url.ParseQuery(r.URL.RawQuery); err != nil {
		t.Errorf("ParseQuery(%q): %v", r.URL.RawQuery, err)
	} else if !reflect.DeepEqual(q, want.query) {
		t.Errorf("query = %v, want %v", q, want.query)
	}
	if r.Host != want.host {
		t.Errorf("Host = %q, want %q", r.Host, want.host)
	}
	if r.Proto != "HTTP/1.1" || r.ProtoMajor != 1 || r.ProtoMinor != 1 {
		t.Errorf("Proto = %q %d.%d, want HTTP/1.1", r.Proto, r.ProtoMajor, r.ProtoMinor)
	}
	if _, ok := r.Header["Host"]; ok {
		t.Errorf("Header has Host; want it moved to r.Host")
	}
	for name, v := range want.headers {
		if got := r.Header.Get(name); got != v {
			t.Errorf("r.Header.Get(%q) = %q, want %q", name, got, v)
		}
		if name == "Host" {
			continue
		}
		if got := p.header(name); got != v {
			t.Errorf("Header(%q) = %q, want %q", name, got, v)
		}
	}
	for name, v := range want.values {
		if got := r.Header.Values(name); !reflect.DeepEqual(got, v) {
			t.Errorf("r.Header.Values(%q) = %q, want %q", name, got, v)
		}
	}
	for name, v := range want.cookies {
		c, err := r.Cookie(name)
		got, ok := p.cookie(name)
		if v == "-" {
			if err == nil {
				t.Errorf("r.Cookie(%q) = %q, want absent", name, c.Value)
			}
			if ok {
				t.Errorf("Cookie(%q) = %q, want absent", name, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("r.Cookie(%q): %v, want %q", name, err, v)
		} else if c.Value != v {
			t.Errorf("r.Cookie(%q) = %q, want %q", name, c.Value, v)
		}
		if !ok || got != v {
			t.Errorf("Cookie(%q) = %q, %v, want %q", name, got, ok, v)
		}
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	if string(body) != want.body {
		t.Errorf("body = %q, want %q", body, want.body)
	}
	if r.ContentLength != int64(len(want.body)) {
		t.Errorf("ContentLength = %d, want %d", r.ContentLength, len(want.body))
	}
	again, err := r.GetBody()
	if err != nil {
		t.Fatalf("GetBody: %v", err)
	}
	if b, _ := io.ReadAll(again); string(b) != want.body {
		t.Errorf("GetBody body = %q, want %q", b, want.body)
	}
	if b, err := p.body(); err != nil || string(b) != want.body {
		t.Errorf("Body() = %q, %v, want %q", b, err, want.body)
	}
	if r.RemoteAddr != want.remoteAddr {
		t.Errorf("RemoteAddr = %q, want %q", r.RemoteAddr, want.remoteAddr)
	}
	if p.sourceIP != want.remoteAddr {
		t.Errorf("SourceIP = %q, want %q", p.sourceIP, want.remoteAddr)
	}
}

// TestRequestDoesNotShareMemory checks that changing the view leaves the
// event alone, so that a wrapper can hand the same event to the next handler.
func TestRequestDoesNotShareMemory(t *testing.T) {
	var e events.APIGatewayProxyRequest
	if err := json.Unmarshal(readTestdata(t, "rest-mixed-headers.json"), &e); err != nil {
		t.Fatal(err)
	}
	a := For[events.APIGatewayProxyRequest, events.APIGatewayProxyResponse]()
	r, err := a.Request(t.Context(), &e)
	if err != nil {
		t.Fatal(err)
	}
	r.Header["X-Amz-Meta-Tag"][0] = "changed"
	r.Header.Add("X-Amz-Meta-Tag", "added")
	r.Header.Set("Accept", "text/html")
	if got := e.MultiValueHeaders["x-amz-meta-tag"]; !reflect.DeepEqual(got, []string{"one", "two"}) {
		t.Errorf("event multiValueHeaders changed to %q", got)
	}
	if got := e.Headers["Accept"]; got != "application/json" {
		t.Errorf("event headers changed to %q", got)
	}
}

func TestRequestErrors(t *testing.T) {
	rest := For[events.APIGatewayProxyRequest, events.APIGatewayProxyResponse]()
	v2 := For[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse]()
	const secret = "c2VjcmV0LXRva2Vu!!"
	tests := []struct {
		name      string
		do        func() (*http.Request, error)
		wantField string
	}{
		{
			name: "invalid base64 body",
			do: func() (*http.Request, error) {
				return rest.Request(t.Context(), &events.APIGatewayProxyRequest{HTTPMethod: "POST", Body: secret, IsBase64Encoded: true})
			},
			wantField: "body",
		},
		{
			name: "invalid base64 body v2",
			do: func() (*http.Request, error) {
				e := events.APIGatewayV2HTTPRequest{Body: secret, IsBase64Encoded: true}
				e.RequestContext.HTTP.Method = "POST"
				return v2.Request(t.Context(), &e)
			},
			wantField: "body",
		},
		{
			name: "method not a token",
			do: func() (*http.Request, error) {
				return rest.Request(t.Context(), &events.APIGatewayProxyRequest{HTTPMethod: "GET " + secret})
			},
			wantField: "method",
		},
		{
			name: "nil event",
			do: func() (*http.Request, error) {
				return rest.Request(t.Context(), nil)
			},
		},
		{
			name: "nil context",
			do: func() (*http.Request, error) {
				//nolint:staticcheck // a nil context is the input under test
				return rest.Request(nil, &events.APIGatewayProxyRequest{HTTPMethod: "GET"})
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tt.do()
			if err == nil {
				t.Fatalf("Request = %v, want error", r.URL)
			}
			// Only a body error comes with a (bodiless) view.
			if (r != nil) != (tt.wantField == "body") {
				t.Errorf("Request returned view %v with error %v", r, err)
			}
			if !errors.Is(err, ErrInvalidEvent) {
				t.Errorf("errors.Is(%v, ErrInvalidEvent) = false", err)
			}
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("error %T is not *Error", err)
			}
			if fe.Field != tt.wantField {
				t.Errorf("Field = %q, want %q", fe.Field, tt.wantField)
			}
			if strings.Contains(err.Error(), "c2VjcmV0") {
				t.Errorf("error text %q echoes the input", err)
			}
		})
	}
	if _, err := rest.Body(nil); !errors.Is(err, ErrInvalidEvent) {
		t.Errorf("Body(nil) error = %v, want ErrInvalidEvent", err)
	}
	if _, err := v2.Body(&events.APIGatewayV2HTTPRequest{Body: secret, IsBase64Encoded: true}); !errors.Is(err, ErrInvalidEvent) {
		t.Errorf("Body(invalid base64) error = %v, want ErrInvalidEvent", err)
	}
}

func TestNilEventReads(t *testing.T) {
	check := func(t *testing.T, header string, cookieOK bool, ip string) {
		t.Helper()
		if header != "" || cookieOK || ip != "" {
			t.Errorf("nil event: Header = %q, Cookie ok = %v, SourceIP = %q; want all empty", header, cookieOK, ip)
		}
	}
	t.Run("rest", func(t *testing.T) {
		a := For[events.APIGatewayProxyRequest, events.APIGatewayProxyResponse]()
		_, ok := a.Cookie(nil, "a")
		check(t, a.Header(nil, "Accept"), ok, a.SourceIP(nil))
	})
	t.Run("alb", func(t *testing.T) {
		a := For[events.ALBTargetGroupRequest, events.ALBTargetGroupResponse]()
		_, ok := a.Cookie(nil, "a")
		check(t, a.Header(nil, "Accept"), ok, a.SourceIP(nil))
		resp := a.Response(nil, http.StatusNoContent, nil, nil)
		if resp.Headers == nil || resp.MultiValueHeaders != nil {
			t.Errorf("nil event response uses multi-value mode: %+v", resp)
		}
	})
}

// TestPathAndQueryEdges checks paths and queries that AWS may deliver
// decoded or that hand-built events hold. The raw query is kept as sent, as
// net/http's server keeps it, except for the bytes a request line cannot
// hold.
func TestPathAndQueryEdges(t *testing.T) {
	tests := []struct {
		name         string
		path         string
		rawQuery     string
		wantPath     string
		wantEscaped  string
		wantRawQuery string
	}{
		{name: "empty path", path: "", wantPath: "/", wantEscaped: "/"},
		{name: "no leading slash", path: "a/b", wantPath: "/a/b", wantEscaped: "/a/b"},
		{name: "encoded slash kept", path: "/a%2Fb", wantPath: "/a/b", wantEscaped: "/a%2Fb"},
		{name: "bare percent", path: "/100%/x%zz", wantPath: "/100%/x%zz", wantEscaped: "/100%25/x%25zz"},
		{name: "decoded question mark and hash", path: "/users/me?admin=true#x", rawQuery: "a=1", wantPath: "/users/me?admin=true#x", wantEscaped: "/users/me%3Fadmin=true%23x", wantRawQuery: "a=1"},
		{name: "sub-delims kept", path: "/a!b'(c)*", wantPath: "/a!b'(c)*", wantEscaped: "/a!b'(c)*"},
		{name: "query brackets and pipe as sent", rawQuery: "filter[name]=x&ids=1|2", wantPath: "/", wantEscaped: "/", wantRawQuery: "filter[name]=x&ids=1|2"},
		{name: "query hash bare percent and non-ascii as sent", rawQuery: "a=b#d&e=100%&f=%zz&g=\xc3\xa9;h=\"<>\\^`{}", wantPath: "/", wantEscaped: "/", wantRawQuery: "a=b#d&e=100%&f=%zz&g=\xc3\xa9;h=\"<>\\^`{}"},
		{name: "query space and controls escaped", rawQuery: "a=b c&d=\x00\n\x7f", wantPath: "/", wantEscaped: "/", wantRawQuery: "a=b%20c&d=%00%0A%7F"},
	}
	a := For[events.LambdaFunctionURLRequest, events.LambdaFunctionURLResponse]()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := events.LambdaFunctionURLRequest{RawPath: tt.path, RawQueryString: tt.rawQuery}
			r, err := a.Request(t.Context(), &e)
			if err != nil {
				t.Fatal(err)
			}
			if r.Method != http.MethodGet {
				t.Errorf("Method = %q, want GET for an empty method", r.Method)
			}
			if r.URL.Path != tt.wantPath {
				t.Errorf("Path = %q, want %q", r.URL.Path, tt.wantPath)
			}
			if got := r.URL.EscapedPath(); got != tt.wantEscaped {
				t.Errorf("EscapedPath = %q, want %q", got, tt.wantEscaped)
			}
			if r.URL.RawQuery != tt.wantRawQuery {
				t.Errorf("RawQuery = %q, want %q", r.URL.RawQuery, tt.wantRawQuery)
			}
			// The view must survive a round trip through its RequestURI,
			// as a request line net/http's server accepts.
			u, err := url.ParseRequestURI(r.RequestURI)
			if err != nil {
				t.Fatalf("ParseRequestURI(%q): %v", r.RequestURI, err)
			}
			if u.Path != r.URL.Path || u.RawQuery != r.URL.RawQuery {
				t.Errorf("RequestURI %q parses to %q ? %q, want %q ? %q", r.RequestURI, u.Path, u.RawQuery, r.URL.Path, r.URL.RawQuery)
			}
		})
	}
}

// TestALBQueryNoInjection checks that ALB's (still encoded) parameters are
// kept as sent, and that separators in a hand-built event's parameters
// cannot add parameters.
func TestALBQueryNoInjection(t *testing.T) {
	a := For[events.ALBTargetGroupRequest, events.ALBTargetGroupResponse]()
	tests := []struct {
		name         string
		e            events.ALBTargetGroupRequest
		wantRawQuery string
	}{
		{
			name:         "single",
			e:            events.ALBTargetGroupRequest{QueryStringParameters: map[string]string{"q": "x&admin=true", "k=v": "1;2", "p": "50%", "filter[name]": "a|b"}},
			wantRawQuery: "filter[name]=a|b&k%3Dv=1;2&p=50%&q=x%26admin=true",
		},
		{
			name: "multi wins",
			e: events.ALBTargetGroupRequest{
				QueryStringParameters:           map[string]string{"q": "single"},
				MultiValueQueryStringParameters: map[string][]string{"q": {"a#b", "c d", "e=f"}, "r": {}},
			},
			wantRawQuery: "q=a#b&q=c%20d&q=e=f",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := a.Request(t.Context(), &tt.e)
			if err != nil {
				t.Fatal(err)
			}
			if r.URL.RawQuery != tt.wantRawQuery {
				t.Errorf("RawQuery = %q, want %q", r.URL.RawQuery, tt.wantRawQuery)
			}
			if got := r.URL.Query(); got.Has("admin") {
				t.Errorf("query %v has an injected parameter", got)
			}
		})
	}
}

// TestHeaderCasingCollisions checks that hand-built events spelling one
// header in several casings read the same, in rank order, through Header,
// Cookie and the view, whatever the map iteration order.
func TestHeaderCasingCollisions(t *testing.T) {
	tests := []struct {
		name       string
		build      func() (header func(string) string, cookie func(string) (string, bool), r *http.Request, err error)
		wantValues []string
		wantCookie string
	}{
		{
			name: "http api single map",
			build: func() (func(string) string, func(string) (string, bool), *http.Request, error) {
				a := For[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse]()
				e := &events.APIGatewayV2HTTPRequest{Headers: map[string]string{
					"X-DUP": "upper", "x-dup": "lower", "X-Dup": "canonical", "x-DUP": "mixed",
					"COOKIE": "c=upper", "Cookie": "c=canonical", "cookie": "other=1",
				}}
				r, err := a.Request(t.Context(), e)
				return func(n string) string { return a.Header(e, n) }, func(n string) (string, bool) { return a.Cookie(e, n) }, r, err
			},
			wantValues: []string{"lower", "canonical", "upper", "mixed"},
			wantCookie: "canonical",
		},
		{
			name: "rest multi map wins over single map",
			build: func() (func(string) string, func(string) (string, bool), *http.Request, error) {
				a := For[events.APIGatewayProxyRequest, events.APIGatewayProxyResponse]()
				e := &events.APIGatewayProxyRequest{
					Headers: map[string]string{"x-dup": "single", "cookie": "c=single"},
					MultiValueHeaders: map[string][]string{
						"x-dup": {}, "X-DUP": {"upper1", "upper2"}, "X-Dup": {"canonical"}, "x-DUP": {"mixed"},
						"COOKIE": {"c=upper"}, "Cookie": {"d=1", "c=canonical"},
					},
				}
				r, err := a.Request(t.Context(), e)
				return func(n string) string { return a.Header(e, n) }, func(n string) (string, bool) { return a.Cookie(e, n) }, r, err
			},
			wantValues: []string{"canonical", "upper1", "upper2", "mixed"},
			wantCookie: "canonical",
		},
		{
			name: "rest single map collision",
			build: func() (func(string) string, func(string) (string, bool), *http.Request, error) {
				a := For[events.APIGatewayProxyRequest, events.APIGatewayProxyResponse]()
				e := &events.APIGatewayProxyRequest{
					Headers:           map[string]string{"X-Dup": "canonical", "x-dup": "lower"},
					MultiValueHeaders: map[string][]string{"Other": {"o"}},
				}
				r, err := a.Request(t.Context(), e)
				return func(n string) string { return a.Header(e, n) }, func(n string) (string, bool) { return a.Cookie(e, n) }, r, err
			},
			wantValues: []string{"lower", "canonical"},
			wantCookie: "-",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Map iteration order varies between runs; repeat to catch
			// order dependence.
			for range 20 {
				header, cookie, r, err := tt.build()
				if err != nil {
					t.Fatal(err)
				}
				want := tt.wantValues
				if got := r.Header.Values("X-Dup"); !reflect.DeepEqual(got, want) {
					t.Fatalf("r.Header.Values = %q, want %q", got, want)
				}
				for _, name := range []string{"x-dup", "X-DUP", "X-Dup", "x-dUp"} {
					if got := header(name); got != want[0] {
						t.Fatalf("Header(%q) = %q, want %q", name, got, want[0])
					}
				}
				got, ok := cookie("c")
				rc, rerr := r.Cookie("c")
				if tt.wantCookie == "-" {
					if ok || rerr == nil {
						t.Fatalf("Cookie = %q, %v; r.Cookie err = %v; want absent", got, ok, rerr)
					}
					continue
				}
				if !ok || got != tt.wantCookie {
					t.Fatalf("Cookie(c) = %q, %v, want %q", got, ok, tt.wantCookie)
				}
				if rerr != nil || rc.Value != tt.wantCookie {
					t.Fatalf("r.Cookie(c) = %v, %v, want %q", rc, rerr, tt.wantCookie)
				}
			}
		})
	}
}

func TestHeaderNames(t *testing.T) {
	long := strings.Repeat("x", maxProbe+5)
	e := &events.APIGatewayV2HTTPRequest{Headers: map[string]string{
		"bad name":                  "dropped",
		"":                          "empty",
		strings.ToUpper(long):       "long",
		"x-ünicode":                 "dropped",
		"x-kelvin\u212a":            "dropped",
		"content-type":              "text/plain",
		"X-Only-Canonical-Spelling": "canon",
	}}
	a := For[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse]()
	r, err := a.Request(t.Context(), e)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		want string
	}{
		{name: "bad name", want: ""},
		{name: "", want: ""},
		{name: long, want: "long"},
		{name: "x-kelvink", want: ""},
		{name: "CONTENT-TYPE", want: "text/plain"},
		{name: "x-only-canonical-spelling", want: "canon"},
		{name: "X-ONLY-CANONICAL-SPELLING", want: "canon"},
	}
	for _, tt := range tests {
		if got := a.Header(e, tt.name); got != tt.want {
			t.Errorf("Header(%q) = %q, want %q", tt.name, got, tt.want)
		}
		if tt.name == "" || strings.Contains(tt.name, " ") {
			continue
		}
		if got := r.Header.Get(tt.name); got != tt.want {
			t.Errorf("r.Header.Get(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
	if n := len(r.Header); n != 3 {
		t.Errorf("view has %d headers (%v), want 3: invalid names dropped", n, r.Header)
	}
}

func TestCookieParsing(t *testing.T) {
	tests := []struct {
		name   string
		lines  []string
		cookie string
		want   string
		wantOK bool
	}{
		{name: "quoted", lines: []string{`a="x y"`}, cookie: "a", want: "x y", wantOK: true},
		{name: "invalid value skipped", lines: []string{`a=b"c; a=ok`}, cookie: "a", want: "ok", wantOK: true},
		{name: "spaces and empty parts", lines: []string{" ; a = 1 ;; b=2 "}, cookie: "b", want: "2", wantOK: true},
		{name: "no equals", lines: []string{"flag; a=1"}, cookie: "flag", want: "", wantOK: true},
		{name: "case-sensitive name", lines: []string{"Session=1"}, cookie: "session", wantOK: false},
		{name: "invalid name", lines: []string{"a b=1"}, cookie: "a b", wantOK: false},
		{name: "second line", lines: []string{"a=1", "b=2"}, cookie: "b", want: "2", wantOK: true},
		{name: "non-ascii value", lines: []string{"a=é"}, cookie: "a", wantOK: false},
	}
	a := For[events.APIGatewayProxyRequest, events.APIGatewayProxyResponse]()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &events.APIGatewayProxyRequest{MultiValueHeaders: map[string][]string{"Cookie": tt.lines}}
			got, ok := a.Cookie(e, tt.cookie)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Cookie(%q) = %q, %v, want %q, %v", tt.cookie, got, ok, tt.want, tt.wantOK)
			}
			r, err := a.Request(t.Context(), e)
			if err != nil {
				t.Fatal(err)
			}
			c, err := r.Cookie(tt.cookie)
			if (err == nil) != tt.wantOK || err == nil && c.Value != tt.want {
				t.Errorf("r.Cookie(%q) = %v, %v, want %q, %v", tt.cookie, c, err, tt.want, tt.wantOK)
			}
		})
	}
}

func TestBodyIsCopied(t *testing.T) {
	a := For[events.ALBTargetGroupRequest, events.ALBTargetGroupResponse]()
	e := &events.ALBTargetGroupRequest{Body: "abc"}
	b1, err := a.Body(e)
	if err != nil {
		t.Fatal(err)
	}
	b1[0] = 'X'
	b2, _ := a.Body(e)
	if !bytes.Equal(b2, []byte("abc")) {
		t.Errorf("Body = %q after changing an earlier result, want %q", b2, "abc")
	}
}

// TestTokenMask derives the token bytes from RFC 9110's tchar rule.
func TestTokenMask(t *testing.T) {
	for c := 0; c < 256; c++ {
		want := c < 128 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.IndexByte("!#$%&'*+-.^_`|~", byte(c)) >= 0)
		if got := isTokenByte(byte(c)); got != want {
			t.Errorf("isTokenByte(%#x) = %v, want %v", c, got, want)
		}
	}
}
