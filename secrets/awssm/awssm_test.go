package awssm_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/smithy-go"

	"github.com/fnshield/fnshield/internal/awsfake"
	"github.com/fnshield/fnshield/secrets"
	"github.com/fnshield/fnshield/secrets/awssm"
)

const (
	versionID   = "EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE"
	prevValue   = "previous-value-6f1d"
	curValue    = `{"username":"app","password":"current-value-93ab"}`
	labelValue  = "blue-value-1c2d"
	binaryValue = "\x00\x01binary\xffvalue"
	awsMessage  = "User arn:aws:iam::123456789012:role/x is not authorized (canary-aws-message)"
)

// store answers GetSecretValue like Secrets Manager for a fixed set of
// secrets, checking that only GetSecretValue is ever called.
func store(t *testing.T) awsfake.Handler {
	t.Helper()
	return func(c awsfake.Call) awsfake.Reply {
		if c.Op != "GetSecretValue" {
			t.Errorf("operation = %q, want GetSecretValue only", c.Op)
			return awsfake.Error(http.StatusBadRequest, "UnknownOperationException", "no")
		}
		id, _ := c.Input["SecretId"].(string)
		stage, hasStage := c.Input["VersionStage"].(string)
		vid, hasID := c.Input["VersionId"].(string)
		out := map[string]any{
			"ARN":         "arn:aws:secretsmanager:eu-west-3:123456789012:secret:" + id + "-AbCdEf",
			"Name":        id,
			"CreatedDate": 1.7e9,
		}
		switch {
		case id == "prod/db" && hasID && vid == versionID:
			out["VersionId"], out["SecretString"], out["VersionStages"] = versionID, prevValue, []string{"AWSPREVIOUS"}
		case id == "prod/db" && hasID:
			return awsfake.Error(http.StatusBadRequest, "ResourceNotFoundException", "Secrets Manager can't find the specified secret value for VersionId")
		case id == "prod/db" && stage == "AWSPREVIOUS":
			out["VersionId"], out["SecretString"], out["VersionStages"] = versionID, prevValue, []string{"AWSPREVIOUS"}
		case id == "prod/db" && stage == "blue":
			out["VersionId"], out["SecretString"], out["VersionStages"] = "v-blue-0000000000000000000000000000", labelValue, []string{"blue"}
		case id == "prod/db" && (!hasStage || stage == "AWSCURRENT"):
			out["VersionId"], out["SecretString"], out["VersionStages"] = "v-cur-00000000000000000000000000000", curValue, []string{"AWSCURRENT"}
		case id == "prod/cert" && !hasStage && !hasID:
			out["VersionId"], out["SecretBinary"], out["VersionStages"] = "v-bin-00000000000000000000000000000", []byte(binaryValue), []string{"AWSCURRENT"}
		case id == "prod/empty" || strings.HasSuffix(id, ":secret:prod/empty-AbCdEf"):
			out["VersionId"], out["SecretString"] = "v-empty-0000000000000000000000000000", ""
		case id == "prod/retired":
			return awsfake.Error(http.StatusBadRequest, "InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.")
		case id == "prod/retired-moto":
			return awsfake.Error(http.StatusBadRequest, "InvalidRequestException", "You tried to perform the operation on a secret that's currently marked deleted.")
		case id == "prod/retired-upper":
			return awsfake.Error(http.StatusBadRequest, "InvalidRequestException", "SECRET SCHEDULED FOR DELETION")
		case id == "prod/bad name":
			return awsfake.Error(http.StatusBadRequest, "ValidationException", "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@! "+awsMessage)
		case id == "prod/bad-param":
			return awsfake.Error(http.StatusBadRequest, "InvalidParameterException", "The parameter name or value is invalid. "+awsMessage)
		case id == "prod/disabled-key":
			return awsfake.Error(http.StatusBadRequest, "InvalidRequestException", "Access to KMS is not allowed "+awsMessage)
		case strings.HasPrefix(id, "long/") || strings.HasPrefix(id, "arn:aws:secretsmanager:eu-west-3:123456789012:secret:long/"):
			out["VersionId"], out["SecretString"] = "v-long-00000000000000000000000000000", "long-value-"+stage
		case id == "denied":
			return awsfake.Error(http.StatusBadRequest, "AccessDeniedException", awsMessage)
		case id == "kms":
			return awsfake.Error(http.StatusBadRequest, "DecryptionFailure", awsMessage)
		case id == "broken":
			return awsfake.Error(http.StatusInternalServerError, "InternalServiceError", awsMessage)
		default:
			return awsfake.Error(http.StatusBadRequest, "ResourceNotFoundException", "Secrets Manager can't find the specified secret. "+awsMessage)
		}
		return awsfake.OK(out)
	}
}

