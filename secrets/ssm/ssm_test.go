package ssm_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/smithy-go"

	"github.com/fnshield/fnshield/internal/awsfake"
	"github.com/fnshield/fnshield/secrets"
	"github.com/fnshield/fnshield/secrets/ssm"
)

const awsMessage = "User arn:aws:iam::123456789012:role/x is not authorized (canary-aws-message)"

// params is the fake Parameter Store's content; 23 parameters under /big
// take three pages of 10. Tests only read it.
var params = func() map[string]string {
	m := map[string]string{
		"/prod/app/db/password": "db-secret-7d1e",
		"/prod/app/api-key":     "api-secret-2b9f",
		"/prod/app/flags":       "a,b,c",
		"/prod/other/x":         "other-secret-55aa",
		"plain":                 "plain-secret-0c0c",
	}
	for i := range 23 {
		m[fmt.Sprintf("/big/p%02d", i)] = fmt.Sprintf("big-value-%02d", i)
	}
	return m
}()

// parameterStore answers GetParameter and GetParametersByPath like Parameter
// Store over params, checking that decryption is always requested.
func parameterStore(t testing.TB) awsfake.Handler {
	t.Helper()
	return func(c awsfake.Call) awsfake.Reply {
		if c.Input["WithDecryption"] != true {
			t.Errorf("%s input WithDecryption = %v, want true", c.Op, c.Input["WithDecryption"])
		}
		switch c.Op {
		case "GetParameter":
			name, _ := c.Input["Name"].(string)
			switch name {
			case "denied":
				return awsfake.Error(http.StatusBadRequest, "AccessDeniedException", awsMessage)
			case "kms":
				return awsfake.Error(http.StatusBadRequest, "KMSAccessDeniedException", awsMessage)
			case "/ssm/reserved":
				return awsfake.Error(http.StatusBadRequest, "ValidationException", `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive). `+awsMessage)
			case "/prod/app/api-key:9":
				return awsfake.Error(http.StatusBadRequest, "ParameterVersionNotFound", "version 9 not found "+awsMessage)
			case "/prod/app/api-key:1", "/prod/app/api-key:blue",
				"arn:aws:ssm:eu-west-3:123456789012:parameter/prod/app/api-key:1":
				return awsfake.OK(param("/prod/app/api-key", "api-old-value-9911", 1))
			case "/aws/reference/secretsmanager/prod/db+admin=x@y!":
				return awsfake.OK(param(name, "referenced-secret-3e3e", 1))
			}
			v, ok := params[name]
			if !ok {
				return awsfake.Error(http.StatusBadRequest, "ParameterNotFound", "")
			}
			return awsfake.OK(param(name, v, 2))
		case "GetParametersByPath":
			return byPath(t, c)
		}
		t.Errorf("unexpected operation %q", c.Op)
		return awsfake.Error(http.StatusBadRequest, "UnknownOperationException", "no")
	}
}

func param(name, value string, version int) map[string]any {
	return map[string]any{"Parameter": map[string]any{
		"Name": name, "Type": "SecureString", "Value": value, "Version": version,
		"ARN":              "arn:aws:ssm:eu-west-3:123456789012:parameter" + name,
		"DataType":         "text",
		"LastModifiedDate": 1.7e9,
	}}
}

