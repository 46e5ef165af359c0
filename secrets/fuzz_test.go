package secrets

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
)

// FuzzDirName feeds arbitrary names to Dir: it must never panic, never read
// the file outside its root (directly, through "..", absolute paths or
// symbolic links), and accept only names that are local paths.
func FuzzDirName(f *testing.F) {
	for _, seed := range []string{
		"db", "prod/api", "link-in", "link-up", "link-abs", "prod/link-up",
		"../outside", "prod/../../outside", "/etc/passwd", ".", "..", "./db",
		"prod//api", "prod/", "db\x00", "", "sub", "big", "\\..\\outside",
		"prod/up-in", "prod/./api", strings.Repeat("a/", 300),
	} {
		f.Add(seed)
	}
	root, _ := dirFixture(f)
	p := Dir(root)
	f.Fuzz(func(t *testing.T, name string) {
		b, err := p.Fetch(context.Background(), name)
		if strings.Contains(string(b), "OUTSIDE") {
			t.Fatalf("Fetch(%q) read the file outside the root", name)
		}
		if err == nil {
			if !fs.ValidPath(name) || name == "." {
				t.Fatalf("Fetch(%q) accepted a name that is not a local path", name)
			}
			if checkName(name) != nil {
				t.Fatalf("Fetch(%q) accepted an invalid secret name", name)
			}
		}
		if err != nil && b != nil {
			t.Fatalf("Fetch(%q) returned bytes with error %v", name, err)
		}
		if err != nil && len(name) > 3 && !errors.Is(err, ErrInvalidName) && strings.Contains(err.Error(), name) {
			t.Fatalf("error %q echoes the name", err)
		}
	})
}
