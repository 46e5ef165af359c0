package guard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/internal/guard"
	"github.com/fnshield/fnshield/internal/guardtest"
	"github.com/fnshield/fnshield/internal/problem"
)

var errDenied = errors.New("denied")

type ctxKey struct{}

// testGuard is a guard whose decision reads the request view: it rejects
// a request with the header X-Deny, checks the body when the header
// X-Max-Body gives a limit, puts the source IP, method and path in the
// context, and adds a header to every response.
func testGuard(logger *slog.Logger) *guard.Guard {
	return &guard.Guard{
		Package: "testpkg",
		Check: func(r *guard.Request) (guard.Verdict, error) {
			v := guard.Verdict{Header: http.Header{"X-Guard": {"seen"}}}
			if r.Header("X-Deny") != "" {
				return v, errDenied
			}
			if r.Header("X-Max-Body") != "" {
				var max int64
				fmt.Sscan(r.Header("X-Max-Body"), &max)
				body, err := r.Body(max)
				if err != nil {
					return v, err
				}
				if !bytes.HasPrefix(body, []byte("{")) {
					return v, errDenied
				}
			}
			v.Context = context.WithValue(r.Context(), ctxKey{}, r.Method()+" "+r.Path()+" from "+r.SourceIP())
			return v, nil
		},
		OnError: func(w http.ResponseWriter, r *http.Request, err error) {
			status := http.StatusForbidden
			var mb *http.MaxBytesError
			if errors.As(err, &mb) {
				status = http.StatusRequestEntityTooLarge
			}
			problem.Write(w, problem.Details{Status: status, Detail: "rejected at " + r.Method + " " + r.URL.Path})
		},
		Logger: logger,
		Reason: func(err error) string {
			if errors.Is(err, errDenied) {
				return "denied"
			}
			return "other"
		},
	}
}

func transports(g *guard.Guard) func([]struct{}) guardtest.Transports {
	return func([]struct{}) guardtest.Transports {
		return guardtest.Transports{
			Middleware:  guard.Middleware(g),
			REST:        func(n guardtest.RESTHandler) guardtest.RESTHandler { return guard.Lambda(g, n) },
			HTTPAPI:     func(n guardtest.HTTPAPIHandler) guardtest.HTTPAPIHandler { return guard.Lambda(g, n) },
			ALB:         func(n guardtest.ALBHandler) guardtest.ALBHandler { return guard.Lambda(g, n) },
			FunctionURL: func(n guardtest.FunctionURLHandler) guardtest.FunctionURLHandler { return guard.Lambda(g, n) },
		}
	}
}

func TestTransports(t *testing.T) {
	inContext := func(want string) func(*testing.T, context.Context) {
		return func(t *testing.T, ctx context.Context) {
			if got, _ := ctx.Value(ctxKey{}).(string); got != want {
				t.Errorf("context value = %q, want %q", got, want)
			}
		}
	}
	notALB := []guardtest.Kind{guardtest.Middleware, guardtest.REST, guardtest.HTTPAPI, guardtest.FunctionURL}
	cases := []guardtest.Case[struct{}]{
		{Name: "pass", Status: 200, Kinds: notALB, Next: inContext("GET /orders from " + guardtest.SourceIP),
			WantHeader: map[string]string{"X-Guard": "seen", "X-Next": "called"}},
		{Name: "pass on ALB, which records no source IP", Kinds: []guardtest.Kind{guardtest.ALB, guardtest.ALBMulti}, Status: 200, Next: inContext("GET /orders from "),
			WantHeader: map[string]string{"X-Guard": "seen"}},
		{Name: "the handler's own header wins", Status: 200, NextHeader: http.Header{"X-Guard": {"handler"}},
			WantHeader: map[string]string{"X-Guard": "handler"}},
		{Name: "reject with the verdict's headers", Header: http.Header{"X-Deny": {"1"}}, Status: 403,
			WantHeader:   map[string]string{"X-Guard": "seen", "Content-Type": "application/problem+json", "X-Next": ""},
			BodyContains: []string{"rejected at GET /orders"}},
		{Name: "the error handler sees the real method and path", Method: http.MethodDelete, Path: "/orders/42", Header: http.Header{"X-Deny": {"1"}}, Status: 403,
			BodyContains: []string{"rejected at DELETE /orders/42"}},
		{Name: "body read and handed on intact", Method: http.MethodPost, Header: http.Header{"X-Max-Body": {"64"}}, Body: `{"a":1}`, Status: 200},
		{Name: "base64 body read and handed on intact", Method: http.MethodPost, Header: http.Header{"X-Max-Body": {"64"}}, Body: `{"a":1}`, Base64: true, Status: 200},
		{Name: "body checked", Method: http.MethodPost, Header: http.Header{"X-Max-Body": {"64"}}, Body: `[1]`, Status: 403},
		{Name: "body over the limit", Method: http.MethodPost, Header: http.Header{"X-Max-Body": {"4"}}, Body: `{"a":1}`, Status: 413},
		{Name: "body at the limit", Method: http.MethodPost, Header: http.Header{"X-Max-Body": {"7"}}, Body: `{"a":1}`, Status: 200},
	}
	guardtest.Run(t, cases, transports(testGuard(nil)))
}