// byPath serves GetParametersByPath in pages of MaxResults, with the index
// of the next parameter as the NextToken.
func byPath(t testing.TB, c awsfake.Call) awsfake.Reply {
	t.Helper()
	path, _ := c.Input["Path"].(string)
	if c.Input["Recursive"] != true {
		t.Errorf("GetParametersByPath Recursive = %v, want true", c.Input["Recursive"])
	}
	limit, _ := c.Input["MaxResults"].(float64)
	if limit < 1 || limit > 10 {
		t.Errorf("GetParametersByPath MaxResults = %v, want 1..10", c.Input["MaxResults"])
		limit = 10
	}
	if path == "/denied" {
		return awsfake.Error(http.StatusBadRequest, "AccessDeniedException", awsMessage)
	}
	var names []string
	for name := range params {
		if strings.HasPrefix(name, strings.TrimSuffix(path, "/")+"/") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	start := 0
	if tok, ok := c.Input["NextToken"].(string); ok {
		start, _ = strconv.Atoi(tok)
	}
	end := min(start+int(limit), len(names))
	out := map[string]any{}
	var page []map[string]any
	for _, name := range names[start:end] {
		page = append(page, param(name, params[name], 1)["Parameter"].(map[string]any))
	}
	out["Parameters"] = page
	if end < len(names) {
		out["NextToken"] = strconv.Itoa(end)
	}
	return awsfake.OK(out)
}

func newClient(srv *awsfake.Server) *awsssm.Client {
	return awsssm.NewFromConfig(srv.Config(), func(o *awsssm.Options) {
		o.BaseEndpoint = aws.String(srv.URL)
	})
}

func newServerTB(t testing.TB) *awsfake.Server {
	t.Helper()
	return newServer(t, parameterStore(t))
}

func newServer(t testing.TB, h awsfake.Handler) *awsfake.Server {
	t.Helper()
	return awsfake.New(t, "ssm", "AmazonSSM", h)
}

func TestFetch(t *testing.T) {
	srv := newServer(t, parameterStore(t))
	client := newClient(srv)
	tests := []struct {
		name     string
		opts     []ssm.Option
		param    string
		want     string
		wantName string
	}{
		{"absolute name", nil, "/prod/app/api-key", "api-secret-2b9f", "/prod/app/api-key"},
		{"plain name", nil, "plain", "plain-secret-0c0c", "plain"},
		{"string list", nil, "/prod/app/flags", "a,b,c", "/prod/app/flags"},
		{"version selector passed through", nil, "/prod/app/api-key:1", "api-old-value-9911", "/prod/app/api-key:1"},
		{"label selector passed through", nil, "/prod/app/api-key:blue", "api-old-value-9911", "/prod/app/api-key:blue"},
		{"arn with version", nil, "arn:aws:ssm:eu-west-3:123456789012:parameter/prod/app/api-key:1", "api-old-value-9911",
			"arn:aws:ssm:eu-west-3:123456789012:parameter/prod/app/api-key:1"},
		{"secrets manager reference", nil, "/aws/reference/secretsmanager/prod/db+admin=x@y!", "referenced-secret-3e3e",
			"/aws/reference/secretsmanager/prod/db+admin=x@y!"},
		{"relative to prefix", []ssm.Option{ssm.WithPrefix("/prod/app/")}, "db/password", "db-secret-7d1e", "/prod/app/db/password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(srv.Calls())
			got, err := ssm.New(client, tt.opts...).Fetch(t.Context(), tt.param)
			if err != nil {
				t.Fatalf("Fetch(%q) error: %v", tt.param, err)
			}
			if string(got) != tt.want {
				t.Errorf("Fetch(%q) = %q, want %q", tt.param, got, tt.want)
			}
			calls := srv.Calls()[before:]
			if len(calls) != 1 || calls[0].Op != "GetParameter" {
				t.Fatalf("calls = %v, want one GetParameter", calls)
			}
			if got := calls[0].Input["Name"]; got != tt.wantName {
				t.Errorf("GetParameter Name = %v, want %q", got, tt.wantName)
			}
		})
	}
}

