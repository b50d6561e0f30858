package httpx

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxFileName bounds a download's file name, in bytes, to what common file systems accept.
const maxFileName = 255

// DownloadName returns the file name for a download: the filename* or filename parameter of
// the Content-Disposition header (RFC 6266; mime.ParseMediaType decodes filename*), else the
// last segment of the URL path. Either is reduced to a safe base name by SafeFileName, so a
// server can never place the file outside the current directory. It returns "" when neither
// gives a usable name.
func DownloadName(resp *http.Response) string {
	if _, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); err == nil {
		if name := SafeFileName(params["filename"]); name != "" {
			return name
		}
	}
	if resp.Request == nil {
		return ""
	}
	path := strings.TrimRight(resp.Request.URL.Path, "/")
	return SafeFileName(path[strings.LastIndex(path, "/")+1:])
}

// SafeFileName reduces name to a base name that stays in the current directory. It keeps
// the part after the last slash or backslash and removes control characters, leading dots
// and trailing dots and spaces, so "..", "." and hidden files cannot result. The name is
// cut to 255 bytes.
func SafeFileName(name string) string {
	name = name[strings.LastIndexAny(name, `/\`)+1:]
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return -1
		}
		return r
	}, name)
	name = strings.TrimLeft(name, ". ")
	name = strings.TrimRight(name, ". ")
	for len(name) > maxFileName {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return name
}

// FileExistsError is a download that would replace an existing file.
type FileExistsError struct {
	Path string
}

func (e *FileExistsError) Error() string {
	return fmt.Sprintf("%s already exists: remove it or choose another name with -o FILE", e.Path)
}

// Is makes errors.Is(err, fs.ErrExist) true.
func (e *FileExistsError) Is(target error) bool { return target == fs.ErrExist }

// SaveNewFile writes body to a new file path, through a temporary file beside it, and never
// replaces an existing file: it fails with a *FileExistsError when path exists,
// before or after the body is written. The file is readable by its owner only (0600), because
// API responses can hold patient data. It returns the number of bytes written.
func SaveNewFile(path string, body io.Reader) (int64, error) {
	if _, err := os.Lstat(path); err == nil {
		return 0, &FileExistsError{Path: path}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".part-*")
	if err != nil {
		return 0, fmt.Errorf("create %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	n, err := io.Copy(tmp, body)
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return n, err
	}

	// A hard link fails when path exists, so no file is replaced even if one appeared while
	// the body was written.
	err = os.Link(tmp.Name(), path)
	if errors.Is(err, fs.ErrExist) {
		return n, &FileExistsError{Path: path}
	}
	if err != nil {
		// Some file systems have no hard links: reserve the name, then move the file onto it.
		reserved, createErr := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if createErr != nil {
			return n, fmt.Errorf("create %s: %w", path, createErr)
		}
		reserved.Close()
		return n, os.Rename(tmp.Name(), path)
	}
	return n, nil
}
