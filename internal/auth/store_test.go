package auth

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/zalando/go-keyring"
)

// Limits of the platform keyrings, as go-keyring v0.2.8 enforces them.
const (
	windowsMaxSecret  = 2560 // bytes of one Credential Manager secret
	keychainMaxLength = 4096 // bytes of one security(1) command line
)

// useMockKeyring replaces the Secret Service with go-keyring's in-memory mock. It also sets
// a session bus address, because Keyring checks for a session bus before every call.
func useMockKeyring(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/mock-bus")
	keyring.MockInit()
}

// secretOf returns a secret of n bytes that differs from position to position, so a
// misplaced chunk shows.
func secretOf(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "%07d.", i)
	}
	return b.String()[:n]
}

// entries returns the keyring entries of the profile and kind, keyed by entry name.
func entries(t *testing.T, profile, kind string) map[string]string {
	t.Helper()
	found := map[string]string{}
	name := entryName(profile, kind)
	names := []string{name}
	for i := 1; i <= maxChunks+1; i++ {
		names = append(names, chunkName(name, i))
	}
	for _, n := range names {
		v, err := keyring.Get(KeyringService, n)
		if err == nil {
			found[n] = v
		} else if !errors.Is(err, keyring.ErrNotFound) {
			t.Fatal(err)
		}
	}
	return found
}

func TestKeyringRoundTripsLongSecrets(t *testing.T) {
	cases := []struct {
		name        string
		size        int
		wantEntries int
	}{
		{name: "1 KB fits one entry", size: 1024, wantEntries: 1},
		{name: "2,560 bytes", size: 2560, wantEntries: 2},
		{name: "3 KB", size: 3072, wantEntries: 2},
		{name: "10 KB", size: 10240, wantEntries: 6},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			useMockKeyring(t)
			k := &Keyring{}
			secret := secretOf(tc.size)
			if err := k.Set("prod", KindBearer, secret); err != nil {
				t.Fatal(err)
			}
			got, err := k.Get("prod", KindBearer)
			if err != nil {
				t.Fatal(err)
			}
			if got != secret {
				t.Errorf("Get returned %d bytes that differ from the %d stored", len(got), len(secret))
			}

			stored := entries(t, "prod", KindBearer)
			if len(stored) != tc.wantEntries {
				t.Errorf("stored %d entries, want %d", len(stored), tc.wantEntries)
			}
			for name, value := range stored {
				if len(value) > windowsMaxSecret {
					t.Errorf("entry %s is %d bytes, over the Credential Manager's %d", name, len(value), windowsMaxSecret)
				}
				if n := keychainCommandLength(name, value); n > keychainMaxLength {
					t.Errorf("entry %s needs a %d-byte Keychain command, over %d", name, n, keychainMaxLength)
				}
			}

			if err := k.Delete("prod", KindBearer); err != nil {
				t.Fatal(err)
			}
			if left := entries(t, "prod", KindBearer); len(left) != 0 {
				t.Errorf("Delete left %d entries", len(left))
			}
			if _, err := k.Get("prod", KindBearer); !errors.Is(err, ErrNotFound) {
				t.Errorf("Get after Delete: error = %v, want ErrNotFound", err)
			}
		})
	}
}

// keychainCommandLength estimates the length of the command that go-keyring v0.2.8 sends
// to security(1) on macOS: the secret is base64-encoded after a prefix, and the account name
// is quoted. The 64-byte profile name is the longest that hi allows.
func keychainCommandLength(name, value string) int {
	longest := strings.Replace(name, "prod", strings.Repeat("p", 64), 1)
	encoded := len("go-keyring-base64:") + (len(value)+2)/3*4
	return len("add-generic-password -U -s 'hi' -a '' -w ''\n") + len(longest) + encoded
}

func TestKeyringShorterSecretRemovesStaleChunks(t *testing.T) {
	useMockKeyring(t)
	k := &Keyring{}
	for _, size := range []int{10240, 3072, 1024, 0} {
		secret := secretOf(size)
		if err := k.Set("prod", KindAccessToken, secret); err != nil {
			t.Fatal(err)
		}
		got, err := k.Get("prod", KindAccessToken)
		if err != nil {
			t.Fatal(err)
		}
		if got != secret {
			t.Errorf("after storing %d bytes, Get returned %d bytes", size, len(got))
		}
		want := len(splitSecret(secret))
		if n := len(entries(t, "prod", KindAccessToken)); n != want {
			t.Errorf("after storing %d bytes, %d entries remain, want %d", size, n, want)
		}
	}
}

func TestKeyringSecretStartingWithMarker(t *testing.T) {
	useMockKeyring(t)
	k := &Keyring{}
	secret := chunkMarker + "2:00000000:looks like a header"
	if err := k.Set("prod", KindBearer, secret); err != nil {
		t.Fatal(err)
	}
	got, err := k.Get("prod", KindBearer)
	if err != nil {
		t.Fatal(err)
	}
	if got != secret {
		t.Errorf("Get = %q, want %q", got, secret)
	}
}

