package e2e

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// connectionTrap is a listener that counts the connections made to it and closes each at
// once.
type connectionTrap struct {
	listener net.Listener
	count    atomic.Int64
}

func newConnectionTrap(t *testing.T, network, address string) *connectionTrap {
	t.Helper()
	l, err := net.Listen(network, address)
	if err != nil {
		t.Fatal(err)
	}
	trap := &connectionTrap{listener: l}
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			trap.count.Add(1)
			conn.Close()
		}
	}()
	t.Cleanup(func() { l.Close() })
	return trap
}

// trappedEnv returns an environment in which the session bus, the API host and the HTTP
// proxies are listeners that count connections, and the config file cannot be read: its
// path is a directory. The keyring timeout is long, so a keyring call that got through
// would also show as a hang.
func trappedEnv(t *testing.T) (*env, *connectionTrap, *connectionTrap) {
	e := newEnv(t)
	bus := newConnectionTrap(t, "unix", filepath.Join(t.TempDir(), "bus"))
	network := newConnectionTrap(t, "tcp", "127.0.0.1:0")
	api := "http://" + network.listener.Addr().String()

	configDir := filepath.Join(e.dir, "config-is-a-directory")
	if err := os.MkdirAll(configDir, 0o700); err != nil {
		t.Fatal(err)
	}
	e.set("DBUS_SESSION_BUS_ADDRESS", "unix:path="+bus.listener.Addr().String()).
		set("HI_KEYRING_TIMEOUT", "30s").
		set("HI_CONFIG", configDir).
		set("HI_BASE_URL", api).
		set("HTTP_PROXY", api).set("HTTPS_PROXY", api).set("http_proxy", api).set("https_proxy", api)
	return e, bus, network
}

func TestStartupCommandsTouchNothing(t *testing.T) {
	e, bus, network := trappedEnv(t)
	commands := [][]string{
		{"version"}, {"--version"}, {"completion", "bash"}, {"completion", "zsh"}, {"completion", "fish"},
		{"help"}, {"--help"}, {"help", "get"}, {"get", "--help"},
	}
	for _, args := range commands {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := e.run("", args...)
			wantCode(t, r, 0)
			if r.stdout == "" {
				t.Error("stdout is empty")
			}
			if r.stderr != "" {
				t.Errorf("stderr = %q, want nothing", r.stderr)
			}
		})
	}
	if n := bus.count.Load(); n != 0 {
		t.Errorf("%d connections to the session bus, want none", n)
	}
	if n := network.count.Load(); n != 0 {
		t.Errorf("%d connections to the API host or proxy, want none", n)
	}
}

// TestConnectionTrapsWork checks that the traps of TestStartupCommandsTouchNothing see a
// command that does use the keyring or the network, so that their silence there means
// something.
func TestConnectionTrapsWork(t *testing.T) {
	srv := startSandbox(t)
	e, bus, network := trappedEnv(t)
	e.set("HI_CONFIG", filepath.Join(e.dir, "readable", "config.yaml"))

	r := e.run(srv.Token+"\n", "login", "-p", "trapped", "--base-url", srv.URL, "--with-token")
	if r.code == 0 {
		t.Errorf("login stored a token although the session bus is a trap")
	}
	if n := bus.count.Load(); n == 0 {
		t.Errorf("login made no connection to the session bus")
	}

	r = e.set("HI_TOKEN", "token").run("", "get", "/tenant/v1/tenant")
	if r.code == 0 {
		t.Errorf("get succeeded although the API host is a trap")
	}
	if n := network.count.Load(); n == 0 {
		t.Errorf("get made no connection to the API host")
	}
}
