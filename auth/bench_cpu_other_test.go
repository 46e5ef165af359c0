//go:build !unix

package auth

import "testing"

// measureCPU reports nothing where getrusage is not available.
func measureCPU(*testing.B) func() { return func() {} }
