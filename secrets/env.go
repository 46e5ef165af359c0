package secrets

import (
	"context"
	"fmt"
	"os"
)

// An EnvProvider reads secrets from environment variables. Create one with
// [Env]. It is safe for concurrent use.
type EnvProvider struct {
	prefix string
}

// Env returns a Provider that reads the secret "name" from the environment
// variable prefix + EnvName(name): the name is upper-cased and every byte
// other than A–Z and 0–9 becomes "_", so with prefix "APP_" the secret
// "prod/db-password" is read from APP_PROD_DB_PASSWORD. Distinct names can
// map to one variable ("prod/db" and "prod-db"); choose names accordingly.
// The prefix is used as given. A variable that is not set is reported as
// [ErrNotFound]; one set to "" is an empty secret.
func Env(prefix string) *EnvProvider { return &EnvProvider{prefix: prefix} }

// EnvName returns the environment variable name, without prefix, that [Env]
// reads for the secret name.
func EnvName(name string) string {
	b := []byte(name)
	for i, c := range b {
		switch {
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c >= 'a' && c <= 'z':
			b[i] = c - 'a' + 'A'
		default:
			b[i] = '_'
		}
	}
	return string(b)
}

// Fetch returns the value of the environment variable for name.
func (p *EnvProvider) Fetch(_ context.Context, name string) ([]byte, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	v, ok := os.LookupEnv(p.prefix + EnvName(name))
	if !ok {
		return nil, fmt.Errorf("secrets: environment variable not set: %w", ErrNotFound)
	}
	return []byte(v), nil
}
