package httpevent

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// FuzzRequest feeds arbitrary event JSON to the reader or adapter chosen by
// kind and checks that no reader panics, that errors are the package's, that
// the view is well formed and agrees with Header, Values, Cookie, Method,
// Path and RawQuery, and that Parts reads back what Response rendered and
// AddHeaders merged.
func FuzzRequest(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for k := range byte(7) {
			f.Add(data, k)
		}
	}
	f.Add([]byte(`{"headers":{"X-A":"1","x-a":"2"},"multiValueHeaders":{"X-A":["3"],"x-A":[]},"path":"%zz?#"}`), byte(0))
	f.Add([]byte(`{"rawPath":"a b","rawQueryString":"a=%&b=;#","cookies":["a=\"b\"","c"],"headers":{"cookie":"a=2"}}`), byte(1))
	f.Add([]byte(`{"body":"!!","isBase64Encoded":true,"httpMethod":"G T"}`), byte(2))
	f.Add([]byte(`{"rawQueryString":"f[a]=1|2&b=%zz#c\u0001 \u007f\u00e9","body":"!!","isBase64Encoded":true,"headers":{"x":"1"}}`), byte(3))
	f.Add([]byte(`{"queryStringParameters":{"k=&":"v&w=x","[a]":"%"},"multiValueHeaders":{"A":["1"],"a":["2","3"]}}`), byte(2))
	f.Add([]byte(`{"methodArn":"arn:aws:execute-api:r:1:api/s/PATCH/a%2Fb:c d","authorizationToken":"Bearer x"}`), byte(6))
	f.Add([]byte(`{"headers":{"A":"1","a":"2"},"multiValueHeaders":{"a":["3"],"b":[]},"multiValueQueryStringParameters":{"q":["1","2"]}}`), byte(4))
	f.Add([]byte(`{"rawPath":"/x","cookies":["a=1"],"headers":{"Cookie":"b=2","cookie":"c=3"}}`), byte(5))
	f.Fuzz(func(t *testing.T, data []byte, kind byte) {
		switch kind % 7 {
		case 0:
			fuzzKind[events.APIGatewayProxyRequest, events.APIGatewayProxyResponse](t, data)
		case 1:
			fuzzKind[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse](t, data)
		case 2:
			fuzzKind[events.ALBTargetGroupRequest, events.ALBTargetGroupResponse](t, data)
		case 3:
			fuzzKind[events.LambdaFunctionURLRequest, events.LambdaFunctionURLResponse](t, data)
		case 4:
			fuzzReader[events.APIGatewayCustomAuthorizerRequestTypeRequest](t, data)
		case 5:
			fuzzReader[events.APIGatewayV2CustomAuthorizerV2Request](t, data)
		case 6:
			fuzzReader[events.APIGatewayCustomAuthorizerRequest](t, data)
		}
	})
}

func fuzzKind[E, R any](t *testing.T, data []byte) {
	e := new(E)
	if json.Unmarshal(data, e) != nil {
		return
	}
	a := For[E, R]()
	_ = a.SourceIP(e)
	body, bodyErr := a.Body(e)
	r, err := a.Request(context.Background(), e)
	if err != nil {
		if !errors.Is(err, ErrInvalidEvent) {
			t.Fatalf("Request error %v does not match ErrInvalidEvent", err)
		}
		checkFuzzBodyless(t, a.Reader, e, r, err)
	} else {
		checkFuzzView(t, a, e, r, body, bodyErr)
	}
	headers := []http.Header{nil, {"Set-Cookie": {"a=1", "b=2"}, "Content-Type": {"application/json"}}}
	if r != nil {
		headers = append(headers, r.Header)
	}
	for _, status := range []int{0, 200, 401, 999} {
		for _, h := range headers {
			resp := a.Response(e, status, h, body)
			before := checkFuzzParts(t, a, &resp, statusCode(status), body)
			added := headers[len(headers)-1]
			a.AddHeaders(e, &resp, added)
			after := checkFuzzParts(t, a, &resp, statusCode(status), body)
			checkFuzzMerge(t, before, after, added)
		}
	}
	_ = a.Response(nil, 500, http.Header{"Content-Type": {"text/plain"}}, data)
	checkReaderAgrees[E](t, data)
	// The same bytes read as a handler's response.
	resp := new(R)
	if json.Unmarshal(data, resp) == nil {
		if _, _, _, err := a.Parts(resp); err != nil && !errors.Is(err, ErrInvalidResponse) {
			t.Fatalf("Parts error %v does not match ErrInvalidResponse", err)
		}
	}
}

