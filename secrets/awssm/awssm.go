package awssm

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go"

	"github.com/fnshield/fnshield/secrets"
)

// GetSecretValueAPIClient is the one Secrets Manager operation the provider
// uses. *secretsmanager.Client satisfies it.
type GetSecretValueAPIClient interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, optFns ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

// Limits that Secrets Manager documents; longer input is refused before any
// request is made.
const (
	maxNameLen    = 2048 // SecretId: a name or full ARN
	maxVersionLen = 256  // a staging label (1-256) or version ID (32-64)
)

// ErrInvalidName reports a name that cannot be sent to Secrets Manager: empty,
// too long, with an empty version suffix ("prod/db#") or with more than one
// '#'.
var ErrInvalidName = errors.New("awssm: invalid secret name")

// Provider fetches secrets from AWS Secrets Manager with GetSecretValue. It
// implements [secrets.Provider] and is safe for concurrent use when its
// client is (*secretsmanager.Client is). Create it with [New]; the zero
// value has no client and is not usable.
type Provider struct {
	client GetSecretValueAPIClient
	stage  string              // default VersionStage, "" for the service default
	labels map[string]struct{} // extra labels recognised after '#'
}

var _ secrets.Provider = (*Provider)(nil)

// New returns a Provider that reads secrets through client, which is
// typically secretsmanager.NewFromConfig(cfg). New panics if client is nil,
// a programming error caught at construction rather than at request time.
func New(client GetSecretValueAPIClient, opts ...Option) *Provider {
	if client == nil {
		panic("awssm: New called with a nil client")
	}
	c := newConfig(opts)
	p := &Provider{client: client, stage: c.stage}
	if len(c.labels) > 0 {
		p.labels = make(map[string]struct{}, len(c.labels))
		for _, l := range c.labels {
			p.labels[l] = struct{}{}
		}
	}
	return p
}

// Fetch returns the value of the secret name (a name or ARN, optionally with
// a '#' version suffix; see the package documentation). SecretString values
// are returned as bytes, SecretBinary values as they are. Fetch makes one
// GetSecretValue call (plus the client's own retries) and honours ctx.
func (p *Provider) Fetch(ctx context.Context, name string) ([]byte, error) {
	in, err := p.input(name)
	if err != nil {
		return nil, err
	}
	out, err := p.client.GetSecretValue(ctx, in)
	if err != nil {
		return nil, newError(ctx, name, err)
	}
	switch {
	case out == nil:
		return nil, &Error{Name: name, Err: errNoValue}
	case out.SecretString != nil:
		return []byte(*out.SecretString), nil
	case out.SecretBinary != nil:
		return out.SecretBinary, nil
	default:
		return nil, &Error{Name: name, Err: errNoValue}
	}
}

// input builds the GetSecretValue input for name.
func (p *Provider) input(name string) (*secretsmanager.GetSecretValueInput, error) {
	id, version, hasVersion := strings.Cut(name, "#")
	if id == "" || len(id) > maxNameLen ||
		(hasVersion && (version == "" || len(version) > maxVersionLen || strings.Contains(version, "#"))) {
		return nil, ErrInvalidName
	}
	in := &secretsmanager.GetSecretValueInput{SecretId: &id}
	switch {
	case hasVersion && p.isStage(version):
		in.VersionStage = &version
	case hasVersion:
		in.VersionId = &version
	case p.stage != "":
		in.VersionStage = &p.stage
	}
	return in, nil
}

// isStage reports whether the version suffix s names a staging label.
func (p *Provider) isStage(s string) bool {
	if strings.HasPrefix(s, "AWS") {
		return true
	}
	_, ok := p.labels[s]
	return ok
}

// errNoValue reports an output with neither SecretString nor SecretBinary.
var errNoValue = errors.New("response has no secret value")

// Error reports a failed Fetch. Its text names the secret and, for AWS
// errors, the AWS error code; it never includes a secret value or the AWS
// error message (which can name accounts and roles). Use errors.Is with
// [secrets.ErrNotFound] to branch on a missing secret, and errors.As to reach
// the SDK's error (for example *types.ResourceNotFoundException or
// smithy.APIError).
type Error struct {
	Name string // the name passed to Fetch
	Code string // the AWS error code, such as "AccessDeniedException"; "" if AWS did not answer
	Err  error  // the underlying error
}

// Error returns "awssm: get secret <name>: <reason>".
func (e *Error) Error() string {
	reason := "request failed"
	switch {
	case e.Code == "ResourceNotFoundException":
		reason = "not found (ResourceNotFoundException)"
	case e.Code != "":
		reason = "AWS error " + e.Code
	case errors.Is(e.Err, context.Canceled):
		reason = context.Canceled.Error()
	case errors.Is(e.Err, context.DeadlineExceeded):
		reason = context.DeadlineExceeded.Error()
	case errors.Is(e.Err, errNoValue):
		reason = errNoValue.Error()
	}
	return "awssm: get secret " + strconv.Quote(e.Name) + ": " + reason
}

// Unwrap returns the underlying error, and [secrets.ErrNotFound] when the
// secret does not exist.
func (e *Error) Unwrap() []error {
	if e.Code == "ResourceNotFoundException" {
		return []error{secrets.ErrNotFound, e.Err}
	}
	return []error{e.Err}
}

// newError classifies err from GetSecretValue on name.
func newError(ctx context.Context, name string, err error) *Error {
	e := &Error{Name: name, Err: err}
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		e.Err = errors.Join(cerr, err)
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		e.Code = api.ErrorCode()
	}
	return e
}
