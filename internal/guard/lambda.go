package guard

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"

	"github.com/fnshield/fnshield/internal/httpevent"
	"github.com/fnshield/fnshield/internal/problem"
)

// Lambda wraps an aws-lambda-go handler with g. The pair (E, R) is
// resolved now, at wrap time: an HTTP-shaped pair (see
// httpevent.For) runs g.Check, and a record event runs g.CheckRecord on
// each record (see the package documentation). Any other pair panics, as
// does a record event when g has no CheckRecord, with a message naming the
// package and both Go types.
func Lambda[E, R any](g *Guard, next func(context.Context, E) (R, error)) func(context.Context, E) (R, error) {
	fn := "Lambda"
	if g != nil {
		fn = cmp.Or(g.LambdaName, fn)
	}
	g.validate(fn)
	name := g.Package + "." + fn
	if next == nil {
		panic(name + ": nil handler")
	}
	if httpevent.Supported[E, R]() {
		return httpLambda(g, httpevent.For[E, R](), next)
	}
	if h, ok := recordLambda(g, next); ok {
		return h
	}
	panic(fmt.Sprintf("%s: unsupported event/response pair (%v, %v)%s",
		name, reflect.TypeFor[E](), reflect.TypeFor[R](), supportedPairs(g)))
}

// supportedPairs lists what Lambda accepts, for the panic message.
func supportedPairs(g *Guard) string {
	s := "; supported: events.APIGatewayProxyRequest/Response, events.APIGatewayV2HTTPRequest/Response, events.ALBTargetGroupRequest/Response, events.LambdaFunctionURLRequest/Response"
	if g.CheckRecord != nil {
		s += ", events.SQSEvent/SQSEventResponse, events.KinesisEvent/KinesisEventResponse, events.SNSEvent and events.EventBridgeEvent with any response type"
	}
	return s
}

// eventView is the Request over one Lambda event: the event, its reader
// and the view, in one allocation.
type eventView[E any] struct {
	Request
	rd *httpevent.Reader[E]
	e  E
}

// EventRequest returns the Request view of the event e, read through rd.
// The view holds a copy of e.
func EventRequest[E any](ctx context.Context, rd *httpevent.Reader[E], e E) *Request {
	v := &eventView[E]{rd: rd, e: e}
	v.Request = Request{ctx: ctx, ev: v}
	return &v.Request
}

func (v *eventView[E]) method() string                    { return v.rd.Method(&v.e) }
func (v *eventView[E]) path() string                      { return v.rd.Path(&v.e) }
func (v *eventView[E]) header(name string) string         { return v.rd.Header(&v.e, name) }
func (v *eventView[E]) values(name string) []string       { return v.rd.Values(&v.e, name) }
func (v *eventView[E]) count(name string) int             { return v.rd.Count(&v.e, name) }
func (v *eventView[E]) cookie(name string) (string, bool) { return v.rd.Cookie(&v.e, name) }
func (v *eventView[E]) sourceIP() string                  { return v.rd.SourceIP(&v.e) }
func (v *eventView[E]) rawBody() ([]byte, error)          { return v.rd.Body(&v.e) }
func (v *eventView[E]) bodyLen() int                      { return v.rd.BodyLen(&v.e) }
func (v *eventView[E]) event() any                        { return &v.e }
func (v *eventView[E]) request(ctx context.Context, withBody bool) *http.Request {
	read := v.rd.Request
	if !withBody {
		read = v.rd.RequestHead
	}
	r, err := read(ctx, &v.e)
	if err == nil {
		return r
	}
	if r != nil { // the view without its undecodable body
		return r
	}
	// A nil context or event: give the error handler a minimal request
	// rather than none.
	return (&http.Request{
		Method: http.MethodGet, URL: &url.URL{Path: "/"}, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: make(http.Header), Body: http.NoBody,
	}).WithContext(ctx)
}

// httpLambda is Lambda for an HTTP-shaped pair.
func httpLambda[E, R any](g *Guard, a *httpevent.Adapter[E, R], next func(context.Context, E) (R, error)) func(context.Context, E) (R, error) {
	return func(ctx context.Context, e E) (R, error) {
		c := &eventView[E]{rd: a.Reader, e: e}
		c.Request = Request{ctx: ctx, ev: c}
		v, err := g.Check(&c.Request)
		if err != nil {
			return reject(g, a, c, v.Header, err), nil
		}
		if v.Context != nil {
			ctx = v.Context
		}
		resp, err := next(ctx, e)
		if err != nil || (g.CheckResponse == nil && len(v.Header) == 0) {
			return resp, err
		}
		return finish(g, a, c, v.Header, resp), nil
	}
}

// finish checks next's response and adds the verdict's headers to it. It
// takes the response by value so that only calls that need it move a
// response to the heap.
func finish[E, R any](g *Guard, a *httpevent.Adapter[E, R], c *eventView[E], header http.Header, resp R) R {
	if g.CheckResponse != nil {
		status, h, body, err := a.Parts(&resp)
		if err == nil {
			err = g.CheckResponse(&c.Request, status, h, body)
		}
		if err != nil {
			return reject(g, a, c, nil, &responseError{err})
		}
	}
	if len(header) > 0 {
		a.AddHeaders(&c.e, &resp, header)
	}
	return resp
}

// reject renders err through the error handler into the event's response
// type, with the verdict's headers, and logs it.
func reject[E, R any](g *Guard, a *httpevent.Adapter[E, R], c *eventView[E], header http.Header, err error) R {
	rec := problem.NewRecorder()
	mergeHeader(rec.Header(), header)
	g.OnError(rec, c.HTTP(), err)
	if g.Logger != nil {
		g.logRejection(&c.Request, rec.Status(), err)
	}
	return a.Response(&c.e, rec.Status(), rec.Header(), rec.Body())
}
