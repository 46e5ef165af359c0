package main

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/fnshield/fnshield/auth"
	"github.com/fnshield/fnshield/ratelimit"
	"github.com/fnshield/fnshield/validate"
)

// orderSchema is the JSON Schema of POST /orders bodies.
//
//go:embed order.schema.json
var orderSchema []byte

// The orders API's audience, scope and rate limit.
const (
	audience        = "orders-api"
	writeScope      = "orders:write"
	ordersPerMinute = 5 // per subject, in bursts of up to 5
)

// order is the body of POST /orders.
type order struct {
	SKU        string `json:"sku"`
	Quantity   int    `json:"quantity"`
	Email      string `json:"email"`
	CardNumber string `json:"card_number"`
}

// placed is an order as the API keeps and returns it: no email or card.
type placed struct {
	ID       string    `json:"id"`
	SKU      string    `json:"sku"`
	Quantity int       `json:"quantity"`
	PlacedBy string    `json:"placedBy"`
	PlacedAt time.Time `json:"placedAt"`
}

// orderBook is the demo's database: orders in memory. It is safe for
// concurrent use.
type orderBook struct {
	mu     sync.Mutex
	orders map[string]placed // by ID
	n      int               // orders placed so far
}

func (b *orderBook) add(o placed) placed {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.n++
	o.ID = fmt.Sprintf("ord-%d", b.n)
	if b.orders == nil {
		b.orders = map[string]placed{}
	}
	b.orders[o.ID] = o
	return o
}

func (b *orderBook) get(id string) (placed, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	o, ok := b.orders[id]
	return o, ok
}

// api is the orders API: its dependencies are built once, at start-up.
type api struct {
	log     *slog.Logger
	schema  *validate.Schema   // compiled orderSchema
	limiter *ratelimit.Limiter // orders per subject, in memory
	orders  orderBook
	now     func() time.Time
}

// newAPI compiles the order schema, builds the limiter and returns the API.
func newAPI(logger *slog.Logger, now func() time.Time) (*api, error) {
	s, err := validate.Compile(orderSchema, validate.WithMaxBytes(16<<10), validate.WithLogger(logger))
	if err != nil {
		return nil, err
	}
	l, err := ratelimit.New(ratelimit.Limit{Rate: ordersPerMinute, Period: time.Minute},
		ratelimit.WithName("orders"), ratelimit.WithLogger(logger))
	if err != nil {
		return nil, err
	}
	return &api{log: logger, schema: s, limiter: l, now: now}, nil
}

// routes registers the orders API on mux, each route behind its guards,
// outermost first: a request without a valid token never reaches the
// limiter, and the body is parsed only within the caller's limit.
func (a *api) routes(mux *http.ServeMux, v *auth.Verifier) {
	mux.Handle("POST /orders", chain(http.HandlerFunc(a.placeOrder),
		auth.Middleware(v, auth.RequireScopes(writeScope)),
		ratelimit.Middleware(a.limiter, ratelimit.WithKey(bySubject)),
		validate.Middleware(a.schema),
	))
	mux.Handle("GET /orders/{id}", auth.Middleware(v)(http.HandlerFunc(a.getOrder)))
}

// bySubject keys the rate limit by the token's subject, which
// auth.Middleware has verified and put in the context.
func bySubject(r ratelimit.Request) (string, error) {
	c, ok := auth.ClaimsFromContext(r.Context())
	if !ok || c.Subject == "" {
		return "", fmt.Errorf("%w: no verified subject", ratelimit.ErrNoKey)
	}
	return "sub:" + c.Subject, nil
}

// chain wraps h in middlewares, the first one outermost.
func chain(h http.Handler, middlewares ...func(http.Handler) http.Handler) http.Handler {
	for i := len(middlewares) - 1; i >= 0; i-- {
		h = middlewares[i](h)
	}
	return h
}

// placeOrder handles POST /orders for a caller auth has verified, with a
// body validate has checked against orderSchema.
func (a *api) placeOrder(w http.ResponseWriter, r *http.Request) {
	var o order
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 16<<10))
	if err == nil {
		err = json.Unmarshal(body, &o)
	}
	if err != nil {
		// Unreachable behind validate.Middleware, kept for a handler used alone.
		writeProblem(w, http.StatusBadRequest, "the body is not an order")
		return
	}
	c, _ := auth.ClaimsFromContext(r.Context())
	// The whole order is logged on purpose: the redacting handler replaces
	// the email and the card number, whatever the attribute names.
	a.log.InfoContext(r.Context(), "order received", "subject", c.Subject, "order", o)
	p := a.orders.add(placed{SKU: o.SKU, Quantity: o.Quantity, PlacedBy: c.Subject, PlacedAt: a.now().UTC()})
	w.Header().Set("Location", "/orders/"+p.ID)
	writeJSON(w, http.StatusCreated, p)
}

// getOrder handles GET /orders/{id}: callers see their own orders only.
func (a *api) getOrder(w http.ResponseWriter, r *http.Request) {
	c, _ := auth.ClaimsFromContext(r.Context())
	o, ok := a.orders.get(r.PathValue("id"))
	if !ok || o.PlacedBy != c.Subject {
		writeProblem(w, http.StatusNotFound, "no such order")
		return
	}
	writeJSON(w, http.StatusOK, o)
}

// writeProblem writes an RFC 9457 problem, as fnshield's guards do. detail
// is fixed text: never echo the request.
func writeProblem(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"type": "about:blank", "title": http.StatusText(status), "status": status, "detail": detail,
	})
}

// statusRecorder remembers the status a handler wrote, for the access log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(p)
}

// accessLog logs one line per request through logger. It logs the
// Authorization header too, carelessly, to show that the redacting handler
// keeps the token out of the log.
func accessLog(logger *slog.Logger, now func() time.Time, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		attrs := []any{"method", r.Method, "path", r.URL.Path, "status", rec.status,
			"duration_ms", now().Sub(start).Milliseconds()}
		if h := r.Header.Get("Authorization"); h != "" {
			attrs = append(attrs, slog.Group("headers", "authorization", h))
		}
		logger.InfoContext(r.Context(), "request", attrs...)
	})
}
