package e2e

import (
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

// completions runs hi __complete with args and returns the candidates without their
// descriptions.
func (e *env) completions(args ...string) []string {
	e.t.Helper()
	r := e.run("", append([]string{"__complete"}, args...)...)
	wantCode(e.t, r, 0)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if last := lines[len(lines)-1]; last != ":4" {
		e.t.Errorf("directive = %q, want :4 (no file completion)", last)
	}
	var candidates []string
	for _, line := range lines[:len(lines)-1] {
		name, _, _ := strings.Cut(line, "\t")
		candidates = append(candidates, name)
	}
	return candidates
}

// trapDBus points the environment's D-Bus session at a socket that only counts the
// connections made to it, so a test can prove that hi never opened the keyring.
func trapDBus(t *testing.T, e *env) *atomic.Int64 {
	t.Helper()
	path := filepath.Join(e.dir, "dbus.sock")
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	var count atomic.Int64
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			count.Add(1)
			conn.Close()
		}
	}()
	t.Cleanup(func() { l.Close() })
	e.set("DBUS_SESSION_BUS_ADDRESS", "unix:path="+path)
	return &count
}

func TestCompletionWithConfig(t *testing.T) {
	srv := startSandbox(t)
	e := newEnv(t)
	dbus := trapDBus(t, e)
	e.set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token)
	writeFile(t, e.config, "current-profile: cert\nprofiles:\n"+
		"  - name: cert\n    tenant: cernerdemo\n  - name: dev-eu\n    base-url: "+srv.URL+"\n")
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{name: "profile flag", args: []string{"-p", ""}, want: []string{"cert", "dev-eu"}},
		{name: "profile flag after command", args: []string{"get", "--profile", "d"}, want: []string{"dev-eu"}},
		{name: "profile use", args: []string{"profile", "use", ""}, want: []string{"cert", "dev-eu"}},
		{name: "profile show", args: []string{"profile", "show", "c"}, want: []string{"cert"}},
		{name: "profile remove", args: []string{"profile", "remove", "dev"}, want: []string{"dev-eu"}},
		{name: "get path", args: []string{"get", "/tenant/v1/"},
			want: []string{"/tenant/v1/tenant", "/tenant/v1/tenant/status-records"}},
		{name: "post filtered by method", args: []string{"post", "/personnel/v1/personnel"},
			want: []string{"/personnel/v1/personnel", "/personnel/v1/personnel-groups"}},
		{name: "delete with typed id", args: []string{"delete", "/personnel/v1/personnel-groups/g1/members/"},
			want: []string{"/personnel/v1/personnel-groups/g1/members/{personnelId}"}},
		{name: "config flag wins", args: []string{"--config", filepath.Join(e.dir, "none.yaml"), "-p", ""}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := e.completions(tc.args...); !slices.Equal(got, tc.want) {
				t.Errorf("candidates = %q, want %q", got, tc.want)
			}
		})
	}
	if n := dbus.Load(); n != 0 {
		t.Errorf("completion connected to D-Bus %d times, want never", n)
	}
	if st := srv.stats(t); st.Requests != 0 {
		t.Errorf("completion sent %d requests to the sandbox, want none", st.Requests)
	}

	// The trap must see a keyring read, or its zero count above proves nothing.
	e.run("", "profile", "show", "cert")
	if dbus.Load() == 0 {
		t.Error("hi profile show did not reach the D-Bus trap, so the trap does not work")
	}
}

func TestCompletionWithoutConfig(t *testing.T) {
	cases := []struct {
		name   string
		config string // content of the config file; "" leaves it absent
		isDir  bool
	}{
		{name: "missing file"},
		{name: "invalid YAML", config: "profiles: [[[\n"},
		{name: "config path is a directory", isDir: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			dbus := trapDBus(t, e)
			switch {
			case tc.isDir:
				if err := os.MkdirAll(e.config, 0o700); err != nil {
					t.Fatal(err)
				}
			case tc.config != "":
				writeFile(t, e.config, tc.config)
			}
			for _, args := range [][]string{{"-p", ""}, {"profile", "use", ""}, {"profile", "show", ""}, {"profile", "remove", ""}} {
				r := e.run("", append([]string{"__complete"}, args...)...)
				wantCode(t, r, 0)
				if r.stdout != ":4\n" {
					t.Errorf("__complete %q stdout = %q, want only the directive", args, r.stdout)
				}
			}
			if got := e.completions("get", "/tenant/v1/tenant/"); !slices.Equal(got, []string{"/tenant/v1/tenant/status-records"}) {
				t.Errorf("path candidates = %q", got)
			}
			if n := dbus.Load(); n != 0 {
				t.Errorf("completion connected to D-Bus %d times, want never", n)
			}
		})
	}
}

func TestCompletionScript(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		t.Run(shell, func(t *testing.T) {
			r := newEnv(t).run("", "completion", shell)
			wantCode(t, r, 0)
			if !strings.Contains(r.stdout, "__complete") {
				t.Errorf("%s script does not call hi __complete", shell)
			}
			if r.stderr != "" {
				t.Errorf("stderr = %q, want nothing", r.stderr)
			}
		})
	}
	r := newEnv(t).run("", "completion", "tcsh")
	wantCode(t, r, 2)
	if first, _, _ := strings.Cut(r.stderr, "\n"); first != `hi: unsupported shell "tcsh": use bash, zsh, fish, powershell` {
		t.Errorf("first stderr line = %q", first)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
