package ssm

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/smithy-go"

	"github.com/fnshield/fnshield/secrets"
	"github.com/fnshield/fnshield/secrets/internal/awserr"
	"github.com/fnshield/fnshield/secrets/internal/quote"
	"github.com/fnshield/fnshield/secrets/internal/ssmname"
)

// APIClient is the pair of Parameter Store operations the provider uses.
// *ssm.Client satisfies it.
type APIClient interface {
	GetParameter(ctx context.Context, in *ssm.GetParameterInput, optFns ...func(*ssm.Options)) (*ssm.GetParameterOutput, error)
	ssm.GetParametersByPathAPIClient
}

// maxNameLen bounds a name or ARN sent to GetParameter; Parameter Store's
// own limit is 2048 characters.
const maxNameLen = 2048

// pageSize is the most parameters GetParametersByPath returns per page.
const pageSize = 10

var (
	// ErrInvalidName is [secrets.ErrInvalidName], as os.ErrNotExist is
	// fs.ErrNotExist: Fetch and LoadPath refuse a name or path that cannot
	// be sent to Parameter Store (empty, longer than 2048 bytes with the
	// prefix, holding a character other than letters, digits and "_.-/"
	// outside a ":version" or ":label" selector or an ARN's fields, or for
	// LoadPath not starting with '/') with an [*Error] wrapping it, before
	// any request is made. A ValidationException from Parameter Store,
	// which refuses a name for reasons not checked locally (such as a
	// reserved prefix), also matches it.
	ErrInvalidName = secrets.ErrInvalidName

	// ErrTooManyParameters reports a LoadPath whose path holds more
	// parameters than the configured bound ([WithMaxParameters]), or whose
	// answer takes more pages than that bound.
	ErrTooManyParameters = errors.New("ssm: too many parameters under path")

	errNoValue     = errors.New("response has no parameter value")
	errOutsidePath = errors.New("response names a parameter outside the path")

	errEmptyName    = fmt.Errorf("%w: empty parameter name", secrets.ErrInvalidName)
	errLongName     = fmt.Errorf("%w: parameter name longer than 2048 bytes", secrets.ErrInvalidName)
	errRelativePath = fmt.Errorf("%w: path does not start with '/'", secrets.ErrInvalidName)
	errPathSelector = fmt.Errorf("%w: path holds ':'", secrets.ErrInvalidName)
)

// Provider reads parameters from AWS Systems Manager Parameter Store, always
// with decryption on. It implements [secrets.Provider] and is safe for
// concurrent use when its client is (*ssm.Client is). Create it with [New]
// or [NewFromConfig]; the zero value has no client and is not usable.
type Provider struct {
	client        APIClient
	prefix        string
	maxParameters int
}

var _ secrets.Provider = (*Provider)(nil)

// New returns a Provider that reads parameters through client, which is
// typically ssm.NewFromConfig(cfg). New panics if client is nil, a
// programming error caught at construction rather than at request time.
func New(client APIClient, opts ...Option) *Provider {
	if client == nil {
		panic("ssm: New called with a nil client")
	}
	c := newConfig(opts)
	return &Provider{client: client, prefix: c.prefix, maxParameters: c.maxParameters}
}

// NewFromConfig returns a Provider with a Parameter Store client made from
// cfg, typically the result of config.LoadDefaultConfig:
//
//	cfg, err := config.LoadDefaultConfig(ctx)
//	if err != nil {
//		return err
//	}
//	cache := secrets.New(ssm.NewFromConfig(cfg, ssm.WithPrefix("/prod/app/")))
//
// Use [New] to pass client options.
func NewFromConfig(cfg aws.Config, opts ...Option) *Provider {
	return New(ssm.NewFromConfig(cfg), opts...)
}

// Fetch returns the value of the parameter prefix+name with one GetParameter
// call (WithDecryption set, plus the client's own retries). It honours ctx.
func (p *Provider) Fetch(ctx context.Context, name string) ([]byte, error) {
	full := p.prefix + name
	switch {
	case name == "":
		return nil, &Error{Op: opGet, Name: full, Err: errEmptyName}
	case len(full) > maxNameLen:
		return nil, &Error{Op: opGet, Name: full, Err: errLongName}
	}
	if err := ssmname.Check(full); err != nil {
		return nil, &Error{Op: opGet, Name: full, Err: err}
	}
	withDecryption := true
	out, err := p.client.GetParameter(ctx, &ssm.GetParameterInput{Name: &full, WithDecryption: &withDecryption})
	if err != nil {
		return nil, newError(ctx, opGet, full, err)
	}
	if out == nil || out.Parameter == nil || out.Parameter.Value == nil {
		return nil, &Error{Op: opGet, Name: full, Err: errNoValue}
	}
	return []byte(*out.Parameter.Value), nil
}

