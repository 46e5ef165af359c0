package ssmname_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/fnshield/fnshield/secrets"
	"github.com/fnshield/fnshield/secrets/internal/ssmname"
)

func ExampleCheck() {
	for _, name := range []string{"/prod/db/password:3", "prod/db#", "/prod/db:"} {
		err := ssmname.Check(name)
		fmt.Printf("%q: %v (invalid name: %v)\n", name, err, errors.Is(err, secrets.ErrInvalidName))
	}
	// Output:
	// "/prod/db/password:3": <nil> (invalid name: false)
	// "prod/db#": secrets: invalid secret name: parameter name holds a character other than letters, digits and "_.-/" (invalid name: true)
	// "/prod/db:": secrets: invalid secret name: empty or invalid version or label after ':' (invalid name: true)
}

// BenchmarkCheck checks a typical name and an attacker-sized one at the
// 4096-byte bound of secret names.
func BenchmarkCheck(b *testing.B) {
	for _, tc := range []struct{ name, param string }{
		{"typical", "/prod/orders/db/password:3"},
		{"arn", "arn:aws:ssm:eu-west-3:123456789012:parameter/prod/orders/db/password"},
		{"4KiB", "/" + strings.Repeat("p", secrets.MaxNameLen-1)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := ssmname.Check(tc.param); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
