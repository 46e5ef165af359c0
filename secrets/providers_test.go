package secrets

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestEnvName(t *testing.T) {
	tests := []struct{ name, want string }{
		{"prod/db", "PROD_DB"},
		{"prod/db-password", "PROD_DB_PASSWORD"},
		{"API_key.v2", "API_KEY_V2"},
		{"ünï", "__N__"}, // ü and ï are two bytes each
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EnvName(tt.name); got != tt.want {
				t.Errorf("EnvName(%q) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

func TestEnv(t *testing.T) {
	t.Setenv("FNSTEST_PROD_DB", "db-pass")
	t.Setenv("FNSTEST_EMPTY", "")
	p := Env("FNSTEST_")
	tests := []struct {
		name    string
		secret  string
		want    string
		wantErr error
	}{
		{"mapped name", "prod/db", "db-pass", nil},
		{"case folded", "PROD/DB", "db-pass", nil},
		{"set but empty", "empty", "", nil},
		{"unset", "prod/other", "", ErrNotFound},
		{"invalid name", "prod\x00db", "", ErrInvalidName},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := p.Fetch(context.Background(), tt.secret)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr != nil) != (err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if string(b) != tt.want {
				t.Errorf("value = %q, want %q", b, tt.want)
			}
		})
	}
}

func TestStatic(t *testing.T) {
	m := map[string]string{"a": "1"}
	p := Static(m)
	m["a"] = "changed"
	m["b"] = "2"
	b, err := p.Fetch(context.Background(), "a")
	if err != nil || string(b) != "1" {
		t.Errorf("Fetch(a) = %q, %v; want 1 (map copied)", b, err)
	}
	b[0] = 'X'
	if b, _ := p.Fetch(context.Background(), "a"); string(b) != "1" {
		t.Errorf("Fetch after changing a returned slice = %q, want 1", b)
	}
	if _, err := p.Fetch(context.Background(), "b"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Fetch(b) err = %v, want ErrNotFound", err)
	}
}

// dirFixture lays out base/root (the secrets directory) and base/outside.
func dirFixture(t testing.TB) (root, outside string) {
	t.Helper()
	base := t.TempDir()
	root = filepath.Join(base, "root")
	outside = filepath.Join(base, "outside")
	write := func(path, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(root, "db"), "db-pass")
	write(filepath.Join(root, "prod", "api"), "api-key\n")
	write(filepath.Join(root, "big"), strings.Repeat("x", MaxDirFileSize+1))
	write(filepath.Join(root, "max"), strings.Repeat("x", MaxDirFileSize))
	write(outside, "OUTSIDE-SECRET")
	if err := os.Mkdir(filepath.Join(root, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{
		"link-in":      "db",
		"link-up":      "../outside",
		"link-abs":     outside,
		"prod/link-up": "../../outside",
		"prod/up-in":   "../db",
	} {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	return root, outside
}

func TestDir(t *testing.T) {
	root, _ := dirFixture(t)
	p := Dir(root)
	tests := []struct {
		name    string
		secret  string
		want    string
		wantErr error // nil: success; errAny: any error
	}{
		{"file", "db", "db-pass", nil},
		{"nested file, newline kept", "prod/api", "api-key\n", nil},
		{"symlink inside", "link-in", "db-pass", nil},
		{"symlink up but inside", "prod/up-in", "db-pass", nil},
		{"exactly max size", "max", strings.Repeat("x", MaxDirFileSize), nil},
		{"missing", "nope", "", ErrNotFound},
		{"missing nested", "prod/nope", "", ErrNotFound},
		{"dot-dot", "../outside", "", ErrInvalidName},
		{"dot-dot inside path", "prod/../db", "", ErrInvalidName},
		{"absolute", "/etc/passwd", "", ErrInvalidName},
		{"dot", ".", "", ErrInvalidName},
		{"leading dot element", "./db", "", ErrInvalidName},
		{"empty element", "prod//api", "", ErrInvalidName},
		{"trailing slash", "prod/", "", ErrInvalidName},
		{"NUL", "db\x00", "", ErrInvalidName},
		{"empty", "", "", ErrInvalidName},
		{"symlink escaping up", "link-up", "", errAny},
		{"symlink escaping absolute", "link-abs", "", errAny},
		{"nested symlink escaping", "prod/link-up", "", errAny},
		{"directory", "sub", "", errAny},
		{"too large", "big", "", errAny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := p.Fetch(context.Background(), tt.secret)
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("err = %v, want nil", err)
			case tt.wantErr == errAny && err == nil, tt.wantErr != nil && tt.wantErr != errAny && !errors.Is(err, tt.wantErr):
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if string(b) != tt.want {
				t.Errorf("value = %.40q, want %.40q", b, tt.want)
			}
			if err != nil && tt.secret != "" && strings.Contains(err.Error(), root) {
				t.Errorf("error %q contains the directory path", err)
			}
		})
	}
	if _, err := Dir(filepath.Join(root, "does-not-exist")).Fetch(context.Background(), "db"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing directory: err = %v, want ErrNotFound", err)
	}
}

// TestDirError tests the mapping of file errors directly: the tests run as
// root, which may read a file of mode 0, so a real permission error
// cannot be produced here.
func TestDirError(t *testing.T) {
	const path = "/run/secrets/prod/db-password"
	tests := []struct {
		name     string
		err      error
		want     error
		wantText string
	}{
		{"missing", &fs.PathError{Op: "openat", Path: path, Err: fs.ErrNotExist}, ErrNotFound,
			"secrets: dir: no such secret file: secrets: not found"},
		{"missing errno", &fs.PathError{Op: "openat", Path: path, Err: syscall.ENOENT}, ErrNotFound,
			"secrets: dir: no such secret file: secrets: not found"},
		{"permission", &fs.PathError{Op: "openat", Path: path, Err: fs.ErrPermission}, ErrAccessDenied,
			"secrets: dir: cannot read secret file: permission denied: secrets: access denied"},
		{"permission errno", &fs.PathError{Op: "read", Path: path, Err: syscall.EACCES}, ErrAccessDenied,
			"secrets: dir: cannot read secret file: permission denied: secrets: access denied"},
		{"not permitted errno", &fs.PathError{Op: "openat", Path: path, Err: syscall.EPERM}, ErrAccessDenied,
			"secrets: dir: cannot read secret file: operation not permitted: secrets: access denied"},
		{"other", &fs.PathError{Op: "read", Path: path, Err: syscall.EIO}, syscall.EIO,
			"secrets: dir: cannot read secret file: input/output error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := dirError(tt.err)
			if !errors.Is(err, tt.want) {
				t.Errorf("dirError(%v) = %v, want errors.Is %v", tt.err, err, tt.want)
			}
			for _, other := range []error{ErrNotFound, ErrAccessDenied} {
				if other != tt.want && errors.Is(err, other) {
					t.Errorf("dirError(%v) = %v, also matches %v", tt.err, err, other)
				}
			}
			if got := err.Error(); got != tt.wantText {
				t.Errorf("text = %q, want %q", got, tt.wantText)
			}
			if strings.Contains(err.Error(), "db-password") {
				t.Errorf("text %q names the file", err)
			}
		})
	}
}

// errAny marks a test case that expects some error.
var errAny = errors.New("any error")
