package cmd

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hi-cli/hi/internal/httpx"
	"github.com/hi-cli/hi/internal/iostreams"
)

// requestMethods are the HTTP methods that have a command of their own.
var requestMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

type requestOptions struct {
	IO      *iostreams.IOStreams
	Factory *Factory

	Method  string
	Path    string
	Query   []string
	Headers []string
	Data    string
	Raw     bool
	Include bool
	Output  string
}

// NewRequestCmd builds hi get, post, put, patch or delete. runF, when non-nil, replaces the
// run function, so tests can check flag parsing without I/O.
func NewRequestCmd(f *Factory, method string, runF func(*requestOptions) error) *cobra.Command {
	opts := &requestOptions{IO: f.IO, Factory: f, Method: method}
	name := strings.ToLower(method)
	c := &cobra.Command{
		Use:   name + " PATH",
		Short: fmt.Sprintf("Send a %s request to a path of the tenant's API", method),
		Long: fmt.Sprintf("Send a %s request to PATH, relative to the profile's base URL (query string allowed).\n"+
			"A full URL is accepted only on the profile's own host.\n\n"+
			"The response body goes to standard output: pretty-printed JSON on a terminal, the exact bytes\n"+
			"when piped. An error status prints a summary on standard error and sets the exit code:\n"+
			"4 for 4xx, 5 for 5xx, 3 for an unfollowed redirect.", method),
		Example: requestExample(method),
		Args:    exactArgs(1, "one PATH"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Path = args[0]
			if c.Flags().Changed("data") && opts.Data == "" {
				return usageErrorf("empty --data: give a body, @FILE or @- for standard input")
			}
			if runF != nil {
				return runF(opts)
			}
			return runRequest(opts)
		},
	}
	flags := c.Flags()
	flags.StringArrayVarP(&opts.Query, "query", "q", nil, "add a query parameter `key=value` (repeatable)")
	flags.StringArrayVarP(&opts.Headers, "header", "H", nil, "add a request header `'Name: value'` (repeatable)")
	flags.StringVarP(&opts.Data, "data", "d", "", "request body: a literal, @FILE, or @- for standard input (JSON unless -H sets another Content-Type)")
	flags.BoolVar(&opts.Raw, "raw", false, "send --data as is, without checking that it is valid JSON")
	flags.BoolVarP(&opts.Include, "include", "i", false, "print the status line and response headers before the body")
	flags.StringVarP(&opts.Output, "output", "o", "", "write the body to `FILE` byte for byte instead of standard output")
	return c
}

func requestExample(method string) string {
	switch method {
	case http.MethodGet:
		return "  hi get /personnel/v1/personnel -q limit=5\n  hi --sandbox get /tenant/v1/tenant"
	case http.MethodPost:
		return "  hi post /personnel/v1/personnel -d @person.json\n" +
			"  hi --sandbox post /personnel/v1/personnel -d '{\"name\":{\"family\":\"Doe\",\"given\":[\"Jane\"]}}'"
	case http.MethodDelete:
		return "  hi delete /personnel/v1/personnel/ID"
	}
	return fmt.Sprintf("  hi %s /personnel/v1/personnel/ID -d @person.json", strings.ToLower(method))
}

func runRequest(opts *requestOptions) error {
	headers, err := parseHeaders(opts.Headers)
	if err != nil {
		return err
	}
	body, err := readBody(opts, headers)
	if err != nil {
		return err
	}
	conn, err := opts.Factory.Connect()
	if err != nil {
		return err
	}
	u, err := httpx.ResolveURL(conn.Settings.BaseURL, opts.Path, opts.Query)
	if err != nil {
		return &UsageError{Err: err}
	}

	req, err := conn.newRequest(opts.Method, u, body)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for name, values := range headers {
		req.Header[name] = values
	}
	resp, err := conn.do(req, body)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return writeResponse(opts, conn, resp)
}

func writeResponse(opts *requestOptions, conn *Connection, resp *http.Response) error {
	out := opts.IO.Out
	if opts.Include {
		if err := httpx.WriteHead(out, resp); err != nil {
			return err
		}
	}
	var err error
	if opts.Output != "" && opts.Output != "-" {
		err = writeBodyFile(opts.Output, resp.Body)
	} else {
		err = httpx.WriteBody(out, opts.IO.ErrOut, resp, httpx.RenderOptions{
			Terminal: opts.IO.IsStdoutTTY(),
			Color:    opts.IO.ColorEnabled(),
		})
	}
	if err != nil {
		return fmt.Errorf("read the response body from %s: %w", resp.Request.URL.Host, err)
	}
	if ExitCode(&StatusError{StatusCode: resp.StatusCode}) == ExitOK {
		return nil
	}
	printStatusSummary(opts.IO.ErrOut, resp, conn)
	return &StatusError{StatusCode: resp.StatusCode}
}

// writeBodyFile writes the body to a temporary file beside path and renames it into place
// once complete, so an interrupted download never leaves a partial file under path.
func writeBodyFile(path string, body io.Reader) error {
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

// parseHeaders checks each 'Name: value' item.
func parseHeaders(items []string) (http.Header, error) {
	h := http.Header{}
	for _, item := range items {
		name, value, ok := strings.Cut(item, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			return nil, usageErrorf("invalid header %q: use 'Name: value'", item)
		}
		h.Add(name, strings.TrimSpace(value))
	}
	return h, nil
}

// readBody returns the --data body, or nil when there is none. A JSON body (the default
// content type) must be valid JSON unless --raw is given.
func readBody(opts *requestOptions, headers http.Header) ([]byte, error) {
	if opts.Data == "" {
		return nil, nil
	}
	body, err := dataBytes(opts.IO, opts.Data)
	if err != nil {
		return nil, err
	}
	if opts.Raw || !sendsJSON(headers) {
		return body, nil
	}
	if !json.Valid(body) {
		return nil, usageErrorf("invalid JSON in --data %s: fix the body, add --raw to send it as is, "+
			"or set another type with -H 'Content-Type: …'", describeData(opts.Data))
	}
	return body, nil
}

func dataBytes(io *iostreams.IOStreams, data string) ([]byte, error) {
	switch {
	case data == "@-":
		return readAllFrom(io.In, "standard input")
	case strings.HasPrefix(data, "@"):
		b, err := os.ReadFile(data[1:])
		if err != nil {
			return nil, usageErrorf("cannot read --data file %q: %v", data[1:], unwrapPathError(err))
		}
		return b, nil
	}
	return []byte(data), nil
}

func readAllFrom(r io.Reader, name string) ([]byte, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read the body from %s: %w", name, err)
	}
	return b, nil
}

func sendsJSON(headers http.Header) bool {
	ct := headers.Get("Content-Type")
	if ct == "" {
		return true
	}
	mediaType, _, _ := mime.ParseMediaType(ct)
	return mediaType == "application/json" || strings.HasSuffix(mediaType, "+json")
}

func describeData(data string) string {
	if strings.HasPrefix(data, "@") {
		return "from " + data[1:]
	}
	return "value"
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
