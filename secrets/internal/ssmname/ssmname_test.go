package ssmname

import (
	"errors"
	"strings"
	"testing"

	"github.com/fnshield/fnshield/secrets"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name, param string
		want        error
	}{
		{"hierarchical", "/prod/db/password", nil},
		{"plain", "plain_name-1.x", nil},
		{"version", "/prod/api-key:1", nil},
		{"label", "/prod/api-key:blue_2.x-y", nil},
		{"arn", "arn:aws:ssm:eu-west-3:123456789012:parameter/prod/api-key", nil},
		{"arn with version", "arn:aws:ssm:eu-west-3:123456789012:parameter/prod/api-key:3", nil},
		{"arn of another partition", "arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/x", nil},
		{"public parameter", "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", nil},
		{"secrets manager reference", "/aws/reference/secretsmanager/prod/db+admin=x@y!", nil},
		{"secrets manager reference with version", "/aws/reference/secretsmanager/prod/db:EXAMPLE1-90ab-cdef", nil},
		{"secrets manager reference arn", "arn:aws:ssm:eu-west-3:123456789012:parameter/aws/reference/secretsmanager/a+b", nil},
		{"empty", "", ErrEmpty},
		{"only selector", ":1", ErrEmpty},
		{"hash", "prod/db#", ErrCharacter},
		{"two hashes", "a#b#c", ErrCharacter},
		{"space", "/prod/my db", ErrCharacter},
		{"plus outside a reference", "/prod/a+b", ErrCharacter},
		{"reference characters deeper in a path", "/x/aws/reference/secretsmanager/a+b", ErrCharacter},
		{"non-ASCII", "/prod/ünï", ErrCharacter},
		{"query characters", "/prod/a&b=c?d", ErrCharacter},
		{"empty selector", "/prod/db:", ErrSelector},
		{"two selectors", "/prod/db:1:2", ErrSelector},
		{"selector with slash", "/prod/db:a/b", ErrSelector},
		{"selector with hash", "/prod/db:a#b", ErrSelector},
		{"short arn", "arn:aws:ssm:eu-west-3", ErrARN},
		{"arn field with space", "arn:aws:ssm:eu west:1:parameter/x", ErrARN},
		{"arn without resource", "arn:aws:ssm:eu-west-3:1:", ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.param)
			if err != tt.want {
				t.Fatalf("Check(%q) = %v, want %v", tt.param, err, tt.want)
			}
			if err != nil && !errors.Is(err, secrets.ErrInvalidName) {
				t.Errorf("Check(%q) = %v, does not match secrets.ErrInvalidName", tt.param, err)
			}
		})
	}
}

// FuzzCheck checks that Check never panics, refuses only with
// secrets.ErrInvalidName, never echoes the name, and accepts only names
// made of the bytes Parameter Store allows.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		"/prod/db", "/prod/db:3", "arn:aws:ssm:r:1:parameter/x:lbl", "/aws/reference/secretsmanager/a+b",
		"prod/db#", "a#b#c", "arn:", "arn:a:b:c:d:", ":", "/x:", "\x00", "/p/\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		err := Check(name)
		if err != nil {
			if !errors.Is(err, secrets.ErrInvalidName) {
				t.Fatalf("Check(%q) = %v, want secrets.ErrInvalidName", name, err)
			}
			if len(name) > 3 && strings.Contains(err.Error(), name) {
				t.Fatalf("Check(%q) error %q echoes the name", name, err)
			}
			return
		}
		if name == "" || strings.Count(name, ":") > 6 {
			t.Fatalf("Check(%q) accepted an empty name or too many selectors", name)
		}
		for i := 0; i < len(name); i++ {
			if c := name[i]; !referenceBytes[c] && c != ':' {
				t.Fatalf("Check(%q) accepted byte %q", name, c)
			}
		}
		if !strings.HasPrefix(name, "arn:") && strings.Count(name, ":") > 1 {
			t.Fatalf("Check(%q) accepted more than one selector", name)
		}
	})
}
