package e2e

import (
	"bytes"
	"context"
	"io"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

func TestLoginPromptHidesToken(t *testing.T) {
	requireKeyring(t)
	srv := startSandbox(t)
	e := newEnv(t)

	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, hiBinary, "login", "-p", "prompted", "--base-url", srv.URL)
	cmd.Env = e.environ()
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	t.Cleanup(func() { e.run("", "logout", "-p", "prompted") })

	var screen syncBuffer
	done := make(chan struct{})
	go func() {
		io.Copy(&screen, ptmx)
		close(done)
	}()
	waitFor(t, &screen, "Paste the bearer token: ")
	io.WriteString(ptmx, srv.Token+"\r")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("login: %v\n%s", err, screen.String())
	}
	<-done

	if strings.Contains(screen.String(), srv.Token) {
		t.Error("the token was echoed to the terminal")
	}
	if !strings.Contains(screen.String(), `as profile "prompted"`) {
		t.Errorf("no confirmation on the terminal: %q", screen.String())
	}
	if r := e.run("", "token", "-p", "prompted"); r.stdout != srv.Token+"\n" {
		t.Errorf("stored token = %q", r.stdout)
	}
}

// syncBuffer is a buffer that one goroutine writes while another reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor polls buf until it contains want, for at most 10 seconds.
func waitFor(t *testing.T, buf *syncBuffer, want string) {
	t.Helper()
	for i := 0; i < 200; i++ {
		if strings.Contains(buf.String(), want) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("terminal never showed %q; it shows %q", want, buf.String())
}
