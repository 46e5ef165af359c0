package auth

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"strconv"
	"testing"
	"time"
)

// ed25519SmallOrder are the encodings of the points of small order, as
// listed by libsodium (ge25519_has_small_order) and the CCTV Ed25519
// vectors: the eight points, and the six non-canonical spellings (y = p and
// y = p + 1 with either sign, and a set sign bit on the two points with
// x = 0).
var ed25519SmallOrder = []struct{ name, hex string }{
	{"identity", "0100000000000000000000000000000000000000000000000000000000000000"},
	{"identity, sign bit set", "0100000000000000000000000000000000000000000000000000000000000080"},
	{"identity as p+1", "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"},
	{"identity as p+1, sign bit set", "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"},
	{"order 2", "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"},
	{"order 2, sign bit set", "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"},
	{"order 4", "0000000000000000000000000000000000000000000000000000000000000000"},
	{"order 4, other sign", "0000000000000000000000000000000000000000000000000000000000000080"},
	{"order 4 as p", "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"},
	{"order 4 as p, other sign", "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"},
	{"order 8, y8", "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"},
	{"order 8, y8, other sign", "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85"},
	{"order 8, p-y8", "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"},
	{"order 8, p-y8, other sign", "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa"},
}

func TestSmallOrderEd25519KeysSkipped(t *testing.T) {
	for _, tt := range ed25519SmallOrder {
		t.Run(tt.name, func(t *testing.T) {
			x, err := hex.DecodeString(tt.hex)
			if err != nil {
				t.Fatal(err)
			}
			jwk := `{"kty":"OKP","crv":"Ed25519","x":"` + vtB64(x) + `"}`
			if _, err := parseJWK([]byte(jwk)); err == nil {
				t.Fatalf("parseJWK: got a key, want it skipped")
			}
		})
	}
	t.Run("genuine key", func(t *testing.T) {
		jwk := `{"kty":"OKP","crv":"Ed25519","x":"` + vtB64(vtKeys().ed.Public().(ed25519.PublicKey)) + `"}`
		if _, err := parseJWK([]byte(jwk)); err != nil {
			t.Fatalf("parseJWK: %v", err)
		}
	})
}

// TestSmallOrderEd25519Forgery publishes the identity point beside a real
// key: the signature R = identity, S = 0 verifies under the identity for
// any message, so without the check anyone could mint tokens.
func TestSmallOrderEd25519Forgery(t *testing.T) {
	identity, _ := hex.DecodeString(ed25519SmallOrder[0].hex)
	forged := make([]byte, ed25519.SignatureSize)
	copy(forged, identity) // R = identity, S = 0

	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	claims := `{"iss":"` + vtIssA + `","sub":"admin","aud":"` + vtAud + `","exp":` + strconv.FormatInt(now.Add(time.Hour).Unix(), 10) + `}`
	signingInput := vtB64([]byte(`{"alg":"EdDSA","kid":"z1"}`)) + "." + vtB64([]byte(claims))
	if !ed25519.Verify(ed25519.PublicKey(identity), []byte(signingInput), forged) {
		t.Fatal("the forged signature does not verify under the identity key: the test proves nothing")
	}
	token := signingInput + "." + vtB64(forged)

	jwks := `{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"z1","x":"` + vtB64(identity) + `"},` +
		`{"kty":"OKP","crv":"Ed25519","kid":"d1","x":"` + vtB64(vtKeys().ed.Public().(ed25519.PublicKey)) + `"}]}`
	v, err := New(context.Background(), WithIssuerKeys(vtIssA, []byte(jwks)), WithAudience(vtAud),
		WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	_, err = v.Verify(context.Background(), token)
	vtWantErr(t, token, err, ErrUnknownKey)

	only := `{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"z1","x":"` + vtB64(identity) + `"}]}`
	if _, err := New(context.Background(), WithIssuerKeys(vtIssA, []byte(only)), WithAudience(vtAud)); err == nil {
		t.Fatal("New with only a small-order key: got no error, want one")
	}
}
