package httpx

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/hi-cli/hi/internal/termtext"
)

// maxTraceBody bounds how many bytes of each request and response body a trace shows.
const maxTraceBody = 4096

// traceTransport writes each request and response that passes through it to w: method,
// URL, headers, status, timing and text bodies, with credentials masked (see MaskHeaderValue
// and MaskForm).
//
// The request and the response head are written together once the response head arrives, and
// the response body once the caller has read it to the end or closed it. Each of these
// blocks is one Write, so blocks of concurrent requests never mix, though they may alternate.
type traceTransport struct {
	next http.RoundTripper
	w    *lockedWriter
	now  func() time.Time
}

// lockedWriter serialises the Writes of concurrent requests.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// write writes one block of the trace with the control characters that the server or the
// request put in it escaped (see termtext.Text), because the trace goes to a person.
func (l *lockedWriter) write(b []byte) {
	b = termtext.Text(b)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.w.Write(b)
}

// newTraceTransport wraps next so that every exchange is traced to w.
func newTraceTransport(next http.RoundTripper, w io.Writer) *traceTransport {
	return &traceTransport{next: next, w: &lockedWriter{w: w}, now: time.Now}
}

// RoundTrip sends req through the wrapped transport and traces the exchange.
func (t *traceTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var b bytes.Buffer
	writeTraceRequest(&b, req)

	start := t.now()
	resp, err := t.next.RoundTrip(req)
	elapsed := t.now().Sub(start)
	if err != nil {
		fmt.Fprintf(&b, "* %s %s failed after %s: %v\n\n", req.Method, RedactURL(req.URL), formatElapsed(elapsed), err)
		t.w.write(b.Bytes())
		return nil, err
	}

	fmt.Fprintf(&b, "< %s %s (%s)\n", resp.Proto, resp.Status, formatElapsed(elapsed))
	writeTraceHeaders(&b, "< ", resp.Header)
	t.w.write(b.Bytes())
	resp.Body = &tracedBody{
		ReadCloser: resp.Body, transport: t, start: start, length: resp.ContentLength,
		binary: isBinaryType(resp.Header.Get("Content-Type")),
	}
	return resp, nil
}

// writeTraceRequest writes the request line, the headers and the body, if the body can be
// read again without disturbing the request (http.Request.GetBody).
func writeTraceRequest(b *bytes.Buffer, req *http.Request) {
	fmt.Fprintf(b, "> %s %s\n", req.Method, RedactURL(req.URL))
	writeTraceHeaders(b, "> ", req.Header)
	if req.Body == nil || req.Body == http.NoBody {
		return
	}
	if req.GetBody == nil {
		b.WriteString(">\n> [body not shown: it is read only once]\n")
		return
	}
	body, err := req.GetBody()
	if err != nil {
		fmt.Fprintf(b, ">\n> [body not shown: %v]\n", err)
		return
	}
	defer body.Close()
	head, _ := io.ReadAll(io.LimitReader(body, maxTraceBody))
	rest, _ := io.Copy(io.Discard, body)
	b.WriteString(">\n")
	writeTraceBody(b, "> ", head, rest, isBinaryType(req.Header.Get("Content-Type")))
}

// writeTraceHeaders writes the headers sorted by name, one value a line, masked.
func writeTraceHeaders(b *bytes.Buffer, prefix string, h http.Header) {
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, value := range h[name] {
			fmt.Fprintf(b, "%s%s: %s\n", prefix, name, MaskHeaderValue(name, value))
		}
	}
}

// writeTraceBody writes the first bytes of a body, each line after prefix, or a note when
// the body is binary. rest is the number of bytes left out.
func writeTraceBody(b *bytes.Buffer, prefix string, head []byte, rest int64, binaryType bool) {
	if binaryType || bytes.IndexByte(head, 0) >= 0 || !validUTF8Prefix(head, rest > 0) {
		fmt.Fprintf(b, "%s[binary body, %d bytes, not shown]\n", prefix, int64(len(head))+rest)
		return
	}
	text := MaskForm(strings.TrimSuffix(string(head), "\n"))
	for line := range strings.SplitSeq(text, "\n") {
		b.WriteString(prefix)
		b.WriteString(strings.TrimSuffix(line, "\r"))
		b.WriteByte('\n')
	}
	if rest > 0 {
		fmt.Fprintf(b, "%s[%d more bytes not shown]\n", prefix, rest)
	}
}

// validUTF8Prefix reports whether b is UTF-8 text. When b was cut short, a character cut in
// two at its end is allowed.
func validUTF8Prefix(b []byte, cut bool) bool {
	if utf8.Valid(b) {
		return true
	}
	if !cut {
		return false
	}
	for i := 1; i < utf8.UTFMax && i <= len(b); i++ {
		if utf8.Valid(b[:len(b)-i]) {
			return true
		}
	}
	return false
}

// isBinaryType reports whether a Content-Type names a type that is never shown as text.
func isBinaryType(contentType string) bool {
	if contentType == "" {
		return false
	}
	mediaType, _, _ := mime.ParseMediaType(contentType)
	switch {
	case strings.HasPrefix(mediaType, "text/"), isJSON(mediaType), strings.HasSuffix(mediaType, "+xml"),
		mediaType == "application/xml", mediaType == "application/x-www-form-urlencoded",
		mediaType == "application/javascript", mediaType == "application/problem+json":
		return false
	}
	return strings.HasPrefix(mediaType, "image/") || strings.HasPrefix(mediaType, "audio/") ||
		strings.HasPrefix(mediaType, "video/") || mediaType == "application/octet-stream" ||
		mediaType == "application/gzip" || mediaType == "application/zip" || mediaType == "application/x-tar"
}

// formatElapsed rounds a duration for a trace line.
func formatElapsed(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}

// tracedBody keeps the first maxTraceBody bytes of a response body as the caller reads it
// and writes them to the trace at the end of the body or when it is closed.
type tracedBody struct {
	io.ReadCloser
	transport *traceTransport
	start     time.Time
	length    int64 // Content-Length, or -1 when unknown
	binary    bool

	head   []byte
	total  int64
	traced bool
}

func (tb *tracedBody) Read(p []byte) (int, error) {
	n, err := tb.ReadCloser.Read(p)
	if room := maxTraceBody - len(tb.head); room > 0 {
		tb.head = append(tb.head, p[:min(n, room)]...)
	}
	tb.total += int64(n)
	if err == io.EOF {
		tb.trace("")
	}
	return n, err
}

func (tb *tracedBody) Close() error {
	note := " (closed before the end)"
	if tb.ReadCloser == http.NoBody || tb.total == tb.length {
		note = ""
	}
	tb.trace(note)
	return tb.ReadCloser.Close()
}

// trace writes the body block once.
func (tb *tracedBody) trace(note string) {
	if tb.traced {
		return
	}
	tb.traced = true
	var b bytes.Buffer
	if tb.total > 0 {
		b.WriteString("<\n")
		writeTraceBody(&b, "< ", tb.head, tb.total-int64(len(tb.head)), tb.binary)
	}
	elapsed := tb.transport.now().Sub(tb.start)
	fmt.Fprintf(&b, "* response body: %d bytes in %s%s\n\n", tb.total, formatElapsed(elapsed), note)
	tb.transport.w.write(b.Bytes())
}
