package extension_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fnshield/fnshield/secrets/extension"
)

// BenchmarkFetch compares Fetch with a bare GET and JSON decode of the same
// response over loopback; the provider's own cost is the difference. Sizes
// are a typical 4 KiB secret and a near-limit 64 KiB one.
func BenchmarkFetch(b *testing.B) {
	for _, size := range []struct {
		name string
		n    int
	}{{"4KiB", 4 << 10}, {"64KiB", 64 << 10}} {
		body, _ := json.Marshal(map[string]string{"Name": "prod/db", "SecretString": strings.Repeat("s", size.n)})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) }))
		b.Run(size.name+"/bare", func(b *testing.B) {
			client := &http.Client{Transport: &http.Transport{}}
			b.ReportAllocs()
			for b.Loop() {
				req, _ := http.NewRequestWithContext(b.Context(), http.MethodGet, srv.URL+"/secretsmanager/get?secretId=prod%2Fdb", nil)
				req.Header.Set("X-Aws-Parameters-Secrets-Token", token)
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				var out struct{ SecretString *string }
				err = json.NewDecoder(resp.Body).Decode(&out)
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err != nil || out.SecretString == nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(size.name+"/provider", func(b *testing.B) {
			p := extension.New(extension.WithBaseURL(srv.URL), extension.WithToken(token))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.Fetch(b.Context(), "prod/db"); err != nil {
					b.Fatal(err)
				}
			}
		})
		srv.Close()
	}
}
