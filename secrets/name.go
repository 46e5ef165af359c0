package secrets

import (
	"fmt"
	"unicode/utf8"
)

// maxNameLen bounds secret names. AWS allows 512 characters for a Secrets
// Manager name and 2048 for an SSM parameter path; 512 bytes covers the
// names used in practice and keeps error texts and spans bounded.
const maxNameLen = 512

var (
	errNameEmpty   = fmt.Errorf("%w: empty", ErrInvalidName)
	errNameLong    = fmt.Errorf("%w: longer than 512 bytes", ErrInvalidName)
	errNameUTF8    = fmt.Errorf("%w: not valid UTF-8", ErrInvalidName)
	errNameControl = fmt.Errorf("%w: contains a control character", ErrInvalidName)
)

// checkName reports whether name may be used as a secret name. The error
// says why, never what the name was.
func checkName(name string) error {
	switch {
	case name == "":
		return errNameEmpty
	case len(name) > maxNameLen:
		return errNameLong
	case !utf8.ValidString(name):
		return errNameUTF8
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return errNameControl
		}
	}
	return nil
}