func TestKeyringSplitsOnCharacterBoundaries(t *testing.T) {
	useMockKeyring(t)
	k := &Keyring{}
	secret := strings.Repeat("é€", 1500) // 7,500 bytes of 2- and 3-byte characters
	if err := k.Set("prod", KindBearer, secret); err != nil {
		t.Fatal(err)
	}
	for name, value := range entries(t, "prod", KindBearer) {
		if !utf8.ValidString(value) {
			t.Errorf("entry %s is not valid UTF-8", name)
		}
	}
	if got, err := k.Get("prod", KindBearer); err != nil || got != secret {
		t.Errorf("Get = %d bytes, %v; want the %d bytes stored", len(got), err, len(secret))
	}
}

func TestKeyringIncompleteSecret(t *testing.T) {
	cases := []struct {
		name    string
		corrupt func(head string)
		wantErr string
	}{
		{name: "chunk missing", wantErr: "chunk 2 of 6 is missing", corrupt: func(string) {
			keyring.Delete(KeyringService, "prod:bearer#2")
		}},
		{name: "chunk changed", wantErr: "do not match the checksum", corrupt: func(string) {
			keyring.Set(KeyringService, "prod:bearer#3", "tampered")
		}},
		{name: "count invalid", wantErr: "invalid chunk count", corrupt: func(head string) {
			keyring.Set(KeyringService, "prod:bearer", chunkMarker+"999:"+strings.SplitN(head, ":", 3)[2])
		}},
		{name: "header malformed", wantErr: "header is malformed", corrupt: func(string) {
			keyring.Set(KeyringService, "prod:bearer", chunkMarker+"6")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			useMockKeyring(t)
			k := &Keyring{}
			if err := k.Set("prod", KindBearer, secretOf(10240)); err != nil {
				t.Fatal(err)
			}
			head, _ := keyring.Get(KeyringService, "prod:bearer")
			tc.corrupt(head)
			_, err := k.Get("prod", KindBearer)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
			}
			if errors.Is(err, ErrNotFound) {
				t.Error("an incomplete secret is reported as not found")
			}
			if err := k.Delete("prod", KindBearer); err != nil {
				t.Fatal(err)
			}
			if left := entries(t, "prod", KindBearer); len(left) != 0 {
				t.Errorf("Delete left %d entries", len(left))
			}
		})
	}
}

func TestKeyringRejectsOversizedSecret(t *testing.T) {
	useMockKeyring(t)
	k := &Keyring{}
	err := k.Set("prod", KindBearer, secretOf(maxChunks*chunkSize+1))
	if err == nil || !strings.Contains(err.Error(), "over the keyring limit") {
		t.Fatalf("error = %v, want the size limit", err)
	}
	if n := len(entries(t, "prod", KindBearer)); n != 0 {
		t.Errorf("a rejected secret left %d entries", n)
	}
}

func TestKeyringErrorsKeepTheirTypes(t *testing.T) {
	useMockKeyring(t)
	k := &Keyring{}
	if _, err := k.Get("nobody", KindBearer); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get of a missing secret: error = %v, want ErrNotFound", err)
	}
	if err := k.Delete("nobody", KindBearer); err != nil {
		t.Errorf("Delete of a missing secret: error = %v, want nil", err)
	}

	useMockKeyring(t)
	keyring.MockInitWithError(errors.New("dbus: no session bus"))
	var unavailable *UnavailableError
	if _, err := k.Get("prod", KindBearer); !errors.As(err, &unavailable) {
		t.Errorf("Get: error = %v, want *UnavailableError", err)
	}
	if err := k.Set("prod", KindBearer, secretOf(10240)); !errors.As(err, &unavailable) {
		t.Errorf("Set: error = %v, want *UnavailableError", err)
	}
	if err := k.Delete("prod", KindBearer); !errors.As(err, &unavailable) {
		t.Errorf("Delete: error = %v, want *UnavailableError", err)
	}
}

func TestKeyringWithoutSessionBus(t *testing.T) {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		t.Skip("the keyring of this platform does not use D-Bus")
	}
	if _, err := os.Stat(fmt.Sprintf("/run/user/%d/bus", os.Getuid())); err == nil {
		t.Skip("a session bus can be found here without DBUS_SESSION_BUS_ADDRESS")
	}
	useMockKeyring(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	k := &Keyring{}
	_, err := k.Get("prod", KindBearer)
	var unavailable *UnavailableError
	if !errors.As(err, &unavailable) {
		t.Fatalf("Get without a session bus: error = %v, want an *UnavailableError", err)
	}
	if !strings.Contains(err.Error(), "DBUS_SESSION_BUS_ADDRESS is not set") {
		t.Errorf("error = %q, want it to name DBUS_SESSION_BUS_ADDRESS", err)
	}
}