func TestRejectionLog(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	secret := "Bearer very-secret-token"
	cases := []guardtest.Case[struct{}]{{
		Name: "logged once", Method: http.MethodPut, Path: "/orders/7",
		Header: http.Header{"X-Deny": {"1"}, "Authorization": {secret}}, Body: "secret body", Status: 403,
		Kinds: []guardtest.Kind{guardtest.Middleware, guardtest.HTTPAPI, guardtest.REST},
		Check: func(t *testing.T, a guardtest.Answer) {
			defer buf.Reset()
			lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
			if len(lines) != 1 {
				t.Fatalf("log has %d lines, want 1: %s", len(lines), buf.String())
			}
			var rec map[string]any
			if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil {
				t.Fatal(err)
			}
			want := map[string]any{"level": "WARN", "package": "testpkg", "reason": "denied", "status": float64(403),
				"method": "PUT", "path": "/orders/7", "source_ip": guardtest.SourceIP}
			if a.Kind != guardtest.Middleware {
				want["request_id"] = guardtest.RequestID
			}
			for k, v := range want {
				if rec[k] != v {
					t.Errorf("log %s = %v, want %v", k, rec[k], v)
				}
			}
			if strings.Contains(lines[0], "very-secret-token") || strings.Contains(lines[0], "secret body") {
				t.Errorf("log line leaks a header value or the body: %s", lines[0])
			}
		},
	}}
	guardtest.Run(t, cases, transports(testGuard(logger)))
}

func TestCheckResponse(t *testing.T) {
	g := testGuard(nil)
	g.CheckResponse = func(r *guard.Request, status int, header http.Header, body []byte) error {
		if string(body) != guardtest.NextBody || status != 200 || header.Get("X-Next") != "called" {
			return fmt.Errorf("unexpected response %d %q", status, body)
		}
		if header.Get("X-Fail") != "" {
			return errors.New("the handler answered what it must not")
		}
		return nil
	}
	cases := []guardtest.Case[struct{}]{
		{Name: "passes", Status: 200, WantHeader: map[string]string{"X-Next": "called"}, BodyContains: []string{guardtest.NextBody}},
		{Name: "fails", NextHeader: http.Header{"X-Fail": {"1"}}, Status: 403, NextRuns: true,
			BodyExcludes: []string{guardtest.NextBody, "must not"},
			WantHeader:   map[string]string{"X-Fail": "", "X-Next": "", "Content-Type": "application/problem+json"}},
	}
	guardtest.Run(t, cases, transports(g))
}

func TestLambdaPanicsAtWrapTime(t *testing.T) {
	g := testGuard(nil)
	tests := []struct {
		name string
		wrap func()
		want []string
	}{
		{"unsupported pair", func() {
			guard.Lambda(g, func(context.Context, events.S3Event) (string, error) { return "", nil })
		}, []string{"testpkg.Lambda", "events.S3Event", "string"}},
		{"mismatched response", func() {
			guard.Lambda(g, func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayProxyResponse, error) {
				return events.APIGatewayProxyResponse{}, nil
			})
		}, []string{"events.APIGatewayV2HTTPRequest", "events.APIGatewayProxyResponse"}},
		{"record event without CheckRecord", func() {
			guard.Lambda(g, func(context.Context, events.SQSEvent) (events.SQSEventResponse, error) {
				return events.SQSEventResponse{}, nil
			})
		}, []string{"testpkg.Lambda", "events.SQSEvent"}},
		{"SQS with the wrong response", func() {
			g := testGuard(nil)
			g.CheckRecord = func(context.Context, guard.Source, []byte) error { return nil }
			guard.Lambda(g, func(context.Context, events.SQSEvent) (string, error) { return "", nil })
		}, []string{"events.SQSEvent", "string"}},
		{"nil next", func() {
			guard.Lambda[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse](g, nil)
		}, []string{"testpkg.Lambda"}},
		{"no check", func() { guard.Middleware(&guard.Guard{Package: "testpkg", OnError: g.OnError}) }, []string{"testpkg.Middleware"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				msg := fmt.Sprint(recover())
				for _, w := range tt.want {
					if !strings.Contains(msg, w) {
						t.Errorf("panic %q does not name %q", msg, w)
					}
				}
				if strings.Contains(msg, "internal") {
					t.Errorf("panic %q names an internal package", msg)
				}
			}()
			tt.wrap()
		})
	}
}

