package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// sourcePath is the JSON catalog, ../shared/healtheintent-catalog.json from the repository root.
const sourcePath = "../../../../shared/healtheintent-catalog.json"

func TestGeneratedFileUpToDate(t *testing.T) {
	if _, err := os.Stat(sourcePath); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("JSON catalog %s is absent, so catalog_gen.go cannot be checked", sourcePath)
	}
	out := filepath.Join(t.TempDir(), "catalog_gen.go")
	if err := run(sourcePath, out); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../catalog_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("internal/catalog/catalog_gen.go is out of date: run go generate ./internal/catalog")
	}
}

func TestGenerateIsReproducible(t *testing.T) {
	src := `[{"api": "B", "basePath": "/b/v1", "bearer": true, "endpoints": [
		{"method": "DELETE", "path": "/b/v1/things/{id}", "summary": "delete"},
		{"method": "GET", "path": "/b/v1/things/{id}", "summary": "one thing"},
		{"method": "GET", "path": "/b/v1/things", "summary": "list things"}]},
	{"api": "a", "basePath": "/a/v2", "bearer": true, "endpoints": []},
	{"api": "Data Collector (legacy, alpha)", "basePath": "unknown", "bearer": false}]`
	first, err := generate([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	second, err := generate([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Error("two runs on the same input differ")
	}
	text := squash(first)
	order := []string{`Name: "a"`, `Name: "B"`, `Name: "Data Collector (legacy, alpha)"`}
	last := -1
	for _, name := range order {
		i := strings.Index(text, name)
		if i < 0 {
			t.Fatalf("output lacks %s:\n%s", name, text)
		}
		if i < last {
			t.Errorf("%s is out of name order", name)
		}
		last = i
	}
	list := strings.Index(text, `Path: "/b/v1/things", Summary: "list things"`)
	get := strings.Index(text, `Method: "GET", Path: "/b/v1/things/{id}"`)
	del := strings.Index(text, `Method: "DELETE", Path: "/b/v1/things/{id}"`)
	if !(list < get && get < del) {
		t.Errorf("endpoints are not sorted by path, then GET before DELETE:\n%s", text)
	}
}

func TestGenerateOverlaysDataCollector(t *testing.T) {
	src := `[{"api": "Data Collector (legacy, alpha)", "basePath": "unknown", "bearer": true, "notes": "Ingests entities."}]`
	out, err := generate([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`BasePath: "/data-collector/v1"`, `Bearer: false`, `base path /data-collector/v1 is assumed`} {
		if !strings.Contains(squash(out), want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
}

// squash returns src with each run of spaces and tabs made one space, so that checks do
// not depend on gofmt's alignment.
func squash(src []byte) string {
	return regexp.MustCompile(`[ \t]+`).ReplaceAllString(string(src), " ")
}

func TestGenerateRejectsBadInput(t *testing.T) {
	cases := []struct {
		name    string
		src     string
		wantErr string
	}{
		{name: "unknown field", src: `[{"api": "A", "basePath": "/a/v1", "colour": "red"}]`, wantErr: "unknown field"},
		{name: "base path without slash", src: `[{"api": "A", "basePath": "unknown"}]`, wantErr: "add an overlay"},
		{name: "endpoint outside base path", wantErr: "not under the base path",
			src: `[{"api": "A", "basePath": "/a/v1", "endpoints": [{"method": "GET", "path": "/b/v1/x"}]}]`},
		{name: "invalid method", wantErr: "invalid method",
			src: `[{"api": "A", "basePath": "/a/v1", "endpoints": [{"method": "FETCH", "path": "/a/v1/x"}]}]`},
		{name: "duplicate name", src: `[{"api": "A", "basePath": "/a/v1"}, {"api": "A", "basePath": "/a/v2"}]`,
			wantErr: "appears twice"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// The Data Collector entry satisfies its overlay, which every input needs.
			src := strings.Replace(tc.src, "[", `[{"api": "Data Collector (legacy, alpha)", "basePath": "unknown"},`, 1)
			_, err := generate([]byte(src))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestPagesInference(t *testing.T) {
	cases := []struct {
		name     string
		endpoint sourceEndpoint
		want     bool
	}{
		{name: "list summary", endpoint: sourceEndpoint{Method: "GET", Path: "/p/v1/personnel", Summary: "list/search personnel"}, want: true},
		{name: "search summary", endpoint: sourceEndpoint{Method: "GET", Path: "/c/v1/consumers", Summary: "search consumers"}, want: true},
		{name: "plural collection", endpoint: sourceEndpoint{Method: "GET", Path: "/d/v1/channels/{id}/deliveries", Summary: "deliveries"}, want: true},
		{name: "one record", endpoint: sourceEndpoint{Method: "GET", Path: "/p/v1/personnel/{id}", Summary: "one record"}},
		{name: "singular resource", endpoint: sourceEndpoint{Method: "GET", Path: "/t/v1/tenant", Summary: "tenant info"}},
		{name: "write to a collection", endpoint: sourceEndpoint{Method: "POST", Path: "/p/v1/groups", Summary: "list create"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := pages(tc.endpoint); got != tc.want {
				t.Errorf("pages = %t, want %t", got, tc.want)
			}
		})
	}
}
