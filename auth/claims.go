package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Claims holds the verified claims of a token. The exported fields are the
// registered claims and the common authorization claims; [Claims.Decode]
// reads any other claim from the full payload.
//
// A zero Claims has no subject, scopes or groups. Each call of
// [Verifier.Verify] (and each request through the transports) returns
// Claims of its own: changing them, their Audience, Scopes or Groups
// included, changes nothing another caller sees, even when both came from
// the verified-token cache. A Claims is not safe for concurrent mutation.
type Claims struct {
	Issuer    string
	Subject   string
	Audience  []string
	ExpiresAt time.Time // zero when absent (never for verified tokens: exp is required)
	NotBefore time.Time // zero when absent
	IssuedAt  time.Time // zero when absent
	ID        string
	Scopes    []string // from "scope" (a string split on ASCII spaces only) or, when absent, "scp" (array or string)
	ClientID  string   // "client_id", else "azp"
	Groups    []string // "groups", else "cognito:groups"
	TokenUse  string   // Amazon Cognito "token_use" when present

	raw []byte // the JSON payload, for Decode
}

// clone returns a copy of c that shares nothing mutable with it. The three
// lists are copied into one backing array, each cut with a full slice
// expression so that appending to one reallocates rather than writing into
// the next; for up to inlineLists strings that array is allocated with the
// copy itself, so a typical cache hit costs one allocation. raw is shared:
// nothing ever writes to it. Nil lists stay nil.
func (c *Claims) clone() *Claims {
	n := len(c.Audience) + len(c.Scopes) + len(c.Groups)
	var cp *Claims
	var buf []string
	if n <= inlineLists {
		cc := &claimsCopy{Claims: *c}
		cp, buf = &cc.Claims, cc.lists[:0:n]
	} else {
		cp = new(Claims)
		*cp = *c
		buf = make([]string, 0, n)
	}
	cp.Audience, buf = carve(buf, c.Audience)
	cp.Scopes, buf = carve(buf, c.Scopes)
	cp.Groups, _ = carve(buf, c.Groups)
	return cp
}

// inlineLists is how many list entries a claimsCopy holds: one audience,
// two scopes and a group, say.
const inlineLists = 4

// claimsCopy is a Claims allocated together with room for its lists.
type claimsCopy struct {
	Claims
	lists [inlineLists]string
}

// carve appends s to buf, which has room for it, and returns the copy
// (nil when s is nil) with its capacity capped at its length.
func carve(buf, s []string) (cp, rest []string) {
	if s == nil {
		return nil, buf
	}
	start := len(buf)
	buf = append(buf, s...)
	return buf[start:len(buf):len(buf)], buf
}

// Decode unmarshals the full JSON payload of the token into v, for custom
// claims. It returns an error when the claims carry no payload (a zero
// Claims) or when the payload does not fit v.
//
// Decode uses encoding/json, which matches object keys to struct fields
// case-insensitively and keeps the last of duplicate keys: a struct field
// tagged "role" also receives a "ROLE" claim. Where a custom claim
// authorizes anything and the issuer lets users shape claim names, decode
// into a map[string]any (or json.RawMessage values), whose keys are exact.
// The exported fields of Claims are always read by exact name.
func (c *Claims) Decode(v any) error {
	if c == nil || len(c.raw) == 0 {
		return errors.New("auth: claims carry no payload")
	}
	if err := json.Unmarshal(c.raw, v); err != nil {
		// The JSON error may quote payload values; keep only its kind.
		return fmt.Errorf("auth: decode claims into %T: %w", v, errDecode)
	}
	return nil
}

var errDecode = errors.New("payload does not fit the target type")

// HasScopes reports whether the claims carry every one of scopes. With no
// scopes it reports true.
func (c *Claims) HasScopes(scopes ...string) bool {
	if c == nil {
		return len(scopes) == 0
	}
	for _, s := range scopes {
		if !slices.Contains(c.Scopes, s) {
			return false
		}
	}
	return true
}

