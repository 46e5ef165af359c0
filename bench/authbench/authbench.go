// Package authbench sets fnshield's auth.Verifier side by side with other
// Go JWT verifiers, on the same tokens from the same loopback OIDC issuer.
//
// Every verifier is configured for the same policy: one signing algorithm,
// the issuer, the audience "orders-api", exp required and a 30 second leeway
// where the library lets it be set. Keys come from the issuer's JWK Set,
// fetched once over loopback HTTP and then held in each library's own cache;
// the golang-jwt floor is given the public key directly.
//
// The benchmarks are in authbench_test.go; TestParity there checks first
// that every verifier accepts and rejects the same tokens, since a benchmark
// of a verifier that rejects everything would prove nothing.
package authbench

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	jwtmw "github.com/auth0/go-jwt-middleware/v2/jwks"
	"github.com/auth0/go-jwt-middleware/v2/validator"
	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/golang-jwt/jwt/v5"
	"github.com/lestrrat-go/jwx/v3/jwk"
	jwxjwt "github.com/lestrrat-go/jwx/v3/jwt"

	"github.com/fnshield/fnshield/auth"
	"github.com/fnshield/fnshield/auth/authtest"
)

// Audience is the audience every verifier requires and Claims carries.
const Audience = "orders-api"

// Leeway is the clock skew every verifier tolerates where it can be set.
const Leeway = 30 * time.Second

// Algorithms are the signing algorithms compared.
var Algorithms = []string{"RS256", "ES256", "EdDSA"}

// Implementation names, as they appear in benchmark names and RESULTS.md.
const (
	Fnshield  = "fnshield"
	GolangJWT = "golang-jwt"      // ParseWithClaims with a fixed key: the floor
	Auth0     = "auth0-validator" // auth0/go-jwt-middleware/v2 validator with its caching JWKS provider
	Keyfunc   = "keyfunc+golang-jwt"
	JWX       = "jwx"
	GoOIDC    = "go-oidc"
)

// Claims returns the claims of a typical access token: the registered
// claims Mint fills in (iss, iat, exp) plus these.
func Claims() map[string]any {
	return map[string]any{
		"sub":       "user-123456",
		"aud":       Audience,
		"jti":       "4f1c6e1a-5b7d-4f2a-9a47-1f0c2f3d9b8e",
		"scope":     "orders:read orders:write",
		"client_id": "web-app",
		"tenant":    "acme",
	}
}

// Impl is one verifier under comparison. Verify returns nil for an accepted
// token and an error for a rejected one.
type Impl struct {
	Name   string
	Verify func(ctx context.Context, token string) error
}

// Setup is an issuer for one algorithm and every verifier configured to
// trust it.
type Setup struct {
	Alg    string
	Issuer *authtest.Issuer
	// Impls lists fnshield first, then the peers.
	Impls  []Impl
	cancel context.CancelFunc
}

// Close stops the issuer and the peers' background refreshes.
func (s *Setup) Close() {
	s.cancel()
	s.Issuer.Close()
}

// NewSetup starts an issuer signing with alg and builds every verifier
// for it. tokenCache is fnshield's WithTokenCache size: 0 makes every
// token pay its signature check, as a first-seen token does.
func NewSetup(alg string, tokenCache int) (*Setup, error) {
	iss, err := authtest.New(authtest.WithAlgorithm(alg))
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Setup{Alg: alg, Issuer: iss, cancel: cancel}
	builders := []struct {
		name  string
		build func(ctx context.Context, iss *authtest.Issuer, alg string) (func(context.Context, string) error, error)
	}{
		{Fnshield, func(ctx context.Context, iss *authtest.Issuer, alg string) (func(context.Context, string) error, error) {
			return newFnshield(ctx, iss, alg, tokenCache)
		}},
		{GolangJWT, newGolangJWT},
		{Auth0, newAuth0},
		{Keyfunc, newKeyfunc},
		{JWX, newJWX},
		{GoOIDC, newGoOIDC},
	}
	for _, b := range builders {
		verify, err := b.build(ctx, iss, alg)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("authbench: %s for %s: %w", b.name, alg, err)
		}
		s.Impls = append(s.Impls, Impl{Name: b.name, Verify: verify})
	}
	return s, nil
}

func newFnshield(ctx context.Context, iss *authtest.Issuer, alg string, tokenCache int) (func(context.Context, string) error, error) {
	v, err := auth.New(ctx,
		auth.WithIssuer(iss.URL()),
		auth.WithHTTPClient(iss.Client()),
		auth.WithAudience(Audience),
		auth.WithAlgorithms(alg),
		auth.WithLeeway(Leeway),
		auth.WithTokenCache(tokenCache),
	)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, token string) error {
		_, err := v.Verify(ctx, token)
		return err
	}, nil
}

