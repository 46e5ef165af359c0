package httpevent

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// readerChecks runs checkReaderAgrees for every supported request type.
var readerChecks = []struct {
	name  string
	check func(t testing.TB, data []byte)
}{
	{"rest", checkReaderAgrees[events.APIGatewayProxyRequest]},
	{"http api", checkReaderAgrees[events.APIGatewayV2HTTPRequest]},
	{"alb", checkReaderAgrees[events.ALBTargetGroupRequest]},
	{"function url", checkReaderAgrees[events.LambdaFunctionURLRequest]},
	{"request authorizer", checkReaderAgrees[events.APIGatewayCustomAuthorizerRequestTypeRequest]},
	{"v2 authorizer", checkReaderAgrees[events.APIGatewayV2CustomAuthorizerV2Request]},
	{"token authorizer", checkReaderAgrees[events.APIGatewayCustomAuthorizerRequest]},
}

// checkReaderAgrees decodes data as an event of type E and checks that
// Method, Path, RawQuery, Header and Values agree with the view from
// Request. Data that is not a valid event of type E is skipped.
func checkReaderAgrees[E any](t testing.TB, data []byte) {
	t.Helper()
	e := new(E)
	if json.Unmarshal(data, e) != nil {
		return
	}
	rd := ReaderFor[E]()
	if body, err := rd.Body(e); err == nil && rd.BodyLen(e) != len(body) {
		t.Fatalf("BodyLen = %d, Body has %d bytes", rd.BodyLen(e), len(body))
	} else if err != nil && rd.BodyLen(e) < 0 {
		t.Fatalf("BodyLen = %d for an undecodable body", rd.BodyLen(e))
	}
	r, err := rd.Request(context.Background(), e)
	if err != nil {
		if !errors.Is(err, ErrInvalidEvent) {
			t.Fatalf("Request error %v does not match ErrInvalidEvent", err)
		}
		return
	}
	if got := rd.Method(e); got != r.Method {
		t.Fatalf("Method = %q, view has %q", got, r.Method)
	}
	if got := rd.Path(e); got != r.URL.Path {
		t.Fatalf("Path = %q, view has %q", got, r.URL.Path)
	}
	if got := rd.RawQuery(e); got != r.URL.RawQuery {
		t.Fatalf("RawQuery = %q, view has %q", got, r.URL.RawQuery)
	}
	names := []string{"Authorization", "cookie", "COOKIE", "X-A", "x-a", "Content-Type", "a", "bad name", ""}
	for k := range r.Header {
		names = append(names, k, strings.ToLower(k), strings.ToUpper(k))
	}
	for _, name := range names {
		if got, want := rd.Values(e, name), r.Header.Values(name); !slices.Equal(got, want) {
			t.Fatalf("Values(%q) = %q, view has %q", name, got, want)
		}
		if got, want := rd.Count(e, name), len(r.Header.Values(name)); got != want {
			t.Fatalf("Count(%q) = %d, view has %d values", name, got, want)
		}
		if got, want := rd.Header(e, name), r.Header.Get(name); got != want {
			t.Fatalf("Header(%q) = %q, view has %q", name, got, want)
		}
	}
}

