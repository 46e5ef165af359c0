package auth

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestScanObject(t *testing.T) {
	names := []string{"a", "bb", "kid"}
	tests := []struct {
		name   string
		doc    string
		policy memberPolicy
		want   []string // raw values of names; "" for absent
		err    error
	}{
		{"members in any order", `{"kid":"k","a":1,"bb":[1,2]}`, foldIgnored, []string{`1`, `[1,2]`, `"k"`}, nil},
		{"whitespace everywhere", " {\n\t\"a\" :\r\n true , \"bb\" : null }\n", foldIgnored, []string{`true`, `null`, ``}, nil},
		{"empty object", `{}`, foldIgnored, []string{``, ``, ``}, nil},
		{"nested members are not read", `{"x":{"a":1,"kid":"nested"},"y":["a","}"],"bb":2}`, foldIgnored, []string{``, `2`, ``}, nil},
		{"strings with quotes and braces", `{"x":"\"}{][","a":"\\"}`, foldIgnored, []string{`"\\"`, ``, ``}, nil},
		{"escaped name matches exactly", `{"\u0061":5}`, foldIgnored, []string{`5`, ``, ``}, nil},
		{"case variant ignored", `{"A":1,"KID":"x","Bb":2}`, foldIgnored, []string{``, ``, ``}, nil},
		{"case variant beside the member", `{"a":1,"A":2}`, foldIgnored, []string{`1`, ``, ``}, nil},
		{"case variant rejected", `{"a":1,"A":2}`, foldRejected, nil, errFoldedMember},
		{"Kelvin sign kid rejected", `{"` + "\u212a" + `id":"x"}`, foldRejected, nil, errFoldedMember},
		{"escaped Kelvin sign kid rejected", `{"\u212aid":"x"}`, foldRejected, nil, errFoldedMember},
		{"Kelvin sign kid ignored", `{"` + "\u212a" + `id":"x"}`, foldIgnored, []string{``, ``, ``}, nil},
		{"duplicate", `{"a":1,"a":2}`, foldIgnored, nil, errDuplicateMember},
		{"duplicate via escape", `{"kid":"x","k\u0069d":"y"}`, foldIgnored, nil, errDuplicateMember},
		{"duplicate null", `{"a":null,"a":null}`, foldIgnored, nil, errDuplicateMember},
		{"unknown duplicates allowed", `{"x":1,"x":2,"a":3}`, foldRejected, []string{`3`, ``, ``}, nil},
		{"array", `[{"a":1}]`, foldIgnored, nil, errNotObject},
		{"string", `"a"`, foldIgnored, nil, errNotObject},
		{"null", `null`, foldIgnored, nil, errNotObject},
		{"trailing garbage", `{"a":1}x`, foldIgnored, nil, errNotObject},
		{"truncated", `{"a":1`, foldIgnored, nil, errNotObject},
		{"empty", ``, foldIgnored, nil, errNotObject},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vals := make([][]byte, len(names))
			err := scanObject([]byte(tt.doc), names, vals, tt.policy)
			if !errors.Is(err, tt.err) {
				t.Fatalf("error: got %v, want %v", err, tt.err)
			}
			if tt.err != nil {
				return
			}
			for i, v := range vals {
				if string(v) != tt.want[i] {
					t.Errorf("%s: got %q, want %q", names[i], v, tt.want[i])
				}
			}
		})
	}
}

func TestStringArray(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string
		wantErr bool
	}{
		{"empty", `[]`, []string{}, false},
		{"spaced empty", `[ ]`, []string{}, false},
		{"strings", `[ "a" , "b\"c" ,"\u00e9"]`, []string{"a", `b"c`, "é"}, false},
		{"null element", `["a",null]`, []string{"a", ""}, false},
		{"invalid UTF-8 is refused, not read as U+FFFD", "[\"a\xffb\"]", nil, true},
		{"lone surrogate is refused", `["\udbff"]`, nil, true},
		{"U+FFFD itself", `["\ufffd"]`, []string{"\ufffd"}, false},
		{"number element", `["a",1]`, nil, true},
		{"nested array", `[["a"]]`, nil, true},
		{"not an array", `"a"`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := stringArray([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("error: got %v, want error %v", err, tt.wantErr)
			}
			if !tt.wantErr && !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

// vtSignRaw signs the exact header and payload JSON with RS256 and RSA key
// A, so that tests can send members encoding/json would never produce
// (duplicates, case variants).
func vtSignRaw(t testing.TB, header, payload string) string {
	t.Helper()
	input := vtB64([]byte(header)) + "." + vtB64([]byte(payload))
	sig, err := jwt.SigningMethodRS256.Sign(input, vtKeys().rsaA)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return input + "." + vtB64(sig)
}

// vtRawCase is a token signed from an exact header and payload (see
// vtSignRaw), with the Verify error and, when it verifies, the scopes
// expected.
type vtRawCase struct {
	name       string
	header     string
	payload    string
	want       error
	wantScopes []string
}

// vtVerifyRaw verifies each case's token with v.
func vtVerifyRaw(t *testing.T, v *Verifier, tests []vtRawCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := vtSignRaw(t, tt.header, tt.payload)
			c, err := v.Verify(context.Background(), tok)
			vtWantErr(t, tok, err, tt.want)
			if tt.want != nil {
				return
			}
			if !reflect.DeepEqual(c.Scopes, tt.wantScopes) {
				t.Fatalf("scopes: got %q, want %q", c.Scopes, tt.wantScopes)
			}
		})
	}
}

