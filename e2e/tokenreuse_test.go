package e2e

import (
	"strings"
	"testing"
)

// TestOAuthHundredCallsOneToken runs 100 calls in a row on one OAuth profile: the access
// token that the login fetched is cached in the keyring and serves them all.
func TestOAuthHundredCallsOneToken(t *testing.T) {
	requireKeyring(t)
	for _, method := range []string{"PLAINTEXT", "HMAC-SHA1"} {
		t.Run(method, func(t *testing.T) {
			srv := startSandbox(t)
			e := newEnv(t)
			wantCode(t, e.loginOAuth("reuse-"+strings.ToLower(method), srv, method), 0)
			for i := range 100 {
				if r := e.run("", "get", "/personnel/v1/personnel"); r.code != 0 {
					t.Fatalf("call %d: exit %d, stderr %q", i+1, r.code, r.stderr)
				}
			}
			if got := srv.stats(t).TokenRequests; got != 1 {
				t.Errorf("token requests for the login and 100 calls = %d, want 1", got)
			}
		})
	}
}
