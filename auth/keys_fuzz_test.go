package auth

import (
	"crypto/ed25519"
	"encoding/hex"
	"testing"
)

// FuzzParseJWKS checks that a JWK Set document from the network never
// panics the parser, and that every key it keeps is usable: a public key of
// a supported type, never an Ed25519 point of small order, and fitting its
// own alg when it names one.
func FuzzParseJWKS(f *testing.F) {
	k := vtKeys()
	f.Add(vtJWKS(vtJWK("a1", "RS256", &k.rsaA.PublicKey), vtJWK("e1", "ES256", &k.ec256.PublicKey), vtJWK("d1", "", k.ed.Public())))
	for _, so := range ed25519SmallOrder[:4] {
		x, _ := hex.DecodeString(so.hex)
		f.Add([]byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"` + vtB64(x) + `"}]}`))
	}
	f.Add([]byte(`{"keys":[{"kty":"oct","k":"c2VjcmV0"},{"kty":"EC","crv":"P-256","x":"","y":""}]}`))
	f.Add([]byte(`{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB","kid":"\ud800"}]}`))
	f.Add([]byte(`{"keys":null}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		set, err := parseJWKS(doc)
		if err != nil {
			return
		}
		if len(set.keys) == 0 {
			t.Fatal("a set without keys was accepted")
		}
		for _, key := range set.keys {
			switch p := key.pub.(type) {
			case ed25519.PublicKey:
				if smallOrderEd25519(p) {
					t.Fatalf("kept a small-order Ed25519 key %x", []byte(p))
				}
			case nil, []byte:
				t.Fatalf("kept a key of type %T", p)
			}
			if key.alg != "" && !key.fits(key.alg) {
				t.Fatalf("kept a key that does not fit its alg %q", key.alg)
			}
		}
	})
}
