package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path"
	"reflect"
	"strings"

	"github.com/fnshield/fnshield/internal/guard"
	"github.com/fnshield/fnshield/internal/httpevent"
	"github.com/fnshield/fnshield/internal/problem"
)

// Caller is the AWS principal that invoked the function through an
// endpoint with IAM (SigV4) authorization, as API Gateway or the Function
// URL verified and recorded it. [IAMLambda] puts it in the handler's
// context; read it with [CallerFromContext].
type Caller struct {
	AccountID   string // the caller's AWS account ID
	ARN         string // the user, role or assumed-role session ARN
	Role        string // the role name, for a role or assumed-role ARN
	Session     string // the session name, for an assumed-role ARN
	PrincipalID string // "AROA…:session" for an assumed role, the user ID for a user
	AccessKeyID string // the access key ID that signed the request
	OrgID       string // the AWS Organizations ID, when the event carries it
}

type callerKey struct{}

// CallerFromContext returns the IAM caller [IAMLambda] verified, if any.
func CallerFromContext(ctx context.Context) (*Caller, bool) {
	c, ok := ctx.Value(callerKey{}).(*Caller)
	return c, ok
}

// Errors of [IAMLambda]. Both are [*Error] reasons.
var (
	// ErrNoCaller: the event records no IAM caller. The endpoint was
	// deployed without IAM authorization (or the function was invoked
	// directly), so nothing vouches for the caller.
	ErrNoCaller = errors.New("auth: the event carries no IAM caller: deploy the endpoint with AWS_IAM authorization")
	// ErrCallerDenied: the IAM caller is none of those RequireCaller names.
	ErrCallerDenied = errors.New("auth: the IAM caller is not allowed")
)

// IAMOption configures [IAMLambda].
type IAMOption interface {
	applyIAM(*iamConfig)
}

type iamOption func(*iamConfig)

func (o iamOption) applyIAM(c *iamConfig) { o(c) }

type iamConfig struct {
	rules   []callerRule
	onError func(http.ResponseWriter, *http.Request, error)
	logger  *slog.Logger
}

// RequireCaller names the callers [IAMLambda] admits; a caller that
// matches any one of them is admitted, and at least one RequireCaller is
// required. Each entry is one of:
//
//   - a 12-digit account ID: any principal of that account;
//   - an IAM role ARN, arn:aws:iam::<account>:role/<path/>name: that role,
//     including every session that assumed it
//     (arn:aws:sts::<account>:assumed-role/name/<session>);
//   - an IAM user ARN, arn:aws:iam::<account>:user/<path/>name.
//
// The name in a role or user ARN may be a pattern with the wildcards of
// path.Match ("billing-*"); the partition and account may not. An entry of
// another form panics when the handler is wrapped.
func RequireCaller(callers ...string) IAMOption {
	rules := make([]callerRule, 0, len(callers))
	for _, s := range callers {
		r, err := parseCallerRule(s)
		if err != nil {
			panic("auth: RequireCaller: " + err.Error())
		}
		rules = append(rules, r)
	}
	return iamOption(func(c *iamConfig) { c.rules = append(c.rules, rules...) })
}

// WithCallerErrorHandler replaces the rejection handler of [IAMLambda].
// err is an [*Error] with reason [ErrNoCaller] or [ErrCallerDenied]. The
// default writes an RFC 9457 problem: 401 with "WWW-Authenticate:
// AWS4-HMAC-SHA256" when there is no IAM caller, 403 for a caller that is
// not allowed.
func WithCallerErrorHandler(h func(w http.ResponseWriter, r *http.Request, err error)) IAMOption {
	return iamOption(func(c *iamConfig) { c.onError = h })
}

// WithCallerLogger logs each rejection of [IAMLambda] (package, reason,
// status, method, path, source IP, Lambda request ID; never the caller's
// access key). By default nothing is logged.
func WithCallerLogger(logger *slog.Logger) IAMOption {
	return iamOption(func(c *iamConfig) { c.logger = logger })
}

// IAMLambda wraps a Lambda handler for an endpoint with IAM authorization
// (API Gateway REST or HTTP API routes with AWS_IAM, or a Function URL with
// AuthType AWS_IAM): it admits an invocation only when the event records
// an IAM caller that [RequireCaller] allows, and passes the [Caller] in
// next's context. AWS has already verified the SigV4 signature; IAMLambda
// decides who, among the principals the resource policy lets through, may
// use the function.
//
// It accepts events.APIGatewayProxyRequest, events.APIGatewayV2HTTPRequest
// and events.LambdaFunctionURLRequest with their response types. ALB
// events carry no IAM caller, and there is no net/http middleware, for the
// same reason. Another pair, a nil next, or no RequireCaller panics when
// the handler is wrapped.
func IAMLambda[E, R any](next func(context.Context, E) (R, error), opts ...IAMOption) func(context.Context, E) (R, error) {
	cfg := &iamConfig{onError: writeCallerError}
	for _, o := range opts {
		if o != nil {
			o.applyIAM(cfg)
		}
	}
	if len(cfg.rules) == 0 {
		panic("auth: IAMLambda needs RequireCaller: say which IAM callers may invoke the function")
	}
	if !httpevent.IAMCallerSupported[E]() {
		panic(fmt.Sprintf("auth.IAMLambda: events of type %v carry no IAM caller (REST API, HTTP API and Function URL events do)", reflect.TypeFor[E]()))
	}
	g := &guard.Guard{
		Package:    "auth",
		LambdaName: "IAMLambda",
		Check: func(r *guard.Request) (guard.Verdict, error) {
			c, err := cfg.admit(r)
			if err != nil {
				return guard.Verdict{}, err
			}
			return guard.Verdict{Context: context.WithValue(r.Context(), callerKey{}, c)}, nil
		},
		OnError: cfg.onError,
		Logger:  cfg.logger,
		Reason: func(err error) string {
			if errors.Is(err, ErrNoCaller) {
				return "no_iam_caller"
			}
			return "caller_not_allowed"
		},
	}
	return guard.Lambda(g, next)
}

