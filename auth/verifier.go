package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// maxTokenSize bounds the token length; longer tokens are rejected before
// any decoding.
const maxTokenSize = 16 << 10

// Verifier verifies bearer tokens (JWS compact JWTs) against the issuers it
// was built with. Create one with [New], once, at cold start; it is safe
// for concurrent use.
//
// # Key sets
//
// Remote key sets (WithIssuer, WithIssuerJWKS, WithCognito) are loaded in
// New, which fails if any cannot be loaded: a misconfigured issuer shows up
// at cold start, not at the first request. They are then refreshed lazily,
// on access, never on a timer (Lambda freezes between invocations):
//   - when older than the response's Cache-Control max-age, clamped to
//     [5m, 24h] (1h without one). Concurrent callers share one fetch.
//   - when a token names a kid the set lacks, at most once a minute per
//     issuer (the load in New does not count). A token that cannot trigger
//     a refresh fails at once with ErrUnknownKey; it never waits.
//
// A refresh is not cancelled with the context of the request that started
// it: it runs to completion under its own 5 second timeout, so that a
// client hanging up cannot keep new keys from being learned. Each Verify
// waits for it only until its own context ends.
//
// A failed refresh keeps serving the previous keys for up to 24h past
// their expiry (retrying at most once a minute); after that Verify fails
// with ErrKeysUnavailable (HTTP 503). Keys removed from the set stop
// verifying after the refresh that drops them. JWKs that cannot be used
// (RSA outside 2048..8192 bits, "use" other than "sig", "key_ops" without
// "verify", "oct" keys, unknown curves, invalid points, Ed25519 points of
// small order) are skipped, not fatal, unless none remains.
//
// # Token checks
//
// The token's "iss", read from the unverified payload, selects the issuer
// and so the only keys that may verify it; an unknown issuer is rejected
// without any network call. Then: alg in the allow-list and fitting the
// key type and curve (and the JWK's alg when present); no "crit" header;
// no key-carrying header ("jwk", "jku", "x5u", "x5c": such tokens are
// rejected, never followed); exp required; nbf, iat and the optional
// maximum age checked with the leeway; audience; Cognito token_use and
// client; optional typ. Header members and claims are matched by exact,
// case-sensitive name; duplicated or case-folded variants of the header
// members above and duplicated claims that Verify reads make the token
// malformed, while a case variant of a claim ("Scope") is only a custom
// claim.
//
// Tokens verified once are cached (see [WithTokenCache]).
type Verifier struct {
	issuers   map[string]*issuer
	methods   map[string]jwt.SigningMethod // allowed algorithms only
	leeway    time.Duration
	maxAge    time.Duration
	tokenType string
	now       func() time.Time
	cache     *tokenCache // nil when off
	tel       *telemetry
}

// issuer is one trusted issuer and its policy.
type issuer struct {
	name      string
	static    *keySet     // WithIssuerKeys, WithHMAC
	remote    *remoteKeys // WithIssuer, WithIssuerJWKS, WithCognito
	hmac      bool
	cognito   bool
	clientIDs []string // Cognito: allowed clients; nil means any
	audiences []string // non-Cognito: allowed audiences; nil means no check
}

func (is *issuer) keys(ctx context.Context) (*keySet, error) {
	if is.remote != nil {
		return is.remote.keys(ctx)
	}
	return is.static, nil
}

