package cmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/hi-cli/hi/internal/httpx"
	"github.com/hi-cli/hi/internal/iostreams"
)

// requestBody is the body of a request and where it came from.
type requestBody struct {
	data []byte
	// contentType is set unless -H sets one.
	contentType string
	// file names the file the body was read from, for --dry-run; empty otherwise.
	file string
	// query holds the -f and -F fields of a GET or DELETE, as key=value items.
	query []string
}

func runRequest(opts *requestOptions) error {
	headers, err := parseHeaders(opts.Headers)
	if err != nil {
		return err
	}
	body, err := buildBody(opts, headers)
	if err != nil {
		return err
	}
	if err := checkOutputDir(opts.Output); err != nil {
		return err
	}
	conn, err := opts.Factory.Connect()
	if err != nil {
		return err
	}
	u, err := httpx.ResolveURL(conn.Settings.BaseURL, opts.Path, append(opts.Query, body.query...))
	if err != nil {
		return &UsageError{Err: err}
	}

	req, err := conn.newRequest(opts.Method, u, body.data)
	if err != nil {
		return err
	}
	if opts.ctx != nil {
		req = req.WithContext(opts.ctx)
	}
	if body.contentType != "" {
		req.Header.Set("Content-Type", body.contentType)
	}
	for name, values := range headers {
		req.Header[name] = values
	}

	switch {
	case opts.DryRun:
		// --etag adds If-None-Match, which the printed command must show too.
		etagCache(opts, conn, req)
		shown, err := dryRunRequest(req, conn)
		if err != nil {
			return err
		}
		_, err = io.WriteString(opts.IO.Out, httpx.CurlCommand(shown, body.data, body.file, conn.httpClient().Timeout))
		return err
	case opts.Paginate:
		return runPaginate(opts, conn, req)
	}
	cache := etagCache(opts, conn, req)
	resp, err := conn.doRetry(req, body.data, opts.retryPolicy())
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return writeResponse(opts, conn, resp, cache)
}

// retryPolicy returns the retry settings of the flags.
func (opts *requestOptions) retryPolicy() retryPolicy {
	return retryPolicy{retries: opts.Retry, all: opts.RetryAll, sleep: opts.sleep, random: opts.random, notes: opts.IO.ErrOut}
}

// dryRunRequest returns req with the Authorization header that the connection's scheme
// would add, for --dry-run. The header holds no secret: the credential is neither added nor
// signed, so nothing can leak and no token service is called.
func dryRunRequest(req *http.Request, conn *Connection) (*http.Request, error) {
	if err := conn.requireOAuthFor(req.URL); err != nil {
		return nil, err
	}
	shown := req.Clone(req.Context())
	scheme := "Bearer"
	if conn.OAuth != nil {
		scheme = "OAuth"
	}
	shown.Header.Set("Authorization", scheme+" "+httpx.Mask)
	return shown, nil
}

// parseHeaders checks each 'Name: value' item.
func parseHeaders(items []string) (http.Header, error) {
	h := http.Header{}
	for _, item := range items {
		name, value, ok := strings.Cut(item, ":")
		name = strings.TrimSpace(name)
		if !ok || !validHeaderName(name) {
			return nil, usageErrorf("invalid header %q: use 'Name: value'", item)
		}
		if strings.ContainsAny(item, "\r\n") {
			return nil, usageErrorf("invalid header %q: it contains a line break", item)
		}
		switch http.CanonicalHeaderKey(name) {
		case "Authorization":
			return nil, usageErrorf("-H %s is not sent: hi sets Authorization from the profile's credential; "+
				"to use another token, set HI_TOKEN", name)
		case "Host":
			return nil, usageErrorf("-H %s is not sent: the host comes from the profile's base URL", name)
		}
		h.Add(name, strings.TrimSpace(value))
	}
	return h, nil
}

// buildBody returns the body of --data, --input or the -f and -F fields, or the fields as
// query items for a GET or DELETE.
func buildBody(opts *requestOptions, headers http.Header) (requestBody, error) {
	switch {
	case opts.Data != "":
		data, err := readBody(opts, headers)
		return requestBody{data: data, contentType: "application/json", file: dataFile(opts.Data)}, err
	case opts.Input != "":
		data, err := readInput(opts.IO, opts.Input)
		file := opts.Input
		if file == "-" {
			file = ""
		}
		return requestBody{data: data, contentType: "application/json", file: file}, err
	case len(opts.Fields) == 0:
		return requestBody{}, nil
	}

	fields, err := parseFields(opts)
	if err != nil {
		return requestBody{}, err
	}
	switch {
	case opts.Method == http.MethodGet || opts.Method == http.MethodDelete:
		return requestBody{query: httpx.QueryItems(fields)}, nil
	case opts.Form:
		return requestBody{data: httpx.FormBody(fields), contentType: "application/x-www-form-urlencoded"}, nil
	}
	data, err := httpx.BuildJSON(fields)
	if err != nil {
		return requestBody{}, &UsageError{Err: err}
	}
	return requestBody{data: data, contentType: "application/json"}, nil
}

// parseFields parses the -f and -F items in the order given. Standard input can be read
// by one @- only.
func parseFields(opts *requestOptions) ([]httpx.Field, error) {
	stdinRead := false
	readFile := func(name string) ([]byte, error) {
		if name != "-" {
			return os.ReadFile(name)
		}
		if stdinRead {
			return nil, errors.New("standard input was already read by another field")
		}
		stdinRead = true
		return io.ReadAll(opts.IO.In)
	}
	fields := make([]httpx.Field, 0, len(opts.Fields))
	for _, raw := range opts.Fields {
		f, err := httpx.ParseField(raw.item, raw.typed, func(name string) ([]byte, error) {
			b, err := readFile(name)
			return b, unwrapPathError(err)
		})
		if err != nil {
			return nil, &UsageError{Err: err}
		}
		fields = append(fields, f)
	}
	return fields, nil
}

// readBody returns the --data body. A JSON body (the default content type) must be valid
// JSON unless --raw is given.
func readBody(opts *requestOptions, headers http.Header) ([]byte, error) {
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

// readInput returns the --input body: the file's bytes, or standard input for "-".
func readInput(io *iostreams.IOStreams, name string) ([]byte, error) {
	if name == "-" {
		return readAllFrom(io.In, "standard input")
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, usageErrorf("cannot read --input file %q: %v", name, unwrapPathError(err))
	}
	return b, nil
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

// dataFile returns the file named by a --data @FILE value, or "".
func dataFile(data string) string {
	if strings.HasPrefix(data, "@") && data != "@-" {
		return data[1:]
	}
	return ""
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

// validHeaderName reports whether name is an HTTP field name: one or more token characters
// (RFC 9110 section 5.6.2).
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		ok := r < 0x7f && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			strings.ContainsRune("!#$%&'*+-.^_`|~", r))
		if !ok {
			return false
		}
	}
	return true
}

// checkOutputDir fails before anything is sent when the directory of -o FILE does not exist,
// so that a POST is not carried out only to lose its response.
func checkOutputDir(output string) error {
	if output == "" || output == "-" {
		return nil
	}
	if info, err := os.Stat(output); err == nil && info.IsDir() {
		return usageErrorf("invalid --output %q: it is a directory, give a file name", output)
	}
	dir := filepath.Dir(output)
	info, err := os.Stat(dir)
	if err != nil || !info.IsDir() {
		return usageErrorf("invalid --output %q: directory %s does not exist", output, dir)
	}
	return nil
}
