package clientcred

import "time"

// SetNow makes s read the time from now. Call it before s is shared.
func SetNow(s *Source, now func() time.Time) { s.now = now }

// OnJoin makes s call f each time a caller starts waiting for a fetch that
// another caller runs. Call it before s is shared.
func OnJoin(s *Source, f func()) { s.joined = f }
