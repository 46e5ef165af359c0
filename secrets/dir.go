package secrets

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// MaxDirFileSize is the largest secret file [Dir] reads: 1 MiB.
const MaxDirFileSize = 1 << 20

var (
	errDirPath     = fmt.Errorf("%w: not a local slash-separated path", ErrInvalidName)
	errDirNotFile  = errors.New("secrets: dir: secret is not a regular file")
	errDirTooLarge = errors.New("secrets: dir: secret file larger than 1 MiB")
)

// A DirProvider reads secrets from files under one directory. Create one
// with [Dir]. It is safe for concurrent use.
type DirProvider struct {
	path string
}

// Dir returns a Provider that reads the secret "name" from the file
// path/name, as secrets mounted into containers are laid out (one file per
// secret; "prod/db" is the file "db" in the subdirectory "prod"). The file's
// bytes are the value, unchanged (no newline is trimmed).
//
// Names must be local, slash-separated paths (io/fs.ValidPath): no leading
// "/", no "." or ".." elements, no empty elements; other names are refused
// with [ErrInvalidName]. Files are opened through an [os.Root] at path,
// opened afresh on each fetch (so a remounted or atomically swapped
// directory is seen), which refuses symbolic links that lead out of it.
// Files that are not regular files or are larger than [MaxDirFileSize] are
// refused. A missing file is reported as [ErrNotFound], and a file or
// directory the process may not read (permission denied) as
// [ErrAccessDenied].
func Dir(path string) *DirProvider { return &DirProvider{path: path} }

// Fetch reads the file for name.
func (p *DirProvider) Fetch(_ context.Context, name string) ([]byte, error) {
	if err := checkDirName(name); err != nil {
		return nil, err
	}
	f, err := os.OpenInRoot(p.path, name)
	if err != nil {
		return nil, dirError(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, dirError(err)
	}
	if !st.Mode().IsRegular() {
		return nil, errDirNotFile
	}
	if st.Size() > MaxDirFileSize {
		return nil, errDirTooLarge
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxDirFileSize+1))
	if err != nil {
		clear(b)
		return nil, dirError(err)
	}
	if len(b) > MaxDirFileSize {
		clear(b)
		return nil, errDirTooLarge
	}
	return b, nil
}

// checkDirName applies the name rules of Dir.
func checkDirName(name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	if !fs.ValidPath(name) || name == "." {
		return errDirPath
	}
	return nil
}

// dirError maps a file error to one without the path in its text, wrapping
// the shared reason ([ErrNotFound], [ErrAccessDenied]) where there is one.
func dirError(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("secrets: dir: no such secret file: %w", ErrNotFound)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("secrets: dir: cannot read secret file: %w: %w", err, ErrAccessDenied)
	}
	return fmt.Errorf("secrets: dir: cannot read secret file: %w", err)
}
