package auth_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnshield/fnshield/auth"
)

const lambdaEventsDir = "../../shared/testdata/lambda-events/"

func loadFixture[E any](t *testing.T, name string) E {
	t.Helper()
	b, err := os.ReadFile(lambdaEventsDir + name)
	if err != nil {
		t.Fatal(err)
	}
	var e E
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return e
}

// iamKind sets an IAM caller (or none, for an empty arn) on one kind of
// event and runs it through IAMLambda.
type iamKind struct {
	name string
	run  func(t *testing.T, account, arn string, opts ...auth.IAMOption) (status int, header http.Header, c *auth.Caller)
}

func iamKinds(t *testing.T) []iamKind {
	rest := loadFixture[events.APIGatewayProxyRequest](t, "apiGatewayProxyEvent.json")
	v2 := loadFixture[events.APIGatewayV2HTTPRequest](t, "apiGatewayProxyV2IamEvent.json")
	url := loadFixture[events.LambdaFunctionURLRequest](t, "lambdaFunctionUrlIAMEvent.json")
	return []iamKind{
		{"REST API", iamRunner(rest, events.APIGatewayProxyResponse{StatusCode: 200}, func(e *events.APIGatewayProxyRequest, account, arn string) {
			e.RequestContext.Identity.AccountID, e.RequestContext.Identity.UserArn = account, arn
			e.RequestContext.Identity.Caller = "AROAEXAMPLE:session"
		}, func(r events.APIGatewayProxyResponse) (int, http.Header) {
			return r.StatusCode, http.Header(r.MultiValueHeaders)
		})},
		{"HTTP API", iamRunner(v2, events.APIGatewayV2HTTPResponse{StatusCode: 200}, func(e *events.APIGatewayV2HTTPRequest, account, arn string) {
			iam := *e.RequestContext.Authorizer.IAM
			iam.AccountID, iam.UserARN = account, arn
			e.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{IAM: &iam}
		}, func(r events.APIGatewayV2HTTPResponse) (int, http.Header) {
			return r.StatusCode, singleHeader(r.Headers)
		})},
		{"Function URL", iamRunner(url, events.LambdaFunctionURLResponse{StatusCode: 200}, func(e *events.LambdaFunctionURLRequest, account, arn string) {
			iam := *e.RequestContext.Authorizer.IAM
			iam.AccountID, iam.UserARN = account, arn
			e.RequestContext.Authorizer = &events.LambdaFunctionURLRequestContextAuthorizerDescription{IAM: &iam}
		}, func(r events.LambdaFunctionURLResponse) (int, http.Header) {
			return r.StatusCode, singleHeader(r.Headers)
		})},
	}
}

// iamRunner runs a copy of the fixture event, with the IAM caller set by
// setCaller, through IAMLambda to a handler answering ok, and reads the
// answer with read.
func iamRunner[E, R any](fixture E, ok R, setCaller func(e *E, account, arn string), read func(R) (int, http.Header)) func(*testing.T, string, string, ...auth.IAMOption) (int, http.Header, *auth.Caller) {
	return func(t *testing.T, account, arn string, opts ...auth.IAMOption) (int, http.Header, *auth.Caller) {
		var got *auth.Caller
		h := auth.IAMLambda(func(ctx context.Context, _ E) (R, error) {
			got, _ = auth.CallerFromContext(ctx)
			return ok, nil
		}, opts...)
		e := fixture
		setCaller(&e, account, arn)
		resp, err := h(context.Background(), e)
		if err != nil {
			t.Fatal(err)
		}
		status, header := read(resp)
		return status, header, got
	}
}

func singleHeader(m map[string]string) http.Header {
	h := http.Header{}
	for k, v := range m {
		h.Set(k, v)
	}
	return h
}

func TestIAMLambda(t *testing.T) {
	const (
		acct    = "123456789012"
		other   = "210987654321"
		session = "arn:aws:sts::123456789012:assumed-role/billing-role/order-fn-session"
	)
	tests := []struct {
		name       string
		account    string
		arn        string
		callers    []string
		wantStatus int
		wantRole   string
	}{
		{"assumed role matches its role", acct, session, []string{"arn:aws:iam::123456789012:role/billing-role"}, 200, "billing-role"},
		{"role with a path matches its sessions", acct, session, []string{"arn:aws:iam::123456789012:role/service/billing-role"}, 200, "billing-role"},
		{"role name pattern", acct, session, []string{"arn:aws:iam::123456789012:role/billing-*"}, 200, "billing-role"},
		{"pattern that does not match", acct, session, []string{"arn:aws:iam::123456789012:role/orders-*"}, 403, ""},
		{"account", acct, session, []string{acct}, 200, "billing-role"},
		{"wrong account", other, "arn:aws:sts::210987654321:assumed-role/billing-role/s", []string{"arn:aws:iam::123456789012:role/billing-role"}, 403, ""},
		{"same role name in another account", other, "arn:aws:sts::210987654321:assumed-role/billing-role/s", []string{acct}, 403, ""},
		{"ARN account differs from the event's account", acct, "arn:aws:sts::210987654321:assumed-role/billing-role/s", []string{"arn:aws:iam::123456789012:role/billing-role"}, 403, ""},
		{"another partition", acct, "arn:aws-cn:sts::123456789012:assumed-role/billing-role/s", []string{"arn:aws:iam::123456789012:role/billing-role"}, 403, ""},
		{"user", acct, "arn:aws:iam::123456789012:user/ops/alice", []string{"arn:aws:iam::123456789012:user/alice"}, 200, ""},
		{"user is not a role", acct, "arn:aws:iam::123456789012:user/billing-role", []string{"arn:aws:iam::123456789012:role/billing-role"}, 403, ""},
		{"any of several", acct, session, []string{other, "arn:aws:iam::123456789012:role/billing-role"}, 200, "billing-role"},
		{"no IAM caller", "", "", []string{acct}, 401, ""},
	}
	for _, k := range iamKinds(t) {
		t.Run(k.name, func(t *testing.T) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					status, header, c := k.run(t, tt.account, tt.arn, auth.RequireCaller(tt.callers...))
					if status != tt.wantStatus {
						t.Fatalf("status = %d, want %d", status, tt.wantStatus)
					}
					if tt.wantStatus != 200 {
						if c != nil {
							t.Errorf("caller in context for a rejection: %+v", c)
						}
						if got := header.Get("Content-Type"); got != "application/problem+json" {
							t.Errorf("Content-Type = %q", got)
						}
						if want := map[int]string{401: "AWS4-HMAC-SHA256", 403: ""}[status]; header.Get("WWW-Authenticate") != want {
							t.Errorf("WWW-Authenticate = %q, want %q", header.Get("WWW-Authenticate"), want)
						}
						return
					}
					if c == nil || c.AccountID != tt.account || c.ARN != tt.arn || c.Role != tt.wantRole {
						t.Errorf("caller = %+v, want account %s, ARN %s, role %q", c, tt.account, tt.arn, tt.wantRole)
					}
				})
			}
		})
	}
}

