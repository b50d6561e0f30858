// Package catalog describes the HealtheIntent APIs and their endpoints. The data is
// generated from a JSON catalog into catalog_gen.go by the program in gen/, and
// go generate ./internal/catalog regenerates it.
package catalog

//go:generate go run ./gen -in ../../../shared/healtheintent-catalog.json -out catalog_gen.go

import (
	"net/url"
	"slices"
	"sort"
	"strings"
	"unicode"
)

// Authentication schemes an endpoint accepts, named as in a profile's auth setting.
const (
	AuthBearer = "bearer"
	AuthOAuth1 = "oauth1"
)

// API is one HealtheIntent API: its base path and the endpoints known under it.
type API struct {
	// Key is the identifier to type in hi api show: the first segment of the base path,
	// or the name as a slug where the segment is shared. clone sets it.
	Key      string `json:"key"`
	Name     string `json:"name"`
	Version  string `json:"version,omitempty"`
	BasePath string `json:"basePath"`
	// Summary is one line for listings. Notes contains everything else that is known.
	Summary string `json:"summary"`
	Notes   string `json:"notes,omitempty"`
	// Host is a host pattern such as "{tenant}.record.healtheintent.com" for an API that is
	// not served from the tenant's usual https://{tenant}.api.{region}.healtheintent.com.
	Host string `json:"host,omitempty"`
	// Bearer reports whether the API accepts a bearer token. Every API accepts OAuth 1.0a.
	Bearer bool `json:"bearer"`
	// BearerInferred reports that bearer support was assumed rather than documented.
	BearerInferred  bool   `json:"bearerInferred,omitempty"`
	DeprecatedAlias string `json:"deprecatedAlias,omitempty"`
	DocsPage        string `json:"docsPage,omitempty"`
	// Source names where the entry was seen: "docs", "code", "3p" (third-party) or a mix.
	Source string `json:"source,omitempty"`
	// Inferred reports that the base path was guessed rather than seen.
	Inferred  bool       `json:"inferred,omitempty"`
	Endpoints []Endpoint `json:"endpoints"`
}

// Endpoint is one method on one path template of an API.
type Endpoint struct {
	Method string `json:"method"`
	// Path is the full path template, base path included, with {name} placeholders.
	Path    string `json:"path"`
	Summary string `json:"summary"`
	// Pages reports that the endpoint returns a paginated collection (offset, limit and
	// nextLink). It is inferred by the generator, see gen/main.go.
	Pages bool `json:"pages,omitempty"`
	// Auth lists the accepted schemes: AuthBearer, AuthOAuth1 or both.
	Auth     []string `json:"auth"`
	Source   string   `json:"source,omitempty"`
	Inferred bool     `json:"inferred,omitempty"`
}

// OAuthOnly reports whether the API rejects bearer tokens and needs Cerner OAuth 1.0a.
func (a *API) OAuthOnly() bool { return !a.Bearer }

// All returns every API sorted by name. The result is a copy that the caller may change.
func All() []API {
	out := make([]API, len(apis))
	for i := range apis {
		out[i] = clone(&apis[i])
	}
	return out
}

// Find returns the API that name identifies, ignoring case and treating runs of spaces and
// punctuation as one hyphen: its key, its name with or without a trailing remark such as
// "(legacy, alpha)", or the first segment of its base path or deprecated alias when exactly
// one API has that segment.
func Find(name string) (*API, bool) {
	key := slug(name)
	if key == "" {
		return nil, false
	}
	for i := range apis {
		a := &apis[i]
		if key == keyOf(a) || key == slug(a.Name) || key == slug(shortName(a)) {
			c := clone(a)
			return &c, true
		}
	}
	var matches []*API
	for i := range apis {
		if slices.Contains(segmentKeys(&apis[i]), key) {
			matches = append(matches, &apis[i])
		}
	}
	if len(matches) != 1 {
		return nil, false
	}
	c := clone(matches[0])
	return &c, true
}

// Closest returns the keys of up to n APIs nearest to name by edit distance, nearest first.
// It compares name with each API's key, short name and base-path segment, and leaves out
// APIs too far away for a typing slip.
func Closest(name string, n int) []string {
	key := slug(name)
	type candidate struct {
		key      string
		distance int
	}
	var found []candidate
	for i := range apis {
		a := &apis[i]
		best := -1
		for _, k := range append([]string{keyOf(a), slug(shortName(a))}, segmentKeys(a)...) {
			d := editDistance(key, k)
			if best < 0 || d < best {
				best = d
			}
		}
		if best <= maxDistance(key) {
			found = append(found, candidate{keyOf(a), best})
		}
	}
	sort.SliceStable(found, func(i, j int) bool {
		if found[i].distance != found[j].distance {
			return found[i].distance < found[j].distance
		}
		return found[i].key < found[j].key
	})
	var keys []string
	for i := 0; i < len(found) && i < n; i++ {
		keys = append(keys, found[i].key)
	}
	return keys
}

