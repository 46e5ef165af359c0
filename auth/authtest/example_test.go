package authtest_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/fnshield/fnshield/auth"
	"github.com/fnshield/fnshield/auth/authtest"
)

func Example() {
	// In a test, use authtest.NewIssuer(t): it closes the server for you.
	iss, err := authtest.New(authtest.WithAlgorithm("ES256"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer iss.Close()

	token := iss.Mint(map[string]any{"sub": "user-1", "scope": "orders:read"})
	hostile := iss.MintWith(authtest.MintOptions{Algorithm: "none"})

	header, _ := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[0])
	var h map[string]any
	_ = json.Unmarshal(header, &h)
	fmt.Println("alg:", h["alg"], "typ:", h["typ"], "kid matches:", h["kid"] == iss.KeyID())
	fmt.Println("unsigned token ends with a dot:", strings.HasSuffix(hostile, "."))

	var set struct{ Keys []map[string]any }
	_ = json.Unmarshal(iss.Keys(), &set)
	fmt.Println("published keys:", len(set.Keys), set.Keys[0]["kty"], set.Keys[0]["crv"])
	// Output:
	// alg: ES256 typ: JWT kid matches: true
	// unsigned token ends with a dot: true
	// published keys: 1 EC P-256
}

// Example_verifier is the package documentation's snippet: a verifier that
// trusts the test issuer through OIDC discovery.
func Example_verifier() {
	ctx := context.Background()
	iss, err := authtest.New() // in a test: iss := authtest.NewIssuer(t)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer iss.Close()

	v, err := auth.New(ctx, auth.WithIssuer(iss.URL()), auth.WithAudience(iss.Audience()))
	if err != nil {
		fmt.Println(err)
		return
	}
	token := iss.Mint(map[string]any{"sub": "user-1", "scope": "orders:read"})
	claims, err := v.Verify(ctx, token)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(claims.Subject, claims.Audience, claims.Scopes)
	// Output:
	// user-1 [authtest-api] [orders:read]
}

// ExampleWithAudience mints tokens for the audience of the service under
// test.
func ExampleWithAudience() {
	ctx := context.Background()
	iss, err := authtest.New(authtest.WithAudience("orders-api"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer iss.Close()
	v, err := auth.New(ctx, auth.WithIssuer(iss.URL()), auth.WithAudience("orders-api"))
	if err != nil {
		fmt.Println(err)
		return
	}

	_, err = v.Verify(ctx, iss.Mint(map[string]any{"sub": "user-1"}))
	fmt.Println("default audience:", err)
	_, err = v.Verify(ctx, iss.Mint(map[string]any{"sub": "user-1", "aud": "billing-api"}))
	fmt.Println("another audience:", err)
	// Output:
	// default audience: <nil>
	// another audience: auth: invalid audience: no accepted audience
}

// ExampleIssuer_Mint shows the claims Mint fills in, and Omit removing one
// of them (the package documentation's snippet for Omit).
func ExampleIssuer_Mint() {
	iss, err := authtest.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer iss.Close()

	payload := func(token string) map[string]any {
		b, _ := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[1])
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		return m
	}
	full := payload(iss.Mint(map[string]any{"sub": "user-1"}))
	noExp := payload(iss.Mint(map[string]any{"exp": authtest.Omit})) // a token without exp
	fmt.Println(slices.Sorted(maps.Keys(full)))
	fmt.Println(slices.Sorted(maps.Keys(noExp)))
	fmt.Println(full["iss"] == iss.URL(), full["aud"])
	// Output:
	// [aud exp iat iss sub]
	// [aud iat iss]
	// true authtest-api
}
