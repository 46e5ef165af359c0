package authtest

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"time"
)

// omitted is the type of Omit.
type omitted string

// Omit, as a claim or header value, removes that member from the token,
// including the ones Mint fills in by default:
//
//	iss.Mint(map[string]any{"exp": authtest.Omit}) // a token without exp
const Omit = omitted("authtest.Omit")

// DefaultLifetime is how far after iat Mint sets exp when the caller does
// not.
const DefaultLifetime = 5 * time.Minute

// Signature selects how MintWith signs a token.
type Signature int

const (
	// SignatureValid is a correct signature (the default).
	SignatureValid Signature = iota
	// SignatureStripped leaves the signature empty: "header.payload.".
	SignatureStripped
	// SignatureGarbled is a valid signature with its bits flipped.
	SignatureGarbled
)

// MintOptions describes a token for [Issuer.MintWith], which can also make
// the malformed and hostile tokens a verifier must reject. The zero value
// mints the same token as Mint(nil).
type MintOptions struct {
	// Claims are the payload claims; iss, aud, iat and exp are filled in as
	// for [Issuer.Mint].
	Claims map[string]any
	// Payload, when non-nil, is used verbatim as the payload (before
	// base64url encoding) instead of Claims, with no defaults: for
	// malformed JSON and wrong claim types.
	Payload []byte
	// Algorithm overrides the alg header. "none" produces an unsigned token
	// ("header.payload."). HS256, HS384 and HS512 sign with HMACKey or, when
	// HMACKey is nil, with the PEM public key of the signer (the classic
	// algorithm-confusion attack). An algorithm the signing key can produce
	// (RS384 with an RSA key, say) signs with that algorithm; any other
	// value is written to the header while the key signs with its own
	// algorithm. Empty means the issuer's algorithm.
	Algorithm string
	// HMACKey is the secret for HS256/384/512.
	HMACKey []byte
	// KeyID overrides the kid header; NoKeyID removes it.
	KeyID   string
	NoKeyID bool
	// Header adds or replaces header members (typ, crit, jku, jwk, x5u...);
	// a value of Omit removes one (Omit for "typ" removes the default
	// typ "JWT").
	Header map[string]any
	// ForeignKey signs with a fresh key of the issuer's type that is not
	// published, under the signer's kid unless KeyID says otherwise.
	ForeignKey bool
	// Signature selects a stripped or garbled signature.
	Signature Signature
}

// Mint returns a token signed by the current key with the issuer's
// algorithm, carrying claims plus, unless claims sets them (or sets them to
// Omit), iss = [Issuer.URL], aud = [Issuer.Audience], iat = now and
// exp = now + DefaultLifetime, as Unix seconds. The header has alg, typ "JWT" and kid. Claim values are
// encoded with encoding/json; time.Time values become Unix seconds.
//
// A claim that cannot be encoded fails the test (panics for an Issuer made
// by New) and Mint returns "".
func (iss *Issuer) Mint(claims map[string]any) string {
	return iss.MintWith(MintOptions{Claims: claims})
}

// MintWith returns a token described by o. See [MintOptions].
func (iss *Issuer) MintWith(o MintOptions) string {
	tok, err := iss.mint(o)
	if err != nil {
		if iss.tb != nil {
			iss.tb.Helper()
		}
		iss.fail("authtest: " + err.Error())
		return ""
	}
	return tok
}

func (iss *Issuer) mint(o MintOptions) (string, error) {
	iss.mu.Lock()
	key := iss.signer
	published := append([]*signingKey(nil), iss.published...)
	iss.mu.Unlock()

	kid := key.kid
	if o.ForeignKey {
		fk, err := iss.foreignKey(published)
		if err != nil {
			return "", err
		}
		key = fk
	}
	if o.KeyID != "" {
		kid = o.KeyID
	}

	alg := iss.alg
	if o.Algorithm != "" {
		alg = o.Algorithm
	}
	header := map[string]any{"alg": alg, "typ": "JWT", "kid": kid}
	if o.NoKeyID {
		delete(header, "kid")
	}
	merge(header, o.Header)
	hb, err := json.Marshal(header)
	if err != nil {
		return "", fmt.Errorf("encoding header: %w", err)
	}

	payload := o.Payload
	if payload == nil {
		claims := map[string]any{}
		now := iss.now()
		claims["iss"] = iss.url
		claims["aud"] = iss.aud
		claims["iat"] = now.Unix()
		claims["exp"] = now.Add(DefaultLifetime).Unix()
		merge(claims, o.Claims)
		for k, v := range claims {
			if t, ok := v.(time.Time); ok {
				claims[k] = t.Unix()
			}
		}
		payload, err = json.Marshal(claims)
		if err != nil {
			return "", fmt.Errorf("encoding claims: %w", err)
		}
	}

	input := b64(hb) + "." + b64(payload)
	var sig []byte
	switch {
	case alg == "none":
	case alg == "HS256" || alg == "HS384" || alg == "HS512":
		secret := o.HMACKey
		if secret == nil {
			secret = key.publicPEM()
		}
		sig = hmacSign(alg, secret, []byte(input))
	default:
		signAlg := alg
		if !key.canSign(alg) {
			signAlg = key.alg
		}
		sig, err = key.sign(signAlg, []byte(input))
		if err != nil {
			return "", fmt.Errorf("signing: %w", err)
		}
	}
	switch o.Signature {
	case SignatureStripped:
		sig = nil
	case SignatureGarbled:
		if len(sig) == 0 {
			sig = []byte{0}
		}
		for i := range sig {
			sig[i] ^= 0x5a
		}
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// foreignKey returns a key of the issuer's type whose material is not among
// published.
func (iss *Issuer) foreignKey(published []*signingKey) (*signingKey, error) {
	k, err := iss.newKey()
	if err != nil {
		return nil, err
	}
	if _, ok := k.priv.(*rsa.PrivateKey); !ok {
		return k, nil // EC and Ed25519 keys are always fresh.
	}
	for tries := 0; tries < rsaPoolSize; tries++ {
		if !usesSlot(published, k.slot) {
			return k, nil
		}
		if k, err = iss.newKey(); err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("no unpublished RSA key left in the pool (%d keys published)", len(published))
}

func usesSlot(keys []*signingKey, slot int) bool {
	for _, k := range keys {
		if k.slot == slot {
			return true
		}
	}
	return false
}

// merge copies src into dst, deleting the members whose value is Omit.
func merge(dst, src map[string]any) {
	maps.Copy(dst, src)
	for k, v := range src {
		if v == Omit {
			delete(dst, k)
		}
	}
}