// InGroups reports whether the claims carry at least one of groups (any, not
// all: a caller allowed for "admin" or "ops" passes with either). With no
// groups it reports false: an empty allow-list lets nobody in.
func (c *Claims) InGroups(groups ...string) bool {
	if c == nil {
		return false
	}
	for _, g := range groups {
		if slices.Contains(c.Groups, g) {
			return true
		}
	}
	return false
}

type claimsKey struct{}

// NewContext returns a copy of ctx carrying c, for [ClaimsFromContext].
func NewContext(ctx context.Context, c *Claims) context.Context {
	return context.WithValue(ctx, claimsKey{}, c)
}

// ClaimsFromContext returns the claims stored by [NewContext] (the transports
// store the verified claims before calling the next handler).
func ClaimsFromContext(ctx context.Context) (*Claims, bool) {
	c, ok := ctx.Value(claimsKey{}).(*Claims)
	return c, ok && c != nil
}

// errClaimType is the cause for a claim with the wrong JSON type. It names no
// value.
var errClaimType = errors.New("a registered claim has the wrong type")

// payload is the lean decoding target for a token payload: only the claims
// the verifier and Claims need. Decode reads the others from the raw bytes.
type payload struct {
	Iss        string
	Sub        string
	Aud        stringList
	Exp        numericDate
	Nbf        numericDate
	Iat        numericDate
	Jti        string
	Scope      scopeList
	Scp        scopeList
	ClientID   string
	Azp        string
	Groups     stringList
	CGroups    stringList
	TokenUse   string
	hasScope   bool // "scope" present and not null
	hasScp     bool
	hasGroups  bool
	hasCGroups bool
}

// Indexes into payloadNames.
const (
	pIss = iota
	pSub
	pAud
	pExp
	pNbf
	pIat
	pJti
	pScope
	pScp
	pClientID
	pAzp
	pGroups
	pCGroups
	pTokenUse
	pCount
)

// payloadNames are the claims a payload reads, matched exactly: a
// case-variant ("Scope", "EXP") is an unrelated custom claim.
var payloadNames = [pCount]string{
	pIss: "iss", pSub: "sub", pAud: "aud", pExp: "exp", pNbf: "nbf", pIat: "iat", pJti: "jti",
	pScope: "scope", pScp: "scp", pClientID: "client_id", pAzp: "azp",
	pGroups: "groups", pCGroups: "cognito:groups", pTokenUse: "token_use",
}

// decode reads the JSON payload raw. It fails with errNotObject for a
// payload that is not a JSON object, errInvalidText for one that is not
// valid UTF-8 (see validText), errDuplicateMember when one of the
// claims it reads appears twice (RFC 7519 §4 lets a parser reject
// duplicates; Decode, with encoding/json, would keep the last one), and
// errClaimType for a claim of the wrong type. Absent and null claims are
// alike.
func (p *payload) decode(raw []byte) error {
	// Custom claims, read by Claims.Decode, must be valid text too.
	if !validText(raw) {
		return errInvalidText
	}
	var v [pCount][]byte
	if err := scanObject(raw, payloadNames[:], v[:], foldIgnored); err != nil {
		return err
	}
	for _, s := range []struct {
		i   int
		dst *string
	}{{pIss, &p.Iss}, {pSub, &p.Sub}, {pJti, &p.Jti}, {pClientID, &p.ClientID}, {pAzp, &p.Azp}, {pTokenUse, &p.TokenUse}} {
		if err := stringValue(v[s.i], s.dst); err != nil {
			return err
		}
	}
	for _, d := range []struct {
		i   int
		dst *numericDate
	}{{pExp, &p.Exp}, {pNbf, &p.Nbf}, {pIat, &p.Iat}} {
		if !isNull(v[d.i]) {
			if err := d.dst.UnmarshalJSON(v[d.i]); err != nil {
				return err
			}
		}
	}
	var err error
	if !isNull(v[pAud]) {
		err = p.Aud.UnmarshalJSON(v[pAud])
	}
	if p.hasScope = !isNull(v[pScope]); p.hasScope && err == nil {
		err = p.Scope.UnmarshalJSON(v[pScope])
	}
	if p.hasScp = !isNull(v[pScp]); p.hasScp && err == nil {
		err = p.Scp.UnmarshalJSON(v[pScp])
	}
	if p.hasGroups = !isNull(v[pGroups]); p.hasGroups && err == nil {
		err = p.Groups.UnmarshalJSON(v[pGroups])
	}
	if p.hasCGroups = !isNull(v[pCGroups]); p.hasCGroups && err == nil {
		err = p.CGroups.UnmarshalJSON(v[pCGroups])
	}
	if err != nil {
		return err
	}
	return nil
}

