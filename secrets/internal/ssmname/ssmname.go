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
		f := strings.SplitN(name, ":", 6)
		if len(f) != 6 {
			return ErrARN
		}
		for _, part := range f[1:5] {
			if !all(part, isARNByte) {
				return ErrARN
			}
		}
		rest = f[5]
	}
	base, sel, hasSel := strings.Cut(rest, ":")
	switch {
	case base == "":
		return ErrEmpty
	case hasSel && (sel == "" || !all(sel, isSelectorByte)):
		return ErrSelector
	}
	ok := isNameByte
	if strings.HasPrefix(base, secretReference) || strings.HasPrefix(base, "parameter"+secretReference) {
		ok = isReferenceByte
	}
	if !all(base, ok) {
		return ErrCharacter
	}
	return nil
}

// all reports whether every byte of s satisfies ok.
func all(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isARNByte(c byte) bool      { return isAlnum(c) || c == '-' }
func isSelectorByte(c byte) bool { return isAlnum(c) || c == '_' || c == '.' || c == '-' }
func isNameByte(c byte) bool     { return isSelectorByte(c) || c == '/' }

func isReferenceByte(c byte) bool {
	return isNameByte(c) || c == '+' || c == '=' || c == '@' || c == '!'
}
