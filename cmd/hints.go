package cmd

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/hi-cli/hi/internal/catalog"
	"github.com/hi-cli/hi/internal/config"
	"github.com/hi-cli/hi/internal/httpx"
	"github.com/hi-cli/hi/internal/termtext"
)

// printStatusSummary writes the one-line summary of an error status and, where one helps,
// a hint with the next step.
func printStatusSummary(w io.Writer, resp *http.Response, c *Connection) {
	path := resp.Request.URL.Path
	if q := resp.Request.URL.RawQuery; q != "" {
		path += "?" + httpx.MaskForm(q)
	}
	// The reason phrase comes from the server, and so does the path after a redirect.
	fmt.Fprintln(w, termtext.Line(fmt.Sprintf("HTTP %s: %s %s", resp.Status, resp.Request.Method, path)))
	hint := statusHint(resp.StatusCode, c)
	switch {
	case !httpx.SameHost(c.Settings.BaseURL, resp.Request.URL):
		hint = fmt.Sprintf("the request was redirected to %s, which is not the profile's host, so it was sent "+
			"there without the credential", resp.Request.URL.Host)
	case resp.StatusCode == http.StatusNotFound:
		hint = notFoundHint(c.Settings.BaseURL, resp.Request.URL)
	}
	if hint != "" {
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

// notFoundHint uses the API catalog to explain a 404: a path under no known API gets the
// closest known base path, and an API that is served from another host names that host.
// The catalog is never complete, so a path it does not know is still sent.
func notFoundHint(base, u *url.URL) string {
	path := strings.TrimPrefix(u.Path, strings.TrimRight(base.Path, "/"))
	if api, ok := catalog.ForPath(path); ok {
		if api.Host == "" {
			return ""
		}
		return fmt.Sprintf("the %s API is served from %s, not %s: use a profile with --base-url https://%s",
			api.Name, api.Host, base.Host, api.Host)
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	if first == "" {
		return ""
	}
	closest := catalog.Closest(first, 1)
	if len(closest) == 0 {
		return ""
	}
	api, ok := catalog.Find(closest[0])
	if !ok {
		return ""
	}
	return fmt.Sprintf("no known API is under /%s; the closest is %s at %s (see hi api show %s)",
		first, api.Name, api.BasePath, api.Key)
}
