package auth

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"go.yaml.in/yaml/v3"

	"github.com/hi-cli/hi/internal/atomicfile"
)

// FileStore keeps secrets in a 0600 YAML file, for machines without a usable keyring.
// Writes are atomic and serialized across processes.
type FileStore struct {
	Path string
	// BeforeRename, when non-nil, runs inside each write (see atomicfile.Write).
	BeforeRename atomicfile.BeforeRename
}

// Name returns "file".
func (s *FileStore) Name() string { return "file" }

// Get returns the secret or ErrNotFound.
func (s *FileStore) Get(profile, kind string) (string, error) {
	m, err := s.load()
	if err != nil {
		return "", err
	}
	secret, ok := m[profile][kind]
	if !ok {
		return "", ErrNotFound
	}
	return secret, nil
}

// Set stores the secret.
func (s *FileStore) Set(profile, kind, secret string) error {
	return s.update(func(m map[string]map[string]string) {
		if m[profile] == nil {
			m[profile] = map[string]string{}
		}
		m[profile][kind] = secret
	})
}

// Delete removes the secret; a missing one is not an error.
func (s *FileStore) Delete(profile, kind string) error {
	return s.update(func(m map[string]map[string]string) {
		delete(m[profile], kind)
		if len(m[profile]) == 0 {
			delete(m, profile)
		}
	})
}

func (s *FileStore) load() (map[string]map[string]string, error) {
	m := map[string]map[string]string{}
	data, err := os.ReadFile(s.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read credentials file: %w", err)
	}
	if err := yaml.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("parse credentials file %s: %w", s.Path, err)
	}
	return m, nil
}

func (s *FileStore) update(change func(map[string]map[string]string)) error {
	unlock, err := atomicfile.Lock(s.Path)
	if err != nil {
		return err
	}
	defer unlock()
	// A write killed before its rename leaves a temporary file with secrets in it.
	if err := atomicfile.RemoveTemporary(s.Path); err != nil {
		return err
	}

	m, err := s.load()
	if err != nil {
		return err
	}
	change(m)
	data, err := yaml.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode credentials: %w", err)
	}
	return atomicfile.Write(s.Path, data, 0o600, s.BeforeRename)
}
