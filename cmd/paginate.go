package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/hi-cli/hi/internal/httpx"
	"github.com/hi-cli/hi/internal/termtext"
)

// runPaginate walks the collection of req for --paginate. Items are written as each page
// arrives, so memory does not grow with the collection. When a page after the first fails,
// the document is closed with the items so far, the error body follows it, and the exit
// code is that of the status. With -o FILE the items go to FILE only when the walk
// completes, so a failed or interrupted walk never leaves part of a collection under FILE.
func runPaginate(opts *requestOptions, conn *Connection, req *http.Request) error {
	defer collectSooner()()
	if opts.Parallel <= 1 {
		defer oneProcessor()()
	}
	out, finish, err := paginateOutput(opts)
	if err != nil {
		return err
	}
	items := httpx.NewItemWriter(out, itemFormat(opts), opts.IO.ColorEnabled() && opts.Output == "")
	progress := newProgress(opts)
	// With --parallel, pages are signed from several goroutines; the connection's OAuth
	// credential serializes token refreshes.
	pager := &httpx.Pager{
		Fetch: func(ctx context.Context, u *url.URL) (*http.Response, error) {
			page := req.Clone(ctx)
			page.URL, page.Host = u, ""
			return conn.doRetry(page, nil, opts.retryPolicy())
		},
		// A page requested ahead of its turn gets one attempt and prints no retry note,
		// because the walk may not use it. When it fails, the walk fetches it with Fetch.
		FetchAhead: func(ctx context.Context, u *url.URL) (*http.Response, error) {
			page := req.Clone(ctx)
			page.URL, page.Host = u, ""
			return conn.do(page, nil)
		},
		Page:     pageReader(opts, items),
		Host:     conn.Settings.BaseURL,
		MaxPages: opts.MaxPages,
		Parallel: opts.Parallel,
		Progress: progress.update,
	}

	res, walkErr := pager.Walk(req.Context(), req.URL)
	progress.done()
	var status *httpx.PageStatusError
	if errors.As(walkErr, &status) && status.Page == 1 {
		finish(false)
		defer status.Resp.Body.Close()
		return writeResponse(opts, conn, status.Resp, nil)
	}
	err = finishDocument(opts, items, res)
	if finishErr := finish(err == nil && walkErr == nil); err == nil {
		err = finishErr
	}
	if err != nil {
		return err
	}
	return paginateResult(opts, conn, res, walkErr)
}

// paginateResult reports how the walk ended: the error of a later page, or a note when
// --max-pages stopped it early.
func paginateResult(opts *requestOptions, conn *Connection, res httpx.PagerResult, walkErr error) error {
	var status *httpx.PageStatusError
	switch {
	case errors.As(walkErr, &status):
		defer status.Resp.Body.Close()
		return writeResponse(opts, conn, status.Resp, nil)
	case walkErr != nil:
		return walkErr
	case res.Truncated:
		pages := fmt.Sprintf("%d pages", res.Pages)
		if res.Pages == 1 {
			pages = "1 page"
		}
		fmt.Fprintf(opts.IO.ErrOut, "hi: stopped after %s (--max-pages %d); the collection has more\n",
			pages, opts.MaxPages)
	case opts.Parallel > 1 && !res.Parallel && res.Pages > 1 && opts.IO.IsStderrTTY():
		fmt.Fprintln(opts.IO.ErrOut, "hi: the pages were fetched one at a time: the first page gives no "+
			"totalResults or its nextLink no offset and limit")
	}
	return nil
}

// finishDocument closes the merged document with the collection's totalResults, or the
// number of items when the pages give none.
func finishDocument(opts *requestOptions, items *httpx.ItemWriter, res httpx.PagerResult) error {
	if opts.jq != nil || opts.Silent {
		return nil
	}
	total := items.Count()
	if res.HasTotal {
		total = res.TotalResults
	}
	return items.Close(total)
}

// errWalkIncomplete ends the -o file of a walk that failed or was interrupted.
var errWalkIncomplete = errors.New("the collection was not read to the end")

// paginateOutput returns where the items go: standard output, or with -o a temporary file.
// finish(true) renames that file into place and finish(false) removes it. For standard
// output, finish does nothing.
func paginateOutput(opts *requestOptions) (io.Writer, func(complete bool) error, error) {
	if opts.Silent {
		return io.Discard, func(bool) error { return nil }, nil
	}
	if opts.Output == "" || opts.Output == "-" {
		return opts.IO.Out, func(bool) error { return nil }, nil
	}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := writeBodyFile(opts.Output, pr)
		pr.CloseWithError(err)
		done <- err
	}()
	finish := func(complete bool) error {
		if !complete {
			pw.CloseWithError(errWalkIncomplete)
			<-done
			return nil
		}
		pw.Close()
		return <-done
	}
	return pw, finish, nil
}

// itemsOnTerminal reports whether the items of a walk are shown on a terminal.
func itemsOnTerminal(opts *requestOptions) bool {
	return opts.IO.IsStdoutTTY() && (opts.Output == "" || opts.Output == "-")
}

func itemFormat(opts *requestOptions) httpx.ItemFormat {
	switch {
	case opts.NDJSON:
		return httpx.NDJSON
	case itemsOnTerminal(opts):
		return httpx.Pretty
	}
	return httpx.Compact
}

// pageReader returns the reader of one page: each item to the item writer, or with --jq
// the whole page to the expression.
func pageReader(opts *requestOptions, items *httpx.ItemWriter) func(io.Reader) (httpx.PageInfo, error) {
	if opts.jq == nil {
		onItem := items.Item
		if itemsOnTerminal(opts) {
			onItem = func(item []byte) error { return items.Item(termtext.JSON(item)) }
		}
		return func(body io.Reader) (httpx.PageInfo, error) {
			info, err := httpx.DecodePage(body, onItem)
			if flushErr := items.Flush(); err == nil {
				err = flushErr
			}
			return info, err
		}
	}
	return func(body io.Reader) (httpx.PageInfo, error) {
		page, err := httpx.DecodeJSON(body)
		if err != nil {
			return httpx.PageInfo{}, err
		}
		info, err := httpx.PageInfoOf(page)
		if err != nil {
			return info, err
		}
		return info, opts.jq.Write(context.Background(), opts.IO.Out, page, renderOptions(opts))
	}
}

// progress shows the pages and items fetched on one line of standard error that each page
// rewrites. It is shown only when standard error is a terminal and the items go elsewhere,
// because items scrolling past on the terminal already show progress.
type progress struct {
	opts  *requestOptions
	shown bool
}

func newProgress(opts *requestOptions) *progress {
	return &progress{opts: opts}
}

func (p *progress) update(pp httpx.PagerProgress) {
	if !p.opts.IO.IsStderrTTY() || itemsOnTerminal(p.opts) {
		return
	}
	p.shown = true
	line := fmt.Sprintf("page %d", pp.Pages)
	if pp.TotalPages > 0 {
		line += fmt.Sprintf(" of %d", pp.TotalPages)
	}
	line += fmt.Sprintf(", %d", pp.Items)
	if pp.TotalItems > 0 {
		line += fmt.Sprintf(" of %d", pp.TotalItems)
	}
	fmt.Fprintf(p.opts.IO.ErrOut, "\r\x1b[K%s items", line)
}

// done clears the progress line.
func (p *progress) done() {
	if p.shown {
		fmt.Fprint(p.opts.IO.ErrOut, "\r\x1b[K")
	}
}