// TestReaderAgreesWithView runs every testdata event and every fuzz corpus
// entry through every reader.
func TestReaderAgreesWithView(t *testing.T) {
	inputs := map[string][]byte{}
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		inputs[f] = readFile(t, f)
	}
	corpus, err := filepath.Glob(filepath.Join("testdata", "fuzz", "*", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range corpus {
		if data, ok := corpusBytes(readFile(t, f)); ok {
			inputs[f] = data
		}
	}
	if len(files) < 10 || len(inputs) < len(files)+10 {
		t.Fatalf("found %d testdata events and %d inputs in all; want the testdata and the fuzz corpus", len(files), len(inputs))
	}
	for name, data := range inputs {
		for _, rc := range readerChecks {
			t.Run(name+"/"+rc.name, func(t *testing.T) { rc.check(t, data) })
		}
	}
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// corpusBytes returns the first []byte value of a "go test fuzz v1" corpus
// file.
func corpusBytes(file []byte) ([]byte, bool) {
	sc := bufio.NewScanner(bytes.NewReader(file))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		line := sc.Text()
		if q, ok := strings.CutPrefix(line, "[]byte("); ok {
			s, err := strconv.Unquote(strings.TrimSuffix(q, ")"))
			return []byte(s), err == nil
		}
	}
	return nil, false
}

func readerKind[E any]() viewOf {
	return func(t *testing.T, ctx context.Context, data []byte) (*http.Request, probe, error) {
		t.Helper()
		e := new(E)
		if err := json.Unmarshal(data, e); err != nil {
			t.Fatalf("unmarshal %T: %v", *e, err)
		}
		rd := ReaderFor[E]()
		p := probe{
			header:   func(name string) string { return rd.Header(e, name) },
			cookie:   func(name string) (string, bool) { return rd.Cookie(e, name) },
			sourceIP: rd.SourceIP(e),
			body:     func() ([]byte, error) { return rd.Body(e) },
		}
		r, err := rd.Request(ctx, e)
		return r, p, err
	}
}

// TestAuthorizerViews reads AWS's authorizer event fixtures.
func TestAuthorizerViews(t *testing.T) {
	tests := []struct {
		name string
		file string
		kind viewOf
		want viewWant
	}{
		{
			name: "request authorizer like the rest proxy event",
			file: "apiGatewayAuthorizerRequestEvent.json",
			kind: readerKind[events.APIGatewayCustomAuthorizerRequestTypeRequest](),
			want: viewWant{
				method:      "GET",
				path:        "/request",
				escapedPath: "/request",
				requestURI:  "/request?QueryString1=queryValue1",
				query:       map[string][]string{"QueryString1": {"queryValue1"}},
				host:        "", // the event type has no domain name and the event no Host header
				headers: map[string]string{
					"x-amz-date":    "20170718T062915Z",
					"HEADERAUTH1":   "headerValue1",
					"Header2":       "value1",
					"Authorization": "",
				},
				values: map[string][]string{
					"Header2": {"value1", "value2"},
					"Origin":  {"https://aws.amazon.com"},
					"Accept":  {"*/*"},
				},
				cookies:    map[string]string{"session": "-"},
				remoteAddr: "test-invoke-source-ip",
			},
		},
		{
			// The fixture's routeKey says GET while requestContext.http
			// says POST; like the HTTP API event, the view takes the
			// method from requestContext.http.
			name: "v2 authorizer like the http api event",
			file: "apiGatewayAuthorizerV2Event.json",
			kind: readerKind[events.APIGatewayV2CustomAuthorizerV2Request](),
			want: viewWant{
				method:      "POST",
				path:        "/merchants",
				escapedPath: "/merchants",
				requestURI:  "/merchants?parameter1=value1&parameter1=value2&parameter2=value",
				query:       map[string][]string{"parameter1": {"value1", "value2"}, "parameter2": {"value"}},
				host:        "id.execute-api.us-east-1.amazonaws.com",
				headers:     map[string]string{"authorization": "value", "X-Amzn-Trace-Id": "Root=1-611cc4a7-0746ebee281cfd967db97b64", "Cookie": "cookie1; cookie2"},
				values:      map[string][]string{"Cookie": {"cookie1; cookie2"}, "Header1": {"value1"}},
				cookies:     map[string]string{"cookie1": "", "cookie2": "", "parameter1": "-"},
				remoteAddr:  "10.10.10.10",
			},
		},
		{
			name: "token authorizer",
			file: "apiGatewayAuthorizerTokenEvent.json",
			kind: readerKind[events.APIGatewayCustomAuthorizerRequest](),
			want: viewWant{
				method:      "GET",
				path:        "/",
				escapedPath: "/",
				requestURI:  "/",
				query:       map[string][]string{},
				headers:     map[string]string{"authorization": "allow", "Cookie": ""},
				values:      map[string][]string{"Authorization": {"allow"}},
				cookies:     map[string]string{"allow": "-"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, p, err := tt.kind(t, t.Context(), readTestdata(t, tt.file))
			if err != nil {
				t.Fatalf("Request: %v", err)
			}
			checkView(t, r, p, tt.want)
		})
	}
}

func TestMethodARN(t *testing.T) {
	tests := []struct {
		name       string
		arn        string
		wantMethod string
		wantPath   string
	}{
		{name: "root resource", arn: "arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/*/GET/", wantMethod: "GET", wantPath: "/"},
		{name: "resource path", arn: "arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/POST/orders/42", wantMethod: "POST", wantPath: "/orders/42"},
		{name: "other partition", arn: "arn:aws-cn:execute-api:cn-north-1:123456789012:api/prod/DELETE/a", wantMethod: "DELETE", wantPath: "/a"},
		{name: "colon and escape in path", arn: "arn:aws:execute-api:r:1:api/s/PUT/a:b/c%20d", wantMethod: "PUT", wantPath: "/a:b/c d"},
		{name: "empty", arn: "", wantMethod: "GET", wantPath: "/"},
		{name: "other service", arn: "arn:aws:lambda:us-east-1:123456789012:function/POST/x", wantMethod: "GET", wantPath: "/"},
		{name: "too few fields", arn: "arn:aws:execute-api:us-east-1:api/stage/POST/x", wantMethod: "GET", wantPath: "/"},
		{name: "no method", arn: "arn:aws:execute-api:r:1:api/stage", wantMethod: "GET", wantPath: "/"},
		{name: "no slash after method", arn: "arn:aws:execute-api:r:1:api/stage/POST", wantMethod: "GET", wantPath: "/"},
		{name: "method not a token", arn: "arn:aws:execute-api:r:1:api/stage/P T/x", wantMethod: "GET", wantPath: "/"},
		{name: "empty method", arn: "arn:aws:execute-api:r:1:api/stage//x", wantMethod: "GET", wantPath: "/"},
	}
	rd := ReaderFor[events.APIGatewayCustomAuthorizerRequest]()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &events.APIGatewayCustomAuthorizerRequest{Type: "TOKEN", MethodArn: tt.arn}
			if got := rd.Method(e); got != tt.wantMethod {
				t.Errorf("Method = %q, want %q", got, tt.wantMethod)
			}
			if got := rd.Path(e); got != tt.wantPath {
				t.Errorf("Path = %q, want %q", got, tt.wantPath)
			}
			r, err := rd.Request(t.Context(), e)
			if err != nil {
				t.Fatal(err)
			}
			if r.Method != tt.wantMethod || r.URL.Path != tt.wantPath || len(r.Header) != 0 {
				t.Errorf("view %s %q %v, want %s %q and no header", r.Method, r.URL.Path, r.Header, tt.wantMethod, tt.wantPath)
			}
		})
	}
}

