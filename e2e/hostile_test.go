package e2e

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
)

// rawResponse builds an HTTP/1.1 response with Content-Length and Connection: close. status
// is the status code and reason phrase, head the header lines, each ending in \r\n.
func rawResponse(status, head, body string) string {
	return fmt.Sprintf("HTTP/1.1 %s\r\n%sContent-Length: %d\r\nConnection: close\r\n\r\n%s", status, head, len(body), body)
}

// routeServer starts a raw server that sends responses[path] for each path, and a 404
// without a body for any other.
func routeServer(t *testing.T, responses map[string]string) *rawServer {
	return startRawServer(t, func(conn net.Conn, req *http.Request) {
		response, ok := responses[req.URL.Path]
		if !ok {
			response = rawResponse("404 Not Found", "", "")
		}
		conn.Write([]byte(response))
	})
}

// controlAt returns the index of the first control character in s other than newline and
// tab, or -1. C1 controls count, and so does a byte that is not valid UTF-8.
func controlAt(s string) int {
	for i, r := range s {
		if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r < 0xa0) ||
			(r == '\uFFFD' && !strings.HasPrefix(s[i:], "\uFFFD")) {
			return i
		}
	}
	return -1
}

// Bodies whose strings and keys carry terminal control sequences. hostileJSON has a raw C1
// control (U+009B, CSI) and DEL, which JSON allows in strings, and escaped ESC and BEL.
const (
	hostileJSON = "{\"key\u009b\":\"\\u001b]0;pwned\\u0007\",\"c1\":\"x\u009b2J\",\"del\":\"a\x7fb\"}"
	hostileText = "line1\r\nsafe\rEVIL\x1b[2J\b\a\u009bend\n"
	hostilePage = "{\"items\":[{\"id\":\"\u009b2J\"},{\"id\":\"\\u001b[31m\"}],\"totalResults\":2}"
)

func TestHostileTextEscaped(t *testing.T) {
	srv := routeServer(t, map[string]string{
		"/json": rawResponse("200 OK", "Content-Type: application/json\r\n", hostileJSON),
		"/text": rawResponse("200 OK", "Content-Type: text/plain\r\n", hostileText),
		"/status": rawResponse("418 I'm\x1b]0;pwned\x07 a teapot\u009b",
			"Content-Type: text/plain\r\nX-Note: a\u009bb\r\n", "nope"),
		"/busy":  rawResponse("503 Busy\x1b[5m", "Retry-After: 0\r\n", ""),
		"/moved": rawResponse("302 Found", "Location: /gone%1b]0;x%07\r\n", ""),
		"/items": rawResponse("200 OK", "Content-Type: application/json\r\n", hostilePage),
		"/tenant/v1/tenant": rawResponse("200 OK", "Content-Type: application/json\r\n",
			`{"name":"Demo\u001b]0;pwned\u0007","mnemonic":"demo\u009b"}`),
	})
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", "hostile-token")

	cases := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{name: "json strings and keys", args: []string{"get", "/json"},
			wantStdout: "{\n  \"key\\u009b\": \"\\u001b]0;pwned\\u0007\",\n  \"c1\": \"x\\u009b2J\",\n  \"del\": \"a\\u007fb\"\n}\n"},
		{name: "text body", args: []string{"get", "/text"},
			wantStdout: "line1\r\nsafe\\rEVIL\\x1b[2J\\b\\a\\u009bend\n"},
		{name: "status line and headers", args: []string{"get", "/status", "-i"}, wantCode: 4,
			wantStdout: "HTTP/1.1 418 I'm\\x1b]0;pwned\\a a teapot\\u009b\r\n" +
				"Content-Length: 4\r\nContent-Type: text/plain\r\nX-Note: a\\u009bb\r\n\r\nnope\n",
			wantStderr: "HTTP 418 I'm\\x1b]0;pwned\\a a teapot\\u009b: GET /status\n"},
		{name: "retry note", args: []string{"get", "/busy", "--retry", "1"}, wantCode: 5,
			wantStderr: "hi: attempt 1 of 2 failed: HTTP 503 Busy\\x1b[5m with Retry-After; retrying in 0s\n" +
				"HTTP 503 Busy\\x1b[5m: GET /busy\n"},
		{name: "path after a redirect", args: []string{"get", "/moved"}, wantCode: 4,
			wantStderr: "HTTP 404 Not Found: GET /gone\\x1b]0;x\\a\n"},
		{name: "jq string", args: []string{"get", "/json", "--jq", ".[\"key\u009b\"], .c1"},
			wantStdout: "\\x1b]0;pwned\\a\nx\\u009b2J\n"},
		{name: "jq error quoting the body", args: []string{"get", "/json", "--jq", ".c1 | error"}, wantCode: 1,
			wantStderr: "hi: --jq: error: x\\u009b2J\n"},
		{name: "paginated items", args: []string{"get", "/items", "--paginate"},
			wantStdout: "{\n  \"items\": [\n    {\n      \"id\": \"\\u009b2J\"\n    },\n    {\n      \"id\": \"\\u001b[31m\"\n" +
				"    }\n  ],\n  \"totalResults\": 2\n}\n"},
		{name: "ndjson items", args: []string{"get", "/items", "--paginate", "--ndjson"},
			wantStdout: "{\"id\":\"\\u009b2J\"}\n{\"id\":\"\\u001b[31m\"}\n"},
		{name: "whoami", args: []string{"whoami"},
			wantStdout: "profile:         (environment)\nbase URL:        " + srv.URL + "\nauth:            bearer\n" +
				"credential:      environment (HI_TOKEN)\ntenant name:     Demo\\x1b]0;pwned\\a\ntenant mnemonic: demo\\u009b\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.with(t).runTTY(append([]string{"--color", "never"}, tc.args...)...)
			wantCode(t, r, tc.wantCode)
			// The terminal turns each \n into \r\n and runTTY turns \r\n back, so a \r\n that hi
			// wrote arrives as \r\r\n and is read as \r\n.
			if r.stdout != tc.wantStdout {
				t.Errorf("terminal stdout = %q\nwant %q", r.stdout, tc.wantStdout)
			}
			if i := controlAt(strings.ReplaceAll(r.stdout, "\r\n", "\n")); i >= 0 {
				t.Errorf("terminal stdout has a raw control character at %d: %q", i, r.stdout)
			}
			if r.stderr != tc.wantStderr {
				t.Errorf("stderr = %q\nwant %q", r.stderr, tc.wantStderr)
			}
			if i := controlAt(r.stderr); i >= 0 {
				t.Errorf("stderr has a raw control character at %d: %q", i, r.stderr)
			}
		})
	}

	t.Run("verbose trace", func(t *testing.T) {
		r := e.with(t).run("", "-v", "get", "/status", "-i")
		wantCode(t, r, 4)
		for _, want := range []string{
			"< HTTP/1.1 418 I'm\\x1b]0;pwned\\a a teapot\\u009b (",
			"< X-Note: a\\u009bb\n",
		} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("trace lacks %q:\n%s", want, r.stderr)
			}
		}
		if i := controlAt(r.stderr); i >= 0 {
			t.Errorf("trace has a raw control character at %d: %q", i, r.stderr)
		}
	})
}

