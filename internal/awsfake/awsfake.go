// Package awsfake is a loopback fake of an AWS service that speaks the AWS
// JSON 1.1 wire protocol, for tests that drive the real aws-sdk-go-v2
// clients. It is test support only: nothing outside _test.go files imports
// it.
//
// A [Server] checks what every real request must carry (POST /, the
// X-Amz-Target header naming the operation, the application/x-amz-json-1.1
// content type and a SigV4 Authorization header scoped to the expected
// region and service), decodes the JSON input and answers with whatever the
// test's [Handler] returns: an output document or an error shape
// ({"__type": code, "message": text}). Protocol violations fail the test.
package awsfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Region is the region [Server.Config] configures and every request must be
// signed for.
const Region = "eu-west-3"

// MaxAttempts is the attempt limit of the retryer [Server.Config] installs.
const MaxAttempts = 3

// A Call is one request the server received, after its protocol checks.
type Call struct {
	Op    string         // operation, the part of X-Amz-Target after the dot
	Input map[string]any // decoded JSON input
	N     int            // 1-based position among all calls to the server
}

// A Reply is what the fake answers. A zero Status means 200.
type Reply struct {
	Status int
	Body   any // marshalled to JSON
}

// OK answers 200 with body as the JSON output document.
func OK(body any) Reply { return Reply{Status: http.StatusOK, Body: body} }

// Error answers status with the JSON 1.1 error shape for code.
func Error(status int, code, message string) Reply {
	return Reply{Status: status, Body: map[string]string{"__type": code, "message": message}}
}

// A Handler answers one call.
type Handler func(c Call) Reply

// Server is a fake JSON 1.1 service on a loopback httptest.Server. It is safe
// for concurrent use.
type Server struct {
	URL string

	t       testing.TB
	srv     *httptest.Server
	service string // SigV4 signing name
	target  string // X-Amz-Target prefix
	handle  Handler

	// mu guards calls.
	mu    sync.Mutex
	calls []Call
}

// New starts a fake service whose signing name is service and whose
// X-Amz-Target prefix is target (for example "secretsmanager" and
// "secretsmanager", or "ssm" and "AmazonSSM"). It is closed by t.Cleanup.
func New(t testing.TB, service, target string, handle Handler) *Server {
	t.Helper()
	s := &Server{t: t, service: service, target: target, handle: handle}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// Calls returns a copy of the calls received so far.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Config returns an aws.Config for the real SDK clients: the fake's region,
// static credentials, the fake's URL as BaseEndpoint (so a client made by
// the service's NewFromConfig(cfg) talks to the fake), and the SDK's
// standard retryer with MaxAttempts attempts, a 1 ms maximum backoff and
// no client-side retry rate limit, so retries are real but fast.
func (s *Server) Config() aws.Config {
	return aws.Config{
		Region:       Region,
		BaseEndpoint: aws.String(s.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDFAKE", "fake-secret-key", ""),
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = MaxAttempts
				o.MaxBackoff = time.Millisecond
				o.RateLimiter = ratelimit.None
			})
		},
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	op, ok := s.check(r)
	if !ok {
		writeJSON(w, Error(http.StatusBadRequest, "FakeProtocolViolation", "request violates the JSON 1.1 protocol"))
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.t.Errorf("awsfake: read body: %v", err)
		return
	}
	var input map[string]any
	if err := json.Unmarshal(body, &input); err != nil {
		s.t.Errorf("awsfake: %s input is not a JSON object: %v", op, err)
		writeJSON(w, Error(http.StatusBadRequest, "SerializationException", "bad input"))
		return
	}
	s.mu.Lock()
	c := Call{Op: op, Input: input, N: len(s.calls) + 1}
	s.calls = append(s.calls, c)
	s.mu.Unlock()
	writeJSON(w, s.handle(c))
}

// check reports the operation named by r and whether r obeys the protocol,
// failing the test for each violation.
func (s *Server) check(r *http.Request) (string, bool) {
	ok := true
	fail := func(format string, args ...any) {
		s.t.Errorf("awsfake: "+format, args...)
		ok = false
	}
	if r.Method != http.MethodPost || r.URL.Path != "/" {
		fail("got %s %s, want POST /", r.Method, r.URL.Path)
	}
	if got, want := r.Header.Get("Content-Type"), "application/x-amz-json-1.1"; got != want {
		fail("Content-Type = %q, want %q", got, want)
	}
	target := r.Header.Get("X-Amz-Target")
	op, found := strings.CutPrefix(target, s.target+".")
	if !found || op == "" {
		fail("X-Amz-Target = %q, want %s.<Operation>", target, s.target)
	}
	auth := r.Header.Get("Authorization")
	scope := "/" + Region + "/" + s.service + "/aws4_request"
	if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential=AKIDFAKE/") || !strings.Contains(auth, scope) ||
		!strings.Contains(auth, "SignedHeaders=") || !strings.Contains(auth, "Signature=") {
		fail("Authorization = %q, want a SigV4 signature scoped to %s", auth, scope)
	}
	if r.Header.Get("X-Amz-Date") == "" {
		fail("X-Amz-Date missing")
	}
	return op, ok
}

func writeJSON(w http.ResponseWriter, rep Reply) {
	status := rep.Status
	if status == 0 {
		status = http.StatusOK
	}
	b, err := json.Marshal(rep.Body)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"__type":"InternalServerError","message":"fake could not marshal reply"}`)
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-Requestid", "00000000-0000-4000-8000-000000000000")
	w.WriteHeader(status)
	w.Write(b)
}