func TestValues(t *testing.T) {
	rest := ReaderFor[events.APIGatewayProxyRequest]()
	v2 := ReaderFor[events.APIGatewayV2HTTPRequest]()
	alb := ReaderFor[events.ALBTargetGroupRequest]()
	token := ReaderFor[events.APIGatewayCustomAuthorizerRequest]()
	tests := []struct {
		name   string
		values func(name string) []string
		header string
		want   []string
	}{
		{
			name: "rest multi-value entry",
			values: func(n string) []string {
				return rest.Values(&events.APIGatewayProxyRequest{
					Headers:           map[string]string{"authorization": "Bearer b"},
					MultiValueHeaders: map[string][]string{"authorization": {"Bearer a", "Bearer b"}},
				}, n)
			},
			header: "Authorization",
			want:   []string{"Bearer a", "Bearer b"},
		},
		{
			name: "rest single map only",
			values: func(n string) []string {
				return rest.Values(&events.APIGatewayProxyRequest{Headers: map[string]string{"X-Key": "k"}}, n)
			},
			header: "x-key",
			want:   []string{"k"},
		},
		{
			name: "rest spellings in rank order",
			values: func(n string) []string {
				return rest.Values(&events.APIGatewayProxyRequest{MultiValueHeaders: map[string][]string{
					"X-KEY": {"upper"}, "x-key": {"lower1", "lower2"}, "X-Key": {"canonical"}, "x-KEY": {}, "X-kEY": {"mixed"},
				}}, n)
			},
			header: "X-Key",
			want:   []string{"lower1", "lower2", "canonical", "upper", "mixed"},
		},
		{
			name: "http api cookies field first",
			values: func(n string) []string {
				return v2.Values(&events.APIGatewayV2HTTPRequest{
					Cookies: []string{"a=1", "b=2"},
					Headers: map[string]string{"cookie": "c=3"},
				}, n)
			},
			header: "Cookie",
			want:   []string{"a=1; b=2", "c=3"},
		},
		{
			name: "http api comma-joined value is one value",
			values: func(n string) []string {
				return v2.Values(&events.APIGatewayV2HTTPRequest{Headers: map[string]string{"authorization": "a,b"}}, n)
			},
			header: "Authorization",
			want:   []string{"a,b"},
		},
		{
			name: "alb multi-value mode ignores the single map",
			values: func(n string) []string {
				return alb.Values(&events.ALBTargetGroupRequest{
					Headers:           map[string]string{"x-a": "single"},
					MultiValueHeaders: map[string][]string{"x-a": {"1", "2"}},
				}, n)
			},
			header: "X-A",
			want:   []string{"1", "2"},
		},
		{
			name: "token authorizer",
			values: func(n string) []string {
				return token.Values(&events.APIGatewayCustomAuthorizerRequest{AuthorizationToken: "t"}, n)
			},
			header: "authorization",
			want:   []string{"t"},
		},
		{
			name: "token authorizer empty token",
			values: func(n string) []string {
				return token.Values(&events.APIGatewayCustomAuthorizerRequest{}, n)
			},
			header: "Authorization",
			want:   nil,
		},
		{
			name: "invalid name",
			values: func(n string) []string {
				return rest.Values(&events.APIGatewayProxyRequest{Headers: map[string]string{"bad name": "x"}}, n)
			},
			header: "bad name",
			want:   nil,
		},
		{
			name:   "nil event",
			values: func(n string) []string { return rest.Values(nil, n) },
			header: "Authorization",
			want:   nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 10 { // map order must not matter
				if got := tt.values(tt.header); !slices.Equal(got, tt.want) {
					t.Fatalf("Values(%q) = %q, want %q", tt.header, got, tt.want)
				}
			}
		})
	}
}

