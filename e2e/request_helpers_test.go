package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// runIn executes hi in dir with pipes for all three streams.
func (e *env) runIn(dir, stdin string, args ...string) result {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, hiBinary, args...)
	cmd.Env = e.environ()
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	e.record(args, stdout.String(), stderr.String())
	return result{stdout: stdout.String(), stderr: stderr.String(), code: exitCode(e.t, err)}
}

// runStderrTTY executes hi with standard error on a pseudo-terminal and stdout on a pipe, as
// in `hi get … > file` typed at a terminal.
func (e *env) runStderrTTY(args ...string) result {
	e.t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		e.t.Fatal(err)
	}
	defer ptmx.Close()
	pty.Setsize(ptmx, &pty.Winsize{Rows: 40, Cols: 120})

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, hiBinary, args...)
	cmd.Env = e.environ()
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, tty
	if err := cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	tty.Close()
	var errOut bytes.Buffer
	io.Copy(&errOut, ptmx) // ends with EIO once the child closes the terminal
	err = cmd.Wait()
	stderr := strings.ReplaceAll(errOut.String(), "\r\n", "\n")
	e.record(args, stdout.String(), stderr)
	return result{stdout: stdout.String(), stderr: stderr, code: exitCode(e.t, err)}
}

// with returns a copy of e for subtest t with extra variables.
func (e *env) with(t *testing.T, vars ...string) *env {
	sub := *e
	sub.t = t
	sub.vars = map[string]string{}
	for k, v := range e.vars {
		sub.vars[k] = v
	}
	for i := 0; i+1 < len(vars); i += 2 {
		sub.vars[vars[i]] = vars[i+1]
	}
	return &sub
}

// usageText returns what hi prints after a usage error of command (for example "get"): the
// part of its help from "Usage:" on.
func usageText(t *testing.T, e *env, command string) string {
	t.Helper()
	r := e.run("", command, "--help")
	_, usage, ok := strings.Cut(r.stdout, "Usage:")
	if !ok {
		t.Fatalf("hi %s --help has no Usage: %q", command, r.stdout)
	}
	return "Usage:" + usage
}

// personnelItems returns every personnel record of srv in collection order, each as the
// compact JSON the sandbox sends.
func personnelItems(t *testing.T, srv *sandboxServer) []string {
	t.Helper()
	var items []string
	for offset := 0; ; offset += 100 {
		var page struct {
			Items        []json.RawMessage `json:"items"`
			TotalResults int               `json:"totalResults"`
		}
		body := rawGet(t, srv, "/personnel/v1/personnel?limit=100&offset="+strconv.Itoa(offset))
		if err := json.Unmarshal([]byte(body), &page); err != nil {
			t.Fatal(err)
		}
		for _, item := range page.Items {
			items = append(items, string(item))
		}
		if offset+100 >= page.TotalResults {
			return items
		}
	}
}

// durations matches the timings in a trace, such as "(1.23ms)" and "in 4.5µs".
var durations = regexp.MustCompile(`[0-9]+(\.[0-9]+)?(ns|µs|ms|s|m)\b`)
