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
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/fnshield/fnshield/secrets/ssm"
)

func Example() {
	// A stand-in for Parameter Store on a loopback port, so the example runs
	// offline. In a function the client comes from ssm.NewFromConfig(cfg)
	// with cfg from config.LoadDefaultConfig.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		p := func(name, value string) string {
			return fmt.Sprintf(`{"Name":%q,"Type":"SecureString","Value":%q,"Version":1}`, name, value)
		}
		if strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".GetParametersByPath") {
			fmt.Fprintf(w, `{"Parameters":[%s,%s]}`, p("/prod/app/db/user", "app"), p("/prod/app/region", "eu-west-3"))
			return
		}
		var in struct{ Name string }
		json.NewDecoder(r.Body).Decode(&in)
		fmt.Fprintf(w, `{"Parameter":%s}`, p(in.Name, "eu-west-3"))
	}))
	defer srv.Close()
	client := awsssm.NewFromConfig(aws.Config{
		Region:      "eu-west-3",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "example-key", ""),
	}, func(o *awsssm.Options) { o.BaseEndpoint = aws.String(srv.URL) })

	p := ssm.New(client, ssm.WithPrefix("/prod/app/"))
	ctx := context.Background()

	region, err := p.Fetch(ctx, "region") // reads /prod/app/region
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("region:", string(region))

	all, err := p.LoadPath(ctx, "/prod/app")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range slices.Sorted(maps.Keys(all)) {
		fmt.Println(name)
	}
	// Output:
	// region: eu-west-3
	// db/user
	// region
}