// New builds a Verifier. It loads every issuer's keys (running OIDC
// discovery where configured) and fails if any cannot be loaded, if no
// issuer is configured, if an issuer is configured twice, or if no audience
// is configured for a non-Cognito issuer (see [WithAudience] and
// [WithoutAudienceCheck]). ctx bounds the loading only.
func New(ctx context.Context, opts ...Option) (*Verifier, error) {
	cfg := newConfig(opts)
	if len(cfg.errs) > 0 {
		return nil, errors.Join(cfg.errs...)
	}
	if len(cfg.issuers) == 0 {
		return nil, errNoIssuer
	}
	tel, err := newTelemetry(cfg.logger, cfg.meterProvider, cfg.tracerProvider)
	if err != nil {
		return nil, fmt.Errorf("auth: telemetry: %w", err)
	}
	v := &Verifier{
		issuers:   make(map[string]*issuer, len(cfg.issuers)),
		methods:   make(map[string]jwt.SigningMethod),
		leeway:    cfg.leeway,
		maxAge:    cfg.maxAge,
		tokenType: normalizeType(cfg.tokenType),
		now:       cfg.now,
		tel:       tel,
	}
	if cfg.cacheSize > 0 {
		v.cache = newTokenCache(cfg.cacheSize)
	}
	client := cfg.client
	if client == nil {
		client = defaultHTTPClient()
	}
	// Plain http to loopback is for tests against a loopback server: only
	// a source whose configured URL is itself plain http on loopback may
	// use it.
	fetchers := [2]*fetcher{newFetcher(client, false, tel), newFetcher(client, true, tel)}
	fetcherFor := func(configured string) *fetcher {
		if isLoopbackHTTPURL(configured) {
			return fetchers[1]
		}
		return fetchers[0]
	}
	if cfg.cognitoEndpoint != "" {
		if _, err := checkFetchURL(cfg.cognitoEndpoint); err != nil {
			return nil, fmt.Errorf("auth: WithCognitoEndpoint: %w", err)
		}
	}

	hasHMAC := false
	for i := range cfg.issuers {
		ic := &cfg.issuers[i]
		if ic.issuer == "" {
			return nil, errors.New("auth: empty issuer")
		}
		if _, dup := v.issuers[ic.issuer]; dup {
			return nil, fmt.Errorf("auth: issuer %q configured twice", ic.issuer)
		}
		is := &issuer{name: ic.issuer}
		switch ic.kind {
		case sourceCognito:
			is.cognito = true
			if !cfg.noAudience {
				if len(ic.clientIDs) == 0 {
					return nil, fmt.Errorf("auth: WithCognito %q: no client IDs (or use WithoutAudienceCheck)", ic.issuer)
				}
				is.clientIDs = ic.clientIDs
			}
		default:
			if !cfg.noAudience {
				if len(cfg.audiences) == 0 {
					return nil, fmt.Errorf("auth: issuer %q: no audience configured (use WithAudience, or WithoutAudienceCheck)", ic.issuer)
				}
				is.audiences = cfg.audiences
			}
		}
		switch ic.kind {
		case sourceStatic:
			set, err := parseJWKS(ic.jwks)
			if err != nil {
				return nil, fmt.Errorf("auth: WithIssuerKeys %q: %w", ic.issuer, err)
			}
			set.gen = 1
			is.static = set
		case sourceHMAC:
			hasHMAC = true
			is.hmac = true
			is.static = &keySet{keys: []*key{{pub: ic.secret}}, gen: 1}
		default:
			jwksURL := ic.jwksURL
			var f *fetcher
			switch ic.kind {
			case sourceDiscovery:
				f = fetcherFor(ic.issuer)
				u, err := f.discover(ctx, ic.issuer)
				if err != nil {
					return nil, fmt.Errorf("auth: discovery for %q: %w", ic.issuer, err)
				}
				jwksURL = u
			case sourceCognito:
				jwksURL = cognitoJWKSURL(ic, cfg.cognitoEndpoint)
				f = fetcherFor(jwksURL) // the endpoint's host: configured, like the URL below
			default:
				f = fetcherFor(jwksURL)
			}
			if _, err := f.check(jwksURL); err != nil {
				return nil, fmt.Errorf("auth: JWKS URL for %q: %w", ic.issuer, err)
			}
			is.remote = &remoteKeys{issuer: ic.issuer, url: jwksURL, fetcher: f, now: cfg.now}
			if err := is.remote.load(ctx); err != nil {
				return nil, fmt.Errorf("auth: keys for %q from %s: %w", ic.issuer, jwksURL, err)
			}
		}
		v.issuers[ic.issuer] = is
	}

	algs := cfg.algorithms
	if algs == nil {
		algs = slices.Clone(defaultAlgorithms)
		if hasHMAC {
			algs = append(algs, hmacAlgorithms...)
		}
	} else if hasHMAC && !slices.ContainsFunc(algs, func(a string) bool { return slices.Contains(hmacAlgorithms, a) }) {
		return nil, fmt.Errorf("auth: WithHMAC issuer configured but WithAlgorithms(%s) allows no HS algorithm", strings.Join(algs, ", "))
	}
	for _, a := range algs {
		m := signingMethod(a)
		if m == nil {
			return nil, fmt.Errorf("auth: unsupported algorithm %q", a)
		}
		v.methods[a] = m
	}
	return v, nil
}

