package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tidwall/pretty"
)

func TestPaginateEveryItemOnce(t *testing.T) {
	srv := startSandbox(t)
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token)
	items := personnelItems(t, srv)
	if len(items) != 300 {
		t.Fatalf("sandbox has %d records, want 300", len(items))
	}
	wantDoc := `{"items":[` + strings.Join(items, ",") + `],"totalResults":300}` + "\n"

	cases := []struct {
		name string
		args []string
	}{
		{name: "sequential pages", args: nil},
		{name: "four pages at a time", args: []string{"--parallel", "4"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := srv.stats(t).Requests
			r := e.with(t).run("", append([]string{"get", "/personnel/v1/personnel", "-q", "limit=7", "--paginate"}, tc.args...)...)
			wantCode(t, r, 0)
			if r.stdout != wantDoc {
				t.Errorf("merged document differs from the 300 records in order:\n got %.300q\nwant %.300q", r.stdout, wantDoc)
			}
			if r.stderr != "" {
				t.Errorf("stderr = %q, want nothing when piped", r.stderr)
			}
			if got := srv.stats(t).Requests - before; got != 43 {
				t.Errorf("requests = %d, want 43 pages of 7", got)
			}
		})
	}

	t.Run("ndjson lines", func(t *testing.T) {
		r := e.with(t).run("", "get", "/personnel/v1/personnel", "-q", "limit=7", "--paginate", "--ndjson", "--parallel", "3")
		wantCode(t, r, 0)
		lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
		if len(lines) != 300 {
			t.Fatalf("lines = %d, want 300", len(lines))
		}
		if r.stdout != strings.Join(items, "\n")+"\n" {
			t.Error("ndjson lines differ from the records in order")
		}
	})

	t.Run("terminal document is pretty", func(t *testing.T) {
		r := e.with(t).runTTY("--color", "never", "get", "/personnel/v1/personnel", "-q", "limit=50", "--paginate")
		wantCode(t, r, 0)
		want := string(pretty.PrettyOptions([]byte(wantDoc), &pretty.Options{Width: 0, Indent: "  "}))
		if r.stdout != want {
			t.Errorf("terminal output differs from the document pretty-printed:\n got %.200q\nwant %.200q", r.stdout, want)
		}
		if r.stderr != "" {
			t.Errorf("stderr = %q, want no progress while items scroll on the terminal", r.stderr)
		}
	})

	t.Run("progress on a terminal", func(t *testing.T) {
		r := e.with(t).runStderrTTY("get", "/personnel/v1/personnel", "-q", "limit=100", "--paginate")
		wantCode(t, r, 0)
		want := "\r\x1b[Kpage 1 of 3, 100 of 300 items\r\x1b[Kpage 2 of 3, 200 of 300 items" +
			"\r\x1b[Kpage 3 of 3, 300 of 300 items\r\x1b[K"
		if r.stderr != want {
			t.Errorf("stderr = %q, want %q", r.stderr, want)
		}
		if r.stdout != wantDoc {
			t.Error("stdout is not the merged document")
		}
	})

	t.Run("jq per page", func(t *testing.T) {
		r := e.with(t).run("", "get", "/personnel/v1/personnel", "-q", "limit=100", "--paginate", "--jq", ".items | length")
		wantCode(t, r, 0)
		if r.stdout != "100\n100\n100\n" {
			t.Errorf("stdout = %q, want the item count of each of 3 pages", r.stdout)
		}
	})

	t.Run("max pages stops early", func(t *testing.T) {
		r := e.with(t).run("", "get", "/personnel/v1/personnel", "-q", "limit=100", "--paginate", "--max-pages", "2", "--ndjson")
		wantCode(t, r, 0)
		if r.stdout != strings.Join(items[:200], "\n")+"\n" {
			t.Error("stdout is not the first 200 records")
		}
		if want := "hi: stopped after 2 pages (--max-pages 2); the collection has more\n"; r.stderr != want {
			t.Errorf("stderr = %q, want %q", r.stderr, want)
		}
	})

	t.Run("max pages of one", func(t *testing.T) {
		r := e.with(t).run("", "get", "/personnel/v1/personnel", "-q", "limit=100", "--paginate", "--max-pages", "1", "--ndjson")
		wantCode(t, r, 0)
		if want := "hi: stopped after 1 page (--max-pages 1); the collection has more\n"; r.stderr != want {
			t.Errorf("stderr = %q, want %q", r.stderr, want)
		}
	})
}