func TestFetchErrors(t *testing.T) {
	srv := newServer(t, parameterStore(t))
	p := ssm.New(newClient(srv))
	tests := []struct {
		name         string
		param        string
		wantCode     string
		wantNotFound bool
		wantText     string
	}{
		{"missing parameter", "/prod/app/nope", "ParameterNotFound", true,
			`ssm: get parameter "/prod/app/nope": not found (ParameterNotFound)`},
		{"missing version", "/prod/app/api-key:9", "ParameterVersionNotFound", true,
			`ssm: get parameter "/prod/app/api-key:9": not found (ParameterVersionNotFound)`},
		{"access denied", "denied", "AccessDeniedException", false,
			`ssm: get parameter "denied": AWS error AccessDeniedException`},
		{"kms access denied", "kms", "KMSAccessDeniedException", false,
			`ssm: get parameter "kms": AWS error KMSAccessDeniedException`},
		{"name refused by the service", "/ssm/reserved", "ValidationException", false,
			`ssm: get parameter "/ssm/reserved": invalid secret name (ValidationException)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := p.Fetch(t.Context(), tt.param)
			if err == nil {
				t.Fatalf("Fetch(%q) = %q, want an error", tt.param, v)
			}
			if got := errors.Is(err, secrets.ErrNotFound); got != tt.wantNotFound {
				t.Errorf("errors.Is(err, secrets.ErrNotFound) = %v, want %v", got, tt.wantNotFound)
			}
			if got, want := errors.Is(err, secrets.ErrAccessDenied), tt.wantCode == "AccessDeniedException"; got != want {
				t.Errorf("errors.Is(err, secrets.ErrAccessDenied) = %v, want %v", got, want)
			}
			if got, want := errors.Is(err, secrets.ErrInvalidName), tt.wantCode == "ValidationException"; got != want {
				t.Errorf("errors.Is(err, secrets.ErrInvalidName) = %v, want %v", got, want)
			}
			var e *ssm.Error
			if !errors.As(err, &e) || e.Code != tt.wantCode {
				t.Fatalf("error %v is not an *ssm.Error with Code %q", err, tt.wantCode)
			}
			var api smithy.APIError
			if !errors.As(err, &api) || api.ErrorCode() != tt.wantCode {
				t.Errorf("errors.As(err, smithy.APIError) does not reach the SDK error %q", tt.wantCode)
			}
			if got := err.Error(); got != tt.wantText {
				t.Errorf("error text = %q, want %q", got, tt.wantText)
			}
			assertNoLeak(t, err)
		})
	}
	var pnf *types.ParameterNotFound
	if _, err := p.Fetch(t.Context(), "/prod/app/nope"); !errors.As(err, &pnf) {
		t.Errorf("errors.As(err, *types.ParameterNotFound) = false for a missing parameter")
	}
}

// assertNoLeak fails if err's text carries any parameter value or the AWS
// error message.
func assertNoLeak(t *testing.T, err error) {
	t.Helper()
	text := err.Error()
	for _, v := range slices.Concat(slices.Collect(maps.Values(params)), []string{"canary-aws-message", "123456789012"}) {
		if strings.Contains(text, v) {
			t.Errorf("error text %q contains %q", text, v)
		}
	}
}

func TestFetchInvalidName(t *testing.T) {
	srv := newServer(t, parameterStore(t))
	tests := []struct {
		name, param, prefix, wantText string
	}{
		{"empty", "", "", `ssm: get parameter "": invalid secret name: empty parameter name`},
		{"empty after prefix", "", "/prod/", `ssm: get parameter "/prod/": invalid secret name: empty parameter name`},
		{"too long", "/" + strings.Repeat("a", 2048), "", ""},
		{"too long with prefix", strings.Repeat("a", 2044), "/pre/", ""},
		{"longer than any name", strings.Repeat("a", secrets.MaxNameLen+1), "",
			`ssm: get parameter "` + strings.Repeat("a", 64) + `"...: invalid secret name: parameter name longer than 2048 bytes`},
		{"empty version suffix", "prod/db#", "", `ssm: get parameter "prod/db#": invalid secret name: parameter name holds a character other than letters, digits and "_.-/"`},
		{"two suffixes", "a#b#c", "", `ssm: get parameter "a#b#c": invalid secret name: parameter name holds a character other than letters, digits and "_.-/"`},
		{"hash after prefix", "db#1", "/prod/", ""},
		{"space", "/prod/my db", "", ""},
		{"empty selector", "/prod/app/api-key:", "", `ssm: get parameter "/prod/app/api-key:": invalid secret name: empty or invalid version or label after ':'`},
		{"two selectors", "/prod/app/api-key:1:2", "", ""},
		{"malformed arn", "arn:aws:ssm", "", `ssm: get parameter "arn:aws:ssm": invalid secret name: malformed parameter ARN`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ssm.New(newClient(srv), ssm.WithPrefix(tt.prefix)).Fetch(t.Context(), tt.param)
			if !errors.Is(err, secrets.ErrInvalidName) || !errors.Is(err, ssm.ErrInvalidName) {
				t.Fatalf("Fetch error = %v, want secrets.ErrInvalidName", err)
			}
			var e *ssm.Error
			if !errors.As(err, &e) || e.Name != tt.prefix+tt.param {
				t.Fatalf("error %v is not an *ssm.Error naming the parameter", err)
			}
			if tt.wantText != "" && err.Error() != tt.wantText {
				t.Errorf("error text = %q, want %q", err, tt.wantText)
			}
		})
	}
	if n := len(srv.Calls()); n != 0 {
		t.Errorf("invalid names made %d calls, want 0", n)
	}
}

// TestLongestNameThroughCache reads a parameter whose name, with its path,
// is 2048 characters, Parameter Store's limit, through a Cache.
func TestLongestNameThroughCache(t *testing.T) {
	long := "/deep/" + strings.Repeat("p", 2048-len("/deep/"))
	srv := newServer(t, func(c awsfake.Call) awsfake.Reply {
		if c.Input["Name"] != long {
			return awsfake.Error(http.StatusBadRequest, "ParameterNotFound", "")
		}
		return awsfake.OK(param(long, "deep-value", 1))
	})
	cache := secrets.New(ssm.NewFromConfig(srv.Config(), ssm.WithPrefix("/deep/")))
	v, err := cache.Get(t.Context(), long[len("/deep/"):])
	if err != nil || v.Reveal() != "deep-value" {
		t.Fatalf("Get(2042-byte name under /deep/) = %q, %v; want deep-value", v.Reveal(), err)
	}
	if _, err := cache.Get(t.Context(), long[len("/deep/"):]+"x"); !errors.Is(err, secrets.ErrInvalidName) {
		t.Errorf("Get of a 2049-byte parameter = %v, want ErrInvalidName", err)
	}
}

// TestLoadPathPrimesCache loads a hierarchy at cold start and serves it
// from a Cache, which fetches a parameter again by name after its TTL.
func TestLoadPathPrimesCache(t *testing.T) {
	srv := newServer(t, parameterStore(t))
	p := ssm.NewFromConfig(srv.Config(), ssm.WithPrefix("/prod/app/"))
	cache := secrets.New(p, secrets.WithTTL(time.Hour))
	all, err := p.LoadPath(t.Context(), "/prod/app")
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range all {
		if err := cache.Prime(name, v); err != nil {
			t.Fatalf("Prime(%q): %v", name, err)
		}
	}
	for name, want := range map[string]string{"db/password": "db-secret-7d1e", "api-key": "api-secret-2b9f", "flags": "a,b,c"} {
		v, err := cache.Get(t.Context(), name)
		if err != nil || v.Reveal() != want {
			t.Errorf("Get(%q) = %q, %v; want %q", name, v.Reveal(), err, want)
		}
	}
	if n := len(srv.Calls()); n != 1 {
		t.Errorf("server saw %d calls, want the one GetParametersByPath", n)
	}
	cache.Invalidate("api-key") // stands for its TTL running out
	if v, err := cache.Get(t.Context(), "api-key"); err != nil || v.Reveal() != "api-secret-2b9f" {
		t.Fatalf("Get after expiry = %q, %v", v.Reveal(), err)
	}
	calls := srv.Calls()
	if last := calls[len(calls)-1]; last.Op != "GetParameter" || last.Input["Name"] != "/prod/app/api-key" {
		t.Errorf("refetch = %s %v, want GetParameter /prod/app/api-key", last.Op, last.Input["Name"])
	}
}

func TestLoadPath(t *testing.T) {
	bigWant := map[string]string{}
	for k, v := range params {
		if rel, ok := strings.CutPrefix(k, "/big/"); ok {
			bigWant[rel] = v
		}
	}

	tests := []struct {
		name      string
		opts      []ssm.Option
		path      string
		want      map[string]string
		wantCalls int
		wantErr   error
	}{
		{"nested path", nil, "/prod/app",
			map[string]string{"db/password": "db-secret-7d1e", "api-key": "api-secret-2b9f", "flags": "a,b,c"}, 1, nil},
		{"trailing slash ignored", nil, "/prod/app/",
			map[string]string{"db/password": "db-secret-7d1e", "api-key": "api-secret-2b9f", "flags": "a,b,c"}, 1, nil},
		{"three pages", nil, "/big", bigWant, 3, nil},
		{"bound equal to count", []ssm.Option{ssm.WithMaxParameters(23)}, "/big", bigWant, 3, nil},
		{"empty path", nil, "/nothing", map[string]string{}, 1, nil},
		{"over the bound", []ssm.Option{ssm.WithMaxParameters(22)}, "/big", nil, 3, ssm.ErrTooManyParameters},
		{"relative path refused", nil, "prod/app", nil, 0, secrets.ErrInvalidName},
		{"empty path refused", nil, "", nil, 0, secrets.ErrInvalidName},
		{"long path refused", nil, "/" + strings.Repeat("p", 2048), nil, 0, secrets.ErrInvalidName},
		{"path with hash refused", nil, "/prod/app#", nil, 0, secrets.ErrInvalidName},
		{"path with selector refused", nil, "/prod/app:1", nil, 0, secrets.ErrInvalidName},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, parameterStore(t))
			got, err := ssm.New(newClient(srv), tt.opts...).LoadPath(t.Context(), tt.path)
			if n := len(srv.Calls()); n != tt.wantCalls {
				t.Errorf("server saw %d calls, want %d", n, tt.wantCalls)
			}
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || got != nil {
					t.Fatalf("LoadPath(%q) = %v, %v; want nil, %v", tt.path, got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadPath(%q) error: %v", tt.path, err)
			}
			if len(got) != len(tt.want) {
				t.Errorf("LoadPath(%q) returned %d parameters, want %d", tt.path, len(got), len(tt.want))
			}
			for k, v := range tt.want {
				if got[k].Reveal() != v {
					t.Errorf("LoadPath(%q)[%q] = %q, want %q", tt.path, k, got[k].Reveal(), v)
				}
			}
			for k, v := range got {
				if out := fmt.Sprintf("%v %+v %s %q %x", got, v, v, v, v); strings.Contains(out, tt.want[k]) && tt.want[k] != "" {
					t.Errorf("printing LoadPath's result shows the value of %q: %s", k, out)
				}
			}
		})
	}
}

func TestLoadPathErrors(t *testing.T) {
	tests := []struct {
		name     string
		path     string
		reply    func(awsfake.Call) awsfake.Reply
		wantText string
	}{
		{"access denied", "/denied", func(awsfake.Call) awsfake.Reply {
			return awsfake.Error(http.StatusBadRequest, "AccessDeniedException", awsMessage)
		}, `ssm: get parameters by path "/denied": AWS error AccessDeniedException`},
		{"path refused by the service", "/aws", func(awsfake.Call) awsfake.Reply {
			return awsfake.Error(http.StatusBadRequest, "ValidationException", awsMessage)
		}, `ssm: get parameters by path "/aws": invalid secret name (ValidationException)`},
		{"parameter outside the path", "/prod/app", func(awsfake.Call) awsfake.Reply {
			return awsfake.OK(map[string]any{"Parameters": []any{param("/prod/other/x", "other-secret-55aa", 1)["Parameter"]}})
		}, `ssm: get parameters by path "/prod/app": response names a parameter outside the path`},
		{"parameter without value", "/prod/app", func(awsfake.Call) awsfake.Reply {
			return awsfake.OK(map[string]any{"Parameters": []any{map[string]any{"Name": "/prod/app/x"}}})
		}, `ssm: get parameters by path "/prod/app": response has no parameter value`},
		{"endless empty pages", "/prod/app", func(c awsfake.Call) awsfake.Reply {
			return awsfake.OK(map[string]any{"Parameters": []any{}, "NextToken": strconv.Itoa(c.N)})
		}, ssm.ErrTooManyParameters.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, tt.reply)
			got, err := ssm.New(newClient(srv), ssm.WithMaxParameters(5)).LoadPath(t.Context(), tt.path)
			if err == nil || got != nil {
				t.Fatalf("LoadPath = %v, %v; want an error", got, err)
			}
			if err.Error() != tt.wantText {
				t.Errorf("error text = %q, want %q", err.Error(), tt.wantText)
			}
			assertNoLeak(t, err)
		})
	}
}

func TestThrottlingRetried(t *testing.T) {
	tests := []struct {
		name      string
		throttles int
		wantCalls int
		wantErr   bool
	}{
		{"one throttle then success", 1, 2, false},
		{"throttled past max attempts", 10, awsfake.MaxAttempts, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, func(c awsfake.Call) awsfake.Reply {
				if c.N <= tt.throttles {
					return awsfake.Error(http.StatusBadRequest, "ThrottlingException", "Rate exceeded")
				}
				return awsfake.OK(param("/prod/app/api-key", "api-secret-2b9f", 1))
			})
			got, err := ssm.New(newClient(srv)).Fetch(t.Context(), "/prod/app/api-key")
			if n := len(srv.Calls()); n != tt.wantCalls {
				t.Errorf("server saw %d calls, want %d", n, tt.wantCalls)
			}
			if tt.wantErr {
				var e *ssm.Error
				if !errors.As(err, &e) || e.Code != "ThrottlingException" {
					t.Fatalf("Fetch error = %v, want an *Error with Code ThrottlingException", err)
				}
				return
			}
			if err != nil || string(got) != "api-secret-2b9f" {
				t.Errorf("Fetch = %q, %v; want the value", got, err)
			}
		})
	}
}

func TestContextCanceled(t *testing.T) {
	started := make(chan struct{}, 1)
	release := make(chan struct{})
	srv := newServer(t, func(awsfake.Call) awsfake.Reply {
		started <- struct{}{}
		<-release
		return awsfake.OK(param("/prod/app/api-key", "api-secret-2b9f", 1))
	})
	t.Cleanup(func() { close(release) }) // runs before the server's Close
	p := ssm.New(newClient(srv))
	tests := []struct {
		name     string
		call     func(ctx context.Context) error
		wantText string
	}{
		{"Fetch", func(ctx context.Context) error { _, err := p.Fetch(ctx, "/prod/app/api-key"); return err },
			`ssm: get parameter "/prod/app/api-key": context canceled`},
		{"LoadPath", func(ctx context.Context) error { _, err := p.LoadPath(ctx, "/prod/app"); return err },
			`ssm: get parameters by path "/prod/app": context canceled`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			go func() { <-started; cancel() }()
			err := tt.call(ctx)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("error = %v, want context.Canceled", err)
			}
			if err.Error() != tt.wantText {
				t.Errorf("error text = %q, want %q", err.Error(), tt.wantText)
			}
		})
	}
}

func TestNewNilClientPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New(nil) did not panic")
		}
	}()
	ssm.New(nil)
}

func TestWithMaxParametersRefusesBound(t *testing.T) {
	srv := newServer(t, parameterStore(t))
	for _, n := range []int{0, -5} {
		func() {
			defer func() {
				if msg, _ := recover().(string); !strings.Contains(msg, "WithMaxParameters") {
					t.Errorf("WithMaxParameters(%d): panic %q, want New to refuse the bound", n, msg)
				}
			}()
			ssm.New(newClient(srv), ssm.WithMaxParameters(n))
		}()
	}
}
