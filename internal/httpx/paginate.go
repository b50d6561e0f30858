package httpx

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// maxBufferedPage bounds the body of a page fetched ahead of its turn by a parallel walk.
const maxBufferedPage = 64 << 20

// Pager walks a paginated collection: it fetches the first page, then follows nextLink, or,
// with Parallel above 1, fetches the remaining pages by offset several at a time. It hands
// each page's body to Page in collection order.
type Pager struct {
	// Fetch sends one GET for a page. A non-2xx response stops the walk with a
	// *PageStatusError that carries it.
	Fetch func(ctx context.Context, u *url.URL) (*http.Response, error)
	// FetchAhead, when non-nil, sends one GET for a page requested before its turn, once and
	// without notes. A page it fails to get is fetched again with Fetch in its turn.
	FetchAhead func(ctx context.Context, u *url.URL) (*http.Response, error)
	// Page reads one page body and returns its item count, total and next link.
	Page func(body io.Reader) (PageInfo, error)
	// Host is the profile's base URL. A nextLink on another scheme, host or port stops the
	// walk before anything is sent to it, because Fetch adds the credential.
	Host *url.URL
	// MaxPages bounds the number of pages fetched; it must be positive.
	MaxPages int
	// Parallel is the number of pages fetched at a time once the first page gives the
	// collection's size; 1 or less walks nextLink one page at a time.
	Parallel int
	// Progress, when non-nil, is called after each page with the counts so far.
	Progress func(PagerProgress)
}

// PagerProgress counts the pages and items handled so far. A total is 0 when unknown.
type PagerProgress struct {
	Pages, TotalPages int
	Items, TotalItems int
}

// PagerResult is the outcome of a walk.
type PagerResult struct {
	Pages int
	Items int
	// TotalResults is the last totalResults a page gave, valid when HasTotal is set.
	TotalResults int
	HasTotal     bool
	// Truncated is set when MaxPages stopped the walk before the last page.
	Truncated bool
	// Parallel is set when the pages after the first were fetched by offset.
	Parallel bool
}

// PageStatusError stops a walk at a page whose status is not 2xx. Resp is that response,
// with its body unread.
type PageStatusError struct {
	Page int
	Resp *http.Response
}

func (e *PageStatusError) Error() string {
	return fmt.Sprintf("page %d: HTTP %s", e.Page, e.Resp.Status)
}

// LinkError stops a walk at a nextLink that is not followed.
type LinkError struct {
	Page   int
	Link   string
	Reason string
}

func (e *LinkError) Error() string {
	return fmt.Sprintf("stopped after page %d: its nextLink %s %s", e.Page, e.Link, e.Reason)
}

// Walk fetches the pages of the collection at first.
//
// A walk that follows nextLink one page at a time still requests the next page before it
// decodes the current one, when it can tell the next page's URL. That URL is the current
// page's URL with its offset moved on by its limit, the way the platform's nextLinks step.
// The server then prepares the next page while hi decodes and writes the current one. The guess is used only
// when the current page's nextLink turns out to be that same URL. After one wrong guess the
// walk stops guessing, so a server whose links step otherwise costs one extra request at most.
func (p *Pager) Walk(ctx context.Context, first *url.URL) (PagerResult, error) {
	var res PagerResult
	seen := map[string]bool{first.String(): true}
	u := first
	totalPages := 0
	var previous PageInfo
	var ahead *pageAhead
	defer func() { ahead.discard() }()
	guess := true
	for {
		number := res.Pages + 1
		body, release, ok := ahead.take(u)
		if ahead != nil && !ok {
			// A wrong guess, or a page the server failed to give ahead of its turn: the
			// page is fetched below with Fetch's retries, and no more are guessed.
			guess = false
		}
		ahead = nil
		if !ok {
			resp, err := p.Fetch(ctx, u)
			if err != nil {
				return res, err
			}
			if resp.StatusCode < 200 || resp.StatusCode > 299 {
				return res, &PageStatusError{Page: number, Resp: resp}
			}
			body, release = resp.Body, func() { resp.Body.Close() }
		}
		if guess && p.FetchAhead != nil && number > 1 && number < p.MaxPages && p.Parallel <= 1 {
			if next, ok := nextByOffset(u, previous); ok && !seen[next.String()] {
				ahead = p.startAhead(ctx, next, number+1)
			}
		}
		info, err := p.readPage(body, u, number)
		release()
		if err != nil {
			return res, err
		}
		if res.Pages == 0 {
			totalPages = countPages(u, info)
		}
		p.record(&res, info, totalPages)
		previous = info
		if info.NextLink == "" {
			return res, nil
		}
		if res.Pages >= p.MaxPages {
			res.Truncated = true
			return res, nil
		}
		next, err := p.checkLink(u, info.NextLink, res.Pages, seen)
		if err != nil {
			return res, err
		}
		if res.Pages == 1 && p.Parallel > 1 && info.HasTotal {
			if offsets, ok := pageURLs(next, info.TotalResults, p.MaxPages-1); ok {
				res.Parallel = true
				return res, p.walkParallel(ctx, offsets, &res)
			}
		}
		u = next
	}
}

