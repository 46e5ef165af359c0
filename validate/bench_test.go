package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// orderSchema is a realistic 30-property order schema.
var orderSchema = []byte(`{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "additionalProperties": false,
  "required": ["orderId", "customerId", "email", "createdAt", "currency", "items", "total", "shipping"],
  "properties": {
    "orderId": {"type": "string", "format": "uuid"},
    "customerId": {"type": "string", "pattern": "^cus_[A-Za-z0-9]{8,32}$"},
    "email": {"type": "string", "format": "email", "maxLength": 254},
    "phone": {"type": "string", "pattern": "^\\+[1-9][0-9]{6,14}$"},
    "createdAt": {"type": "string", "format": "date-time"},
    "currency": {"enum": ["EUR", "USD", "GBP", "JPY", "CHF"]},
    "status": {"enum": ["pending", "paid", "shipped", "cancelled"]},
    "channel": {"type": "string", "maxLength": 32},
    "locale": {"type": "string", "pattern": "^[a-z]{2}-[A-Z]{2}$"},
    "ip": {"type": "string", "format": "ipv4"},
    "userAgent": {"type": "string", "maxLength": 512},
    "couponCode": {"type": ["string", "null"], "maxLength": 32},
    "giftWrap": {"type": "boolean"},
    "giftMessage": {"type": "string", "maxLength": 280},
    "subtotal": {"type": "number", "minimum": 0},
    "tax": {"type": "number", "minimum": 0},
    "shippingCost": {"type": "number", "minimum": 0},
    "discount": {"type": "number", "minimum": 0},
    "total": {"type": "number", "minimum": 0, "maximum": 1000000},
    "loyaltyPoints": {"type": "integer", "minimum": 0},
    "referrer": {"type": "string", "format": "uri"},
    "notes": {"type": "string", "maxLength": 1000},
    "priority": {"type": "integer", "minimum": 1, "maximum": 5},
    "tags": {"type": "array", "items": {"type": "string", "maxLength": 24}, "maxItems": 10, "uniqueItems": true},
    "paymentMethod": {"enum": ["card", "paypal", "invoice"]},
    "cardLast4": {"type": "string", "pattern": "^[0-9]{4}$"},
    "items": {
      "type": "array", "minItems": 1, "maxItems": 100,
      "items": {
        "type": "object", "additionalProperties": false,
        "required": ["sku", "quantity", "unitPrice"],
        "properties": {
          "sku": {"type": "string", "pattern": "^[A-Z0-9-]{4,20}$"},
          "name": {"type": "string", "maxLength": 200},
          "quantity": {"type": "integer", "minimum": 1, "maximum": 1000},
          "unitPrice": {"type": "number", "exclusiveMinimum": 0}
        }
      }
    },
    "shipping": {"$ref": "#/$defs/address"},
    "billing": {"$ref": "#/$defs/address"},
    "metadata": {"type": "object", "maxProperties": 20, "additionalProperties": {"type": "string", "maxLength": 100}}
  },
  "$defs": {
    "address": {
      "type": "object", "additionalProperties": false,
      "required": ["name", "line1", "city", "postalCode", "country"],
      "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 100},
        "line1": {"type": "string", "minLength": 1, "maxLength": 200},
        "line2": {"type": "string", "maxLength": 200},
        "city": {"type": "string", "minLength": 1, "maxLength": 100},
        "postalCode": {"type": "string", "maxLength": 16},
        "country": {"type": "string", "pattern": "^[A-Z]{2}$"}
      }
    }
  }
}`)

