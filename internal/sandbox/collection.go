package sandbox

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// Paging defaults of the platform's collections. The maximum limit of 100 is the value the
// platform documentation reports, and larger values are rejected rather than clamped.
const (
	defaultLimit = 20
	maxLimit     = 100
)

// collection is the body of a collection page. The links are absolute URLs. PrevLink is
// omitted on the first page and NextLink on the last.
type collection[T any] struct {
	Items        []T    `json:"items"`
	TotalResults int    `json:"totalResults"`
	FirstLink    string `json:"firstLink"`
	LastLink     string `json:"lastLink"`
	PrevLink     string `json:"prevLink,omitempty"`
	NextLink     string `json:"nextLink,omitempty"`
}

// page is the window of a collection that a request selects.
type page struct {
	offset int
	limit  int
}

// parsePage reads the offset and limit query parameters. It returns one detail per invalid
// parameter.
func parsePage(query url.Values) (page, []errorDetail) {
	var details []errorDetail
	offset, detail := parseIntParam(query, "offset", 0, 0, -1)
	if detail != nil {
		details = append(details, *detail)
	}
	limit, detail := parseIntParam(query, "limit", defaultLimit, 1, maxLimit)
	if detail != nil {
		details = append(details, *detail)
	}
	return page{offset: offset, limit: limit}, details
}

// parseIntParam reads an integer query parameter, returning fallback when it is absent or
// empty. A maximum below zero means no maximum.
func parseIntParam(query url.Values, name string, fallback, minimum, maximum int) (int, *errorDetail) {
	raw := query.Get(name)
	if raw == "" {
		return fallback, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		detail := queryError(name, fmt.Sprintf("%s must be an integer, not %q", name, raw))
		return 0, &detail
	}
	if n < minimum || (maximum >= 0 && n > maximum) {
		detail := queryError(name, rangeMessage(name, n, minimum, maximum))
		return 0, &detail
	}
	return n, nil
}

func rangeMessage(name string, n, minimum, maximum int) string {
	if maximum < 0 {
		return fmt.Sprintf("%s must be at least %d, not %d", name, minimum, n)
	}
	return fmt.Sprintf("%s must be between %d and %d, not %d", name, minimum, maximum, n)
}

// newCollection builds the page p of a collection of total items, with links that repeat the
// request's query, filters included, with only offset and limit changed.
func newCollection[T any](r *http.Request, p page, items []T, total int) collection[T] {
	if items == nil {
		items = []T{}
	}
	body := collection[T]{
		Items:        items,
		TotalResults: total,
		FirstLink:    pageURL(r, 0, p.limit),
		LastLink:     pageURL(r, lastOffset(total, p.limit), p.limit),
	}
	if p.offset > 0 {
		body.PrevLink = pageURL(r, max(0, p.offset-p.limit), p.limit)
	}
	if p.offset+p.limit < total {
		body.NextLink = pageURL(r, p.offset+p.limit, p.limit)
	}
	return body
}

// lastOffset returns the offset of the last page, 0 for an empty collection.
func lastOffset(total, limit int) int {
	if total == 0 {
		return 0
	}
	return (total - 1) / limit * limit
}

// pageURL returns the absolute URL of the request with offset and limit replaced. The host is
// the request's Host header, so the links work through whatever address the client used.
func pageURL(r *http.Request, offset, limit int) string {
	query := r.URL.Query()
	query.Set("offset", strconv.Itoa(offset))
	query.Set("limit", strconv.Itoa(limit))
	u := url.URL{Scheme: requestScheme(r), Host: r.Host, Path: r.URL.Path, RawQuery: query.Encode()}
	return u.String()
}

// requestScheme returns the scheme the client used to reach the sandbox.
func requestScheme(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	return "http"
}
