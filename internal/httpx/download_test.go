package httpx

import (
	"errors"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSafeFileName(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{name: "plain name kept", in: "export.tar.gz", want: "export.tar.gz"},
		{name: "parent path dropped", in: "../../etc/passwd", want: "passwd"},
		{name: "windows path dropped", in: `..\..\boot.ini`, want: "boot.ini"},
		{name: "absolute path dropped", in: "/etc/shadow", want: "shadow"},
		{name: "dot dot alone empty", in: "..", want: ""},
		{name: "hidden file made visible", in: ".profile", want: "profile"},
		{name: "control characters removed", in: "a\x00b\nc\x7f.txt", want: "abc.txt"},
		{name: "escape sequence removed", in: "a\x1b]0;x\x07.txt", want: "a]0;x.txt"},
		{name: "c1 control removed", in: "a\u009bb.txt", want: "ab.txt"},
		{name: "only control characters empty", in: "\x00\x1b\r", want: ""},
		{name: "trailing dots and spaces removed", in: "report. . ", want: "report"},
		{name: "unicode kept", in: "naïve résumé.pdf", want: "naïve résumé.pdf"},
		{name: "long name cut on a character", in: strings.Repeat("é", 200), want: strings.Repeat("é", 127)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := SafeFileName(tc.in); got != tc.want {
				t.Errorf("SafeFileName(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestDownloadName(t *testing.T) {
	cases := []struct {
		name, disposition, path, want string
	}{
		{name: "filename", disposition: `attachment; filename="a.csv"`, path: "/x/y", want: "a.csv"},
		{name: "encoded filename wins", disposition: `attachment; filename="a.csv"; filename*=UTF-8''b%20c.csv`, path: "/x", want: "b c.csv"},
		{name: "unusable filename falls back to path", disposition: `attachment; filename=".."`, path: "/files/z.bin", want: "z.bin"},
		{name: "last path segment", path: "/files/report.pdf/", want: "report.pdf"},
		{name: "root path has no name", path: "/", want: ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := &http.Response{Header: http.Header{}, Request: &http.Request{URL: &url.URL{Path: tc.path}}}
			if tc.disposition != "" {
				resp.Header.Set("Content-Disposition", tc.disposition)
			}
			if got := DownloadName(resp); got != tc.want {
				t.Errorf("DownloadName = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSaveNewFileKeepsExisting(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.txt")
	if _, err := SaveNewFile(path, strings.NewReader("first")); err != nil {
		t.Fatal(err)
	}
	_, err := SaveNewFile(path, strings.NewReader("second"))
	if !errors.Is(err, fs.ErrExist) {
		t.Fatalf("error = %v, want one that is fs.ErrExist", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "first" {
		t.Errorf("file holds %q, want the first body", got)
	}
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", info.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("directory holds %d files, want 1: a temporary file was left", len(entries))
	}
}

func TestCurlCommand(t *testing.T) {
	req, _ := http.NewRequest(http.MethodPost, "https://t.example/oauth/access?oauth_token=abc&x=1", nil)
	req.Header.Set("Authorization", "OAuth oauth_signature=\"s\"")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	got := CurlCommand(req, []byte("oauth_signature=sig&name=it's"), "", 0)
	want := "curl -X POST \\\n" +
		"  -H 'Authorization: OAuth ********' \\\n" +
		"  -H 'Content-Type: application/x-www-form-urlencoded' \\\n" +
		"  --data-binary 'oauth_signature=********&name=it'\\''s' \\\n" +
		"  'https://t.example/oauth/access?oauth_token=********&x=1'\n"
	if got != want {
		t.Errorf("CurlCommand =\n%s\nwant\n%s", got, want)
	}
	binary := CurlCommand(req, []byte{0x1f, 0x8b, 0}, "body.gz", 0)
	if !strings.Contains(binary, "--data-binary '@body.gz'") {
		t.Errorf("binary body not referred to by file: %s", binary)
	}
}
