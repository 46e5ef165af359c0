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

func ExampleReaderFor() {
	// A TOKEN authorizer event has no HTTP response, only a reader.
	rd := httpevent.ReaderFor[events.APIGatewayCustomAuthorizerRequest]()
	e := events.APIGatewayCustomAuthorizerRequest{
		Type:               "TOKEN",
		AuthorizationToken: "Bearer t0k3n",
		MethodArn:          "arn:aws:execute-api:us-east-1:123456789012:abcdef123/prod/DELETE/orders/42",
	}
	fmt.Println(rd.Method(&e), rd.Path(&e), rd.Values(&e, "authorization"))
	// Output:
	// DELETE /orders/42 [Bearer t0k3n]
}

func ExampleAdapter_AddHeaders() {
	a := httpevent.For[events.APIGatewayProxyRequest, events.APIGatewayProxyResponse]()
	resp := events.APIGatewayProxyResponse{
		StatusCode:        200,
		MultiValueHeaders: map[string][]string{"content-type": {"text/csv"}},
		Body:              "a,b\n",
	}
	a.AddHeaders(nil, &resp, http.Header{"Content-Type": {"application/json"}, "Ratelimit-Remaining": {"9"}})
	status, header, body, _ := a.Parts(&resp)
	fmt.Println(status, header, string(body) == resp.Body)
	// Output:
	// 200 map[Content-Type:[text/csv] Ratelimit-Remaining:[9]] true
}
