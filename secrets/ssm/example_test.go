package ssm_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/fnshield/fnshield/secrets"
	"github.com/fnshield/fnshield/secrets/ssm"
)

func Example() {
	// A stand-in for Parameter Store on a loopback port, so the example runs
	// offline.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		p := func(name, value string) string {
			return fmt.Sprintf(`{"Name":%q,"Type":"SecureString","Value":%q,"Version":1}`, name, value)
		}
		if strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".GetParametersByPath") {
			fmt.Fprintf(w, `{"Parameters":[%s,%s]}`, p("/prod/app/db/password", "s3cr3t"), p("/prod/app/region", "eu-west-3"))
			return
		}
		var in struct{ Name string }
		json.NewDecoder(r.Body).Decode(&in)
		fmt.Fprintf(w, `{"Parameter":%s}`, p(in.Name, "eu-west-3"))
	}))
	defer srv.Close()
	cfg := aws.Config{ // in a function: cfg, err := config.LoadDefaultConfig(ctx)
		Region:       "eu-west-3",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "example-key", ""),
		BaseEndpoint: aws.String(srv.URL),
	}
	ctx := context.Background()

	p := ssm.NewFromConfig(cfg, ssm.WithPrefix("/prod/app/"))
	cache := secrets.New(p)

	// Load the hierarchy once at cold start, and prime the cache with it.
	all, err := p.LoadPath(ctx, "/prod/app")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range slices.Sorted(maps.Keys(all)) {
		fmt.Println(name, all[name]) // Values print as [REDACTED]
		if err := cache.Prime(name, all[name]); err != nil {
			fmt.Println(err)
			return
		}
	}

	region, err := cache.Get(ctx, "region") // primed; refetched as /prod/app/region after the TTL
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("region:", region.Reveal())
	// Output:
	// db/password [REDACTED]
	// region [REDACTED]
	// region: eu-west-3
}
