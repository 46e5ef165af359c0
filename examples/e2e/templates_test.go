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
// repository. Its go.mod starts from this module's requirements and go.sum.
// First, in this repository and with the environment's GOPROXY, the test
// fills the module cache with what the examples' packages and tests import
// (a no-op when the cache already holds it, as it does after this module's
// own build). The copies then run with GOFLAGS=-mod=mod (add what is
// missing), GOPROXY=off (only the local module cache) and GOSUMDB=off (those
// modules were verified when this module fetched them): a copy that needs a
// module this repository does not fails rather than fetching it. `go mod
// tidy` is not run: it would also want the modules that the dependencies'
// own tests import, which the cache need not hold.
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
	fillModuleCache(t, root, examples)
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

// fillModuleCache downloads into the module cache, with the environment's
// GOPROXY, the modules that the packages and tests of the named examples
// import, as this repository requires them: what their copies need, so
// that the copies can run with GOPROXY=off even on an empty cache.
func fillModuleCache(t *testing.T, root string, examples []string) {
	t.Helper()
	args := []string{"list", "-mod=readonly", "-deps", "-test"}
	for _, name := range examples {
		args = append(args, "./examples/"+name+"/...")
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOTOOLCHAIN=local")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go list -deps -test the examples, to fill the module cache: %v\n%s", err, out)
	}
}
