package cmd

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hi-cli/hi/internal/httpx"
	"github.com/hi-cli/hi/internal/iostreams"
)

// requestMethods are the HTTP methods that have a command of their own.
var requestMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// defaultMaxPages bounds a --paginate walk unless --max-pages sets another bound: 1,000,000
// items at the platform's maximum limit of 100 per page.
const defaultMaxPages = 10000

// maxParallel bounds --parallel, so that one invocation never opens more connections to a
// tenant than a small pool would.
const maxParallel = 16

type requestOptions struct {
	IO      *iostreams.IOStreams
	Factory *Factory
	// ctx is cancelled when the user interrupts hi, which stops the request, a retry wait
	// or a --paginate walk.
	ctx context.Context
	// sleep waits between retries and random draws the backoff jitter; tests replace both.
	sleep  func(ctx context.Context, d time.Duration) error
	random func() float64

	Method   string
	Path     string
	Query    []string
	Headers  []string
	Data     string
	Input    string
	Raw      bool
	Fields   []rawField
	Form     bool
	Include  bool
	Silent   bool
	Output   string
	Download bool
	JQ       string
	Paginate bool
	NDJSON   bool
	Parallel int
	MaxPages int
	ETag     bool
	DryRun   bool
	Retry    int
	RetryAll bool
	Timeout  string
	CACert   string

	jq *httpx.JQ
}

// rawField is one -f or -F item as given.
type rawField struct {
	item  string
	typed bool
}

// fieldFlag collects -f and -F items into one list, so that their order is kept across
// both flags.
type fieldFlag struct {
	fields *[]rawField
	typed  bool
}

func (f *fieldFlag) String() string { return "" }
func (f *fieldFlag) Type() string   { return "key=value" }
func (f *fieldFlag) Set(item string) error {
	*f.fields = append(*f.fields, rawField{item: item, typed: f.typed})
	return nil
}

// NewRequestCmd builds hi get, post, put, patch or delete. runF, when non-nil, replaces the
// run function, so tests can check flag parsing without I/O.
func NewRequestCmd(f *Factory, method string, runF func(*requestOptions) error) *cobra.Command {
	opts := &requestOptions{IO: f.IO, Factory: f, Method: method, sleep: sleepContext}
	name := strings.ToLower(method)
	c := &cobra.Command{
		Use:     name + " PATH",
		Short:   fmt.Sprintf("Send a %s request to a path of the tenant's API", method),
		Long:    requestLong(method),
		Example: requestExample(method),
		Args:    exactArgs(1, "one PATH"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Path = args[0]
			opts.ctx = c.Context()
			if err := checkRequestFlags(c.Flags(), opts); err != nil {
				return err
			}
			f.Viper.BindPFlag("timeout", c.Flags().Lookup("timeout"))
			f.Viper.BindPFlag("cacert", c.Flags().Lookup("cacert"))
			if runF != nil {
				return runF(opts)
			}
			return runRequest(opts)
		},
	}
	addRequestFlags(c.Flags(), opts)
	return c
}