// maxDistance is the largest edit distance still taken for a slip: a third of the input's
// length, at least 2.
func maxDistance(key string) int {
	return max(2, len(key)/3)
}

// ForPath returns the API whose base path is the longest prefix of path, matched at a
// segment boundary. A query string or a leading "https://host" is ignored. When several
// APIs share that base path (the legacy APIs under /api), the one with an endpoint template
// that matches path is returned, and no API at all when that does not decide.
func ForPath(path string) (*API, bool) {
	a := lookup(path)
	if a == nil {
		return nil, false
	}
	c := clone(a)
	return &c, true
}

// OAuthOnlyAPI returns the name of the API that ForPath gives for path when that API accepts
// OAuth only. It copies nothing, because it runs before every request, each page of a walk
// included.
func OAuthOnlyAPI(path string) (string, bool) {
	a := lookup(path)
	if a == nil || !a.OAuthOnly() {
		return "", false
	}
	return a.Name, true
}

// lookup returns the catalog's entry for path as ForPath describes, or nil.
func lookup(path string) *API {
	p := requestPath(path)
	var candidates []*API
	longest := 0
	for i := range apis {
		a := &apis[i]
		if !hasPathPrefix(p, a.BasePath) {
			continue
		}
		switch {
		case len(a.BasePath) > longest:
			candidates, longest = []*API{a}, len(a.BasePath)
		case len(a.BasePath) == longest:
			candidates = append(candidates, a)
		}
	}
	if len(candidates) > 1 {
		candidates = slices.DeleteFunc(candidates, func(a *API) bool { return !hasTemplate(a, p) })
	}
	if len(candidates) != 1 {
		return nil
	}
	return candidates[0]
}

// Match reports whether a request path (without query) fits the template, where each
// {name} placeholder stands for one non-empty segment.
func Match(template, path string) bool {
	ts := strings.Split(strings.Trim(template, "/"), "/")
	ps := strings.Split(strings.Trim(path, "/"), "/")
	if len(ts) != len(ps) {
		return false
	}
	for i := range ts {
		if isPlaceholder(ts[i]) {
			if ps[i] == "" {
				return false
			}
			continue
		}
		if ts[i] != ps[i] {
			return false
		}
	}
	return true
}

func isPlaceholder(segment string) bool {
	return strings.HasPrefix(segment, "{") && strings.HasSuffix(segment, "}")
}

func hasTemplate(a *API, path string) bool {
	return slices.ContainsFunc(a.Endpoints, func(e Endpoint) bool { return Match(e.Path, path) })
}

// requestPath strips a scheme and host, a query string and a fragment, and adds the leading
// slash that hi lets users leave out.
func requestPath(path string) string {
	if u, err := url.Parse(path); err == nil && u.Scheme != "" {
		path = u.EscapedPath()
	}
	path, _, _ = strings.Cut(path, "?")
	path, _, _ = strings.Cut(path, "#")
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	return path
}

func hasPathPrefix(path, base string) bool {
	return path == base || strings.HasPrefix(path, base+"/")
}

// shortName returns the name without a trailing " (…)" remark.
func shortName(a *API) string {
	name, _, _ := strings.Cut(a.Name, " (")
	return name
}

// keyOf returns the API's key: the first segment of its base path when no other API's base
// path starts with it, else its short name as a slug.
func keyOf(a *API) string {
	segment := segmentKeys(a)[0]
	for i := range apis {
		if &apis[i] != a && segmentKeys(&apis[i])[0] == segment {
			return slug(shortName(a))
		}
	}
	return segment
}

// slug lowercases s and replaces each run of characters other than letters and digits
// with one hyphen: "HealtheCare / Care Management" becomes "healthecare-care-management".
func slug(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			hyphen = false
			continue
		}
		hyphen = true
	}
	return b.String()
}

// segmentKeys returns the first segment of the base path and of the deprecated alias.
func segmentKeys(a *API) []string {
	var keys []string
	for _, p := range []string{a.BasePath, a.DeprecatedAlias} {
		if seg, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/"); seg != "" {
			keys = append(keys, strings.ToLower(seg))
		}
	}
	return keys
}

// clone returns a copy of a that shares no slice with the catalog, with its key set.
func clone(a *API) API {
	c := *a
	c.Key = keyOf(a)
	c.Endpoints = make([]Endpoint, len(a.Endpoints))
	for i, e := range a.Endpoints {
		e.Auth = slices.Clone(e.Auth)
		c.Endpoints[i] = e
	}
	return c
}

// editDistance returns the Levenshtein distance between a and b, counted in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