// normalizeType strips an "application/" prefix and lower-cases typ.
func normalizeType(typ string) string {
	typ = strings.ToLower(typ)
	return strings.TrimPrefix(typ, "application/")
}

// header is the JOSE header: the members the verifier reads. Critical and
// key-carrying members are only detected, never used.
type header struct {
	alg    string
	kid    string
	typ    string
	hasKid bool // "kid" present and not null
	hasTyp bool
}

// Indexes into headerNames.
const (
	hAlg = iota
	hKid
	hTyp
	hCrit
	hJwk
	hJku
	hX5u
	hX5c
	hCount
)

// headerNames are the JOSE header members the verifier knows. They are
// matched exactly; a member whose name equals one of them only under case
// folding ("ALG", "Crit", "JKU") makes the header malformed, as it may be
// meant as that member by some other JOSE implementation.
var headerNames = [hCount]string{
	hAlg: "alg", hKid: "kid", hTyp: "typ", hCrit: "crit",
	hJwk: "jwk", hJku: "jku", hX5u: "x5u", hX5c: "x5c",
}

// Causes. None of them carries any part of the token.
var (
	errSize         = errors.New("token too large")
	errShape        = errors.New("token is not three dot-separated parts")
	errEncoding     = errors.New("invalid base64url encoding")
	errHeaderJSON   = errors.New("header is not a JSON object")
	errPayloadJSON  = errors.New("payload is not a JSON object of valid claims")
	errCrit         = errors.New("critical header extensions are not supported")
	errHeaderMember = errors.New("a header member appears twice or differs from a registered one only in case")
	errClaimMember  = errors.New("a registered claim appears twice")
	errKeyHeader    = errors.New("key-carrying headers (jwk, jku, x5u, x5c) are not accepted")
	errNoExp        = errors.New("exp claim missing")
	errNoIat        = errors.New("iat claim missing (required by the maximum token age)")
	errTooOld       = errors.New("token older than the maximum age")
	errIatFuture    = errors.New("token issued in the future")
	errNoSignature  = errors.New("empty signature")
	errKeyMismatch  = errors.New("algorithm does not fit the key")
	errNoKeyForKid  = errors.New("no key matches the token")
	errAudience     = errors.New("no accepted audience")
	errUnknownIss   = errors.New("issuer not configured")
	errTokenTypeHdr = errors.New("typ header does not match")
)

// Verify verifies token and returns its claims. Every error is an
// [*Error] whose Reason is one of the package's sentinels; its text never
// contains the token. ctx bounds how long Verify waits for a key refresh
// (the refresh itself goes on, see [Verifier]) and carries the span the
// decision is recorded on.
func (v *Verifier) Verify(ctx context.Context, token string) (*Claims, error) {
	c, err := v.verifyRecorded(ctx, token, false)
	if err != nil {
		return nil, err
	}
	v.record(ctx, nil, c)
	return c, nil
}

// verifyCredentials is Verify for the transports and authorizers, for a
// token whose characters they have not checked (see TokenSource.fromValue):
// it records a denial (logging it when log is set), but leaves recording
// an allowed decision to the caller, whose own checks (scopes, groups) may
// still deny, so that each request counts once. A token served from the
// verified-token cache needs no character check: the cache is keyed by the
// SHA-256 of the exact string, which passed the check when it was
// verified. Any other token must be an RFC 6750 b64token, checked before
// anything else, or the error is the transport's malformed-credentials
// error (invalid_request, 400), as if extraction had refused it. A denial
// after the signature verified carries the verified claims, for the
// transports' audit log.
func (v *Verifier) verifyCredentials(ctx context.Context, token string, log bool) (*Claims, error) {
	c, verified, e := v.verify(ctx, token, true)
	if e != nil {
		v.decide(ctx, e, verified, log)
		return nil, withClaims(e, verified)
	}
	return c, nil
}

func (v *Verifier) verifyRecorded(ctx context.Context, token string, credentials bool) (*Claims, error) {
	c, verified, e := v.verify(ctx, token, credentials)
	if e != nil {
		v.record(ctx, e, verified)
		return nil, e
	}
	return c, nil
}

