package e2e

import (
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// hangGuard bounds how long past --timeout a failing request may take. It only catches a
// hang and is not a speed target.
const hangGuard = 5 * time.Second

func TestNetworkFaultsNameHost(t *testing.T) {
	refused, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refusedHost := refused.Addr().String()
	refused.Close() // nothing listens on the port any more, so a connection is refused

	silent := startRawServer(t, func(conn net.Conn, _ *http.Request) {
		holdOpen(conn)
	})
	stalled := startRawServer(t, func(conn net.Conn, _ *http.Request) {
		conn.Write([]byte("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"items\":["))
		holdOpen(conn)
	})
	cut := startRawServer(t, respondWith("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"+
		"Content-Length: 100\r\n\r\n{\"items\":["))

	const timeout = 1 * time.Second
	// Piped output streams, so the part of a body that arrived is on standard output. -o FILE
	// never keeps it, as the last subtests check.
	cases := []struct {
		name       string
		host       string
		want       string
		wantStdout string
	}{
		{name: "connection refused", host: refusedHost,
			want: "hi: could not connect to " + refusedHost + ": dial tcp " + refusedHost + ": connect: connection refused\n"},
		{name: "no response", host: silent.Host,
			want: "hi: request to " + silent.Host + " timed out after 1s (raise --timeout or check the network)\n"},
		{name: "body stalls", host: stalled.Host, wantStdout: `{"items":[`,
			want: "hi: response from " + stalled.Host + " timed out after 1s before the end of the body " +
				"(raise --timeout or check the network)\n"},
		{name: "body cut off", host: cut.Host, wantStdout: `{"items":[`,
			want: "hi: connection to " + cut.Host + " closed before the end of the response: unexpected EOF\n"},
	}
	for _, tc := range cases {
		for _, retry := range []string{"0", "1"} {
			t.Run(tc.name+" retry "+retry, func(t *testing.T) {
				// Each subtest spends about --timeout waiting, so they wait together.
				t.Parallel()
				e := newEnv(t).set("HI_BASE_URL", "http://"+tc.host).set("HI_TOKEN", "fault-token")
				start := time.Now()
				r := e.run("", "get", "/tenant/v1/tenant", "--timeout", timeout.String(), "--retry", retry)
				elapsed := time.Since(start)
				wantCode(t, r, 1)
				if r.stdout != tc.wantStdout {
					t.Errorf("stdout = %q, want %q", r.stdout, tc.wantStdout)
				}
				if !strings.HasSuffix(r.stderr, tc.want) {
					t.Errorf("stderr = %q\nwant it to end in %q", r.stderr, tc.want)
				}
				if retry == "1" && !strings.HasPrefix(r.stderr, "hi: attempt 1 of 2 failed: ") {
					t.Errorf("stderr = %q, want a retry note first", r.stderr)
				}
				// One attempt, or two with a backoff of at most 1s between them.
				limit := timeout + hangGuard
				if retry == "1" {
					limit = 2*timeout + time.Second + hangGuard
				}
				if elapsed > limit {
					t.Errorf("hi took %s, more than %s", elapsed.Round(time.Millisecond), limit)
				}
			})
		}
	}

	for _, srv := range []*rawServer{stalled, cut} {
		t.Run("output file of a cut body", func(t *testing.T) {
			t.Parallel()
			e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", "fault-token")
			dir := t.TempDir()
			r := e.runIn(dir, "", "get", "/tenant/v1/tenant", "--timeout", timeout.String(), "-o", "tenant.json")
			wantCode(t, r, 1)
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, entry := range entries {
				t.Errorf("the failed request left %s", entry.Name())
			}
		})
	}
}
