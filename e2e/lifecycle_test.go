package e2e

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
)

type personnelPage struct {
	Items        []map[string]any `json:"items"`
	TotalResults int              `json:"totalResults"`
	NextLink     string           `json:"nextLink"`
	PrevLink     string           `json:"prevLink"`
}

func decode[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("decode %q: %v", s, err)
	}
	return v
}

func TestLifecycleWithKeyring(t *testing.T) {
	requireKeyring(t)
	srv := startSandbox(t)
	e := newEnv(t)
	var outputs []result
	record := func(r result) result {
		outputs = append(outputs, r)
		return r
	}

	r := record(e.run(srv.Token+"\n", "login", "-p", "life", "--base-url", srv.URL, "--with-token"))
	wantCode(t, r, 0)
	if r.stdout != "" || r.stderr != "" {
		t.Errorf("login printed stdout %q stderr %q, want nothing when not on a terminal", r.stdout, r.stderr)
	}

	r = record(e.run("", "whoami"))
	wantCode(t, r, 0)
	for _, want := range []string{"profile:", "life", "base URL:", srv.URL, "auth:", "bearer", "credential:", "keyring",
		"tenant name:", "Cerner Demo", "tenant mnemonic:", "cernerdemo"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("whoami output lacks %q:\n%s", want, r.stdout)
		}
	}

	r = record(e.run("", "get", "/personnel/v1/personnel", "-q", "limit=5"))
	wantCode(t, r, 0)
	page := decode[personnelPage](t, r.stdout)
	if len(page.Items) != 5 {
		t.Errorf("items = %d, want 5", len(page.Items))
	}
	if page.TotalResults < 250 {
		t.Errorf("totalResults = %d, want at least 250", page.TotalResults)
	}

	person := `{"name":{"given":["Ada"],"family":"Lovelace"},"gender":"FEMALE","birthDate":"1815-12-10",` +
		`"aliases":[{"value":"ada-e2e","system":"urn:e2e","type":"EXTERNAL"}]}`
	r = record(e.run("", "post", "personnel/v1/personnel", "-d", person))
	wantCode(t, r, 0)
	created := decode[map[string]any](t, r.stdout)
	id, _ := created["id"].(string)
	if id == "" {
		t.Fatalf("created record has no id: %s", r.stdout)
	}

	updated := strings.Replace(person, "Lovelace", "King", 1)
	r = record(e.run(updated, "put", "/personnel/v1/personnel/"+id, "-d", "@-"))
	wantCode(t, r, 0)

	r = record(e.run("", "get", "/personnel/v1/personnel/"+id))
	wantCode(t, r, 0)
	got := decode[map[string]any](t, r.stdout)
	if family := got["name"].(map[string]any)["family"]; family != "King" {
		t.Errorf("family after put = %v, want King", family)
	}

	r = record(e.run("", "delete", "/personnel/v1/personnel/"+id))
	wantCode(t, r, 0)
	r = record(e.run("", "get", "/personnel/v1/personnel/"+id))
	wantCode(t, r, 4)
	if want := "HTTP 404 Not Found: GET /personnel/v1/personnel/" + id + "\n"; r.stderr != want {
		t.Errorf("stderr = %q, want %q", r.stderr, want)
	}
	if !strings.Contains(r.stdout, `"code"`) {
		t.Errorf("error body not on stdout: %q", r.stdout)
	}

	r = e.run("", "token")
	wantCode(t, r, 0)
	if r.stdout != srv.Token+"\n" {
		t.Errorf("token output = %q, want the token and a newline", r.stdout)
	}
	if r.stderr != "" {
		t.Errorf("token stderr = %q, want empty", r.stderr)
	}
	r = e.run("", "token", "--header")
	if r.stdout != "Bearer "+srv.Token+"\n" {
		t.Errorf("token --header output = %q", r.stdout)
	}

	r = record(e.run("", "logout"))
	wantCode(t, r, 0)
	r = record(e.run("", "get", "/tenant/v1/tenant"))
	wantCode(t, r, 1)
	if want := `hi: profile "life" has no bearer token in the keyring: run hi login -p life` + "\n"; r.stderr != want {
		t.Errorf("stderr after logout = %q, want %q", r.stderr, want)
	}

	assertSecretAbsent(t, srv.Token, e.dir, outputs)
}

// assertSecretAbsent checks that secret is in no file under dir and in no recorded output.
func assertSecretAbsent(t *testing.T, secret, dir string, outputs []result) {
	t.Helper()
	for i, r := range outputs {
		if strings.Contains(r.stdout, secret) || strings.Contains(r.stderr, secret) {
			t.Errorf("output %d contains the secret: stdout %q stderr %q", i, r.stdout, r.stderr)
		}
	}
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, readErr := os.ReadFile(path)
		if readErr == nil && strings.Contains(string(data), secret) {
			t.Errorf("file %s contains the secret", path)
		}
		return nil
	})
}

