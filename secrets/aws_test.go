package secrets_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/fnshield/fnshield/internal/awsfake"
	"github.com/fnshield/fnshield/secrets"
	"github.com/fnshield/fnshield/secrets/awssm"
	"github.com/fnshield/fnshield/secrets/ssm"
)

const (
	dbPassword = "db-pass-0f9e8d"
	apiKey     = "api-key-7c6b5a"
)

// awsSources starts loopback Secrets Manager and Parameter Store fakes and
// returns a Router over them and the environment, and the two servers.
func awsSources(t *testing.T) (*secrets.Router, *awsfake.Server, *awsfake.Server) {
	t.Helper()
	sm := awsfake.New(t, "secretsmanager", "secretsmanager", func(c awsfake.Call) awsfake.Reply {
		switch c.Input["SecretId"] {
		case "prod/db":
			return awsfake.OK(map[string]any{"Name": "prod/db",
				"SecretString": `{"username":"orders","password":"` + dbPassword + `","port":5432}`})
		case "prod/retired":
			return awsfake.Error(http.StatusBadRequest, "InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.")
		case "prod/retired-moto":
			return awsfake.Error(http.StatusBadRequest, "InvalidRequestException", "You tried to perform the operation on a secret that's currently marked deleted.")
		case "prod/bad name":
			return awsfake.Error(http.StatusBadRequest, "ValidationException", "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!")
		case "prod/denied":
			return awsfake.Error(http.StatusBadRequest, "AccessDeniedException", "not authorized")
		}
		return awsfake.Error(http.StatusBadRequest, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
	})
	ps := awsfake.New(t, "ssm", "AmazonSSM", func(c awsfake.Call) awsfake.Reply {
		switch c.Input["Name"] {
		case "/prod/api-key":
			return awsfake.OK(map[string]any{"Parameter": map[string]any{"Name": "/prod/api-key", "Type": "SecureString", "Value": apiKey}})
		case "/prod/denied":
			return awsfake.Error(http.StatusBadRequest, "AccessDeniedException", "not authorized")
		case "/ssm/reserved":
			return awsfake.Error(http.StatusBadRequest, "ValidationException", `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive).`)
		}
		return awsfake.Error(http.StatusBadRequest, "ParameterNotFound", "")
	})
	t.Setenv("AWS_TEST_PROD_FLAG", "on")
	r, err := secrets.Route(map[string]secrets.Provider{
		"sm:":  awssm.NewFromConfig(sm.Config()),
		"ssm:": ssm.NewFromConfig(ps.Config()),
		"env:": secrets.Env("AWS_TEST_"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return r, sm, ps
}

// TestOneCacheSeveralAWSSources serves Secrets Manager, Parameter Store and
// environment secrets from one Cache, against the loopback AWS fakes, and
// checks that each is fetched once however many callers ask.
func TestOneCacheSeveralAWSSources(t *testing.T) {
	r, sm, ps := awsSources(t)
	cache := secrets.New(r)
	want := map[string]string{"ssm:/prod/api-key": apiKey, "env:prod/flag": "on"}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for name, w := range want {
				if v, err := cache.Get(t.Context(), name); err != nil || v.Reveal() != w {
					t.Errorf("Get(%q) = %q, %v; want %q", name, v.Reveal(), err, w)
				}
			}
			if pw, err := cache.GetField(t.Context(), "sm:prod/db", "password"); err != nil || pw.Reveal() != dbPassword {
				t.Errorf("GetField(sm:prod/db, password) = %q, %v", pw.Reveal(), err)
			}
		})
	}
	wg.Wait()
	if n, m := len(sm.Calls()), len(ps.Calls()); n != 1 || m != 1 {
		t.Errorf("Secrets Manager saw %d calls, Parameter Store %d; want 1 each", n, m)
	}
	if got := sm.Calls()[0].Input["SecretId"]; got != "prod/db" {
		t.Errorf("SecretId = %v, want the name without its route prefix", got)
	}
}

// TestSharedErrorsAcrossAWSSources checks that callers branch on one set
// of sentinels whichever provider answered, and reach the provider's
// detail with errors.As.
func TestSharedErrorsAcrossAWSSources(t *testing.T) {
	r, _, _ := awsSources(t)
	cache := secrets.New(r)
	tests := []struct {
		name, secret, field string
		want                error
		detail              any
	}{
		{"sm missing", "sm:prod/nope", "", secrets.ErrNotFound, new(*awssm.Error)},
		{"sm scheduled for deletion", "sm:prod/retired", "", secrets.ErrNotFound, new(*awssm.Error)},
		{"sm marked deleted in moto's words", "sm:prod/retired-moto", "", awssm.ErrScheduledForDeletion, new(*awssm.Error)},
		{"sm name refused by the service", "sm:prod/bad name", "", secrets.ErrInvalidName, new(*awssm.Error)},
		{"sm denied", "sm:prod/denied", "", secrets.ErrAccessDenied, new(*awssm.Error)},
		{"sm invalid name", "sm:prod/db#", "", secrets.ErrInvalidName, new(*awssm.Error)},
		{"sm two suffixes", "sm:a#b#c", "", secrets.ErrInvalidName, new(*awssm.Error)},
		{"sm missing field", "sm:prod/db", "pasword", secrets.ErrNotFound, new(*secrets.FetchError)},
		{"ssm missing", "ssm:/prod/nope", "", secrets.ErrNotFound, new(*ssm.Error)},
		{"ssm denied", "ssm:/prod/denied", "", secrets.ErrAccessDenied, new(*ssm.Error)},
		{"ssm invalid name", "ssm:prod/db#", "", secrets.ErrInvalidName, new(*ssm.Error)},
		{"ssm two suffixes", "ssm:a#b#c", "", secrets.ErrInvalidName, new(*ssm.Error)},
		{"ssm name refused by the service", "ssm:/ssm/reserved", "", secrets.ErrInvalidName, new(*ssm.Error)},
		{"env missing", "env:prod/nope", "", secrets.ErrNotFound, new(*secrets.FetchError)},
		{"no route", "vault:prod/db", "", secrets.ErrInvalidName, new(*secrets.FetchError)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.field != "" {
				_, err = cache.GetField(t.Context(), tt.secret, tt.field)
			} else {
				_, err = cache.Get(t.Context(), tt.secret)
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			if !errors.As(err, tt.detail) {
				t.Errorf("errors.As(%v, %T) = false", err, tt.detail)
			}
			if text := fmt.Sprintf("%v %+v", err, err); strings.Contains(text, dbPassword) || strings.Contains(text, apiKey) {
				t.Errorf("error %q leaks a secret", text)
			}
		})
	}
}

// TestTypedSecretFromSecretsManager decodes a Secrets Manager secret into
// a struct with Value fields and checks it prints redacted.
func TestTypedSecretFromSecretsManager(t *testing.T) {
	r, _, _ := awsSources(t)
	cache := secrets.New(r)
	var db struct {
		Username string        `json:"username"`
		Password secrets.Value `json:"password"`
		Port     int           `json:"port"`
	}
	if err := cache.GetJSON(context.Background(), "sm:prod/db", &db); err != nil {
		t.Fatal(err)
	}
	if db.Username != "orders" || db.Port != 5432 || db.Password.Reveal() != dbPassword {
		t.Fatalf("decoded %q %d %q", db.Username, db.Port, db.Password.Reveal())
	}
	if out := fmt.Sprintf("%v %+v %#v", db, db, db); strings.Contains(out, dbPassword) {
		t.Errorf("printing the struct shows the password: %s", out)
	}
}
