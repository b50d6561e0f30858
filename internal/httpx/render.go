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

	"github.com/hi-cli/hi/internal/termtext"
)

// maxTerminalBody bounds the body shown on a terminal, because it is read whole to be
// pretty-printed.
const maxTerminalBody = 64 << 20

// RenderOptions are the settings that decide how a response body is shown.
type RenderOptions struct {
	// Terminal is true when stdout is a terminal; bodies are then pretty-printed.
	Terminal bool
	// Color enables ANSI colour in pretty-printed JSON.
	Color bool
}

// WriteHead writes the status line and the headers, sorted by name, then a blank line. On a
// terminal, control characters in the server's reason phrase and header values are escaped
// (see termtext.Line).
func WriteHead(w io.Writer, resp *http.Response, opts RenderOptions) error {
	escaped := func(s string) string { return s }
	if opts.Terminal {
		escaped = termtext.Line
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\r\n", escaped(resp.Proto), escaped(resp.Status))
	names := make([]string, 0, len(resp.Header))
	for name := range resp.Header {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range resp.Header[name] {
			fmt.Fprintf(&b, "%s: %s\r\n", escaped(name), escaped(v))
		}
	}
	b.WriteString("\r\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteBody copies the body to out. Piped, it is copied byte for byte. On a terminal, valid
// JSON is pretty-printed (and coloured when allowed), other text is written with its control
// characters escaped (see termtext), and a binary body or one larger than 64 MiB is not
// written: a note on errOut gives the reason and suggests -o FILE. A body declared as JSON that is
// not valid JSON is shown as text, with a note that it was not pretty-printed.
func WriteBody(out, errOut io.Writer, resp *http.Response, opts RenderOptions) error {
	if !opts.Terminal {
		_, err := io.Copy(out, resp.Body)
		return err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxTerminalBody+1))
	if err != nil {
		return err
	}
	mediaType, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	shownType := termtext.Line(orUnknown(mediaType))
	switch {
	case len(body) == 0:
		return nil
	case len(body) > maxTerminalBody:
		_, err := io.Copy(io.Discard, resp.Body)
		fmt.Fprintf(errOut, "hi: body (%s) larger than %d MiB not shown on the terminal; save it with -o FILE\n",
			shownType, maxTerminalBody>>20)
		return err
	case isBinary(mediaType, body):
		fmt.Fprintf(errOut, "hi: binary body (%s, %d bytes) not shown on the terminal; save it with -o FILE\n",
			shownType, len(body))
		return nil
	case isJSON(mediaType) && json.Valid(body) && utf8.Valid(body):
		_, err = out.Write(prettyJSON(body, opts.Color))
		return err
	}
	if err := writeText(out, body); err != nil {
		return err
	}
	switch {
	case isJSON(mediaType) && !utf8.Valid(body):
		fmt.Fprintf(errOut, "hi: the %s body is not valid UTF-8, so it is not pretty-printed\n", shownType)
	case isJSON(mediaType):
		fmt.Fprintf(errOut, "hi: the %s body is not valid JSON, so it is not pretty-printed\n", shownType)
	}
	return nil
}

// writeText writes a text body to a terminal, its control characters escaped, ending in a
// newline.
func writeText(out io.Writer, body []byte) error {
	text := termtext.Text(body)
	if !bytes.HasSuffix(text, []byte("\n")) {
		text = append(text[:len(text):len(text)], '\n')
	}
	_, err := out.Write(text)
	return err
}

// prettyJSON indents a valid JSON document for a terminal, escapes the control characters
// in its strings (see termtext.JSON) and colours it when color is set. The escaping comes
// before the colour, whose escape sequences must reach the terminal.
func prettyJSON(body []byte, color bool) []byte {
	// Width 0 puts every array element and object member on its own line, as jq does.
	p := pretty.PrettyOptions(body, &pretty.Options{Width: 0, Indent: "  "})
	p = termtext.JSON(p)
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
