// Package awsiam signs outgoing HTTP requests with AWS Signature Version 4,
// so that one function can call another's Function URL, or an API Gateway
// route, protected by IAM authorization, with the short-lived credentials
// of its own execution role: no shared key to store, rotate or leak.
//
//	cfg, err := config.LoadDefaultConfig(ctx)
//	if err != nil { … }
//	t, err := awsiam.NewFromConfig(cfg)
//	if err != nil { … }
//	client := &http.Client{Transport: t, Timeout: 10 * time.Second}
//	resp, err := client.Post("https://abc123.lambda-url.eu-west-1.on.aws/charge", "application/json", body)
//
// The service and region are read from the host of each request
// (<id>.lambda-url.<region>.on.aws → lambda, <id>.execute-api.<region>.amazonaws.com
// → execute-api) unless WithService and WithRegion fix them (custom
// domains need both). The signing uses the SDK's v4 signer.
//
// On the receiving side, auth.IAMLambda checks which IAM caller it is.
package awsiam

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// DefaultMaxBodyBytes is the largest request body a Transport signs by
// default: 6 MiB, the payload limit of a synchronous Lambda invocation.
const DefaultMaxBodyBytes = 6 << 20

// Errors of RoundTrip. Their text never contains a credential or a
// signature.
var (
	// ErrBodyTooLarge: the body is longer than the Transport's limit (see
	// WithMaxBodyBytes). SigV4 signs a hash of the body, so the Transport
	// reads the whole body into memory before sending it.
	ErrBodyTooLarge = errors.New("awsiam: request body too large to sign")
	// ErrUnknownService: the host is neither a Function URL nor an API
	// Gateway endpoint, and WithService and WithRegion were not given.
	ErrUnknownService = errors.New("awsiam: cannot tell the AWS service and region of the host")
	// ErrCredentials: the credentials provider failed.
	ErrCredentials = errors.New("awsiam: cannot retrieve AWS credentials")
)

// Transport is an http.RoundTripper that signs each request with SigV4
// and sends it with its base transport. Each attempt is signed afresh, so
// a retried request carries a new date and signature. The caller's request
// is never modified.
//
// A Transport is safe for concurrent use. Build one with New or
// NewFromConfig.
type Transport struct {
	creds   aws.CredentialsProvider
	base    http.RoundTripper
	service string
	region  string // WithRegion: wins over the host's
	dflt    string // NewFromConfig's region: used when the host names none
	maxBody int64
	signer  *v4.Signer
	now     func() time.Time
}

// Option configures New.
type Option interface{ apply(*Transport) }

type optionFunc func(*Transport)

func (f optionFunc) apply(t *Transport) { f(t) }

// WithService fixes the signing service name, "lambda" for Function URLs
// or "execute-api" for API Gateway, instead of reading it from the host.
func WithService(service string) Option {
	return optionFunc(func(t *Transport) { t.service = service })
}

// WithRegion fixes the signing region instead of reading it from the host.
func WithRegion(region string) Option {
	return optionFunc(func(t *Transport) { t.region = region })
}

// WithBase sets the transport that sends the signed requests. The default
// is http.DefaultTransport.
func WithBase(base http.RoundTripper) Option {
	return optionFunc(func(t *Transport) { t.base = base })
}

// WithMaxBodyBytes sets the largest body the Transport reads into memory
// to sign; a longer one fails with ErrBodyTooLarge before anything is
// sent. The default is DefaultMaxBodyBytes. It must be positive.
func WithMaxBodyBytes(n int64) Option {
	return optionFunc(func(t *Transport) { t.maxBody = n })
}

// withClock sets the signing clock, for tests.
func withClock(now func() time.Time) Option {
	return optionFunc(func(t *Transport) { t.now = now })
}

// New returns a Transport that signs with credentials from creds. Give it
// a caching provider, such as aws.Config's Credentials, which refreshes
// the role's short-lived credentials before they expire; New wraps a
// provider that is not an *aws.CredentialsCache in one.
func New(creds aws.CredentialsProvider, opts ...Option) (*Transport, error) {
	if creds == nil {
		return nil, errors.New("awsiam: nil credentials provider")
	}
	if _, ok := creds.(*aws.CredentialsCache); !ok {
		creds = aws.NewCredentialsCache(creds)
	}
	t := &Transport{creds: creds, base: http.DefaultTransport, maxBody: DefaultMaxBodyBytes, signer: v4.NewSigner(), now: time.Now}
	for _, o := range opts {
		if o != nil {
			o.apply(t)
		}
	}
	switch {
	case t.maxBody <= 0:
		return nil, fmt.Errorf("awsiam: WithMaxBodyBytes(%d): the limit must be positive", t.maxBody)
	case t.base == nil:
		return nil, errors.New("awsiam: WithBase(nil)")
	case t.service != "" && t.service != "lambda" && t.service != "execute-api":
		return nil, fmt.Errorf("awsiam: WithService(%q): want \"lambda\" or \"execute-api\"", t.service)
	}
	return t, nil
}

