package auth

import (
	"errors"
	"fmt"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
	"log/slog"
	"net/http"
	"slices"
	"time"
)

// Option configures a [Verifier]. Options are applied in order by [New];
// an invalid option makes New return an error.
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// Defaults.
const (
	defaultLeeway    = 30 * time.Second
	defaultCacheSize = 1024
	defaultTimeout   = 5 * time.Second
)

// defaultAlgorithms are the asymmetric algorithms accepted unless
// WithAlgorithms says otherwise. HS256/384/512 are added only when an
// issuer is configured with WithHMAC.
var defaultAlgorithms = []string{
	"RS256", "RS384", "RS512",
	"PS256", "PS384", "PS512",
	"ES256", "ES384", "ES512",
	"EdDSA",
}

var hmacAlgorithms = []string{"HS256", "HS384", "HS512"}

// sourceKind says where an issuer's keys come from.
type sourceKind int

const (
	sourceDiscovery sourceKind = iota // OIDC discovery, then jwks_uri
	sourceJWKSURL                     // a JWKS URL
	sourceStatic                      // a static JWK Set
	sourceHMAC                        // a shared secret
	sourceCognito                     // an Amazon Cognito user pool
)

type issuerConfig struct {
	kind      sourceKind
	issuer    string
	jwksURL   string
	jwks      []byte
	secret    []byte
	region    string
	poolID    string
	clientIDs []string
}

type config struct {
	issuers         []issuerConfig
	audiences       []string
	noAudience      bool
	leeway          time.Duration
	algorithms      []string // nil: defaults
	tokenType       string
	maxAge          time.Duration
	client          *http.Client
	cacheSize       int
	logger          *slog.Logger
	meterProvider   metric.MeterProvider
	tracerProvider  trace.TracerProvider
	now             func() time.Time
	cognitoEndpoint string
	errs            []error
}

func newConfig(opts []Option) *config {
	c := &config{
		leeway:    defaultLeeway,
		cacheSize: defaultCacheSize,
		now:       time.Now,
	}
	for _, o := range opts {
		if o != nil {
			o.apply(c)
		}
	}
	return c
}

func (c *config) errorf(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf("auth: "+format, args...))
}

// WithIssuer trusts issuer, whose keys are found by OpenID Connect
// discovery: New fetches <issuer without trailing slash>/.well-known/openid-configuration,
// requires its "issuer" member to equal issuer exactly, and loads the
// JWK Set at its "jwks_uri". Discovery runs once, in New; the key set is
// then refreshed as described on [Verifier].
//
// issuer must be an https URL; plain http is accepted only for a loopback
// host (127.0.0.0/8, ::1 or "localhost"), for tests. The jwks_uri and any
// redirect must be https too, or plain http to loopback only when the
// issuer itself is on loopback: an https issuer can never send a fetch to
// http://127.0.0.1.
func WithIssuer(issuer string) Option {
	return optionFunc(func(c *config) {
		c.issuers = append(c.issuers, issuerConfig{kind: sourceDiscovery, issuer: issuer})
	})
}

// WithIssuerJWKS trusts issuer with the keys of the JWK Set at jwksURL (no
// discovery). jwksURL follows the https-or-loopback rule of [WithIssuer],
// with jwksURL in the issuer's place: redirects may go to plain http on
// loopback only when jwksURL is on loopback.
func WithIssuerJWKS(issuer, jwksURL string) Option {
	return optionFunc(func(c *config) {
		c.issuers = append(c.issuers, issuerConfig{kind: sourceJWKSURL, issuer: issuer, jwksURL: jwksURL})
	})
}

// WithIssuerKeys trusts issuer with the keys of a static JWK Set document
// (RFC 7517 §5). The set is parsed in New and never refreshed.
func WithIssuerKeys(issuer string, jwks []byte) Option {
	jwks = slices.Clone(jwks)
	return optionFunc(func(c *config) {
		c.issuers = append(c.issuers, issuerConfig{kind: sourceStatic, issuer: issuer, jwks: jwks})
	})
}

// WithHMAC trusts issuer with a shared secret: HS256, HS384 and HS512
// tokens are accepted for that issuer only, and never for any other. The
// secret must be at least 32 bytes; as RFC 7518 §3.2 requires a key at
// least as long as the hash, HS384 tokens need a 48-byte and HS512 tokens a
// 64-byte secret (shorter secrets make them fail with ErrBadAlgorithm). The token's kid, if any, is ignored:
// the issuer has exactly one key.
func WithHMAC(issuer string, secret []byte) Option {
	secret = slices.Clone(secret)
	return optionFunc(func(c *config) {
		if len(secret) < minHMACSecret {
			c.errorf("WithHMAC %q: the secret is %d bytes, it must be at least %d", issuer, len(secret), minHMACSecret)
			return
		}
		c.issuers = append(c.issuers, issuerConfig{kind: sourceHMAC, issuer: issuer, secret: secret})
	})
}

// WithAudience sets the accepted audiences: a token's "aud" (a string or an
// array) must contain at least one of them. It applies to every issuer
// except Cognito ones, whose audience is their client IDs (see
// [WithCognito]). New returns an error when no audience is configured for a
// non-Cognito issuer, unless [WithoutAudienceCheck] is given. Repeated
// calls add audiences.
func WithAudience(audiences ...string) Option {
	audiences = slices.Clone(audiences)
	return optionFunc(func(c *config) {
		for _, a := range audiences {
			if a == "" {
				c.errorf("WithAudience(%q): empty audience", audiences)
				return
			}
		}
		c.audiences = append(c.audiences, audiences...)
	})
}

