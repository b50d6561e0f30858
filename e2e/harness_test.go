// Package e2e tests the built hi binary against hi sandbox on 127.0.0.1 and the real
// Secret Service keyring of the session (scripts/test provides one).
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/zalando/go-keyring"
)

var (
	hiBinary        string
	keyringUsable   bool
	keyringProblems string
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "hi-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	hiBinary = filepath.Join(dir, "hi")
	build := exec.Command("go", "build", "-o", hiBinary, "github.com/hi-cli/hi")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build hi:", err)
		os.Exit(1)
	}
	keyringUsable, keyringProblems = probeKeyring()
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// probeKeyring writes, reads and deletes one entry under a service of the tests' own.
// Without a session bus address it does not try, because go-keyring's D-Bus library would
// then run dbus-launch and leave a bus daemon running.
func probeKeyring() (bool, string) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return false, "DBUS_SESSION_BUS_ADDRESS is not set"
	}
	done := make(chan error, 1)
	go func() {
		if err := keyring.Set("hi-e2e-probe", "probe", "x"); err != nil {
			done <- err
			return
		}
		done <- keyring.Delete("hi-e2e-probe", "probe")
	}()
	select {
	case err := <-done:
		if err != nil {
			return false, err.Error()
		}
		return true, ""
	case <-time.After(5 * time.Second):
		return false, "no response within 5s"
	}
}

// requireKeyring skips the test when no Secret Service responds, unless
// HI_TEST_REQUIRE_KEYRING is set, as scripts/test does, in which case it fails.
func requireKeyring(t *testing.T) {
	t.Helper()
	if keyringUsable {
		return
	}
	if os.Getenv("HI_TEST_REQUIRE_KEYRING") != "" {
		t.Fatalf("no usable Secret Service keyring: %s", keyringProblems)
	}
	t.Skipf("no usable Secret Service keyring (%s); run scripts/test", keyringProblems)
}

// sandboxServer is a running hi sandbox process.
type sandboxServer struct {
	URL            string
	Token          string
	ConsumerKey    string
	ConsumerSecret string
	TokenURL       string
}

// startSandbox runs hi sandbox on a free loopback port until the test ends.
func startSandbox(t *testing.T, args ...string) *sandboxServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, hiBinary, append([]string{"sandbox", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		cmd.Wait()
	})
	srv, err := readSandboxBanner(stdout)
	if err != nil {
		t.Fatalf("hi sandbox banner: %v", err)
	}
	registerSecret("sandbox bearer token", srv.Token)
	registerSecret("sandbox consumer secret", srv.ConsumerSecret)
	go io.Copy(io.Discard, stdout)
	return srv
}

func readSandboxBanner(r io.Reader) (*sandboxServer, error) {
	srv := &sandboxServer{}
	scanner := bufio.NewScanner(r)
	for i := 0; i < 20 && srv.TokenURL == "" && scanner.Scan(); i++ {
		line := scanner.Text()
		if rest, ok := strings.CutPrefix(line, "sandbox: "); ok {
			srv.URL, _, _ = strings.Cut(rest, " ")
		}
		fields := map[string]*string{
			"bearer token: ": &srv.Token, "consumer key: ": &srv.ConsumerKey,
			"consumer secret: ": &srv.ConsumerSecret, "access token URL: ": &srv.TokenURL,
		}
		for prefix, field := range fields {
			if rest, ok := strings.CutPrefix(line, prefix); ok {
				*field = rest
			}
		}
	}
	if srv.URL == "" || srv.Token == "" {
		return nil, errors.New("no base URL or token in the first lines of output")
	}
	return srv, nil
}

type sandboxStats struct {
	Requests      int64            `json:"requests"`
	ByMethod      map[string]int64 `json:"byMethod"`
	TokenRequests int64            `json:"tokenRequests"`
}

