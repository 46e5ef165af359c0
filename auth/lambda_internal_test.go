package auth

import (
	"reflect"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// testCopyCredentials copies src's credential fields into a pooled-like
// event, checks them with want, then clears it and checks it is zero.
func testCopyCredentials[E any](t *testing.T, src E, want func(got *E) bool) {
	t.Helper()
	var dst E
	copyCredentials(&dst, &src)
	if !want(&dst) {
		t.Fatalf("after copy: got %+v", dst)
	}
	copyCredentials(&dst, nil)
	if !reflect.ValueOf(dst).IsZero() {
		t.Fatalf("after clear: got %+v, want the zero event", dst)
	}
}

func TestCopyCredentials(t *testing.T) {
	h := map[string]string{"authorization": "Bearer x"}
	mh := map[string][]string{"authorization": {"Bearer x"}}
	cookies := []string{"at=x"}
	t.Run("HTTP API", func(t *testing.T) {
		testCopyCredentials(t, events.APIGatewayV2HTTPRequest{Headers: h, Cookies: cookies, Body: "b", RawPath: "/p"},
			func(e *events.APIGatewayV2HTTPRequest) bool {
				return e.Headers != nil && len(e.Cookies) == 1 && e.Body == "" && e.RawPath == ""
			})
	})
	t.Run("Function URL", func(t *testing.T) {
		testCopyCredentials(t, events.LambdaFunctionURLRequest{Headers: h, Cookies: cookies, Body: "b"},
			func(e *events.LambdaFunctionURLRequest) bool {
				return e.Headers != nil && len(e.Cookies) == 1 && e.Body == ""
			})
	})
	t.Run("REST API", func(t *testing.T) {
		testCopyCredentials(t, events.APIGatewayProxyRequest{Headers: h, MultiValueHeaders: mh, Body: "b"},
			func(e *events.APIGatewayProxyRequest) bool {
				return e.Headers != nil && e.MultiValueHeaders != nil && e.Body == ""
			})
	})
	t.Run("ALB", func(t *testing.T) {
		testCopyCredentials(t, events.ALBTargetGroupRequest{Headers: h, MultiValueHeaders: mh, Body: "b"},
			func(e *events.ALBTargetGroupRequest) bool {
				return e.Headers != nil && e.MultiValueHeaders != nil && e.Body == ""
			})
	})
	t.Run("other type copied whole", func(t *testing.T) {
		type other struct{ A, B string }
		testCopyCredentials(t, other{"a", "b"}, func(e *other) bool { return *e == other{"a", "b"} })
	})
}
