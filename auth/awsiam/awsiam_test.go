package awsiam

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

var testCreds = credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token-example")

// verifier is a loopback server that checks each request's SigV4
// signature the way AWS does: it rebuilds the canonical request from what
// arrived (the signed headers only, the body, the signing date) and signs
// it again with the same credentials.
type verifier struct {
	t       *testing.T
	service string
	region  string
	host    string // the endpoint host the client addressed

	mu   sync.Mutex
	seen []string // Authorization headers that verified
}

func (v *verifier) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	authz := r.Header.Get("Authorization")
	if err := v.check(r, body, authz); err != nil {
		v.t.Errorf("signature check: %v", err)
		w.WriteHeader(http.StatusForbidden)
		return
	}
	v.mu.Lock()
	v.seen = append(v.seen, authz)
	v.mu.Unlock()
	_, _ = io.WriteString(w, "ok")
}

func (v *verifier) check(r *http.Request, body []byte, authz string) error {
	_, params, ok := strings.Cut(authz, " ")
	if !strings.HasPrefix(authz, "AWS4-HMAC-SHA256 ") || !ok {
		return errors.New("no SigV4 Authorization header")
	}
	var signed []string
	var scope string
	for _, p := range strings.Split(params, ", ") {
		k, val, _ := strings.Cut(p, "=")
		switch k {
		case "SignedHeaders":
			signed = strings.Split(val, ";")
		case "Credential":
			scope = val
		}
	}
	if want := "/" + v.region + "/" + v.service + "/aws4_request"; !strings.HasSuffix(scope, want) {
		return errors.New("credential scope " + scope + " does not end in " + want)
	}
	sum := sha256.Sum256(body)
	if r.Header.Get("X-Amz-Content-Sha256") != hex.EncodeToString(sum[:]) {
		return errors.New("payload hash does not match the body")
	}
	date, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return err
	}
	u := *r.URL
	u.Scheme, u.Host = "https", v.host
	re, _ := http.NewRequest(r.Method, u.String(), bytes.NewReader(body))
	for _, h := range signed {
		if h == "host" {
			continue
		}
		re.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
	}
	creds, _ := testCreds.Retrieve(context.Background())
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, re, hex.EncodeToString(sum[:]), v.service, v.region, date); err != nil {
		return err
	}
	if re.Header.Get("Authorization") != authz {
		return errors.New("signature does not verify")
	}
	return nil
}

// redirectTo sends every request to the loopback server, keeping the
// URL and Host the client signed.
type redirectTo struct{ addr string }

func (rt redirectTo) RoundTrip(r *http.Request) (*http.Response, error) {
	r2 := r.Clone(r.Context())
	r2.URL.Scheme, r2.URL.Host = "http", rt.addr
	r2.Host = r.URL.Host
	return http.DefaultTransport.RoundTrip(r2)
}

