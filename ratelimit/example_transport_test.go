package ratelimit_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/fnshield/fnshield/ratelimit"
)

func ExampleMiddleware() {
	l, err := ratelimit.New(ratelimit.Limit{Rate: 1, Period: time.Second}, ratelimit.WithName("api"))
	if err != nil {
		fmt.Println(err)
		return
	}
	h := ratelimit.Middleware(l)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "hello")
	}))
	for range 2 {
		r := httptest.NewRequest(http.MethodGet, "/orders", nil)
		r.RemoteAddr = "203.0.113.9:4711"
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(w.Code, w.Header().Get("RateLimit-Policy"), w.Header().Get("Retry-After"), w.Header().Get("Content-Type"))
	}
	// Output:
	// 200 "api";q=1;w=1  text/plain; charset=utf-8
	// 429 "api";q=1;w=1 1 application/problem+json
}
