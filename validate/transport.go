package validate

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"go.opentelemetry.io/otel/trace"

	"github.com/fnshield/fnshield/internal/guard"
	"github.com/fnshield/fnshield/internal/problem"
)

// ErrContentType is the error an HTTP request gets when its Content-Type is
// not JSON (status 415).
var ErrContentType = errors.New("validate: the content type is not JSON")

// ErrResponse is matched (errors.Is) by the error an error handler gets
// when the handler's response failed [WithResponseSchema]. Its text is for
// logs, never for the client.
var ErrResponse = guard.ErrResponse

// TransportOption configures [Middleware] and [Lambda].
type TransportOption interface{ applyTransport(*transportConfig) }

type transportOption func(*transportConfig)

func (o transportOption) applyTransport(c *transportConfig) { o(c) }

type transportConfig struct {
	onError  func(w http.ResponseWriter, r *http.Request, err error)
	response *Schema
}

func newTransportConfig(opts []TransportOption) *transportConfig {
	c := &transportConfig{onError: WriteError}
	for _, o := range opts {
		if o != nil {
			o.applyTransport(c)
		}
	}
	return c
}

// WithErrorHandler sets the function that renders a rejected request. err
// is a [*ScreenError], an [*Error], an error matching [ErrContentType], or,
// for a response that failed [WithResponseSchema], an error whose text must
// not reach the client (it matches [ErrResponse]). The default is
// [WriteError]. A nil h keeps the
// default. It does not apply to record events, whose failures are batch
// item failures or errors.
func WithErrorHandler(h func(w http.ResponseWriter, r *http.Request, err error)) TransportOption {
	return transportOption(func(c *transportConfig) {
		if h != nil {
			c.onError = h
		}
	})
}

// WithResponseSchema validates what the handler answers to HTTP requests
// against s: responses with a 2xx status other than 204 must have a JSON
// Content-Type and a body that s accepts, or the client gets a 500 from
// the error handler instead (WriteError says nothing about why; the
// failure is counted and logged through s). Error responses (3xx and
// above) are not checked. By default responses are not validated. On
// net/http the response is buffered to be checked, so streaming and
// http.Flusher are lost. It does not apply to record events.
func WithResponseSchema(s *Schema) TransportOption {
	if s == nil {
		panic("validate: WithResponseSchema called with a nil *Schema")
	}
	return transportOption(func(c *transportConfig) { c.response = s })
}

// guard returns the shared transport's decision for Middleware and Lambda.
func (c *transportConfig) guard(s *Schema) *guard.Guard {
	g := &guard.Guard{
		Package: "validate",
		Check: func(r *guard.Request) (guard.Verdict, error) {
			return guard.Verdict{}, s.checkRequest(r)
		},
		CheckRecord: func(ctx context.Context, src guard.Source, payload []byte) error {
			return s.checkTraced(ctx, string(src), payload)
		},
		OnError:  c.onError,
		Logger:   s.tel.logger,
		Reason:   reasonOf,
		LogAttrs: logAttrs,
	}
	if rs := c.response; rs != nil {
		g.CheckResponse = func(r *guard.Request, status int, header http.Header, body []byte) error {
			if status < 200 || status > 299 || status == http.StatusNoContent {
				return nil
			}
			if !isJSON(header.Get("Content-Type")) {
				rs.tel.record(r.Context(), sourceResponse, ErrContentType)
				return ErrContentType
			}
			return rs.checkTraced(r.Context(), sourceResponse, body)
		}
	}
	return g
}

// reasonOf names a rejection in the guard's logs.
func reasonOf(err error) string {
	switch {
	case errors.Is(err, ErrResponse):
		return "invalid_response"
	case errors.Is(err, ErrContentType):
		return "unsupported_content_type"
	case errors.Is(err, ErrInvalid):
		return "invalid_payload"
	default:
		return "malformed_payload"
	}
}

