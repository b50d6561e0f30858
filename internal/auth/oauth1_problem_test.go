package auth

import (
	"net/http"
	"strings"
	"testing"
)

func TestParseOAuthProblem(t *testing.T) {
	tests := []struct {
		name   string
		header string
		want   string
	}{
		{"quoted parameters", `OAuth realm="https://oauth-api.cerner.com", oauth_problem="consumer_key_unknown"`,
			"consumer_key_unknown"},
		{"after a Bearer challenge", `Bearer realm="h" OAuth realm="h", oauth_problem="token_expired"`, "token_expired"},
		{"Bearer challenge with comma", `Bearer realm="h", OAuth realm="h", oauth_problem="token_rejected"`,
			"token_rejected"},
		{"unquoted values", `OAuth realm=api.h.test:8443, oauth_problem=nonce_used`, "nonce_used"},
		{"scheme in lowercase", `oauth oauth_problem="token_revoked"`, "token_revoked"},
		{"problem before realm", `OAuth oauth_problem="timestamp_refused", realm="h"`, "timestamp_refused"},
		{"percent-encoded value", `OAuth oauth_problem="token%5Fused"`, "token_used"},
		{"escaped quote inside realm", `OAuth realm="a\"b", oauth_problem="signature_invalid"`, "signature_invalid"},
		{"challenge without problem", `Bearer realm=h OAuth realm=h`, ""},
		{"problem only in another scheme", `Bearer oauth_problem="token_expired"`, ""},
		{"problem in a later scheme ignored", `OAuth realm="h" Bearer oauth_problem="x"`, ""},
		{"token68 credentials before OAuth", `Bearer abc== OAuth oauth_problem="version_rejected"`, "version_rejected"},
		{"empty header", "", ""},
		{"stray characters", `"=,,= "OAuth`, ""},
		{"unterminated quote", `OAuth oauth_problem="token_expired`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseOAuthProblem(tt.header); got != tt.want {
				t.Errorf("ParseOAuthProblem(%q) = %q, want %q", tt.header, got, tt.want)
			}
		})
	}
}

func TestProblemErrorMessage(t *testing.T) {
	tests := []struct {
		name string
		err  ProblemError
		want string
	}{
		{"token request with problem",
			ProblemError{StatusCode: 401, Problem: "signature_invalid", URL: "https://o.test/oauth/access", TokenRequest: true},
			"access token request to https://o.test/oauth/access failed: 401 Unauthorized, oauth_problem=signature_invalid"},
		{"API call with problem",
			ProblemError{StatusCode: 401, Problem: "token_expired", URL: "https://a.test/data"},
			"OAuth request to https://a.test/data failed: 401 Unauthorized, oauth_problem=token_expired"},
		{"no problem named",
			ProblemError{StatusCode: 503, URL: "https://o.test/oauth/access", TokenRequest: true},
			"access token request to https://o.test/oauth/access failed: 503 Service Unavailable"},
		{"status without text",
			ProblemError{StatusCode: 599, URL: "https://a.test/"},
			"OAuth request to https://a.test/ failed: 599"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestProblemErrorAdvice(t *testing.T) {
	const tokenURL = "https://o.test/oauth/access"
	tests := []struct {
		name         string
		status       int
		problem      string
		tokenRequest bool
		want         string
	}{
		{"unknown consumer key at token service", 401, "consumer_key_unknown", true,
			"the consumer key is not known to the token service at " + tokenURL +
				"; check the key and --access-token-url (production and sandbox keys differ)"},
		{"bad signature on token request", 401, "signature_invalid", true,
			"the consumer secret is wrong for this consumer key, so the token service at " + tokenURL +
				" could not verify the signature; check the consumer secret"},
		{"bad signature on API call", 401, "signature_invalid", false,
			"the server at " + tokenURL + " could not verify the request signature; check the consumer " +
				"secret, and fetch a new access token in case the stored one is stale"},
		{"clock off", 400, "timestamp_refused", false,
			"this machine's clock is off, so the server at " + tokenURL +
				" refused the oauth_timestamp; synchronize the clock (for example with NTP) and retry"},
		{"nonce reused", 401, "nonce_used", false,
			"the server at " + tokenURL + " has already seen this oauth_nonce, usually because a request " +
				"was sent twice; retry the command"},
		{"expired token", 401, "token_expired", false, "the access token has expired; fetch a new access token"},
		{"problem without advice", 401, "something_new", false,
			"the server at " + tokenURL + " reported the OAuth problem something_new; " +
				"check the consumer key, the consumer secret and the URL"},
		{"token service not found", 404, "", true,
			"no access token service answers at " + tokenURL + "; check --access-token-url"},
		{"bare 401", 401, "", false,
			"the server at " + tokenURL + " rejected the credentials without naming an OAuth problem; " +
				"check the consumer key and secret"},
		{"server error", 502, "", true,
			"the token service at " + tokenURL + " failed with a server error; retry later"},
		{"nothing to add", 409, "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &ProblemError{StatusCode: tt.status, Problem: tt.problem, URL: tokenURL, TokenRequest: tt.tokenRequest}
			if got := e.Advice(); got != tt.want {
				t.Errorf("Advice:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

// Every problem the platform lists gets its own advice, not the generic fallback.
func TestProblemErrorAdviceCoversPlatformProblems(t *testing.T) {
	problems := []string{
		"additional_authorization_required", "parameter_absent", "parameter_rejected",
		"signature_method_rejected", "timestamp_refused", "verifier_invalid", "version_rejected",
		"consumer_key_refused", "consumer_key_rejected", "consumer_key_unknown", "nonce_used",
		"permission_denied", "permission_unknown", "signature_invalid", "token_expired",
		"token_rejected", "token_revoked", "token_used", "user_refused",
	}
	for _, problem := range problems {
		for _, tokenRequest := range []bool{true, false} {
			e := &ProblemError{StatusCode: 401, Problem: problem, URL: "https://o.test/", TokenRequest: tokenRequest}
			advice := e.Advice()
			if advice == "" || strings.Contains(advice, "reported the OAuth problem") {
				t.Errorf("%s (token request %v) has no specific advice: %q", problem, tokenRequest, advice)
			}
			if strings.Contains(advice, "{") {
				t.Errorf("%s advice has an unexpanded placeholder: %q", problem, advice)
			}
		}
	}
}

func TestNewProblemErrorPrefersHeader(t *testing.T) {
	resp := &http.Response{
		StatusCode: 401,
		Header: http.Header{"Www-Authenticate": {
			`Bearer realm="h"`,
			`OAuth realm="h", oauth_problem="token_rejected"`,
		}},
	}
	e := newProblemError(resp, []byte("oauth_problem=nonce_used"), "https://a.test/", false)
	if e.Problem != "token_rejected" {
		t.Errorf("Problem = %q, want token_rejected", e.Problem)
	}
}
