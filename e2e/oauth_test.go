package e2e

import (
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
)

// loginOAuth creates an OAuth profile for srv with the given signature method.
func (e *env) loginOAuth(profile string, srv *sandboxServer, method string) result {
	e.t.Helper()
	r := e.run(srv.ConsumerSecret+"\n", "login", "-p", profile, "--base-url", srv.URL, "--oauth",
		"--consumer-key", srv.ConsumerKey, "--access-token-url", srv.TokenURL, "--signature-method", method, "--with-token")
	e.t.Cleanup(func() { e.run("", "logout", "-p", profile) })
	return r
}

func (s *sandboxServer) revokeTokens(t *testing.T) {
	t.Helper()
	resp, err := http.Post(s.URL+"/_sandbox/revoke-tokens", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		t.Fatalf("revoke tokens: HTTP %d", resp.StatusCode)
	}
}

func TestOAuthLifecycle(t *testing.T) {
	requireKeyring(t)
	for _, method := range []string{"PLAINTEXT", "HMAC-SHA1"} {
		t.Run(method, func(t *testing.T) {
			srv := startSandbox(t)
			e := newEnv(t)
			profile := "oauth-" + strings.ToLower(method)
			var outputs []result
			record := func(r result) result {
				outputs = append(outputs, r)
				return r
			}

			wantCode(t, record(e.loginOAuth(profile, srv, method)), 0)
			if got := srv.stats(t).TokenRequests; got != 1 {
				t.Errorf("token requests after login = %d, want 1", got)
			}

			r := record(e.run("", "whoami"))
			wantCode(t, r, 0)
			for _, want := range []string{"oauth1 (" + method + ")", "consumer key:", srv.ConsumerKey,
				"credential:", "keyring", "access token expires:", "tenant mnemonic:", "cernerdemo"} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("whoami lacks %q:\n%s", want, r.stdout)
				}
			}

			r = record(e.run("", "get", "/personnel/v1/personnel", "-q", "limit=2", "-q", "formattedName=a b*~"))
			wantCode(t, r, 0)

			person := `{"name":{"given":["Grace"],"family":"Hopper"},"gender":"FEMALE","birthDate":"1906-12-09"}`
			wantCode(t, record(e.run("", "post", "/personnel/v1/personnel", "-d", person)), 0)

			r = record(e.run("", "post", "/data-collector/v1/entities/widget", "-d", "entityKey=w%201&colour=r%C3%A9d+blue",
				"-H", "Content-Type: application/x-www-form-urlencoded"))
			wantCode(t, r, 0)

			for i := 0; i < 20; i++ {
				wantCode(t, record(e.run("", "get", "/tenant/v1/tenant")), 0)
			}
			if got := srv.stats(t).TokenRequests; got != 1 {
				t.Errorf("token requests after 20 more calls = %d, want 1", got)
			}

			srv.revokeTokens(t)
			r = record(e.run("", "get", "/tenant/v1/tenant"))
			wantCode(t, r, 0)
			if got := srv.stats(t).TokenRequests; got != 2 {
				t.Errorf("token requests after a revoked token = %d, want 2", got)
			}
			wantCode(t, record(e.run("", "get", "/tenant/v1/tenant")), 0)
			if got := srv.stats(t).TokenRequests; got != 2 {
				t.Errorf("the refreshed token was not cached: %d token requests, want 2", got)
			}

			r = e.run("", "token")
			wantCode(t, r, 0)
			accessToken := strings.TrimSpace(r.stdout)
			if accessToken == "" {
				t.Fatal("hi token printed no access token")
			}
			for _, secret := range []string{srv.ConsumerSecret, accessToken} {
				assertSecretAbsent(t, secret, e.dir, outputs)
			}
		})
	}
}

func TestOAuthTokenHeader(t *testing.T) {
	requireKeyring(t)
	srv := startSandbox(t)
	e := newEnv(t)
	wantCode(t, e.loginOAuth("plain", srv, "PLAINTEXT"), 0)
	wantCode(t, e.loginOAuth("hmac", srv, "HMAC-SHA1"), 0)

	r := e.run("", "-p", "plain", "token", "--header")
	wantCode(t, r, 0)
	header := strings.TrimSpace(r.stdout)
	if !strings.HasPrefix(header, "OAuth ") || strings.Contains(header, "oauth_nonce") {
		t.Fatalf("PLAINTEXT header = %q, want a request-independent OAuth value", header)
	}
	for i := 0; i < 2; i++ {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/personnel/v1/personnel?limit=1", nil)
		req.Header.Set("Authorization", header)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("reuse %d of the PLAINTEXT header: HTTP %d", i+1, resp.StatusCode)
		}
	}

	r = e.run("", "-p", "hmac", "token", "--header")
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, "HMAC-SHA1 signs each request: give --method and --url with --header") {
		t.Errorf("stderr = %q", r.stderr)
	}
	r = e.run("", "-p", "hmac", "token", "--header", "--method", "get", "--url", "/tenant/v1/tenant")
	wantCode(t, r, 0)
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/tenant/v1/tenant", nil)
	req.Header.Set("Authorization", strings.TrimSpace(r.stdout))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("signed HMAC-SHA1 header: HTTP %d", resp.StatusCode)
	}
}

