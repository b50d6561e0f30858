package e2e

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

func TestRequestBadInput(t *testing.T) {
	srv := startSandbox(t)
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token)
	usage := map[string]string{}
	for _, command := range []string{"get", "post", "put"} {
		usage[command] = usageText(t, e, command)
	}

	cases := []struct {
		name string
		args []string
		want string
	}{
		{name: "bad jq", args: []string{"get", "/tenant/v1/tenant", "--jq", ".items["},
			want: `invalid --jq expression ".items[": unexpected EOF`},
		{name: "unclosed field bracket", args: []string{"post", "/personnel/v1/personnel", "-f", "name[family=Doe"},
			want: `invalid field "name[family=Doe" in -f: missing ] in the key: use key, key[], key[sub] or key[sub][]`},
		{name: "field without value", args: []string{"get", "/personnel/v1/personnel", "-F", "limit"},
			want: `invalid field "limit" in -F: use key=value`},
		{name: "fields that clash", args: []string{"post", "/personnel/v1/personnel", "-F", "a=1", "-F", "a[b]=2"},
			want: `invalid field "a[b]=2" in -F: a is already set to a value that is not an object`},
		{name: "unreadable field file", args: []string{"post", "/personnel/v1/personnel", "-F", "note=@/nonexistent/note.txt"},
			want: `invalid field "note=@/nonexistent/note.txt" in -F: cannot read /nonexistent/note.txt: no such file or directory`},
		{name: "data with fields", args: []string{"post", "/personnel/v1/personnel", "-d", "{}", "-F", "a=1"},
			want: "use either -d/--data or -F/--field, not both"},
		{name: "input with fields", args: []string{"put", "/personnel/v1/personnel/x", "--input", "body.json", "-f", "a=b"},
			want: "use either --input or -f/--raw-field, not both"},
		{name: "line break in header", args: []string{"get", "/tenant/v1/tenant", "-H", "X-A: 1\r\nX-B: 2"},
			want: `invalid header "X-A: 1\r\nX-B: 2": it contains a line break`},
		{name: "line break in query", args: []string{"get", "/tenant/v1/tenant", "-q", "a=1\nb"},
			want: `invalid query item "a=1\nb": it contains a line break`},
		{name: "line break in field query", args: []string{"get", "/tenant/v1/tenant", "-f", "a=1\r\nb"},
			want: `invalid query item "a=1\r\nb": it contains a line break`},
		{name: "line break in path", args: []string{"get", "/tenant/v1/tenant\r\nX-A: 1"},
			want: `invalid path "/tenant/v1/tenant\r\nX-A: 1": it contains a line break`},
		{name: "ndjson without paginate", args: []string{"get", "/personnel/v1/personnel", "--ndjson"},
			want: "--ndjson works with --paginate only"},
		{name: "paginate with download", args: []string{"get", "/personnel/v1/personnel", "--paginate", "--download"},
			want: "use either --paginate or --download, not both"},
		{name: "parallel out of range", args: []string{"get", "/personnel/v1/personnel", "--paginate", "--parallel", "0"},
			want: "invalid --parallel 0: use 1 to 16"},
		{name: "too many retries", args: []string{"get", "/tenant/v1/tenant", "--retry", "11"},
			want: "invalid --retry 11: use 0 to 10"},
		{name: "bad timeout", args: []string{"get", "/tenant/v1/tenant", "--timeout", "-1s"},
			want: `invalid --timeout "-1s": use a positive duration such as 30s or 2m`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := "hi: " + tc.want + "\n\n" + usage[tc.args[0]]
			before := srv.stats(t).Requests
			for mode, r := range map[string]result{"piped": e.with(t).run("", tc.args...), "terminal": e.with(t).runTTY(tc.args...)} {
				wantCode(t, r, 2)
				if r.stdout != "" {
					t.Errorf("%s: stdout = %q, want nothing", mode, r.stdout)
				}
				if r.stderr != want {
					t.Errorf("%s: stderr = %q\nwant %q", mode, r.stderr[:min(len(r.stderr), 200)], tc.want)
				}
			}
			if got := srv.stats(t).Requests - before; got != 0 {
				t.Errorf("sandbox got %d requests, want none", got)
			}
		})
	}
}

