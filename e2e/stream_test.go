package e2e

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// maxStreamRSS bounds the peak resident set size of hi while it saves a 200 MB body: far
// above the 20 to 30 MiB that hi uses on its own, far below the body.
const maxStreamRSS = 100 << 20

func TestOutputFileStreamsLargeBody(t *testing.T) {
	srv := startSandbox(t)
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token)
	const size = 200_000_000
	out := filepath.Join(t.TempDir(), "large.bin")

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	args := []string{"get", "/_sandbox/bytes?size=" + strconv.Itoa(size), "-o", out}
	cmd := e.command(ctx, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	e.record(args, stdout.String(), stderr.String())
	if err != nil {
		t.Fatalf("hi: %v\nstderr: %s", err, stderr.String())
	}

	info, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() != size {
		t.Errorf("file has %d bytes, want %d", info.Size(), size)
	}
	if stdout.Len() != 0 || stderr.Len() != 0 {
		t.Errorf("stdout %q, stderr %q, want nothing", stdout.String(), stderr.String())
	}
	// On Linux, Maxrss is in KiB.
	peak := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10
	t.Logf("peak RSS %.1f MiB for a %d MB body", float64(peak)/(1<<20), size/1_000_000)
	if peak > maxStreamRSS {
		t.Errorf("peak RSS %d MiB, want at most %d MiB: the body is not streamed", peak>>20, maxStreamRSS>>20)
	}
}