func (s *sandboxServer) stats(t *testing.T) sandboxStats {
	t.Helper()
	resp, err := http.Get(s.URL + "/_sandbox/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st sandboxStats
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

// env is the environment of one test's hi invocations: a private config directory and
// the session's D-Bus, nothing else from the test process. Every invocation is recorded,
// and when the test ends, the audit fails it if a known secret leaked (see secretAudit).
type env struct {
	t      *testing.T
	dir    string
	config string
	vars   map[string]string
	audit  *secretAudit
	// umask, when set, is the file mode creation mask hi runs with, such as "000".
	umask string
}

func newEnv(t *testing.T) *env {
	dir := t.TempDir()
	e := &env{t: t, dir: dir, config: filepath.Join(dir, "config", "hi", "config.yaml"), vars: map[string]string{},
		audit: &secretAudit{}}
	t.Cleanup(e.checkSecrets)
	e.vars["PATH"] = os.Getenv("PATH")
	e.vars["HOME"] = dir
	e.vars["XDG_CONFIG_HOME"] = filepath.Join(dir, "config")
	for _, name := range []string{"DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "XDG_DATA_HOME"} {
		if v, ok := os.LookupEnv(name); ok {
			e.vars[name] = v
		}
	}
	return e
}

func (e *env) set(name, value string) *env {
	e.vars[name] = value
	return e
}

func (e *env) environ() []string {
	out := make([]string, 0, len(e.vars))
	for k, v := range e.vars {
		out = append(out, k+"="+v)
	}
	return out
}

type result struct {
	stdout string
	stderr string
	code   int
}

// run executes hi with stdin as standard input and pipes for stdout and stderr.
func (e *env) run(stdin string, args ...string) result {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := e.command(ctx, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	e.record(args, stdout.String(), stderr.String())
	return result{stdout: stdout.String(), stderr: stderr.String(), code: exitCode(e.t, err)}
}

// command returns hi with args in e's environment, run through sh when e.umask is set.
// A test that starts and stops the process itself passes what it wrote to e.record.
func (e *env) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, hiBinary, args...)
	if e.umask != "" {
		script := "umask " + e.umask + ` && exec "$0" "$@"`
		cmd = exec.CommandContext(ctx, "sh", append([]string{"-c", script, hiBinary}, args...)...)
	}
	cmd.Env = e.environ()
	return cmd
}

// runTTY executes hi with standard output on a pseudo-terminal and stderr on a pipe.
func (e *env) runTTY(args ...string) result {
	e.t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		e.t.Fatal(err)
	}
	defer ptmx.Close()
	pty.Setsize(ptmx, &pty.Winsize{Rows: 40, Cols: 120})

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := e.command(ctx, args...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = tty, &stderr
	if err := cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	tty.Close()
	var out bytes.Buffer
	io.Copy(&out, ptmx) // ends with EIO once the child closes the terminal
	err = cmd.Wait()
	stdout := strings.ReplaceAll(out.String(), "\r\n", "\n")
	e.record(args, stdout, stderr.String())
	return result{stdout: stdout, stderr: stderr.String(), code: exitCode(e.t, err)}
}

func exitCode(t *testing.T, err error) int {
	t.Helper()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exitErr):
		return exitErr.ExitCode()
	}
	t.Fatalf("run hi: %v", err)
	return -1
}

// login creates a profile for srv with its token, stored in the keyring.
func (e *env) login(profile string, srv *sandboxServer, extra ...string) {
	e.t.Helper()
	args := append([]string{"login", "-p", profile, "--base-url", srv.URL, "--with-token"}, extra...)
	r := e.run(srv.Token+"\n", args...)
	if r.code != 0 {
		e.t.Fatalf("hi login -p %s: exit %d, stderr %q", profile, r.code, r.stderr)
	}
	e.t.Cleanup(func() { e.run("", "logout", "-p", profile) })
}

func wantCode(t *testing.T, r result, want int) {
	t.Helper()
	if r.code != want {
		t.Fatalf("exit code = %d, want %d\nstdout: %s\nstderr: %s", r.code, want, r.stdout, r.stderr)
	}
}
