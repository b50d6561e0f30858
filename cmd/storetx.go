package cmd

import (
	"errors"
	"sync"

	"github.com/hi-cli/hi/internal/auth"
)

// storeTx is a credential store that remembers what each write replaced, so that a login
// failing at a later step (such as saving the config file) can put the previous
// credentials back.
type storeTx struct {
	auth.Store

	// mu guards undo and done, because an interrupt rolls back from another goroutine.
	mu   sync.Mutex
	undo []func()
	// done is set by commit or rollback; later calls of either do nothing.
	done bool
}

// Set stores the secret and records how to restore the previous one.
func (t *storeTx) Set(profile, kind, secret string) error {
	restore, err := t.restorer(profile, kind)
	if err != nil {
		return err
	}
	if err := t.Store.Set(profile, kind, secret); err != nil {
		return err
	}
	t.record(restore)
	return nil
}

// Delete removes the secret and records how to restore it.
func (t *storeTx) Delete(profile, kind string) error {
	restore, err := t.restorer(profile, kind)
	if err != nil {
		return err
	}
	if err := t.Store.Delete(profile, kind); err != nil {
		return err
	}
	t.record(restore)
	return nil
}

func (t *storeTx) record(restore func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.undo = append(t.undo, restore)
}

// commit keeps every write: a later rollback does nothing.
func (t *storeTx) commit() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.done = true
}

// restorer returns the function that puts back the current value of the entry, or deletes
// the entry when it has none.
func (t *storeTx) restorer(profile, kind string) (func(), error) {
	old, err := t.Store.Get(profile, kind)
	switch {
	case errors.Is(err, auth.ErrNotFound):
		return func() { t.Store.Delete(profile, kind) }, nil
	case err != nil:
		return nil, err
	}
	return func() { t.Store.Set(profile, kind, old) }, nil
}

// rollback undoes every recorded write, newest first, unless commit came first.
func (t *storeTx) rollback() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return
	}
	t.done = true
	for i := len(t.undo) - 1; i >= 0; i-- {
		t.undo[i]()
	}
}
