package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hi-cli/hi/internal/atomicfile"
)

func TestProfileNamesRoundTripExactly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hi", "config.yaml")
	f := &File{}
	f.Put(Profile{Name: "Dev-EU", Tenant: "upper"})
	f.Put(Profile{Name: "dev-eu", Tenant: "lower"})
	if err := Save(path, f, nil); err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"Dev-EU": "upper", "dev-eu": "lower"} {
		p, ok := loaded.Profile(name)
		if !ok {
			t.Fatalf("profile %q lost", name)
		}
		if p.Tenant != want {
			t.Errorf("profile %q tenant = %q, want %q", name, p.Tenant, want)
		}
	}
	if loaded.CurrentProfile != "Dev-EU" {
		t.Errorf("current profile = %q, want the first one", loaded.CurrentProfile)
	}
}

func TestSaveModes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hi", "config.yaml")
	if err := Save(path, &File{CurrentProfile: "a"}, nil); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(path)
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("file mode = %o, want 600", perm)
	}
	dir, _ := os.Stat(filepath.Dir(path))
	if perm := dir.Mode().Perm(); perm != 0o700 {
		t.Errorf("directory mode = %o, want 700", perm)
	}
}

func TestFailedWriteKeepsOldFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte("current-profile: old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	failure := errors.New("disk full")
	err := atomicfile.Write(path, []byte("current-profile: new\n"), 0o600, func(string) error { return failure })
	if !errors.Is(err, failure) {
		t.Fatalf("error = %v, want the hook's failure", err)
	}
	data, _ := os.ReadFile(path)
	if string(data) != "current-profile: old\n" {
		t.Errorf("file after failed write = %q, want the old content", data)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("directory has %d entries, want only the config file", len(entries))
	}
}

func TestParallelUpdatesKeepEveryProfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	const writers = 20
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := "p" + string(rune('a'+i))
			if err := Update(path, func(f *File) error {
				f.Put(Profile{Name: name, Tenant: "t"})
				return nil
			}, nil); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Profiles) != writers {
		t.Errorf("profiles = %d, want %d", len(f.Profiles), writers)
	}
}

func TestLoadRejectsBadFile(t *testing.T) {
	cases := []struct {
		name    string
		content string
	}{
		{name: "not yaml", content: "profiles: [\n"},
		{name: "invalid profile name", content: "profiles:\n- name: a b\n"},
		{name: "duplicate profile", content: "profiles:\n- name: a\n- name: a\n"},
		{name: "plain text", content: "hello world\n"},
		{name: "null document", content: "~\n"},
		{name: "bare document marker", content: "---\n"},
		{name: "list at top level", content: "- name: a\n"},
		{name: "unknown key", content: "current-profile: a\ncolour: red\n"},
		{name: "misspelt profile key", content: "profiles:\n- name: a\n  tenent: demo\n"},
		{name: "second document", content: "current-profile: a\n---\ncurrent-profile: b\n"},
		{name: "duplicate key", content: "current-profile: a\ncurrent-profile: b\n"},
		{name: "binary", content: "\x00\x01\x02\xff"},
		{name: "profile without name", content: "profiles:\n- tenant: demo\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.yaml")
			os.WriteFile(path, []byte(tc.content), 0o600)
			if _, err := Load(path); err == nil {
				t.Error("Load accepted the file")
			}
		})
	}
}

func TestLoadEmptyContent(t *testing.T) {
	cases := []struct {
		name    string
		content string
	}{
		{name: "empty file", content: ""},
		{name: "whitespace", content: "\n  \n"},
		{name: "comments only", content: "# profiles are added by hi login\n"},
		{name: "empty mapping", content: "{}\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.yaml")
			os.WriteFile(path, []byte(tc.content), 0o600)
			f, err := Load(path)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if f.CurrentProfile != "" || len(f.Profiles) != 0 {
				t.Errorf("Load = %+v, want an empty configuration", f)
			}
		})
	}
}

func TestSaveEmptyLoadsBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := Save(path, &File{}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err != nil {
		t.Errorf("Load of a saved empty configuration: %v", err)
	}
}

func TestUpdateRemovesStaleTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	stale := filepath.Join(dir, ".config.yaml.tmp-12345")
	other := filepath.Join(dir, ".credentials.yaml.tmp-12345")
	for _, p := range []string{stale, other} {
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := Update(path, func(f *File) error { return nil }, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the stale temporary file of config.yaml is still there: %v", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("the temporary file of another file was removed: %v", err)
	}
}

func TestLoadRejectsEndlessFile(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	_, err := Load("/dev/zero")
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("Load(/dev/zero) error = %v, want a size error", err)
	}
}

// TestParseYAMLMergeAndAliasKeys checks that merge keys and keys given through an alias or a
// tag load as the strict YAML decoder loads them, and that a merged mapping's keys are
// checked like any other.
func TestParseYAMLMergeAndAliasKeys(t *testing.T) {
	cases := []struct {
		name       string
		content    string
		wantErr    bool
		wantTenant string
	}{
		{name: "merge key", content: "current-profile: dev\nprofiles:\n  - &p\n    name: base\n    tenant: demo\n  - <<: *p\n    name: dev\n",
			wantTenant: "demo"},
		{name: "merge of a sequence", content: "profiles:\n  - &a {name: a, tenant: one}\n  - &b {name: b, region: us-2}\n  - <<: [*a, *b]\n    name: dev\n",
			wantTenant: "one"},
		{name: "tagged merge key", content: "profiles:\n  - &p {name: base, tenant: demo}\n  - !!merge <<: *p\n    name: dev\n",
			wantTenant: "demo"},
		{name: "alias as key", content: "current-profile: &k name\nprofiles:\n  - *k : dev\n    tenant: demo\n",
			wantTenant: "demo"},
		{name: "binary key", content: "profiles:\n  - ? !!binary bmFtZQ==\n    : dev\n    tenant: demo\n", wantTenant: "demo"},
		{name: "merged unknown key", content: "profiles:\n  - &p {name: base, colour: red}\n  - <<: *p\n    name: dev\n", wantErr: true},
		{name: "merge of itself", content: "profiles:\n  - &p\n    name: dev\n    <<: *p\n", wantErr: true},
		{name: "null key skipped", content: "profiles:\n  - name: dev\n    tenant: demo\n    ~: x\n", wantTenant: "demo"},
		{name: "sequence as key", content: "profiles:\n  - name: dev\n    ? [x]\n    : y\n", wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse([]byte(tc.content))
			if tc.wantErr {
				if err == nil {
					t.Fatalf("Parse accepted %q", tc.content)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			dev, ok := f.Profile("dev")
			if !ok || dev.Tenant != tc.wantTenant {
				t.Errorf("profile dev = %+v, %t; want tenant %q", dev, ok, tc.wantTenant)
			}
		})
	}
}

// TestParseNestedMergesQuickly parses profiles that each merge the previous one ten times:
// checked naively, the keys would be visited ten billion times. It must fail fast, as the
// YAML decoder rejects that much aliasing.
func TestParseNestedMergesQuickly(t *testing.T) {
	var b strings.Builder
	b.WriteString("profiles:\n  - &p0 {name: p0}\n")
	for i := 1; i <= 10; i++ {
		fmt.Fprintf(&b, "  - &p%d {<<: [%s], name: p%d}\n", i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*p%d, ", i-1), 10), ", "), i)
	}
	done := make(chan error, 1)
	go func() {
		_, err := Parse([]byte(b.String()))
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Error("Parse accepted excessive aliasing")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Parse of nested merge keys did not return within 10s")
	}
}
