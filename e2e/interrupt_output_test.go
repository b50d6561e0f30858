package e2e

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestInterruptPaginateOutput(t *testing.T) {
	for _, extra := range [][]string{nil, {"--parallel", "4"}} {
		name := "one page at a time"
		if extra != nil {
			name = "parallel pages"
		}
		t.Run(name, func(t *testing.T) {
			// 300 records at 10 a page and 300ms a page: the walk would take 9s.
			srv := startSandbox(t, "--latency", "300ms")
			e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token)
			dir := t.TempDir()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			args := append([]string{"get", "/personnel/v1/personnel", "-q", "limit=10", "--paginate", "-o", "people.json"}, extra...)
			cmd := e.command(ctx, args...)
			cmd.Dir = dir
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}

			// Interrupt once pages have been written to the temporary file.
			for i := 0; srv.stats(t).Requests < 4; i++ {
				if i == 400 {
					cmd.Process.Kill()
					t.Fatal("the walk never reached its fourth page")
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
			if want := "hi: interrupted\n"; stderr.String() != want {
				t.Errorf("stderr = %q, want %q", stderr.String(), want)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", stdout.String())
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, entry := range entries {
				t.Errorf("interrupted walk left %s", filepath.Join(dir, entry.Name()))
			}
			t.Logf("hi exited %s after SIGINT", elapsed.Round(time.Millisecond))
		})
	}
}

func TestPaginateOutputOnlyWhenComplete(t *testing.T) {
	other := startSandbox(t)
	home := startRawServer(t, respondWith("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"+
		`{"items":[{"id":"a"}],"totalResults":2,"nextLink":"`+other.URL+`/personnel/v1/personnel?offset=1"}`))
	e := newEnv(t).set("HI_BASE_URL", home.URL).set("HI_TOKEN", "home-token")
	dir := t.TempDir()

	r := e.runIn(dir, "", "get", "/personnel/v1/personnel", "--paginate", "-o", "people.json")
	wantCode(t, r, 1)
	if r.stdout != "" {
		t.Errorf("stdout = %q, want nothing", r.stdout)
	}
	entries, _ := os.ReadDir(dir)
	for _, entry := range entries {
		t.Errorf("walk stopped at a foreign nextLink left %s", entry.Name())
	}
}