// TestValuesDoesNotAllocate checks the common case: one spelling in a
// multi-value map returns the event's own slice.
func TestValuesDoesNotAllocate(t *testing.T) {
	rest := ReaderFor[events.APIGatewayProxyRequest]()
	e := new(events.APIGatewayProxyRequest)
	if err := json.Unmarshal(readTestdata(t, "rest-mixed-headers.json"), e); err != nil {
		t.Fatal(err)
	}
	n := testing.AllocsPerRun(100, func() {
		if got := rest.Values(e, "X-Amz-Meta-Tag"); len(got) != 2 {
			t.Fatalf("Values = %q, want two values", got)
		}
		if got := rest.Values(e, "X-Absent"); got != nil {
			t.Fatalf("Values(absent) = %q", got)
		}
	})
	if n != 0 {
		t.Errorf("Values allocates %v times per call, want 0", n)
	}
}

func TestReaderForAndSupported(t *testing.T) {
	tests := []struct {
		name      string
		supported bool
		panics    func() string
		wantType  string // "" for a supported type
	}{
		{name: "rest", supported: ReaderSupported[events.APIGatewayProxyRequest](),
			panics: catch(func() { ReaderFor[events.APIGatewayProxyRequest]() })},
		{name: "http api", supported: ReaderSupported[events.APIGatewayV2HTTPRequest](),
			panics: catch(func() { ReaderFor[events.APIGatewayV2HTTPRequest]() })},
		{name: "alb", supported: ReaderSupported[events.ALBTargetGroupRequest](),
			panics: catch(func() { ReaderFor[events.ALBTargetGroupRequest]() })},
		{name: "function url", supported: ReaderSupported[events.LambdaFunctionURLRequest](),
			panics: catch(func() { ReaderFor[events.LambdaFunctionURLRequest]() })},
		{name: "request authorizer", supported: ReaderSupported[events.APIGatewayCustomAuthorizerRequestTypeRequest](),
			panics: catch(func() { ReaderFor[events.APIGatewayCustomAuthorizerRequestTypeRequest]() })},
		{name: "v2 authorizer", supported: ReaderSupported[events.APIGatewayV2CustomAuthorizerV2Request](),
			panics: catch(func() { ReaderFor[events.APIGatewayV2CustomAuthorizerV2Request]() })},
		{name: "token authorizer", supported: ReaderSupported[events.APIGatewayCustomAuthorizerRequest](),
			panics: catch(func() { ReaderFor[events.APIGatewayCustomAuthorizerRequest]() })},
		{name: "sqs", supported: ReaderSupported[events.SQSEvent](),
			panics: catch(func() { ReaderFor[events.SQSEvent]() }), wantType: "events.SQSEvent"},
		{name: "pointer", supported: ReaderSupported[*events.APIGatewayProxyRequest](),
			panics: catch(func() { ReaderFor[*events.APIGatewayProxyRequest]() }), wantType: "*events.APIGatewayProxyRequest"},
		{name: "interface", supported: ReaderSupported[any](),
			panics: catch(func() { ReaderFor[any]() }), wantType: "interface {}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := tt.panics()
			if tt.supported != (tt.wantType == "") {
				t.Errorf("ReaderSupported = %v, want %v", tt.supported, tt.wantType == "")
			}
			if want := "httpevent: unsupported event type " + tt.wantType; tt.wantType != "" && msg != want {
				t.Errorf("ReaderFor panic = %q, want %q", msg, want)
			}
			if tt.wantType == "" && msg != "" {
				t.Errorf("ReaderFor panicked: %q", msg)
			}
		})
	}
}

