package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// vtCauses are all the causes Verify may attach; with the reasons they make
// every error text Verify can produce, so the fuzz target can check that no
// text carries any part of its input.
var vtCauses = []error{
	errSize, errShape, errEncoding, errHeaderJSON, errPayloadJSON, errCrit, errKeyHeader, errHeaderMember, errClaimMember,
	errNoExp, errNoIat, errTooOld, errIatFuture, errNoSignature, errKeyMismatch,
	errNoKeyForKid, errAudience, errUnknownIss, errTokenTypeHdr, errTokenUse, errClientID, errInvalidText,
}

func FuzzVerify(f *testing.F) {
	clock := newVTClock()
	k := vtKeys()
	now := clock.now()
	valid := vtSign(f, "RS256", k.rsaA, "a1", nil, vtClaims(vtIssA, now, nil))
	parts := strings.Split(valid, ".")
	for _, s := range []string{
		valid,
		vtSign(f, "ES256", k.ec256, "e1", nil, vtClaims(vtIssA, now, map[string]any{"scope": "a b", "groups": []string{"g"}})),
		vtSign(f, "HS256", vtSecret, "", nil, vtClaims("https://hmac.example.com", now, nil)),
		vtSign(f, "RS256", k.rsaA, "a1", map[string]any{"crit": []string{"b64"}, "b64": false}, vtClaims(vtIssA, now, nil)),
		vtRaw(`{"alg":"none"}`, `{"iss":"`+vtIssA+`","exp":9999999999}`, ""),
		vtRaw(`{"alg":"RS256","kid":"a1","jku":"https://x"}`, `{"iss":"`+vtIssA+`"}`, "c2ln"),
		vtRaw(`{"alg":"RS256","kid":null}`, `{"iss":"`+vtIssA+`","exp":1e400}`, "c2ln"),
		vtRaw(`{"alg":"RS256"}`, `{"iss":"`+vtIssA+`","aud":[1],"exp":"x"}`, "c2ln"),
		// Case variants, duplicates and escapes of registered members,
		// validly signed so that the mutator starts past the signature.
		vtSignRaw(f, `{"alg":"RS256","kid":"a1"}`, `{"iss":"`+vtIssA+`","aud":"`+vtAud+`","exp":9999999999,"scope":"r","Scope":"admin","EXP":1,"AUD":"x"}`),
		vtSignRaw(f, `{"alg":"RS256","kid":"a1"}`, `{"iss":"`+vtIssA+`","iss":"https://evil.example.com","exp":9999999999}`),
		vtSignRaw(f, `{"\u0061lg":"RS256","kid":"a1"}`, `{"\u0069ss":"`+vtIssA+`","aud":["`+vtAud+`",null],"exp":9999999999,"scp":["a","b"]}`),
		vtSignRaw(f, `{"alg":"RS256","kid":"a1","ALG":"none"}`, `{"iss":"`+vtIssA+`","exp":9999999999}`),
		// Text that is not UTF-8, surrogate escapes, and scopes with
		// whitespace other than U+0020, validly signed.
		vtSignRaw(f, `{"alg":"RS256","kid":"a1"}`, `{"iss":"`+vtIssA+`","aud":"`+vtAud+`","exp":9999999999,"sub":"a`+"\xff"+`","scope":"x\tadmin"}`),
		vtSignRaw(f, `{"alg":"RS256","kid":"a1"}`, `{"iss":"`+vtIssA+`","aud":"`+vtAud+`","exp":9999999999,"sub":"\ud83d\ude00\udc00","scope":"x`+"\u00a0"+`admin  r"}`),
		vtSignRaw(f, `{"alg":"RS256","kid":"a1`+"\xc3"+`"}`, `{"iss":"`+vtIssA+`","aud":"`+vtAud+`","exp":9999999999}`),
		vtRaw(`{"alg":"RS256","kid":"a1","Crit":["exp"]}`, `{"iss":"`+vtIssA+`"}`, "c2ln"),
		vtRaw(`{"alg":"RS256","kid":"a1","JKU":"https://x"}`, `{"iss":"`+vtIssA+`"}`, "c2ln"),
		vtRaw(`{"alg":"RS256","\u212aid":"a1"}`, `{"iss":"`+vtIssA+`"}`, "c2ln"),
		vtRaw(`{"alg":"RS256","kid":"a1","kid":"e1"}`, `{"iss":"`+vtIssA+`"}`, "c2ln"),
		parts[0] + "." + parts[1],
		parts[0] + "." + parts[1] + ".",
		"..", "...", ".", "a.b.c", "", "Bearer " + valid,
	} {
		f.Add(s)
	}
	v, err := New(context.Background(), WithClock(clock.now), WithAudience(vtAud), WithTokenCache(8),
		WithIssuerKeys(vtIssA, vtJWKS(vtJWK("a1", "", &k.rsaA.PublicKey), vtJWK("e1", "", &k.ec256.PublicKey))),
		WithHMAC("https://hmac.example.com", vtSecret))
	if err != nil {
		f.Fatal(err)
	}
	texts := map[string]bool{}
	for _, ri := range reasonTable {
		r := ri.reason
		texts[r.Error()] = true
		for _, c := range vtCauses {
			texts[r.Error()+": "+c.Error()] = true
		}
	}
	f.Fuzz(func(t *testing.T, token string) {
		c, err := v.Verify(context.Background(), token)
		if err == nil {
			if c == nil || c.ExpiresAt.IsZero() || !clock.now().Before(c.ExpiresAt.Add(time.Minute)) {
				t.Fatalf("accepted with claims %+v", c)
			}
			return
		}
		var e *Error
		if !errors.As(err, &e) || e.Status == 0 {
			t.Fatalf("got %T %v, want *Error with a status", err, err)
		}
		if !texts[err.Error()] {
			t.Fatalf("unexpected error text %q (it may echo the input)", err.Error())
		}
	})
}