// nextByOffset returns the URL of the page after the one at u: u with its offset parameter
// moved on by its limit parameter, everything else kept byte for byte. It returns false
// when u has no single offset and limit or when, by the collection's total from the previous
// page, there is no next page.
func nextByOffset(u *url.URL, previous PageInfo) (*url.URL, bool) {
	if !previous.HasTotal {
		return nil, false
	}
	params := strings.Split(u.RawQuery, "&")
	at, offset, limit := -1, -1, -1
	for i, param := range params {
		name, value, _ := strings.Cut(param, "=")
		n, err := strconv.Atoi(value)
		switch {
		case name != "offset" && name != "limit":
			continue
		case err != nil || n < 0 || (name == "offset" && at >= 0) || (name == "limit" && limit >= 0):
			return nil, false
		case name == "offset":
			at, offset = i, n
		default:
			limit = n
		}
	}
	if at < 0 || limit <= 0 || offset > math.MaxInt-limit || offset+limit >= previous.TotalResults {
		return nil, false
	}
	params[at] = "offset=" + strconv.Itoa(offset+limit)
	next := *u
	next.RawQuery = strings.Join(params, "&")
	return &next, true
}

// pageAhead is a page being fetched ahead of its turn.
type pageAhead struct {
	url    *url.URL
	done   chan fetched
	cancel context.CancelFunc
}

// startAhead starts fetching page number at u. A sequential walk runs Go code on one
// processor, where the new goroutine would wait for the decode of the current page to end.
// So startAhead yields the processor once, and the request is sent before that decode.
func (p *Pager) startAhead(ctx context.Context, u *url.URL, number int) *pageAhead {
	ctx, cancel := context.WithCancel(ctx)
	a := &pageAhead{url: u, done: make(chan fetched, 1), cancel: cancel}
	go func() { a.done <- p.fetchAhead(ctx, p.FetchAhead, u, number) }()
	runtime.Gosched()
	return a
}

// take returns the body of the page fetched ahead, and the function that frees it, when a is
// the page at u and the server gave it with a 2xx status. Otherwise it frees the page and
// returns false. It does nothing to a nil page.
func (a *pageAhead) take(u *url.URL) (io.Reader, func(), bool) {
	if a == nil {
		return nil, nil, false
	}
	if a.url.String() != u.String() {
		a.discard()
		return nil, nil, false
	}
	f := <-a.done
	a.cancel()
	if f.err != nil || f.resp.StatusCode < 200 || f.resp.StatusCode > 299 {
		f.release()
		return nil, nil, false
	}
	return f.buf, f.release, true
}

// discard stops fetching the page and frees it. It does nothing to a nil page.
func (a *pageAhead) discard() {
	if a == nil {
		return
	}
	a.cancel()
	f := <-a.done
	f.release()
}

func (p *Pager) readPage(body io.Reader, u *url.URL, number int) (PageInfo, error) {
	info, err := p.Page(body)
	if err != nil {
		return info, fmt.Errorf("read page %d from %s: %w", number, RedactURL(u), err)
	}
	return info, nil
}

// record adds a page to the result and reports progress. totalPages is 0 when unknown.
func (p *Pager) record(res *PagerResult, info PageInfo, totalPages int) {
	res.Pages++
	res.Items += info.Items
	if info.HasTotal {
		res.TotalResults, res.HasTotal = info.TotalResults, true
	}
	if p.Progress == nil {
		return
	}
	progress := PagerProgress{Pages: res.Pages, TotalPages: totalPages, Items: res.Items}
	if res.HasTotal {
		progress.TotalItems = res.TotalResults
	}
	p.Progress(progress)
}

// checkLink resolves a nextLink against the page it came from and returns an error unless
// it is on the profile's host and names a page not fetched before.
func (p *Pager) checkLink(page *url.URL, link string, number int, seen map[string]bool) (*url.URL, error) {
	next, err := page.Parse(link)
	if err != nil {
		return nil, &LinkError{Page: number, Link: strconv.Quote(link), Reason: "is not a valid URL"}
	}
	next.Fragment = ""
	if !SameHost(p.Host, next) {
		reason := fmt.Sprintf("is on another host than the profile's %s; it was not followed, "+
			"because credentials are only sent to the profile's host", p.Host.Host)
		return nil, &LinkError{Page: number, Link: RedactURL(next), Reason: reason}
	}
	if seen[next.String()] {
		return nil, &LinkError{Page: number, Link: RedactURL(next), Reason: "repeats an earlier page, which would loop forever"}
	}
	seen[next.String()] = true
	return next, nil
}