// echoServer records the Content-Type and body of each request and responds with 200.
type echoServer struct {
	*httptest.Server
	mu           sync.Mutex
	contentTypes []string
	bodies       []string
	queries      []string
}

func newEchoServer(t *testing.T) *echoServer {
	echo := &echoServer{}
	echo.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		echo.mu.Lock()
		echo.contentTypes = append(echo.contentTypes, r.Header.Get("Content-Type"))
		echo.bodies = append(echo.bodies, string(body))
		echo.queries = append(echo.queries, r.URL.RawQuery)
		echo.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(echo.Close)
	return echo
}

func TestRequestFields(t *testing.T) {
	echo := newEchoServer(t)
	e := newEnv(t).set("HI_BASE_URL", echo.URL).set("HI_TOKEN", "echo-token")
	note := filepath.Join(t.TempDir(), "note.txt")
	os.WriteFile(note, []byte("first line\nsecond"), 0o600)

	cases := []struct {
		name            string
		stdin           string
		args            []string
		wantContentType string
		wantBody        string
		wantQuery       string
	}{
		{name: "json body from fields", args: []string{"post", "/p", "-f", "name[family]=Doe", "-f", "name[given][]=Jane",
			"-F", "name[given][]=2", "-F", "active=true", "-F", "score=1.5", "-F", "gone=null", "-F", "note=@" + note},
			wantContentType: "application/json",
			wantBody: `{"name":{"family":"Doe","given":["Jane",2]},"active":true,"score":1.5,"gone":null,` +
				`"note":"first line\nsecond"}`},
		{name: "raw field keeps text", args: []string{"patch", "/p", "-f", "n=1", "-f", "b=true", "-f", "at=@me"},
			wantContentType: "application/json", wantBody: `{"n":"1","b":"true","at":"@me"}`},
		{name: "form body", args: []string{"put", "/p", "--form", "-f", "a=1 2", "-F", "n=3", "-f", "tags[]=x"},
			wantContentType: "application/x-www-form-urlencoded", wantBody: "a=1+2&n=3&tags%5B%5D=x"},
		{name: "get fields in query", args: []string{"get", "/p?keep=1", "-F", "limit=5", "-f", "name=a b"},
			wantQuery: "keep=1&limit=5&name=a+b"},
		{name: "delete fields in query", args: []string{"delete", "/p", "-f", "force=yes"}, wantQuery: "force=yes"},
		{name: "field from standard input", stdin: "from stdin", args: []string{"post", "/p", "-F", "text=@-"},
			wantContentType: "application/json", wantBody: `{"text":"from stdin"}`},
		{name: "raw input body", stdin: "not json at all", args: []string{"post", "/p", "--input", "-"},
			wantContentType: "application/json", wantBody: "not json at all"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.with(t).run(tc.stdin, tc.args...)
			wantCode(t, r, 0)
			echo.mu.Lock()
			defer echo.mu.Unlock()
			if len(echo.bodies) != i+1 {
				t.Fatalf("server got %d requests, want %d", len(echo.bodies), i+1)
			}
			if echo.contentTypes[i] != tc.wantContentType {
				t.Errorf("Content-Type = %q, want %q", echo.contentTypes[i], tc.wantContentType)
			}
			if echo.bodies[i] != tc.wantBody {
				t.Errorf("body = %q, want %q", echo.bodies[i], tc.wantBody)
			}
			if echo.queries[i] != tc.wantQuery {
				t.Errorf("query = %q, want %q", echo.queries[i], tc.wantQuery)
			}
		})
	}
}

func TestRequestFieldsCreateRecord(t *testing.T) {
	srv := startSandbox(t)
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token)
	r := e.run("", "post", "/personnel/v1/personnel", "-f", "name[family]=Lovelace", "-f", "name[given][]=Ada",
		"-f", "gender=FEMALE", "-f", "birthDate=1815-12-10", "--jq", ".name.formatted")
	wantCode(t, r, 0)
	if r.stdout != "Lovelace, Ada\n" {
		t.Errorf("stdout = %q, want the new record's formatted name", r.stdout)
	}
	r = e.run("", "get", "/personnel/v1/personnel", "-F", "limit=2", "--jq", ".items | length")
	wantCode(t, r, 0)
	if r.stdout != "2\n" {
		t.Errorf("stdout = %q, want 2 items", r.stdout)
	}
}