func TestPaginateRefusesForeignLink(t *testing.T) {
	other := startSandbox(t)
	foreign := other.URL + "/personnel/v1/personnel?offset=7&limit=7"
	home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"items":[{"id":"a"},{"id":"b"}],"totalResults":300,"nextLink":%q}`, foreign)
	}))
	defer home.Close()
	e := newEnv(t).set("HI_BASE_URL", home.URL).set("HI_TOKEN", "home-token")

	for _, args := range [][]string{nil, {"--parallel", "4"}} {
		r := e.run("", append([]string{"get", "/personnel/v1/personnel", "--paginate"}, args...)...)
		wantCode(t, r, 1)
		if want := `{"items":[{"id":"a"},{"id":"b"}],"totalResults":300}` + "\n"; r.stdout != want {
			t.Errorf("stdout = %q, want the first page closed as a document %q", r.stdout, want)
		}
		want := "hi: stopped after page 1: its nextLink " + foreign + " is on another host than the profile's " +
			strings.TrimPrefix(home.URL, "http://") + "; it was not followed, because credentials are only sent to " +
			"the profile's host\n"
		if r.stderr != want {
			t.Errorf("stderr = %q\nwant %q", r.stderr, want)
		}
	}
	if got := other.stats(t).Requests; got != 0 {
		t.Errorf("the other host got %d requests, want none", got)
	}
}

func TestPaginateStopsLoop(t *testing.T) {
	// The handler reads home.URL, so home is set before the server starts serving.
	var home *httptest.Server
	home = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next := home.URL + "/things?page=2"
		if r.URL.Query().Get("page") == "2" {
			next = home.URL + "/things"
		}
		fmt.Fprintf(w, `{"items":[%q],"nextLink":%q}`, r.URL.RequestURI(), next)
	}))
	home.Start()
	defer home.Close()
	e := newEnv(t).set("HI_BASE_URL", home.URL).set("HI_TOKEN", "home-token")

	r := e.run("", "get", "/things", "--paginate")
	wantCode(t, r, 1)
	if want := `{"items":["/things","/things?page=2"],"totalResults":2}` + "\n"; r.stdout != want {
		t.Errorf("stdout = %q, want %q", r.stdout, want)
	}
	if want := "hi: stopped after page 2: its nextLink " + home.URL + "/things repeats an earlier page, " +
		"which would loop forever\n"; r.stderr != want {
		t.Errorf("stderr = %q, want %q", r.stderr, want)
	}
}

func TestPaginateErrorPage(t *testing.T) {
	// The handler reads home.URL, so home is set before the server starts serving.
	var home *httptest.Server
	home = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Query().Get("page") {
		case "":
			fmt.Fprintf(w, `{"items":[1,2],"nextLink":"%s/things?page=2"}`, home.URL)
		default:
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `{"code":503,"message":"Service Unavailable"}`)
		}
	}))
	home.Start()
	defer home.Close()
	e := newEnv(t).set("HI_BASE_URL", home.URL).set("HI_TOKEN", "home-token")

	r := e.run("", "get", "/things", "--paginate")
	wantCode(t, r, 5)
	if want := `{"items":[1,2],"totalResults":2}` + "\n" + `{"code":503,"message":"Service Unavailable"}`; r.stdout != want {
		t.Errorf("stdout = %q, want %q", r.stdout, want)
	}
	if want := "HTTP 503 Service Unavailable: GET /things?page=2\n"; r.stderr != want {
		t.Errorf("stderr = %q, want %q", r.stderr, want)
	}

	r = e.run("", "get", "/things?page=9", "--paginate")
	wantCode(t, r, 5)
	if want := `{"code":503,"message":"Service Unavailable"}`; r.stdout != want {
		t.Errorf("failed first page: stdout = %q, want the error body alone %q", r.stdout, want)
	}
}
