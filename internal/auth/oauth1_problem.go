package auth

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// ProblemError is an OAuth failure reported by a server as a non-2xx response, usually
// with an oauth_problem from the OAuth Problem Reporting extension.
type ProblemError struct {
	StatusCode int
	// Problem is the oauth_problem value, or "" when the server named none.
	Problem string
	// URL is the request URL without its query or credentials.
	URL string
	// TokenRequest is true when the failed request was the access token request
	// rather than a signed API call.
	TokenRequest bool
}

// Error returns a one-line description naming the request, status and problem.
func (e *ProblemError) Error() string {
	request := "OAuth request"
	if e.TokenRequest {
		request = "access token request"
	}
	status := strings.TrimSpace(fmt.Sprintf("%d %s", e.StatusCode, http.StatusText(e.StatusCode)))
	msg := fmt.Sprintf("%s to %s failed: %s", request, e.URL, status)
	if e.Problem != "" {
		msg += ", oauth_problem=" + e.Problem
	}
	return msg
}

// problemAdvice maps each oauth_problem to an explanation and a next step. In the text,
// {server} is the token service or the API server with its URL, and {url} is the URL.
var problemAdvice = map[string]string{
	"additional_authorization_required": "the access token does not grant access to this resource; " +
		"ask the tenant's administrator to grant the consumer key access",
	"parameter_absent": "the request lacks an OAuth parameter that {server} requires; " +
		"report this as a bug in hi",
	"parameter_rejected": "{server} rejected an OAuth parameter as unexpected or repeated; " +
		"remove any oauth_ parameters from the URL's query",
	"signature_method_rejected": "{server} does not accept the signature method; " +
		"set the other one (PLAINTEXT or HMAC-SHA1) for the profile",
	"timestamp_refused": "this machine's clock is off, so {server} refused the oauth_timestamp; " +
		"synchronize the clock (for example with NTP) and retry",
	"verifier_invalid": "{server} expected an OAuth verifier, which two-legged OAuth does not send; " +
		"check the URL",
	"version_rejected": "{server} does not accept OAuth version 1.0; check the URL",
	"consumer_key_refused": "{server} refuses the consumer key for now, for example because of throttling; " +
		"wait and retry, and ask the key's owner if it persists",
	"consumer_key_rejected": "{server} permanently rejects the consumer key; " +
		"ask the key's owner for a new consumer key",
	"consumer_key_unknown": "the consumer key is not known to {server}; " +
		"check the key and --access-token-url (production and sandbox keys differ)",
	"nonce_used": "{server} has already seen this oauth_nonce, usually because a request was sent twice; " +
		"retry the command",
	"permission_denied": "the consumer key is not permitted to make this request; " +
		"ask the tenant's administrator to grant it access",
	"permission_unknown": "{server} does not recognize the permission this request needs; check the URL",
	"signature_invalid": "{server} could not verify the request signature; " +
		"check the consumer secret, and fetch a new access token in case the stored one is stale",
	"token_expired": "the access token has expired; fetch a new access token",
	"token_rejected": "{server} does not accept the access token; fetch a new one from the access token " +
		"service that belongs to this server (production and sandbox tokens differ)",
	"token_revoked": "the access token was revoked; fetch a new access token",
	"token_used":    "the access token was already used and cannot be used again; fetch a new access token",
	"user_refused": "{server} reports that a user refused the authorization, but two-legged OAuth " +
		"involves no user; check the URL",
}

// tokenRequestAdvice replaces problemAdvice for problems of the access token request,
// which is signed with the consumer secret alone.
var tokenRequestAdvice = map[string]string{
	"signature_invalid": "the consumer secret is wrong for this consumer key, so {server} could not " +
		"verify the signature; check the consumer secret",
}

// Advice returns a plain explanation of the failure and the next step to take, or ""
// when there is nothing more to say than Error does.
func (e *ProblemError) Advice() string {
	server := "the server at " + e.URL
	if e.TokenRequest {
		server = "the token service at " + e.URL
	}
	expand := strings.NewReplacer("{server}", server, "{url}", e.URL).Replace

	if text, ok := tokenRequestAdvice[e.Problem]; ok && e.TokenRequest {
		return expand(text)
	}
	if text, ok := problemAdvice[e.Problem]; ok {
		return expand(text)
	}
	if e.Problem != "" {
		return expand("{server} reported the OAuth problem " + e.Problem +
			"; check the consumer key, the consumer secret and the URL")
	}
	return expand(statusAdvice(e.StatusCode, e.TokenRequest))
}

// statusAdvice explains a failure that named no oauth_problem from its status code.
func statusAdvice(code int, tokenRequest bool) string {
	switch {
	case code == http.StatusUnauthorized:
		return "{server} rejected the credentials without naming an OAuth problem; " +
			"check the consumer key and secret"
	case code == http.StatusForbidden:
		return "the credentials are valid, but the consumer key is not granted access to this API; " +
			"ask the tenant's administrator to grant it"
	case code == http.StatusNotFound && tokenRequest:
		return "no access token service answers at {url}; check --access-token-url"
	case code >= 500:
		return "{server} failed with a server error; retry later"
	}
	return ""
}

// ParseOAuthProblem returns the oauth_problem parameter of the OAuth challenge in a
// WWW-Authenticate header value, or "" when there is none. The value may carry other
// challenges too, as in `Bearer realm="h" OAuth realm="h", oauth_problem="token_expired"`,
// and only the parameters of the OAuth challenge count. Quoted and unquoted values are
// both accepted.
func ParseOAuthProblem(header string) string {
	sc := &authHeaderScanner{s: header}
	inOAuth := false
	for !sc.done() {
		if sc.consume(',') {
			continue
		}
		name := sc.token()
		if name == "" {
			sc.pos++ // a character that cannot start a name, such as a stray quote
			continue
		}
		if !sc.consume('=') {
			inOAuth = strings.EqualFold(name, "OAuth") // a name alone starts a new challenge
			continue
		}
		value := sc.looseValue()
		if inOAuth && strings.EqualFold(name, "oauth_problem") {
			return percentDecode(value)
		}
	}
	return ""
}

// newProblemError builds the error for a non-2xx response, taking oauth_problem from the
// WWW-Authenticate header or else from a form-encoded body.
func newProblemError(resp *http.Response, body []byte, requestURL string, tokenRequest bool) *ProblemError {
	e := &ProblemError{StatusCode: resp.StatusCode, URL: requestURL, TokenRequest: tokenRequest}
	for _, challenge := range resp.Header.Values("WWW-Authenticate") {
		if e.Problem = ParseOAuthProblem(challenge); e.Problem != "" {
			return e
		}
	}
	if problem := ParseForm(string(body)).Get("oauth_problem"); isProblemName(problem) {
		e.Problem = problem
	}
	return e
}

// isProblemName reports whether s looks like an oauth_problem value, so that a body which
// only happens to contain "oauth_problem=" does not produce a garbled problem.
func isProblemName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !('a' <= s[i] && s[i] <= 'z' || s[i] == '_') {
			return false
		}
	}
	return true
}

// percentDecode decodes the %XX escapes of s, keeping "+", and returns s as it is when an
// escape is malformed.
func percentDecode(s string) string {
	decoded, err := url.PathUnescape(s)
	if err != nil {
		return s
	}
	return decoded
}
