package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestExamplesAreTemplates copies each example folder into a module of its
// own, as a user starting from it would, and builds, vets and tests it
// there: an example that imports fnshield's internal packages, or relies on
// a file outside its folder, fails here.
//
// The copy requires fnshield through a replace directive pointing at this
// repository. It needs no network: its go.mod starts from this module's
// requirements and go.sum, and the go command runs with GOFLAGS=-mod=mod
// (add what is missing), GOPROXY=off (only the local module cache) and
// GOSUMDB=off (those modules were verified when this module fetched them).
// `go mod tidy` is not run: it would also want the modules that the
// dependencies' own tests import, which the cache need not hold.
func TestExamplesAreTemplates(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the template builds in -short mode")
	}
	root := repoRoot(t)
	entries, err := os.ReadDir(filepath.Join(root, "examples"))
	if err != nil {
		t.Fatal(err)
	}
	var examples []string
	for _, e := range entries {
		if e.IsDir() && e.Name() != "e2e" {
			examples = append(examples, e.Name())
		}
	}
	rootMod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	gosum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	// This module's go directive and requirements, without its module line.
	_, requirements, _ := strings.Cut(string(rootMod), "\n")
	if len(examples) < 3 {
		t.Fatalf("found examples %v, want demo, lambda-httpapi, authorizer and more", examples)
	}
	for _, name := range examples {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(filepath.Join(root, "examples", name))); err != nil {
				t.Fatal(err)
			}
			gomod := "module example.com/" + name + "\n" + requirements +
				"\nrequire github.com/fnshield/fnshield v0.0.0-00010101000000-000000000000\n" +
				"\nreplace github.com/fnshield/fnshield => " + root + "\n"
			if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "go.sum"), gosum, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, args := range [][]string{
				{"build", "./..."},
				{"vet", "./..."},
				// -short: the copy's own tests, without the slower ones
				// that build and start binaries.
				{"test", "-short", "-count=1", "./..."},
			} {
				cmd := exec.Command("go", args...)
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOSUMDB=off", "GOWORK=off", "GOTOOLCHAIN=local")
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("go %s in a copy of examples/%s: %v\n%s", strings.Join(args, " "), name, err, out)
				}
			}
		})
	}
}