func TestOAuthShortLivedTokensRefresh(t *testing.T) {
	requireKeyring(t)
	srv := startSandbox(t, "--token-ttl", "2s")
	e := newEnv(t)
	wantCode(t, e.loginOAuth("short", srv, "HMAC-SHA1"), 0)
	for i := 0; i < 3; i++ {
		wantCode(t, e.run("", "get", "/tenant/v1/tenant"), 0)
	}
	// A token that lives less than the 5-minute margin is never reused, so every call
	// fetches a fresh one instead of sending a stale one.
	if got := srv.stats(t).TokenRequests; got != 4 {
		t.Errorf("token requests = %d, want 4 (login and one per call)", got)
	}
}

func TestOAuthFailures(t *testing.T) {
	requireKeyring(t)
	srv := startSandbox(t)
	skewed := startSandbox(t, "--clock-skew", "10m")
	e := newEnv(t)
	wantCode(t, e.loginOAuth("good", srv, "PLAINTEXT"), 0)

	cases := []struct {
		name   string
		srv    *sandboxServer
		key    string
		secret string
		method string
		want   []string
	}{
		{name: "wrong secret", srv: srv, key: srv.ConsumerKey, secret: "wrong", method: "PLAINTEXT",
			want: []string{"consumer secret is wrong", "previous credential is kept", "hint: "}},
		{name: "unknown key", srv: srv, key: "nobody", secret: srv.ConsumerSecret, method: "PLAINTEXT",
			want: []string{"consumer_key_unknown", "consumer key is not known", "--access-token-url"}},
		{name: "clock skew", srv: skewed, key: skewed.ConsumerKey, secret: skewed.ConsumerSecret, method: "HMAC-SHA1",
			want: []string{"timestamp_refused", "clock is off"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.run(tc.secret+"\n", "login", "-p", "good", "--oauth", "--consumer-key", tc.key,
				"--access-token-url", tc.srv.TokenURL, "--signature-method", tc.method, "--with-token")
			wantCode(t, r, 1)
			for _, want := range tc.want {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q: %q", want, r.stderr)
				}
			}
			if strings.Contains(r.stderr, tc.secret) && tc.secret != "wrong" {
				t.Error("stderr contains the consumer secret")
			}
			wantCode(t, e.run("", "-p", "good", "get", "/tenant/v1/tenant"), 0)
		})
	}
}

func TestOAuthParallelInvocations(t *testing.T) {
	requireKeyring(t)
	srv := startSandbox(t)
	e := newEnv(t)
	wantCode(t, e.loginOAuth("shared", srv, "HMAC-SHA1"), 0)
	srv.revokeTokens(t)

	var wg sync.WaitGroup
	results := make([]result, 20)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = e.run("", "get", "/tenant/v1/tenant")
		}()
	}
	wg.Wait()
	for i, r := range results {
		if r.code != 0 {
			t.Errorf("invocation %d: exit %d, stderr %q", i, r.code, r.stderr)
		}
	}
	before := srv.stats(t).TokenRequests
	wantCode(t, e.run("", "get", "/tenant/v1/tenant"), 0)
	if after := srv.stats(t).TokenRequests; after != before {
		t.Errorf("the cached token was unusable after parallel runs: %d new token requests", after-before)
	}
	if before > 3 {
		t.Errorf("20 parallel invocations made %d token requests, want them to share one", before-1)
	}
}

func TestDataCollectorNeedsOAuth(t *testing.T) {
	requireKeyring(t)
	srv := startSandbox(t)
	e := newEnv(t)
	e.login("bearer-only", srv)

	for _, args := range [][]string{
		{"get", "/data-collector/v1/entities/widget"},
		{"get", "/personnel/../data-collector/v1/entities/widget"},
		{"get", "/data-collector//v1/entities/widget"},
		{"get", "/data-collector;x=1/v1/entities/widget"},
		{"get", "/personnel/..;/data-collector/v1/entities/widget"},
		{"get", "/DATA-COLLECTOR/v1/entities/widget"},
		{"get", `/data-collector\v1\entities\widget`},
		{"get", "/data-collector%5Cv1/entities/widget"},
		{"get", "/data-collector./v1/entities/widget"},
		{"get", "/data-collector%20/v1/entities/widget"},
		{"get", "/x/..%20/data-collector/v1/entities/widget"},
		{"get", "/x/.../data-collector/v1/entities/widget"},
		{"get", "/data-collector%09/v1/entities/widget"},
		{"get", "/data-collector/v1/entities/widget", "--dry-run"},
		{"token", "--header", "--url", "/data-collector/v1/entities/widget"},
		{"token", "--header", "--url", srv.URL + "/data-collector//v1/entities/widget"},
	} {
		before := srv.stats(t).Requests
		r := e.run("", args...)
		wantCode(t, r, 1)
		for _, want := range []string{"accepts OAuth 1.0a only", "nothing was sent", "hint: add them with hi login -p bearer-only --oauth"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("%v: stderr lacks %q: %q", args, want, r.stderr)
			}
		}
		if r.stdout != "" {
			t.Errorf("%v: stdout = %q, want nothing", args, r.stdout)
		}
		if after := srv.stats(t).Requests; after != before {
			t.Errorf("%v: sandbox saw %d requests, want none", args, after-before)
		}
	}

	// A base URL that ends inside the Data Collector's path does not hide it.
	before := srv.stats(t).Requests
	inside := newEnv(t).set("HI_BASE_URL", srv.URL+"/data-collector/v1").set("HI_TOKEN", srv.Token)
	r := inside.run("", "get", "/entities/widget")
	wantCode(t, r, 1)
	if !strings.Contains(r.stderr, "accepts OAuth 1.0a only") || !strings.Contains(r.stderr, "nothing was sent") {
		t.Errorf("base URL inside the API: stderr = %q, want the OAuth-only error", r.stderr)
	}
	if after := srv.stats(t).Requests; after != before {
		t.Errorf("base URL inside the API: sandbox saw %d requests, want none", after-before)
	}

	// With OAuth credentials added and bearer still the default, the Data Collector path is
	// signed with OAuth while other paths keep the bearer token.
	wantCode(t, e.loginOAuth("bearer-only", srv, "PLAINTEXT"), 0)
	wantCode(t, e.run(srv.Token+"\n", "login", "-p", "bearer-only", "--bearer", "--with-token"), 0)
	wantCode(t, e.run("", "get", "/data-collector/v1/entities/widget"), 0)
	r = e.run("", "whoami")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "auth:") || !strings.Contains(r.stdout, "bearer") {
		t.Errorf("whoami does not show bearer as the default:\n%s", r.stdout)
	}
}

