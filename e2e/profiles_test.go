package e2e

import (
	"os"
	"strings"
	"testing"
)

func tenantMnemonic(t *testing.T, r result) string {
	t.Helper()
	wantCode(t, r, 0)
	return decode[map[string]any](t, r.stdout)["mnemonic"].(string)
}

func TestTwoProfilesSwitch(t *testing.T) {
	requireKeyring(t)
	alpha := startSandbox(t, "--tenant", "alpha")
	beta := startSandbox(t, "--tenant", "beta")
	e := newEnv(t)
	e.login("alpha", alpha)
	e.login("beta", beta)

	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{name: "first profile is current", want: "alpha"},
		{name: "flag selects profile", args: []string{"-p", "beta"}, want: "beta"},
		{name: "environment selects profile", env: map[string]string{"HI_PROFILE": "beta"}, want: "beta"},
		{name: "flag beats environment", env: map[string]string{"HI_PROFILE": "beta"}, args: []string{"-p", "alpha"}, want: "alpha"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sub := *e
			sub.vars = map[string]string{}
			for k, v := range e.vars {
				sub.vars[k] = v
			}
			for k, v := range tc.env {
				sub.vars[k] = v
			}
			sub.t = t
			args := append(append([]string{}, tc.args...), "get", "/tenant/v1/tenant")
			if got := tenantMnemonic(t, sub.run("", args...)); got != tc.want {
				t.Errorf("tenant = %q, want %q", got, tc.want)
			}
		})
	}

	wantCode(t, e.run("", "profile", "use", "beta"), 0)
	if got := tenantMnemonic(t, e.run("", "get", "/tenant/v1/tenant")); got != "beta" {
		t.Errorf("after profile use beta, tenant = %q", got)
	}
	r := e.run("", "profile", "list")
	wantCode(t, r, 0)
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "  alpha ") || !strings.HasPrefix(lines[1], "* beta ") {
		t.Errorf("profile list = %q, want alpha unmarked and beta marked current", r.stdout)
	}
}

func TestProfileNamesKeepCase(t *testing.T) {
	requireKeyring(t)
	upper := startSandbox(t, "--tenant", "upper")
	lower := startSandbox(t, "--tenant", "lower")
	e := newEnv(t)
	e.login("Dev-EU", upper)
	e.login("dev-eu", lower)

	if got := tenantMnemonic(t, e.run("", "-p", "Dev-EU", "get", "/tenant/v1/tenant")); got != "upper" {
		t.Errorf("Dev-EU tenant = %q, want upper", got)
	}
	if got := tenantMnemonic(t, e.run("", "-p", "dev-eu", "get", "/tenant/v1/tenant")); got != "lower" {
		t.Errorf("dev-eu tenant = %q, want lower", got)
	}

	r := e.run("x\n", "login", "-p", "dev eu", "--base-url", upper.URL, "--with-token")
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, `invalid profile name "dev eu": use 1 to 64 letters, digits, '.', '_' or '-'`) {
		t.Errorf("stderr = %q", r.stderr)
	}
}

func TestProfileShowAndRemove(t *testing.T) {
	requireKeyring(t)
	srv := startSandbox(t)
	e := newEnv(t)
	e.login("shown", srv)

	r := e.run("", "profile", "show", "shown")
	wantCode(t, r, 0)
	for _, want := range []string{"name:", "shown", "current:", "true", "base URL:", srv.URL, "bearer token:", "stored in the keyring"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("profile show lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout+r.stderr, srv.Token) {
		t.Error("profile show printed the token")
	}

	wantCode(t, e.run("", "profile", "remove", "shown"), 0)
	r = e.run("", "profile", "show", "shown")
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, `profile "shown" not found`) {
		t.Errorf("stderr = %q", r.stderr)
	}
	r = e.run("", "profile", "list")
	wantCode(t, r, 0)
	if r.stdout != "" {
		t.Errorf("profile list after remove = %q, want empty", r.stdout)
	}
}

func TestEnvironmentOnly(t *testing.T) {
	srv := startSandbox(t)
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token)
	e.vars["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent"

	if got := tenantMnemonic(t, e.run("", "get", "/tenant/v1/tenant")); got != "cernerdemo" {
		t.Errorf("tenant = %q", got)
	}
	r := e.run("", "whoami")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "environment (HI_TOKEN)") {
		t.Errorf("whoami does not name the environment as the credential source:\n%s", r.stdout)
	}
	if _, err := os.Stat(e.config); !os.IsNotExist(err) {
		t.Errorf("config file exists after environment-only use: %v", err)
	}

	e.set("HI_TOKEN", "not-the-token")
	r = e.run("", "get", "/tenant/v1/tenant")
	wantCode(t, r, 4)
	if want := "HTTP 401 Unauthorized: GET /tenant/v1/tenant\nhint: check HI_TOKEN: it was rejected by " +
		strings.TrimPrefix(srv.URL, "http://") + "\n"; r.stderr != want {
		t.Errorf("stderr = %q, want %q", r.stderr, want)
	}
}