// WithoutAudienceCheck turns the audience check off: any "aud", or none, is
// accepted, and Cognito tokens are accepted from any client of the pool
// (their token_use is still checked). Use it only when the issuer mints
// tokens for this service alone.
func WithoutAudienceCheck() Option {
	return optionFunc(func(c *config) { c.noAudience = true })
}

// WithLeeway sets the clock skew tolerated on exp, nbf and iat. The default
// is 30 seconds; d must be between 0 and 5 minutes.
func WithLeeway(d time.Duration) Option {
	return optionFunc(func(c *config) {
		if d < 0 || d > 5*time.Minute {
			c.errorf("WithLeeway(%v): the leeway must be between 0 and 5m", d)
			return
		}
		c.leeway = d
	})
}

// WithAlgorithms replaces the allow-list of signing algorithms. The default
// is RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512 and EdDSA,
// plus HS256, HS384 and HS512 when an issuer is configured with [WithHMAC].
// "none" can never be allowed. Whatever the list, an algorithm is only used
// with a key of its type and curve, so HS* never verifies with an RSA or EC
// key, and asymmetric algorithms never with an HMAC secret.
func WithAlgorithms(algs ...string) Option {
	algs = slices.Clone(algs)
	return optionFunc(func(c *config) {
		for _, a := range algs {
			if !slices.Contains(defaultAlgorithms, a) && !slices.Contains(hmacAlgorithms, a) {
				c.errorf("WithAlgorithms: unsupported algorithm %q", a)
				return
			}
		}
		if len(algs) == 0 {
			c.errorf("WithAlgorithms: no algorithm given")
			return
		}
		c.algorithms = algs
	})
}

// WithTokenType requires the JOSE header "typ" to equal typ, compared
// case-insensitively, with or without the "application/" prefix (RFC 9068
// access tokens: WithTokenType("at+jwt") accepts "at+jwt" and
// "application/at+jwt"). By default typ is not checked.
func WithTokenType(typ string) Option {
	return optionFunc(func(c *config) {
		if typ == "" {
			c.errorf("WithTokenType: empty type")
			return
		}
		c.tokenType = typ
	})
}

// WithMaxTokenAge rejects tokens issued more than d ago (plus the leeway).
// It makes "iat" required. By default the age is not limited.
func WithMaxTokenAge(d time.Duration) Option {
	return optionFunc(func(c *config) {
		if d <= 0 {
			c.errorf("WithMaxTokenAge(%v): the age must be positive", d)
			return
		}
		c.maxAge = d
	})
}

// WithHTTPClient sets the client used for discovery and JWKS fetches. The
// default has a 5 second overall timeout and follows at most 3 redirects.
// Whatever the client, redirects are only followed to URLs that pass the
// https-or-loopback rule of [WithIssuer], checked before the client's own
// CheckRedirect; client itself is not modified (New uses a copy). A key
// refresh is bounded by a 5 second timeout of its own besides the
// client's.
func WithHTTPClient(client *http.Client) Option {
	return optionFunc(func(c *config) {
		if client == nil {
			c.errorf("WithHTTPClient: nil client")
			return
		}
		c.client = client
	})
}

// WithTokenCache sets how many verified tokens are remembered (default
// 1024; 0 turns the cache off). A repeated token then skips signature
// verification; its time claims are still checked on every use, and
// entries are dropped when the issuer's key set changes.
func WithTokenCache(size int) Option {
	return optionFunc(func(c *config) {
		if size < 0 {
			c.errorf("WithTokenCache(%d): negative size", size)
			return
		}
		c.cacheSize = size
	})
}

// WithLogger logs each denial to logger, once, never with the token.
// [Middleware], [Lambda] and the Lambda authorizers ([TokenAuthorizer],
// [RequestAuthorizer], [SimpleAuthorizer]) log a rejected request at Warn
// with the attributes every fnshield package logs a rejection with
// (package, reason, status, method, path, source_ip, and request_id on
// Lambda), plus issuer and subject when the token verified but a check
// denied it; an authorizer's status is the one API Gateway answers the
// client (401, 403, or 500 when the keys are unavailable).
// [Verifier.Verify] logs "auth: access denied" with the reason, and issuer
// and subject when known: signature, algorithm, issuer and key problems at
// Warn, the rest at Info. By default nothing is logged.
func WithLogger(logger *slog.Logger) Option {
	return optionFunc(func(c *config) { c.logger = logger })
}

// WithMeterProvider sets the OpenTelemetry meter provider for the
// fnshield.auth.decisions and fnshield.auth.token_cache counters. The
// default is the global provider (otel.GetMeterProvider), a no-op until an
// SDK is installed.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return optionFunc(func(c *config) { c.meterProvider = mp })
}

// WithTracerProvider sets the OpenTelemetry tracer provider for the spans
// around discovery and JWKS fetches. The default is the global provider
// (otel.GetTracerProvider), a no-op until an SDK is installed.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return optionFunc(func(c *config) { c.tracerProvider = tp })
}

// WithClock sets the clock used for time claims and key-set freshness. The
// default is time.Now.
func WithClock(now func() time.Time) Option {
	return optionFunc(func(c *config) {
		if now == nil {
			c.errorf("WithClock: nil clock")
			return
		}
		c.now = now
	})
}

var errNoIssuer = errors.New("auth: no issuer configured")
