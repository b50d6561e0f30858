// Package auth keeps hi's credentials and signs requests with them: the credential stores
// (OS keyring or a 0600 file), the bearer and Cerner OAuth 1.0a signers and the token cache.
package auth

import (
	"errors"
	"fmt"
	"hash/crc32"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/zalando/go-keyring"
)

// Kinds of secret kept per profile.
const (
	KindBearer         = "bearer"
	KindConsumerSecret = "consumer-secret"
	KindAccessToken    = "oauth-token"
)

// KeyringService is the service name of every keyring entry hi writes.
const KeyringService = "hi"

// DefaultKeyringTimeout bounds each keyring call, so that a Secret Service that never
// responds cannot hang hi.
const DefaultKeyringTimeout = 5 * time.Second

// ErrNotFound means the store has no secret of that kind for the profile.
var ErrNotFound = errors.New("credential not found")

// UnavailableError means the keyring could not be reached or did not respond in time.
type UnavailableError struct {
	Err error
}

func (e *UnavailableError) Error() string {
	return fmt.Sprintf("the OS keyring is not available (%v); set the credential in the environment "+
		"(HI_TOKEN, or HI_CONSUMER_KEY and HI_CONSUMER_SECRET), or log in again with "+
		"hi login --insecure-storage to keep it in a 0600 file beside the config", e.Err)
}

func (e *UnavailableError) Unwrap() error { return e.Err }

// Store keeps secrets per profile and kind.
type Store interface {
	Get(profile, kind string) (string, error)
	Set(profile, kind, secret string) error
	Delete(profile, kind string) error
	// Name is where the secrets are kept, as shown to the user ("keyring" or "file").
	Name() string
}

// Keyring is the OS keyring: Secret Service on Linux, Keychain on macOS, Credential Manager
// on Windows.
//
// A secret longer than chunkSize bytes is split across several entries, because the
// Credential Manager rejects a secret over 2,560 bytes and go-keyring's Keychain client
// rejects a command over 4,096 bytes. The first entry, PROFILE:KIND, starts with a header
// that records the number of chunks and a CRC-32 of the whole secret, followed by the first
// chunk. The other chunks are in PROFILE:KIND#1, PROFILE:KIND#2 and so on. A short secret is
// stored as is in PROFILE:KIND, as before chunking existed.
type Keyring struct {
	Timeout time.Duration

	// timedOut is set once a call got no response within Timeout; later calls on the same
	// Keyring fail at once, so that a command making several calls waits one timeout, not
	// one per call.
	mu       sync.Mutex
	timedOut error
}

// Chunking limits. chunkSize leaves room for the header within the Credential Manager's
// 2,560 bytes, and for base64 and the command around it within the Keychain's 4,096.
const (
	chunkSize = 2000
	maxChunks = 64
	// chunkMarker starts the first entry of a chunked secret. A short secret that itself
	// starts with it is stored chunked, so that Get never mistakes one for the other.
	chunkMarker = "hi-keyring-chunks:"
)

// Name returns "keyring".
func (k *Keyring) Name() string { return "keyring" }

// Get returns the secret, ErrNotFound, or an *UnavailableError. A chunked secret whose
// chunks are missing or do not match the header's checksum is an error of its own.
func (k *Keyring) Get(profile, kind string) (string, error) {
	name := entryName(profile, kind)
	head, err := k.get(name)
	if err != nil || !strings.HasPrefix(head, chunkMarker) {
		return head, err
	}
	count, sum, first, err := parseChunkHeader(head)
	if err != nil {
		return "", incompleteError(name, err)
	}
	var b strings.Builder
	b.WriteString(first)
	for i := 1; i < count; i++ {
		chunk, err := k.get(chunkName(name, i))
		if errors.Is(err, ErrNotFound) {
			return "", incompleteError(name, fmt.Errorf("chunk %d of %d is missing", i, count))
		}
		if err != nil {
			return "", err
		}
		b.WriteString(chunk)
	}
	secret := b.String()
	if crc32.ChecksumIEEE([]byte(secret)) != sum {
		return "", incompleteError(name, errors.New("the chunks do not match the checksum"))
	}
	return secret, nil
}

// Set stores the secret, then removes chunks left over from a longer previous secret. It
// writes the first entry last, so a short secret, or a long one that replaces a short one,
// replaces the previous secret only when every write succeeds.
// NOTE: a long secret that replaces another long one overwrites its chunks, so a failed
// write can leave the previous secret unreadable. Get then reports it as incomplete.
func (k *Keyring) Set(profile, kind, secret string) error {
	name := entryName(profile, kind)
	chunks := splitSecret(secret)
	if len(chunks) > maxChunks {
		return fmt.Errorf("secret for %s is %d bytes, over the keyring limit of %d bytes", name, len(secret), maxChunks*chunkSize)
	}
	head := secret
	if len(chunks) > 1 || strings.HasPrefix(secret, chunkMarker) {
		head = fmt.Sprintf("%s%d:%08x:%s", chunkMarker, len(chunks), crc32.ChecksumIEEE([]byte(secret)), chunks[0])
	}

	previous, err := k.chunkCount(name)
	if err != nil {
		return err
	}
	for i := 1; i < len(chunks); i++ {
		if err := k.set(chunkName(name, i), chunks[i]); err != nil {
			return err
		}
	}
	if err := k.set(name, head); err != nil {
		return err
	}
	return k.deleteChunks(name, len(chunks), previous)
}

