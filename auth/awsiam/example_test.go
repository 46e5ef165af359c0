package awsiam_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/fnshield/fnshield/auth/awsiam"
)

func Example() {
	// In a function: cfg, _ := config.LoadDefaultConfig(ctx); awsiam.NewFromConfig(cfg).
	// Here: static test credentials and a loopback server standing in for
	// a Function URL on a custom domain.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		authz := r.Header.Get("Authorization")
		fmt.Println(strings.HasPrefix(authz, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"))
		fmt.Println(strings.Contains(authz, "/eu-west-1/lambda/aws4_request"))
	}))
	defer srv.Close()

	creds := credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "token")
	t, err := awsiam.New(creds, awsiam.WithService("lambda"), awsiam.WithRegion("eu-west-1"))
	if err != nil {
		panic(err)
	}
	client := &http.Client{Transport: t}
	resp, err := client.Post(srv.URL+"/charge", "application/json", strings.NewReader(`{"amount":42}`))
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	// Output:
	// true
	// true
}