// TestAdapterEmbedsReader checks that an adapter's reader is the reader of
// its event type, so that both read an event the same way.
func TestAdapterEmbedsReader(t *testing.T) {
	a := For[events.LambdaFunctionURLRequest, events.LambdaFunctionURLResponse]()
	e := &events.LambdaFunctionURLRequest{RawPath: "/a%20b", Headers: map[string]string{"x-a": "1"}}
	e.RequestContext.HTTP.Method = "PATCH"
	rd := ReaderFor[events.LambdaFunctionURLRequest]()
	if a.Method(e) != rd.Method(e) || a.Path(e) != rd.Path(e) || a.Header(e, "X-A") != "1" || !slices.Equal(a.Values(e, "X-A"), rd.Values(e, "X-A")) {
		t.Errorf("adapter reads %s %q, reader %s %q", a.Method(e), a.Path(e), rd.Method(e), rd.Path(e))
	}
}

func TestReaderNilEvent(t *testing.T) {
	rd := ReaderFor[events.APIGatewayCustomAuthorizerRequestTypeRequest]()
	if m, p, q := rd.Method(nil), rd.Path(nil), rd.RawQuery(nil); m != "GET" || p != "/" || q != "" {
		t.Errorf("nil event: Method %q, Path %q, RawQuery %q; want GET, /, empty", m, p, q)
	}
	if v := rd.Values(nil, "Authorization"); v != nil {
		t.Errorf("nil event: Values = %q", v)
	}
	if _, err := rd.Request(t.Context(), nil); !errors.Is(err, ErrInvalidEvent) {
		t.Errorf("Request(nil) error = %v, want ErrInvalidEvent", err)
	}
}

