// Package awserr recognises the classes of AWS error that the providers
// under secrets map to the shared reasons of package secrets, so that
// awssm, ssm and extension classify an answer the same way.
package awserr

import "strings"

// deletionPhrases are the ways Secrets Manager and implementations of its
// API word an InvalidRequestException for a secret scheduled for deletion:
// AWS says "because it was marked for deletion", moto (and so LocalStack)
// "a secret that's currently marked deleted". Lower case.
var deletionPhrases = []string{
	"marked deleted",
	"marked for deletion",
	"scheduled for deletion",
	"pending deletion",
}

// MarkedForDeletion reports whether msg, the message of an
// InvalidRequestException (or an answer body relaying one), says that the
// secret is marked deleted, marked for deletion or scheduled for deletion,
// in any letter case.
func MarkedForDeletion(msg string) bool {
	msg = strings.ToLower(msg)
	for _, p := range deletionPhrases {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

// RefusesName reports whether code is one with which the services refuse
// a request's parameters: ValidationException (Secrets Manager and
// Parameter Store) or InvalidParameterException (Secrets Manager). The
// providers call it only for operations whose sole caller-chosen input is
// the secret's name (and the version selected by it), so such a refusal is
// about the name.
func RefusesName(code string) bool {
	return code == "ValidationException" || code == "InvalidParameterException"
}
