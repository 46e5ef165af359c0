package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/fnshield/fnshield/secrets"
)

// TestSecretsSources reads the database secret through each SECRETS_SOURCE,
// the AWS ones from loopback fakes that check what the real services would.
func TestSecretsSources(t *testing.T) {
	const name, password = "prod/orders-db", "s3cret-from-the-source"
	secret := `{"username":"orders","password":"` + password + `"}`

	// Secrets Manager: the JSON 1.1 protocol, signed with SigV4.
	var smCalls atomic.Int32
	sm := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct{ SecretId string }
		_ = json.NewDecoder(r.Body).Decode(&in)
		if r.Method != http.MethodPost || r.Header.Get("X-Amz-Target") != "secretsmanager.GetSecretValue" ||
			!strings.Contains(r.Header.Get("Authorization"), "Credential=AKIDEXAMPLE/") ||
			!strings.Contains(r.Header.Get("Authorization"), "/eu-west-3/secretsmanager/aws4_request") || in.SecretId != name {
			http.Error(w, `{"__type":"AccessDeniedException"}`, http.StatusBadRequest)
			return
		}
		smCalls.Add(1)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_ = json.NewEncoder(w).Encode(map[string]string{"Name": name, "SecretString": secret})
	}))
	defer sm.Close()

	// The Parameters and Secrets Lambda Extension, on localhost.
	var extCalls atomic.Int32
	ext := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/secretsmanager/get" || r.URL.Query().Get("secretId") != name ||
			r.Header.Get("X-Aws-Parameters-Secrets-Token") != "session-token" {
			http.Error(w, "denied", http.StatusForbidden)
			return
		}
		extCalls.Add(1)
		_ = json.NewEncoder(w).Encode(map[string]string{"Name": name, "SecretString": secret})
	}))
	defer ext.Close()
	_, extPort, _ := net.SplitHostPort(ext.Listener.Addr().String())

	tests := []struct {
		source string
		env    map[string]string
		calls  *atomic.Int32 // calls the source must have served, nil for env
	}{
		{"env", map[string]string{localSecretPrefix + "PROD_ORDERS_DB": secret}, nil},
		{"awssm", map[string]string{"AWS_REGION": "eu-west-3", "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
			"AWS_SECRET_ACCESS_KEY": "example-secret-key", "AWS_SESSION_TOKEN": "session-token",
			"AWS_ENDPOINT_URL_SECRETS_MANAGER": sm.URL}, &smCalls},
		{"extension", map[string]string{"PARAMETERS_SECRETS_EXTENSION_HTTP_PORT": extPort, "AWS_SESSION_TOKEN": "session-token"}, &extCalls},
	}
	for _, tt := range tests {
		t.Run(tt.source, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			cfg := config{secretName: name, source: tt.source}
			var db dbCredentials
			if err := secrets.New(cfg.secretsProvider()).GetJSON(context.Background(), cfg.secretName, &db); err != nil {
				t.Fatalf("GetJSON: %v", err)
			}
			if db.Password != password {
				t.Fatalf("password %q, want the one the source holds", db.Password)
			}
			if tt.calls != nil && tt.calls.Load() != 1 {
				t.Errorf("the source served %d calls, want 1", tt.calls.Load())
			}
		})
	}
}
