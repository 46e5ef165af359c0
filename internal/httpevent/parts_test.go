package httpevent

import (
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// guardHeader is what a guard adds to a handler's response: a name the
// handler also set (in another casing), new names, and an empty entry.
func guardHeader() http.Header {
	return http.Header{
		"Content-Type":    {"application/problem+json"},
		"Ratelimit-Limit": {"10"},
		"Vary":            {"Origin", "Accept"},
		"Set-Cookie":      {"g=1", "h=2"},
		"X-Empty":         {},
	}
}

func TestAddHeadersREST(t *testing.T) {
	a := For[events.APIGatewayProxyRequest, events.APIGatewayProxyResponse]()
	tests := []struct {
		name string
		resp events.APIGatewayProxyResponse
		want events.APIGatewayProxyResponse
	}{
		{
			name: "handler headers in both maps win",
			resp: events.APIGatewayProxyResponse{
				Headers:           map[string]string{"content-type": "text/plain"},
				MultiValueHeaders: map[string][]string{"VARY": {"Cookie"}},
			},
			want: events.APIGatewayProxyResponse{
				Headers: map[string]string{"content-type": "text/plain"},
				MultiValueHeaders: map[string][]string{
					"VARY": {"Cookie"}, "Ratelimit-Limit": {"10"}, "Set-Cookie": {"g=1", "h=2"},
				},
			},
		},
		{
			name: "no handler headers",
			resp: events.APIGatewayProxyResponse{StatusCode: 204},
			want: events.APIGatewayProxyResponse{StatusCode: 204, MultiValueHeaders: map[string][]string{
				"Content-Type": {"application/problem+json"}, "Ratelimit-Limit": {"10"},
				"Vary": {"Origin", "Accept"}, "Set-Cookie": {"g=1", "h=2"},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := guardHeader()
			a.AddHeaders(nil, &tt.resp, h)
			if !reflect.DeepEqual(tt.resp, tt.want) {
				t.Fatalf("AddHeaders =\n%+v\nwant\n%+v", tt.resp, tt.want)
			}
			h["Set-Cookie"][0] = "changed"
			if got := tt.resp.MultiValueHeaders["Set-Cookie"]; got[0] != "g=1" {
				t.Errorf("response shares memory with h: Set-Cookie = %q", got)
			}
		})
	}
}

func TestAddHeadersV2AndFunctionURL(t *testing.T) {
	type v2 struct {
		headers map[string]string
		cookies []string
	}
	tests := []struct {
		name string
		resp v2
		want v2
	}{
		{
			name: "handler headers and cookies win",
			resp: v2{headers: map[string]string{"vary": "Cookie"}, cookies: []string{"s=1"}},
			want: v2{headers: map[string]string{"vary": "Cookie", "Content-Type": "application/problem+json", "Ratelimit-Limit": "10"}, cookies: []string{"s=1"}},
		},
		{
			name: "set-cookie header in the handler's headers",
			resp: v2{headers: map[string]string{"set-cookie": "s=1"}},
			want: v2{headers: map[string]string{"set-cookie": "s=1", "Content-Type": "application/problem+json", "Ratelimit-Limit": "10", "Vary": "Origin, Accept"}},
		},
		{
			name: "no handler headers",
			resp: v2{},
			want: v2{
				headers: map[string]string{"Content-Type": "application/problem+json", "Ratelimit-Limit": "10", "Vary": "Origin, Accept"},
				cookies: []string{"g=1", "h=2"},
			},
		},
	}
	api := For[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse]()
	url := For[events.LambdaFunctionURLRequest, events.LambdaFunctionURLResponse]()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r1 := events.APIGatewayV2HTTPResponse{StatusCode: 201, Headers: clone(tt.resp.headers), Cookies: tt.resp.cookies}
			api.AddHeaders(nil, &r1, guardHeader())
			if got := (v2{r1.Headers, r1.Cookies}); !reflect.DeepEqual(got, tt.want) || r1.StatusCode != 201 {
				t.Errorf("HTTP API AddHeaders = %+v, want %+v", got, tt.want)
			}
			r2 := events.LambdaFunctionURLResponse{Headers: clone(tt.resp.headers), Cookies: tt.resp.cookies}
			url.AddHeaders(nil, &r2, guardHeader())
			if got := (v2{r2.Headers, r2.Cookies}); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Function URL AddHeaders = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func clone[V any](m map[string]V) map[string]V {
	if m == nil {
		return nil
	}
	c := make(map[string]V, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func TestAddHeadersALB(t *testing.T) {
	a := For[events.ALBTargetGroupRequest, events.ALBTargetGroupResponse]()
	multiReq := &events.ALBTargetGroupRequest{MultiValueHeaders: map[string][]string{"host": {"x"}}}
	singleReq := &events.ALBTargetGroupRequest{Headers: map[string]string{"host": "x"}}
	single := map[string]string{"Ratelimit-Limit": "10", "Vary": "Origin, Accept", "Set-Cookie": "g=1"}
	multi := map[string][]string{"Ratelimit-Limit": {"10"}, "Vary": {"Origin", "Accept"}, "Set-Cookie": {"g=1", "h=2"}}
	tests := []struct {
		name string
		e    *events.ALBTargetGroupRequest
		resp events.ALBTargetGroupResponse
		want events.ALBTargetGroupResponse
	}{
		{
			name: "response in single-value mode, request in multi",
			e:    multiReq,
			resp: events.ALBTargetGroupResponse{Headers: map[string]string{"content-type": "text/plain"}},
			want: events.ALBTargetGroupResponse{Headers: merged(single, "content-type", "text/plain")},
		},
		{
			name: "response in multi-value mode, request in single",
			e:    singleReq,
			resp: events.ALBTargetGroupResponse{MultiValueHeaders: map[string][]string{"CONTENT-TYPE": {"text/plain"}}},
			want: events.ALBTargetGroupResponse{MultiValueHeaders: merged(multi, "CONTENT-TYPE", []string{"text/plain"})},
		},
		{
			name: "no response headers, multi-value request",
			e:    multiReq,
			resp: events.ALBTargetGroupResponse{},
			want: events.ALBTargetGroupResponse{MultiValueHeaders: merged(multi, "Content-Type", []string{"application/problem+json"})},
		},
		{
			name: "no response headers, nil request",
			e:    nil,
			resp: events.ALBTargetGroupResponse{Headers: map[string]string{}},
			want: events.ALBTargetGroupResponse{Headers: merged(single, "Content-Type", "application/problem+json")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a.AddHeaders(tt.e, &tt.resp, guardHeader())
			if !reflect.DeepEqual(tt.resp, tt.want) {
				t.Errorf("AddHeaders =\n%+v\nwant\n%+v", tt.resp, tt.want)
			}
		})
	}
}

// merged returns a copy of m with k set to v.
func merged[V any](m map[string]V, k string, v V) map[string]V {
	c := clone(m)
	c[k] = v
	return c
}

func TestAddHeadersEmptyDoesNotAllocate(t *testing.T) {
	a := For[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse]()
	resp := events.APIGatewayV2HTTPResponse{Headers: map[string]string{"a": "1"}}
	empty, some := http.Header{}, http.Header{"X": {"1"}}
	n := testing.AllocsPerRun(100, func() {
		a.AddHeaders(nil, &resp, nil)
		a.AddHeaders(nil, &resp, empty)
		a.AddHeaders(nil, nil, some)
	})
	if n != 0 {
		t.Errorf("AddHeaders with nothing to add allocates %v times, want 0", n)
	}
	if len(resp.Headers) != 1 {
		t.Errorf("headers = %v, want unchanged", resp.Headers)
	}
}

func TestParts(t *testing.T) {
	rest := For[events.APIGatewayProxyRequest, events.APIGatewayProxyResponse]()
	api := For[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse]()
	url := For[events.LambdaFunctionURLRequest, events.LambdaFunctionURLResponse]()
	alb := For[events.ALBTargetGroupRequest, events.ALBTargetGroupResponse]()
	type result struct {
		status int
		header http.Header
		body   string
	}
	tests := []struct {
		name  string
		parts func() (int, http.Header, []byte, error)
		want  result
	}{
		{
			name: "rest multi-value entry wins, zero status, base64 body",
			parts: func() (int, http.Header, []byte, error) {
				return rest.Parts(&events.APIGatewayProxyResponse{
					Headers:           map[string]string{"content-type": "text/plain", "X-A": "single"},
					MultiValueHeaders: map[string][]string{"x-a": {"m1", "m2"}},
					Body:              "aGk=", IsBase64Encoded: true,
				})
			},
			want: result{200, http.Header{"Content-Type": {"text/plain"}, "X-A": {"m1", "m2"}}, "hi"},
		},
		{
			name: "http api cookies become set-cookie after the header's",
			parts: func() (int, http.Header, []byte, error) {
				return api.Parts(&events.APIGatewayV2HTTPResponse{
					StatusCode: 401,
					Headers:    map[string]string{"www-authenticate": "Bearer", "set-cookie": "h=1", "vary": "Origin, Accept"},
					Cookies:    []string{"a=1", "b=2"},
					Body:       "{}",
				})
			},
			want: result{401, http.Header{"Www-Authenticate": {"Bearer"}, "Set-Cookie": {"h=1", "a=1", "b=2"}, "Vary": {"Origin, Accept"}}, "{}"},
		},
		{
			name: "function url",
			parts: func() (int, http.Header, []byte, error) {
				return url.Parts(&events.LambdaFunctionURLResponse{StatusCode: 503, Cookies: []string{"a=1"}})
			},
			want: result{503, http.Header{"Set-Cookie": {"a=1"}}, ""},
		},
		{
			name: "alb invalid header names dropped",
			parts: func() (int, http.Header, []byte, error) {
				return alb.Parts(&events.ALBTargetGroupResponse{
					StatusCode:        429,
					StatusDescription: "429 Too Many Requests",
					MultiValueHeaders: map[string][]string{"retry-after": {"3"}, "bad name": {"x"}},
				})
			},
			want: result{429, http.Header{"Retry-After": {"3"}}, ""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, header, body, err := tt.parts()
			if err != nil {
				t.Fatal(err)
			}
			if got := (result{status, header, string(body)}); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parts = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestPartsErrors(t *testing.T) {
	const secret = "c2VjcmV0LXRva2Vu!!"
	tests := []struct {
		name      string
		parts     func() error
		wantField string
	}{
		{
			name: "rest invalid base64",
			parts: func() error {
				_, _, _, err := For[events.APIGatewayProxyRequest, events.APIGatewayProxyResponse]().Parts(
					&events.APIGatewayProxyResponse{Body: secret, IsBase64Encoded: true})
				return err
			},
			wantField: "body",
		},
		{
			name: "http api invalid base64",
			parts: func() error {
				_, _, _, err := For[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse]().Parts(
					&events.APIGatewayV2HTTPResponse{Body: secret, IsBase64Encoded: true})
				return err
			},
			wantField: "body",
		},
		{
			name: "alb nil response",
			parts: func() error {
				_, _, _, err := For[events.ALBTargetGroupRequest, events.ALBTargetGroupResponse]().Parts(nil)
				return err
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.parts()
			if !errors.Is(err, ErrInvalidResponse) || errors.Is(err, ErrInvalidEvent) {
				t.Fatalf("error %v: want ErrInvalidResponse only", err)
			}
			var fe *Error
			if !errors.As(err, &fe) || fe.Field != tt.wantField {
				t.Fatalf("error %#v: want *Error with Field %q", err, tt.wantField)
			}
			if strings.Contains(err.Error(), "c2VjcmV0") || !strings.HasPrefix(err.Error(), "httpevent: invalid response") {
				t.Errorf("error text %q", err)
			}
		})
	}
}

// TestResponsePartsRoundTrip checks that Parts reads back what Response
// rendered, for every kind and both ALB modes.
func TestResponsePartsRoundTrip(t *testing.T) {
	header := http.Header{"Content-Type": {"application/octet-stream"}, "X-Trace": {"t-1"}, "Set-Cookie": {"a=1"}}
	body := []byte{0, 1, 2, 0xff}
	roundTrips := []struct {
		name string
		run  func() (int, http.Header, []byte, error)
	}{
		{"rest", roundTrip[events.APIGatewayProxyRequest, events.APIGatewayProxyResponse](nil, header, body)},
		{"http api", roundTrip[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse](nil, header, body)},
		{"function url", roundTrip[events.LambdaFunctionURLRequest, events.LambdaFunctionURLResponse](nil, header, body)},
		{"alb single", roundTrip[events.ALBTargetGroupRequest, events.ALBTargetGroupResponse](nil, header, body)},
		{"alb multi", roundTrip[events.ALBTargetGroupRequest, events.ALBTargetGroupResponse](&events.ALBTargetGroupRequest{MultiValueHeaders: map[string][]string{"a": {"1"}}}, header, body)},
	}
	for _, rt := range roundTrips {
		t.Run(rt.name, func(t *testing.T) {
			status, h, b, err := rt.run()
			if err != nil {
				t.Fatal(err)
			}
			if status != http.StatusAccepted || !reflect.DeepEqual(h, header) || string(b) != string(body) {
				t.Errorf("Parts = %d %v %q, want %d %v %q", status, h, b, http.StatusAccepted, header, body)
			}
		})
	}
}

func roundTrip[E, R any](e *E, header http.Header, body []byte) func() (int, http.Header, []byte, error) {
	return func() (int, http.Header, []byte, error) {
		a := For[E, R]()
		resp := a.Response(e, http.StatusAccepted, header, body)
		return a.Parts(&resp)
	}
}
