package auth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"slices"

	"github.com/golang-jwt/jwt/v5"
)

// RSA key sizes accepted from a JWK Set. Keys outside the range are skipped
// when the set is loaded (the rest of the set stays usable).
const (
	minRSABits = 2048
	maxRSABits = 8192
)

// minHMACSecret is the shortest secret WithHMAC accepts (RFC 7518 §3.2:
// a key at least as long as the hash output; 32 bytes suits HS256 and is
// the floor for all three).
const minHMACSecret = 32

// b64 decodes base64url without padding, strictly (no non-zero trailing
// bits), so each value has exactly one encoding.
var b64 = base64.RawURLEncoding.Strict()

// key is one verification key, parsed once when its set is loaded.
type key struct {
	kid string
	alg string           // the JWK "alg", "" when absent: the header alg must equal it when set
	pub crypto.PublicKey // *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey, or []byte (HMAC secret)
}

// fits reports whether alg can be used with k: the algorithm family matches
// the key type and, for ECDSA and EdDSA, the curve; and the JWK's own alg,
// when present, is the same.
func (k *key) fits(alg string) bool {
	if k.alg != "" && k.alg != alg {
		return false
	}
	switch p := k.pub.(type) {
	case *rsa.PublicKey:
		switch alg {
		case "RS256", "RS384", "RS512", "PS256", "PS384", "PS512":
			return true
		}
	case *ecdsa.PublicKey:
		switch alg {
		case "ES256":
			return p.Curve == elliptic.P256()
		case "ES384":
			return p.Curve == elliptic.P384()
		case "ES512":
			return p.Curve == elliptic.P521()
		}
	case ed25519.PublicKey:
		return alg == "EdDSA"
	case []byte:
		// RFC 7518 §3.2: the secret is at least as long as the hash output.
		switch alg {
		case "HS256":
			return len(p) >= 32
		case "HS384":
			return len(p) >= 48
		case "HS512":
			return len(p) >= 64
		}
	}
	return false
}

// signingMethod returns the verifier for alg, or nil for an algorithm this
// package does not support. RSASSA-PSS is strict: the salt must be as long
// as the hash (RFC 7518 §3.5), where golang-jwt's PS* accept any length.
func signingMethod(alg string) jwt.SigningMethod {
	var pss *jwt.SigningMethodRSAPSS
	switch alg {
	case "PS256":
		pss = jwt.SigningMethodPS256
	case "PS384":
		pss = jwt.SigningMethodPS384
	case "PS512":
		pss = jwt.SigningMethodPS512
	case "none", "":
		return nil
	default:
		return jwt.GetSigningMethod(alg)
	}
	strict := &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: pss.Hash}
	return &jwt.SigningMethodRSAPSS{SigningMethodRSA: pss.SigningMethodRSA, Options: strict, VerifyOptions: strict}
}

// keySet is an immutable set of keys. A new set replaces the old one on
// refresh; readers never see a set change under them.
type keySet struct {
	keys    []*key
	gen     uint64   // generation: changes whenever the content changes
	digest  [32]byte // content digest, to detect an unchanged refresh
	skipped int      // keys in the document that were not usable
}

// lookup picks the key for a token. With a kid, the key with that kid (the
// first that fits alg when several share it); without one, the only key
// that fits alg. It returns ErrUnknownKey when nothing matches by kid or
// the kid-less choice is ambiguous, and ErrBadAlgorithm when the kid
// names a key that does not fit alg.
func (s *keySet) lookup(kid string, hasKid bool, alg string) (*key, error) {
	if s == nil {
		return nil, ErrUnknownKey
	}
	if hasKid {
		found := false
		for _, k := range s.keys {
			if k.kid != kid {
				continue
			}
			found = true
			if k.fits(alg) {
				return k, nil
			}
		}
		if found {
			return nil, ErrBadAlgorithm
		}
		return nil, ErrUnknownKey
	}
	var only *key
	for _, k := range s.keys {
		if !k.fits(alg) {
			continue
		}
		if only != nil {
			return nil, ErrUnknownKey // ambiguous: the token must name its key
		}
		only = k
	}
	if only == nil {
		return nil, ErrUnknownKey
	}
	return only, nil
}

// jwk is the wire form of one JSON Web Key (RFC 7517), public members only.
type jwk struct {
	kty, alg, n, e, crv, x, y string
	kid, use                  *string
	keyOps                    []string // nil when absent
}

