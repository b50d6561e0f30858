// Package auth keeps hi's credentials and signs requests with them: the credential stores
// (OS keyring or a 0600 file), the bearer and Cerner OAuth 1.0a signers and the token cache.
package auth

import (
	"errors"
	"fmt"
	"time"

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
// answers cannot hang hi.
const DefaultKeyringTimeout = 5 * time.Second

// ErrNotFound means the store has no secret of that kind for the profile.
var ErrNotFound = errors.New("credential not found")

// UnavailableError means the keyring could not be reached or did not answer in time.
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
type Keyring struct {
	Timeout time.Duration
}

// Name returns "keyring".
func (k *Keyring) Name() string { return "keyring" }

// Get returns the secret, ErrNotFound, or an *UnavailableError.
func (k *Keyring) Get(profile, kind string) (string, error) {
	var secret string
	err := k.call(func() error {
		var err error
		secret, err = keyring.Get(KeyringService, entryName(profile, kind))
		return err
	})
	return secret, err
}

// Set stores the secret, replacing any previous one only when the write succeeds.
func (k *Keyring) Set(profile, kind, secret string) error {
	return k.call(func() error {
		return keyring.Set(KeyringService, entryName(profile, kind), secret)
	})
}

// Delete removes the secret; a missing one is not an error.
func (k *Keyring) Delete(profile, kind string) error {
	err := k.call(func() error {
		return keyring.Delete(KeyringService, entryName(profile, kind))
	})
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// call runs op with the timeout. On timeout the call is abandoned in its goroutine, which
// ends when the process exits.
func (k *Keyring) call(op func() error) error {
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
		return &UnavailableError{Err: fmt.Errorf("no answer within %s", timeout)}
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
