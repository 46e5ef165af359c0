// Package auth verifies JWT and OIDC bearer tokens for function handlers.
//
// A [Verifier] checks a token against one or more issuers, each bound to its
// own keys: OIDC discovery, a JWKS URL, a static JWK Set, an HMAC secret
// (explicit opt-in) or an Amazon Cognito user pool. The defaults are strict:
// exp is required, algorithms are allow-listed and must fit the key, "none"
// is impossible, and key-carrying headers (jku, x5u, jwk) are never followed.
//
// The decision, [Verifier.Verify], knows nothing about HTTP or Lambda. Thin
// transports wrap it: [Middleware] for net/http, [Lambda] for the HTTP-shaped
// Lambda events, and the API Gateway Lambda authorizers.
package auth
