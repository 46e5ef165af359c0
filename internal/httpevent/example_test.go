package httpevent_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/internal/httpevent"
)

func Example() {
	// Chosen once, when a handler is wrapped.
	a := httpevent.For[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse]()

	e := events.APIGatewayV2HTTPRequest{
		RawPath:        "/orders/42",
		RawQueryString: "expand=items&expand=customer",
		Cookies:        []string{"session=abc"},
		Headers:        map[string]string{"authorization": "Bearer t0k3n", "content-type": "application/json"},
		Body:           `{"qty":2}`,
	}
	e.RequestContext.HTTP.Method = "PATCH"
	e.RequestContext.HTTP.SourceIP = "192.0.2.10"

	// Cheap reads, no request built.
	fmt.Println(a.Header(&e, "Authorization") != "", a.SourceIP(&e))
	session, _ := a.Cookie(&e, "session")
	fmt.Println(session)

	// The full view.
	r, err := a.Request(context.Background(), &e)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Method, r.URL.Path, r.URL.Query()["expand"], r.ContentLength, r.RemoteAddr)

	// Rendering a rejection.
	h := http.Header{"Content-Type": {"application/problem+json"}, "Set-Cookie": {"session=; Max-Age=0"}}
	resp := a.Response(&e, http.StatusForbidden, h, []byte(`{"status":403}`))
	fmt.Println(resp.StatusCode, resp.Headers["Content-Type"], resp.Cookies, resp.Body, resp.IsBase64Encoded)
	// Output:
	// true 192.0.2.10
	// abc
	// PATCH /orders/42 [items customer] 9 192.0.2.10
	// 403 application/problem+json [session=; Max-Age=0] {"status":403} false
}
