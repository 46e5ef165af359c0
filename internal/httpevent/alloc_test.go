package httpevent

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// TestReadersDoNotAllocate checks the per-request readers that wrappers call
// before deciding whether to build a full view.
func TestReadersDoNotAllocate(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T) func()
	}{
		{name: "rest", run: readers[events.APIGatewayProxyRequest, events.APIGatewayProxyResponse]("rest-mixed-headers.json", "Cloudfront-Forwarded-Proto", "lang")},
		{name: "http api", run: readers[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse]("httpapi-cookies.json", "Authorization", "lang")},
		{name: "alb single", run: readers[events.ALBTargetGroupRequest, events.ALBTargetGroupResponse]("alb-single.json", "Authorization", "theme")},
		{name: "alb multi", run: readers[events.ALBTargetGroupRequest, events.ALBTargetGroupResponse]("alb-multi.json", "X-Tenant", "theme")},
		{name: "function url", run: readers[events.LambdaFunctionURLRequest, events.LambdaFunctionURLResponse]("functionurl-cookies.json", "AUTHORIZATION", "cookie2")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.run(t)
			if n := testing.AllocsPerRun(100, f); n != 0 {
				t.Errorf("Header, Cookie, SourceIP and Method allocate %v times per call, want 0", n)
			}
		})
	}
}

// readers returns a func that loads file and then returns a func calling
// Header (present and absent), Cookie, SourceIP and Method, failing on a
// wrong result.
func readers[E, R any](file, header, cookie string) func(t *testing.T) func() {
	return func(t *testing.T) func() {
		t.Helper()
		e := new(E)
		if err := json.Unmarshal(readTestdata(t, file), e); err != nil {
			t.Fatal(err)
		}
		a := For[E, R]()
		return func() {
			if a.Header(e, header) == "" || a.Header(e, "X-Absent-Header") != "" {
				t.Fatalf("Header(%q) missing", header)
			}
			if _, ok := a.Cookie(e, cookie); !ok {
				t.Fatalf("Cookie(%q) missing", cookie)
			}
			if _, ok := a.Cookie(e, "absent"); ok {
				t.Fatalf("Cookie(absent) found")
			}
			_ = a.SourceIP(e)
			if a.Method(e) == "" {
				t.Fatalf("Method empty")
			}
		}
	}
}

// TestPathAndRawQueryDoNotAllocate checks Path on a path without escapes
// and RawQuery on a raw query kept as sent.
func TestPathAndRawQueryDoNotAllocate(t *testing.T) {
	rd := ReaderFor[events.APIGatewayV2HTTPRequest]()
	e := &events.APIGatewayV2HTTPRequest{RawPath: "/orders/42", RawQueryString: "filter[name]=x&ids=1|2"}
	n := testing.AllocsPerRun(100, func() {
		if rd.Path(e) != "/orders/42" || rd.RawQuery(e) != e.RawQueryString {
			t.Fatalf("Path, RawQuery = %q, %q", rd.Path(e), rd.RawQuery(e))
		}
	})
	if n != 0 {
		t.Errorf("Path and RawQuery allocate %v times per call, want 0", n)
	}
}