// Delete removes the secret and all its chunks. A missing secret is not an error.
func (k *Keyring) Delete(profile, kind string) error {
	name := entryName(profile, kind)
	count, err := k.chunkCount(name)
	if err != nil {
		return err
	}
	if err := k.delete(name); err != nil {
		return err
	}
	return k.deleteChunks(name, 1, count)
}

// chunkCount returns the number of chunks that the header in the entry name records, or 0
// when the entry is missing, short or has a malformed header.
func (k *Keyring) chunkCount(name string) (int, error) {
	head, err := k.get(name)
	if errors.Is(err, ErrNotFound) {
		return 0, nil
	}
	if err != nil || !strings.HasPrefix(head, chunkMarker) {
		return 0, err
	}
	count, _, _, err := parseChunkHeader(head)
	if err != nil {
		return 0, nil
	}
	return count, nil
}

// deleteChunks deletes the chunk entries numbered from first up to count-1, where a missing
// one is skipped, and then on until one is missing, which catches chunks that no header
// records any longer.
func (k *Keyring) deleteChunks(name string, first, count int) error {
	for i := first; i < maxChunks; i++ {
		err := k.call(func() error { return keyring.Delete(KeyringService, chunkName(name, i)) })
		if errors.Is(err, ErrNotFound) && i >= count-1 {
			return nil
		}
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
	}
	return nil
}

func (k *Keyring) get(name string) (string, error) {
	var secret string
	err := k.call(func() error {
		var err error
		secret, err = keyring.Get(KeyringService, name)
		return err
	})
	return secret, err
}

func (k *Keyring) set(name, secret string) error {
	return k.call(func() error { return keyring.Set(KeyringService, name, secret) })
}

// delete removes one entry; a missing one is not an error.
func (k *Keyring) delete(name string) error {
	err := k.call(func() error { return keyring.Delete(KeyringService, name) })
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// call runs op with the timeout. On timeout the call is abandoned in its goroutine, which
// ends when the process exits.
func (k *Keyring) call(op func() error) error {
	if err := checkSessionBus(); err != nil {
		return &UnavailableError{Err: err}
	}
	k.mu.Lock()
	failed := k.timedOut
	k.mu.Unlock()
	if failed != nil {
		return failed
	}
	timeout := k.Timeout
	if timeout <= 0 {
		timeout = DefaultKeyringTimeout
	}
	done := make(chan error, 1)
	go func() { done <- op() }()

	select {
	case err := <-done:
		return classify(err)
	case <-time.After(timeout):
		err := &UnavailableError{Err: fmt.Errorf("no response within %s", timeout)}
		k.mu.Lock()
		k.timedOut = err
		k.mu.Unlock()
		return err
	}
}

func classify(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound):
		return ErrNotFound
	default:
		return &UnavailableError{Err: err}
	}
}

func entryName(profile, kind string) string {
	return profile + ":" + kind
}

func chunkName(name string, i int) string {
	return name + "#" + strconv.Itoa(i)
}

// splitSecret cuts secret into chunks of at most chunkSize bytes, each ending on a UTF-8
// character boundary. It returns one chunk, possibly empty, for a short secret.
func splitSecret(secret string) []string {
	var chunks []string
	for len(secret) > chunkSize {
		end := chunkSize
		for end > 0 && !utf8.RuneStart(secret[end]) {
			end--
		}
		chunks = append(chunks, secret[:end])
		secret = secret[end:]
	}
	return append(chunks, secret)
}

// parseChunkHeader splits the first entry of a chunked secret into the chunk count, the
// checksum and the first chunk.
func parseChunkHeader(head string) (count int, sum uint32, first string, err error) {
	fields := strings.SplitN(strings.TrimPrefix(head, chunkMarker), ":", 3)
	if len(fields) != 3 {
		return 0, 0, "", errors.New("the header is malformed")
	}
	count, err = strconv.Atoi(fields[0])
	if err != nil || count < 1 || count > maxChunks {
		return 0, 0, "", fmt.Errorf("invalid chunk count %q", fields[0])
	}
	sum64, err := strconv.ParseUint(fields[1], 16, 32)
	if err != nil {
		return 0, 0, "", fmt.Errorf("invalid checksum %q", fields[1])
	}
	return count, uint32(sum64), fields[2], nil
}

func incompleteError(name string, err error) error {
	return fmt.Errorf("keyring entry %s/%s is incomplete (%w): log in again to replace it", KeyringService, name, err)
}