func addRequestFlags(flags *pflag.FlagSet, opts *requestOptions) {
	method := opts.Method
	flags.StringArrayVarP(&opts.Query, "query", "q", nil, "add a query parameter `key=value` (repeatable)")
	flags.StringArrayVarP(&opts.Headers, "header", "H", nil, "add a request header `'Name: value'` (repeatable)")
	flags.VarP(&fieldFlag{fields: &opts.Fields}, "raw-field", "f", "add a string field `key=value`: a JSON body member, or a query parameter for GET and DELETE (repeatable)")
	flags.VarP(&fieldFlag{fields: &opts.Fields, typed: true}, "field", "F", "add a typed field `key=value`: numbers, true, false, null and @FILE are converted; key[]=v appends, a[b]=v nests (repeatable)")
	flags.StringVarP(&opts.Data, "data", "d", "", "request body: a literal, @FILE, or @- for standard input (JSON unless -H sets another Content-Type)")
	flags.StringVar(&opts.Input, "input", "", "send the contents of `FILE` (- for standard input) as the body, as is")
	flags.BoolVar(&opts.Raw, "raw", false, "send --data as is, without checking that it is valid JSON")
	if method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch {
		flags.BoolVar(&opts.Form, "form", false, "send the -f and -F fields as an application/x-www-form-urlencoded body")
	}

	flags.BoolVarP(&opts.Include, "include", "i", false, "print the status line and response headers before the body")
	flags.BoolVar(&opts.Silent, "silent", false, "print no response body")
	flags.StringVarP(&opts.Output, "output", "o", "", "write the body to `FILE` byte for byte instead of standard output (- for standard output)")
	flags.BoolVar(&opts.Download, "download", false, "save the body in the current directory under the name the server gives, never replacing a file")
	flags.StringVar(&opts.JQ, "jq", "", "print the result of the jq `expression` on the JSON response; strings print without quotes")
	if method == http.MethodGet {
		flags.BoolVar(&opts.Paginate, "paginate", false, "follow nextLink to the last page and print all items as one collection")
		flags.BoolVar(&opts.NDJSON, "ndjson", false, "with --paginate, print one item per line instead of one document")
		flags.IntVar(&opts.Parallel, "parallel", 1, "with --paginate, fetch up to `N` pages at a time when the collection pages by offset")
		flags.IntVar(&opts.MaxPages, "max-pages", defaultMaxPages, "with --paginate, fetch at most `N` pages")
		flags.BoolVar(&opts.ETag, "etag", false, "send If-None-Match with the stored ETag, print the stored body on 304 Not Modified, store the new one on 200")
	}

	flags.BoolVar(&opts.DryRun, "dry-run", false, "print the request as a curl command, credential masked, and send nothing")
	flags.IntVar(&opts.Retry, "retry", 0, fmt.Sprintf("retry up to `N` times (at most %d) after a connection error, 429, 502, 503 or 504", httpx.MaxRetries))
	flags.BoolVar(&opts.RetryAll, "retry-all", false, "with --retry, retry every method, not only GET, HEAD, PUT, DELETE and OPTIONS")
	flags.StringVar(&opts.Timeout, "timeout", "", "give up on a request after `DURATION`, such as 30s or 2m (default: the profile's, else 30s; env HI_TIMEOUT)")
	flags.StringVar(&opts.CACert, "cacert", "", "also trust the CA certificates in PEM `FILE` (env HI_CA_BUNDLE)")
}

// checkRequestFlags rejects invalid values and combinations before anything is read or sent.
func checkRequestFlags(flags *pflag.FlagSet, opts *requestOptions) error {
	if flags.Changed("data") && opts.Data == "" {
		return usageErrorf("empty --data: give a body, @FILE or @- for standard input")
	}
	if flags.Changed("input") && opts.Input == "" {
		return usageErrorf("empty --input: give a FILE, or - for standard input")
	}
	for _, pair := range [][2]string{
		{"data", "input"}, {"data", "raw-field"}, {"data", "field"}, {"input", "raw-field"}, {"input", "field"},
		{"form", "data"}, {"form", "input"},
		{"silent", "output"}, {"silent", "download"}, {"silent", "jq"}, {"output", "download"}, {"jq", "output"},
		{"jq", "download"}, {"paginate", "include"}, {"paginate", "download"}, {"paginate", "etag"},
		{"ndjson", "jq"},
	} {
		if flags.Changed(pair[0]) && flags.Changed(pair[1]) {
			return usageErrorf("use either %s or %s, not both", flagName(flags, pair[0]), flagName(flags, pair[1]))
		}
	}
	for _, name := range []string{"ndjson", "parallel", "max-pages"} {
		if flags.Changed(name) && !opts.Paginate {
			return usageErrorf("--%s works with --paginate only", name)
		}
	}
	if opts.Form && len(opts.Fields) == 0 {
		return usageErrorf("--form sends the -f and -F fields: add at least one")
	}
	if flags.Changed("retry-all") && opts.Retry == 0 {
		return usageErrorf("--retry-all works with --retry N only")
	}
	return checkRequestNumbers(opts)
}

