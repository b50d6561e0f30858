package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hi-cli/hi/internal/config"
)

// tempFiles returns the names in dir that atomic writes use for their temporary files.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, entry := range entries {
		if strings.Contains(entry.Name(), ".tmp-") {
			names = append(names, entry.Name())
		}
	}
	return names
}

// baseConfig is a config file with profiles base-0 to base-3, the first one current, all of
// them pointing at a closed loopback port.
func baseConfig() string {
	var b strings.Builder
	b.WriteString("current-profile: base-0\nprofiles:\n")
	for i := range 4 {
		fmt.Fprintf(&b, "  - name: base-%d\n    base-url: http://127.0.0.1:9\n", i)
	}
	return b.String()
}

func TestParallelProfileWrites(t *testing.T) {
	requireKeyring(t)
	e := newEnv(t)
	writeFile(t, e.config, baseConfig())
	const invocations = 32

	var added []string
	var wg sync.WaitGroup
	results := make([]result, invocations)
	argLists := make([][]string, invocations)
	start := make(chan struct{})
	for i := range invocations {
		args := []string{"profile", "use", fmt.Sprintf("base-%d", i%4)}
		stdin := ""
		if i%2 == 0 {
			name := fmt.Sprintf("new-%02d", i)
			added = append(added, name)
			args = []string{"login", "-p", name, "--base-url", "http://127.0.0.1:9", "--with-token", "--skip-verify"}
			stdin = "token-of-" + name + "\n"
		}
		argLists[i] = args
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i] = e.run(stdin, args...)
		}()
	}
	t.Cleanup(func() {
		for _, name := range added {
			e.run("", "logout", "-p", name)
		}
	})
	close(start)
	wg.Wait()

	for i, r := range results {
		if r.code != 0 {
			t.Errorf("hi %s: exit %d, stderr %q", strings.Join(argLists[i], " "), r.code, r.stderr)
		}
	}
	cfg, err := config.Load(e.config)
	if err != nil {
		t.Fatalf("the config file does not load after the parallel writes: %v", err)
	}
	names := cfg.Names()
	for _, want := range append([]string{"base-0", "base-1", "base-2", "base-3"}, added...) {
		if !slices.Contains(names, want) {
			t.Errorf("profile %s is missing; the config has %v", want, names)
		}
	}
	if len(names) != 4+len(added) {
		t.Errorf("the config has %d profiles, want %d: %v", len(names), 4+len(added), names)
	}
	if !slices.Contains(names, cfg.CurrentProfile) {
		t.Errorf("current profile %q is not one of the profiles", cfg.CurrentProfile)
	}
	if left := tempFiles(t, filepath.Dir(e.config)); len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestKillDuringConfigWrite(t *testing.T) {
	cases := []struct {
		name string
		args []string
		// written is the file that hi is killed while replacing.
		written string
		// wantInTemp is text that the complete temporary file contains.
		wantInTemp string
	}{
		{name: "profile use", args: []string{"profile", "use", "base-1"},
			written: "config.yaml", wantInTemp: "current-profile: base-1"},
		{name: "login with insecure storage",
			args:    []string{"login", "-p", "base-2", "--with-token", "--skip-verify", "--insecure-storage"},
			written: "credentials.yaml", wantInTemp: "new-token-of-base-2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			dir := filepath.Dir(e.config)
			writeFile(t, e.config, baseConfig())
			r := e.run("old-token-of-base-0\n", "login", "-p", "base-0", "--with-token", "--skip-verify", "--insecure-storage")
			wantCode(t, r, 0)
			oldConfig := readFile(t, e.config)
			oldCredentials := readFile(t, filepath.Join(dir, "credentials.yaml"))

			e.set("HI_TEST_PAUSE_BEFORE_RENAME", "30s")
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			cmd := e.command(ctx, tc.args...)
			cmd.Stdin = strings.NewReader("new-token-of-base-2\n")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waitForCompleteTemp(t, dir, tc.written, tc.wantInTemp)
			cmd.Process.Kill()
			cmd.Wait()
			e.record(tc.args, stdout.String(), stderr.String())

			if got := readFile(t, e.config); got != oldConfig {
				t.Errorf("config.yaml after the kill = %q, want the old content %q", got, oldConfig)
			}
			if _, err := config.Load(e.config); err != nil {
				t.Errorf("config.yaml does not load after the kill: %v", err)
			}
			if got := readFile(t, filepath.Join(dir, "credentials.yaml")); got != oldCredentials {
				t.Error("credentials.yaml changed although hi was killed before replacing it")
			}

			// The next write succeeds and removes the temporary file that the kill left.
			delete(e.vars, "HI_TEST_PAUSE_BEFORE_RENAME")
			r = e.run("new-token-of-base-2\n", tc.args...)
			wantCode(t, r, 0)
			if got := readFile(t, filepath.Join(dir, tc.written)); !strings.Contains(got, tc.wantInTemp) {
				t.Errorf("%s after a normal run lacks %q", tc.written, tc.wantInTemp)
			}
			if left := tempFiles(t, dir); len(left) != 0 {
				t.Errorf("temporary files left after the next write: %v", left)
			}
		})
	}
}

