package auth

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestConfigErrorsNameValues checks that configuration errors name the
// values at fault (issuers and URLs are public), so that mistakes such as
// a trailing slash are obvious, while user info in a URL stays hidden.
func TestConfigErrorsNameValues(t *testing.T) {
	k := vtKeys()
	var srvURL string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/.well-known/openid-configuration":
			_, _ = w.Write([]byte(`{"issuer":"` + srvURL + `/","jwks_uri":"` + srvURL + `/jwks"}`))
		case "/long/.well-known/openid-configuration":
			_, _ = w.Write([]byte(`{"issuer":"https://` + strings.Repeat("x", 5000) + `","jwks_uri":"` + srvURL + `/jwks"}`))
		case "/jwks":
			_, _ = w.Write(vtJWKS(vtJWK("a1", "", &k.rsaA.PublicKey)))
		case "/weak":
			_, _ = w.Write(vtJWKS(vtJWK("w1", "", &vtWeakRSA().PublicKey)))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	srvURL = srv.URL

	tests := []struct {
		name    string
		opts    []Option
		want    []string // substrings of the error
		notWant string
	}{
		{"discovery issuer with a trailing slash", []Option{WithIssuer(srvURL)},
			[]string{`says "` + srvURL + `/"`, `configured issuer is "` + srvURL + `"`, srvURL + "/.well-known/openid-configuration"}, ""},
		{"discovery issuer far too long to quote", []Option{WithIssuer(srvURL + "/long")},
			[]string{`says "https://xxxx`, `..., the configured issuer is "` + srvURL + `/long"`}, strings.Repeat("x", 300)},
		{"JWKS URL over plain http", []Option{WithIssuerJWKS(vtIssA, "http://keys.example.com/jwks")},
			[]string{vtIssA, "http://keys.example.com/jwks"}, ""},
		{"JWKS URL with user info", []Option{WithIssuerJWKS(vtIssA, "https://admin:hunter2@keys.example.com/jwks")},
			[]string{"keys.example.com/jwks"}, "hunter2"},
		{"JWKS endpoint not found", []Option{WithIssuerJWKS(vtIssA, srvURL+"/missing")},
			[]string{"404", srvURL + "/missing"}, ""},
		{"no usable key", []Option{WithIssuerJWKS(vtIssA, srvURL+"/weak")},
			[]string{srvURL + "/weak", "1 unusable keys skipped"}, ""},
		{"Cognito endpoint over plain http", []Option{WithCognito("eu-west-1", "pool", "c"), WithCognitoEndpoint("http://cognito.example.com")},
			[]string{"http://cognito.example.com"}, ""},
		{"Cognito region", []Option{WithCognito("eu-west-1/x", "pool", "c")}, []string{`"eu-west-1/x"`}, ""},
		{"Cognito pool", []Option{WithCognito("eu-west-1", "pool.x", "c")}, []string{`"pool.x"`}, ""},
		{"leeway", []Option{WithIssuerKeys(vtIssA, vtJWKS(vtJWK("a1", "", &k.rsaA.PublicKey))), WithLeeway(time.Hour)}, []string{"WithLeeway(1h0m0s)"}, ""},
		{"token cache", []Option{WithIssuerKeys(vtIssA, vtJWKS(vtJWK("a1", "", &k.rsaA.PublicKey))), WithTokenCache(-3)}, []string{"WithTokenCache(-3)"}, ""},
		{"short HMAC secret", []Option{WithHMAC("https://h.example.com", []byte("short"))},
			[]string{`"https://h.example.com"`, "5 bytes"}, "short\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(context.Background(), append(tt.opts, WithAudience(vtAud))...)
			if err == nil {
				t.Fatal("New: got no error, want one")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if tt.notWant != "" && strings.Contains(err.Error(), tt.notWant) {
				t.Errorf("error %q contains %q", err, tt.notWant)
			}
		})
	}
}
