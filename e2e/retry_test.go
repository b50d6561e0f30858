package e2e

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// backoffNote matches the note of a retry after backoff: the first wait is 0.5s to 1s.
func backoffNote(attempt, attempts int, reason string) *regexp.Regexp {
	return regexp.MustCompile("^hi: attempt " + strconv.Itoa(attempt) + " of " + strconv.Itoa(attempts) + " failed: " +
		regexp.QuoteMeta(reason) + `; retrying in ([5-9][0-9]{2}ms|1s)\n`)
}

func TestRetryServiceUnavailable(t *testing.T) {
	// With seed 1 and a fail rate of 0.5, the first request fails and the second succeeds.
	srv := startSandbox(t, "--fail-rate", "0.5", "--seed", "1")
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token)

	r := e.run("", "get", "/tenant/v1/tenant", "--retry", "2", "--jq", ".name")
	wantCode(t, r, 0)
	if r.stdout != "Cerner Demo\n" {
		t.Errorf("stdout = %q, want the tenant name", r.stdout)
	}
	if !backoffNote(1, 3, "HTTP 503 Service Unavailable").MatchString(r.stderr) {
		t.Errorf("stderr = %q, want one retry note", r.stderr)
	}
	if strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("stderr has %d lines, want 1", strings.Count(r.stderr, "\n"))
	}
	if got := srv.stats(t).ByMethod["GET"]; got != 2 {
		t.Errorf("GET requests = %d, want 2", got)
	}
}

func TestRetryThrottled(t *testing.T) {
	srv := startSandbox(t, "--throttle", "1")
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token)
	rawGet(t, srv, "/tenant/v1/tenant") // the one request the throttle lets through this second

	start := time.Now()
	r := e.run("", "get", "/tenant/v1/tenant", "--retry", "2", "--jq", ".mnemonic")
	elapsed := time.Since(start)
	wantCode(t, r, 0)
	if r.stdout != "cernerdemo\n" {
		t.Errorf("stdout = %q", r.stdout)
	}
	if want := "hi: attempt 1 of 3 failed: HTTP 429 Too Many Requests with Retry-After; retrying in 1s\n"; r.stderr != want {
		t.Errorf("stderr = %q, want %q", r.stderr, want)
	}
	if elapsed < time.Second {
		t.Errorf("hi returned after %s, before the 1s that Retry-After asks for", elapsed)
	}
	if got := srv.stats(t).Requests; got != 3 {
		t.Errorf("requests = %d, want 3", got)
	}
}

func TestRetryPostOnlyWhenAllowed(t *testing.T) {
	srv := startSandbox(t, "--fail-rate", "1")
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token)
	person := `{"name":{"given":["Ada"],"family":"Lovelace"},"gender":"FEMALE"}`
	const body = `{"code":503,"message":"Service Unavailable","errorDetails":[{"domain":"global",` +
		`"reason":"backendError","message":"the service is unavailable; retry later"}]}` + "\n"

	r := e.run("", "post", "/personnel/v1/personnel", "-d", person, "--retry", "3")
	wantCode(t, r, 5)
	if r.stdout != body {
		t.Errorf("stdout = %q, want the error body", r.stdout)
	}
	if want := "HTTP 503 Service Unavailable: POST /personnel/v1/personnel\n"; r.stderr != want {
		t.Errorf("stderr = %q, want %q", r.stderr, want)
	}
	if got := srv.stats(t).ByMethod["POST"]; got != 1 {
		t.Errorf("POST requests = %d, want 1: a POST is not retried without --retry-all", got)
	}

	r = e.run("", "post", "/personnel/v1/personnel", "-d", person, "--retry", "1", "--retry-all")
	wantCode(t, r, 5)
	note := backoffNote(1, 2, "HTTP 503 Service Unavailable")
	if !note.MatchString(r.stderr) || !strings.HasSuffix(r.stderr, "\nHTTP 503 Service Unavailable: POST /personnel/v1/personnel\n") {
		t.Errorf("stderr = %q, want a retry note and the summary", r.stderr)
	}
	if got := srv.stats(t).ByMethod["POST"]; got != 3 {
		t.Errorf("POST requests = %d, want 3 after a retried POST", got)
	}
}

func TestRetryDroppedConnection(t *testing.T) {
	// Seed 1 draws 0.24, 0.97, 0.78 and 0.53, so at a drop rate of 0.6 the first and fourth
	// responses are cut.
	srv := startSandbox(t, "--drop-rate", "0.6", "--seed", "1")
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token)
	host := strings.TrimPrefix(srv.URL, "http://")

	r := e.run("", "get", "/tenant/v1/tenant", "--retry", "1", "--jq", ".name")
	wantCode(t, r, 0)
	if r.stdout != "Cerner Demo\n" {
		t.Errorf("stdout = %q", r.stdout)
	}
	reason := "connection to " + host + " closed before the end of the response: unexpected EOF"
	if !backoffNote(1, 2, reason).MatchString(r.stderr) {
		t.Errorf("stderr = %q, want a retry note naming the cut", r.stderr)
	}

	wantCode(t, e.run("", "get", "/tenant/v1/tenant"), 0)
	r = e.run("", "get", "/tenant/v1/tenant")
	wantCode(t, r, 1)
	if want := "hi: connection to " + host + " closed before the end of the response: unexpected EOF\n"; r.stderr != want {
		t.Errorf("without --retry: stderr = %q, want %q", r.stderr, want)
	}
}

func TestRetryPostNotResentAfterDrop(t *testing.T) {
	person := `{"name":{"given":["Ada"],"family":"Lovelace"},"gender":"FEMALE"}`

	t.Run("every response dropped", func(t *testing.T) {
		srv := startSandbox(t, "--drop-rate", "1")
		e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token)
		host := strings.TrimPrefix(srv.URL, "http://")

		r := e.run("", "post", "/personnel/v1/personnel", "-d", person, "--retry", "3")
		wantCode(t, r, 1)
		if want := "hi: connection to " + host + " closed before the end of the response: unexpected EOF\n"; r.stderr != want {
			t.Errorf("stderr = %q, want %q", r.stderr, want)
		}
		if got := srv.stats(t).ByMethod["POST"]; got != 1 {
			t.Errorf("POST requests = %d, want 1: a POST is not retried without --retry-all", got)
		}

		r = e.run("", "post", "/personnel/v1/personnel", "-d", person, "--retry", "2", "--retry-all")
		wantCode(t, r, 1)
		if got := srv.stats(t).ByMethod["POST"]; got != 4 {
			t.Errorf("POST requests = %d, want 4 after a POST retried twice", got)
		}
	})

	t.Run("failures and drops mixed", func(t *testing.T) {
		srv := startSandbox(t, "--fail-rate", "0.3", "--drop-rate", "0.3", "--seed", "7")
		e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token)
		codes := map[int]int{}
		const posts = 12
		for range posts {
			r := e.run("", "post", "/personnel/v1/personnel", "-d", person, "--retry", "5")
			codes[r.code]++
			if strings.Contains(r.stderr, "retrying") {
				t.Errorf("a POST was retried without --retry-all: %q", r.stderr)
			}
		}
		if got := srv.stats(t).ByMethod["POST"]; got != posts {
			t.Errorf("POST requests = %d, want %d, one per invocation", got, posts)
		}
		if codes[0] == posts {
			t.Errorf("every POST succeeded, so the faults were not exercised: exit codes %v", codes)
		}
	})
}
