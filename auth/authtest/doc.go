// Package authtest is a test OpenID Connect issuer for code that verifies
// bearer tokens, such as fnshield's auth package and the handlers it
// protects.
//
// [NewIssuer] starts an httptest.Server that serves an OpenID Connect
// discovery document and a JWK Set, closed when the test ends. The Issuer
// mints tokens with [Issuer.Mint], and hostile or malformed ones with
// [Issuer.MintWith] (alg "none", foreign keys, stripped signatures, extra
// header members), rotates keys with [Issuer.Rotate], counts the fetches of
// its endpoints and simulates outages:
//
//	iss := authtest.NewIssuer(t)
//	v, err := auth.New(ctx, auth.WithIssuer(iss.URL()), auth.WithAudience(iss.Audience()))
//	token := iss.Mint(map[string]any{"sub": "user-1", "scope": "orders:read"})
//	claims, err := v.Verify(ctx, token)
//
// Tokens from Mint carry the issuer's audience, [DefaultAudience] unless
// [WithAudience] says otherwise, so the verifier needs only that. Each
// snippet in this documentation is also a runnable example.
//
// Package authtest depends only on the standard library; it does not import
// auth, so auth's own tests can use it.
package authtest