func TestHostileBodiesPipedExactly(t *testing.T) {
	srv := routeServer(t, map[string]string{
		"/json":  rawResponse("200 OK", "Content-Type: application/json\r\n", hostileJSON),
		"/text":  rawResponse("200 OK", "Content-Type: text/plain\r\n", hostileText),
		"/items": rawResponse("200 OK", "Content-Type: application/json\r\n", hostilePage),
	})
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", "hostile-token")

	cases := []struct {
		name string
		args []string
		want string
	}{
		{name: "json", args: []string{"get", "/json"}, want: hostileJSON},
		{name: "text", args: []string{"get", "/text"}, want: hostileText},
		{name: "jq string", args: []string{"get", "/json", "--jq", ".c1"}, want: "x\u009b2J\n"},
		{name: "paginated items", args: []string{"get", "/items", "--paginate", "--ndjson"},
			want: "{\"id\":\"\u009b2J\"}\n{\"id\":\"\\u001b[31m\"}\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.with(t).run("", tc.args...)
			wantCode(t, r, 0)
			if r.stdout != tc.want {
				t.Errorf("stdout = %q, want the exact bytes %q", r.stdout, tc.want)
			}
			if r.stderr != "" {
				t.Errorf("stderr = %q, want nothing", r.stderr)
			}
		})
	}
}

func TestMislabelledBodies(t *testing.T) {
	const (
		notUTF8   = "{\"name\":\"caf\xe9\"}"
		truncated = `{"items":[{"id":"a"},{"id":`
		html      = "<html><body>Gateway error</body></html>\n"
		text      = "plain words, not bytes\n"
	)
	srv := routeServer(t, map[string]string{
		"/not-utf8":  rawResponse("200 OK", "Content-Type: application/json\r\n", notUTF8),
		"/truncated": rawResponse("200 OK", "Content-Type: application/json\r\n", truncated),
		"/html":      rawResponse("200 OK", "Content-Type: application/json; charset=utf-8\r\n", html),
		"/text":      rawResponse("200 OK", "Content-Type: application/octet-stream\r\n", text),
		// RFC 9110 section 15.3.5: a 204 ends at its header section, so the bytes after it are
		// not a body.
		"/no-content": "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
	})
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", "mislabel-token")

	cases := []struct {
		name         string
		path         string
		body         string
		wantTerminal string
		wantNote     string
	}{
		{name: "json not utf-8", path: "/not-utf8", body: notUTF8, wantTerminal: "{\"name\":\"caf\\xe9\"}\n",
			wantNote: "hi: the application/json body is not valid UTF-8, so it is not pretty-printed\n"},
		{name: "truncated json", path: "/truncated", body: truncated, wantTerminal: truncated + "\n",
			wantNote: "hi: the application/json body is not valid JSON, so it is not pretty-printed\n"},
		{name: "html declared as json", path: "/html", body: html, wantTerminal: html,
			wantNote: "hi: the application/json body is not valid JSON, so it is not pretty-printed\n"},
		{name: "text declared as binary", path: "/text", body: text, wantTerminal: text},
		{name: "no content with stray bytes", path: "/no-content"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.with(t).runTTY("--color", "never", "get", tc.path)
			wantCode(t, r, 0)
			if r.stdout != tc.wantTerminal {
				t.Errorf("terminal stdout = %q, want %q", r.stdout, tc.wantTerminal)
			}
			if r.stderr != tc.wantNote {
				t.Errorf("terminal stderr = %q, want %q", r.stderr, tc.wantNote)
			}

			r = e.with(t).run("", "get", tc.path)
			wantCode(t, r, 0)
			if r.stdout != tc.body {
				t.Errorf("piped stdout = %q, want the exact bytes %q", r.stdout, tc.body)
			}
			if r.stderr != "" {
				t.Errorf("piped stderr = %q, want nothing", r.stderr)
			}
		})
	}
}