// parsePayload decodes a JSON payload into Claims, keeping raw for Decode.
// raw is retained, so the caller must not modify it afterwards.
func parsePayload(raw []byte) (*Claims, error) {
	var p payload
	if err := p.decode(raw); err != nil {
		return nil, err
	}
	return p.claims(raw), nil
}

func (p *payload) claims(raw []byte) *Claims {
	c := &Claims{
		Issuer:    p.Iss,
		Subject:   p.Sub,
		Audience:  []string(p.Aud),
		ExpiresAt: p.Exp.t,
		NotBefore: p.Nbf.t,
		IssuedAt:  p.Iat.t,
		ID:        p.Jti,
		ClientID:  p.ClientID,
		TokenUse:  p.TokenUse,
		raw:       raw,
	}
	switch {
	case p.hasScope:
		c.Scopes = []string(p.Scope)
	case p.hasScp:
		c.Scopes = []string(p.Scp)
	}
	if c.ClientID == "" {
		c.ClientID = p.Azp
	}
	switch {
	case p.hasGroups:
		c.Groups = []string(p.Groups)
	case p.hasCGroups:
		c.Groups = []string(p.CGroups)
	}
	return c
}

// stringList is a claim that is a string or an array of strings ("aud",
// "groups"). A single string becomes a one-element list; null is empty.
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	ss, err := decodeList(b, false)
	if err != nil {
		return err
	}
	*l = ss
	return nil
}

// scopeList is "scope" or "scp": a space-separated string or an array of
// strings.
type scopeList []string

func (l *scopeList) UnmarshalJSON(b []byte) error {
	ss, err := decodeList(b, true)
	if err != nil {
		return err
	}
	*l = ss
	return nil
}

// decodeList decodes a list claim: an array of strings, or a string that
// split makes space-separated (scopes, see splitScopes) and that is
// otherwise one element.
// null is a nil list; any other type is errClaimType.
func decodeList(b []byte, split bool) ([]string, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil, errClaimType
	}
	switch b[0] {
	case 'n':
		return nil, nil
	case '"':
		s, err := unquote(b)
		switch {
		case err != nil:
			return nil, errClaimType
		case split:
			return splitScopes(s), nil
		}
		return []string{s}, nil
	case '[':
		ss, err := stringArray(b)
		if err != nil {
			return nil, errClaimType
		}
		return ss, nil
	}
	return nil, errClaimType
}

// splitScopes splits a scope string on ASCII spaces (U+0020) only, dropping
// empty fields. RFC 6749 §3.3 separates scope tokens by %x20 alone: a tab
// or a no-break space is part of a scope name, so "x\tadmin" is one scope,
// never "x" and "admin" (strings.Fields would split on both).
func splitScopes(s string) []string {
	n := 0
	for f := range strings.SplitSeq(s, " ") {
		if f != "" {
			n++
		}
	}
	out := make([]string, 0, n)
	for f := range strings.SplitSeq(s, " ") {
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

// maxNumericDate bounds time claims (about year 36812) so that float to
// int64 conversion is always defined.
const maxNumericDate = 1 << 40

// numericDate is an RFC 7519 NumericDate (seconds since the epoch, possibly
// fractional). null leaves it zero (absent).
type numericDate struct{ t time.Time }

func (d *numericDate) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		d.t = time.Time{}
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || len(b) == 0 || b[0] == '"' {
		return errClaimType
	}
	t, ok := timeFromSeconds(f)
	if !ok {
		return errClaimType
	}
	d.t = t
	return nil
}

func timeFromSeconds(f float64) (time.Time, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) || f > maxNumericDate || f < -maxNumericDate {
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), true
}

