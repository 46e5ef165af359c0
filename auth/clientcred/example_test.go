package clientcred_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/fnshield/fnshield/auth/clientcred"
	"github.com/fnshield/fnshield/secrets"
)

func Example() {
	// A loopback token endpoint and API stand in for the real ones.
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"short-lived","token_type":"Bearer","expires_in":300}`)
	}))
	defer tokens.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println("API got:", r.Header.Get("Authorization"))
	}))
	defer api.Close()

	// In a function the secret comes from a secrets.Cache (Config.Secret).
	src, err := clientcred.New(clientcred.Config{
		ClientID:     "orders-fn",
		ClientSecret: secrets.NewValue([]byte("client-secret")),
		TokenURL:     tokens.URL,
		Scopes:       []string{"billing/charge"},
	})
	if err != nil {
		panic(err)
	}
	client := &http.Client{Transport: src.Transport(nil)}
	resp, err := client.Get(api.URL + "/charge")
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	// Output:
	// API got: Bearer short-lived
}
