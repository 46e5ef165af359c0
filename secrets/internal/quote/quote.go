// Package quote quotes secret names for the error texts of the providers
// under secrets, so that they are bounded the same way everywhere.
package quote

import (
	"strconv"

	"github.com/fnshield/fnshield/secrets"
)

// shown is how many bytes of an over-long name an error text shows.
const shown = 64

// Name returns name quoted as strconv.Quote does, cut to its first 64
// bytes followed by "..." if it is longer than [secrets.MaxNameLen], so
// that a name no provider accepts cannot make an error text unbounded.
func Name(name string) string {
	if len(name) > secrets.MaxNameLen {
		return strconv.Quote(name[:shown]) + "..."
	}
	return strconv.Quote(name)
}
