package awssm_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/fnshield/fnshield/secrets"
	"github.com/fnshield/fnshield/secrets/awssm"
)

func Example() {
	// A stand-in for Secrets Manager on a loopback port, so the example runs
	// offline. In a function the client comes from
	// secretsmanager.NewFromConfig(cfg) with cfg from config.LoadDefaultConfig.
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
	client := secretsmanager.NewFromConfig(aws.Config{
		Region:      "eu-west-3",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "example-key", ""),
	}, func(o *secretsmanager.Options) { o.BaseEndpoint = aws.String(srv.URL) })

	p := awssm.New(client)
	ctx := context.Background()

	raw, err := p.Fetch(ctx, "prod/db")
	if err != nil {
		fmt.Println(err)
		return
	}
	var db struct{ Username, Password string }
	if err := json.Unmarshal(raw, &db); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("username:", db.Username)

	_, err = p.Fetch(ctx, "prod/cache#AWSPREVIOUS")
	fmt.Println(errors.Is(err, secrets.ErrNotFound))
	fmt.Println(err)
	// Output:
	// username: app
	// true
	// awssm: get secret "prod/cache#AWSPREVIOUS": not found (ResourceNotFoundException)
}
