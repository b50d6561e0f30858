package e2e

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkModes fails the test for each directory under root that is not 0700 and each file
// that is not 0600, root included.
func checkModes(t *testing.T, root string) {
	t.Helper()
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if perm := info.Mode().Perm(); perm != want {
			t.Errorf("%s has mode %04o, want %04o", path, perm, want)
		}
		checked++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 2 {
		t.Fatalf("%s holds nothing to check", root)
	}
}

func TestFileModesUnderUmask(t *testing.T) {
	requireKeyring(t)
	srv := startSandbox(t)
	e := newEnv(t)
	e.umask = "000"

	e.login("keyring", srv)
	r := e.run(srv.Token+"\n", "login", "-p", "file", "--base-url", srv.URL, "--with-token", "--insecure-storage")
	wantCode(t, r, 0)
	wantCode(t, e.loginOAuth("oauth", srv, "HMAC-SHA1"), 0)
	// A rejected access token makes hi fetch a new one under the profile's lock file.
	srv.revokeTokens(t)
	wantCode(t, e.run("", "-p", "oauth", "get", "/tenant/v1/tenant"), 0)
	wantCode(t, e.run("", "profile", "use", "file"), 0)

	checkModes(t, filepath.Join(e.dir, "config"))
	checkModes(t, filepath.Join(e.dir, ".cache", "hi"))
	for _, name := range []string{"config.yaml", "config.yaml.lock", "credentials.yaml"} {
		if _, err := os.Stat(filepath.Join(filepath.Dir(e.config), name)); err != nil {
			t.Errorf("%s was not written: %v", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(e.dir, ".cache", "hi", "locks", "oauth.token.lock")); err != nil {
		t.Errorf("the token lock file was not written: %v", err)
	}
}

func TestLooseConfigWarning(t *testing.T) {
	srv := startSandbox(t)
	e := newEnv(t)
	wantCode(t, e.run(srv.Token+"\n", "login", "-p", "local", "--base-url", srv.URL, "--with-token", "--insecure-storage"), 0)
	credentials := filepath.Join(filepath.Dir(e.config), "credentials.yaml")
	configWarning := "warning: config file " + e.config + " can be read or changed by other users (mode 0644); " +
		"run chmod 600 " + e.config + "\n"

	cases := []struct {
		name       string
		configMode os.FileMode
		credsMode  os.FileMode
		args       []string
		want       string
	}{
		{name: "private files", configMode: 0o600, credsMode: 0o600, args: []string{"profile", "list"}},
		{name: "world-readable config", configMode: 0o644, credsMode: 0o600, args: []string{"profile", "list"},
			want: configWarning},
		{name: "group-readable config", configMode: 0o640, credsMode: 0o600, args: []string{"profile", "list"},
			want: strings.ReplaceAll(configWarning, "0644", "0640")},
		{name: "config read twice warns once", configMode: 0o644, credsMode: 0o600,
			args: []string{"login", "-p", "local", "--with-token", "--skip-verify", "--insecure-storage"}, want: configWarning},
		{name: "world-writable credentials", configMode: 0o600, credsMode: 0o666,
			args: []string{"-p", "local", "get", "/tenant/v1/tenant"},
			want: "warning: credentials file " + credentials + " can be read or changed by other users (mode 0666); " +
				"run chmod 600 " + credentials + "\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.Chmod(e.config, tc.configMode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(credentials, tc.credsMode); err != nil {
				t.Fatal(err)
			}
			r := e.run(srv.Token+"\n", tc.args...)
			wantCode(t, r, 0)
			if tc.want == "" && strings.Contains(r.stderr, "other users") {
				t.Errorf("stderr = %q, want no warning", r.stderr)
			}
			if tc.want != "" && !strings.HasPrefix(r.stderr, tc.want) {
				t.Errorf("stderr = %q, want it to start with %q", r.stderr, tc.want)
			}
			if n := strings.Count(r.stderr, "can be read or changed by other users"); n > 1 {
				t.Errorf("stderr repeats the warning %d times: %q", n, r.stderr)
			}
		})
	}

	// hi writes its files with mode 0600 whatever the mode before.
	if err := os.Chmod(e.config, 0o644); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.run("", "profile", "use", "local"), 0)
	if r := e.run("", "profile", "list"); strings.Contains(r.stderr, "warning:") {
		t.Errorf("after hi rewrote the config, stderr = %q, want no warning", r.stderr)
	}
}

func TestLooseConfigDirectoryWarning(t *testing.T) {
	e := newEnv(t)
	writeFile(t, e.config, "profiles:\n  - name: local\n    base-url: http://127.0.0.1:9\n")
	dir := filepath.Dir(e.config)
	if err := os.Chmod(e.config, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	r := e.run("", "profile", "list")
	wantCode(t, r, 0)
	want := "warning: directory " + dir + " can be changed by other users (mode 0777); run chmod 700 " + dir + "\n"
	if r.stderr != want {
		t.Errorf("stderr = %q, want %q", r.stderr, want)
	}
}

func TestSymlinkedConfigStaysALink(t *testing.T) {
	e := newEnv(t)
	real := filepath.Join(t.TempDir(), "dotfiles", "hi.yaml")
	writeFile(t, real, "profiles:\n  - name: a\n    base-url: http://127.0.0.1:9\n  - name: b\n    base-url: http://127.0.0.1:9\n")
	os.Chmod(real, 0o600)
	if err := os.MkdirAll(filepath.Dir(e.config), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, e.config); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.run("", "profile", "use", "b"), 0)
	if info, err := os.Lstat(e.config); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the config link was replaced by a file: %v", err)
	}
	if got := readFile(t, real); !strings.Contains(got, "current-profile: b") {
		t.Errorf("the link's target was not updated:\n%s", got)
	}
}
