// Package testtool finds the external programs that some fnshield tests
// need (redis-server, the Lambda Runtime Interface Emulator). A test that
// lacks its tool is skipped with a message saying how to get it, except
// under CI=true, where a missing tool fails the test: CI must never count a
// skipped test as a pass.
package testtool

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// InCI reports whether the tests run under CI (the CI environment variable
// is "true").
func InCI() bool { return os.Getenv("CI") == "true" }

// Require returns the path of the program name, looked up in the module's
// .bin directory (where the test command installs tools) and then in PATH.
// When it is absent, Require skips t with a message naming the program and
// hint, or fails t under CI=true.
func Require(t testing.TB, name, hint string) string {
	t.Helper()
	if p, ok := Find(name); ok {
		return p
	}
	Unavailable(t, name+" not found ("+hint+")")
	return ""
}

// Unavailable skips t with msg, or fails t under CI=true.
func Unavailable(t testing.TB, msg string) {
	t.Helper()
	if InCI() {
		t.Fatalf("CI=true: %s", msg)
		return
	}
	t.Skipf("skipping: %s", msg)
}

// Find looks up name in the module's .bin directory, then in PATH.
func Find(name string) (string, bool) {
	if root, ok := moduleRoot(); ok {
		p := filepath.Join(root, ".bin", name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p, true
		}
	}
	p, err := exec.LookPath(name)
	return p, err == nil
}

// moduleRoot is the directory holding go.mod, found from this source file.
func moduleRoot() (string, bool) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", false
	}
	dir := filepath.Dir(file)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}
