package authbench

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/fnshield/fnshield/auth/authtest"
)

// token is one parity input: a token and whether a correct verifier
// accepts it under the shared policy.
type token struct {
	name  string
	value string
	valid bool
}

// withClaims returns Claims with the given members replaced.
func withClaims(extra map[string]any) map[string]any {
	c := Claims()
	maps.Copy(c, extra)
	return c
}

// parityTokens returns the tokens every verifier must agree on: the
// benchmark's valid token and the usual ways a token is wrong.
func parityTokens(iss *authtest.Issuer) []token {
	now := time.Now()
	mint := func(o authtest.MintOptions) string {
		if o.Claims == nil && o.Payload == nil {
			o.Claims = Claims()
		}
		return iss.MintWith(o)
	}
	return []token{
		{"valid", iss.Mint(Claims()), true},
		{"valid_audience_array", iss.Mint(withClaims(map[string]any{"aud": []string{"other", Audience}})), true},
		{"valid_within_leeway", iss.Mint(withClaims(map[string]any{"exp": now.Add(-10 * time.Second)})), true},
		{"expired", iss.Mint(withClaims(map[string]any{"iat": now.Add(-2 * time.Hour), "exp": now.Add(-time.Hour)})), false},
		{"not_yet_valid", iss.Mint(withClaims(map[string]any{"nbf": now.Add(time.Hour), "exp": now.Add(2 * time.Hour)})), false},
		{"wrong_audience", iss.Mint(withClaims(map[string]any{"aud": "billing-api"})), false},
		{"no_audience", iss.Mint(withClaims(map[string]any{"aud": authtest.Omit})), false},
		{"wrong_issuer", iss.Mint(withClaims(map[string]any{"iss": "https://attacker.example.com"})), false},
		{"garbled_signature", mint(authtest.MintOptions{Signature: authtest.SignatureGarbled}), false},
		{"stripped_signature", mint(authtest.MintOptions{Signature: authtest.SignatureStripped}), false},
		{"foreign_key_same_kid", mint(authtest.MintOptions{ForeignKey: true}), false},
		{"alg_none", mint(authtest.MintOptions{Algorithm: "none"}), false},
		{"alg_confusion_hs256", mint(authtest.MintOptions{Algorithm: "HS256"}), false},
		{"payload_not_json", mint(authtest.MintOptions{Payload: []byte(`{"sub":`)}), false},
		{"exp_not_a_number", iss.Mint(withClaims(map[string]any{"exp": "tomorrow"})), false},
		{"two_segments", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0", false},
		{"not_a_jwt", "not-a-token", false},
		{"empty", "", false},
	}
}

// TestParity checks that fnshield and every peer give the same verdict
// on each token, for each algorithm and both fnshield configurations
// benchmarked (token cache off and on). Each token is verified twice so
// that the cache's second answer is checked too.
func TestParity(t *testing.T) {
	for _, alg := range Algorithms {
		for _, cache := range []int{0, 1024} {
			s, err := NewSetup(alg, cache)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(s.Close)
			for _, tok := range parityTokens(s.Issuer) {
				for _, impl := range s.Impls {
					for round := range 2 {
						err := impl.Verify(context.Background(), tok.value)
						if got := err == nil; got != tok.valid {
							t.Errorf("%s cache=%d %s round %d: %s accepted=%v, want %v (err: %v)",
								alg, cache, tok.name, round, impl.Name, got, tok.valid, err)
						}
					}
				}
			}
		}
	}
}

// TestParityDifferences pins what the shared policy leaves out of
// TestParity: a token without exp, which fnshield and most peers reject
// (exp is required) and auth0's validator accepts, as it treats exp as
// optional and offers no setting to require it. If a peer changes here,
// the note in RESULTS.md must change with it.
func TestParityDifferences(t *testing.T) {
	s, err := NewSetup("RS256", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	noExp := s.Issuer.Mint(withClaims(map[string]any{"exp": authtest.Omit}))
	for _, impl := range s.Impls {
		err := impl.Verify(context.Background(), noExp)
		wantAccept := impl.Name == Auth0
		if got := err == nil; got != wantAccept {
			t.Errorf("token without exp: %s accepted=%v, want %v (err: %v)", impl.Name, got, wantAccept, err)
		}
	}
}

// BenchmarkAuth verifies a typical access token with each verifier.
//
// fresh: fnshield's token cache is off, so every call pays the signature
// check, as a first-seen token does. repeated: the cache is on (its default
// size) and the same token comes back, as it does from one client. The
// peers have no token cache: they pay the signature check in both.
func BenchmarkAuth(b *testing.B) {
	for _, alg := range Algorithms {
		for _, mode := range []struct {
			name  string
			cache int
		}{{"fresh", 0}, {"repeated", 1024}} {
			s, err := NewSetup(alg, mode.cache)
			if err != nil {
				b.Fatal(err)
			}
			tok := s.Issuer.Mint(Claims())
			for _, impl := range s.Impls {
				b.Run(alg+"/"+mode.name+"/"+impl.Name, func(b *testing.B) {
					ctx := context.Background()
					if err := impl.Verify(ctx, tok); err != nil {
						b.Fatalf("%s rejects the benchmark token: %v", impl.Name, err)
					}
					b.ReportAllocs()
					b.SetBytes(int64(len(tok)))
					for b.Loop() {
						if err := impl.Verify(ctx, tok); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
			s.Close()
		}
	}
}
