package validate_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/validate"
)

func Example() {
	orderSchema := validate.MustCompile([]byte(`{
		"type": "object",
		"required": ["id", "email", "quantity"],
		"additionalProperties": false,
		"properties": {
			"id": {"type": "integer"},
			"email": {"type": "string", "format": "email"},
			"quantity": {"type": "integer", "minimum": 1, "maximum": 100}
		}
	}`))

	var order struct {
		ID       int64  `json:"id"`
		Email    string `json:"email"`
		Quantity int    `json:"quantity"`
	}
	err := orderSchema.Decode([]byte(`{"id":9007199254740993,"email":"jane@example.com","quantity":2}`), &order)
	fmt.Println(order.ID, order.Quantity, err)

	err = orderSchema.Validate([]byte(`{"id":1,"email":"jane@@example","quantity":1000,"admin":true}`))
	var verr *validate.Error
	if errors.As(err, &verr) {
		for _, v := range verr.Violations {
			fmt.Printf("%q %s: %s\n", v.InstancePath, v.Keyword, v.Message)
		}
	}

	err = orderSchema.Validate([]byte(`{"id":1,"id":2,"email":"jane@example.com","quantity":1}`))
	fmt.Println(errors.Is(err, validate.ErrDuplicateKey), err)
	// Output:
	// 9007199254740993 2 <nil>
	// "" additionalProperties: additional properties are not allowed
	// "/email" format: must be a valid email
	// "/quantity" maximum: must be at most 100
	// true validate: duplicate object key at byte 8
}

func ExampleWithPayload() {
	// An SNS notification delivered through SQS: the SQS body is the SNS
	// envelope, whose "Message" is the publisher's JSON as a string.
	s := validate.MustCompile([]byte(`{"type":"object","required":["orderId"]}`),
		validate.WithPayload("/Message"))
	body := []byte(`{"Type":"Notification","Message":"{\"orderId\":\"o-1\"}"}`)
	fmt.Println(s.Validate(body))
	body = []byte(`{"Type":"Notification","Message":"{\"order\":\"o-1\"}"}`)
	fmt.Println(s.Validate(body))
	// Output:
	// <nil>
	// validate: document does not match the schema: (document): must have required property "orderId"
}

func ExampleWithResource() {
	money := []byte(`{"$defs":{"amount":{"type":"number","minimum":0}}}`)
	s, err := validate.Compile(
		[]byte(`{"properties":{"total":{"$ref":"https://schemas.example.com/money.json#/$defs/amount"}}}`),
		validate.WithResource("https://schemas.example.com/money.json", money))
	fmt.Println(err, s.Validate([]byte(`{"total":-1}`)))

	_, err = validate.Compile([]byte(`{"$ref":"https://schemas.example.com/other.json"}`))
	fmt.Println(errors.Is(err, validate.ErrUnknownRef))
	// Output:
	// <nil> validate: document does not match the schema: /total: must be at least 0
	// true
}

func ExampleMiddleware() {
	s := validate.MustCompile([]byte(`{"type":"object","required":["name"],"properties":{"name":{"type":"string","maxLength":20}}}`))
	h := validate.Middleware(s)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body) // the body arrives intact
		fmt.Fprintf(w, "created %s", body)
	}))

	for _, body := range []string{`{"name":"gopher"}`, `{"name":"a name that is far too long"}`} {
		r := httptest.NewRequest("POST", "/users", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(w.Code, w.Body.String())
	}
	// Output:
	// 200 created {"name":"gopher"}
	// 400 {"type":"about:blank","title":"Bad Request","status":400,"detail":"The request body does not match the schema.","violations":[{"instancePath":"/name","keyword":"maxLength","message":"must be at most 20 characters long"}]}
}

func ExampleLambda() {
	s := validate.MustCompile([]byte(`{"type":"object","required":["orderId"]}`))
	handler := validate.Lambda(s, func(_ context.Context, e events.SQSEvent) (events.SQSEventResponse, error) {
		for _, r := range e.Records {
			fmt.Println("processing", r.MessageId)
		}
		return events.SQSEventResponse{}, nil
	})

	resp, _ := handler(context.Background(), events.SQSEvent{Records: []events.SQSMessage{
		{MessageId: "m-1", Body: `{"orderId":"o-1"}`},
		{MessageId: "m-2", Body: `{"order":"o-2"}`},
		{MessageId: "m-3", Body: `not json`},
	}})
	for _, f := range resp.BatchItemFailures {
		fmt.Println("failed", f.ItemIdentifier)
	}
	// Output:
	// processing m-1
	// failed m-2
	// failed m-3
}