// Indexes into jwkNames.
const (
	jKty = iota
	jKid
	jUse
	jKeyOps
	jAlg
	jN
	jE
	jCrv
	jX
	jY
	jCount
)

// jwkNames are the JWK members the verifier reads. They are matched
// exactly; a JWK with one of them twice, or with a member equal to one of
// them only under case folding ("USE", "Kid"), is ambiguous and skipped.
var jwkNames = [jCount]string{
	jKty: "kty", jKid: "kid", jUse: "use", jKeyOps: "key_ops", jAlg: "alg",
	jN: "n", jE: "e", jCrv: "crv", jX: "x", jY: "y",
}

// decode reads the JWK object raw.
func (j *jwk) decode(raw []byte) error {
	var v [jCount][]byte
	if err := scanObject(raw, jwkNames[:], v[:], foldRejected); err != nil {
		return err
	}
	for _, s := range []struct {
		i   int
		dst *string
	}{{jKty, &j.kty}, {jAlg, &j.alg}, {jN, &j.n}, {jE, &j.e}, {jCrv, &j.crv}, {jX, &j.x}, {jY, &j.y}} {
		if err := stringValue(v[s.i], s.dst); err != nil {
			return err
		}
	}
	for _, s := range []struct {
		i   int
		dst **string
	}{{jKid, &j.kid}, {jUse, &j.use}} {
		if isNull(v[s.i]) {
			continue
		}
		var str string
		if err := stringValue(v[s.i], &str); err != nil {
			return err
		}
		*s.dst = &str
	}
	if !isNull(v[jKeyOps]) {
		ops, err := stringArray(v[jKeyOps])
		if err != nil {
			return err
		}
		j.keyOps = ops
	}
	return nil
}

var (
	errJWKSDocument = errors.New("the JWK Set is not a JSON object with a keys array")
	errNoUsableKeys = errors.New("the JWK Set has no usable signing key")
	errBadJWK       = errors.New("unusable JWK")
)

// parseJWKS parses a JWK Set document. Keys that cannot be used for
// signature verification (wrong use or key_ops, symmetric "oct" keys,
// unknown kty or curve, RSA outside 2048..8192 bits, invalid points,
// Ed25519 points of small order, a JWK alg that does not fit the key) are
// skipped and counted; the set is an error only when the document is
// malformed or no key is usable.
func parseJWKS(doc []byte) (*keySet, error) {
	var v [1][]byte
	if scanObject(doc, []string{"keys"}, v[:], foldRejected) != nil || isNull(v[0]) {
		return nil, errJWKSDocument
	}
	ks := &keySet{}
	err := forEachElement(v[0], func(raw []byte) error {
		k, err := parseJWK(raw)
		if err != nil {
			ks.skipped++
			return nil
		}
		ks.keys = append(ks.keys, k)
		return nil
	})
	if err != nil {
		return nil, errJWKSDocument
	}
	if len(ks.keys) == 0 {
		return nil, fmt.Errorf("%w (%d unusable keys skipped)", errNoUsableKeys, ks.skipped)
	}
	return ks, nil
}

// parseJWK parses one public JWK for signature verification.
func parseJWK(raw []byte) (*key, error) {
	var j jwk
	if err := j.decode(raw); err != nil {
		return nil, errBadJWK
	}
	if j.use != nil && *j.use != "sig" {
		return nil, errBadJWK
	}
	if j.keyOps != nil && !slices.Contains(j.keyOps, "verify") {
		return nil, errBadJWK
	}
	k := &key{alg: j.alg}
	if j.kid != nil {
		k.kid = *j.kid
	}
	switch j.kty {
	case "RSA":
		pub, err := rsaKey(j.n, j.e)
		if err != nil {
			return nil, err
		}
		k.pub = pub
	case "EC":
		pub, err := ecKey(j.crv, j.x, j.y)
		if err != nil {
			return nil, err
		}
		k.pub = pub
	case "OKP":
		if j.crv != "Ed25519" {
			return nil, errBadJWK
		}
		x, err := b64.DecodeString(j.x)
		if err != nil || len(x) != ed25519.PublicKeySize || smallOrderEd25519(x) {
			return nil, errBadJWK
		}
		k.pub = ed25519.PublicKey(x)
	default:
		// "oct" keys are never taken from a JWK Set: HMAC needs WithHMAC.
		return nil, errBadJWK
	}
	if k.alg != "" && !k.fits(k.alg) {
		return nil, errBadJWK
	}
	return k, nil
}

