package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// timeCommand is GNU time, which prints the peak resident set size of the command it runs.
const timeCommand = "/usr/bin/time"

// padding makes each generated item about as large as a sandbox personnel record.
var padding = strings.Repeat("x", 800)

// itemServer serves a collection of total generated items in pages of the requested limit.
func itemServer(t *testing.T, total int) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		limit = max(1, min(limit, 100))
		var b bytes.Buffer
		b.WriteString(`{"items":[`)
		for i := offset; i < min(offset+limit, total); i++ {
			if i > offset {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"id":"item-%07d","note":"%s"}`, i, padding)
		}
		fmt.Fprintf(&b, `],"totalResults":%d`, total)
		if offset+limit < total {
			fmt.Fprintf(&b, `,"nextLink":"http://%s%s?offset=%d&limit=%d"`, r.Host, r.URL.Path, offset+limit, limit)
		}
		b.WriteString("}\n")
		w.Header().Set("Content-Type", "application/json")
		w.Write(b.Bytes())
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestPaginatePeakMemory measures the peak resident set size of hi get --paginate over
// collections of growing size, for docs/benchmarks.md. It runs only with HI_MEASURE_RSS=1,
// because it moves about 90 MB through loopback.
func TestPaginatePeakMemory(t *testing.T) {
	if os.Getenv("HI_MEASURE_RSS") == "" {
		t.Skip("set HI_MEASURE_RSS=1 to measure peak memory")
	}
	if _, err := os.Stat(timeCommand); err != nil {
		t.Skipf("%s (GNU time) is needed to measure peak memory: %v", timeCommand, err)
	}
	for _, total := range []int{1_000, 10_000, 100_000} {
		for _, args := range [][]string{nil, {"--parallel", "4"}, {"--ndjson"}} {
			srv := itemServer(t, total)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			// GNU time reports the peak of hi alone. The rusage of hi started straight from
			// this process showed this process's own, larger peak instead, so hi is started
			// from GNU time, a small process.
			hiArgs := append([]string{"-f", "%M", hiBinary, "get", "/items", "-q", "limit=100", "--paginate"}, args...)
			cmd := exec.CommandContext(ctx, timeCommand, hiArgs...)
			cmd.Env = []string{"HI_BASE_URL=" + srv.URL, "HI_TOKEN=rss", "HOME=" + t.TempDir()}
			counter := &countingWriter{}
			var stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = counter, &stderr
			start := time.Now()
			err := cmd.Run()
			cancel()
			if err != nil {
				t.Fatalf("%d items %v: %v\n%s", total, args, err, stderr.String())
			}
			peak := strings.TrimSpace(stderr.String())
			t.Logf("items %7d %-16s peak RSS %6s KiB, %5.2fs, %d bytes out",
				total, strings.Join(args, " "), peak, time.Since(start).Seconds(), counter.n)
		}
	}
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}