func newClient(srv *awsfake.Server) *secretsmanager.Client {
	return secretsmanager.NewFromConfig(srv.Config(), func(o *secretsmanager.Options) {
		o.BaseEndpoint = aws.String(srv.URL)
	})
}

func TestFetch(t *testing.T) {
	srv := awsfake.New(t, "secretsmanager", "secretsmanager", store(t))
	client := newClient(srv)
	tests := []struct {
		name      string
		opts      []awssm.Option
		secret    string
		want      string
		wantInput map[string]any
	}{
		{"plain name is current", nil, "prod/db", curValue,
			map[string]any{"SecretId": "prod/db"}},
		{"arn", nil, "arn:aws:secretsmanager:eu-west-3:123456789012:secret:prod/empty-AbCdEf", "",
			map[string]any{"SecretId": "arn:aws:secretsmanager:eu-west-3:123456789012:secret:prod/empty-AbCdEf"}},
		{"binary secret", nil, "prod/cert", binaryValue,
			map[string]any{"SecretId": "prod/cert"}},
		{"empty string secret", nil, "prod/empty", "",
			map[string]any{"SecretId": "prod/empty"}},
		{"AWSPREVIOUS suffix is a stage", nil, "prod/db#AWSPREVIOUS", prevValue,
			map[string]any{"SecretId": "prod/db", "VersionStage": "AWSPREVIOUS"}},
		{"AWSCURRENT suffix is a stage", nil, "prod/db#AWSCURRENT", curValue,
			map[string]any{"SecretId": "prod/db", "VersionStage": "AWSCURRENT"}},
		{"other suffix is a version id", nil, "prod/db#" + versionID, prevValue,
			map[string]any{"SecretId": "prod/db", "VersionId": versionID}},
		{"declared label is a stage", []awssm.Option{awssm.WithStageLabels("blue")}, "prod/db#blue", labelValue,
			map[string]any{"SecretId": "prod/db", "VersionStage": "blue"}},
		{"WithVersionStage default", []awssm.Option{awssm.WithVersionStage("AWSPREVIOUS")}, "prod/db", prevValue,
			map[string]any{"SecretId": "prod/db", "VersionStage": "AWSPREVIOUS"}},
		{"suffix overrides WithVersionStage", []awssm.Option{awssm.WithVersionStage("AWSPREVIOUS")}, "prod/db#AWSCURRENT", curValue,
			map[string]any{"SecretId": "prod/db", "VersionStage": "AWSCURRENT"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(srv.Calls())
			got, err := awssm.New(client, tt.opts...).Fetch(t.Context(), tt.secret)
			if err != nil {
				t.Fatalf("Fetch(%q) error: %v", tt.secret, err)
			}
			if string(got) != tt.want {
				t.Errorf("Fetch(%q) = %q, want %q", tt.secret, got, tt.want)
			}
			if got == nil {
				t.Errorf("Fetch(%q) = nil, want a non-nil slice", tt.secret)
			}
			calls := srv.Calls()[before:]
			if len(calls) != 1 {
				t.Fatalf("got %d calls, want 1", len(calls))
			}
			assertInput(t, calls[0].Input, tt.wantInput)
		})
	}
}

func assertInput(t *testing.T, got, want map[string]any) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("input = %v, want %v", got, want)
		return
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("input[%q] = %v, want %v", k, got[k], v)
		}
	}
}

