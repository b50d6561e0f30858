package e2e

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func TestOutputToSpecialFilesAndLinks(t *testing.T) {
	srv := startSandbox(t)
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token)
	body := rawGet(t, srv, "/tenant/v1/tenant")

	// A null device of the test's own, so that a regression cannot replace the system's
	// /dev/null.
	t.Run("null device stays a device", func(t *testing.T) {
		device := filepath.Join(t.TempDir(), "null")
		if err := syscall.Mknod(device, syscall.S_IFCHR|0o666, int(unix.Mkdev(1, 3))); err != nil {
			t.Skipf("cannot create a device node here: %v", err)
		}
		wantCode(t, e.run("", "get", "/tenant/v1/tenant", "-o", device), 0)
		info, err := os.Lstat(device)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode()&os.ModeCharDevice == 0 {
			t.Fatalf("the device is now %v", info.Mode())
		}
	})

	t.Run("named pipe receives the body", func(t *testing.T) {
		fifo := filepath.Join(t.TempDir(), "pipe")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		got := make(chan string, 1)
		go func() {
			f, err := os.Open(fifo)
			if err != nil {
				got <- err.Error()
				return
			}
			defer f.Close()
			data, _ := io.ReadAll(f)
			got <- string(data)
		}()
		wantCode(t, e.run("", "get", "/tenant/v1/tenant", "-o", fifo), 0)
		select {
		case s := <-got:
			if s != body {
				t.Errorf("pipe received %q, want the body", s)
			}
		case <-time.After(5 * time.Second):
			// hi never opened the pipe: open it for writing so the reader ends.
			if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
				w.Close()
			}
			t.Error("hi wrote nothing to the pipe")
		}
		if info, err := os.Lstat(fifo); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
			t.Errorf("the pipe was replaced: %v %v", info.Mode(), err)
		}
	})

	t.Run("symbolic link keeps pointing at its file", func(t *testing.T) {
		dir := t.TempDir()
		target := filepath.Join(dir, "real.json")
		link := filepath.Join(dir, "link.json")
		os.WriteFile(target, []byte("old"), 0o600)
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
		wantCode(t, e.run("", "get", "/tenant/v1/tenant", "-o", link), 0)
		if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
			t.Errorf("the link was replaced by a file: %v", err)
		}
		if data, _ := os.ReadFile(target); string(data) != body {
			t.Errorf("the link's target holds %q, want the body", data)
		}
	})
}
