package extension_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fnshield/fnshield/secrets"
	"github.com/fnshield/fnshield/secrets/extension"
)

const (
	token       = "session-token-ab12"
	canary      = "canary-body-5e5e"
	binaryValue = "\x00\x01bin\xff"
)

// fakeExtension is a loopback stand-in for the extension. It checks the
// token header and method, records each request's path and query, and
// answers from its tables.
type fakeExtension struct {
	t   *testing.T
	srv *httptest.Server

	secrets map[string]string // "secretId|versionStage|versionId" -> JSON body
	params  map[string]string // name -> value

	// mu guards requests and deleted.
	mu       sync.Mutex
	requests []*url.URL
	deleted  string // a secretId scheduled for deletion
}

func newFake(t *testing.T) *fakeExtension {
	t.Helper()
	f := &fakeExtension{
		t: t,
		secrets: map[string]string{
			"prod/db||":            `{"ARN":"arn:aws:secretsmanager:eu-west-3:123456789012:secret:prod/db-AbCdEf","Name":"prod/db","SecretString":"db-current-1a1a","VersionId":"v1","VersionStages":["AWSCURRENT"],"CreatedDate":"2024-01-01T00:00:00Z"}`,
			"prod/db|AWSPREVIOUS|": `{"Name":"prod/db","SecretString":"db-previous-2b2b","VersionStages":["AWSPREVIOUS"]}`,
			"prod/db||v-0123":      `{"Name":"prod/db","SecretString":"db-by-id-3c3c","VersionId":"v-0123"}`,
			"prod/db|blue|":        `{"Name":"prod/db","SecretString":"db-blue-7e7e","VersionStages":["blue"]}`,
			"prod/cert||":          `{"Name":"prod/cert","SecretBinary":"` + base64.StdEncoding.EncodeToString([]byte(binaryValue)) + `"}`,
			"a b/c+d&e=f%g?h||":    `{"SecretString":"odd-name-4d4d"}`,
			"ünï/ç😀||":             `{"SecretString":"unicode-5e5e"}`,
			"arn:aws:secretsmanager:eu-west-3:123456789012:secret:prod/db-AbCdEf||": `{"SecretString":"db-by-arn-6f6f"}`,
		},
		params: map[string]string{
			"/prod/api-key":   "api-key-7a7a",
			"/prod/api-key:1": "api-key-v1-8b8b",
			"plain":           "plain-9c9c",
			"arn:aws:ssm:eu-west-3:123456789012:parameter/prod/api-key": "api-key-arn-0d0d",
		},
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeExtension) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		f.t.Errorf("method = %s, want GET", r.Method)
	}
	if got := r.Header.Get("X-Aws-Parameters-Secrets-Token"); got != token {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	f.mu.Lock()
	f.requests = append(f.requests, r.URL)
	deleted := f.deleted
	f.mu.Unlock()
	q := r.URL.Query()
	switch r.URL.Path {
	case "/secretsmanager/get":
		if q.Get("secretId") == deleted {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"__type":"InvalidRequestException","message":"You can't perform this operation on the secret because it was marked for deletion. `+canary+`"}`)
			return
		}
		body, ok := f.secrets[q.Get("secretId")+"|"+q.Get("versionStage")+"|"+q.Get("versionId")]
		if !ok {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"__type":"ResourceNotFoundException","message":"Secrets Manager can't find the specified secret `+canary+`"}`)
			return
		}
		io.WriteString(w, body)
	case "/systemsmanager/parameters/get":
		if q.Get("withDecryption") != "true" {
			f.t.Errorf("withDecryption = %q, want true", q.Get("withDecryption"))
		}
		v, ok := f.params[q.Get("name")]
		if !ok {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"__type":"ParameterNotFound","message":"`+canary+`"}`)
			return
		}
		b, _ := json.Marshal(map[string]any{"Parameter": map[string]any{"Name": q.Get("name"), "Type": "SecureString", "Value": v, "Version": 2}})
		w.Write(b)
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeExtension) last() *url.URL {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.requests) == 0 {
		return nil
	}
	return f.requests[len(f.requests)-1]
}

func (f *fakeExtension) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

func (f *fakeExtension) provider(opts ...extension.Option) *extension.Provider {
	return extension.New(append([]extension.Option{extension.WithBaseURL(f.srv.URL), extension.WithToken(token)}, opts...)...)
}

func TestFetch(t *testing.T) {
	f := newFake(t)
	tests := []struct {
		name      string
		opts      []extension.Option
		secret    string
		want      string
		wantPath  string
		wantQuery string // raw, as sent
	}{
		{"secret", nil, "prod/db", "db-current-1a1a",
			"/secretsmanager/get", "secretId=prod%2Fdb"},
		{"explicit secretsmanager prefix", nil, "secretsmanager:prod/db", "db-current-1a1a",
			"/secretsmanager/get", "secretId=prod%2Fdb"},
		{"stage suffix", nil, "prod/db#AWSPREVIOUS", "db-previous-2b2b",
			"/secretsmanager/get", "secretId=prod%2Fdb&versionStage=AWSPREVIOUS"},
		{"version id suffix", nil, "prod/db#v-0123", "db-by-id-3c3c",
			"/secretsmanager/get", "secretId=prod%2Fdb&versionId=v-0123"},
		{"declared label is a stage", []extension.Option{extension.WithStageLabels("blue")}, "prod/db#blue", "db-blue-7e7e",
			"/secretsmanager/get", "secretId=prod%2Fdb&versionStage=blue"},
		{"WithVersionStage default", []extension.Option{extension.WithVersionStage("AWSPREVIOUS")}, "prod/db", "db-previous-2b2b",
			"/secretsmanager/get", "secretId=prod%2Fdb&versionStage=AWSPREVIOUS"},
		{"suffix overrides WithVersionStage", []extension.Option{extension.WithVersionStage("blue"), extension.WithStageLabels("blue")}, "prod/db#v-0123", "db-by-id-3c3c",
			"/secretsmanager/get", "secretId=prod%2Fdb&versionId=v-0123"},
		{"binary secret", nil, "prod/cert", binaryValue,
			"/secretsmanager/get", "secretId=prod%2Fcert"},
		{"special characters escaped", nil, "a b/c+d&e=f%g?h", "odd-name-4d4d",
			"/secretsmanager/get", "secretId=a+b%2Fc%2Bd%26e%3Df%25g%3Fh"},
		{"unicode escaped", nil, "ünï/ç😀", "unicode-5e5e",
			"/secretsmanager/get", "secretId=%C3%BCn%C3%AF%2F%C3%A7%F0%9F%98%80"},
		{"secrets manager arn", nil, "arn:aws:secretsmanager:eu-west-3:123456789012:secret:prod/db-AbCdEf", "db-by-arn-6f6f",
			"/secretsmanager/get", "secretId=arn%3Aaws%3Asecretsmanager%3Aeu-west-3%3A123456789012%3Asecret%3Aprod%2Fdb-AbCdEf"},
		{"ssm prefix", nil, "ssm:/prod/api-key", "api-key-7a7a",
			"/systemsmanager/parameters/get", "name=%2Fprod%2Fapi-key&withDecryption=true"},
		{"ssm version selector", nil, "ssm:/prod/api-key:1", "api-key-v1-8b8b",
			"/systemsmanager/parameters/get", "name=%2Fprod%2Fapi-key%3A1&withDecryption=true"},
		{"ssm arn", nil, "arn:aws:ssm:eu-west-3:123456789012:parameter/prod/api-key", "api-key-arn-0d0d",
			"/systemsmanager/parameters/get", "name=arn%3Aaws%3Assm%3Aeu-west-3%3A123456789012%3Aparameter%2Fprod%2Fapi-key&withDecryption=true"},
		{"ParameterStore default", []extension.Option{extension.ParameterStore()}, "plain", "plain-9c9c",
			"/systemsmanager/parameters/get", "name=plain&withDecryption=true"},
		{"secretsmanager prefix beats ParameterStore", []extension.Option{extension.ParameterStore()}, "secretsmanager:prod/db", "db-current-1a1a",
			"/secretsmanager/get", "secretId=prod%2Fdb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.provider(tt.opts...).Fetch(t.Context(), tt.secret)
			if err != nil {
				t.Fatalf("Fetch(%q) error: %v", tt.secret, err)
			}
			if string(got) != tt.want {
				t.Errorf("Fetch(%q) = %q, want %q", tt.secret, got, tt.want)
			}
			u := f.last()
			if u.Path != tt.wantPath || u.RawQuery != tt.wantQuery {
				t.Errorf("request = %s?%s, want %s?%s", u.Path, u.RawQuery, tt.wantPath, tt.wantQuery)
			}
		})
	}
}

func TestFetchErrors(t *testing.T) {
	tests := []struct {
		name         string
		status       int
		body         string
		secret       string
		wantNotFound bool
		wantText     string
	}{
		{"404", http.StatusNotFound, canary, "prod/x", true,
			`extension: get secret "prod/x": not found (HTTP 404)`},
		{"400 ResourceNotFoundException", http.StatusBadRequest, `{"__type":"ResourceNotFoundException","message":"` + canary + `"}`, "prod/x", true,
			`extension: get secret "prod/x": not found (HTTP 400)`},
		{"400 ParameterNotFound", http.StatusBadRequest, `{"__type":"ParameterNotFound","message":"` + canary + `"}`, "ssm:/x", true,
			`extension: get parameter "ssm:/x": not found (HTTP 400)`},
		{"400 ParameterVersionNotFound", http.StatusBadRequest, `ParameterVersionNotFound: ` + canary, "ssm:/x:9", true,
			`extension: get parameter "ssm:/x:9": not found (HTTP 400)`},
		{"400 name refused with ValidationException", http.StatusBadRequest, `{"__type":"ValidationException","message":"` + canary + `"}`, "prod/x", false,
			`extension: get secret "prod/x": invalid secret name (HTTP 400)`},
		{"400 name refused with InvalidParameterException", http.StatusBadRequest, `{"__type":"InvalidParameterException","message":"` + canary + `"}`, "prod/x", false,
			`extension: get secret "prod/x": invalid secret name (HTTP 400)`},
		{"400 parameter name refused with ValidationException", http.StatusBadRequest, `ValidationException: ` + canary, "ssm:/aws/x", false,
			`extension: get parameter "ssm:/aws/x": invalid secret name (HTTP 400)`},
		{"400 name refused in plain text", http.StatusBadRequest, "bad request: " + canary, "prod/x", false,
			`extension: get secret "prod/x": invalid secret name (HTTP 400)`},
		{"400 other AWS error", http.StatusBadRequest, `{"__type":"DecryptionFailure","message":"` + canary + `"}`, "prod/x", false,
			`extension: get secret "prod/x": HTTP 400`},
		{"403 plain text", http.StatusForbidden, canary, "prod/x", false,
			`extension: get secret "prod/x": HTTP 403`},
		{"401", http.StatusUnauthorized, canary, "prod/x", false,
			`extension: get secret "prod/x": HTTP 401`},
		{"403 access denied", http.StatusForbidden, `AccessDeniedException ` + canary, "prod/x", false,
			`extension: get secret "prod/x": access denied (HTTP 403)`},
		{"400 access denied", http.StatusBadRequest, `{"__type":"AccessDeniedException","message":"` + canary + `"}`, "ssm:/x", false,
			`extension: get parameter "ssm:/x": access denied (HTTP 400)`},
		{"400 scheduled for deletion", http.StatusBadRequest, `{"__type":"InvalidRequestException","message":"You can't perform this operation on the secret because it was marked for deletion. ` + canary + `"}`, "prod/x", true,
			`extension: get secret "prod/x": scheduled for deletion (HTTP 400)`},
		{"400 marked deleted in moto's words", http.StatusBadRequest, `{"__type":"InvalidRequestException","message":"You tried to perform the operation on a secret that's currently marked deleted. ` + canary + `"}`, "prod/x", true,
			`extension: get secret "prod/x": scheduled for deletion (HTTP 400)`},
		{"400 scheduled for deletion in upper case", http.StatusBadRequest, `InvalidRequestException: SECRET SCHEDULED FOR DELETION ` + canary, "prod/x", true,
			`extension: get secret "prod/x": scheduled for deletion (HTTP 400)`},
		{"400 other invalid request", http.StatusBadRequest, `{"__type":"InvalidRequestException","message":"` + canary + `"}`, "prod/x", false,
			`extension: get secret "prod/x": HTTP 400`},
		{"500 relaying a not-found text", http.StatusInternalServerError, `ResourceNotFoundException ` + canary, "prod/x", false,
			`extension: get secret "prod/x": HTTP 500`},
		{"500", http.StatusInternalServerError, canary, "prod/x", false,
			`extension: get secret "prod/x": HTTP 500`},
		{"200 not json", http.StatusOK, `{"SecretString":"` + canary + `"`, "prod/x", false,
			`extension: get secret "prod/x": malformed response`},
		{"200 no value", http.StatusOK, `{"Name":"` + canary + `"}`, "prod/x", false,
			`extension: get secret "prod/x": malformed response`},
		{"200 number value", http.StatusOK, `{"SecretString":12345678}`, "prod/x", false,
			`extension: get secret "prod/x": malformed response`},
		{"200 bad base64", http.StatusOK, `{"SecretBinary":"` + canary + `!"}`, "prod/x", false,
			`extension: get secret "prod/x": malformed response`},
		{"200 parameter without value", http.StatusOK, `{"Parameter":{"Name":"` + canary + `"}}`, "ssm:/x", false,
			`extension: get parameter "ssm:/x": malformed response`},
		{"200 secret shape for a parameter", http.StatusOK, `{"SecretString":"` + canary + `"}`, "ssm:/x", false,
			`extension: get parameter "ssm:/x": malformed response`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			p := extension.New(extension.WithBaseURL(srv.URL), extension.WithToken(token))
			v, err := p.Fetch(t.Context(), tt.secret)
			if err == nil {
				t.Fatalf("Fetch = %q, want an error", v)
			}
			if got := errors.Is(err, secrets.ErrNotFound); got != tt.wantNotFound {
				t.Errorf("errors.Is(err, secrets.ErrNotFound) = %v, want %v", got, tt.wantNotFound)
			}
			if got, want := errors.Is(err, secrets.ErrAccessDenied), strings.Contains(tt.name, "access denied"); got != want {
				t.Errorf("errors.Is(err, secrets.ErrAccessDenied) = %v, want %v", got, want)
			}
			if got, want := errors.Is(err, extension.ErrScheduledForDeletion), strings.Contains(tt.name, "deletion") || strings.Contains(tt.name, "deleted"); got != want {
				t.Errorf("errors.Is(err, ErrScheduledForDeletion) = %v, want %v", got, want)
			}
			if got, want := errors.Is(err, secrets.ErrInvalidName), strings.Contains(tt.name, "name refused"); got != want {
				t.Errorf("errors.Is(err, secrets.ErrInvalidName) = %v, want %v", got, want)
			}
			var e *extension.Error
			if !errors.As(err, &e) || e.StatusCode != tt.status {
				t.Errorf("error %v is not an *extension.Error with StatusCode %d", err, tt.status)
			}
			if got := err.Error(); got != tt.wantText {
				t.Errorf("error text = %q, want %q", got, tt.wantText)
			}
			if strings.Contains(err.Error(), canary) || strings.Contains(err.Error(), "12345678") {
				t.Errorf("error text %q contains the response body", err.Error())
			}
		})
	}
}

func TestResponseSizeBound(t *testing.T) {
	const max = 100
	tests := []struct {
		name    string
		size    int // of the whole body
		status  int
		wantErr error
	}{
		{"at the bound", max, http.StatusOK, nil},
		{"one byte over", max + 1, http.StatusOK, extension.ErrResponseTooLarge},
		{"far over", 10 * max, http.StatusOK, extension.ErrResponseTooLarge},
		{"error body over", max + 1, http.StatusBadRequest, extension.ErrResponseTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefix, suffix := `{"SecretString":"`, `"}`
			value := strings.Repeat("s", tt.size-len(prefix)-len(suffix))
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				io.WriteString(w, prefix+value+suffix)
			}))
			defer srv.Close()
			p := extension.New(extension.WithBaseURL(srv.URL), extension.WithToken(token), extension.WithMaxResponseBytes(max))
			got, err := p.Fetch(t.Context(), "prod/db")
			if tt.wantErr == nil {
				if err != nil || string(got) != value {
					t.Fatalf("Fetch = %d bytes, %v; want the %d-byte value", len(got), err, len(value))
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Fetch error = %v, want %v", err, tt.wantErr)
			}
			if want := `extension: get secret "prod/db": response too large`; err.Error() != want {
				t.Errorf("error text = %q, want %q", err.Error(), want)
			}
		})
	}
}

func TestDefaultMaxResponseFitsLargestSecret(t *testing.T) {
	// A 64 KiB secret of control characters, each JSON-escaped to six bytes.
	value := strings.Repeat("\x01", 64<<10)
	body, err := json.Marshal(map[string]string{"SecretString": value})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) }))
	defer srv.Close()
	got, err := extension.New(extension.WithBaseURL(srv.URL), extension.WithToken(token)).Fetch(t.Context(), "prod/db")
	if err != nil || string(got) != value {
		t.Fatalf("Fetch of a %d-byte response = %d bytes, %v; want the value", len(body), len(got), err)
	}
}

func TestConfig(t *testing.T) {
	f := newFake(t)
	port := f.srv.URL[strings.LastIndexByte(f.srv.URL, ':')+1:]
	tests := []struct {
		name    string
		env     map[string]string
		opts    []extension.Option
		wantErr string // "" for success
	}{
		{"port and token from environment", map[string]string{extension.PortEnv: port, extension.TokenEnv: token}, nil, ""},
		{"WithToken overrides environment", map[string]string{extension.PortEnv: port, extension.TokenEnv: "stale"},
			[]extension.Option{extension.WithToken(token)}, ""},
		{"ipv4 loopback base", map[string]string{extension.TokenEnv: token},
			[]extension.Option{extension.WithBaseURL("http://127.0.0.1:" + port + "/")}, ""},
		{"port not a number", map[string]string{extension.PortEnv: "27x3", extension.TokenEnv: token}, nil,
			"extension: invalid configuration: PARAMETERS_SECRETS_EXTENSION_HTTP_PORT is not a port number"},
		{"port out of range", map[string]string{extension.PortEnv: "65536", extension.TokenEnv: token}, nil,
			"extension: invalid configuration: PARAMETERS_SECRETS_EXTENSION_HTTP_PORT is not a port number"},
		{"no token", map[string]string{extension.PortEnv: port, extension.TokenEnv: ""}, nil,
			"extension: invalid configuration: no session token (AWS_SESSION_TOKEN is empty)"},
		{"non-loopback host", map[string]string{extension.TokenEnv: token},
			[]extension.Option{extension.WithBaseURL("http://169.254.169.254:2773")},
			"extension: invalid configuration: base URL host is not a loopback address"},
		{"non-loopback name", map[string]string{extension.TokenEnv: token},
			[]extension.Option{extension.WithBaseURL("http://localhost.example.com:2773")},
			"extension: invalid configuration: base URL host is not a loopback address"},
		{"not http", map[string]string{extension.TokenEnv: token},
			[]extension.Option{extension.WithBaseURL("file:///tmp/x")},
			"extension: invalid configuration: base URL is not an http(s) URL without query or fragment"},
		{"query in base", map[string]string{extension.TokenEnv: token},
			[]extension.Option{extension.WithBaseURL("http://localhost:2773/?a=b")},
			"extension: invalid configuration: base URL is not an http(s) URL without query or fragment"},
		{"userinfo in base", map[string]string{extension.TokenEnv: token},
			[]extension.Option{extension.WithBaseURL("http://u:p@localhost:2773")},
			"extension: invalid configuration: base URL is not an http(s) URL without query or fragment"},
		{"unparsable base", map[string]string{extension.TokenEnv: token},
			[]extension.Option{extension.WithBaseURL("http://[::1")},
			"extension: invalid configuration: base URL is not an http(s) URL without query or fragment"},
		{"zero timeout", map[string]string{extension.PortEnv: port, extension.TokenEnv: token},
			[]extension.Option{extension.WithTimeout(0)},
			"extension: invalid configuration: WithTimeout needs a positive duration"},
		{"negative response bound", map[string]string{extension.PortEnv: port, extension.TokenEnv: token},
			[]extension.Option{extension.WithMaxResponseBytes(-1)},
			"extension: invalid configuration: WithMaxResponseBytes needs a positive size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			before := f.count()
			p := extension.New(tt.opts...)
			t.Setenv(extension.TokenEnv, "changed-after-new") // New read it already
			got, err := p.Fetch(t.Context(), "prod/db")
			if tt.wantErr == "" {
				if err != nil || string(got) != "db-current-1a1a" {
					t.Fatalf("Fetch = %q, %v; want the secret", got, err)
				}
				return
			}
			if !errors.Is(err, extension.ErrInvalidConfig) || err.Error() != tt.wantErr {
				t.Errorf("Fetch error = %v, want %q", err, tt.wantErr)
			}
			if f.count() != before {
				t.Errorf("a refused configuration sent a request")
			}
		})
	}
}

// roundTripper records the URL of each request and answers with a secret.
type roundTripper struct {
	mu   sync.Mutex
	urls []string
}

func (rt *roundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	rt.urls = append(rt.urls, r.URL.String())
	rt.mu.Unlock()
	return &http.Response{StatusCode: http.StatusOK, Body: io.NopCloser(strings.NewReader(`{"SecretString":"remote"}`)), Header: http.Header{}}, nil
}

func TestAllowNonLoopback(t *testing.T) {
	rt := &roundTripper{}
	p := extension.New(extension.WithBaseURL("http://extension.internal:2773"), extension.WithToken(token),
		extension.AllowNonLoopback(), extension.WithHTTPClient(&http.Client{Transport: rt}))
	got, err := p.Fetch(t.Context(), "prod/db")
	if err != nil || string(got) != "remote" {
		t.Fatalf("Fetch = %q, %v; want %q", got, err, "remote")
	}
	if want := "http://extension.internal:2773/secretsmanager/get?secretId=prod%2Fdb"; len(rt.urls) != 1 || rt.urls[0] != want {
		t.Errorf("requests = %q, want [%q]", rt.urls, want)
	}
}

func TestRedirectNotFollowed(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("redirect followed; token header %q sent on", r.Header.Get("X-Aws-Parameters-Secrets-Token"))
	}))
	defer other.Close()
	srv := httptest.NewServer(http.RedirectHandler(other.URL+"/steal", http.StatusFound))
	defer srv.Close()
	_, err := extension.New(extension.WithBaseURL(srv.URL), extension.WithToken(token)).Fetch(t.Context(), "prod/db")
	var e *extension.Error
	if !errors.As(err, &e) || e.StatusCode != http.StatusFound {
		t.Errorf("Fetch error = %v, want an *Error with StatusCode 302", err)
	}
}

func TestInvalidName(t *testing.T) {
	f := newFake(t)
	p := f.provider()
	tests := []struct {
		name, secret, wantText string
	}{
		{"empty", "", `extension: get secret "": invalid secret name: empty name`},
		{"bare ssm prefix", "ssm:", `extension: get parameter "ssm:": invalid secret name: empty name`},
		{"bare sm prefix", "secretsmanager:", `extension: get secret "secretsmanager:": invalid secret name: empty name`},
		{"empty suffix", "prod/db#", `extension: get secret "prod/db#": invalid secret name: empty version suffix after '#'`},
		{"only suffix", "#AWSCURRENT", `extension: get secret "#AWSCURRENT": invalid secret name: empty secret id`},
		{"two suffixes", "prod/db#a#b", `extension: get secret "prod/db#a#b": invalid secret name: more than one '#'`},
		{"secret id too long", strings.Repeat("n", 2049), ""},
		{"parameter too long", "ssm:/" + strings.Repeat("n", 2048), ""},
		{"parameter with empty suffix", "ssm:prod/db#", `extension: get parameter "ssm:prod/db#": invalid secret name: parameter name holds a character other than letters, digits and "_.-/"`},
		{"parameter with two suffixes", "ssm:a#b#c", ""},
		{"parameter with empty selector", "ssm:/prod/api-key:", `extension: get parameter "ssm:/prod/api-key:": invalid secret name: empty or invalid version or label after ':'`},
		{"parameter arn with query characters", "arn:aws:ssm:eu-west-3:123456789012:parameter/a&b", ""},
		{"longer than any name", strings.Repeat("n", secrets.MaxNameLen+1),
			`extension: get secret "` + strings.Repeat("n", 64) + `"...: invalid secret name: longer than 4096 bytes`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.Fetch(t.Context(), tt.secret)
			if !errors.Is(err, secrets.ErrInvalidName) || !errors.Is(err, extension.ErrInvalidName) {
				t.Fatalf("Fetch error = %v, want secrets.ErrInvalidName", err)
			}
			var e *extension.Error
			if !errors.As(err, &e) || e.Name != tt.secret {
				t.Fatalf("error %v is not an *extension.Error naming the secret", err)
			}
			if tt.wantText != "" && err.Error() != tt.wantText {
				t.Errorf("error text = %q, want %q", err, tt.wantText)
			}
		})
	}
	if n := f.count(); n != 0 {
		t.Errorf("invalid names sent %d requests, want 0", n)
	}
}

// TestLongNames reads names at the services' limits: the ARN of a
// 512-character secret name with a stage, and a 2048-character parameter.
func TestLongNames(t *testing.T) {
	f := newFake(t)
	name := strings.Repeat("n", 512)
	arn := "arn:aws:secretsmanager:eu-west-3:123456789012:secret:" + name + "-AbCdEf"
	param := "/" + strings.Repeat("p", 2047)
	f.secrets[arn+"|AWSPREVIOUS|"] = `{"SecretString":"long-previous"}`
	f.params[param] = "long-param"
	cache := secrets.New(f.provider())
	for secret, want := range map[string]string{
		"secretsmanager:" + arn + "#AWSPREVIOUS": "long-previous",
		"ssm:" + param:                           "long-param",
	} {
		v, err := cache.Get(t.Context(), secret)
		if err != nil || v.Reveal() != want {
			t.Errorf("Get(%d-byte name) = %q, %v; want %q", len(secret), v.Reveal(), err, want)
		}
	}
}

// TestScheduledForDeletionThroughCache checks that once a secret is
// scheduled for deletion the cache stops serving it rather than serving
// the old value for the stale window.
func TestScheduledForDeletionThroughCache(t *testing.T) {
	f := newFake(t)
	cache := secrets.New(f.provider())
	if _, err := cache.Get(t.Context(), "prod/db"); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	f.deleted = "prod/db"
	f.mu.Unlock()
	cache.Invalidate("prod/db") // stands for the TTL running out
	_, err := cache.Get(t.Context(), "prod/db")
	if !errors.Is(err, secrets.ErrNotFound) || !errors.Is(err, extension.ErrScheduledForDeletion) {
		t.Fatalf("Get after deletion = %v, want ErrNotFound and ErrScheduledForDeletion", err)
	}
	if strings.Contains(err.Error(), canary) {
		t.Errorf("error %q contains the response body", err)
	}
}

func TestInvalidStageConfig(t *testing.T) {
	f := newFake(t)
	for name, opt := range map[string]extension.Option{
		"empty label":    extension.WithStageLabels("blue", ""),
		"label with #":   extension.WithStageLabels("a#b"),
		"stage with #":   extension.WithVersionStage("a#b"),
		"stage too long": extension.WithVersionStage(strings.Repeat("s", 257)),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.provider(opt).Fetch(t.Context(), "prod/db")
			if !errors.Is(err, extension.ErrInvalidConfig) || !errors.Is(err, secrets.ErrInvalidOption) {
				t.Errorf("Fetch error = %v, want ErrInvalidConfig and secrets.ErrInvalidOption", err)
			}
		})
	}
	if n := f.count(); n != 0 {
		t.Errorf("misconfigured providers sent %d requests, want 0", n)
	}
}

func TestFetchCanceledAndTimeout(t *testing.T) {
	started := make(chan struct{}, 1)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })

	t.Run("canceled", func(t *testing.T) {
		p := extension.New(extension.WithBaseURL(srv.URL), extension.WithToken(token))
		ctx, cancel := context.WithCancel(t.Context())
		go func() { <-started; cancel() }()
		_, err := p.Fetch(ctx, "prod/db")
		if !errors.Is(err, context.Canceled) || err.Error() != `extension: get secret "prod/db": context canceled` {
			t.Errorf("Fetch error = %v, want context canceled", err)
		}
	})
	t.Run("provider timeout", func(t *testing.T) {
		p := extension.New(extension.WithBaseURL(srv.URL), extension.WithToken(token), extension.WithTimeout(20*time.Millisecond))
		_, err := p.Fetch(t.Context(), "prod/db")
		<-started
		if !errors.Is(err, context.DeadlineExceeded) || err.Error() != `extension: get secret "prod/db": timed out` {
			t.Errorf("Fetch error = %v, want a timeout", err)
		}
	})
}

func TestFetchConcurrent(t *testing.T) {
	f := newFake(t)
	p := f.provider()
	want := map[string]string{"prod/db": "db-current-1a1a", "prod/db#AWSPREVIOUS": "db-previous-2b2b", "ssm:/prod/api-key": "api-key-7a7a", "prod/cert": binaryValue}
	var wg sync.WaitGroup
	for range 4 {
		for name, w := range want {
			wg.Go(func() {
				got, err := p.Fetch(t.Context(), name)
				if err != nil || string(got) != w {
					t.Errorf("Fetch(%q) = %q, %v; want %q", name, got, err, w)
				}
			})
		}
	}
	wg.Wait()
}