func TestDryRun(t *testing.T) {
	srv := startSandbox(t)
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token)
	r := e.run("", "post", "/personnel/v1/personnel", "-f", "name[family]=O'Hara", "-F", "age=3", "--dry-run")
	wantCode(t, r, 0)
	want := "curl -X POST --max-time 30 \\\n" +
		"  -H 'Accept: application/json' \\\n" +
		"  -H 'Authorization: Bearer ********' \\\n" +
		"  -H 'Content-Type: application/json' \\\n" +
		"  -H 'User-Agent: hi-cli' \\\n" +
		"  --data-binary '{\"name\":{\"family\":\"O'\\''Hara\"},\"age\":3}' \\\n" +
		"  '" + srv.URL + "/personnel/v1/personnel'\n"
	if r.stdout != want {
		t.Errorf("stdout = %q\nwant %q", r.stdout, want)
	}
	if r.stderr != "" {
		t.Errorf("stderr = %q", r.stderr)
	}
	if strings.Contains(r.stdout, srv.Token) {
		t.Error("dry run shows the token")
	}
	if got := srv.stats(t).Requests; got != 0 {
		t.Errorf("sandbox got %d requests, want none", got)
	}
}

func TestJQOutput(t *testing.T) {
	srv := startSandbox(t)
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token)
	cases := []struct {
		name     string
		terminal bool
		expr     string
		want     string
	}{
		{name: "raw string piped", expr: ".name", want: "Cerner Demo\n"},
		{name: "raw string on terminal", terminal: true, expr: ".name", want: "Cerner Demo\n"},
		{name: "object piped is compact", expr: ".status", want: `{"startedOn":"2015-06-01","state":"ACTIVE"}` + "\n"},
		{name: "object on terminal is indented", terminal: true, expr: ".status",
			want: "{\n  \"startedOn\": \"2015-06-01\",\n  \"state\": \"ACTIVE\"\n}\n"},
		{name: "several results", expr: ".locales[], .mnemonic", want: "en-US\ncernerdemo\n"},
		{name: "large integers kept", expr: "[1, 2.50, 12345678901234567890]", want: "[1,2.5,12345678901234567890]\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"--color", "never", "get", "/tenant/v1/tenant", "--jq", tc.expr}
			var r result
			if tc.terminal {
				r = e.with(t).runTTY(args...)
			} else {
				r = e.with(t).run("", args...)
			}
			wantCode(t, r, 0)
			if r.stdout != tc.want {
				t.Errorf("stdout = %q, want %q", r.stdout, tc.want)
			}
			if r.stderr != "" {
				t.Errorf("stderr = %q", r.stderr)
			}
		})
	}

	t.Run("error body printed as is", func(t *testing.T) {
		r := e.with(t).run("", "get", "/_sandbox/status/404", "--jq", ".code")
		wantCode(t, r, 4)
		if !strings.HasPrefix(r.stdout, `{"code":404,`) {
			t.Errorf("stdout = %q, want the error body", r.stdout)
		}
		if r.stderr != "HTTP 404 Not Found: GET /_sandbox/status/404\n" {
			t.Errorf("stderr = %q", r.stderr)
		}
	})
}