// admit reads the IAM caller of the event and matches it against the rules.
func (cfg *iamConfig) admit(r *guard.Request) (*Caller, error) {
	id, ok := httpevent.IAMCallerOf(r.Event())
	if !ok {
		return nil, &Error{Reason: ErrNoCaller, Status: http.StatusUnauthorized, Description: "IAM authentication is required"}
	}
	c := newCaller(id)
	for _, rule := range cfg.rules {
		if rule.matches(c) {
			return c, nil
		}
	}
	return nil, &Error{Reason: ErrCallerDenied, Status: http.StatusForbidden, Description: "the caller may not invoke this function"}
}

// writeCallerError is IAMLambda's default error handler.
func writeCallerError(w http.ResponseWriter, _ *http.Request, err error) {
	status, detail := http.StatusForbidden, "the caller may not invoke this function"
	if errors.Is(err, ErrNoCaller) {
		status, detail = http.StatusUnauthorized, "IAM authentication is required"
		w.Header().Set("WWW-Authenticate", "AWS4-HMAC-SHA256")
	}
	problem.Write(w, problem.Details{Status: status, Detail: detail})
}

// newCaller splits the caller's ARN into role and session names.
func newCaller(id httpevent.IAMCaller) *Caller {
	c := &Caller{AccountID: id.AccountID, ARN: id.ARN, PrincipalID: id.CallerID, AccessKeyID: id.AccessKey, OrgID: id.OrgID}
	if a, ok := parseARN(id.ARN); ok {
		switch {
		case a.service == "sts" && strings.HasPrefix(a.resource, "assumed-role/"):
			role, session, _ := strings.Cut(strings.TrimPrefix(a.resource, "assumed-role/"), "/")
			c.Role, c.Session = role, session
		case a.service == "iam" && strings.HasPrefix(a.resource, "role/"):
			c.Role = a.resource[strings.LastIndexByte(a.resource, '/')+1:]
		}
	}
	return c
}

// arn is a parsed ARN: arn:partition:service:region:account:resource.
type arn struct {
	partition, service, region, account, resource string
}

func parseARN(s string) (arn, bool) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] == "" || parts[5] == "" {
		return arn{}, false
	}
	return arn{partition: parts[1], service: parts[2], region: parts[3], account: parts[4], resource: parts[5]}, true
}

// callerRule is one RequireCaller entry.
type callerRule struct {
	account   string
	partition string // "" for an account rule
	kind      string // "role" or "user"
	name      string // a path.Match pattern
}

func parseCallerRule(s string) (callerRule, error) {
	if isAccountID(s) {
		return callerRule{account: s}, nil
	}
	a, ok := parseARN(s)
	if !ok || a.service != "iam" || a.region != "" || !isAccountID(a.account) {
		return callerRule{}, fmt.Errorf("%q is neither a 12-digit account ID nor an IAM role or user ARN", s)
	}
	kind, rest, _ := strings.Cut(a.resource, "/")
	name := rest[strings.LastIndexByte(rest, '/')+1:]
	if kind != "role" && kind != "user" || name == "" || strings.ContainsAny(a.partition, "*?[") {
		return callerRule{}, fmt.Errorf("%q is neither a 12-digit account ID nor an IAM role or user ARN", s)
	}
	if _, err := path.Match(name, ""); err != nil {
		return callerRule{}, fmt.Errorf("%q has a malformed name pattern", s)
	}
	return callerRule{account: a.account, partition: a.partition, kind: kind, name: name}, nil
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// matches reports whether the rule admits c. Role and user names are
// unique within an account whatever their path, and an assumed-role
// session ARN drops the path, so names are compared without it.
func (r callerRule) matches(c *Caller) bool {
	if c.AccountID != r.account {
		return false
	}
	if r.kind == "" {
		return true
	}
	a, ok := parseARN(c.ARN)
	if !ok || a.partition != r.partition || a.account != r.account {
		return false
	}
	var name string
	switch {
	case r.kind == "role" && c.Role != "":
		name = c.Role
	case r.kind == "user" && a.service == "iam" && strings.HasPrefix(a.resource, "user/"):
		name = a.resource[strings.LastIndexByte(a.resource, '/')+1:]
	default:
		return false
	}
	ok, _ = path.Match(r.name, name)
	return ok
}