// TestVerifyExactMemberNames pins the reading of signed tokens whose
// header or payload carry case variants or duplicates of registered
// members: exactly what RFC 7519 names, as other JWT libraries read it.
func TestVerifyExactMemberNames(t *testing.T) {
	clock := newVTClock()
	now := clock.now()
	exp := now.Add(10 * time.Minute).Unix()
	past := now.Add(-time.Hour).Unix()
	// payload builds a valid payload JSON with extra members appended
	// verbatim.
	payload := func(extra string) string {
		return `{"iss":"` + vtIssA + `","sub":"user-1","aud":"` + vtAud + `","exp":` + strconv.FormatInt(exp, 10) + extra + `}`
	}
	hdr := `{"alg":"RS256","kid":"a1"`
	tests := []vtRawCase{
		{"plain", hdr + `}`, payload(`,"scope":"read"`), nil, []string{"read"}},
		{"Scope does not override scope", hdr + `}`, payload(`,"scope":"read","Scope":"admin"`), nil, []string{"read"}},
		{"SCOPE alone is no scope", hdr + `}`, payload(`,"SCOPE":"admin"`), nil, nil},
		{"long-s scope is no scope", hdr + `}`, payload(`,"` + "\u017f" + `cope":"admin"`), nil, nil},
		{"SCP alone is no scope", hdr + `}`, payload(`,"SCP":["admin"]`), nil, nil},
		{"escaped exact scope is scope", hdr + `}`, payload(`,"sc\u006fpe":"read"`), nil, []string{"read"}},
		{"AUD does not add an audience", hdr + `}`,
			`{"iss":"` + vtIssA + `","aud":"other","AUD":"` + vtAud + `","exp":` + strconv.FormatInt(exp, 10) + `}`, ErrBadAudience, nil},
		{"Aud alone is no audience", hdr + `}`,
			`{"iss":"` + vtIssA + `","Aud":"` + vtAud + `","exp":` + strconv.FormatInt(exp, 10) + `}`, ErrBadAudience, nil},
		{"EXP is not exp", hdr + `}`,
			`{"iss":"` + vtIssA + `","aud":"` + vtAud + `","EXP":` + strconv.FormatInt(exp, 10) + `}`, ErrMalformed, nil},
		{"Exp does not extend exp", hdr + `}`,
			`{"iss":"` + vtIssA + `","aud":"` + vtAud + `","exp":` + strconv.FormatInt(past, 10) + `,"Exp":` + strconv.FormatInt(exp, 10) + `}`, ErrExpired, nil},
		{"ISS is not iss", hdr + `}`,
			`{"ISS":"` + vtIssA + `","aud":"` + vtAud + `","exp":` + strconv.FormatInt(exp, 10) + `}`, ErrBadIssuer, nil},
		{"Iss does not replace iss", hdr + `}`,
			`{"iss":"https://evil.example.com","Iss":"` + vtIssA + `","aud":"` + vtAud + `","exp":` + strconv.FormatInt(exp, 10) + `}`, ErrBadIssuer, nil},
		{"duplicate iss", hdr + `}`, payload(`,"iss":"https://evil.example.com"`), ErrMalformed, nil},
		{"duplicate exp", hdr + `}`, payload(`,"exp":` + strconv.FormatInt(exp+1, 10)), ErrMalformed, nil},
		{"duplicate scope", hdr + `}`, payload(`,"scope":"read","scope":"admin"`), ErrMalformed, nil},
		{"duplicate scope via escape", hdr + `}`, payload(`,"scope":"read","\u0073cope":"admin"`), ErrMalformed, nil},
		{"duplicate custom claim", hdr + `}`, payload(`,"tenant":"a","tenant":"b"`), nil, nil},
		{"ALG beside alg", hdr + `,"ALG":"none"}`, payload(``), ErrMalformed, nil},
		{"Alg alone", `{"Alg":"RS256","kid":"a1"}`, payload(``), ErrMalformed, nil},
		{"duplicate alg", hdr + `,"alg":"RS256"}`, payload(``), ErrMalformed, nil},
		{"duplicate kid", hdr + `,"kid":"e1"}`, payload(``), ErrMalformed, nil},
		{"KID beside kid", hdr + `,"KID":"e1"}`, payload(``), ErrMalformed, nil},
		{"Kelvin-sign kid", `{"alg":"RS256","` + "\u212a" + `id":"a1"}`, payload(``), ErrMalformed, nil},
		{"Crit", hdr + `,"Crit":["exp"]}`, payload(``), ErrMalformed, nil},
		{"crit null", hdr + `,"crit":null}`, payload(``), ErrMalformed, nil},
		{"JKU", hdr + `,"JKU":"https://evil.example.com/jwks"}`, payload(``), ErrMalformed, nil},
		{"X5u", hdr + `,"X5u":"https://evil.example.com/cert"}`, payload(``), ErrMalformed, nil},
		{"Jwk", hdr + `,"Jwk":{}}`, payload(``), ErrMalformed, nil},
		{"TYP beside typ", hdr + `,"typ":"JWT","TYP":"at+jwt"}`, payload(``), ErrMalformed, nil},
		{"escaped exact alg", `{"\u0061lg":"RS256","kid":"a1"}`, payload(``), nil, nil},
		{"unknown header member", hdr + `,"x5t":"abc","cty":"JWT"}`, payload(``), nil, nil},
		{"alg of the wrong type", `{"alg":256,"kid":"a1"}`, payload(``), ErrMalformed, nil},
		{"kid of the wrong type", `{"alg":"RS256","kid":["a1"]}`, payload(``), ErrMalformed, nil},
	}
	vtVerifyRaw(t, vtStaticVerifier(t, clock, WithTokenCache(0)), tests)
}

