package authtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"hash"
	"math/big"
	"sync"
)

// rsaPoolSize is how many 2048-bit RSA keys the package keeps for reuse.
// Generating one costs tens of milliseconds (far more under -race), and a
// test binary may start hundreds of issuers.
const rsaPoolSize = 8

// rsaPool holds lazily generated RSA keys shared by every Issuer in the test
// binary. It is the package's only shared state: a cache of immutable keys,
// each generated once. Issuers give every key its own random key ID, and an
// issuer never publishes or signs "foreign" tokens with two keys from the
// same slot, so sharing material across issuers cannot make a test pass by
// accident within one issuer.
var rsaPool [rsaPoolSize]struct {
	once sync.Once
	key  *rsa.PrivateKey
	err  error
}

// pooledRSA returns the RSA key in pool slot i (mod the pool size).
func pooledRSA(i int) (*rsa.PrivateKey, error) {
	s := &rsaPool[i%rsaPoolSize]
	s.once.Do(func() { s.key, s.err = rsa.GenerateKey(rand.Reader, 2048) })
	return s.key, s.err
}

// signingKey is one key pair with its JWK identity.
type signingKey struct {
	kid  string
	alg  string // the algorithm the key signs with by default
	priv crypto.Signer
	slot int // RSA pool slot, -1 for other key types
}

// algFamily describes one JWS algorithm.
type algFamily struct {
	kty   string // "RSA", "EC", "OKP"
	pss   bool
	hash  crypto.Hash
	curve elliptic.Curve
	size  int // EC coordinate size in bytes
}

var algorithms = map[string]algFamily{
	"RS256": {kty: "RSA", hash: crypto.SHA256},
	"RS384": {kty: "RSA", hash: crypto.SHA384},
	"RS512": {kty: "RSA", hash: crypto.SHA512},
	"PS256": {kty: "RSA", pss: true, hash: crypto.SHA256},
	"PS384": {kty: "RSA", pss: true, hash: crypto.SHA384},
	"PS512": {kty: "RSA", pss: true, hash: crypto.SHA512},
	"ES256": {kty: "EC", hash: crypto.SHA256, curve: elliptic.P256(), size: 32},
	"ES384": {kty: "EC", hash: crypto.SHA384, curve: elliptic.P384(), size: 48},
	"ES512": {kty: "EC", hash: crypto.SHA512, curve: elliptic.P521(), size: 66},
	"EdDSA": {kty: "OKP"},
}

// newSigningKey makes a key for alg. For RSA it takes pool slot slot.
func newSigningKey(alg string, slot int) (*signingKey, error) {
	fam, ok := algorithms[alg]
	if !ok {
		return nil, fmt.Errorf("authtest: unsupported algorithm %q", alg)
	}
	k := &signingKey{kid: randomKID(), alg: alg, slot: -1}
	var err error
	switch fam.kty {
	case "RSA":
		k.slot = slot % rsaPoolSize
		k.priv, err = pooledRSA(k.slot)
	case "EC":
		k.priv, err = ecdsa.GenerateKey(fam.curve, rand.Reader)
	case "OKP":
		_, k.priv, err = ed25519.GenerateKey(rand.Reader)
	}
	if err != nil {
		return nil, fmt.Errorf("authtest: generating %s key: %w", alg, err)
	}
	return k, nil
}

func randomKID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// canSign reports whether k's key type can produce signatures for alg.
func (k *signingKey) canSign(alg string) bool {
	fam, ok := algorithms[alg]
	if !ok {
		return false
	}
	switch p := k.priv.(type) {
	case *rsa.PrivateKey:
		return fam.kty == "RSA"
	case *ecdsa.PrivateKey:
		return fam.kty == "EC" && p.Curve == fam.curve
	case ed25519.PrivateKey:
		return fam.kty == "OKP"
	}
	return false
}

// sign signs input with k using alg, which k must be able to produce.
func (k *signingKey) sign(alg string, input []byte) ([]byte, error) {
	fam := algorithms[alg]
	switch p := k.priv.(type) {
	case ed25519.PrivateKey:
		return ed25519.Sign(p, input), nil
	case *rsa.PrivateKey:
		digest := digest(fam.hash, input)
		if fam.pss {
			return rsa.SignPSS(rand.Reader, p, fam.hash, digest, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		}
		return rsa.SignPKCS1v15(rand.Reader, p, fam.hash, digest)
	case *ecdsa.PrivateKey:
		r, s, err := ecdsa.Sign(rand.Reader, p, digest(fam.hash, input))
		if err != nil {
			return nil, err
		}
		out := make([]byte, 2*fam.size)
		r.FillBytes(out[:fam.size])
		s.FillBytes(out[fam.size:])
		return out, nil
	}
	return nil, fmt.Errorf("authtest: cannot sign %s", alg)
}

func digest(h crypto.Hash, input []byte) []byte {
	var d hash.Hash
	switch h {
	case crypto.SHA384:
		d = sha512.New384()
	case crypto.SHA512:
		d = sha512.New()
	default:
		d = sha256.New()
	}
	d.Write(input)
	return d.Sum(nil)
}

// hmacSign signs input with an HS256/384/512 algorithm.
func hmacSign(alg string, secret, input []byte) []byte {
	var newHash func() hash.Hash
	switch alg {
	case "HS384":
		newHash = sha512.New384
	case "HS512":
		newHash = sha512.New
	default:
		newHash = sha256.New
	}
	m := hmac.New(newHash, secret)
	m.Write(input)
	return m.Sum(nil)
}

// publicPEM is the PEM encoding of k's public key: the "secret" an
// algorithm-confusion attacker uses with HS256.
func (k *signingKey) publicPEM() []byte {
	der, err := x509.MarshalPKIXPublicKey(k.priv.Public())
	if err != nil {
		return nil
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// jwk is the public JWK of k.
func (k *signingKey) jwk() map[string]any {
	m := map[string]any{"kid": k.kid, "alg": k.alg, "use": "sig"}
	switch p := k.priv.Public().(type) {
	case *rsa.PublicKey:
		m["kty"] = "RSA"
		m["n"] = b64(p.N.Bytes())
		m["e"] = b64(big.NewInt(int64(p.E)).Bytes())
	case *ecdsa.PublicKey:
		fam := algorithms[k.alg]
		m["kty"] = "EC"
		m["crv"] = p.Curve.Params().Name
		// Uncompressed point: 0x04 || X || Y, each fam.size bytes.
		pt, err := p.Bytes()
		if err != nil || len(pt) != 1+2*fam.size {
			return m
		}
		m["x"] = b64(pt[1 : 1+fam.size])
		m["y"] = b64(pt[1+fam.size:])
	case ed25519.PublicKey:
		m["kty"] = "OKP"
		m["crv"] = "Ed25519"
		m["x"] = b64(p)
	}
	return m
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
