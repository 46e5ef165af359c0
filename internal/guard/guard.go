package guard

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
)

// Source names where a payload came from: an HTTP request or a record
// event. It is the "source" attribute of the packages' metrics and of
// rejection logs.
type Source string

// The sources a Guard sees.
const (
	SourceHTTP        Source = "http"
	SourceSQS         Source = "sqs"
	SourceKinesis     Source = "kinesis"
	SourceSNS         Source = "sns"
	SourceEventBridge Source = "eventbridge"
)

// Verdict is what a passing check returns.
type Verdict struct {
	// Context, when non-nil, is the context the next handler runs with
	// (the claims auth verified, say).
	Context context.Context
	// Header is added to the response: on success, except for names the
	// next handler sets itself (its own headers win), and on rejection,
	// before the error handler runs (so it can override them). A check
	// that rejects may return a Verdict with Header set as well.
	Header http.Header
}

// Guard is one package's decision, plugged into the shared transports.
// Build it once, when a handler is wrapped; it must not be changed after
// Middleware or Lambda has been called with it. A Guard is safe for
// concurrent use by the transports.
type Guard struct {
	// Package is the public package name ("auth", "validate",
	// "ratelimit"). It prefixes panics and is the "package" attribute of
	// rejection logs.
	Package string

	// LambdaName is the public name of the function that wraps a Lambda
	// handler with this guard ("IAMLambda"), used in its panics; "" means
	// "Lambda".
	LambdaName string

	// Check decides an HTTP-shaped request. A non-nil error rejects it:
	// the error goes to OnError. Required.
	Check func(r *Request) (Verdict, error)

	// CheckRecord decides one record of a record event (SQS, Kinesis,
	// SNS, EventBridge): payload is the SQS body, the Kinesis data, the
	// SNS message or the EventBridge detail, and must not be modified or
	// retained. nil means the package does not handle record events:
	// wrapping one panics.
	CheckRecord func(ctx context.Context, src Source, payload []byte) error

	// CheckResponse, when set, checks what the next handler answered.
	// An error replaces the response by the error handler's rendering of
	// ErrResponse wrapping it (a 500 by the packages' defaults) and is
	// logged; the client never sees its text. On net/http it makes the
	// response buffered, so streaming and http.Flusher are lost.
	CheckResponse func(r *Request, status int, header http.Header, body []byte) error

	// OnError renders a rejection. The same handler serves net/http and
	// Lambda: for Lambda it writes into an in-memory response that is
	// converted to the event's response type. Required.
	OnError func(w http.ResponseWriter, r *http.Request, err error)

	// Logger, when non-nil, receives one record per rejection (see the
	// package documentation for its attributes).
	Logger *slog.Logger

	// Reason names a rejection's cause in logs ("expired",
	// "invalid_payload"). nil logs "rejected".
	Reason func(err error) string

	// LogAttrs, when set, adds the package's own attributes to a
	// rejection's log record (validate's instance paths, say). They must
	// not carry a request value, token or secret.
	LogAttrs func(err error) []slog.Attr
}

// validate panics with a message naming the public function wrapping the
// guard when a required field is missing: a programming error, reported
// when the handler is wrapped.
func (g *Guard) validate(fn string) {
	switch {
	case g == nil:
		panic("guard: nil Guard")
	case g.Check == nil:
		panic(fmt.Sprintf("%s.%s: the guard has no Check", g.Package, fn))
	case g.OnError == nil:
		panic(fmt.Sprintf("%s.%s: the guard has no error handler", g.Package, fn))
	}
}

// ErrResponse is wrapped by the error a failed CheckResponse gives the
// error handler: the handler answered something it should not have.
var ErrResponse = errResponse{}

type errResponse struct{}

func (errResponse) Error() string { return "the handler's response failed its check" }

// responseError is what OnError receives when CheckResponse fails.
type responseError struct{ err error }

func (e *responseError) Error() string   { return ErrResponse.Error() + ": " + e.err.Error() }
func (e *responseError) Unwrap() []error { return []error{ErrResponse, e.err} }

// reason returns the log reason for err.
func (g *Guard) reason(err error) string {
	if g.Reason == nil {
		return "rejected"
	}
	return g.Reason(err)
}

// mergeHeader adds h to dst, replacing dst's values for the names h has.
func mergeHeader(dst, h http.Header) {
	for k, v := range h {
		dst[k] = v
	}
}
