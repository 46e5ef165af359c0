package secrets

import (
	"fmt"
	"unicode/utf8"
)

// MaxNameLen bounds secret names, in bytes. It is above what AWS accepts
// (2048 characters for a Secrets Manager secret ID, name or ARN, and for
// an SSM parameter name with its path), with room for a version or field
// selector and a routing prefix, and it keeps error texts and spans
// bounded.
const MaxNameLen = 4096

var (
	errNameEmpty   = fmt.Errorf("%w: empty", ErrInvalidName)
	errNameLong    = fmt.Errorf("%w: longer than 4096 bytes", ErrInvalidName)
	errNameUTF8    = fmt.Errorf("%w: not valid UTF-8", ErrInvalidName)
	errNameControl = fmt.Errorf("%w: contains a control character", ErrInvalidName)
)

// checkName reports whether name may be used as a secret name. The error
// says why, never what the name was.
func checkName(name string) error {
	switch {
	case name == "":
		return errNameEmpty
	case len(name) > MaxNameLen:
		return errNameLong
	case !utf8.ValidString(name):
		return errNameUTF8
	}
	if hasControl(name) {
		return errNameControl
	}
	return nil
}

// hasControl reports whether s holds a C0 or C1 control character or DEL.
func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return true
		}
	}
	return false
}