// NewFromConfig returns a Transport that signs with cfg's credentials and,
// when the host does not name one, cfg's region.
func NewFromConfig(cfg aws.Config, opts ...Option) (*Transport, error) {
	if cfg.Credentials == nil {
		return nil, errors.New("awsiam: the aws.Config has no credentials")
	}
	return New(cfg.Credentials, append([]Option{withDefaultRegion(cfg.Region)}, opts...)...)
}

// withDefaultRegion sets the region used when neither the host nor
// WithRegion gives one.
func withDefaultRegion(region string) Option {
	return optionFunc(func(t *Transport) { t.dflt = region })
}

// RoundTrip signs a copy of r and sends it.
func (t *Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	body, err := t.readBody(r)
	if err != nil {
		return nil, err
	}
	service, region, err := t.scope(r.URL.Hostname())
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	creds, err := t.creds.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCredentials, err)
	}
	out := r.Clone(ctx)
	out.Header.Del("Authorization")
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	out.Header.Set("X-Amz-Content-Sha256", hash)
	if len(body) > 0 {
		out.Body = io.NopCloser(bytes.NewReader(body))
		out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		out.ContentLength = int64(len(body))
	} else if r.Body != nil {
		out.Body, out.GetBody, out.ContentLength = http.NoBody, nil, 0
	}
	if err := t.signer.SignHTTP(ctx, creds, out, hash, service, region, t.now().UTC()); err != nil {
		return nil, errors.New("awsiam: cannot sign the request")
	}
	return t.base.RoundTrip(out)
}

// readBody reads and closes r's body, up to the limit.
func (t *Transport) readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	defer r.Body.Close()
	if r.ContentLength > t.maxBody {
		return nil, fmt.Errorf("%w: %d bytes, the limit is %d", ErrBodyTooLarge, r.ContentLength, t.maxBody)
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, t.maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("awsiam: reading the request body: %w", err)
	}
	if int64(len(b)) > t.maxBody {
		return nil, fmt.Errorf("%w: the limit is %d bytes", ErrBodyTooLarge, t.maxBody)
	}
	return b, nil
}

// scope returns the signing service and region for host.
func (t *Transport) scope(host string) (service, region string, err error) {
	service, region = serviceOf(host)
	if t.service != "" {
		service = t.service
	}
	switch {
	case t.region != "":
		region = t.region
	case region == "":
		region = t.dflt
	}
	if service == "" || region == "" {
		return "", "", fmt.Errorf("%w %q: use WithService and WithRegion", ErrUnknownService, host)
	}
	return service, region, nil
}

// serviceOf infers the service and region from an AWS endpoint host:
// exactly <id>.lambda-url.<region>.<tail> or <id>.execute-api.<region>.<tail>
// with one of AWS's own tails below. Any other host, such as one that only
// contains an AWS name (…amazonaws.com.evil.example), infers nothing, so
// credentials are never sent to it without an explicit WithService.
func serviceOf(host string) (service, region string) {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	labels := strings.SplitN(host, ".", 4)
	if len(labels) != 4 || labels[0] == "" || !isRegion(labels[2]) {
		return "", ""
	}
	tails := serviceTails[labels[1]]
	if tails == nil || !slices.Contains(tails, labels[3]) {
		return "", ""
	}
	return signingName[labels[1]], labels[2]
}

// serviceTails lists, per service label, the domains AWS serves it under:
// Function URLs in the commercial and China partitions; API Gateway's
// public, China and private (VPC endpoint) API hosts.
var serviceTails = map[string][]string{
	"lambda-url":  {"on.aws", "on.amazonwebservices.com.cn"},
	"execute-api": {"amazonaws.com", "amazonaws.com.cn", "vpce.amazonaws.com", "vpce.amazonaws.com.cn"},
}

// signingName maps a service label to its SigV4 service name.
var signingName = map[string]string{"lambda-url": "lambda", "execute-api": "execute-api"}

// isRegion reports whether s looks like a region name (us-east-1).
func isRegion(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return strings.Contains(s, "-")
}