func TestSilentAndOutputFile(t *testing.T) {
	srv := startSandbox(t)
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token)
	body := rawGet(t, srv, "/tenant/v1/tenant")

	r := e.run("", "get", "/tenant/v1/tenant", "--silent")
	wantCode(t, r, 0)
	if r.stdout != "" || r.stderr != "" {
		t.Errorf("--silent printed stdout %q, stderr %q", r.stdout, r.stderr)
	}
	r = e.run("", "get", "/_sandbox/status/404", "--silent")
	wantCode(t, r, 4)
	if r.stdout != "" || r.stderr != "HTTP 404 Not Found: GET /_sandbox/status/404\n" {
		t.Errorf("--silent on an error printed stdout %q, stderr %q", r.stdout, r.stderr)
	}

	out := filepath.Join(t.TempDir(), "tenant.json")
	r = e.run("", "get", "/tenant/v1/tenant", "-o", out)
	wantCode(t, r, 0)
	if got, _ := os.ReadFile(out); string(got) != body || r.stdout != "" {
		t.Errorf("-o wrote %q and printed %q, want the body in the file only", got, r.stdout)
	}
	r = e.run("", "get", "/tenant/v1/tenant", "-o", "-")
	wantCode(t, r, 0)
	if r.stdout != body {
		t.Errorf("-o - printed %q, want the body", r.stdout)
	}
	r = e.run("", "get", "/personnel/v1/personnel", "-q", "limit=100", "--paginate", "-o", out)
	wantCode(t, r, 0)
	if got, _ := os.ReadFile(out); !strings.HasSuffix(string(got), `],"totalResults":300}`+"\n") || r.stdout != "" {
		t.Errorf("--paginate -o wrote %.100q… and printed %q", got, r.stdout)
	}
}

func TestDownload(t *testing.T) {
	// The subtests set the header between requests, while the server reads it on its own
	// goroutines.
	var disposition atomic.Value
	disposition.Store("")
	files := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d := disposition.Load().(string); d != "" {
			w.Header().Set("Content-Disposition", d)
		}
		w.Header().Set("Content-Type", "application/gzip")
		fmt.Fprint(w, "\x1f\x8b\x08\x00binary")
	}))
	defer files.Close()
	e := newEnv(t).set("HI_BASE_URL", files.URL).set("HI_TOKEN", "files-token")
	// hi runs in dir; outside holds a file that a download must never reach.
	root := t.TempDir()
	dir := filepath.Join(root, "work")
	outside := filepath.Join(root, "outside.txt")
	os.Mkdir(dir, 0o700)
	os.WriteFile(outside, []byte("outside"), 0o600)

	cases := []struct {
		name        string
		disposition string
		path        string
		wantFile    string
	}{
		{name: "name from the server", disposition: `attachment; filename="export.tar.gz"`, path: "/x", wantFile: "export.tar.gz"},
		{name: "parent path stripped", disposition: `attachment; filename="../../evil.txt"`, path: "/x", wantFile: "evil.txt"},
		{name: "encoded name with control character", disposition: `attachment; filename*=UTF-8''na%C3%AFve%0A.bin`,
			path: "/x", wantFile: "naïve.bin"},
		{name: "absolute path stripped", disposition: `attachment; filename="/etc/passwd"`, path: "/x", wantFile: "passwd"},
		{name: "hidden name made visible", disposition: `attachment; filename=".bashrc"`, path: "/x", wantFile: "bashrc"},
		{name: "last path segment", path: "/syndication/v1/files/2026-01.tar.gz", wantFile: "2026-01.tar.gz"},
		{name: "nul removed", disposition: `attachment; filename*=UTF-8''a%00b.bin`, path: "/x", wantFile: "ab.bin"},
		{name: "escape sequence removed", disposition: `attachment; filename*=UTF-8''%1B%5D0%3Bx%07log.txt`,
			path: "/x", wantFile: "]0;xlog.txt"},
		{name: "c1 control removed", disposition: `attachment; filename*=UTF-8''a%C2%9Bc.txt`, path: "/x", wantFile: "ac.txt"},
		{name: "encoded parent path stripped", disposition: `attachment; filename*=UTF-8''..%2F..%2Foutside.txt`,
			path: "/x", wantFile: "outside.txt"},
		{name: "windows parent path stripped", disposition: `attachment; filename*=UTF-8''..%5C..%5Cwin.ini`,
			path: "/x", wantFile: "win.ini"},
		{name: "dots alone fall back to the path", disposition: `attachment; filename=".."`,
			path: "/files/fallback.bin", wantFile: "fallback.bin"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			disposition.Store(tc.disposition)
			r := e.with(t).runIn(dir, "", "get", tc.path, "--download")
			wantCode(t, r, 0)
			if r.stdout != "" || r.stderr != "" {
				t.Errorf("stdout %q, stderr %q, want nothing when piped", r.stdout, r.stderr)
			}
			got, err := os.ReadFile(filepath.Join(dir, tc.wantFile))
			if err != nil || string(got) != "\x1f\x8b\x08\x00binary" {
				t.Errorf("file %s: %q, %v", tc.wantFile, got, err)
			}
		})
	}

	t.Run("existing file kept", func(t *testing.T) {
		disposition.Store(`attachment; filename="export.tar.gz"`)
		os.WriteFile(filepath.Join(dir, "export.tar.gz"), []byte("mine"), 0o600)
		r := e.with(t).runIn(dir, "", "get", "/x", "--download")
		wantCode(t, r, 1)
		if want := "hi: export.tar.gz already exists: remove it or choose another name with -o FILE\n"; r.stderr != want {
			t.Errorf("stderr = %q, want %q", r.stderr, want)
		}
		if got, _ := os.ReadFile(filepath.Join(dir, "export.tar.gz")); string(got) != "mine" {
			t.Errorf("existing file now holds %q", got)
		}
	})
	t.Run("existing symbolic link kept", func(t *testing.T) {
		disposition.Store(`attachment; filename="linked.txt"`)
		if err := os.Symlink(outside, filepath.Join(dir, "linked.txt")); err != nil {
			t.Fatal(err)
		}
		r := e.with(t).runIn(dir, "", "get", "/x", "--download")
		wantCode(t, r, 1)
		if want := "hi: linked.txt already exists: remove it or choose another name with -o FILE\n"; r.stderr != want {
			t.Errorf("stderr = %q, want %q", r.stderr, want)
		}
	})

	if got, _ := os.ReadFile(outside); string(got) != "outside" {
		t.Errorf("the file outside the current directory now holds %q", got)
	}
	if entries, _ := os.ReadDir(root); len(entries) != 2 {
		t.Errorf("the parent directory holds %d entries, want 2: a download left the current directory", len(entries))
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 13 {
		t.Errorf("directory holds %d files, want 13 (no temporary file left)", len(entries))
	}
}