// LoadPath returns every parameter under path (recursively, decrypted),
// keyed by its name relative to path: LoadPath(ctx, "/prod/app") returns
// "/prod/app/db/password" as "db/password". The values are
// [secrets.Value]s, which print as [REDACTED]. path must start with '/'; a
// trailing '/' is ignored. It reads the pages with the SDK's paginator and
// fails with [ErrTooManyParameters], returning nothing, if the path holds
// more than the configured bound. An empty path yields an empty map. The
// prefix set by [WithPrefix] does not apply.
//
// To serve the parameters from a [secrets.Cache] (with its TTL,
// stale-if-error and coalescing), load them at cold start and prime the
// cache of a Provider whose prefix is path + "/", so that the keys are the
// names that Provider fetches them by when they expire:
//
//	p := ssm.NewFromConfig(cfg, ssm.WithPrefix("/prod/app/"))
//	cache := secrets.New(p)
//	all, err := p.LoadPath(ctx, "/prod/app")
//	...
//	for name, v := range all {
//		cache.Prime(name, v) // later fetched as /prod/app/<name>
//	}
func (p *Provider) LoadPath(ctx context.Context, path string) (map[string]secrets.Value, error) {
	switch {
	case path == "":
		return nil, &Error{Op: opGetByPath, Name: path, Err: errEmptyName}
	case !strings.HasPrefix(path, "/"):
		return nil, &Error{Op: opGetByPath, Name: path, Err: errRelativePath}
	case len(path) > maxNameLen:
		return nil, &Error{Op: opGetByPath, Name: path, Err: errLongName}
	case strings.Contains(path, ":"):
		return nil, &Error{Op: opGetByPath, Name: path, Err: errPathSelector}
	}
	if err := ssmname.Check(path); err != nil {
		return nil, &Error{Op: opGetByPath, Name: path, Err: err}
	}
	if path != "/" {
		path = strings.TrimSuffix(path, "/")
	}
	recursive, withDecryption := true, true
	pages := ssm.NewGetParametersByPathPaginator(p.client, &ssm.GetParametersByPathInput{
		Path:           &path,
		Recursive:      &recursive,
		WithDecryption: &withDecryption,
	}, func(o *ssm.GetParametersByPathPaginatorOptions) { o.Limit = pageSize })
	strip := path
	if path != "/" {
		strip += "/"
	}
	values := make(map[string]secrets.Value)
	for n := 0; pages.HasMorePages(); n++ {
		if n > p.maxParameters { // only empty pages would get here
			return nil, ErrTooManyParameters
		}
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, newError(ctx, opGetByPath, path, err)
		}
		for _, prm := range page.Parameters {
			if prm.Name == nil || prm.Value == nil {
				return nil, &Error{Op: opGetByPath, Name: path, Err: errNoValue}
			}
			key, ok := strings.CutPrefix(*prm.Name, strip)
			if !ok || key == "" {
				return nil, &Error{Op: opGetByPath, Name: path, Err: errOutsidePath}
			}
			if _, dup := values[key]; !dup && len(values) == p.maxParameters {
				return nil, ErrTooManyParameters
			}
			b := []byte(*prm.Value)
			values[key] = secrets.NewValue(b)
			clear(b)
		}
	}
	return values, nil
}

// The operations an [Error] names.
const (
	opGet       = "get parameter"
	opGetByPath = "get parameters by path"
)

// Error reports a failed Fetch or LoadPath. Its text names the operation,
// the parameter name or path and, for AWS errors, the AWS error code; it
// never includes a parameter value or the AWS error message. Use errors.Is
// with [secrets.ErrNotFound], [secrets.ErrAccessDenied] or
// [secrets.ErrInvalidName] (for a name refused locally or with a
// ValidationException) to branch, and errors.As to reach the SDK's error
// (for example *types.ParameterNotFound or smithy.APIError).
type Error struct {
	Op   string // "get parameter" or "get parameters by path"
	Name string // the full parameter name, or the path
	Code string // the AWS error code, such as "AccessDeniedException"; "" if AWS did not answer
	Err  error  // the underlying error
}

// Error returns "ssm: <op> <name>: <reason>".
func (e *Error) Error() string {
	reason := "request failed"
	switch {
	case e.notFound():
		reason = "not found (" + e.Code + ")"
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
	case errors.Is(e.Err, errNoValue), errors.Is(e.Err, errOutsidePath):
		reason = e.Err.Error()
	}
	return "ssm: " + e.Op + " " + quote.Name(e.Name) + ": " + reason
}

// Unwrap returns the underlying error and the shared reason, if any:
// [secrets.ErrNotFound] when the parameter or version does not exist,
// [secrets.ErrInvalidName] for ValidationException (the name or path is
// the only input a caller chooses, so Parameter Store refused it), and
// [secrets.ErrAccessDenied] for AccessDeniedException.
func (e *Error) Unwrap() []error {
	switch {
	case e.notFound():
		return []error{secrets.ErrNotFound, e.Err}
	case awserr.RefusesName(e.Code):
		return []error{secrets.ErrInvalidName, e.Err}
	case e.Code == "AccessDeniedException":
		return []error{secrets.ErrAccessDenied, e.Err}
	}
	return []error{e.Err}
}

func (e *Error) notFound() bool {
	return e.Code == "ParameterNotFound" || e.Code == "ParameterVersionNotFound"
}

// newError classifies err from operation op on name.
func newError(ctx context.Context, op, name string, err error) *Error {
	e := &Error{Op: op, Name: name, Err: err}
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		e.Err = errors.Join(cerr, err)
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		e.Code = api.ErrorCode()
	}
	return e
}
