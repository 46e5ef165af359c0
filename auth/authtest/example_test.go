package authtest_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

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
