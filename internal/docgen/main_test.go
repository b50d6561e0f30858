package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// readDir returns the files of dir by name.
func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = data
	}
	return files
}

func sortedNames(files map[string][]byte) []string {
	var names []string
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

func TestCheckedInDocsUpToDate(t *testing.T) {
	tmp := t.TempDir()
	if err := generate(filepath.Join(tmp, "reference"), filepath.Join(tmp, "man")); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"reference", "man"} {
		want := readDir(t, filepath.Join(tmp, dir))
		got := readDir(t, filepath.Join("..", "..", "docs", dir))
		if !slices.Equal(sortedNames(got), sortedNames(want)) {
			t.Errorf("docs/%s has files %q, want %q: run go run ./internal/docgen", dir, sortedNames(got), sortedNames(want))
			continue
		}
		for name, data := range want {
			if !bytes.Equal(got[name], data) {
				t.Errorf("docs/%s/%s is stale: run go run ./internal/docgen", dir, name)
			}
		}
	}
}

func TestGenerateIsReproducible(t *testing.T) {
	first, second := t.TempDir(), t.TempDir()
	if err := generate(filepath.Join(first, "md"), filepath.Join(first, "man")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	t.Setenv("HOME", t.TempDir())
	if err := generate(filepath.Join(second, "md"), filepath.Join(second, "man")); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"md", "man"} {
		a, b := readDir(t, filepath.Join(first, dir)), readDir(t, filepath.Join(second, dir))
		for name, data := range a {
			if !bytes.Equal(data, b[name]) {
				t.Errorf("%s/%s differs between two runs", dir, name)
			}
		}
	}
	undated := regexp.MustCompile(`(?m)^\.TH "[^"]*" "1" "" "hi" "hi manual"$`)
	for name, data := range readDir(t, filepath.Join(first, "man")) {
		if !undated.Match(data) {
			t.Errorf("man page %s has no undated .TH line", name)
		}
	}
	for name, data := range readDir(t, filepath.Join(first, "md")) {
		if bytes.Contains(data, []byte("Auto generated")) {
			t.Errorf("Markdown page %s has cobra's dated footer", name)
		}
	}
}

func TestManPagesKeepAngleBrackets(t *testing.T) {
	dir := t.TempDir()
	if err := generate("", dir); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(dir, "hi-api.1"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page, []byte(`\fBhi api <command> [flags]\fP`)) {
		t.Errorf("hi-api.1 lost <command> from its synopsis:\n%s", page)
	}
}

func TestEveryCommandHasSummaryAndExample(t *testing.T) {
	// withoutExample lists the commands that have no example yet. Any other command must
	// have one, and a listed command that gains one must leave the list.
	var withoutExample []string
	for _, c := range documentedCommands(newRoot()) {
		if c.IsAdditionalHelpTopicCommand() {
			continue
		}
		path := c.CommandPath()
		if c.Short == "" || strings.Contains(strings.TrimSpace(c.Short), "\n") {
			t.Errorf("%s has no one-line summary", path)
		}
		hasExample := strings.Contains(c.Example, "hi ")
		switch known := slices.Contains(withoutExample, path); {
		case !hasExample && !known:
			t.Errorf("%s has no example", path)
		case hasExample && known:
			t.Errorf("%s has an example now: remove it from withoutExample", path)
		}
	}
}
