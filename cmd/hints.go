package cmd

import (
	"fmt"
	"io"
	"net/http"

	"github.com/hi-cli/hi/internal/config"
	"github.com/hi-cli/hi/internal/termtext"
)

// printStatusSummary writes the one-line summary of an error status and, where one helps,
// a hint with the next step.
func printStatusSummary(w io.Writer, resp *http.Response, c *Connection) {
	path := resp.Request.URL.Path
	if q := resp.Request.URL.RawQuery; q != "" {
		path += "?" + q
	}
	// The reason phrase comes from the server, and so does the path after a redirect.
	fmt.Fprintln(w, termtext.Line(fmt.Sprintf("HTTP %s: %s %s", resp.Status, resp.Request.Method, path)))
	if hint := statusHint(resp.StatusCode, c); hint != "" {
		fmt.Fprintf(w, "hint: %s\n", hint)
	}
}

// statusHint returns the next step for a status, or "".
func statusHint(code int, c *Connection) string {
	switch code {
	case http.StatusUnauthorized:
		return credentialHint(c)
	case http.StatusForbidden:
		return "the credential is valid, but the system account is not granted this API; ask the tenant's administrator for access"
	case http.StatusTooManyRequests:
		return "the tenant is throttling requests; wait and retry"
	}
	return ""
}

// credentialHint names the way to renew the credential the invocation used.
func credentialHint(c *Connection) string {
	s := c.Settings
	switch {
	case c.TokenSource == tokenSourceEnv:
		return "check HI_TOKEN: it was rejected by " + s.BaseURL.Host
	case s.Profile == config.EnvProfileName:
		return "set HI_TOKEN to a valid token for " + s.BaseURL.Host
	case c.TokenSource == tokenSourceSandbox:
		return "the sandbox rejected its own demo credential; this is a bug in hi"
	}
	return fmt.Sprintf("check or renew the credential with hi login -p %s", s.Profile)
}