// claimsFromMap builds Claims from a generic claim map, such as the JWT
// claims API Gateway passes to a Lambda behind a JWT authorizer. Values may
// be JSON-decoded (float64, []any, string) or strings (time claims as
// decimal strings, lists as a JSON array string, a "[a b]" string as API
// Gateway renders arrays, or a single value). The returned Claims' Decode
// reads the map marshalled to JSON.
func claimsFromMap(m map[string]any) (*Claims, error) {
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, errClaimType
	}
	var p payload
	p.Iss, _ = m["iss"].(string)
	p.Sub, _ = m["sub"].(string)
	p.Jti, _ = m["jti"].(string)
	p.ClientID, _ = m["client_id"].(string)
	p.Azp, _ = m["azp"].(string)
	p.TokenUse, _ = m["token_use"].(string)
	for _, tc := range []struct {
		name string
		dst  *numericDate
	}{{"exp", &p.Exp}, {"nbf", &p.Nbf}, {"iat", &p.Iat}} {
		v, ok := m[tc.name]
		if !ok || v == nil {
			continue
		}
		t, ok := mapTime(v)
		if !ok {
			return nil, errClaimType
		}
		tc.dst.t = t
	}
	if v, ok := m["aud"]; ok && v != nil {
		l, ok := mapList(v, false)
		if !ok {
			return nil, errClaimType
		}
		p.Aud = l
	}
	if v, ok := m["scope"]; ok && v != nil {
		l, ok := mapList(v, true)
		if !ok {
			return nil, errClaimType
		}
		p.Scope, p.hasScope = scopeList(l), true
	} else if v, ok := m["scp"]; ok && v != nil {
		l, ok := mapList(v, true)
		if !ok {
			return nil, errClaimType
		}
		p.Scp, p.hasScp = scopeList(l), true
	}
	for _, name := range []string{"groups", "cognito:groups"} {
		v, ok := m[name]
		if !ok || v == nil {
			continue
		}
		l, ok := mapList(v, false)
		if !ok {
			return nil, errClaimType
		}
		if name == "groups" {
			p.Groups, p.hasGroups = l, true
		} else {
			p.CGroups, p.hasCGroups = l, true
		}
		break
	}
	return p.claims(raw), nil
}

func mapTime(v any) (time.Time, bool) {
	switch x := v.(type) {
	case float64:
		return timeFromSeconds(x)
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return time.Time{}, false
		}
		return timeFromSeconds(f)
	case int:
		return timeFromSeconds(float64(x))
	case int64:
		return timeFromSeconds(float64(x))
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			return time.Time{}, false
		}
		return timeFromSeconds(f)
	}
	return time.Time{}, false
}

// mapList converts a list-valued claim. split makes a plain string
// space-separated (scopes); otherwise it is one element, except for the
// forms API Gateway produces for arrays: a JSON array string or "[a b c]".
func mapList(v any, split bool) (stringList, bool) {
	switch x := v.(type) {
	case []string:
		return slices.Clone(x), true
	case []any:
		out := make(stringList, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	case string:
		s := strings.Trim(x, " ")
		if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
			var ss []string
			if json.Unmarshal([]byte(s), &ss) == nil {
				return ss, true
			}
			return splitScopes(s[1 : len(s)-1]), true
		}
		if split {
			return splitScopes(s), true
		}
		return stringList{x}, true
	}
	return nil, false
}