// verify does the work of Verify; credentials is as for
// verifyCredentials. On failure after the signature was verified, it also
// returns the verified claims, for the denial log.
func (v *Verifier) verify(ctx context.Context, token string, credentials bool) (*Claims, *Claims, *Error) {
	if token == "" {
		return nil, nil, newError(ErrMissingToken, nil)
	}
	if len(token) > maxTokenSize {
		return nil, nil, newError(ErrMalformed, errSize)
	}
	now := v.now()

	// The cache only holds verified tokens: any string it does not hold,
	// whatever its shape, misses it and is checked below.
	var ck tokenKey
	if v.cache != nil {
		ck = keyOf(token)
		if c, is, gen, ok := v.cache.get(&ck); ok {
			v.tel.recordCache(ctx, true)
			set, err := is.keys(ctx)
			if err != nil {
				return nil, nil, newError(ErrKeysUnavailable, nil)
			}
			if set.gen == gen {
				// The cached Claims are never handed out: each caller
				// gets a copy it may change.
				if e := v.checkTimes(c, now); e != nil {
					v.cache.remove(&ck)
					return nil, c.clone(), e
				}
				return c.clone(), nil, nil
			}
			v.cache.remove(&ck) // the key set changed: verify again
		} else {
			v.tel.recordCache(ctx, false)
		}
	}

	if credentials && !isB64Token(token) {
		return nil, nil, extractError(errMalformedCredentials, nil)
	}
	dot1 := strings.IndexByte(token, '.')
	if dot1 < 0 {
		return nil, nil, newError(ErrMalformed, errShape)
	}
	dot2 := dot1 + 1 + strings.IndexByte(token[dot1+1:], '.')
	if dot2 == dot1 || strings.IndexByte(token[dot2+1:], '.') >= 0 {
		return nil, nil, newError(ErrMalformed, errShape)
	}
	// Only base64url and the two dots: the decoder would skip CR and LF,
	// letting many strings stand for one token.
	if !isTokenSyntax(token) {
		return nil, nil, newError(ErrMalformed, errEncoding)
	}

	// Header.
	var h header
	if e := parseHeader(token[:dot1], &h); e != nil {
		return nil, nil, e
	}
	method, ok := v.methods[h.alg]
	if !ok {
		return nil, nil, newError(ErrBadAlgorithm, nil)
	}
	if v.tokenType != "" && (!h.hasTyp || normalizeType(h.typ) != v.tokenType) {
		return nil, nil, newError(ErrBadTokenType, errTokenTypeHdr)
	}

	// Payload (unverified until the signature is checked).
	raw, err := decodeB64(token[dot1+1 : dot2])
	if err != nil {
		return nil, nil, newError(ErrMalformed, errEncoding)
	}
	var p payload
	if err := p.decode(raw); err != nil {
		switch err {
		case errDuplicateMember:
			return nil, nil, newError(ErrMalformed, errClaimMember)
		case errInvalidText:
			return nil, nil, newError(ErrMalformed, errInvalidText)
		}
		return nil, nil, newError(ErrMalformed, errPayloadJSON)
	}
	is := v.issuers[p.Iss]
	if is == nil {
		return nil, nil, newError(ErrBadIssuer, errUnknownIss)
	}

	// Key.
	set, err := is.keys(ctx)
	if err != nil {
		return nil, nil, newError(ErrKeysUnavailable, nil)
	}
	kid, hasKid := "", h.hasKid && !is.hmac
	if hasKid {
		kid = h.kid
	}
	k, err := set.lookup(kid, hasKid, h.alg)
	if is.hmac && err != nil {
		err = ErrBadAlgorithm // the issuer's only key is its secret: the alg is wrong
	}
	if errors.Is(err, ErrUnknownKey) && hasKid && is.remote != nil {
		if fresh, ferr := is.remote.refreshForKid(ctx, set); ferr == nil {
			set = fresh
			k, err = set.lookup(kid, hasKid, h.alg)
		}
	}
	switch {
	case errors.Is(err, ErrBadAlgorithm):
		return nil, nil, newError(ErrBadAlgorithm, errKeyMismatch)
	case err != nil:
		return nil, nil, newError(ErrUnknownKey, errNoKeyForKid)
	}

	// Signature.
	if e := verifySignature(method, k, token, dot2); e != nil {
		return nil, nil, e
	}

	// Claims.
	c := p.claims(raw)
	if e := v.checkTimes(c, now); e != nil {
		return nil, c, e
	}
	if e := checkAudience(is, c); e != nil {
		return nil, c, e
	}
	if v.cache != nil {
		v.cache.add(&ck, c.clone(), is, set.gen) // c itself goes to the caller
	}
	return c, nil, nil
}

