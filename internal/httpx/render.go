package httpx

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/pretty"
)

// maxTerminalBody bounds how much of a body is buffered for pretty-printing on a terminal.
const maxTerminalBody = 64 << 20

// RenderOptions says how a response body is shown.
type RenderOptions struct {
	// Terminal is true when stdout is a terminal; bodies are then pretty-printed.
	Terminal bool
	// Color enables ANSI colour in pretty-printed JSON.
	Color bool
}

// WriteHead writes the status line and the headers, sorted by name, then a blank line.
func WriteHead(w io.Writer, resp *http.Response) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\r\n", resp.Proto, resp.Status)
	names := make([]string, 0, len(resp.Header))
	for name := range resp.Header {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range resp.Header[name] {
			fmt.Fprintf(&b, "%s: %s\r\n", name, v)
		}
	}
	b.WriteString("\r\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteBody copies the body to out. Piped, it is copied byte for byte. On a terminal, JSON is
// pretty-printed (and coloured when allowed), text is written as is, and a binary body is
// not written: a note on errOut says what it is and suggests -o FILE.
func WriteBody(out, errOut io.Writer, resp *http.Response, opts RenderOptions) error {
	if !opts.Terminal {
		_, err := io.Copy(out, resp.Body)
		return err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxTerminalBody))
	if err != nil {
		return err
	}
	mediaType, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	switch {
	case len(body) == 0:
		return nil
	case isBinary(mediaType, body):
		fmt.Fprintf(errOut, "hi: binary body (%s, %d bytes) not shown on the terminal; save it with -o FILE\n",
			orUnknown(mediaType), len(body))
		return nil
	case isJSON(mediaType) && json.Valid(body):
		_, err = out.Write(prettyJSON(body, opts.Color))
		return err
	}
	if _, err := out.Write(body); err != nil {
		return err
	}
	if !bytes.HasSuffix(body, []byte("\n")) {
		_, err = io.WriteString(out, "\n")
	}
	return err
}

func prettyJSON(body []byte, color bool) []byte {
	// Width 0 puts every array element and object member on its own line, as jq does.
	p := pretty.PrettyOptions(body, &pretty.Options{Width: 0, Indent: "  "})
	if color {
		p = pretty.Color(p, nil)
	}
	return p
}

func isJSON(mediaType string) bool {
	return mediaType == "application/json" || strings.HasSuffix(mediaType, "+json")
}

func isBinary(mediaType string, body []byte) bool {
	if isJSON(mediaType) || strings.HasPrefix(mediaType, "text/") || strings.HasSuffix(mediaType, "+xml") ||
		mediaType == "application/xml" || mediaType == "application/x-www-form-urlencoded" ||
		mediaType == "application/javascript" {
		return false
	}
	return bytes.IndexByte(body, 0) >= 0 || !utf8.Valid(body)
}

func orUnknown(mediaType string) string {
	if mediaType == "" {
		return "no content type"
	}
	return mediaType
}
