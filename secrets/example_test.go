package secrets_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/fnshield/fnshield/secrets"
)

func Example() {
	// In a Lambda function, build the cache once, outside the handler, with
	// a provider such as awssm.New(client). Static serves this example.
	cache := secrets.New(secrets.Static(map[string]string{
		"prod/db":  `{"user":"orders","password":"correct horse"}`,
		"prod/api": "tok_live_123",
	}), secrets.WithTTL(10*time.Minute))
	ctx := context.Background()

	var db struct {
		User     string
		Password secrets.Value // decoded into a Value, it stays redacted
	}
	if err := cache.GetJSON(ctx, "prod/db", &db); err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Printf("db: %+v\n", db)

	key, err := cache.Get(ctx, "prod/api")
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	// A Value is safe to print and log by accident...
	fmt.Printf("key: %v %q %x\n", key, key, key)
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	logger.Info("calling partner", "key", key)
	// ...and Reveal is the only way to the plaintext.
	fmt.Println("key length:", len(key.Reveal()))

	_, err = cache.Get(ctx, "prod/missing")
	fmt.Println(errors.Is(err, secrets.ErrNotFound), err)
	// Output:
	// db: {User:orders Password:[REDACTED]}
	// key: [REDACTED] [REDACTED] [REDACTED]
	// level=INFO msg="calling partner" key=[REDACTED]
	// key length: 12
	// true secrets: get "prod/missing": secrets: static: secrets: not found
}