// checkFuzzBodyless checks the view Request returns alongside an error: one
// without a body, only for a body that is not valid base64.
func checkFuzzBodyless[E any](t *testing.T, rd *Reader[E], e *E, r *http.Request, err error) {
	t.Helper()
	var fe *Error
	bodyErr := errors.As(err, &fe) && fe.Field == "body"
	if bodyErr != (r != nil) {
		t.Fatalf("Request error %v came with view %v", err, r)
	}
	if r != nil && (r.Method != rd.Method(e) || r.URL.Path != rd.Path(e) || r.ContentLength != 0 || r.Body != http.NoBody) {
		t.Fatalf("bodiless view %s %q (length %d), readers say %s %q", r.Method, r.URL.Path, r.ContentLength, rd.Method(e), rd.Path(e))
	}
}

// checkFuzzParts checks that Parts reads the status and body back from a
// response Response rendered, and returns the header it read.
func checkFuzzParts[E, R any](t *testing.T, a *Adapter[E, R], resp *R, status int, body []byte) http.Header {
	t.Helper()
	gotStatus, header, gotBody, err := a.Parts(resp)
	if err != nil || gotStatus != status || string(gotBody) != string(body) {
		t.Fatalf("Parts = %d, %q, %v; want %d, %q", gotStatus, gotBody, err, status, body)
	}
	return header
}

// checkFuzzMerge checks that AddHeaders kept every header the response had
// and added every valid name of added.
func checkFuzzMerge(t *testing.T, before, after, added http.Header) {
	t.Helper()
	for k, v := range before {
		if !slices.Equal(after[k], v) {
			t.Fatalf("AddHeaders changed %s from %q to %q", k, v, after[k])
		}
	}
	for k, v := range added {
		if len(v) > 0 && validToken(k) && len(after.Values(k)) == 0 {
			t.Fatalf("AddHeaders did not add %s", k)
		}
	}
}

// fuzzReader checks a request-only reader: no panics, the package's
// errors, and readers that agree with the view.
func fuzzReader[E any](t *testing.T, data []byte) {
	e := new(E)
	if json.Unmarshal(data, e) != nil {
		return
	}
	rd := ReaderFor[E]()
	_ = rd.SourceIP(e)
	_, _ = rd.Cookie(e, "session")
	if _, err := rd.Body(e); err != nil {
		t.Fatalf("Body of a request-only event: %v", err)
	}
	checkReaderAgrees[E](t, data)
}

func checkFuzzView[E, R any](t *testing.T, a *Adapter[E, R], e *E, r *http.Request, body []byte, bodyErr error) {
	t.Helper()
	if bodyErr != nil {
		t.Fatalf("Request succeeded but Body failed: %v", bodyErr)
	}
	got, err := io.ReadAll(r.Body)
	if err != nil || string(got) != string(body) || r.ContentLength != int64(len(body)) {
		t.Fatalf("view body %q (len %d), err %v; Body() %q", got, r.ContentLength, err, body)
	}
	if u, err := url.ParseRequestURI(r.RequestURI); err != nil || u.RawQuery != r.URL.RawQuery || u.Path != r.URL.Path {
		t.Fatalf("RequestURI %q does not round-trip: %v", r.RequestURI, err)
	}
	if strings.ContainsFunc(r.URL.RawQuery, func(c rune) bool { return c <= ' ' || c == 0x7f }) {
		t.Fatalf("RawQuery %q holds a byte a request line cannot", r.URL.RawQuery)
	}
	for _, name := range []string{"Authorization", "cookie", "X-A", "x-a", "Host", "a", "session", ""} {
		if name != "" && name != "Host" {
			if got, want := a.Header(e, name), r.Header.Get(name); got != want {
				t.Fatalf("Header(%q) = %q, view has %q", name, got, want)
			}
		}
		got, ok := a.Cookie(e, name)
		if name == "" {
			if ok {
				t.Fatalf("Cookie(\"\") found %q", got)
			}
			continue
		}
		c, err := r.Cookie(name)
		if ok != (err == nil) || ok && c.Value != got {
			// The view's cookie parser gives up on more than 3000 cookies.
			if len(r.Cookies()) == 0 {
				continue
			}
			t.Fatalf("Cookie(%q) = %q, %v; view %v, %v", name, got, ok, c, err)
		}
	}
}