func rsaKey(n64, e64 string) (*rsa.PublicKey, error) {
	nb, err := b64.DecodeString(n64)
	if err != nil || len(nb) == 0 || nb[0] == 0 {
		// RFC 7518 §6.3.1.1: n has no leading zero octets.
		return nil, errBadJWK
	}
	eb, err := b64.DecodeString(e64)
	if err != nil || len(eb) == 0 || len(eb) > 4 || eb[0] == 0 {
		return nil, errBadJWK
	}
	n := new(big.Int).SetBytes(nb)
	if bits := n.BitLen(); bits < minRSABits || bits > maxRSABits || n.Bit(0) == 0 {
		return nil, errBadJWK
	}
	if rocaFingerprint(n) {
		return nil, errBadJWK
	}
	e := 0
	for _, b := range eb {
		e = e<<8 | int(b)
	}
	if e < 3 || e&1 == 0 || e > 1<<31-1 {
		return nil, errBadJWK
	}
	return &rsa.PublicKey{N: n, E: e}, nil
}

func ecKey(crv, x64, y64 string) (*ecdsa.PublicKey, error) {
	var curve elliptic.Curve
	switch crv {
	case "P-256":
		curve = elliptic.P256()
	case "P-384":
		curve = elliptic.P384()
	case "P-521":
		curve = elliptic.P521()
	default:
		return nil, errBadJWK
	}
	size := (curve.Params().BitSize + 7) / 8
	x, errX := b64.DecodeString(x64)
	y, errY := b64.DecodeString(y64)
	if errX != nil || errY != nil || len(x) != size || len(y) != size {
		return nil, errBadJWK
	}
	point := make([]byte, 0, 1+2*size)
	point = append(point, 4)
	point = append(point, x...)
	point = append(point, y...)
	// ParseUncompressedPublicKey rejects points not on the curve, the point
	// at infinity and out-of-range coordinates.
	pub, err := ecdsa.ParseUncompressedPublicKey(curve, point)
	if err != nil {
		return nil, errBadJWK
	}
	return pub, nil
}

// ed25519P is the field prime of Ed25519, 2^255 - 19.
var ed25519P = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))

// ed25519SmallOrderY are the y coordinates, reduced mod p, of the eight
// points of small order: 1 (the identity), p-1 (order 2), 0 (the two of
// order 4) and y8 and p-y8 (the four of order 8, each y with both signs of
// x). y8 is libsodium's 0x05fc536d...8f95e826.
var ed25519SmallOrderY = func() []*big.Int {
	y8, _ := new(big.Int).SetString("05fc536d880238b13933c6d305acdfd5f098eff289f4c345b027b2c28f95e826", 16)
	return []*big.Int{
		big.NewInt(0),
		big.NewInt(1),
		new(big.Int).Sub(ed25519P, big.NewInt(1)),
		y8,
		new(big.Int).Sub(ed25519P, y8),
	}
}()

// smallOrderEd25519 reports whether the encoded Ed25519 public key x is a
// point of small order, in any of its encodings: either sign bit, and y
// written as itself or, where it fits in 255 bits, as y + p. With such a
// key, the signature R = identity, S = 0 verifies for many (with the
// identity: all) messages, so anyone can forge tokens. Honest keys are
// never of small order.
func smallOrderEd25519(x []byte) bool {
	var be [32]byte
	for i, b := range x {
		be[31-i] = b
	}
	be[0] &= 0x7f // the sign of x
	y := new(big.Int).SetBytes(be[:])
	y.Mod(y, ed25519P)
	for _, s := range ed25519SmallOrderY {
		if y.Cmp(s) == 0 {
			return true
		}
	}
	return false
}

// rocaPrimes are the small primes of the ROCA fingerprint (CVE-2017-15361).
var rocaPrimes = [...]int64{3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167}

// rocaFingerprint reports whether n has the structure of a modulus made by
// the vulnerable Infineon library: for every small prime p, n mod p lies in
// the subgroup generated by 65537 mod p. A random modulus passes all 38
// tests with negligible probability.
func rocaFingerprint(n *big.Int) bool {
	var m big.Int
	for _, p := range rocaPrimes {
		r := m.Mod(n, big.NewInt(p)).Int64()
		g := 65537 % p
		x, found := int64(1), false
		for range p {
			if x == r {
				found = true
				break
			}
			x = x * g % p
		}
		if !found {
			return false
		}
	}
	return true
}