func TestETagCache(t *testing.T) {
	srv := startSandbox(t)
	cache := filepath.Join(t.TempDir(), "cache")
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token).set("HI_CACHE_DIR", cache)
	body := rawGet(t, srv, "/tenant/v1/tenant")

	r := e.run("", "get", "/tenant/v1/tenant", "--etag")
	wantCode(t, r, 0)
	if r.stdout != body {
		t.Errorf("first run: stdout = %q, want the body", r.stdout)
	}
	r = e.run("", "-v", "get", "/tenant/v1/tenant", "--etag")
	wantCode(t, r, 0)
	if r.stdout != body {
		t.Errorf("second run: stdout = %q, want the stored body", r.stdout)
	}
	if !strings.Contains(r.stderr, "> If-None-Match: \"1e82e8a5b611a967922a97dd9ed2346a\"\n") ||
		!strings.Contains(r.stderr, "< HTTP/1.1 304 Not Modified (") {
		t.Errorf("second run did not send If-None-Match or got no 304:\n%s", r.stderr)
	}
	before := srv.stats(t).Requests
	r = e.run("", "get", "/tenant/v1/tenant", "--etag", "--dry-run")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, `If-None-Match: "1e82e8a5b611a967922a97dd9ed2346a"`) {
		t.Errorf("--dry-run does not show the If-None-Match that --etag sends:\n%s", r.stdout)
	}
	if after := srv.stats(t).Requests; after != before {
		t.Errorf("--dry-run sent %d requests", after-before)
	}

	info, err := os.Stat(filepath.Join(cache, "responses"))
	if err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("cache directory: %v, %v; want mode 0700", info.Mode(), err)
	}
	entries, _ := os.ReadDir(filepath.Join(cache, "responses"))
	for _, entry := range entries {
		if info, _ := entry.Info(); info.Mode().Perm() != 0o600 {
			t.Errorf("cache file %s has mode %v, want 0600", entry.Name(), info.Mode().Perm())
		}
	}
	if len(entries) != 1 {
		t.Errorf("cache holds %d entries, want 1", len(entries))
	}
}
