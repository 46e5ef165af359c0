// Package auth verifies JWT and OIDC bearer tokens for function handlers.
//
// A [Verifier] checks a token against one or more issuers, each bound to its
// own keys: OIDC discovery ([WithIssuer]), a JWKS URL ([WithIssuerJWKS]), a
// static JWK Set ([WithIssuerKeys]), an HMAC secret ([WithHMAC], explicit
// opt-in) or an Amazon Cognito user pool ([WithCognito]). The decision,
// [Verifier.Verify], knows nothing about HTTP or Lambda. Thin transports
// wrap it: [Middleware] for net/http, [Lambda] for the HTTP-shaped Lambda
// events, and the API Gateway Lambda authorizers.
//
// # Secure defaults
//
//   - The token's "iss" selects the issuer, and only that issuer's keys may
//     verify it. An unknown issuer is rejected ([ErrBadIssuer]) without any
//     network call.
//   - "exp" is required; "nbf" and "iat" (iat in the future) are checked,
//     all with a 30 second leeway ([WithLeeway]).
//   - Algorithms are allow-listed ([WithAlgorithms]); "none" is impossible;
//     the algorithm must fit the key's type and curve (ES256 with P-256,
//     EdDSA with Ed25519, RS* and PS* with RSA, HS* only with a WithHMAC
//     secret long enough for the hash); a JWK's "alg", when present, must
//     equal the header's. RSASSA-PSS requires the salt length RFC 7518 fixes.
//   - Tokens over 16 KiB, or without exactly two dots, are rejected before
//     any decoding ([ErrMalformed]). Base64url is decoded strictly.
//   - A "crit" header is rejected. Key-carrying headers ("jwk", "jku",
//     "x5u", "x5c") are never followed: tokens carrying them are rejected.
//   - Member names are case-sensitive (RFC 7519 §4) and matched exactly,
//     unlike encoding/json's struct decoding. In the payload, "Scope" or
//     "EXP" is a custom claim that never fills "scope" or "exp"; a claim
//     fnshield reads that appears twice makes the token malformed. In the
//     header, a member that equals a known one ("alg", "kid", "typ",
//     "crit", "jwk", "jku", "x5u", "x5c") only under case folding ("ALG",
//     "Crit"), or a known member twice, makes the token malformed. A JWK
//     with such a member is skipped; a key set or discovery document with
//     one is refused.
//   - An audience is required: New fails unless [WithAudience] is given
//     (or every issuer is a Cognito pool with client IDs), or the check is
//     turned off explicitly with [WithoutAudienceCheck].
//   - Headers and payloads must be valid UTF-8 (RFC 7519 §7.2): invalid
//     bytes or a lone UTF-16 surrogate escape make the token malformed,
//     rather than being read as U+FFFD. "scope" is split on ASCII spaces
//     only (RFC 6749 §3.3): "x\tadmin" is one scope, never "admin".
//   - JWKs that are not signature keys ("use" other than "sig", "key_ops"
//     without "verify"), "oct" keys, RSA keys under 2048 or over 8192 bits,
//     keys with the ROCA fingerprint, invalid EC points and Ed25519 points
//     of small order are skipped when a set is loaded; the rest of the set
//     stays usable.
//   - kid: a token naming a kid uses that key; a token without one uses the
//     issuer's only key that fits its algorithm, and fails with
//     [ErrUnknownKey] when there are several.
//
// # Key sets and caching
//
// Remote key sets are loaded in [New] (cold start), which fails if any
// cannot be loaded. Nothing runs on a timer: sets are refreshed on access
// when older than their Cache-Control max-age (clamped to 5m..24h, 1h by
// default), and at most once a minute per issuer when a token names an
// unknown kid. Concurrent callers share one fetch, which a caller's
// cancellation does not abort (it has its own 5 second timeout). A failed
// refresh keeps serving the previous keys up to 24h past their expiry,
// then Verify fails with [ErrKeysUnavailable] (503). Only https URLs are
// fetched, redirects included, except plain http on a loopback host
// (127.0.0.0/8, ::1, localhost) for tests, allowed only when the
// configured issuer or URL is itself on loopback. Response bodies are
// limited to 1 MiB; the default client times out after 5 seconds
// ([WithHTTPClient] replaces it).
//
// Verified tokens are cached by their SHA-256 (never the token itself) in a
// bounded LRU ([WithTokenCache], 1024 by default). Time claims are checked
// again on every hit, and entries are dropped when their issuer's key set
// changes. Every hit returns a copy of the claims: a caller that changes
// its Claims changes nothing another request sees.
//
// # Errors and observability
//
// Every error is an [*Error] carrying a sentinel Reason (errors.Is works),
// an RFC 6750 code, an HTTP status and a fixed description. No error text,
// log line or span attribute ever contains the token or part of it.
// Decisions are counted on the OpenTelemetry counter
// fnshield.auth.decisions (attributes result and reason) and recorded as
// span events when a span is in the context; JWKS and discovery fetches get
// their own spans. Without an OpenTelemetry SDK installed these cost
// nothing. [WithLogger] logs denials.
//
// # Transports and their options
//
// Which option goes where: [Option] configures [New]; [MiddlewareOption]
// configures [Middleware] and [Lambda]; [LambdaOption] configures [Lambda]
// only ([TrustGatewayClaims]); [AuthorizerOption] configures the three
// authorizers; [TransportOption] ([RequireScopes], [RequireGroups],
// [Require], [WithTokenFrom]) goes to all of them. An option that cannot
// apply does not compile where it is passed.
//
// [Lambda] accepts the HTTP-shaped event and response pairs every fnshield
// Lambda wrapper accepts (REST API, HTTP API, ALB in both header modes,
// Function URL), so auth, ratelimit and validate nest:
// lambda.Start(auth.Lambda(v, ratelimit.Lambda(l, validate.Lambda(s, handle)))).
// A pair it does not accept panics when the handler is wrapped, at cold
// start. A rejection is returned as the event's response with a nil error.
// CORS preflight requests pass without a token only with [AllowPreflight].
//
// # Function-to-function calls
//
// Functions that call each other should prove who they are with
// short-lived credentials, never a shared key. On the callee side,
// [IAMLambda] admits only the IAM callers [RequireCaller] names, for
// Function URLs and API Gateway routes with IAM authorization; a token
// from the client-credentials grant is checked by [Lambda] with an audience
// and scopes. On the caller side, package auth/awsiam signs requests with
// SigV4 using the function's role, and package auth/clientcred attaches a
// cached client-credentials token.
package auth
