package auth

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

func TestCognito(t *testing.T) {
	clock := newVTClock()
	k := vtKeys()
	const (
		region = "eu-west-1"
		pool   = "eu-west-1_AbC123"
		client = "client-1"
	)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/"+pool+"/.well-known/jwks.json" {
			http.NotFound(w, r)
			return
		}
		hits.Add(1)
		_, _ = w.Write(vtJWKS(vtJWK("c1", "RS256", &k.rsaA.PublicKey)))
	}))
	defer srv.Close()
	iss := "https://cognito-idp." + region + ".amazonaws.com/" + pool
	v, err := New(context.Background(), WithClock(clock.now), WithCognitoEndpoint(srv.URL+"/"),
		WithCognito(region, pool, client, "client-2"))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if hits.Load() != 1 {
		t.Fatalf("JWKS requests: got %d, want 1", hits.Load())
	}
	now := clock.now()
	sign := func(over map[string]any) string {
		base := map[string]any{"aud": nil}
		for k, v := range over {
			base[k] = v
		}
		return vtSign(t, "RS256", k.rsaA, "c1", nil, vtClaims(iss, now, base))
	}
	tests := []struct {
		name  string
		token string
		want  error
	}{
		{"access token of an allowed client", sign(map[string]any{"token_use": "access", "client_id": client, "scope": "orders/read"}), nil},
		{"access token of the second client", sign(map[string]any{"token_use": "access", "client_id": "client-2"}), nil},
		{"access token of another client", sign(map[string]any{"token_use": "access", "client_id": "evil"}), ErrBadAudience},
		{"access token without client_id", sign(map[string]any{"token_use": "access"}), ErrBadAudience},
		{"id token with our aud", sign(map[string]any{"token_use": "id", "aud": client}), nil},
		{"id token with another aud", sign(map[string]any{"token_use": "id", "aud": "evil"}), ErrBadAudience},
		{"id token checked by aud, not client_id", sign(map[string]any{"token_use": "id", "client_id": client}), ErrBadAudience},
		{"no token_use", sign(map[string]any{"client_id": client}), ErrBadTokenType},
		{"refresh token_use", sign(map[string]any{"token_use": "refresh", "client_id": client}), ErrBadTokenType},
		{"another pool", vtSign(t, "RS256", k.rsaA, "c1", nil, vtClaims("https://cognito-idp."+region+".amazonaws.com/other", now, map[string]any{"token_use": "access", "client_id": client})), ErrBadIssuer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := v.Verify(context.Background(), tt.token)
			vtWantErr(t, tt.token, err, tt.want)
			if err == nil && c.TokenUse == "" {
				t.Fatalf("TokenUse: got empty")
			}
		})
	}
}

func TestCognitoWithoutAudienceCheck(t *testing.T) {
	clock := newVTClock()
	k := vtKeys()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write(vtJWKS(vtJWK("c1", "RS256", &k.rsaA.PublicKey)))
	}))
	defer srv.Close()
	v, err := New(context.Background(), WithClock(clock.now), WithCognitoEndpoint(srv.URL),
		WithCognito("us-east-1", "us-east-1_x"), WithoutAudienceCheck())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	iss := "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_x"
	ok := vtSign(t, "RS256", k.rsaA, "c1", nil, vtClaims(iss, clock.now(), map[string]any{"token_use": "access", "client_id": "any"}))
	if _, err := v.Verify(context.Background(), ok); err != nil {
		t.Fatalf("any client: %v", err)
	}
	bad := vtSign(t, "RS256", k.rsaA, "c1", nil, vtClaims(iss, clock.now(), nil))
	_, err = v.Verify(context.Background(), bad)
	vtWantErr(t, bad, err, ErrBadTokenType)
}

func TestCognitoJWKSURL(t *testing.T) {
	ic := &issuerConfig{issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc", poolID: "eu-west-1_abc"}
	if got, want := cognitoJWKSURL(ic, ""), "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc/.well-known/jwks.json"; got != want {
		t.Errorf("default: got %q, want %q", got, want)
	}
	if got, want := cognitoJWKSURL(ic, "http://127.0.0.1:1"), "http://127.0.0.1:1/eu-west-1_abc/.well-known/jwks.json"; got != want {
		t.Errorf("endpoint: got %q, want %q", got, want)
	}
}