// TestRequestUndecodableBody checks that an event whose body cannot be
// decoded still gives an error handler its real method, path, query and
// headers, alongside the error.
func TestRequestUndecodableBody(t *testing.T) {
	e := new(events.APIGatewayV2HTTPRequest)
	if err := json.Unmarshal(readTestdata(t, "httpapi-cookies.json"), e); err != nil {
		t.Fatal(err)
	}
	e.Body, e.IsBase64Encoded = "not base64!", true
	rd := ReaderFor[events.APIGatewayV2HTTPRequest]()
	r, err := rd.Request(t.Context(), e)
	var fe *Error
	if !errors.As(err, &fe) || fe.Field != "body" || !errors.Is(err, ErrInvalidEvent) {
		t.Fatalf("Request error = %v, want an *Error for the body", err)
	}
	if r == nil {
		t.Fatal("Request returned no view alongside the body error")
	}
	if r.Method != "POST" || r.URL.Path != "/items" || r.URL.RawQuery != e.RawQueryString ||
		r.Header.Get("Authorization") == "" || r.RemoteAddr != "192.0.2.44" || r.Context() != t.Context() {
		t.Errorf("view = %s %s?%s, Authorization %q, RemoteAddr %q; want the event's", r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Authorization"), r.RemoteAddr)
	}
	if r.Body != http.NoBody || r.ContentLength != 0 {
		t.Errorf("body = %v (length %d), want http.NoBody", r.Body, r.ContentLength)
	}
}

func TestEventIdentities(t *testing.T) {
	v2 := &events.APIGatewayV2HTTPRequest{}
	v2.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
		JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: map[string]string{"sub": "u"}, Scopes: []string{"a"}},
		IAM: &events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription{AccountID: "123456789012", UserARN: "arn:aws:iam::123456789012:user/u", PrincipalOrgID: "o-1"},
	}
	if c, s, ok := GatewayJWT(v2); !ok || c["sub"] != "u" || len(s) != 1 {
		t.Errorf("GatewayJWT = %v, %v, %v", c, s, ok)
	}
	if id, ok := IAMCallerOf(v2); !ok || id.AccountID != "123456789012" || id.OrgID != "o-1" {
		t.Errorf("IAMCallerOf(HTTP API) = %+v, %v", id, ok)
	}
	rest := &events.APIGatewayProxyRequest{}
	rest.RequestContext.Identity.AccountID, rest.RequestContext.Identity.UserArn = "123456789012", "arn:aws:iam::123456789012:user/u"
	if id, ok := IAMCallerOf(rest); !ok || id.ARN != "arn:aws:iam::123456789012:user/u" {
		t.Errorf("IAMCallerOf(REST) = %+v, %v", id, ok)
	}
	url := &events.LambdaFunctionURLRequest{}
	url.RequestContext.Authorizer = &events.LambdaFunctionURLRequestContextAuthorizerDescription{
		IAM: &events.LambdaFunctionURLRequestContextAuthorizerIAMDescription{AccountID: "123456789012", UserARN: "arn:aws:iam::123456789012:user/u"}}
	if _, ok := IAMCallerOf(url); !ok {
		t.Error("IAMCallerOf(Function URL) found no caller")
	}
	for name, e := range map[string]any{
		"REST without IAM": &events.APIGatewayProxyRequest{}, "HTTP API without authorizer": &events.APIGatewayV2HTTPRequest{},
		"Function URL without authorizer": &events.LambdaFunctionURLRequest{}, "ALB": &events.ALBTargetGroupRequest{}, "nil": nil,
		"nil REST": (*events.APIGatewayProxyRequest)(nil), "nil HTTP API": (*events.APIGatewayV2HTTPRequest)(nil), "nil URL": (*events.LambdaFunctionURLRequest)(nil),
	} {
		if _, ok := IAMCallerOf(e); ok {
			t.Errorf("IAMCallerOf(%s) found a caller", name)
		}
		if _, _, ok := GatewayJWT(e); ok {
			t.Errorf("GatewayJWT(%s) found claims", name)
		}
	}
	if !IAMCallerSupported[events.LambdaFunctionURLRequest]() || IAMCallerSupported[events.ALBTargetGroupRequest]() {
		t.Error("IAMCallerSupported is wrong")
	}
	if !GatewayJWTSupported[events.APIGatewayV2HTTPRequest]() || GatewayJWTSupported[events.APIGatewayProxyRequest]() {
		t.Error("GatewayJWTSupported is wrong")
	}
}

func TestBodyLen(t *testing.T) {
	rd := ReaderFor[events.APIGatewayV2HTTPRequest]()
	for _, body := range []string{"", "a", "ab", "abc", "abcd", strings.Repeat("x", 1000)} {
		for _, b64 := range []bool{false, true} {
			e := &events.APIGatewayV2HTTPRequest{Body: body, IsBase64Encoded: b64}
			if b64 {
				e.Body = base64.StdEncoding.EncodeToString([]byte(body))
			}
			if got := rd.BodyLen(e); got != len(body) {
				t.Errorf("BodyLen(%q, base64 %v) = %d, want %d", body, b64, got, len(body))
			}
		}
	}
	if rd.BodyLen(nil) != 0 {
		t.Error("BodyLen(nil) != 0")
	}
}

func TestRequestHead(t *testing.T) {
	rd := ReaderFor[events.APIGatewayV2HTTPRequest]()
	e := &events.APIGatewayV2HTTPRequest{RawPath: "/orders", Headers: map[string]string{"x-a": "1"}, Body: "big body"}
	e.RequestContext.HTTP.Method = "PUT"
	r, err := rd.RequestHead(context.Background(), e)
	if err != nil || r.Method != "PUT" || r.URL.Path != "/orders" || r.Header.Get("X-A") != "1" || r.Body != http.NoBody || r.ContentLength != 0 {
		t.Fatalf("RequestHead = %+v, %v; want the request line and headers without the body", r, err)
	}
	if _, err := rd.RequestHead(context.Background(), nil); !errors.Is(err, ErrInvalidEvent) {
		t.Errorf("nil event: %v", err)
	}
	//lint:ignore SA1012 a nil context is the case under test
	if _, err := rd.RequestHead(nil, e); !errors.Is(err, ErrInvalidEvent) { //nolint:staticcheck
		t.Errorf("nil context: %v", err)
	}
}