// countPages returns the number of pages of a collection from its first page, or 0 when
// unknown. That is 1 when there is no next page. Otherwise it is one more than the pages from
// the next page's offset to the total in steps of its limit.
func countPages(first *url.URL, info PageInfo) int {
	if info.NextLink == "" {
		return 1
	}
	next, err := first.Parse(info.NextLink)
	if err != nil || !info.HasTotal {
		return 0
	}
	offset, err1 := strconv.Atoi(next.Query().Get("offset"))
	limit, err2 := strconv.Atoi(next.Query().Get("limit"))
	if err1 != nil || err2 != nil || limit <= 0 || offset < 0 || offset > info.TotalResults {
		return 0
	}
	return 1 + (info.TotalResults-offset+limit-1)/limit
}

// pageURLs returns the URLs of the pages from next to the end of a collection of total
// items, made by stepping next's offset parameter by its limit, at most maxPages of them. It
// returns false when next has no usable offset and limit.
func pageURLs(next *url.URL, total, maxPages int) ([]*url.URL, bool) {
	query := next.Query()
	offset, err1 := strconv.Atoi(query.Get("offset"))
	limit, err2 := strconv.Atoi(query.Get("limit"))
	if err1 != nil || err2 != nil || offset < 0 || limit <= 0 {
		return nil, false
	}
	var urls []*url.URL
	for off := offset; off < total && len(urls) < maxPages; off += limit {
		query.Set("offset", strconv.Itoa(off))
		u := *next
		u.RawQuery = query.Encode()
		urls = append(urls, &u)
	}
	return urls, true
}

// fetched is a page fetched ahead of its turn.
type fetched struct {
	resp *http.Response
	body []byte
	err  error
	buf  *bytes.Buffer
}

// aheadBuffers holds the buffers of pages fetched ahead that have been read, so that a
// long walk reuses a few buffers rather than allocating one per page.
var aheadBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// release returns the page's buffer for reuse, unless it grew past maxPooledPage. The body
// must not be used after.
func (f fetched) release() {
	if f.buf != nil && f.buf.Cap() <= maxPooledPage {
		f.buf.Reset()
		aheadBuffers.Put(f.buf)
	}
}

// walkParallel fetches urls up to p.Parallel at a time and hands the pages to p.Page in
// order. At most p.Parallel pages are fetched or waiting at any time, so memory is bounded by
// p.Parallel pages.
func (p *Pager) walkParallel(ctx context.Context, urls []*url.URL, res *PagerResult) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()

	slots := make(chan struct{}, p.Parallel)
	results := make([]chan fetched, len(urls))
	for i := range results {
		results[i] = make(chan fetched, 1)
	}
	wg.Go(func() {
		for i, u := range urls {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			wg.Go(func() { results[i] <- p.fetchAhead(ctx, p.Fetch, u, i+2) })
		}
	})

	totalPages := 1 + len(urls)
	for i, u := range urls {
		var f fetched
		select {
		case f = <-results[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		<-slots
		if f.err != nil {
			return f.err
		}
		number := res.Pages + 1
		if f.resp.StatusCode < 200 || f.resp.StatusCode > 299 {
			f.resp.Body = io.NopCloser(bytes.NewReader(f.body))
			return &PageStatusError{Page: number, Resp: f.resp}
		}
		info, err := p.readPage(bytes.NewReader(f.body), u, number)
		f.release()
		if err != nil {
			return err
		}
		p.record(res, info, totalPages)
	}
	return nil
}

// fetchAhead fetches page number at u with fetch and reads its whole body.
func (p *Pager) fetchAhead(ctx context.Context, fetch func(context.Context, *url.URL) (*http.Response, error),
	u *url.URL, number int) fetched {
	resp, err := fetch(ctx, u)
	if err != nil {
		return fetched{err: err}
	}
	defer resp.Body.Close()
	buf := aheadBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	if resp.ContentLength > 0 && resp.ContentLength <= maxBufferedPage {
		// Growing the buffer as the body arrives would copy it several times.
		buf.Grow(int(resp.ContentLength) + 1)
	}
	_, err = buf.ReadFrom(io.LimitReader(resp.Body, maxBufferedPage+1))
	if err == nil && buf.Len() > maxBufferedPage {
		err = errPageTooLarge
	}
	if err != nil {
		return fetched{err: fmt.Errorf("read page %d from %s: %w", number, RedactURL(u), err)}
	}
	return fetched{resp: resp, body: buf.Bytes(), buf: buf}
}
