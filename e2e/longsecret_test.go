package e2e

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
)

// TestLongTokenInKeyring stores a 10 KB bearer token, longer than the Credential Manager's
// 2,560-byte limit, and checks that it comes back whole and that logout removes every chunk.
func TestLongTokenInKeyring(t *testing.T) {
	requireKeyring(t)
	srv := startSandbox(t)
	e := newEnv(t)
	const profile = "e2e-long-token"
	token := strings.Repeat("0123456789abcdefghijklmnopqrstuvwxyz", 285)[:10240]

	r := e.run(token+"\n", "login", "-p", profile, "--base-url", srv.URL, "--with-token", "--skip-verify")
	wantCode(t, r, 0)
	t.Cleanup(func() { e.run("", "logout", "-p", profile) })
	if strings.Contains(r.stdout+r.stderr, token[:64]) {
		t.Error("login printed the token")
	}

	entries := keyringEntries(t, profile+":bearer")
	if len(entries) < 2 {
		t.Errorf("the token is in %d keyring entries, want it split across several", len(entries))
	}
	for name, value := range entries {
		if len(value) > 2560 {
			t.Errorf("keyring entry %s is %d bytes, over 2,560", name, len(value))
		}
	}

	r = e.run("", "token", "-p", profile)
	wantCode(t, r, 0)
	if r.stdout != token+"\n" {
		t.Errorf("hi token printed %d bytes, want the %d-byte token and a newline", len(r.stdout), len(token))
	}

	wantCode(t, e.run("", "logout", "-p", profile), 0)
	if left := keyringEntries(t, profile+":bearer"); len(left) != 0 {
		t.Errorf("logout left %d keyring entries: %v", len(left), keys(left))
	}
	r = e.run("", "token", "-p", profile)
	if r.code == 0 {
		t.Error("hi token succeeded after logout")
	}
}

// keyringEntries reads the entry name and its numbered chunks name#1 … name#16 directly
// from the Secret Service.
func keyringEntries(t *testing.T, name string) map[string]string {
	t.Helper()
	found := map[string]string{}
	names := []string{name}
	for i := 1; i <= 16; i++ {
		names = append(names, name+"#"+strconv.Itoa(i))
	}
	for _, n := range names {
		v, err := keyring.Get("hi", n)
		switch {
		case err == nil:
			found[n] = v
		case !errors.Is(err, keyring.ErrNotFound):
			t.Fatalf("read keyring entry %s: %v", n, err)
		}
	}
	return found
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
