package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tidwall/pretty"
)

// PageInfo is the part of a collection page that drives the walk: its item count, the collection's
// total and the link to the next page.
type PageInfo struct {
	Items int
	// TotalResults is the collection's totalResults, valid when HasTotal is set.
	TotalResults int
	HasTotal     bool
	// NextLink is the page's nextLink, empty on the last page.
	NextLink string
}

// errNotCollection means a page has no items array.
var errNotCollection = errors.New("the response is not a collection: it has no items array")

// DecodePage reads one collection page, {"items":[…],"totalResults":N,"nextLink":"…",…},
// from r and passes each item to onItem as compact JSON, in a slice that is valid only
// during the call. The page is read whole, up to 64 MiB, into a buffer that the next page
// reuses, so a walk's memory does not grow with its length. A page already in memory, given
// as a *bytes.Buffer, is scanned where it is instead. Members other than items, totalResults
// and nextLink are checked and skipped.
func DecodePage(r io.Reader, onItem func(item []byte) error) (PageInfo, error) {
	s := pageBuffers.Get().(*pageScanner)
	defer s.release()
	if page, ok := r.(*bytes.Buffer); ok {
		if page.Len() > maxBufferedPage {
			return PageInfo{}, errPageTooLarge
		}
		own := s.data
		s.data, s.pos = page.Bytes(), 0
		defer func() { s.data = own[:0] }()
		return s.page(onItem)
	}
	if err := s.readAll(r); err != nil {
		return PageInfo{}, err
	}
	return s.page(onItem)
}

// ItemFormat is the layout in which ItemWriter writes the items of a walk.
type ItemFormat int

// The layouts of ItemWriter.
const (
	// Compact writes one document, {"items":[…],"totalResults":N}, on one line.
	Compact ItemFormat = iota
	// Pretty writes the same document indented, as a terminal shows it.
	Pretty
	// NDJSON writes each item on a line of its own and nothing else.
	NDJSON
)

// ItemWriter writes the items of every page of a collection as they arrive, either as one
// document of the same shape as a page or as newline-delimited JSON. It holds no item after
// writing it, so memory stays flat however long the collection is.
type ItemWriter struct {
	w      io.Writer
	format ItemFormat
	color  bool
	count  int
	open   bool
	buf    bytes.Buffer
}

// NewItemWriter returns a writer of items to w. color applies to Pretty only.
func NewItemWriter(w io.Writer, format ItemFormat, color bool) *ItemWriter {
	return &ItemWriter{w: w, format: format, color: color && format == Pretty}
}

// Count returns the number of items written.
func (iw *ItemWriter) Count() int { return iw.count }

// Started reports whether an item, or the end of the document, has been added.
func (iw *ItemWriter) Started() bool { return iw.open }

// Item adds one item, given as compact JSON, to the output that Flush writes. A walk flushes
// after each page, so that a page of items takes one write rather than one per item.
func (iw *ItemWriter) Item(item []byte) error {
	switch iw.format {
	case NDJSON:
		iw.buf.Write(item)
		iw.buf.WriteByte('\n')
	case Compact:
		iw.startDocument()
		if iw.count > 0 {
			iw.buf.WriteByte(',')
		}
		iw.buf.Write(item)
	case Pretty:
		iw.startDocument()
		if iw.count > 0 {
			iw.buf.WriteString(",\n")
		}
		p := pretty.PrettyOptions(item, &pretty.Options{Width: 0, Prefix: "    ", Indent: "  "})
		p = bytes.TrimSuffix(p, []byte("\n"))
		if iw.color {
			p = pretty.Color(p, nil)
		}
		iw.buf.Write(p)
	}
	iw.open = true
	iw.count++
	return nil
}

// Flush writes the items added since the last flush.
func (iw *ItemWriter) Flush() error {
	if iw.buf.Len() == 0 {
		return nil
	}
	_, err := iw.w.Write(iw.buf.Bytes())
	iw.buf.Reset()
	return err
}

// startDocument adds the opening of the document to the buffer before the first item.
func (iw *ItemWriter) startDocument() {
	if iw.open {
		return
	}
	switch iw.format {
	case Compact:
		iw.buf.WriteString(`{"items":[`)
	case Pretty:
		opening, _ := prettyFrame(0, iw.color)
		iw.buf.WriteString(opening)
	}
}

// Close writes the items not flushed yet and ends the document with totalResults. For NDJSON
// it adds nothing after the items.
func (iw *ItemWriter) Close(totalResults int) error {
	switch {
	case iw.format == Compact:
		iw.startDocument()
		fmt.Fprintf(&iw.buf, `],"totalResults":%d}`+"\n", totalResults)
	case iw.format == Pretty && iw.count == 0:
		iw.buf.Write(prettyJSON(fmt.Appendf(nil, `{"items":[],"totalResults":%d}`, totalResults), iw.color))
	case iw.format == Pretty:
		_, closing := prettyFrame(totalResults, iw.color)
		iw.buf.WriteString(closing)
	}
	iw.open = true
	return iw.Flush()
}

// prettyFrame returns the text that prettyJSON puts before the first item and after the last
// one of a collection, so that a document written item by item reads exactly like the whole
// document pretty-printed at once.
func prettyFrame(totalResults int, color bool) (opening, closing string) {
	doc := string(prettyJSON(fmt.Appendf(nil, `{"items":[0],"totalResults":%d}`, totalResults), color))
	item := "0"
	if color {
		item = string(pretty.Color([]byte(item), nil))
	}
	opening, closing, _ = strings.Cut(doc, "    "+item)
	return opening, closing
}

// PageInfoOf returns the PageInfo of a decoded collection page (see DecodeJSON).
func PageInfoOf(page any) (PageInfo, error) {
	var info PageInfo
	object, ok := page.(map[string]any)
	if !ok {
		return info, errNotCollection
	}
	items, ok := object["items"].([]any)
	if !ok {
		return info, errNotCollection
	}
	info.Items = len(items)
	if n, ok := object["totalResults"].(json.Number); ok {
		total, err := strconv.Atoi(n.String())
		if err != nil || total < 0 {
			return info, fmt.Errorf("invalid totalResults %s", n)
		}
		info.TotalResults, info.HasTotal = total, true
	}
	if link, ok := object["nextLink"].(string); ok {
		info.NextLink = link
	}
	return info, nil
}