// publicKey reads the issuer's current public key from its JWK Set.
func publicKey(iss *authtest.Issuer) (crypto.PublicKey, error) {
	set, err := jwk.Parse(iss.Keys())
	if err != nil {
		return nil, err
	}
	key, ok := set.LookupKeyID(iss.KeyID())
	if !ok {
		return nil, errors.New("signing key not in the JWK Set")
	}
	var raw any
	if err := jwk.Export(key, &raw); err != nil {
		return nil, err
	}
	return raw, nil
}

func golangJWTParser(iss *authtest.Issuer, alg string) *jwt.Parser {
	return jwt.NewParser(
		jwt.WithValidMethods([]string{alg}),
		jwt.WithIssuer(iss.URL()),
		jwt.WithAudience(Audience),
		jwt.WithExpirationRequired(),
		jwt.WithLeeway(Leeway),
	)
}

func newGolangJWT(_ context.Context, iss *authtest.Issuer, alg string) (func(context.Context, string) error, error) {
	pub, err := publicKey(iss)
	if err != nil {
		return nil, err
	}
	p := golangJWTParser(iss, alg)
	key := func(*jwt.Token) (any, error) { return pub, nil }
	return func(_ context.Context, token string) error {
		_, err := p.ParseWithClaims(token, &jwt.RegisteredClaims{}, key)
		return err
	}, nil
}

func newAuth0(ctx context.Context, iss *authtest.Issuer, alg string) (func(context.Context, string) error, error) {
	u, err := url.Parse(iss.URL())
	if err != nil {
		return nil, err
	}
	provider := jwtmw.NewCachingProvider(u, time.Hour, jwtmw.WithCustomClient(iss.Client()))
	v, err := validator.New(provider.KeyFunc, validator.SignatureAlgorithm(alg), iss.URL(), []string{Audience},
		validator.WithAllowedClockSkew(Leeway))
	if err != nil {
		return nil, err
	}
	// Load the keys now, as the other verifiers do at construction.
	if _, err := provider.KeyFunc(ctx); err != nil {
		return nil, err
	}
	return func(ctx context.Context, token string) error {
		_, err := v.ValidateToken(ctx, token)
		return err
	}, nil
}

func newKeyfunc(ctx context.Context, iss *authtest.Issuer, alg string) (func(context.Context, string) error, error) {
	kf, err := keyfunc.NewDefaultCtx(ctx, []string{iss.JWKSURL()})
	if err != nil {
		return nil, err
	}
	p := golangJWTParser(iss, alg)
	return func(_ context.Context, token string) error {
		_, err := p.ParseWithClaims(token, &jwt.RegisteredClaims{}, kf.Keyfunc)
		return err
	}, nil
}

func newJWX(ctx context.Context, iss *authtest.Issuer, _ string) (func(context.Context, string) error, error) {
	set, err := jwk.Fetch(ctx, iss.JWKSURL(), jwk.WithHTTPClient(iss.Client()))
	if err != nil {
		return nil, err
	}
	opts := []jwxjwt.ParseOption{
		jwxjwt.WithKeySet(set),
		jwxjwt.WithValidate(true),
		jwxjwt.WithIssuer(iss.URL()),
		jwxjwt.WithAudience(Audience),
		jwxjwt.WithRequiredClaim("exp"),
		jwxjwt.WithAcceptableSkew(Leeway),
	}
	return func(_ context.Context, token string) error {
		_, err := jwxjwt.ParseString(token, opts...)
		return err
	}, nil
}

func newGoOIDC(ctx context.Context, iss *authtest.Issuer, alg string) (func(context.Context, string) error, error) {
	provider, err := oidc.NewProvider(oidc.ClientContext(ctx, iss.Client()), iss.URL())
	if err != nil {
		return nil, err
	}
	// go-oidc has no leeway setting for exp; a clock running Leeway behind
	// gives the same one (its nbf check keeps a fixed 5 minute leeway).
	v := provider.Verifier(&oidc.Config{
		ClientID:             Audience,
		SupportedSigningAlgs: []string{alg},
		Now:                  func() time.Time { return time.Now().Add(-Leeway) },
	})
	return func(ctx context.Context, token string) error {
		_, err := v.Verify(ctx, token)
		return err
	}, nil
}
