// Package atomicfile writes files so that readers see either the old or the new content,
// never a partial one, and serializes writers across processes with a lock file.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// BeforeRename, when non-nil, runs after the temporary file is written and synced and
// before it replaces the target. Tests use it to pause or fail a write at that point.
type BeforeRename func(tmpPath string) error

// Write replaces path with data. The data goes to a temporary file in the same directory,
// which is synced and then renamed over path, so a crash or a failed write leaves the old
// file intact. The directory is created with mode 0700 when missing. When path is a symbolic
// link, the file it points to is replaced and the link is kept.
func Write(path string, data []byte, perm os.FileMode, hook BeforeRename) error {
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		path = resolved
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create directory %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, tempPrefix(path)+"*")
	if err != nil {
		return fmt.Errorf("create temporary file in %s: %w", dir, err)
	}
	tmpPath := tmp.Name()
	defer os.Remove(tmpPath)

	// The *os.PathError from writeAndSync already names the temporary file.
	if err := writeAndSync(tmp, data, perm); err != nil {
		return err
	}
	if hook != nil {
		if err := hook(tmpPath); err != nil {
			return err
		}
	}
	if err := os.Rename(tmpPath, path); err != nil {
		return fmt.Errorf("replace %s: %w", path, err)
	}
	return nil
}

// tempPrefix returns the start of the names of path's temporary files.
func tempPrefix(path string) string {
	return "." + filepath.Base(path) + ".tmp-"
}

// RemoveTemporary deletes the temporary files that writes of path left behind when their
// process was killed between creating and renaming them. Call it only while holding
// Lock(path), so that no write of path in progress loses its file.
func RemoveTemporary(path string) error {
	dir := filepath.Dir(path)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, entry := range entries {
		if !strings.HasPrefix(entry.Name(), tempPrefix(path)) {
			continue
		}
		stale := filepath.Join(dir, entry.Name())
		if err := os.Remove(stale); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove the stale temporary file %s: %w", stale, err)
		}
	}
	return nil
}

func writeAndSync(f *os.File, data []byte, perm os.FileMode) error {
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Lock takes an exclusive lock on path+".lock", waiting for other holders, and returns
// the function that releases it. The lock file itself is left in place.
func Lock(path string) (unlock func(), err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create directory for %s: %w", path, err)
	}
	f, err := os.OpenFile(path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", f.Name(), err)
	}
	return func() {
		unlockFile(f)
		f.Close()
	}, nil
}
