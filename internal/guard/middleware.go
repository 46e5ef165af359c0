package guard

import (
	"net/http"

	"github.com/fnshield/fnshield/internal/problem"
)

// Middleware returns net/http middleware that runs g.Check on each
// request: a rejection is rendered by g.OnError; a pass calls next with
// the verdict's context and headers (and, when the check read the body,
// the whole body again). The caller's request is never modified. It
// panics if g lacks Check or OnError.
func Middleware(g *Guard) func(http.Handler) http.Handler {
	g.validate("Middleware")
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			req := HTTPRequest(r)
			v, err := g.Check(req)
			mergeHeader(w.Header(), v.Header)
			if err != nil {
				g.rejectHTTP(w, req, err)
				return
			}
			next2 := req.forNext(v.Context)
			if g.CheckResponse == nil {
				next.ServeHTTP(w, next2)
				return
			}
			rec := problem.NewRecorder()
			mergeHeader(rec.Header(), w.Header())
			next.ServeHTTP(rec, next2)
			if err := g.CheckResponse(req, rec.Status(), rec.Header(), rec.Body()); err != nil {
				clear(w.Header())
				g.rejectHTTP(w, req, &responseError{err})
				return
			}
			h := w.Header()
			clear(h)
			mergeHeader(h, rec.Header())
			w.WriteHeader(rec.Status())
			_, _ = w.Write(rec.Body())
		})
	}
}

// rejectHTTP renders err through the error handler and logs it.
func (g *Guard) rejectHTTP(w http.ResponseWriter, req *Request, err error) {
	if g.Logger == nil {
		g.OnError(w, req.hr, err)
		return
	}
	sw := &statusWriter{ResponseWriter: w}
	g.OnError(sw, req.hr, err)
	g.logRejection(req, sw.status, err)
}

// statusWriter records the status an error handler writes.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
