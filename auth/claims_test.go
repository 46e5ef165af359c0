package auth

import (
	"context"
	"reflect"
	"testing"
	"time"
)

func TestParsePayload(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		want    *Claims
		wantErr bool
	}{
		{"registered claims", `{"iss":"i","sub":"s","aud":"a","exp":1700000000,"nbf":1600000000,"iat":1650000000.5,"jti":"j"}`,
			&Claims{Issuer: "i", Subject: "s", Audience: []string{"a"}, ExpiresAt: time.Unix(1700000000, 0), NotBefore: time.Unix(1600000000, 0), IssuedAt: time.Unix(1650000000, 5e8), ID: "j"}, false},
		{"aud array", `{"aud":["a","b"]}`, &Claims{Audience: []string{"a", "b"}}, false},
		{"scope string", `{"scope":"read  write"}`, &Claims{Scopes: []string{"read", "write"}}, false},
		{"scp array", `{"scp":["read","write"]}`, &Claims{Scopes: []string{"read", "write"}}, false},
		{"scp string", `{"scp":"read write"}`, &Claims{Scopes: []string{"read", "write"}}, false},
		{"scope wins over scp", `{"scope":"a","scp":["b"]}`, &Claims{Scopes: []string{"a"}}, false},
		{"client_id", `{"client_id":"c","azp":"z"}`, &Claims{ClientID: "c"}, false},
		{"azp fallback", `{"azp":"z"}`, &Claims{ClientID: "z"}, false},
		{"groups", `{"groups":["g1"],"cognito:groups":["g2"]}`, &Claims{Groups: []string{"g1"}}, false},
		{"cognito:groups fallback", `{"cognito:groups":["g2"],"token_use":"access"}`, &Claims{Groups: []string{"g2"}, TokenUse: "access"}, false},
		{"null claims", `{"aud":null,"exp":null,"scope":null}`, &Claims{}, false},
		{"exp as string", `{"exp":"1700000000"}`, nil, true},
		{"exp huge", `{"exp":1e300}`, nil, true},
		{"aud number", `{"aud":5}`, nil, true},
		{"aud array of numbers", `{"aud":[5]}`, nil, true},
		{"scope object", `{"scope":{}}`, nil, true},
		{"iss number", `{"iss":1}`, nil, true},
		{"not an object", `[1]`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parsePayload([]byte(tt.payload))
			if (err != nil) != tt.wantErr {
				t.Fatalf("error: got %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			got.raw = nil
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestClaimsDecode(t *testing.T) {
	c, err := parsePayload([]byte(`{"sub":"s","tenant":"acme","roles":["a","b"]}`))
	if err != nil {
		t.Fatal(err)
	}
	var custom struct {
		Tenant string   `json:"tenant"`
		Roles  []string `json:"roles"`
	}
	if err := c.Decode(&custom); err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if custom.Tenant != "acme" || len(custom.Roles) != 2 {
		t.Fatalf("got %+v", custom)
	}
	var wrong struct {
		Tenant int `json:"tenant"`
	}
	if err := c.Decode(&wrong); err == nil {
		t.Fatal("Decode into a mismatched type: got no error")
	}
	if err := (&Claims{}).Decode(&custom); err == nil {
		t.Fatal("Decode of a zero Claims: got no error")
	}
}

func TestHasScopesInGroups(t *testing.T) {
	c := &Claims{Scopes: []string{"read", "write"}, Groups: []string{"admin"}}
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"all scopes present", c.HasScopes("read", "write"), true},
		{"one scope missing", c.HasScopes("read", "delete"), false},
		{"no scopes required", c.HasScopes(), true},
		{"any group", c.InGroups("ops", "admin"), true},
		{"no group matches", c.InGroups("ops"), false},
		{"no groups given", c.InGroups(), false},
		{"nil claims, scopes", (*Claims)(nil).HasScopes("read"), false},
		{"nil claims, groups", (*Claims)(nil).InGroups("admin"), false},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestClaimsContext(t *testing.T) {
	if _, ok := ClaimsFromContext(context.Background()); ok {
		t.Fatal("empty context: got claims")
	}
	c := &Claims{Subject: "s"}
	got, ok := ClaimsFromContext(NewContext(context.Background(), c))
	if !ok || got != c {
		t.Fatalf("got %v %v, want the stored claims", got, ok)
	}
	if _, ok := ClaimsFromContext(NewContext(context.Background(), nil)); ok {
		t.Fatal("nil claims: got ok")
	}
}

func TestClaimsFromMap(t *testing.T) {
	tests := []struct {
		name    string
		m       map[string]any
		want    *Claims
		wantErr bool
	}{
		{"JSON-decoded values", map[string]any{"iss": "i", "sub": "s", "aud": []any{"a"}, "exp": float64(1700000000), "scope": "r w", "groups": []any{"g"}},
			&Claims{Issuer: "i", Subject: "s", Audience: []string{"a"}, ExpiresAt: time.Unix(1700000000, 0), Scopes: []string{"r", "w"}, Groups: []string{"g"}}, false},
		{"API Gateway strings", map[string]any{"exp": "1700000000", "aud": "a", "cognito:groups": "[admin ops]", "scp": `["x","y"]`, "client_id": "c"},
			&Claims{Audience: []string{"a"}, ExpiresAt: time.Unix(1700000000, 0), Groups: []string{"admin", "ops"}, Scopes: []string{"x", "y"}, ClientID: "c"}, false},
		{"int time", map[string]any{"iat": int64(1600000000), "nbf": 1600000000}, &Claims{IssuedAt: time.Unix(1600000000, 0), NotBefore: time.Unix(1600000000, 0)}, false},
		{"bad time", map[string]any{"exp": "soon"}, nil, true},
		{"bad aud", map[string]any{"aud": []any{1}}, nil, true},
		{"bad groups", map[string]any{"groups": 5}, nil, true},
		{"scope split on ASCII spaces only", map[string]any{"scope": " x\tadmin \u00a0ops  read "},
			&Claims{Scopes: []string{"x\tadmin", "\u00a0ops", "read"}}, false},
		{"API Gateway array rendering split on ASCII spaces only", map[string]any{"groups": "[x\u00a0admin ops]"},
			&Claims{Groups: []string{"x\u00a0admin", "ops"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := claimsFromMap(tt.m)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error: got %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if len(got.raw) == 0 {
				t.Fatal("raw payload missing")
			}
			got.raw = nil
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestListClaims pins the two list claim types, which share decodeList:
// they differ only in how a single string is read.
func TestListClaims(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		wantList  []string // stringList
		wantScope []string // scopeList
		wantErr   bool
	}{
		{"string", `"a b"`, []string{"a b"}, []string{"a", "b"}, false},
		{"string with spaces around", " \"a  b \"\n", []string{"a  b "}, []string{"a", "b"}, false},
		{"empty string", `""`, []string{""}, []string{}, false},
		{"escaped string", `"a\u0020b"`, []string{"a b"}, []string{"a", "b"}, false},
		{"array", `["a b","c"]`, []string{"a b", "c"}, []string{"a b", "c"}, false},
		{"empty array", `[]`, []string{}, []string{}, false},
		{"null", `null`, nil, nil, false},
		{"number", `5`, nil, nil, true},
		{"object", `{}`, nil, nil, true},
		{"array of numbers", `[1]`, nil, nil, true},
		{"empty", ``, nil, nil, true},
		// RFC 6749 §3.3: scopes are separated by ASCII spaces only.
		{"tab inside a scope", `"x\tadmin"`, []string{"x\tadmin"}, []string{"x\tadmin"}, false},
		{"no-break space inside a scope", `"x\u00a0admin"`, []string{"x\u00a0admin"}, []string{"x\u00a0admin"}, false},
		{"raw no-break space inside a scope", "\"x\u00a0admin\"", []string{"x\u00a0admin"}, []string{"x\u00a0admin"}, false},
		{"leading no-break space", `"\u00a0admin"`, []string{"\u00a0admin"}, []string{"\u00a0admin"}, false},
		{"line feed and ideographic space", `"x\n\u3000admin"`, []string{"x\n\u3000admin"}, []string{"x\n\u3000admin"}, false},
		// RFC 7519 §7.2: claims are UTF-8; nothing is read as U+FFFD.
		{"surrogate pair", `"\ud83d\ude00"`, []string{"\U0001F600"}, []string{"\U0001F600"}, false},
		{"escaped backslash before u", `"\\ud800"`, []string{`\ud800`}, []string{`\ud800`}, false},
		{"invalid UTF-8", "\"a\xffb\"", nil, nil, true},
		{"invalid UTF-8 with an escape", "\"a\\n\xc3\"", nil, nil, true},
		{"invalid UTF-8 in an array", "[\"a\",\"\xed\xa0\x80\"]", nil, nil, true},
		{"lone high surrogate", `"\ud800"`, nil, nil, true},
		{"lone low surrogate", `"\udc00x"`, nil, nil, true},
		{"high surrogate then a letter", `"\ud800\u0041"`, nil, nil, true},
		{"swapped surrogates", `"\ude00\ud83d"`, nil, nil, true},
		{"lone surrogate in an array", `["a","\udfff"]`, nil, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := stringList{"prior"}
			s := scopeList{"prior"}
			errL, errS := l.UnmarshalJSON([]byte(tt.in)), s.UnmarshalJSON([]byte(tt.in))
			if (errL != nil) != tt.wantErr || (errS != nil) != tt.wantErr {
				t.Fatalf("errors: got %v and %v, want error %v", errL, errS, tt.wantErr)
			}
			if tt.wantErr {
				if !reflect.DeepEqual(l, stringList{"prior"}) || !reflect.DeepEqual(s, scopeList{"prior"}) {
					t.Fatalf("on error got %q and %q, want the prior values kept", l, s)
				}
				return
			}
			if !reflect.DeepEqual([]string(l), tt.wantList) {
				t.Errorf("stringList: got %#v, want %#v", l, tt.wantList)
			}
			if !reflect.DeepEqual([]string(s), tt.wantScope) {
				t.Errorf("scopeList: got %#v, want %#v", s, tt.wantScope)
			}
		})
	}
}

// TestVerifyClaimText signs tokens whose header or claims are not valid
// UTF-8 (RFC 7519 §7.2), or whose scope holds whitespace other than
// U+0020 (RFC 6749 §3.3).
func TestVerifyClaimText(t *testing.T) {
	clock := newVTClock()
	v := vtStaticVerifier(t, clock)
	const head = `{"alg":"RS256","kid":"a1"}`
	body := func(extra string) string {
		return `{"iss":"` + vtIssA + `","aud":"` + vtAud + `","exp":9999999999` + extra + `}`
	}
	tests := []vtRawCase{
		{"valid", head, body(`,"sub":"ü\ud83d\ude00","scope":"a b"`), nil, []string{"a", "b"}},
		{"invalid byte in sub", head, body(",\"sub\":\"user-\xff\""), ErrMalformed, nil},
		{"invalid byte in iss", head, `{"iss":"` + vtIssA + "\xc3" + `","aud":"` + vtAud + `","exp":9999999999}`, ErrMalformed, nil},
		{"invalid byte in aud", head, `{"iss":"` + vtIssA + `","aud":["` + vtAud + `","` + "\xe2\x82" + `"],"exp":9999999999}`, ErrMalformed, nil},
		{"invalid byte in scope", head, body(",\"scope\":\"read \xc0\xaf\""), ErrMalformed, nil},
		{"encoded surrogate in scope", head, body(",\"scope\":\"read \xed\xa0\x80\""), ErrMalformed, nil},
		{"lone surrogate escape in sub", head, body(`,"sub":"\udc00"`), ErrMalformed, nil},
		{"invalid byte in a custom claim", head, body(",\"tenant\":\"acme\xff\""), ErrMalformed, nil},
		{"invalid byte in a custom claim name", head, body(",\"ten\xffant\":\"acme\""), ErrMalformed, nil},
		{"invalid byte in kid", "{\"alg\":\"RS256\",\"kid\":\"a1\xff\"}", body(""), ErrMalformed, nil},
		{"invalid byte in an unknown header member", "{\"alg\":\"RS256\",\"kid\":\"a1\",\"x\":\"\xff\"}", body(""), ErrMalformed, nil},
		{"tab inside a scope", head, body(`,"scope":"x\tadmin read"`), nil, []string{"x\tadmin", "read"}},
		{"no-break space inside a scope", head, body(`,"scope":"x` + "\u00a0" + `admin"`), nil, []string{"x\u00a0admin"}},
		{"leading no-break space", head, body(`,"scope":"\u00a0admin"`), nil, []string{"\u00a0admin"}},
	}
	vtVerifyRaw(t, v, tests)
}