// TestDecodeSeesCaseVariants shows that a case variant of a registered
// claim stays readable as a custom claim.
func TestDecodeSeesCaseVariants(t *testing.T) {
	c, err := parsePayload([]byte(`{"scope":"read","Scope":"admin"}`))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Scopes, []string{"read"}) {
		t.Fatalf("Scopes: got %q, want [read]", c.Scopes)
	}
	var m map[string]any
	if err := c.Decode(&m); err != nil {
		t.Fatal(err)
	}
	if m["Scope"] != "admin" || m["scope"] != "read" {
		t.Fatalf("Decode: got %v, want both members", m)
	}
}

func TestJWKSExactMemberNames(t *testing.T) {
	k := vtKeys()
	good := vtJWK("a1", "", &k.rsaA.PublicKey)
	with := func(extra map[string]any) map[string]any {
		m := vtJWK("b1", "", &k.rsaB.PublicKey)
		for name, val := range extra {
			m[name] = val
		}
		return m
	}
	tests := []struct {
		name     string
		doc      string
		wantKids []string // nil: the document is refused
	}{
		{"plain", string(vtJWKS(good, with(nil))), []string{"a1", "b1"}},
		{"USE beside use", string(vtJWKS(good, with(map[string]any{"USE": "enc"}))), []string{"a1"}},
		{"Kty beside kty", string(vtJWKS(good, with(map[string]any{"Kty": "oct"}))), []string{"a1"}},
		{"KEY_OPS", string(vtJWKS(good, with(map[string]any{"KEY_OPS": []string{"encrypt"}}))), []string{"a1"}},
		{"unknown members", string(vtJWKS(good, with(map[string]any{"x5t": "abc", "issuer": "x"}))), []string{"a1", "b1"}},
		{"key with a duplicate use", strings.Replace(string(vtJWKS(with(nil), good)), `"use":"sig"`, `"use":"sig","use":"enc"`, 1), []string{"a1"}},
		{"Keys beside keys", `{"keys":[],"Keys":[` + string(vtMust(json.Marshal(good))) + `]}`, nil},
		{"duplicate keys", `{"keys":[` + string(vtMust(json.Marshal(good))) + `],"keys":[]}`, nil},
		{"keys not an array", `{"keys":{"kty":"RSA"}}`, nil},
		{"keys null", `{"keys":null}`, nil},
		{"element not an object", `{"keys":["x",` + string(vtMust(json.Marshal(good))) + `]}`, []string{"a1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := parseJWKS([]byte(tt.doc))
			if tt.wantKids == nil {
				if err == nil {
					t.Fatalf("got a set of %d keys, want an error", len(set.keys))
				}
				return
			}
			if err != nil {
				t.Fatalf("parseJWKS: %v", err)
			}
			var kids []string
			for _, k := range set.keys {
				kids = append(kids, k.kid)
			}
			if !reflect.DeepEqual(kids, tt.wantKids) {
				t.Fatalf("kids: got %q, want %q", kids, tt.wantKids)
			}
		})
	}
}
