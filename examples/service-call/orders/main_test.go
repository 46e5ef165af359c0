package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestIAMModeSignsTheCall(t *testing.T) {
	var authz, date string
	billing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		sum := sha256.Sum256(body)
		authz, date = r.Header.Get("Authorization"), r.Header.Get("X-Amz-Date")
		if r.Header.Get("X-Amz-Content-Sha256") != hex.EncodeToString(sum[:]) || r.Header.Get("X-Amz-Security-Token") != "session" {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		_, _ = io.WriteString(w, `{"charged":true}`)
	}))
	defer billing.Close()
	env := map[string]string{"AWS_ACCESS_KEY_ID": "ASIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "do-not-log-me", "AWS_SESSION_TOKEN": "session",
		"AWS_REGION": "eu-west-1", "SIGNING_SERVICE": "lambda"}
	client, err := newClient(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	res, err := charger(client, billing.URL, slog.New(slog.NewJSONHandler(&logs, nil)))(context.Background(), Order{ID: "o-1", Amount: 42})
	if err != nil || res.Status != 200 || string(res.Reply) != `{"charged":true}` {
		t.Fatalf("result %+v, %v; want billing's 200", res, err)
	}
	if !strings.HasPrefix(authz, "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/"+date[:8]+"/eu-west-1/lambda/aws4_request, SignedHeaders=") {
		t.Errorf("Authorization = %q, want a SigV4 signature for lambda in eu-west-1", authz)
	}
	if strings.Contains(logs.String(), "do-not-log-me") || strings.Contains(logs.String(), "Signature=") {
		t.Errorf("logs leak a credential: %s", logs.String())
	}
}

func TestConfigurationErrors(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"unknown mode":          {"CALL_MODE": "apikey"},
		"oauth without client":  {"CALL_MODE": "oauth", "TOKEN_URL": "https://auth.example/token", "CLIENT_SECRET_NAME": "x"},
		"oauth over plain http": {"CALL_MODE": "oauth", "TOKEN_URL": "http://auth.example/token", "CLIENT_ID": "c", "CLIENT_SECRET_NAME": "x"},
	} {
		if _, err := newClient(func(k string) string { return env[k] }); err == nil {
			t.Errorf("%s: newClient accepted the configuration", name)
		}
	}
}
