package auth

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// vtWycheproofDir holds the Wycheproof JWS and JWK vectors (see its README).
const vtWycheproofDir = "../../shared/testdata/wycheproof"

type vtWycheproofFile struct {
	TestGroups []struct {
		Comment string          `json:"comment"`
		Public  json.RawMessage `json:"public"`
		Private json.RawMessage `json:"private"`
		Tests   []struct {
			TcID    int    `json:"tcId"`
			Comment string `json:"comment"`
			JWS     string `json:"jws"`
			Result  string `json:"result"`
		} `json:"tests"`
	} `json:"testGroups"`
}

// vtWycheproofKeys builds the key set the verifier would hold for a vector
// group: a public JWK or JWK Set goes through parseJWKS, as for
// WithIssuerKeys; a group with only a private single "oct" key is an HMAC
// secret, accepted as by WithHMAC (at least 32 bytes). ok is false when
// the verifier's configuration would refuse the keys.
func vtWycheproofKeys(public, private json.RawMessage) (set *keySet, hmac bool, ok bool) {
	if len(public) > 0 {
		doc := public
		if !strings.Contains(string(public), `"keys"`) {
			doc = json.RawMessage(`{"keys":[` + string(public) + `]}`)
		}
		s, err := parseJWKS(doc)
		return s, false, err == nil
	}
	type octJWK struct {
		Kty string  `json:"kty"`
		Alg string  `json:"alg"`
		Use *string `json:"use"`
		K   string  `json:"k"`
	}
	var priv struct {
		Keys []octJWK `json:"keys"`
	}
	if !strings.Contains(string(private), `"keys"`) {
		var one octJWK
		if json.Unmarshal(private, &one) != nil {
			return nil, false, false
		}
		priv.Keys = []octJWK{one}
	} else if json.Unmarshal(private, &priv) != nil {
		return nil, false, false
	}
	if len(priv.Keys) != 1 {
		return nil, false, false // oct keys are never taken from a JWK Set
	}
	// A single secret, as a user would pass it to WithHMAC: only when the
	// JWK says it is an HMAC signing key.
	o := priv.Keys[0]
	if o.Kty != "oct" || (o.Use != nil && *o.Use != "sig") || (o.Alg != "" && !strings.HasPrefix(o.Alg, "HS")) {
		return nil, false, false
	}
	secret, err := b64.DecodeString(o.K)
	if err != nil || len(secret) < minHMACSecret {
		return nil, false, false
	}
	return &keySet{keys: []*key{{pub: secret}}, gen: 1}, true, true
}

// vtVerifyJWS runs the verifier's header, algorithm, key and signature
// steps on a compact JWS (the vectors' payloads are not JWT claims).
func vtVerifyJWS(set *keySet, hmac bool, jws string) error {
	dot1 := strings.IndexByte(jws, '.')
	dot2 := strings.LastIndexByte(jws, '.')
	if dot1 < 0 || dot1 == dot2 || strings.Count(jws, ".") != 2 || len(jws) > maxTokenSize {
		return newError(ErrMalformed, errShape)
	}
	if _, err := decodeB64(jws[dot1+1 : dot2]); err != nil {
		return newError(ErrMalformed, errEncoding)
	}
	var h header
	if e := parseHeader(jws[:dot1], &h); e != nil {
		return e
	}
	allowed := append(append([]string(nil), defaultAlgorithms...), hmacAlgorithms...)
	if !strings.Contains(","+strings.Join(allowed, ",")+",", ","+h.alg+",") {
		return newError(ErrBadAlgorithm, nil)
	}
	hasKid := h.hasKid && !hmac
	kid := ""
	if hasKid {
		kid = h.kid
	}
	k, err := set.lookup(kid, hasKid, h.alg)
	if err != nil {
		return newError(err, nil)
	}
	if e := verifySignature(signingMethod(h.alg), k, jws, dot2); e != nil {
		return e
	}
	return nil
}

func TestWycheproof(t *testing.T) {
	files := []string{"json_web_signature_test.json", "json_web_key_test.json"}
	for _, name := range files {
		raw, err := os.ReadFile(filepath.Join(vtWycheproofDir, name))
		if err != nil {
			t.Fatalf("Wycheproof vectors (the shared conformance data): %v", err)
		}
		var f vtWycheproofFile
		if err := json.Unmarshal(raw, &f); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var rejected, accepted, validRefused int
		for _, g := range f.TestGroups {
			set, hmac, ok := vtWycheproofKeys(g.Public, g.Private)
			validJWS := map[string]bool{}
			for _, tc := range g.Tests {
				if tc.Result == "valid" {
					validJWS[tc.JWS] = true
				}
			}
			for _, tc := range g.Tests {
				if tc.Result == "invalid" && validJWS[tc.JWS] {
					// The file marks the same string, under the same key, both
					// valid and invalid (the padding these vectors describe
					// is absent from their jws): no verdict is testable.
					t.Logf("%s tc %d (%s): contradictory vector skipped", name, tc.TcID, tc.Comment)
					continue
				}
				err := errKeysRefusedAtLoad
				if ok {
					err = vtVerifyJWS(set, hmac, tc.JWS)
				}
				switch {
				case tc.Result == "invalid" && err == nil:
					t.Errorf("%s tc %d (%s, %s): invalid vector accepted", name, tc.TcID, g.Comment, tc.Comment)
				case tc.Result == "invalid":
					rejected++
				case err == nil:
					accepted++
				default:
					// Valid vectors the API refuses by design: "oct" keys in a
					// JWK Set, HMAC secrets under 32 bytes, non-canonical base64.
					validRefused++
					t.Logf("%s tc %d (%s, %s): valid vector refused: %v", name, tc.TcID, g.Comment, tc.Comment, err)
				}
			}
		}
		t.Logf("%s: %d invalid rejected, %d valid accepted, %d valid refused by policy", name, rejected, accepted, validRefused)
		if accepted == 0 {
			t.Errorf("%s: no valid vector accepted; the harness is broken", name)
		}
	}
}

var errKeysRefusedAtLoad error = newError(ErrUnknownKey, nil)
