package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestBadInputSendsNothing(t *testing.T) {
	requireKeyring(t)
	srv := startSandbox(t)
	e := newEnv(t)
	e.login("bad", srv)
	unreadable := filepath.Join(t.TempDir(), "missing.json")

	cases := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{name: "unknown profile", args: []string{"-p", "nope", "get", "/tenant/v1/tenant"},
			want: `hi: profile "nope" not found: known profiles are bad`},
		{name: "new profile without tenant", stdin: "t\n", args: []string{"login", "-p", "fresh", "--with-token"},
			want: `hi: missing tenant: profile "fresh" is new, so give --tenant TENANT or --base-url URL`},
		{name: "malformed base url", stdin: "t\n", args: []string{"login", "-p", "fresh", "--base-url", "not a url", "--with-token"},
			want: `hi: invalid base URL "not a url"`},
		{name: "plain http off loopback", stdin: "t\n", args: []string{"login", "-p", "fresh", "--base-url", "http://example.com", "--with-token"},
			want: "plain http is accepted only for loopback hosts"},
		{name: "invalid tenant", stdin: "t\n", args: []string{"login", "-p", "fresh", "--tenant", "Bad_Tenant!", "--with-token"},
			want: `hi: invalid tenant "bad_tenant!"`},
		{name: "tenant and base url together", stdin: "t\n", args: []string{"login", "--tenant", "a", "--base-url", srv.URL, "--with-token"},
			want: "hi: use either --tenant or --base-url, not both"},
		{name: "token with a space", stdin: "two tokens\n", args: []string{"login", "-p", "fresh", "--base-url", srv.URL, "--with-token"},
			want: "hi: invalid token: it contains a space, line break or control character (U+0020); nothing was changed"},
		{name: "authorization header", args: []string{"get", "/tenant/v1/tenant", "-H", "Authorization: Bearer x"},
			want: "hi: -H Authorization is not sent"},
		{name: "empty profile flag", args: []string{"-p", "", "get", "/tenant/v1/tenant"},
			want: "hi: empty --profile"},
		{name: "header name with invalid character", args: []string{"get", "/tenant/v1/tenant", "-H", "a@b: 1"},
			want: `hi: invalid header "a@b: 1": use 'Name: value'`},
		{name: "output directory missing", args: []string{"post", "/personnel/v1/personnel", "-d", "{}", "-o", "/nonexistent/dir/out.json"},
			want: `hi: invalid --output "/nonexistent/dir/out.json": directory /nonexistent/dir does not exist`},
		{name: "output is a directory", args: []string{"get", "/tenant/v1/tenant", "-o", "/tmp"},
			want: `hi: invalid --output "/tmp": it is a directory, give a file name`},
		{name: "header without colon", args: []string{"get", "/tenant/v1/tenant", "-H", "X-Broken"},
			want: `hi: invalid header "X-Broken": use 'Name: value'`},
		{name: "query without equals", args: []string{"get", "/tenant/v1/tenant", "-q", "limit"},
			want: `hi: invalid query item "limit": use key=value`},
		{name: "data not json", args: []string{"post", "/personnel/v1/personnel", "-d", "{oops"},
			want: "hi: invalid JSON in --data value: fix the body, add --raw to send it as is"},
		{name: "unreadable data file", args: []string{"post", "/personnel/v1/personnel", "-d", "@" + unreadable},
			want: `hi: cannot read --data file "` + unreadable + `": no such file or directory`},
		{name: "foreign host", args: []string{"get", "https://example.com/tenant/v1/tenant"},
			want: "hi: URL https://example.com/tenant/v1/tenant is not on the profile's host"},
		{name: "bad color", args: []string{"--color", "sometimes", "get", "/tenant/v1/tenant"},
			want: `hi: invalid --color "sometimes": use auto, always or never`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := srv.stats(t).Requests
			sub := *e
			sub.t = t
			r := sub.run(tc.stdin, tc.args...)
			wantCode(t, r, 2)
			if !strings.HasPrefix(r.stderr, tc.want) && !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr = %q, want it to contain %q", r.stderr, tc.want)
			}
			if r.stdout != "" {
				t.Errorf("stdout = %q, want empty", r.stdout)
			}
			if after := srv.stats(t).Requests; after != before {
				t.Errorf("sandbox saw %d requests, want none", after-before)
			}
		})
	}
}

func TestLineBreakInBaseURLSendsNothing(t *testing.T) {
	srv := startSandbox(t)
	e := newEnv(t).set("HI_TOKEN", srv.Token)
	injected := srv.URL + "/x\r\nX-Injected: 1"
	fromFile := newEnv(t).set("HI_TOKEN", srv.Token)
	config := "current-profile: evil\nprofiles:\n    - name: evil\n      base-url: " + strconv.Quote(injected) + "\n"
	if err := os.MkdirAll(filepath.Dir(fromFile.config), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(fromFile.config, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name  string
		sub   *env
		stdin string
		args  []string
		want  string
	}{
		{name: "HI_BASE_URL with CRLF", sub: e.with(t, "HI_BASE_URL", injected), args: []string{"get", "/tenant/v1/tenant"},
			want: "hi: invalid base URL " + strconv.Quote(injected)},
		{name: "HI_BASE_URL with LF", sub: e.with(t, "HI_BASE_URL", srv.URL+"\n"), args: []string{"get", "/tenant/v1/tenant"},
			want: "hi: invalid base URL " + strconv.Quote(srv.URL+"\n")},
		{name: "config file edited by hand", sub: fromFile, args: []string{"get", "/tenant/v1/tenant"},
			want: "hi: invalid base URL " + strconv.Quote(injected)},
		{name: "base-url flag", sub: e.with(t), stdin: srv.Token + "\n",
			args: []string{"login", "-p", "evil", "--base-url", injected, "--with-token", "--insecure-storage"},
			want: "hi: invalid base URL " + strconv.Quote(injected)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.sub.t = t
			r := tc.sub.run(tc.stdin, tc.args...)
			wantCode(t, r, 2)
			if !strings.HasPrefix(r.stderr, tc.want) {
				t.Errorf("stderr = %q\nwant it to start with %q", r.stderr, tc.want)
			}
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
			if got := srv.stats(t).Requests; got != 0 {
				t.Errorf("sandbox got %d requests, want none", got)
			}
		})
	}
}