func TestFetchErrors(t *testing.T) {
	srv := awsfake.New(t, "secretsmanager", "secretsmanager", store(t))
	p := awssm.New(newClient(srv))
	tests := []struct {
		name         string
		secret       string
		wantCode     string
		wantNotFound bool
		wantText     string
	}{
		{"missing secret", "prod/nope", "ResourceNotFoundException", true,
			`awssm: get secret "prod/nope": not found (ResourceNotFoundException)`},
		{"missing version", "prod/db#00000000-0000-0000-0000-000000000000", "ResourceNotFoundException", true,
			`awssm: get secret "prod/db#00000000-0000-0000-0000-000000000000": not found (ResourceNotFoundException)`},
		{"access denied", "denied", "AccessDeniedException", false,
			`awssm: get secret "denied": AWS error AccessDeniedException`},
		{"scheduled for deletion", "prod/retired", "InvalidRequestException", true,
			`awssm: get secret "prod/retired": scheduled for deletion (InvalidRequestException)`},
		{"marked deleted in moto's words", "prod/retired-moto", "InvalidRequestException", true,
			`awssm: get secret "prod/retired-moto": scheduled for deletion (InvalidRequestException)`},
		{"scheduled for deletion in upper case", "prod/retired-upper", "InvalidRequestException", true,
			`awssm: get secret "prod/retired-upper": scheduled for deletion (InvalidRequestException)`},
		{"name refused with ValidationException", "prod/bad name", "ValidationException", false,
			`awssm: get secret "prod/bad name": invalid secret name (ValidationException)`},
		{"name refused with InvalidParameterException", "prod/bad-param", "InvalidParameterException", false,
			`awssm: get secret "prod/bad-param": invalid secret name (InvalidParameterException)`},
		{"other invalid request", "prod/disabled-key", "InvalidRequestException", false,
			`awssm: get secret "prod/disabled-key": AWS error InvalidRequestException`},
		{"kms decryption failure", "kms", "DecryptionFailure", false,
			`awssm: get secret "kms": AWS error DecryptionFailure`},
		{"server error after retries", "broken", "InternalServiceError", false,
			`awssm: get secret "broken": AWS error InternalServiceError`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := p.Fetch(t.Context(), tt.secret)
			if err == nil {
				t.Fatalf("Fetch(%q) = %q, want an error", tt.secret, v)
			}
			if got := errors.Is(err, secrets.ErrNotFound); got != tt.wantNotFound {
				t.Errorf("errors.Is(err, secrets.ErrNotFound) = %v, want %v", got, tt.wantNotFound)
			}
			if got, want := errors.Is(err, secrets.ErrAccessDenied), tt.wantCode == "AccessDeniedException"; got != want {
				t.Errorf("errors.Is(err, secrets.ErrAccessDenied) = %v, want %v", got, want)
			}
			if got, want := errors.Is(err, awssm.ErrScheduledForDeletion), strings.Contains(tt.name, "deletion") || strings.Contains(tt.name, "deleted"); got != want {
				t.Errorf("errors.Is(err, awssm.ErrScheduledForDeletion) = %v, want %v", got, want)
			}
			if got, want := errors.Is(err, secrets.ErrInvalidName), strings.HasPrefix(tt.name, "name refused"); got != want {
				t.Errorf("errors.Is(err, secrets.ErrInvalidName) = %v, want %v", got, want)
			}
			var e *awssm.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *awssm.Error", err)
			}
			if e.Code != tt.wantCode || e.Name != tt.secret {
				t.Errorf("Error{Name: %q, Code: %q}, want {%q, %q}", e.Name, e.Code, tt.secret, tt.wantCode)
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
	var rnf *types.ResourceNotFoundException
	_, err := p.Fetch(t.Context(), "prod/nope")
	if !errors.As(err, &rnf) {
		t.Errorf("errors.As(err, *types.ResourceNotFoundException) = false for a missing secret")
	}
}

// assertNoLeak fails if err's text carries any secret value or the AWS
// error message.
func assertNoLeak(t *testing.T, err error) {
	t.Helper()
	text := err.Error()
	for _, s := range []string{prevValue, "current-value-93ab", labelValue, "binary", "canary-aws-message", "123456789012"} {
		if strings.Contains(text, s) {
			t.Errorf("error text %q contains %q", text, s)
		}
	}
}

func TestFetchInvalidName(t *testing.T) {
	srv := awsfake.New(t, "secretsmanager", "secretsmanager", store(t))
	p := awssm.New(newClient(srv))
	tests := []struct {
		name, secret, wantText string
	}{
		{"empty", "", `awssm: get secret "": invalid secret name: empty secret id`},
		{"only suffix", "#AWSCURRENT", `awssm: get secret "#AWSCURRENT": invalid secret name: empty secret id`},
		{"empty suffix", "prod/db#", `awssm: get secret "prod/db#": invalid secret name: empty version suffix after '#'`},
		{"two suffixes", "a#b#c", `awssm: get secret "a#b#c": invalid secret name: more than one '#'`},
		{"suffix too long", "prod/db#" + strings.Repeat("v", 257), ""},
		{"id too long", strings.Repeat("a", 2049), ""},
		{"longer than any name", strings.Repeat("a", secrets.MaxNameLen+1), `awssm: get secret "` + strings.Repeat("a", 64) + `"...: invalid secret name: secret id longer than 2048 bytes`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.Fetch(t.Context(), tt.secret)
			if !errors.Is(err, secrets.ErrInvalidName) || !errors.Is(err, awssm.ErrInvalidName) {
				t.Fatalf("Fetch error = %v, want secrets.ErrInvalidName", err)
			}
			var e *awssm.Error
			if !errors.As(err, &e) || e.Name != tt.secret {
				t.Fatalf("error %T is not an *awssm.Error naming the secret", err)
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

// TestInvalidNameThroughCache checks that a name awssm refuses reaches the
// caller of Cache.Get as secrets.ErrInvalidName, with the provider's detail.
func TestInvalidNameThroughCache(t *testing.T) {
	srv := awsfake.New(t, "secretsmanager", "secretsmanager", store(t))
	cache := secrets.New(awssm.NewFromConfig(srv.Config()))
	for _, name := range []string{"prod/db#", "a#b#c"} {
		_, err := cache.Get(t.Context(), name)
		var e *awssm.Error
		if !errors.Is(err, secrets.ErrInvalidName) || !errors.As(err, &e) {
			t.Errorf("Get(%q) error = %v, want secrets.ErrInvalidName from an *awssm.Error", name, err)
		}
	}
}

// TestLongNames reads secrets at the service's limits: a 512-character
// name (the Secrets Manager maximum), its ARN, and the ARN with a stage.
func TestLongNames(t *testing.T) {
	srv := awsfake.New(t, "secretsmanager", "secretsmanager", store(t))
	cache := secrets.New(awssm.NewFromConfig(srv.Config()))
	name := "long/" + strings.Repeat("n", 512-len("long/"))
	arn := "arn:aws:secretsmanager:eu-west-3:123456789012:secret:" + name + "-AbCdEf"
	tests := []struct {
		name, secret, want string
	}{
		{"512-character name", name, "long-value-"},
		{"its ARN", arn, "long-value-"},
		{"ARN with stage", arn + "#AWSPREVIOUS", "long-value-AWSPREVIOUS"},
		{"2048-character ID", "long/" + strings.Repeat("x", 2043), "long-value-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := cache.Get(t.Context(), tt.secret)
			if err != nil {
				t.Fatalf("Get(%d-byte name): %v", len(tt.secret), err)
			}
			if got := v.Reveal(); got != tt.want {
				t.Errorf("Get = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestScheduledForDeletionThroughCache checks that once a secret is
// scheduled for deletion the cache stops serving it rather than serving
// the old value for the stale window.
func TestScheduledForDeletionThroughCache(t *testing.T) {
	retired := false
	var mu sync.Mutex
	srv := awsfake.New(t, "secretsmanager", "secretsmanager", func(c awsfake.Call) awsfake.Reply {
		mu.Lock()
		defer mu.Unlock()
		if retired {
			return awsfake.Error(http.StatusBadRequest, "InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.")
		}
		return awsfake.OK(map[string]any{"Name": "prod/db", "SecretString": curValue})
	})
	cache := secrets.New(awssm.NewFromConfig(srv.Config()))
	if _, err := cache.Get(t.Context(), "prod/db"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	retired = true
	mu.Unlock()
	cache.Invalidate("prod/db") // stands for the TTL running out
	_, err := cache.Get(t.Context(), "prod/db")
	if !errors.Is(err, secrets.ErrNotFound) || !errors.Is(err, awssm.ErrScheduledForDeletion) {
		t.Fatalf("Get after deletion = %v, want ErrNotFound and ErrScheduledForDeletion", err)
	}
	assertNoLeak(t, err)
}

func TestNewFromConfig(t *testing.T) {
	srv := awsfake.New(t, "secretsmanager", "secretsmanager", store(t))
	p := awssm.NewFromConfig(srv.Config(), awssm.WithStageLabels("blue"))
	got, err := p.Fetch(t.Context(), "prod/db#blue")
	if err != nil || string(got) != labelValue {
		t.Fatalf("Fetch = %q, %v; want %q", got, err, labelValue)
	}
	assertInput(t, srv.Calls()[0].Input, map[string]any{"SecretId": "prod/db", "VersionStage": "blue"})
}

func TestNewInvalidOptionsPanic(t *testing.T) {
	client := fakeClient{}
	for name, opt := range map[string]awssm.Option{
		"empty label":    awssm.WithStageLabels("blue", ""),
		"label with #":   awssm.WithStageLabels("a#b"),
		"stage with #":   awssm.WithVersionStage("a#b"),
		"stage too long": awssm.WithVersionStage(strings.Repeat("s", 257)),
		"label too long": awssm.WithStageLabels(strings.Repeat("s", 257)),
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("New did not panic")
				}
			}()
			awssm.New(client, opt)
		})
	}
}

// TestThrottlingRetried proves that throttling is retried by the SDK's
// standard retryer configured on the client, not by the provider.
func TestThrottlingRetried(t *testing.T) {
	tests := []struct {
		name      string
		throttles int
		wantCalls int
		wantErr   bool
	}{
		{"one throttle then success", 1, 2, false},
		{"two throttles then success", 2, 3, false},
		{"throttled past max attempts", 10, awsfake.MaxAttempts, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := awsfake.New(t, "secretsmanager", "secretsmanager", func(c awsfake.Call) awsfake.Reply {
				if c.N <= tt.throttles {
					return awsfake.Error(http.StatusBadRequest, "ThrottlingException", "Rate exceeded")
				}
				return awsfake.OK(map[string]any{"Name": "prod/db", "SecretString": curValue})
			})
			got, err := awssm.New(newClient(srv)).Fetch(t.Context(), "prod/db")
			if n := len(srv.Calls()); n != tt.wantCalls {
				t.Errorf("server saw %d calls, want %d", n, tt.wantCalls)
			}
			if tt.wantErr {
				var e *awssm.Error
				if !errors.As(err, &e) || e.Code != "ThrottlingException" {
					t.Fatalf("Fetch error = %v, want an *Error with Code ThrottlingException", err)
				}
				return
			}
			if err != nil || string(got) != curValue {
				t.Errorf("Fetch = %q, %v; want %q, nil", got, err, curValue)
			}
		})
	}
}

func TestFetchContextCanceled(t *testing.T) {
	started := make(chan struct{}, 1)
	release := make(chan struct{})
	srv := awsfake.New(t, "secretsmanager", "secretsmanager", func(c awsfake.Call) awsfake.Reply {
		started <- struct{}{}
		<-release
		return awsfake.OK(map[string]any{"SecretString": curValue})
	})
	t.Cleanup(func() { close(release) }) // runs before the server's Close
	p := awssm.New(newClient(srv))

	t.Run("canceled in flight", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		go func() { <-started; cancel() }()
		v, err := p.Fetch(ctx, "prod/db")
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Fetch = %q, %v; want context.Canceled", v, err)
		}
		if got, want := err.Error(), `awssm: get secret "prod/db": context canceled`; got != want {
			t.Errorf("error text = %q, want %q", got, want)
		}
	})
	t.Run("canceled before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, err := p.Fetch(ctx, "prod/db"); !errors.Is(err, context.Canceled) {
			t.Fatalf("Fetch error = %v, want context.Canceled", err)
		}
	})
}

func TestFetchConcurrent(t *testing.T) {
	srv := awsfake.New(t, "secretsmanager", "secretsmanager", store(t))
	p := awssm.New(newClient(srv), awssm.WithStageLabels("blue"))
	want := map[string]string{"prod/db": curValue, "prod/db#AWSPREVIOUS": prevValue, "prod/db#blue": labelValue, "prod/cert": binaryValue}
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

func TestNewNilClientPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New(nil) did not panic")
		}
	}()
	awssm.New(nil)
}

// fakeClient returns a fixed output, for the response shapes the real
// service never sends.
type fakeClient struct {
	out *secretsmanager.GetSecretValueOutput
}

func (f fakeClient) GetSecretValue(context.Context, *secretsmanager.GetSecretValueInput, ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error) {
	return f.out, nil
}

func TestFetchNoValue(t *testing.T) {
	for name, out := range map[string]*secretsmanager.GetSecretValueOutput{
		"nil output":        nil,
		"neither field set": {Name: aws.String("prod/db")},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := awssm.New(fakeClient{out}).Fetch(t.Context(), "prod/db")
			if got, want := errText(err), `awssm: get secret "prod/db": response has no secret value`; got != want {
				t.Errorf("error = %q, want %q", got, want)
			}
		})
	}
}

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}
