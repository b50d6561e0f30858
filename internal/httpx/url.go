// Package httpx builds, sends and renders hi's HTTP requests: URLs bound to the profile's
// host, a transport with timeouts and a safe redirect policy, and output for terminals and
// pipes.
package httpx

import (
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"
)

// ForeignHostError rejects a URL whose host is not the profile's, before anything is sent,
// because the credential must only go to the profile's own host.
type ForeignHostError struct {
	URL  string
	Host string
}

func (e *ForeignHostError) Error() string {
	return fmt.Sprintf("URL %s is not on the profile's host %s: credentials are only sent to the profile's host, "+
		"so pass a path such as /personnel/v1/personnel or use a profile for that host", e.URL, e.Host)
}

// ResolveURL joins target onto base. target is a path relative to the base URL (with or
// without the leading slash, query allowed) or a full URL on the base's host. Each query
// item is key=value and is added to the target's own query.
func ResolveURL(base *url.URL, target string, query []string) (*url.URL, error) {
	u, err := joinTarget(base, target)
	if err != nil {
		return nil, err
	}
	if len(query) == 0 {
		return u, nil
	}
	q := u.Query()
	for _, item := range query {
		key, value, ok := strings.Cut(item, "=")
		if !ok || key == "" {
			return nil, fmt.Errorf("invalid query item %q: use key=value", item)
		}
		if strings.ContainsAny(item, "\r\n") {
			return nil, fmt.Errorf("invalid query item %q: it contains a line break", item)
		}
		q.Add(key, value)
	}
	u.RawQuery = q.Encode()
	return u, nil
}

func joinTarget(base *url.URL, target string) (*url.URL, error) {
	if target == "" {
		return nil, fmt.Errorf("missing path: give an API path such as /personnel/v1/personnel")
	}
	if strings.ContainsAny(target, "\r\n") {
		return nil, fmt.Errorf("invalid path %q: it contains a line break", target)
	}
	if isAbsoluteURL(target) {
		u, err := url.Parse(target)
		if err != nil {
			return nil, fmt.Errorf("invalid URL %q: %v", target, err)
		}
		if u.Host == "" {
			return nil, fmt.Errorf("invalid URL %q: it has no host", target)
		}
		if !SameHost(base, u) {
			return nil, &ForeignHostError{URL: u.Redacted(), Host: base.Host}
		}
		u.Fragment = ""
		removeDotSegments(u)
		return u, nil
	}
	rel, err := url.Parse("/" + strings.TrimLeft(target, "/"))
	if err != nil {
		return nil, fmt.Errorf("invalid path %q: %v", target, err)
	}
	u := *base
	u.Path = strings.TrimRight(base.Path, "/") + rel.Path
	u.RawPath = ""
	if rel.RawPath != "" {
		u.RawPath = strings.TrimRight(base.EscapedPath(), "/") + rel.RawPath
	}
	u.RawQuery = rel.RawQuery
	u.Fragment = ""
	removeDotSegments(&u)
	return &u, nil
}

// removeDotSegments resolves "." and ".." segments of the path (RFC 3986 section 5.2.4), so
// that the path hi checks, for example against the API catalog, is the path the server
// acts on. A trailing slash is kept.
func removeDotSegments(u *url.URL) {
	segments := strings.Split(u.Path, "/")
	if !slices.Contains(segments, ".") && !slices.Contains(segments, "..") {
		return
	}
	cleaned := path.Clean(u.Path)
	if strings.HasSuffix(u.Path, "/") || strings.HasSuffix(u.Path, "/.") || strings.HasSuffix(u.Path, "/..") {
		cleaned = strings.TrimSuffix(cleaned, "/") + "/"
	}
	u.Path, u.RawPath = cleaned, ""
}

// SameHost reports whether u is on base's scheme and host.
func SameHost(base, u *url.URL) bool {
	return strings.EqualFold(u.Scheme, base.Scheme) && strings.EqualFold(u.Hostname(), base.Hostname()) &&
		effectivePort(u) == effectivePort(base)
}

// effectivePort returns the URL's port, or the scheme's default port when none is written.
func effectivePort(u *url.URL) string {
	if port := u.Port(); port != "" {
		return port
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

// isAbsoluteURL reports whether target starts with an http or https scheme. A "://" later
// in a path, such as in a query value, does not make it one.
func isAbsoluteURL(target string) bool {
	lower := strings.ToLower(target)
	return strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://")
}
