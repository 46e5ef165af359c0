package redact_test

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/fnshield/fnshield/redact"
)

func Example() {
	fmt.Println(redact.String(`user=jane@example.com card="4111 1111 1111 1111" password=hunter2 request_id=8f5d1a3e-0b2c-4f6e-9a7d-1c2b3a4d5e6f`))
	// Output:
	// user=[REDACTED:email] card="[REDACTED:card]" password=[REDACTED:password] request_id=8f5d1a3e-0b2c-4f6e-9a7d-1c2b3a4d5e6f
}

func ExampleNewHandler() {
	opts := &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{} // stable output for the example
		}
		return a
	}}
	logger := slog.New(redact.NewHandler(slog.NewJSONHandler(os.Stdout, opts)))
	logger.Info("signup", "email", "jane@example.com", "api_key", "k-123", "plan", "pro")
	// Output:
	// {"level":"INFO","msg":"signup","email":"[REDACTED:email]","api_key":"[REDACTED:api_key]","plan":"pro"}
}

func ExampleNewWriter() {
	w := redact.NewWriter(os.Stdout)
	defer w.Close()
	fmt.Fprintf(w, "connecting to postgres://app:s3cr3t@db:5432/orders\n")
	// Output:
	// connecting to postgres://app:[REDACTED:url_password]@db:5432/orders
}

func ExampleWithMask() {
	r := redact.New(redact.WithMask(func(kind, value string) string {
		if kind == redact.Card.String() {
			return "****" + value[len(value)-4:]
		}
		return "[" + kind + "]"
	}))
	fmt.Println(r.String("paid with 4242424242424242 by jane@example.com"))
	// Output:
	// paid with ****4242 by [email]
}