// checkRequest decides an HTTP request: a JSON content type, a body within
// the size limit, and a document the schema accepts.
func (s *Schema) checkRequest(r *guard.Request) error {
	if !isJSON(r.ContentType()) {
		s.tel.record(r.Context(), sourceHTTP, ErrContentType)
		return ErrContentType
	}
	body, err := r.Body(s.maxBytes)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			err = &ScreenError{Err: ErrTooLarge, Offset: s.maxBytes}
		} else {
			err = &ScreenError{Err: ErrSyntax} // an unreadable or undecodable body
		}
		s.tel.record(r.Context(), sourceHTTP, err)
		return err
	}
	return s.checkTraced(r.Context(), sourceHTTP, body)
}

// checkTraced validates data in a span of its own.
func (s *Schema) checkTraced(ctx context.Context, src string, data []byte) error {
	ctx, span := s.tel.tracer.Start(ctx, "fnshield.validate", trace.WithSpanKind(trace.SpanKindInternal))
	defer span.End()
	_, _, err := s.check(ctx, src, data)
	return err
}

// isJSON reports whether the media type ct is application/json or has the
// +json structured syntax suffix (RFC 6839), with parameters allowed; a
// charset, if given, must be UTF-8 (RFC 8259 §8.1).
func isJSON(ct string) bool {
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	if mt != "application/json" && !(strings.HasSuffix(mt, "+json") && strings.Contains(mt, "/")) {
		return false
	}
	cs, ok := params["charset"]
	return !ok || strings.EqualFold(cs, "utf-8")
}

// WriteError is the default error handler of [Middleware] and [Lambda]: an
// RFC 9457 application/problem+json body whose status is 415 for
// [ErrContentType], 413 for [ErrTooLarge], 400 for the other screen errors
// and for schema violations, and 500 for a response that failed
// [WithResponseSchema] ([ErrResponse]) or any other error. A violation list becomes the extension
// member "violations", an array of {"instancePath", "keyword", "message"}
// objects, with "omitted" counting those left out. Nothing from the
// request is echoed but the instance paths.
func WriteError(w http.ResponseWriter, _ *http.Request, err error) {
	var (
		verr *Error
		serr *ScreenError
	)
	switch {
	case errors.Is(err, ErrResponse):
		problem.Write(w, problem.New(http.StatusInternalServerError, "The server could not produce a valid response."))
	case errors.Is(err, ErrContentType):
		problem.Write(w, problem.New(http.StatusUnsupportedMediaType, "The request body must be JSON (application/json or a +json media type, UTF-8)."))
	case errors.As(err, &serr):
		status := http.StatusBadRequest
		if serr.Err == ErrTooLarge {
			status = http.StatusRequestEntityTooLarge
		}
		problem.Write(w, problem.New(status, screenDetail(serr)))
	case errors.As(err, &verr):
		d := problem.New(http.StatusBadRequest, "The request body does not match the schema.")
		d.Extensions = map[string]any{"violations": verr.Violations}
		if verr.Omitted > 0 {
			d.Extensions["omitted"] = verr.Omitted
		}
		problem.Write(w, d)
	default:
		problem.Write(w, problem.New(http.StatusInternalServerError, "The request could not be validated."))
	}
}

// screenDetail is the problem detail for a screen rejection.
func screenDetail(e *ScreenError) string {
	var what string
	switch e.Err {
	case ErrTooLarge:
		return fmt.Sprintf("The request body is larger than %d bytes.", e.Offset)
	case ErrTooDeep:
		what = "nests objects and arrays too deeply"
	case ErrDuplicateKey:
		what = "has an object with a duplicate member name"
	case ErrEncoding:
		what = "has a string that is not valid UTF-8"
	case ErrNumber:
		what = "has a number literal that is too long or whose exponent is out of range"
	case ErrPayload:
		return "The request body lacks the expected payload."
	default:
		what = "is not valid JSON"
	}
	if e.Payload {
		return fmt.Sprintf("The payload in the request body %s (at byte %d).", what, e.Offset)
	}
	return fmt.Sprintf("The request body %s (at byte %d).", what, e.Offset)
}