func TestSandboxFlagWithOAuth(t *testing.T) {
	e := newEnv(t)
	for _, method := range []string{"PLAINTEXT", "HMAC-SHA1"} {
		r := e.set("HI_SIGNATURE_METHOD", method).run("", "--sandbox", "--auth", "oauth1", "get", "/data-collector/v1/entities/widget")
		wantCode(t, r, 0)
	}
}

func TestOAuthTokenServiceUnreachable(t *testing.T) {
	requireKeyring(t)
	srv := startSandbox(t)
	e := newEnv(t)
	const tokenURL = "http://127.0.0.1:1/oauth/access"
	r := e.run(srv.ConsumerSecret+"\n", "login", "-p", "unreachable", "--base-url", srv.URL, "--oauth",
		"--consumer-key", srv.ConsumerKey, "--access-token-url", tokenURL, "--with-token")
	wantCode(t, r, 1)
	if !strings.Contains(r.stderr, tokenURL) {
		t.Errorf("stderr does not name the token service URL: %q", r.stderr)
	}
	if strings.Contains(r.stderr, srv.ConsumerSecret) {
		t.Error("stderr contains the consumer secret")
	}
	if _, err := os.Stat(e.config); !os.IsNotExist(err) {
		t.Errorf("config written although login failed: %v", err)
	}
}

func TestOAuthParallelPagesAfterRevoke(t *testing.T) {
	requireKeyring(t)
	srv := startSandbox(t)
	e := newEnv(t)
	wantCode(t, e.loginOAuth("pages", srv, "HMAC-SHA1"), 0)
	srv.revokeTokens(t)

	r := e.run("", "get", "/personnel/v1/personnel", "-q", "limit=25", "--paginate", "--parallel", "4", "--ndjson")
	wantCode(t, r, 0)
	if lines := strings.Count(r.stdout, "\n"); lines < 250 {
		t.Errorf("got %d items, want every record", lines)
	}
	if got := srv.stats(t).TokenRequests; got != 2 {
		t.Errorf("token requests = %d, want 2 (login and one refresh)", got)
	}
}

func TestOAuthSameHostRedirectIsSignedAgain(t *testing.T) {
	requireKeyring(t)
	srv := startSandbox(t)
	e := newEnv(t)
	for _, method := range []string{"PLAINTEXT", "HMAC-SHA1"} {
		profile := "redirect-" + strings.ToLower(method)
		wantCode(t, e.loginOAuth(profile, srv, method), 0)
		r := e.run("", "-p", profile, "get", "/_sandbox/redirect", "-q", "to=/personnel/v1/personnel?limit=1")
		wantCode(t, r, 0)
		if !strings.Contains(r.stdout, `"items"`) {
			t.Errorf("%s: redirected response = %q", method, r.stdout)
		}
	}
}

func TestProfileShowOAuth(t *testing.T) {
	requireKeyring(t)
	srv := startSandbox(t)
	e := newEnv(t)
	wantCode(t, e.loginOAuth("shown", srv, "HMAC-SHA1"), 0)
	r := e.run("", "profile", "show", "shown")
	wantCode(t, r, 0)
	for _, want := range []string{"auth:", "oauth1", "consumer key:", srv.ConsumerKey, "consumer secret:", "stored in the keyring",
		"signature method:", "HMAC-SHA1", "access token URL:", srv.TokenURL, "cached access token:", "bearer token:", "not stored"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("profile show lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, srv.ConsumerSecret) {
		t.Error("profile show printed the consumer secret")
	}
}