// TestFailedLoginOfNewProfile checks that a rejected first login of a profile saves no
// profile and reports that nothing was stored, since there is no previous credential to keep.
func TestFailedLoginOfNewProfile(t *testing.T) {
	requireKeyring(t)
	srv := startSandbox(t)
	e := newEnv(t)
	r := e.run("wrong-token\n", "login", "-p", "fresh", "--base-url", srv.URL, "--with-token")
	wantCode(t, r, 1)
	if !strings.Contains(r.stderr, "rejected") || !strings.Contains(r.stderr, "nothing was stored") {
		t.Errorf("stderr = %q, want the rejection and that nothing was stored", r.stderr)
	}
	if strings.Contains(r.stderr, "previous credential") {
		t.Errorf("stderr = %q mentions a previous credential that a new profile does not have", r.stderr)
	}
	r = e.run("wrong-secret\n", "login", "-p", "fresh", "--base-url", srv.URL, "--oauth",
		"--consumer-key", srv.ConsumerKey, "--access-token-url", srv.TokenURL, "--with-token")
	wantCode(t, r, 1)
	if !strings.Contains(r.stderr, "nothing was stored") || strings.Contains(r.stderr, "previous credential") {
		t.Errorf("OAuth login stderr = %q, want that nothing was stored", r.stderr)
	}
	r = e.run("", "profile", "list")
	if strings.Contains(r.stdout, "fresh") {
		t.Errorf("profile list after the failed logins = %q, want no profile fresh", r.stdout)
	}
}

func TestLoginFailureKeepsCredential(t *testing.T) {
	requireKeyring(t)
	srv := startSandbox(t)
	e := newEnv(t)
	e.login("keep", srv)

	r := e.run("wrong-token\n", "login", "-p", "keep", "--with-token")
	wantCode(t, r, 1)
	if !strings.Contains(r.stderr, "rejected") || !strings.Contains(r.stderr, "previous credential is kept") {
		t.Errorf("stderr = %q, want the rejection and that the previous credential is kept", r.stderr)
	}
	r = e.run("", "token", "-p", "keep")
	if r.stdout != srv.Token+"\n" {
		t.Errorf("token after failed login = %q, want the previous token", r.stdout)
	}

	r = e.run("", "login", "-p", "keep", "--with-token")
	wantCode(t, r, 2)
	r = e.run("", "token", "-p", "keep")
	if r.stdout != srv.Token+"\n" {
		t.Errorf("token after empty login = %q, want the previous token", r.stdout)
	}
}

func TestConfigFileModesAndNoSecret(t *testing.T) {
	requireKeyring(t)
	srv := startSandbox(t)
	e := newEnv(t)
	e.login("modes", srv)

	info, err := os.Stat(e.config)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("config file mode = %o, want 600", perm)
	}
	dirInfo, err := os.Stat(filepath.Dir(e.config))
	if err != nil {
		t.Fatal(err)
	}
	if perm := dirInfo.Mode().Perm(); perm != 0o700 {
		t.Errorf("config directory mode = %o, want 700", perm)
	}
	data, _ := os.ReadFile(e.config)
	if strings.Contains(string(data), srv.Token) {
		t.Error("config file contains the token")
	}
	if !strings.Contains(string(data), "current-profile: modes") {
		t.Errorf("first profile is not current:\n%s", data)
	}
}

func TestFailedConfigWriteRestoresCredential(t *testing.T) {
	requireKeyring(t)
	srv := startSandbox(t)
	e := newEnv(t)
	e.login("kept", srv)

	// ulimit -f 0 makes every file write fail, so the config cannot be saved, while the
	// keyring daemon, another process, still accepts writes.
	runLimited := func(stdin string, args ...string) result {
		t.Helper()
		sh := append([]string{"-c", `ulimit -f 0; exec "$0" "$@"`, hiBinary}, args...)
		cmd := exec.Command("sh", sh...)
		cmd.Env = e.environ()
		cmd.Stdin = strings.NewReader(stdin)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		e.record(args, stdout.String(), stderr.String())
		return result{stdout: stdout.String(), stderr: stderr.String(), code: exitCode(t, err)}
	}
	r := runLimited("second-token\n", "login", "-p", "kept", "--with-token", "--skip-verify")
	wantCode(t, r, 1)
	if !strings.Contains(r.stderr, "the previous credential was put back") {
		t.Errorf("stderr = %q", r.stderr)
	}
	if r := e.run("", "token", "-p", "kept"); r.stdout != srv.Token+"\n" {
		t.Errorf("token after the failed login = %q, want the previous one", r.stdout)
	}

	r = runLimited("new-token\n", "login", "-p", "fresh", "--base-url", srv.URL, "--with-token", "--skip-verify")
	wantCode(t, r, 1)
	if _, err := keyring.Get("hi", "fresh:bearer"); err != keyring.ErrNotFound {
		t.Errorf("keyring entry of the failed new profile: %v, want it removed", err)
	}
}
