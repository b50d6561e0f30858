package e2e

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// maxInterruptDelay bounds how long hi may take to exit after Ctrl-C. hi gives a command
// one second to return before it exits anyway.
const maxInterruptDelay = 3 * time.Second

// echoOn reports whether the terminal whose file is tty echoes input.
func echoOn(t *testing.T, tty *os.File) bool {
	t.Helper()
	termios, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatalf("read the terminal settings: %v", err)
	}
	return termios.Lflag&unix.ECHO != 0
}

// waitExit waits at most limit for cmd to exit and returns its exit code and how long it
// took. A process still running after limit is killed and fails the test.
func waitExit(t *testing.T, cmd *exec.Cmd, limit time.Duration) (int, time.Duration) {
	t.Helper()
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var exitErr *exec.ExitError
		if err != nil && !errors.As(err, &exitErr) {
			t.Fatalf("wait for hi: %v", err)
		}
		return cmd.ProcessState.ExitCode(), time.Since(start)
	case <-time.After(limit):
		cmd.Process.Kill()
		<-done
		t.Fatalf("hi still runs %s after the interrupt", limit)
		return -1, limit
	}
}

func TestInterruptHiddenPrompt(t *testing.T) {
	requireKeyring(t)
	srv := startSandbox(t)
	e := newEnv(t)
	e.login("kept", srv)

	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	defer tty.Close()
	if !echoOn(t, tty) {
		t.Fatal("the new terminal does not echo, so the test cannot tell whether hi restores echo")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	args := []string{"login", "-p", "kept"}
	cmd := e.command(ctx, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	// A session of its own with the terminal as its controlling terminal, so that Ctrl-C
	// typed on the terminal sends SIGINT to hi, as in a shell.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var screen syncBuffer
	go io.Copy(&screen, ptmx)

	waitFor(t, &screen, "Paste the bearer token: ")
	if echoOn(t, tty) {
		t.Fatal("echo is on while hi prompts for the token")
	}
	io.WriteString(ptmx, "partial-tok")
	io.WriteString(ptmx, "\x03") // Ctrl-C
	code, elapsed := waitExit(t, cmd, maxInterruptDelay)
	e.record(args, screen.String(), "")

	if code != 130 {
		t.Errorf("exit code = %d, want 130\nscreen: %q", code, screen.String())
	}
	if elapsed > time.Second {
		t.Errorf("hi took %s to exit after Ctrl-C at the prompt, want it to exit at once", elapsed)
	}
	if !echoOn(t, tty) {
		t.Error("echo is still off after hi exited")
	}
	if r := e.run("", "token", "-p", "kept"); r.stdout != srv.Token+"\n" {
		t.Errorf("after the interrupted login, hi token exit %d: the previous token is not kept", r.code)
	}
}

func TestInterruptRequest(t *testing.T) {
	srv := startSandbox(t, "--latency", "5s")
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	args := []string{"get", "/tenant/v1/tenant"}
	cmd := e.command(ctx, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}

	// Interrupt once the sandbox holds the request, which it responds to after 5s.
	for i := 0; srv.stats(t).Requests == 0; i++ {
		if i == 200 {
			t.Fatal("the request never reached the sandbox")
		}
		time.Sleep(25 * time.Millisecond)
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	code, elapsed := waitExit(t, cmd, maxInterruptDelay)
	e.record(args, stdout.String(), stderr.String())

	if code != 130 {
		t.Errorf("exit code = %d, want 130\nstderr: %s", code, stderr.String())
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout = %q, want nothing", stdout.String())
	}
	if want := "hi: interrupted\n"; stderr.String() != want {
		t.Errorf("stderr = %q, want %q", stderr.String(), want)
	}
	t.Logf("hi exited %s after SIGINT", elapsed.Round(time.Millisecond))
}