// checkRequestNumbers checks the numeric and parsed flag values.
func checkRequestNumbers(opts *requestOptions) error {
	if opts.Retry < 0 || opts.Retry > httpx.MaxRetries {
		return usageErrorf("invalid --retry %d: use 0 to %d", opts.Retry, httpx.MaxRetries)
	}
	if opts.Paginate && (opts.Parallel < 1 || opts.Parallel > maxParallel) {
		return usageErrorf("invalid --parallel %d: use 1 to %d", opts.Parallel, maxParallel)
	}
	if opts.Paginate && opts.MaxPages < 1 {
		return usageErrorf("invalid --max-pages %d: use 1 or more", opts.MaxPages)
	}
	if opts.Timeout != "" {
		if d, err := time.ParseDuration(opts.Timeout); err != nil || d <= 0 {
			return usageErrorf("invalid --timeout %q: use a positive duration such as 30s or 2m", opts.Timeout)
		}
	}
	if opts.CACert != "" {
		if _, err := httpx.LoadRootCAs(opts.CACert); err != nil {
			return usageErrorf("invalid --cacert %s: %v", opts.CACert, unwrapPathError(err))
		}
	}
	if opts.JQ != "" {
		jq, err := httpx.CompileJQ(opts.JQ)
		if err != nil {
			return usageErrorf("invalid --jq expression %q: %v", opts.JQ, err)
		}
		opts.jq = jq
	}
	return nil
}

// flagName returns the name of a flag as a user types it, with its shorthand: "-d/--data".
func flagName(flags *pflag.FlagSet, name string) string {
	if f := flags.Lookup(name); f != nil && f.Shorthand != "" {
		return "-" + f.Shorthand + "/--" + name
	}
	return "--" + name
}

func requestLong(method string) string {
	return fmt.Sprintf("Send a %s request to PATH, relative to the profile's base URL (query string allowed).\n"+
		"A full URL is accepted only on the profile's own host.\n\n"+
		"The response body goes to standard output: pretty-printed JSON on a terminal, the exact bytes\n"+
		"when piped. On a terminal, control characters from the server are shown escaped (\\x1b, or\n"+
		"\\u001b inside JSON). An error status prints a summary on standard error and sets the exit code:\n"+
		"4 for 4xx, 5 for 5xx, 3 for an unfollowed redirect.\n\n"+
		"-f and -F build a JSON body for POST, PUT and PATCH (or a form with --form) and query\n"+
		"parameters for GET and DELETE. --retry sends a request again after a connection error,\n"+
		"429, 502, 503 or 504, waiting as Retry-After asks or with exponential backoff.", method)
}

func requestExample(method string) string {
	switch method {
	case http.MethodGet:
		return "  hi get /personnel/v1/personnel -q limit=5\n" +
			"  hi get /personnel/v1/personnel --paginate --jq '.items[].name.formatted'\n" +
			"  hi --sandbox get /tenant/v1/tenant"
	case http.MethodPost:
		return "  hi post /personnel/v1/personnel -d @person.json\n" +
			"  hi post /personnel/v1/personnel -f name[family]=Doe -F name[given][]=Jane -f gender=FEMALE\n" +
			"  hi --sandbox post /personnel/v1/personnel -d '{\"name\":{\"family\":\"Doe\",\"given\":[\"Jane\"]}}'"
	case http.MethodDelete:
		return "  hi delete /personnel/v1/personnel/ID"
	}
	return fmt.Sprintf("  hi %s /personnel/v1/personnel/ID -d @person.json", strings.ToLower(method))
}

// sleepContext waits for d or until ctx ends.
func sleepContext(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// unwrapPathError drops the operation and path of a file error, which the message around
// it already names.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
