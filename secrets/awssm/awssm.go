package awssm

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go"

	"github.com/fnshield/fnshield/secrets"
	"github.com/fnshield/fnshield/secrets/internal/awserr"
	"github.com/fnshield/fnshield/secrets/internal/quote"
	"github.com/fnshield/fnshield/secrets/internal/smname"
)

// GetSecretValueAPIClient is the one Secrets Manager operation the provider
// uses. *secretsmanager.Client satisfies it.
type GetSecretValueAPIClient interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, optFns ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

var (
	// ErrInvalidName is [secrets.ErrInvalidName], as os.ErrNotExist is
	// fs.ErrNotExist: Fetch refuses a name that cannot be sent to Secrets
	// Manager (empty, a secret ID over 2048 bytes, an empty or over-long
	// version suffix as in "prod/db#", or more than one '#') with an
	// [*Error] wrapping it, before any request is made. A
	// ValidationException or InvalidParameterException from Secrets
	// Manager, which refuses names for reasons not checked locally (such as
	// a character outside "-/_+=.@!"), also matches it.
	ErrInvalidName = secrets.ErrInvalidName

	// ErrScheduledForDeletion reports a secret that an operator has
	// scheduled for deletion (DeleteSecret with a recovery window).
	// Secrets Manager refuses to read it with an InvalidRequestException
	// whose message says the secret is marked for deletion (AWS) or marked
	// deleted (moto, and so LocalStack); the [*Error] wraps this and [secrets.ErrNotFound], so a [secrets.Cache]
	// stops serving the value at its next fetch instead of serving it stale.
	ErrScheduledForDeletion = errors.New("awssm: secret scheduled for deletion")
)

// Provider fetches secrets from AWS Secrets Manager with GetSecretValue. It
// implements [secrets.Provider] and is safe for concurrent use when its
// client is (*secretsmanager.Client is). Create it with [New] or
// [NewFromConfig]; the zero value has no client and is not usable.
type Provider struct {
	client GetSecretValueAPIClient
	stage  string // default VersionStage, "" for the service default
	stages smname.Stages
}

var _ secrets.Provider = (*Provider)(nil)

// New returns a Provider that reads secrets through client, which is
// typically secretsmanager.NewFromConfig(cfg). New panics if client is nil
// or an option is invalid (a staging label that is empty, longer than 256
// bytes or holds '#'): programming errors caught at construction rather
// than at request time.
func New(client GetSecretValueAPIClient, opts ...Option) *Provider {
	if client == nil {
		panic("awssm: New called with a nil client")
	}
	c := newConfig(opts)
	stages, err := smname.NewStages(c.labels)
	if err == nil && c.stage != "" && (len(c.stage) > smname.MaxVersionLen || strings.Contains(c.stage, "#")) {
		err = smname.ErrInvalidLabels
	}
	if err != nil {
		panic("awssm: " + err.Error())
	}
	return &Provider{client: client, stage: c.stage, stages: stages}
}

// NewFromConfig returns a Provider with a Secrets Manager client made from
// cfg, typically the result of config.LoadDefaultConfig:
//
//	cfg, err := config.LoadDefaultConfig(ctx)
//	if err != nil {
//		return err
//	}
//	cache := secrets.New(awssm.NewFromConfig(cfg))
//
// Use [New] to pass client options. It panics as New does.
func NewFromConfig(cfg aws.Config, opts ...Option) *Provider {
	return New(secretsmanager.NewFromConfig(cfg), opts...)
}

// Fetch returns the value of the secret name (a name or ARN, optionally with
// a '#' version suffix; see the package documentation). SecretString values
// are returned as bytes, SecretBinary values as they are. Fetch makes one
// GetSecretValue call (plus the client's own retries) and honours ctx.
func (p *Provider) Fetch(ctx context.Context, name string) ([]byte, error) {
	ref, err := smname.Parse(name, p.stages, p.stage)
	if err != nil {
		return nil, &Error{Name: name, Err: err}
	}
	in := &secretsmanager.GetSecretValueInput{SecretId: &ref.ID}
	if ref.Stage != "" {
		in.VersionStage = &ref.Stage
	}
	if ref.VersionID != "" {
		in.VersionId = &ref.VersionID
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

// errNoValue reports an output with neither SecretString nor SecretBinary.
var errNoValue = errors.New("response has no secret value")

// Error reports a failed Fetch. Its text names the secret and, for AWS
// errors, the AWS error code; it never includes a secret value or the AWS
// error message (which can name accounts and roles). Use errors.Is with
// [secrets.ErrNotFound], [secrets.ErrAccessDenied],
// [secrets.ErrInvalidName] (for a name refused locally, or by Secrets
// Manager with ValidationException or InvalidParameterException) or
// [ErrScheduledForDeletion] to branch, and
// errors.As to reach the SDK's error (for example
// *types.ResourceNotFoundException or smithy.APIError).
type Error struct {
	Name string // the name passed to Fetch
	Code string // the AWS error code, such as "AccessDeniedException"; "" if AWS did not answer
	Err  error  // the underlying error

	deleted bool // InvalidRequestException for a secret marked for deletion
}

// Error returns "awssm: get secret <name>: <reason>".
func (e *Error) Error() string {
	reason := "request failed"
	switch {
	case e.Code == "ResourceNotFoundException":
		reason = "not found (ResourceNotFoundException)"
	case e.deleted:
		reason = "scheduled for deletion (" + e.Code + ")"
	case awserr.RefusesName(e.Code):
		reason = "invalid secret name (" + e.Code + ")"
	case e.Code != "":
		reason = "AWS error " + e.Code
	case errors.Is(e.Err, secrets.ErrInvalidName):
		reason = strings.TrimPrefix(e.Err.Error(), "secrets: ")
	case errors.Is(e.Err, context.Canceled):
		reason = context.Canceled.Error()
	case errors.Is(e.Err, context.DeadlineExceeded):
		reason = context.DeadlineExceeded.Error()
	case errors.Is(e.Err, errNoValue):
		reason = errNoValue.Error()
	}
	return "awssm: get secret " + quote.Name(e.Name) + ": " + reason
}

// Unwrap returns the underlying error and the shared reason, if any:
// [secrets.ErrNotFound] when the secret or version does not exist or the
// secret is scheduled for deletion (with [ErrScheduledForDeletion]),
// [secrets.ErrInvalidName] for ValidationException and
// InvalidParameterException (GetSecretValue's only inputs come from the
// name, so the service refused the name), and [secrets.ErrAccessDenied]
// for AccessDeniedException.
func (e *Error) Unwrap() []error {
	switch {
	case e.Code == "ResourceNotFoundException":
		return []error{secrets.ErrNotFound, e.Err}
	case e.deleted:
		return []error{secrets.ErrNotFound, ErrScheduledForDeletion, e.Err}
	case awserr.RefusesName(e.Code):
		return []error{secrets.ErrInvalidName, e.Err}
	case e.Code == "AccessDeniedException":
		return []error{secrets.ErrAccessDenied, e.Err}
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
		// A secret scheduled for deletion is told apart from other
		// InvalidRequestExceptions only by the message, which differs
		// between AWS and other implementations of the API.
		e.deleted = e.Code == "InvalidRequestException" && awserr.MarkedForDeletion(api.ErrorMessage())
	}
	return e
}