func TestIAMLambdaPanicsAtWrapTime(t *testing.T) {
	ok := func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{}, nil
	}
	tests := []struct {
		name string
		wrap func()
		want string
	}{
		{"no RequireCaller", func() { auth.IAMLambda(ok) }, "RequireCaller"},
		{"ALB carries no caller", func() {
			auth.IAMLambda(func(context.Context, events.ALBTargetGroupRequest) (events.ALBTargetGroupResponse, error) {
				return events.ALBTargetGroupResponse{}, nil
			}, auth.RequireCaller("123456789012"))
		}, "events.ALBTargetGroupRequest"},
		{"short account", func() { auth.IAMLambda(ok, auth.RequireCaller("12345")) }, "12345"},
		{"wildcard account", func() { auth.IAMLambda(ok, auth.RequireCaller("arn:aws:iam::*:role/x")) }, "arn:aws:iam::*:role/x"},
		{"not IAM", func() { auth.IAMLambda(ok, auth.RequireCaller("arn:aws:s3:::bucket")) }, "arn:aws:s3:::bucket"},
		{"bad pattern", func() { auth.IAMLambda(ok, auth.RequireCaller("arn:aws:iam::123456789012:role/[x")) }, "pattern"},
		{"mismatched response names IAMLambda", func() {
			auth.IAMLambda(func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayV2HTTPResponse, error) {
				return events.APIGatewayV2HTTPResponse{}, nil
			}, auth.RequireCaller("123456789012"))
		}, "auth.IAMLambda: unsupported event/response pair"},
		{"nil handler names IAMLambda", func() {
			auth.IAMLambda[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse](nil, auth.RequireCaller("123456789012"))
		}, "auth.IAMLambda: nil handler"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if msg, _ := recover().(string); !strings.Contains(msg, tt.want) {
					t.Errorf("panic %q, want one naming %q", msg, tt.want)
				}
			}()
			tt.wrap()
		})
	}
}

// FuzzCallerRules checks that no caller ARN or rule, however malformed,
// panics the matcher, and that a rule naming an exact role admits its own
// sessions only.
func FuzzCallerRules(f *testing.F) {
	f.Add("123456789012", "arn:aws:sts::123456789012:assumed-role/billing/s", "arn:aws:iam::123456789012:role/billing")
	f.Add("123456789012", "arn:aws:iam::123456789012:user/a/b", "arn:aws:iam::123456789012:user/*")
	f.Add("1", "arn:::::", "123456789012")
	f.Add("123456789012", "arn:aws:sts::123456789012:assumed-role//", "arn:aws:iam::123456789012:role/[")
	f.Fuzz(func(t *testing.T, account, arn, rule string) {
		var opt auth.IAMOption
		func() {
			defer func() { _ = recover() }() // malformed rules panic at wrap time, by design
			opt = auth.RequireCaller(rule)
		}()
		if opt == nil {
			return
		}
		var got *auth.Caller
		h := auth.IAMLambda(func(ctx context.Context, _ events.LambdaFunctionURLRequest) (events.LambdaFunctionURLResponse, error) {
			got, _ = auth.CallerFromContext(ctx)
			return events.LambdaFunctionURLResponse{StatusCode: 200}, nil
		}, opt)
		e := events.LambdaFunctionURLRequest{}
		e.RequestContext.Authorizer = &events.LambdaFunctionURLRequestContextAuthorizerDescription{
			IAM: &events.LambdaFunctionURLRequestContextAuthorizerIAMDescription{AccountID: account, UserARN: arn}}
		resp, err := h(context.Background(), e)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode == 200 && (got == nil || got.AccountID != account) {
			t.Fatalf("admitted caller %+v for account %q", got, account)
		}
		if resp.StatusCode == 200 && rule != account && !strings.Contains(rule, ":"+account+":") {
			t.Fatalf("rule %q admitted account %q", rule, account)
		}
	})
}
