// Package ssmname checks Parameter Store names before packages ssm and
// extension send them, so that a name the service would refuse is
// reported as [secrets.ErrInvalidName] without a request.
//
// A name is a parameter name, optionally in a full ARN, optionally
// followed by one ":version" or ":label" selector:
//
//	/prod/db/password
//	plain_name
//	/prod/db/password:3
//	/prod/db/password:blue
//	arn:aws:ssm:eu-west-3:123456789012:parameter/prod/db/password:3
//	/aws/reference/secretsmanager/prod/db+admin@x
//
// Parameter names hold letters, digits and "_.-/". A reference to a
// Secrets Manager secret (under /aws/reference/secretsmanager/) may also
// hold the other characters of secret names, "+=@!". A selector holds
// letters, digits and "_.-".
package ssmname

import (
	"fmt"
	"strings"

	"github.com/fnshield/fnshield/secrets"
)

// The reasons Check refuses a name; each wraps [secrets.ErrInvalidName]
// and none includes the name.
var (
	ErrEmpty     = fmt.Errorf("%w: empty parameter name", secrets.ErrInvalidName)
	ErrCharacter = fmt.Errorf("%w: parameter name holds a character other than letters, digits and \"_.-/\"", secrets.ErrInvalidName)
	ErrSelector  = fmt.Errorf("%w: empty or invalid version or label after ':'", secrets.ErrInvalidName)
	ErrARN       = fmt.Errorf("%w: malformed parameter ARN", secrets.ErrInvalidName)
)

// secretReference is the path under which Parameter Store serves Secrets
// Manager secrets.
const secretReference = "/aws/reference/secretsmanager/"

// Check reports whether Parameter Store accepts name in GetParameter. It
// does not bound the length: callers do, with their own limits.
func Check(name string) error {
	if name == "" {
		return ErrEmpty
	}
	rest := name
	if strings.HasPrefix(name, "arn:") {
		// arn:partition:service:region:account:resource
		rest = name[len("arn:"):]
		for range 4 {
			field, after, ok := strings.Cut(rest, ":")
			if !ok || !all(field, &arnBytes) {
				return ErrARN
			}
			rest = after
		}
	}
	base, sel, hasSel := strings.Cut(rest, ":")
	switch {
	case base == "":
		return ErrEmpty
	case hasSel && (sel == "" || !all(sel, &selectorBytes)):
		return ErrSelector
	}
	ok := &nameBytes
	if strings.HasPrefix(base, secretReference) || strings.HasPrefix(base, "parameter"+secretReference) {
		ok = &referenceBytes
	}
	if !all(base, ok) {
		return ErrCharacter
	}
	return nil
}

// all reports whether every byte of s is in the set ok.
func all(s string, ok *[256]bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok[s[i]] {
			return false
		}
	}
	return true
}

// The bytes allowed in each part of a name.
var (
	arnBytes       = byteSet("-")
	selectorBytes  = byteSet("_.-")
	nameBytes      = byteSet("_.-/")
	referenceBytes = byteSet("_.-/+=@!")
)

// byteSet returns the set of ASCII letters, digits and the bytes of extra.
func byteSet(extra string) [256]bool {
	var set [256]bool
	for c := '0'; c <= '9'; c++ {
		set[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		set[c], set[c-'a'+'A'] = true, true
	}
	for i := 0; i < len(extra); i++ {
		set[extra[i]] = true
	}
	return set
}
