package httpx

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/hi-cli/hi/internal/atomicfile"
)

// ResponseCache keeps the last body and ETag of GET responses, one file per profile and URL,
// so that a later request can send If-None-Match and print the stored body on a 304. Files
// are 0600 in directories of 0700, because bodies can hold patient data.
type ResponseCache struct {
	// Dir is the directory of the entries.
	Dir string
}

// CachedResponse is one stored response.
type CachedResponse struct {
	// URL is the request URL, kept to detect the unlikely collision of two keys.
	URL         string `json:"url"`
	ETag        string `json:"etag"`
	ContentType string `json:"contentType,omitempty"`
	Body        []byte `json:"body"`
}

// path returns the file of the entry for profile and rawURL: a hash of both, so that no URL
// can name a file outside Dir.
func (c *ResponseCache) path(profile, rawURL string) string {
	sum := sha256.Sum256([]byte(profile + "\n" + rawURL))
	return filepath.Join(c.Dir, hex.EncodeToString(sum[:])+".json")
}

// Get returns the entry for profile and rawURL, or nil when there is none. An unreadable
// or corrupt entry counts as none.
func (c *ResponseCache) Get(profile, rawURL string) *CachedResponse {
	data, err := os.ReadFile(c.path(profile, rawURL))
	if err != nil {
		return nil
	}
	var entry CachedResponse
	if json.Unmarshal(data, &entry) != nil || entry.URL != rawURL || entry.ETag == "" {
		return nil
	}
	return &entry
}

// Put stores entry for profile and entry.URL, replacing any earlier one.
func (c *ResponseCache) Put(profile string, entry CachedResponse) error {
	data, err := json.Marshal(entry)
	if err != nil {
		return err
	}
	if err := atomicfile.Write(c.path(profile, entry.URL), data, 0o600, nil); err != nil {
		return fmt.Errorf("store the response for --etag: %w", err)
	}
	return nil
}

// Delete removes the entry for profile and rawURL, if there is one.
func (c *ResponseCache) Delete(profile, rawURL string) error {
	err := os.Remove(c.path(profile, rawURL))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove the stored response for --etag: %w", err)
	}
	return nil
}
