package e2e

import (
	"strings"
	"testing"
)

func TestStoredCredentialStaysOnProfileHost(t *testing.T) {
	requireKeyring(t)
	home := startSandbox(t)
	other := startSandbox(t)
	e := newEnv(t)
	e.login("bearer", home)
	wantCode(t, e.loginOAuth("oauth", home, "PLAINTEXT"), 0)

	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{name: "base url from environment", env: map[string]string{"HI_BASE_URL": other.URL},
			args: []string{"-p", "bearer", "get", "/tenant/v1/tenant"}, want: "is not profile \"bearer\"'s own"},
		{name: "tenant from environment", env: map[string]string{"HI_TENANT": "elsewhere"},
			args: []string{"-p", "bearer", "get", "/tenant/v1/tenant"}, want: "https://elsewhere.api.us-1.healtheintent.com"},
		{name: "token service from environment", env: map[string]string{"HI_ACCESS_TOKEN_URL": other.TokenURL},
			args: []string{"-p", "oauth", "get", "/tenant/v1/tenant"}, want: "is not profile \"oauth\"'s own"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sub := *e
			sub.t = t
			sub.vars = map[string]string{}
			for k, v := range e.vars {
				sub.vars[k] = v
			}
			for k, v := range tc.env {
				sub.vars[k] = v
			}
			before := other.stats(t)
			r := sub.run("", tc.args...)
			wantCode(t, r, 1)
			if !strings.Contains(r.stderr, tc.want) || !strings.Contains(r.stderr, "hint: ") {
				t.Errorf("stderr = %q, want it to contain %q and a hint", r.stderr, tc.want)
			}
			after := other.stats(t)
			if after.Requests != before.Requests || after.TokenRequests != before.TokenRequests {
				t.Errorf("the other sandbox saw %d requests", after.Requests-before.Requests)
			}
		})
	}

	// A credential given in the environment goes where the environment points.
	r := e.set("HI_BASE_URL", other.URL).set("HI_TOKEN", other.Token).run("", "-p", "bearer", "get", "/tenant/v1/tenant")
	wantCode(t, r, 0)
}
