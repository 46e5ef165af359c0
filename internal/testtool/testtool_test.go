package testtool

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFindInPath(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "fnshield-fake-tool")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	got, ok := Find("fnshield-fake-tool")
	if !ok || got != bin {
		t.Fatalf("Find = %q, %v; want %q, true", got, ok, bin)
	}
	if _, ok := Find("fnshield-no-such-tool"); ok {
		t.Fatal("Find reported a tool that does not exist")
	}
}

func TestModuleRoot(t *testing.T) {
	root, ok := moduleRoot()
	if !ok {
		t.Fatal("module root not found")
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root %s has no go.mod: %v", root, err)
	}
}

// fakeTB records whether a test was skipped or failed.
type fakeTB struct {
	testing.TB
	skipped, failed bool
}

func (f *fakeTB) Helper()               {}
func (f *fakeTB) Skipf(string, ...any)  { f.skipped = true }
func (f *fakeTB) Fatalf(string, ...any) { f.failed = true }

func TestUnavailableSkipsLocallyFailsInCI(t *testing.T) {
	t.Setenv("CI", "")
	local := &fakeTB{}
	Unavailable(local, "tool missing")
	if !local.skipped || local.failed {
		t.Fatalf("outside CI: skipped=%v failed=%v, want skipped only", local.skipped, local.failed)
	}
	t.Setenv("CI", "true")
	ci := &fakeTB{}
	Unavailable(ci, "tool missing")
	if ci.skipped || !ci.failed {
		t.Fatalf("under CI=true: skipped=%v failed=%v, want failed only", ci.skipped, ci.failed)
	}
}
