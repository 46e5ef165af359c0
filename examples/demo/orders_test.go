package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fnshield/fnshield/auth"
)

// TestGetOrder checks that callers see their own orders, and only those.
func TestGetOrder(t *testing.T) {
	a, err := newAPI(slog.New(slog.DiscardHandler), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	mine := a.orders.add(placed{SKU: "book-1", Quantity: 2, PlacedBy: "alice"})
	theirs := a.orders.add(placed{SKU: "book-2", Quantity: 1, PlacedBy: "bob"})
	tests := []struct {
		name, id string
		status   int
	}{
		{"own order", mine.ID, http.StatusOK},
		{"someone else's order", theirs.ID, http.StatusNotFound},
		{"no such order", "ord-999", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/orders/"+tt.id, nil)
			r = r.WithContext(auth.NewContext(context.Background(), &auth.Claims{Subject: "alice"}))
			r.SetPathValue("id", tt.id)
			rec := httptest.NewRecorder()
			a.getOrder(rec, r)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d (%s)", rec.Code, tt.status, rec.Body)
			}
			if tt.status == http.StatusOK && !strings.Contains(rec.Body.String(), `"placedBy":"alice"`) {
				t.Errorf("body %s, want alice's order", rec.Body)
			}
			if tt.status == http.StatusNotFound && strings.Contains(rec.Body.String(), "bob") {
				t.Errorf("body %s reveals another caller's order", rec.Body)
			}
		})
	}
}