// orderDoc is a valid order of about 1 KiB.
var orderDoc = []byte(`{"orderId":"3f2b8c1e-9d4a-4e6b-8f7a-2c5d1e9b0a47","customerId":"cus_8Hx2Kq9LmP","email":"jane.doe@example.com","phone":"+4915112345678","createdAt":"2026-12-07T08:15:30Z","currency":"EUR","status":"paid","channel":"web","locale":"de-DE","ip":"203.0.113.7","userAgent":"Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0","couponCode":null,"giftWrap":true,"giftMessage":"Happy birthday!","subtotal":119.97,"tax":22.79,"shippingCost":4.99,"discount":10,"total":137.75,"loyaltyPoints":137,"referrer":"https://news.example.org/article/42","notes":"Leave at the door","priority":2,"tags":["gift","express"],"paymentMethod":"card","cardLast4":"4242","items":[{"sku":"BK-1001","name":"The Go Programming Language","quantity":1,"unitPrice":39.99},{"sku":"MUG-77","name":"Gopher mug","quantity":2,"unitPrice":14.99},{"sku":"TS-XL-9","name":"T-shirt","quantity":1,"unitPrice":50}],"shipping":{"name":"Jane Doe","line1":"Hauptstr. 1","city":"Berlin","postalCode":"10115","country":"DE"},"billing":{"name":"Jane Doe","line1":"Hauptstr. 1","line2":"c/o Example GmbH","city":"Berlin","postalCode":"10115","country":"DE"},"metadata":{"campaign":"xmas","source":"newsletter"}}`)

func TestBenchFixturesAreValid(t *testing.T) {
	s := MustCompile(orderSchema)
	if err := s.Validate(orderDoc); err != nil {
		t.Fatal(err)
	}
	if n := len(orderDoc); n < 1000 || n > 1200 {
		t.Fatalf("order document is %d bytes, want about 1 KiB", n)
	}
}

// BenchmarkValidate compares Validate, screen included, with calling
// jsonschema/v5 directly on the same bytes (decode with UseNumber, then
// validate).
func BenchmarkValidate(b *testing.B) {
	b.Run("fnshield", func(b *testing.B) {
		s := MustCompile(orderSchema)
		b.ReportAllocs()
		b.SetBytes(int64(len(orderDoc)))
		for b.Loop() {
			if err := s.Validate(orderDoc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("jsonschema", func(b *testing.B) {
		c := jsonschema.NewCompiler()
		c.AssertFormat = true
		if err := c.AddResource("file:///order.json", bytes.NewReader(orderSchema)); err != nil {
			b.Fatal(err)
		}
		js := c.MustCompile("file:///order.json")
		b.ReportAllocs()
		b.SetBytes(int64(len(orderDoc)))
		for b.Loop() {
			dec := json.NewDecoder(bytes.NewReader(orderDoc))
			dec.UseNumber()
			var v any
			if err := dec.Decode(&v); err != nil {
				b.Fatal(err)
			}
			if err := js.Validate(v); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkScreen measures the screen alone on the 1 KiB order and on a
// 1 MiB document of such orders.
func BenchmarkScreen(b *testing.B) {
	large := []byte("[" + strings.TrimSuffix(strings.Repeat(string(orderDoc)+",", (1<<20)/(len(orderDoc)+1)), ",") + "]")
	for _, tc := range []struct {
		name string
		doc  []byte
	}{{"1KiB", orderDoc}, {"1MiB", large}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(tc.doc)))
			for b.Loop() {
				if err := screen(tc.doc, 2<<20, defaultMaxDepth, false); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkScreenAttack measures the hostile 1 MiB inputs of
// TestScreenAttackInputs; "json.Valid" is encoding/json's syntax check on
// the same bytes, the linear-time reference (the screen also hashes every
// name, which a plain syntax check does not).
func BenchmarkScreenAttack(b *testing.B) {
	for _, tc := range screenAttacks() {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(tc.doc)))
			for b.Loop() {
				if err := screen(tc.doc, screenAttackSize, defaultMaxDepth, false); !errors.Is(err, tc.err) {
					b.Fatal(err)
				}
			}
		})
		b.Run(tc.name+"/json.Valid", func(b *testing.B) {
			b.SetBytes(int64(len(tc.doc)))
			for b.Loop() {
				json.Valid(tc.doc)
			}
		})
	}
}

func BenchmarkCompile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(orderSchema); err != nil {
			b.Fatal(err)
		}
	}
}
