package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
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
	cases := []struct {
		name       string
		signal     os.Signal
		wantCode   int
		wantStderr string
	}{
		{name: "ctrl-c", signal: os.Interrupt, wantCode: 130, wantStderr: "hi: interrupted\n"},
		{name: "sigterm", signal: syscall.SIGTERM, wantCode: 143, wantStderr: "hi: terminated\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			interruptRequest(t, tc.signal, tc.wantCode, tc.wantStderr)
		})
	}
}

// interruptRequest sends sig to hi while the sandbox holds its request.
func interruptRequest(t *testing.T, sig os.Signal, wantCode int, wantStderr string) {
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
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	code, elapsed := waitExit(t, cmd, maxInterruptDelay)
	e.record(args, stdout.String(), stderr.String())

	if code != wantCode {
		t.Errorf("exit code = %d, want %d\nstderr: %s", code, wantCode, stderr.String())
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout = %q, want nothing", stdout.String())
	}
	if stderr.String() != wantStderr {
		t.Errorf("stderr = %q, want %q", stderr.String(), wantStderr)
	}
	t.Logf("hi exited %s after the signal", elapsed.Round(time.Millisecond))
}

// TestInterruptBlockedCommand interrupts a hi that waits for standard input, which no
// context can cancel: it must still exit with 130, after the grace period or at once on a
// second Ctrl-C.
func TestInterruptBlockedCommand(t *testing.T) {
	cases := []struct {
		name    string
		signals int
		wantMin time.Duration
		wantMax time.Duration
	}{
		{name: "one Ctrl-C waits out the grace", signals: 1, wantMin: 900 * time.Millisecond, wantMax: maxInterruptDelay},
		// Measured from the first Ctrl-C: the second comes 150ms later, so an exit before
		// the 1s grace can only be its doing.
		{name: "second Ctrl-C exits at once", signals: 2, wantMax: 900 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			args := []string{"login", "-p", "blocked", "--base-url", "http://127.0.0.1:9", "--with-token"}
			cmd := e.command(ctx, args...)
			stdin, err := cmd.StdinPipe() // kept open, so hi waits for the token
			if err != nil {
				t.Fatal(err)
			}
			defer stdin.Close()
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(500 * time.Millisecond) // until hi reads standard input

			first := time.Now()
			cmd.Process.Signal(os.Interrupt)
			if tc.signals == 2 {
				// The kernel merges a second SIGINT into one still pending, so the second
				// is sent only once the first has been delivered, and a little later.
				waitSignalDelivered(t, cmd.Process.Pid)
				time.Sleep(150 * time.Millisecond)
				cmd.Process.Signal(os.Interrupt)
			}
			code, _ := waitExit(t, cmd, maxInterruptDelay)
			elapsed := time.Since(first)
			e.record(args, stdout.String(), stderr.String())

			if code != 130 {
				t.Errorf("exit code = %d, want 130\nstderr: %s", code, stderr.String())
			}
			if elapsed < tc.wantMin || elapsed > tc.wantMax {
				t.Errorf("hi exited %s after the first Ctrl-C, want between %s and %s", elapsed, tc.wantMin, tc.wantMax)
			}
			if want := "hi: interrupted\n"; stderr.String() != want {
				t.Errorf("stderr = %q, want %q", stderr.String(), want)
			}
			if _, err := os.Stat(e.config); !os.IsNotExist(err) {
				t.Errorf("the interrupted login wrote the config file: %v", err)
			}
		})
	}
}

// waitSignalDelivered waits until no SIGINT is pending for the process, reading the pending
// signal masks in /proc/PID/status (SIGINT is bit 1), for at most 5 seconds.
func waitSignalDelivered(t *testing.T, pid int) {
	t.Helper()
	for i := 0; i < 500; i++ {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			return
		}
		if !sigintPending(string(data)) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("SIGINT still pending after 5s")
}

func sigintPending(status string) bool {
	for _, line := range strings.Split(status, "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok || (name != "SigPnd" && name != "ShdPnd") {
			continue
		}
		mask, err := strconv.ParseUint(strings.TrimSpace(value), 16, 64)
		if err == nil && mask&(1<<(2-1)) != 0 {
			return true
		}
	}
	return false
}