// parseHeader decodes the JOSE header and refuses text that is not valid
// UTF-8, critical extensions, key-carrying members, duplicated known
// members and case variants of them. "crit", "jwk", "jku", "x5u" and "x5c"
// are refused whatever their value, null included.
func parseHeader(seg string, h *header) *Error {
	b, err := decodeB64(seg)
	if err != nil {
		return newError(ErrMalformed, errEncoding)
	}
	if !validText(b) {
		return newError(ErrMalformed, errInvalidText)
	}
	var v [hCount][]byte
	switch err := scanObject(b, headerNames[:], v[:], foldRejected); err {
	case nil:
	case errNotObject:
		return newError(ErrMalformed, errHeaderJSON)
	default:
		return newError(ErrMalformed, errHeaderMember)
	}
	if v[hCrit] != nil {
		return newError(ErrMalformed, errCrit)
	}
	if v[hJwk] != nil || v[hJku] != nil || v[hX5u] != nil || v[hX5c] != nil {
		return newError(ErrMalformed, errKeyHeader)
	}
	h.hasKid, h.hasTyp = !isNull(v[hKid]), !isNull(v[hTyp])
	if stringValue(v[hAlg], &h.alg) != nil || stringValue(v[hKid], &h.kid) != nil || stringValue(v[hTyp], &h.typ) != nil {
		return newError(ErrMalformed, errHeaderJSON)
	}
	return nil
}

// verifySignature checks the signature of token (whose second dot is at
// dot2) with method and k.
func verifySignature(method jwt.SigningMethod, k *key, token string, dot2 int) *Error {
	sigSeg := token[dot2+1:]
	if sigSeg == "" {
		return newError(ErrBadSignature, errNoSignature)
	}
	sig, err := decodeB64(sigSeg)
	if err != nil {
		return newError(ErrBadSignature, errEncoding)
	}
	if err := method.Verify(token[:dot2], sig, k.pub); err != nil {
		return newError(ErrBadSignature, nil)
	}
	return nil
}

func decodeB64(seg string) ([]byte, error) {
	buf := make([]byte, b64.DecodedLen(len(seg)))
	n, err := b64.Decode(buf, []byte(seg))
	if err != nil {
		return nil, err
	}
	return buf[:n], nil
}

// checkTimes checks exp (required), nbf, iat and the maximum age.
func (v *Verifier) checkTimes(c *Claims, now time.Time) *Error {
	if c.ExpiresAt.IsZero() {
		return newError(ErrMalformed, errNoExp)
	}
	if !now.Before(c.ExpiresAt.Add(v.leeway)) {
		return newError(ErrExpired, nil)
	}
	if !c.NotBefore.IsZero() && now.Add(v.leeway).Before(c.NotBefore) {
		return newError(ErrNotYetValid, nil)
	}
	if !c.IssuedAt.IsZero() && now.Add(v.leeway).Before(c.IssuedAt) {
		return newError(ErrNotYetValid, errIatFuture)
	}
	if v.maxAge > 0 {
		if c.IssuedAt.IsZero() {
			return newError(ErrMalformed, errNoIat)
		}
		if now.Sub(c.IssuedAt) > v.maxAge+v.leeway {
			return newError(ErrExpired, errTooOld)
		}
	}
	return nil
}

// checkAudience applies the issuer's audience policy.
func checkAudience(is *issuer, c *Claims) *Error {
	if is.cognito {
		if e := checkCognito(c, is.clientIDs); e != nil {
			return e
		}
		return nil
	}
	if is.audiences != nil && !containsAny(c.Audience, is.audiences) {
		return newError(ErrBadAudience, errAudience)
	}
	return nil
}

// tokenSyntax marks the bytes a compact JWS may hold: the base64url
// alphabet and '.'.
var tokenSyntax = func() (t [256]bool) {
	for _, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_." {
		t[c] = true
	}
	return t
}()

func isTokenSyntax(token string) bool {
	for i := 0; i < len(token); i++ {
		if !tokenSyntax[token[i]] {
			return false
		}
	}
	return true
}
