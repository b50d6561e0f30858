package e2e

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// secretsName is the bus name of the Secret Service.
const secretsName = "org.freedesktop.secrets"

// wantKeyringWayOut checks the message hi prints when the keyring cannot be used. The message
// states that and names both ways out, the environment and --insecure-storage.
func wantKeyringWayOut(t *testing.T, r result) {
	t.Helper()
	wantCode(t, r, 1)
	for _, want := range []string{"the OS keyring is not available", "HI_TOKEN", "--insecure-storage"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q: %q", want, r.stderr)
		}
	}
}

// timedRun runs hi like e.run and also returns how long it took.
func timedRun(e *env, stdin string, args ...string) (result, time.Duration) {
	e.t.Helper()
	start := time.Now()
	r := e.run(stdin, args...)
	return r, time.Since(start)
}

// startPrivateBus starts a D-Bus session daemon of the test's own and returns its address.
// The daemon is stopped when the test ends.
func startPrivateBus(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		t.Skip("dbus-daemon is not installed; run scripts/test, which installs it")
	}
	cmd := exec.Command("dbus-daemon", "--session", "--nofork", "--print-address")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})

	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- strings.TrimSpace(line)
		io.Copy(io.Discard, stdout)
	}()
	select {
	case address := <-lines:
		if address == "" {
			t.Fatal("dbus-daemon printed no address")
		}
		return address
	case <-time.After(10 * time.Second):
		t.Fatal("dbus-daemon printed no address within 10s")
		return ""
	}
}