// waitForCompleteTemp waits until dir has a temporary file for target that contains want,
// which shows that hi wrote it whole and now pauses before the rename.
func waitForCompleteTemp(t *testing.T, dir, target, want string) {
	t.Helper()
	for range 400 {
		for _, name := range tempFiles(t, dir) {
			if strings.HasPrefix(name, "."+target+".tmp-") && strings.Contains(readFile(t, filepath.Join(dir, name)), want) {
				return
			}
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("no complete temporary file for %s appeared in %s within 10s", target, dir)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(data)
}

// TestKilledReloginKeepsCredentialOffOldHost kills a login that moves a profile to another
// host after the keyring holds the new host's token but before the config file names the new
// host. The next call must not send that token to the old host.
func TestKilledReloginKeepsCredentialOffOldHost(t *testing.T) {
	requireKeyring(t)
	oldHost := startSandbox(t)
	newHost := startSandbox(t)
	e := newEnv(t)
	e.login("moving", oldHost)

	login := startHeldRelogin(t, e, "moving", newHost)
	login.cmd.Process.Kill()
	login.cmd.Wait()
	login.record()

	before := oldHost.stats(t).Requests
	r := e.run("", "-p", "moving", "get", "/tenant/v1/tenant")
	wantCode(t, r, 1)
	if !strings.Contains(r.stderr, "was stored for "+newHost.URL) || !strings.Contains(r.stderr, "hint: log in again") {
		t.Errorf("stderr = %q, want the binding error and a hint", r.stderr)
	}
	if after := oldHost.stats(t).Requests; after != before {
		t.Errorf("the old host received %d requests", after-before)
	}

	// Logging in again repairs the profile.
	e.login("moving", newHost)
	wantCode(t, e.run("", "-p", "moving", "get", "/tenant/v1/tenant"), 0)
}

// TestParallelReloginsOfOneProfile runs logins of one profile to two hosts at once: each
// must leave the keyring and the config file from the same login.
func TestParallelReloginsOfOneProfile(t *testing.T) {
	requireKeyring(t)
	a := startSandbox(t)
	b := startSandbox(t)
	e := newEnv(t)
	e.login("racing", a)
	for round := 0; round < 8; round++ {
		var wg sync.WaitGroup
		for _, srv := range []*sandboxServer{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				e.run(srv.Token+"\n", "login", "-p", "racing", "--base-url", srv.URL, "--with-token", "--skip-verify")
			}()
		}
		wg.Wait()
		wantCode(t, e.run("", "-p", "racing", "get", "/tenant/v1/tenant"), 0)
	}
}

// TestInterruptedReloginKeepsCredential interrupts a login that moves a profile to another
// host while it holds its config write, with Ctrl-C and with SIGTERM: the previous credential
// must still work afterwards.
func TestInterruptedReloginKeepsCredential(t *testing.T) {
	requireKeyring(t)
	oldHost := startSandbox(t)
	newHost := startSandbox(t)
	cases := []struct {
		name     string
		signal   os.Signal
		wantCode int
	}{
		{name: "ctrl-c", signal: os.Interrupt, wantCode: 130},
		{name: "sigterm", signal: syscall.SIGTERM, wantCode: 143},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.login("kept", oldHost)

			login := startHeldRelogin(t, e, "kept", newHost)
			login.cmd.Process.Signal(tc.signal)
			code, _ := waitExit(t, login.cmd, maxInterruptDelay)
			login.record()

			if code != tc.wantCode {
				t.Errorf("exit code = %d, want %d\nstderr: %s", code, tc.wantCode, login.stderr.String())
			}
			r := e.run("", "-p", "kept", "get", "/tenant/v1/tenant")
			wantCode(t, r, 0)
			if r := e.run("", "-p", "kept", "token"); r.stdout != oldHost.Token+"\n" {
				t.Errorf("token after the interrupted login = %q, want the previous one", r.stdout)
			}
		})
	}
}

// heldLogin is a hi login process held between writing the new config file and renaming it
// into place.
type heldLogin struct {
	e              *env
	args           []string
	cmd            *exec.Cmd
	stdout, stderr *bytes.Buffer
}

// startHeldRelogin starts a login of profile to srv with the test hook that pauses before the
// config rename, and returns once the new config file is complete but not yet in place.
func startHeldRelogin(t *testing.T, e *env, profile string, srv *sandboxServer) *heldLogin {
	t.Helper()
	e.set("HI_TEST_PAUSE_BEFORE_RENAME", "30s")
	defer delete(e.vars, "HI_TEST_PAUSE_BEFORE_RENAME")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	h := &heldLogin{e: e, args: []string{"login", "-p", profile, "--base-url", srv.URL, "--with-token"},
		stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	h.cmd = e.command(ctx, h.args...)
	h.cmd.Stdin = strings.NewReader(srv.Token + "\n")
	h.cmd.Stdout, h.cmd.Stderr = h.stdout, h.stderr
	if err := h.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitForCompleteTemp(t, filepath.Dir(e.config), "config.yaml", srv.URL)
	return h
}

// record passes the login's output to the secret audit, once the process has ended.
func (h *heldLogin) record() {
	h.e.record(h.args, h.stdout.String(), h.stderr.String())
}