// TestOversizeEventBodyIsNotCopied checks that a Lambda event's body over
// the limit is refused before it is decoded or copied: a client cannot make
// the function allocate the payload it is refused for.
func TestOversizeEventBodyIsNotCopied(t *testing.T) {
	g := testGuard(nil)
	h := guard.Lambda(g, func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		t.Error("next called")
		return events.APIGatewayV2HTTPResponse{}, nil
	})
	for _, b64 := range []bool{false, true} {
		e := events.APIGatewayV2HTTPRequest{Headers: map[string]string{"x-max-body": "1024"}, Body: strings.Repeat("A", 8<<20), IsBase64Encoded: b64}
		e.RequestContext.HTTP.Method = "POST"
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		resp, err := h(context.Background(), e)
		runtime.ReadMemStats(&after)
		if err != nil || resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("base64 %v: got %d, %v; want 413", b64, resp.StatusCode, err)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
			t.Errorf("base64 %v: refusing an 8 MiB body allocated %d bytes", b64, n)
		}
	}
}

// TestRequestView checks that every accessor of the request view gives
// the same answer on every transport, and that Body keeps its answer on a
// second call.
func TestRequestView(t *testing.T) {
	g := &guard.Guard{
		Package: "testpkg",
		Check: func(r *guard.Request) (guard.Verdict, error) {
			at, _ := r.Cookie("at")
			_, missing := r.Cookie("absent")
			b1, err1 := r.Body(64)
			b2, err2 := r.Body(64)
			_, errSmall := r.Body(2)
			hr := r.HTTP()
			got := fmt.Sprintf("%s %s | ct=%s | x=%d %q | at=%s absent=%v | body=%q/%v %q/%v small=%v | http=%s %s | event=%v",
				r.Method(), r.Path(), r.ContentType(), r.Count("X-Trace"), r.Values("X-Trace"), at, missing,
				b1, err1, b2, err2, errSmall != nil, hr.Method, hr.URL.Path, r.Event() != nil)
			return guard.Verdict{Context: context.WithValue(r.Context(), ctxKey{}, got)}, nil
		},
		OnError: func(w http.ResponseWriter, _ *http.Request, _ error) { w.WriteHeader(500) },
	}
	want := func(event bool) string {
		return fmt.Sprintf(`POST /orders/7 | ct=application/json | x=1 ["t-1"] | at=tok absent=false | body="{\"a\":1}"/<nil> "{\"a\":1}"/<nil> small=true | http=POST /orders/7 | event=%v`, event)
	}
	for _, k := range guardtest.Kinds {
		cases := []guardtest.Case[struct{}]{{
			Name: "accessors", Method: http.MethodPost, Path: "/orders/7", Body: `{"a":1}`, Kinds: []guardtest.Kind{k},
			Header: http.Header{"Content-Type": {"application/json"}, "X-Trace": {"t-1"}, "Cookie": {"theme=dark; at=tok"}},
			Status: 200,
			Next: func(t *testing.T, ctx context.Context) {
				if got, _ := ctx.Value(ctxKey{}).(string); got != want(k != guardtest.Middleware) {
					t.Errorf("view:\n got %s\nwant %s", got, want(k != guardtest.Middleware))
				}
			},
		}}
		guardtest.Run(t, cases, transports(g))
	}
}

// TestResponseErrorAndImplicitStatus checks what an error handler gets for
// a failed response check, and that a handler writing a body without a
// status is logged as 200.
func TestResponseErrorAndImplicitStatus(t *testing.T) {
	var got error
	var logs bytes.Buffer
	g := &guard.Guard{
		Package: "testpkg",
		Check:   func(*guard.Request) (guard.Verdict, error) { return guard.Verdict{}, nil },
		CheckResponse: func(*guard.Request, int, http.Header, []byte) error {
			return errors.New("the body lacks an id")
		},
		OnError: func(w http.ResponseWriter, _ *http.Request, err error) {
			got = err
			_, _ = w.Write([]byte("refused")) // no WriteHeader: an implicit 200
		},
		Logger: slog.New(slog.NewJSONHandler(&logs, nil)),
	}
	h := guard.Middleware(g)(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("x")) }))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	if !errors.Is(got, guard.ErrResponse) || !strings.Contains(got.Error(), "the body lacks an id") {
		t.Errorf("error handler got %v, want ErrResponse wrapping the check's error", got)
	}
	if w.Body.String() != "refused" || !strings.Contains(logs.String(), `"status":200`) || !strings.Contains(logs.String(), `"reason":"rejected"`) {
		t.Errorf("body %q, log %s", w.Body.String(), logs.String())
	}
}
