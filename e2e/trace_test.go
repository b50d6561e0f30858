package e2e

import (
	"regexp"
	"strings"
	"testing"
)

// normaliseTrace replaces what changes from run to run in a trace: the sandbox's address,
// timings, dates, correlation ids, and the nonce and timestamp of an OAuth request.
func normaliseTrace(trace, baseURL string) string {
	trace = strings.ReplaceAll(trace, baseURL, "SANDBOX")
	trace = durations.ReplaceAllString(trace, "D")
	for pattern, replacement := range map[string]string{
		`(?m)^< Date: .*$`:                  "< Date: DATE",
		`(?m)^< Cerner-Correlation-Id: .*$`: "< Cerner-Correlation-Id: ID",
		`oauth_nonce=[0-9a-f]+`:             "oauth_nonce=NONCE",
		`oauth_timestamp=[0-9]+`:            "oauth_timestamp=TIME",
	} {
		trace = regexp.MustCompile(pattern).ReplaceAllString(trace, replacement)
	}
	return trace
}

func TestVerboseTrace(t *testing.T) {
	srv := startSandbox(t)
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token)
	body := rawGet(t, srv, "/tenant/v1/tenant")
	want := "> GET SANDBOX/tenant/v1/tenant\n" +
		"> Accept: application/json\n" +
		"> Authorization: Bearer ********\n" +
		"> User-Agent: hi-cli\n" +
		"< HTTP/1.1 200 OK (D)\n" +
		"< Cerner-Correlation-Id: ID\n" +
		"< Content-Length: 250\n" +
		"< Content-Type: application/json\n" +
		"< Date: DATE\n" +
		"< Etag: \"1e82e8a5b611a967922a97dd9ed2346a\"\n" +
		"<\n" +
		"< " + strings.TrimSuffix(body, "\n") + "\n" +
		"* response body: 250 bytes in D\n\n"

	cases := []struct {
		name string
		sub  *env
		args []string
	}{
		{name: "verbose flag", sub: e.with(t), args: []string{"-v", "get", "/tenant/v1/tenant"}},
		{name: "HI_DEBUG", sub: e.with(t, "HI_DEBUG", "1"), args: []string{"get", "/tenant/v1/tenant"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.sub.t = t
			r := tc.sub.run("", tc.args...)
			wantCode(t, r, 0)
			if r.stdout != body {
				t.Errorf("stdout = %q, want the body", r.stdout)
			}
			if got := normaliseTrace(r.stderr, srv.URL); got != want {
				t.Errorf("trace:\n%s\nwant:\n%s", got, want)
			}
			if strings.Contains(r.stderr, srv.Token) {
				t.Error("the trace contains the bearer token")
			}
		})
	}
}

func TestVerboseTraceOAuth(t *testing.T) {
	srv := startSandbox(t)
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_AUTH", "oauth1").
		set("HI_CONSUMER_KEY", srv.ConsumerKey).set("HI_CONSUMER_SECRET", srv.ConsumerSecret).
		set("HI_ACCESS_TOKEN_URL", srv.TokenURL)

	r := e.run("", "-v", "post", "/data-collector/v1/entities/widget", "--form", "-f", "entityKey=w1", "-f", "color=blue")
	trace := normaliseTrace(r.stderr, srv.URL)
	wantStart := "> POST SANDBOX/oauth/access\n" +
		"> Accept: application/x-www-form-urlencoded\n" +
		"> Content-Type: application/x-www-form-urlencoded; charset=UTF-8\n" +
		">\n" +
		"> oauth_accessor_secret=********&oauth_consumer_key=" + srv.ConsumerKey + "&oauth_nonce=NONCE" +
		"&oauth_signature=********&oauth_signature_method=PLAINTEXT&oauth_timestamp=TIME&oauth_version=1.0\n" +
		"< HTTP/1.1 200 OK (D)\n"
	if !strings.HasPrefix(trace, wantStart) {
		t.Errorf("trace starts:\n%s\nwant:\n%s", trace[:min(len(trace), len(wantStart)+200)], wantStart)
	}
	for _, want := range []string{
		"\n< oauth_token=********&oauth_token_secret=********&oauth_expires_in=3600&oauth_authorization_expires_in=86400\n",
		"\n> POST SANDBOX/data-collector/v1/entities/widget\n> Accept: application/json\n> Authorization: OAuth ********\n" +
			"> Content-Type: application/x-www-form-urlencoded\n> User-Agent: hi-cli\n>\n> color=blue&entityKey=w1\n",
	} {
		if !strings.Contains(trace, want) {
			t.Errorf("trace lacks %q:\n%s", want, trace)
		}
	}
	if strings.Contains(r.stderr, srv.ConsumerSecret) {
		t.Error("the trace contains the consumer secret")
	}
	for _, param := range []string{"oauth_signature=\"", "oauth_token=\""} {
		if strings.Contains(r.stderr, param) {
			t.Errorf("the trace contains the Authorization parameter %s", param)
		}
	}
}

// TestTraceMasksUserSecrets sends an API key header and an access token in the query, both
// given by the user, and wants neither value in the trace, the dry run or the error summary.
func TestTraceMasksUserSecrets(t *testing.T) {
	srv := startSandbox(t)
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token)
	const key, token = "key-value-4f1c", "query-token-9b2e"
	cases := []struct {
		name     string
		args     []string
		wantCode int
	}{
		{name: "trace", args: []string{"-v", "get", "/tenant/v1/tenant", "-H", "X-Api-Key: " + key, "-q", "access_token=" + token}},
		{name: "dry run", args: []string{"get", "/tenant/v1/tenant", "--dry-run", "-H", "x-api-key: " + key, "-q", "Access_Token=" + token}},
		{name: "error summary", args: []string{"get", "/_sandbox/status/500", "-q", "access_token=" + token}, wantCode: 5},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.with(t).run("", tc.args...)
			wantCode(t, r, tc.wantCode)
			for _, secret := range []string{key, token} {
				if strings.Contains(r.stdout+r.stderr, secret) {
					t.Errorf("output shows %q:\nstdout: %s\nstderr: %s", secret, r.stdout, r.stderr)
				}
			}
			if !strings.Contains(r.stdout+r.stderr, "********") {
				t.Errorf("output shows no mask:\nstdout: %s\nstderr: %s", r.stdout, r.stderr)
			}
		})
	}
}
