package extension_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/fnshield/fnshield/secrets"
	"github.com/fnshield/fnshield/secrets/extension"
)

func Example() {
	// A stand-in for the extension, so the example runs offline. In a
	// function, extension.New() with no options finds the real one on
	// localhost:2773 and reads the token from AWS_SESSION_TOKEN.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Aws-Parameters-Secrets-Token") != "example-session-token" {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		switch r.URL.RequestURI() {
		case "/secretsmanager/get?secretId=prod%2Fdb":
			fmt.Fprint(w, `{"Name":"prod/db","SecretString":"s3cr3t","VersionStages":["AWSCURRENT"]}`)
		case "/systemsmanager/parameters/get?name=%2Fprod%2Fregion&withDecryption=true":
			fmt.Fprint(w, `{"Parameter":{"Name":"/prod/region","Type":"String","Value":"eu-west-3"}}`)
		default:
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"__type":"ResourceNotFoundException","message":"not found"}`)
		}
	}))
	defer srv.Close()

	p := extension.New(extension.WithBaseURL(srv.URL), extension.WithToken("example-session-token"))
	ctx := context.Background()

	db, err := p.Fetch(ctx, "prod/db")
	fmt.Println(len(db), err)

	region, err := p.Fetch(ctx, "ssm:/prod/region")
	fmt.Println(string(region), err)

	_, err = p.Fetch(ctx, "prod/missing")
	fmt.Println(errors.Is(err, secrets.ErrNotFound), err)

	_, err = extension.New(extension.WithBaseURL("http://203.0.113.7:2773"), extension.WithToken("t")).Fetch(ctx, "prod/db")
	fmt.Println(err)
	// Output:
	// 6 <nil>
	// eu-west-3 <nil>
	// true extension: get secret "prod/missing": not found (HTTP 400)
	// extension: invalid configuration: base URL host is not a loopback address
}
