package e2e

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// rawGet fetches path from the sandbox with its token and returns the exact body.
func rawGet(t *testing.T, srv *sandboxServer, path string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+srv.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

var ansiEscape = regexp.MustCompile("\x1b\\[[0-9;]*m")

func TestOutputModes(t *testing.T) {
	srv := startSandbox(t)
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token)
	const path = "/personnel/v1/personnel?limit=3"
	raw := rawGet(t, srv, path)

	r := e.run("", "get", path)
	wantCode(t, r, 0)
	if r.stdout != raw {
		t.Errorf("piped output differs from the body:\n got %q\nwant %q", r.stdout, raw)
	}

	r = e.run("", "--color", "always", "get", path)
	if r.stdout != raw {
		t.Errorf("piped output with --color always is not the exact body")
	}

	cases := []struct {
		name      string
		env       map[string]string
		args      []string
		wantColor bool
	}{
		{name: "terminal is pretty and coloured", wantColor: true},
		{name: "NO_COLOR keeps it plain", env: map[string]string{"NO_COLOR": "1"}},
		{name: "color never keeps it plain", args: []string{"--color", "never"}},
		{name: "color always beats NO_COLOR", env: map[string]string{"NO_COLOR": "1"}, args: []string{"--color", "always"}, wantColor: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sub := *e
			sub.t = t
			sub.vars = map[string]string{}
			for k, v := range e.vars {
				sub.vars[k] = v
			}
			for k, v := range tc.env {
				sub.vars[k] = v
			}
			r := sub.runTTY(append(tc.args, "get", path)...)
			wantCode(t, r, 0)
			if hasColor := strings.Contains(r.stdout, "\x1b["); hasColor != tc.wantColor {
				t.Errorf("colour escapes present = %v, want %v", hasColor, tc.wantColor)
			}
			plain := ansiEscape.ReplaceAllString(r.stdout, "")
			if !strings.HasPrefix(plain, "{\n  \"items\": [\n    {\n      \"id\": ") {
				t.Errorf("terminal output is not indented JSON: %q", plain[:min(len(plain), 200)])
			}
		})
	}
}

func TestIncludeHeaders(t *testing.T) {
	srv := startSandbox(t)
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token)
	r := e.run("", "get", "/tenant/v1/tenant", "-i")
	wantCode(t, r, 0)
	head, body, ok := strings.Cut(r.stdout, "\r\n\r\n")
	if !ok {
		t.Fatalf("no blank line after the headers: %q", r.stdout)
	}
	if !strings.HasPrefix(head, "HTTP/1.1 200 OK\r\n") {
		t.Errorf("status line = %q", strings.SplitN(head, "\r\n", 2)[0])
	}
	if !strings.Contains(strings.ToLower(head), "cerner-correlation-id: ") {
		t.Errorf("headers lack cerner-correlation-id: %q", head)
	}
	if body != rawGet(t, srv, "/tenant/v1/tenant") {
		t.Errorf("body after the headers differs from the response body")
	}
}

func TestExitCodes(t *testing.T) {
	srv := startSandbox(t)
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token)
	cases := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{name: "ok is zero", args: []string{"get", "/tenant/v1/tenant"}, wantCode: 0},
		{name: "not found is four", args: []string{"get", "/personnel/v1/personnel/none"}, wantCode: 4,
			wantStderr: "HTTP 404 Not Found: GET /personnel/v1/personnel/none\n"},
		{name: "unknown api prefix names closest", args: []string{"get", "/personel/v1/personnel"}, wantCode: 4,
			wantStderr: "HTTP 404 Not Found: GET /personel/v1/personnel\nhint: no known API is under /personel; " +
				"the closest is Personnel at /personnel/v1 (see hi api show personnel)\n"},
		{name: "redirect off host explains the 401", args: []string{"get", "/_sandbox/redirect",
			"-q", "to=http://" + strings.Replace(strings.TrimPrefix(srv.URL, "http://"), "127.0.0.1", "localhost", 1) + "/tenant/v1/tenant"},
			wantCode: 4,
			wantStderr: "HTTP 401 Unauthorized: GET /tenant/v1/tenant\nhint: the request was redirected to " +
				strings.Replace(strings.TrimPrefix(srv.URL, "http://"), "127.0.0.1", "localhost", 1) +
				", which is not the profile's host, so it was sent there without the credential\n"},
		{name: "server error is five", args: []string{"get", "/_sandbox/status/500"}, wantCode: 5,
			wantStderr: "HTTP 500 Internal Server Error: GET /_sandbox/status/500\n"},
		{name: "unfollowed redirect is three", args: []string{"post", "/_sandbox/status/302"}, wantCode: 3,
			wantStderr: "HTTP 302 Found: POST /_sandbox/status/302\n"},
		{name: "forbidden is four with hint", args: []string{"get", "/_sandbox/status/403"}, wantCode: 4,
			wantStderr: "HTTP 403 Forbidden: GET /_sandbox/status/403\nhint: the credential is valid, but the system " +
				"account is not granted this API; ask the tenant's administrator for access\n"},
		{name: "usage error is two", args: []string{"get"}, wantCode: 2},
		{name: "unknown flag is two", args: []string{"get", "/x", "--no-such-flag"}, wantCode: 2},
		{name: "no answer is one", args: []string{"--config", "/dev/null", "get", "/x"}, wantCode: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sub := *e
			sub.t = t
			if tc.name == "no answer is one" {
				sub.vars = map[string]string{}
				for k, v := range e.vars {
					sub.vars[k] = v
				}
				sub.vars["HI_BASE_URL"] = "http://127.0.0.1:1"
			}
			r := sub.run("", tc.args...)
			wantCode(t, r, tc.wantCode)
			if tc.wantStderr != "" && r.stderr != tc.wantStderr {
				t.Errorf("stderr = %q, want %q", r.stderr, tc.wantStderr)
			}
		})
	}
}

func TestPaginationByHand(t *testing.T) {
	srv := startSandbox(t)
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token)

	r := e.run("", "get", "/personnel/v1/personnel", "-q", "limit=100")
	wantCode(t, r, 0)
	page := decode[personnelPage](t, r.stdout)
	if page.PrevLink != "" {
		t.Errorf("first page has prevLink %q", page.PrevLink)
	}
	seen := map[string]bool{}
	for pages := 1; ; pages++ {
		for _, item := range page.Items {
			seen[item["id"].(string)] = true
		}
		if page.NextLink == "" {
			break
		}
		if pages > 20 {
			t.Fatal("more than 20 pages")
		}
		r = e.run("", "get", page.NextLink)
		wantCode(t, r, 0)
		page = decode[personnelPage](t, r.stdout)
	}
	if len(seen) != page.TotalResults {
		t.Errorf("collected %d distinct items, totalResults %d", len(seen), page.TotalResults)
	}
}
