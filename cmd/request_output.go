package cmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"github.com/hi-cli/hi/internal/config"
	"github.com/hi-cli/hi/internal/httpx"
)

// maxCachedBody bounds the body that --etag stores.
const maxCachedBody = 64 << 20

func writeResponse(opts *requestOptions, conn *Connection, resp *http.Response, cache *etagCacheEntry) error {
	if err := cache.update(opts, resp); err != nil {
		return err
	}
	out := opts.IO.Out
	if opts.Include {
		if err := httpx.WriteHead(out, resp, renderOptions(opts)); err != nil {
			return err
		}
	}
	ok := ExitCode(&StatusError{StatusCode: resp.StatusCode}) == ExitOK
	if err := writeResponseBody(opts, conn, resp, ok); err != nil {
		return err
	}
	if ok {
		return nil
	}
	printStatusSummary(opts.IO.ErrOut, resp, conn)
	return &StatusError{StatusCode: resp.StatusCode}
}

// writeResponseBody sends the body to the destination that the flags select. The body of an
// error status goes to standard output as is, so --download and --jq apply to successful
// responses only.
func writeResponseBody(opts *requestOptions, conn *Connection, resp *http.Response, ok bool) error {
	var err error
	switch {
	case opts.Silent:
		_, err = io.Copy(io.Discard, resp.Body)
	case opts.Output != "" && opts.Output != "-":
		err = writeBodyFile(opts.Output, resp.Body)
	case opts.Download && ok:
		return saveDownload(opts, resp)
	case opts.jq != nil && ok:
		return writeJQ(opts, resp.Body)
	default:
		err = httpx.WriteBody(opts.IO.Out, opts.IO.ErrOut, resp, renderOptions(opts))
	}
	if err != nil {
		return httpx.DescribeBodyError(resp.Request.URL.Host, conn.httpClient().Timeout, err)
	}
	return nil
}

func renderOptions(opts *requestOptions) httpx.RenderOptions {
	return httpx.RenderOptions{Terminal: opts.IO.IsStdoutTTY(), Color: opts.IO.ColorEnabled()}
}

// writeJQ applies --jq to a JSON body. An empty body, as in 204 No Content, prints nothing.
func writeJQ(opts *requestOptions, body io.Reader) error {
	peek := make([]byte, 1)
	n, err := io.ReadFull(body, peek)
	if n == 0 && (err == io.EOF || err == io.ErrUnexpectedEOF) {
		return nil
	}
	value, err := httpx.DecodeJSON(io.MultiReader(bytes.NewReader(peek[:n]), body))
	if err != nil {
		return fmt.Errorf("--jq needs a JSON response: %w", err)
	}
	return opts.jq.Write(context.Background(), opts.IO.Out, value, renderOptions(opts))
}

// writeBodyFile writes the body to a temporary file beside path and renames it into place
// once complete, so an interrupted download never leaves a partial file under path. A
// symbolic link is followed, so the file it points to is replaced, not the link. A path that
// is not a regular file, such as /dev/null or a named pipe, is written directly, because
// renaming over it would replace the device or pipe with a file.
func writeBodyFile(path string, body io.Reader) error {
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		path = resolved
	}
	if info, err := os.Stat(path); err == nil && !info.Mode().IsRegular() {
		return writeSpecialFile(path, body)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".part-*")
	if err != nil {
		return fmt.Errorf("create output file for %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, body); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// writeSpecialFile copies body into an existing file that is not a regular file.
func writeSpecialFile(path string, body io.Reader) error {
	file, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("open output file %s: %w", path, err)
	}
	if _, err := io.Copy(file, body); err != nil {
		file.Close()
		return err
	}
	return file.Close()
}

// saveDownload writes the body to a new file in the current directory, named by the server
// (see httpx.DownloadName), and reports the file name on a terminal.
func saveDownload(opts *requestOptions, resp *http.Response) error {
	name := httpx.DownloadName(resp)
	if name == "" {
		return errors.New("cannot name the download: the response gives no file name and the URL path " +
			"has no last segment; choose a name with -o FILE")
	}
	n, err := httpx.SaveNewFile(name, resp.Body)
	var exists *httpx.FileExistsError
	if errors.As(err, &exists) {
		return err
	}
	if err != nil {
		return fmt.Errorf("save the download as %s: %w", name, err)
	}
	if opts.IO.IsStderrTTY() {
		fmt.Fprintf(opts.IO.ErrOut, "saved %s (%d bytes)\n", name, n)
	}
	return nil
}

// etagCacheEntry is the --etag state of one GET: where its response is stored and what was
// stored before.
type etagCacheEntry struct {
	cache   *httpx.ResponseCache
	profile string
	url     string
	stored  *httpx.CachedResponse
}

// etagCache opens the --etag entry of req and adds If-None-Match with the stored ETag,
// unless -H already sets it. It returns nil without --etag.
func etagCache(opts *requestOptions, conn *Connection, req *http.Request) *etagCacheEntry {
	if !opts.ETag {
		return nil
	}
	dir, err := config.CacheDir()
	if err != nil {
		fmt.Fprintf(opts.IO.ErrOut, "hi: warning: --etag has no cache directory, so the request is sent "+
			"without If-None-Match: %v\n", err)
		return nil
	}
	e := &etagCacheEntry{
		cache:   &httpx.ResponseCache{Dir: filepath.Join(dir, "responses")},
		profile: conn.Settings.Profile,
		url:     req.URL.String(),
	}
	e.stored = e.cache.Get(e.profile, e.url)
	if e.stored != nil && req.Header.Get("If-None-Match") == "" {
		req.Header.Set("If-None-Match", e.stored.ETag)
	}
	return e
}

// update prints the stored body on a 304 Not Modified, and stores a 200 response that has
// an ETag (or deletes the entry when it has none).
func (e *etagCacheEntry) update(opts *requestOptions, resp *http.Response) error {
	if e == nil {
		return nil
	}
	switch {
	case resp.StatusCode == http.StatusNotModified && e.stored != nil:
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(e.stored.Body))
		if resp.Header.Get("Content-Type") == "" && e.stored.ContentType != "" {
			resp.Header.Set("Content-Type", e.stored.ContentType)
		}
		return nil
	case resp.StatusCode != http.StatusOK:
		return nil
	}

	body, err := io.ReadAll(io.LimitReader(resp.Body, maxCachedBody+1))
	if err != nil {
		return fmt.Errorf("read the response body from %s: %w", resp.Request.URL.Host, err)
	}
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	tag := resp.Header.Get("ETag")
	if tag == "" || len(body) > maxCachedBody {
		err = e.cache.Delete(e.profile, e.url)
	} else {
		err = e.cache.Put(e.profile, httpx.CachedResponse{
			URL: e.url, ETag: tag, ContentType: resp.Header.Get("Content-Type"), Body: body,
		})
	}
	if err != nil {
		fmt.Fprintf(opts.IO.ErrOut, "hi: warning: %v\n", err)
	}
	return nil
}
