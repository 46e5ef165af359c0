package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/auth"
)

// order is the request body of POST /orders.
type order struct {
	SKU        string `json:"sku"`
	Quantity   int    `json:"quantity"`
	Email      string `json:"email"`
	CardNumber string `json:"card_number"`
}

// placed is an order as the API keeps and returns it: no email, no card.
type placed struct {
	ID       string    `json:"id"`
	SKU      string    `json:"sku"`
	Quantity int       `json:"quantity"`
	PlacedBy string    `json:"placedBy"`
	PlacedAt time.Time `json:"placedAt"`
}

// orderBook holds the orders this instance placed, in memory. It stands for
// the database of a real function: each Lambda instance has its own, and
// loses it when Lambda recycles the instance. Its zero value is empty and
// ready; it is safe for concurrent use.
type orderBook struct {
	mu     sync.Mutex
	orders map[string]placed // by ID
	n      int               // orders placed so far
}

// add stores o under the next ID and returns it with that ID.
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

// get returns the order with the given ID.
func (b *orderBook) get(id string) (placed, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	o, ok := b.orders[id]
	return o, ok
}

// dbCredentials is the JSON secret SECRET_NAME names, in the shape Secrets
// Manager's database secrets have.
type dbCredentials struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Host     string `json:"host"`
}

// place handles POST /orders for a caller whose token auth.Lambda has
// verified, with a body validate.Lambda has checked against orderSchema.
func (a *app) place(ctx context.Context, e events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	body := []byte(e.Body)
	if e.IsBase64Encoded {
		var err error
		if body, err = base64.StdEncoding.DecodeString(e.Body); err != nil {
			return problem(http.StatusBadRequest, "the body is not valid base64"), nil
		}
	}
	var o order
	if err := json.Unmarshal(body, &o); err != nil {
		// Unreachable behind validate.Lambda, kept for a handler used alone.
		return problem(http.StatusBadRequest, "the body is not an order"), nil
	}
	// The whole order is logged on purpose: the redacting handler replaces
	// the email and card number, whatever the attribute names.
	a.log.InfoContext(ctx, "order received", "order", o)

	var db dbCredentials
	if err := a.secrets.GetJSON(ctx, a.secretName, &db); err != nil || db.Password == "" {
		if err == nil {
			err = errors.New("the secret has no password")
		}
		a.log.ErrorContext(ctx, "database credentials unavailable", "err", err)
		return problem(http.StatusServiceUnavailable, "orders cannot be placed right now"), nil
	}
	// Open your database client with db here (once, and keep it in app);
	// this template keeps the orders in memory instead.
	c, _ := auth.ClaimsFromContext(ctx)
	p := a.orders.add(placed{SKU: o.SKU, Quantity: o.Quantity, PlacedBy: c.Subject, PlacedAt: a.now().UTC()})
	a.log.InfoContext(ctx, "order placed", "id", p.ID, "subject", c.Subject, "sku", o.SKU, "quantity", o.Quantity)
	resp := jsonResponse(http.StatusCreated, p)
	resp.Headers["Location"] = "/orders/" + p.ID
	return resp, nil
}

// getOrder handles GET /orders/{id} for a caller whose token auth.Lambda
// has verified: callers see their own orders only, and anyone else's is
// answered like an unknown ID, 404.
func (a *app) getOrder(ctx context.Context, e events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	c, _ := auth.ClaimsFromContext(ctx)
	o, ok := a.orders.get(e.PathParameters["id"])
	if !ok || o.PlacedBy != c.Subject {
		return problem(http.StatusNotFound, "no such order"), nil
	}
	return jsonResponse(http.StatusOK, o), nil
}

// jsonResponse is a response with v as its JSON body.
func jsonResponse(status int, v any) events.APIGatewayV2HTTPResponse {
	body, err := json.Marshal(v)
	if err != nil {
		return problem(http.StatusInternalServerError, "the response could not be encoded")
	}
	return events.APIGatewayV2HTTPResponse{
		StatusCode: status,
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       string(body),
	}
}

// problem is an RFC 9457 problem response, like the ones fnshield's guards
// send. detail is fixed text: never echo the request.
func problem(status int, detail string) events.APIGatewayV2HTTPResponse {
	body, _ := json.Marshal(map[string]any{
		"type": "about:blank", "title": http.StatusText(status), "status": status, "detail": detail,
	})
	return events.APIGatewayV2HTTPResponse{
		StatusCode: status,
		Headers:    map[string]string{"Content-Type": "application/problem+json"},
		Body:       string(body),
	}
}
