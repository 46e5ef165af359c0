package awssm_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/fnshield/fnshield/secrets"
	"github.com/fnshield/fnshield/secrets/awssm"
)

// newCache is the one line of wiring a function needs at cold start; cfg
// comes from config.LoadDefaultConfig(ctx).
func newCache(cfg aws.Config) *secrets.Cache {
	return secrets.New(awssm.NewFromConfig(cfg), secrets.WithTTL(5*time.Minute))
}

func Example() {
	// A stand-in for Secrets Manager on a loopback port, so the example runs
	// offline.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if !strings.Contains(string(body), `"SecretId":"prod/db"`) {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"__type":"ResourceNotFoundException","message":"Secrets Manager can't find the specified secret."}`)
			return
		}
		fmt.Fprint(w, `{"Name":"prod/db","SecretString":"{\"username\":\"app\",\"password\":\"s3cr3t\"}","VersionStages":["AWSCURRENT"]}`)
	}))
	defer srv.Close()
	cfg := aws.Config{ // in a function: cfg, err := config.LoadDefaultConfig(ctx)
		Region:       "eu-west-3",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "example-key", ""),
		BaseEndpoint: aws.String(srv.URL),
	}
	cache := newCache(cfg)
	ctx := context.Background()

	var db struct {
		Username string
		Password secrets.Value // stays [REDACTED] when printed
	}
	if err := cache.GetJSON(ctx, "prod/db", &db); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%+v\n", db)

	pw, err := cache.GetField(ctx, "prod/db", "password")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("password length:", len(pw.Reveal()))

	_, err = cache.Get(ctx, "prod/cache#AWSPREVIOUS")
	fmt.Println(errors.Is(err, secrets.ErrNotFound))
	fmt.Println(err)
	// Output:
	// {Username:app Password:[REDACTED]}
	// password length: 6
	// true
	// secrets: get "prod/cache#AWSPREVIOUS": awssm: get secret "prod/cache#AWSPREVIOUS": not found (ResourceNotFoundException)
}