func TestTransportSigns(t *testing.T) {
	tests := []struct {
		name, url, service, region string
		opts                       []Option
		method, body               string
	}{
		{name: "Function URL GET with a query", url: "https://abcdefg123.lambda-url.eu-west-1.on.aws/orders?id=7&b=x%20y&a=1", service: "lambda", region: "eu-west-1", method: "GET"},
		{name: "Function URL POST with a body", url: "https://abcdefg123.lambda-url.us-east-2.on.aws/charge", service: "lambda", region: "us-east-2", method: "POST", body: `{"amount":42}`},
		{name: "API Gateway", url: "https://a1b2c3.execute-api.ap-south-1.amazonaws.com/prod/items/9", service: "execute-api", region: "ap-south-1", method: "PUT", body: "x"},
		{name: "custom domain", url: "https://billing.example.com/v1/pay", service: "execute-api", region: "eu-central-1", method: "POST", body: "{}",
			opts: []Option{WithService("execute-api"), WithRegion("eu-central-1")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, _ := url.Parse(tt.url)
			v := &verifier{t: t, service: tt.service, region: tt.region, host: u.Host}
			srv := httptest.NewServer(v)
			defer srv.Close()
			now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
			tr, err := New(testCreds, append([]Option{WithBase(redirectTo{srv.Listener.Addr().String()}), withClock(func() time.Time { return now })}, tt.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			req, _ := http.NewRequest(tt.method, tt.url, body)
			req.Header.Set("Content-Type", "application/json")
			resp, err := (&http.Client{Transport: tr}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("status %d: the server did not verify the signature", resp.StatusCode)
			}
			if req.Header.Get("Authorization") != "" || req.Header.Get("X-Amz-Date") != "" {
				t.Error("the caller's request was modified")
			}

			// A retry of the same request is signed again, at its own time.
			now = now.Add(90 * time.Second)
			if tt.body != "" {
				req.Body, _ = req.GetBody()
			}
			resp, err = (&http.Client{Transport: tr}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if len(v.seen) != 2 || v.seen[0] == v.seen[1] {
				t.Errorf("signatures %q: want two different verified signatures", v.seen)
			}
		})
	}
}

func TestTransportErrors(t *testing.T) {
	failing := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{}, errors.New("no role")
	})
	sent := false
	base := roundTripFunc(func(*http.Request) (*http.Response, error) { sent = true; return nil, errors.New("unreachable") })
	tests := []struct {
		name  string
		creds aws.CredentialsProvider
		opts  []Option
		url   string
		body  string
		want  error
	}{
		{"body over the limit", testCreds, []Option{WithMaxBodyBytes(4)}, "https://x.lambda-url.eu-west-1.on.aws/", "12345", ErrBodyTooLarge},
		{"unknown host", testCreds, nil, "https://example.com/", "", ErrUnknownService},
		{"credentials fail", failing, nil, "https://x.lambda-url.eu-west-1.on.aws/", "", ErrCredentials},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sent = false
			tr, err := New(tt.creds, append([]Option{WithBase(base)}, tt.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			req, _ := http.NewRequest("POST", tt.url, strings.NewReader(tt.body))
			_, err = tr.RoundTrip(req)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if sent {
				t.Error("the request was sent")
			}
			if strings.Contains(err.Error(), "wJalr") || strings.Contains(err.Error(), "Signature=") {
				t.Errorf("error %q leaks a credential or signature", err)
			}
		})
	}
}

func TestNewRejectsBadConfiguration(t *testing.T) {
	for name, opts := range map[string][]Option{
		"zero body limit": {WithMaxBodyBytes(0)},
		"nil base":        {WithBase(nil)},
		"unknown service": {WithService("s3")},
	} {
		if _, err := New(testCreds, opts...); err == nil {
			t.Errorf("%s: New succeeded", name)
		}
	}
	if _, err := New(nil); err == nil {
		t.Error("New(nil) succeeded")
	}
	if _, err := NewFromConfig(aws.Config{}); err == nil {
		t.Error("NewFromConfig without credentials succeeded")
	}
}

func TestServiceOf(t *testing.T) {
	tests := []struct{ host, service, region string }{
		{"abc.lambda-url.eu-west-1.on.aws", "lambda", "eu-west-1"},
		{"ABC.LAMBDA-URL.US-EAST-1.ON.AWS.", "lambda", "us-east-1"},
		{"a1.execute-api.us-west-2.amazonaws.com", "execute-api", "us-west-2"},
		{"a1.execute-api.cn-north-1.amazonaws.com.cn", "execute-api", "cn-north-1"},
		{"lambda-url.eu-west-1.on.aws.evil.example", "", ""},
		{"abc.execute-api.us-east-1.amazonaws.com.evil.example", "", ""},
		{"abc.lambda-url.eu-west-1.on.aws.evil.example", "", ""},
		{"abc.execute-api.us-east-1.amazonaws.com-evil.example", "", ""},
		{"x.abc.execute-api.us-east-1.amazonaws.com", "", ""},
		{"execute-api.us-east-1.amazonaws.com", "", ""},
		{".execute-api.us-east-1.amazonaws.com", "", ""},
		{"abc.execute-api..amazonaws.com", "", ""},
		{"abc.execute-api.us_east_1.amazonaws.com", "", ""},
		{"abc.lambda-url.us-east-1.amazonaws.com", "", ""},
		{"abc.execute-api.us-east-1.on.aws", "", ""},
		{"vpce-0123-ab.execute-api.us-east-1.vpce.amazonaws.com", "execute-api", "us-east-1"},
		{"a1-vpce-0123.execute-api.eu-central-1.amazonaws.com", "execute-api", "eu-central-1"},
		{"abc.lambda-url.cn-northwest-1.on.amazonwebservices.com.cn", "lambda", "cn-northwest-1"},
		{"example.com", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		if s, r := serviceOf(tt.host); s != tt.service || r != tt.region {
			t.Errorf("serviceOf(%q) = %q, %q; want %q, %q", tt.host, s, r, tt.service, tt.region)
		}
	}
}

func TestNewFromConfigRegion(t *testing.T) {
	tr, err := NewFromConfig(aws.Config{Credentials: testCreds, Region: "sa-east-1"}, WithService("execute-api"))
	if err != nil {
		t.Fatal(err)
	}
	if _, r, _ := tr.scope("api.example.com"); r != "sa-east-1" {
		t.Errorf("region = %q, want the config's for a custom domain", r)
	}
	if _, r, _ := tr.scope("a.execute-api.eu-west-3.amazonaws.com"); r != "eu-west-3" {
		t.Errorf("region = %q, want the host's", r)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