// connectBus connects to the bus at address for the test's own calls.
func connectBus(t *testing.T, address string) *dbus.Conn {
	t.Helper()
	conn, err := dbus.Connect(address)
	if err != nil {
		t.Fatalf("connect to %s: %v", address, err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// waitForName waits up to 10 seconds until name has an owner on conn's bus, or no owner
// when owned is false.
func waitForName(t *testing.T, conn *dbus.Conn, name string, owned bool) {
	t.Helper()
	for range 200 {
		var has bool
		err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&has)
		if err == nil && has == owned {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s still has owned=%v after 10s", name, !owned)
}

func TestKeyringUnavailable(t *testing.T) {
	srv := startSandbox(t)
	e := newEnv(t)
	e.vars["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=" + t.TempDir() + "/no-bus"

	r, elapsed := timedRun(e, srv.Token+"\n", "login", "-p", "nokeyring", "--base-url", srv.URL, "--with-token")
	wantKeyringWayOut(t, r)
	if limit := 5 * time.Second; elapsed >= limit {
		t.Errorf("login took %s without a keyring, want less than the default keyring timeout of %s", elapsed, limit)
	}
	if _, err := os.Stat(e.config); !os.IsNotExist(err) {
		t.Errorf("config file written although the credential was not stored: %v", err)
	}

	r = e.run(srv.Token+"\n", "login", "-p", "nokeyring", "--base-url", srv.URL, "--with-token", "--insecure-storage")
	wantCode(t, r, 0)
	if !strings.Contains(r.stderr, "warning: the secret is stored unencrypted") {
		t.Errorf("no warning for insecure storage: %q", r.stderr)
	}
	if got := tenantMnemonic(t, e.run("", "get", "/tenant/v1/tenant")); got != "cernerdemo" {
		t.Errorf("tenant = %q", got)
	}
	r = e.run("", "whoami")
	if !strings.Contains(r.stdout, "credential:") || !strings.Contains(r.stdout, "file") {
		t.Errorf("whoami does not name the file store:\n%s", r.stdout)
	}
	info, err := os.Stat(strings.TrimSuffix(e.config, "config.yaml") + "credentials.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("credentials file mode = %o, want 600", perm)
	}
}

// TestKeyringNoAnswer points hi at a Secret Service that takes every call and never
// replies: a service of the test's own that owns org.freedesktop.secrets on a private bus.
func TestKeyringNoAnswer(t *testing.T) {
	address := startPrivateBus(t)
	conn := connectBus(t, address)
	reply, err := conn.RequestName(secretsName, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own %s on the private bus: reply %v, %v", secretsName, reply, err)
	}
	// Every message from now on goes to this channel, and no reply is ever sent.
	var calls atomic.Int64
	swallowed := make(chan *dbus.Message, 64)
	conn.Eavesdrop(swallowed)
	go func() {
		for msg := range swallowed {
			if msg.Type == dbus.TypeMethodCall {
				calls.Add(1)
			}
		}
	}()

	srv := startSandbox(t)
	e := newEnv(t).set("HI_KEYRING_TIMEOUT", "1s")
	e.vars["DBUS_SESSION_BUS_ADDRESS"] = address

	r, elapsed := timedRun(e, srv.Token+"\n", "login", "-p", "hung", "--base-url", srv.URL, "--with-token")
	wantKeyringWayOut(t, r)
	if !strings.Contains(r.stderr, "no response within 1s") {
		t.Errorf("stderr does not name the timeout: %q", r.stderr)
	}
	if elapsed > 3*time.Second {
		t.Errorf("login took %s with HI_KEYRING_TIMEOUT=1s", elapsed)
	}
	if calls.Load() == 0 {
		t.Error("hi never called the Secret Service that does not answer")
	}
	if _, err := os.Stat(e.config); !os.IsNotExist(err) {
		t.Errorf("config file written although the credential was not stored: %v", err)
	}

	writeFile(t, e.config, "profiles:\n  - name: hung\n    base-url: "+srv.URL+"\n")
	r, elapsed = timedRun(e, "", "-p", "hung", "get", "/tenant/v1/tenant")
	wantKeyringWayOut(t, r)
	if elapsed > 3*time.Second {
		t.Errorf("get took %s with HI_KEYRING_TIMEOUT=1s", elapsed)
	}
	if r.stdout != "" {
		t.Errorf("stdout = %q, want nothing", r.stdout)
	}

	// An OAuth call reads the cached token and the consumer secret: one timeout in all.
	writeFile(t, e.config, "profiles:\n  - name: hung\n    base-url: "+srv.URL+"\n    auth: oauth1\n"+
		"    consumer-key: "+srv.ConsumerKey+"\n    access-token-url: "+srv.TokenURL+"\n")
	r, elapsed = timedRun(e, "", "-p", "hung", "get", "/tenant/v1/tenant")
	wantKeyringWayOut(t, r)
	if elapsed > 2500*time.Millisecond {
		t.Errorf("OAuth get took %s with HI_KEYRING_TIMEOUT=1s, want about one timeout", elapsed)
	}
}

// gnomeKeyring is a gnome-keyring-daemon of the test's own on a private bus, whose login
// keyring is kept in a directory of the test's.
type gnomeKeyring struct {
	t       *testing.T
	address string
	home    string
	cmd     *exec.Cmd
}

const gnomeKeyringPassword = "hi-test-private"

// startGnomeKeyring starts gnome-keyring-daemon on the bus at address with the keyring
// under home, unlocking the login keyring with a fixed password or creating it.
func startGnomeKeyring(t *testing.T, conn *dbus.Conn, address, home string) *gnomeKeyring {
	t.Helper()
	if _, err := exec.LookPath("gnome-keyring-daemon"); err != nil {
		t.Skip("gnome-keyring-daemon is not installed; run scripts/test, which installs it")
	}
	runtime := filepath.Join(home, "run")
	if err := os.MkdirAll(runtime, 0o700); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + home, "DBUS_SESSION_BUS_ADDRESS=" + address,
		"XDG_DATA_HOME=" + filepath.Join(home, "data"), "XDG_RUNTIME_DIR=" + runtime,
	}
	cmd.Stdin = strings.NewReader(gnomeKeyringPassword)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	k := &gnomeKeyring{t: t, address: address, home: home, cmd: cmd}
	t.Cleanup(k.stop)
	waitForName(t, conn, secretsName, true)
	return k
}

// stop ends the daemon, which writes nothing more: gnome-keyring saves each change as it
// is made.
func (k *gnomeKeyring) stop() {
	if k.cmd.ProcessState != nil {
		return
	}
	k.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() {
		k.cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		k.cmd.Process.Kill()
		<-done
	}
}

// lockDefaultCollection locks the collection behind the default alias with the Secret
// Service's Lock method, which needs no prompt.
func lockDefaultCollection(t *testing.T, conn *dbus.Conn) {
	t.Helper()
	service := conn.Object(secretsName, "/org/freedesktop/secrets")
	var collection dbus.ObjectPath
	if err := service.Call("org.freedesktop.Secret.Service.ReadAlias", 0, "default").Store(&collection); err != nil {
		t.Fatalf("read the default alias: %v", err)
	}
	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	err := service.Call("org.freedesktop.Secret.Service.Lock", 0, []dbus.ObjectPath{collection}).Store(&locked, &prompt)
	if err != nil {
		t.Fatalf("lock %s: %v", collection, err)
	}
	state, err := conn.Object(secretsName, collection).GetProperty("org.freedesktop.Secret.Collection.Locked")
	if err != nil || state.Value() != true {
		t.Fatalf("collection %s is not locked after Lock (prompt %s): %v, %v", collection, prompt, state, err)
	}
}

// TestKeyringLocked locks the keyring of a private gnome-keyring, which has no prompter to
// ask for the password, and checks that hi gives up within the timeout, names the ways out
// and keeps the previous credential.
func TestKeyringLocked(t *testing.T) {
	address := startPrivateBus(t)
	conn := connectBus(t, address)
	home := t.TempDir()
	daemon := startGnomeKeyring(t, conn, address, home)

	srv := startSandbox(t)
	e := newEnv(t).set("HI_KEYRING_TIMEOUT", "1s")
	e.vars["DBUS_SESSION_BUS_ADDRESS"] = address
	wantCode(t, e.run(srv.Token+"\n", "login", "-p", "locked", "--base-url", srv.URL, "--with-token"), 0)
	if r := e.run("", "token", "-p", "locked"); r.stdout != srv.Token+"\n" {
		t.Fatalf("the private keyring does not return the token: exit %d, stderr %q", r.code, r.stderr)
	}
	configBefore := readFile(t, e.config)

	lockDefaultCollection(t, conn)
	r, elapsed := timedRun(e, "another-token-value\n", "login", "-p", "locked", "--with-token", "--skip-verify")
	wantKeyringWayOut(t, r)
	if elapsed > 3*time.Second {
		t.Errorf("login took %s with a locked keyring and HI_KEYRING_TIMEOUT=1s", elapsed)
	}
	if got := readFile(t, e.config); got != configBefore {
		t.Errorf("the config changed although the login failed:\n%s", got)
	}
	r, elapsed = timedRun(e, "", "-p", "locked", "get", "/tenant/v1/tenant")
	wantKeyringWayOut(t, r)
	if elapsed > 3*time.Second {
		t.Errorf("get took %s with a locked keyring and HI_KEYRING_TIMEOUT=1s", elapsed)
	}

	// Restarting the daemon unlocks the keyring with its password; the old token must be there.
	daemon.stop()
	waitForName(t, conn, secretsName, false)
	startGnomeKeyring(t, conn, address, home)
	if r := e.run("", "token", "-p", "locked"); r.stdout != srv.Token+"\n" {
		t.Errorf("after the failed login, hi token exit %d, stderr %q: the previous token is not kept", r.code, r.stderr)
	}
}

// TestKeyringNoSessionBus runs hi with no D-Bus session bus at all. The D-Bus library would
// then run dbus-launch, which starts daemons that outlive hi; a dbus-launch of the test's
// own on PATH records whether it ran.
func TestKeyringNoSessionBus(t *testing.T) {
	if _, err := os.Stat(fmt.Sprintf("/run/user/%d/bus", os.Getuid())); err == nil {
		t.Skip("this machine has a session bus at /run/user/UID/bus, which the D-Bus library finds")
	}
	bin := t.TempDir()
	marker := filepath.Join(bin, "dbus-launch-ran")
	writeFile(t, filepath.Join(bin, "dbus-launch"), "#!/bin/sh\ntouch '"+marker+"'\nexit 1\n")
	if err := os.Chmod(filepath.Join(bin, "dbus-launch"), 0o755); err != nil {
		t.Fatal(err)
	}

	srv := startSandbox(t)
	e := newEnv(t)
	delete(e.vars, "DBUS_SESSION_BUS_ADDRESS")
	e.set("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))

	r := e.run(srv.Token+"\n", "login", "-p", "nobus", "--base-url", srv.URL, "--with-token")
	wantKeyringWayOut(t, r)
	if !strings.Contains(r.stderr, "DBUS_SESSION_BUS_ADDRESS is not set") {
		t.Errorf("stderr does not say that there is no session bus: %q", r.stderr)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("hi ran dbus-launch, which leaves a session bus daemon running")
	}
}
