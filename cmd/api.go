package cmd

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/hi-cli/hi/internal/catalog"
	"github.com/hi-cli/hi/internal/iostreams"
)

type apiListOptions struct {
	IO *iostreams.IOStreams

	JSON bool
}

type apiShowOptions struct {
	IO *iostreams.IOStreams

	Name string
	JSON bool
}

// NewAPICmd builds hi api and its subcommands. listF and showF, when non-nil, replace the
// run functions, so tests can check flag parsing without I/O.
func NewAPICmd(f *Factory, listF func(*apiListOptions) error, showF func(*apiShowOptions) error) *cobra.Command {
	c := &cobra.Command{
		Use:   "api <command>",
		Short: "List the HealtheIntent APIs and show their endpoints",
		Long: "List the HealtheIntent APIs that hi's built-in catalog describes, and show the endpoints,\n" +
			"path templates and accepted authentication schemes of one of them. The catalog is compiled\n" +
			"into hi, so these commands need no profile, credential or network.",
		Example: "  hi api list\n  hi api show personnel",
		Args:    noArgs,
	}
	c.AddCommand(newAPIListCmd(f, listF), newAPIShowCmd(f, showF))
	return c
}

func newAPIListCmd(f *Factory, runF func(*apiListOptions) error) *cobra.Command {
	opts := &apiListOptions{IO: f.IO}
	c := &cobra.Command{
		Use:   "list",
		Short: "List the HealtheIntent APIs in hi's catalog",
		Long: "List the HealtheIntent APIs in hi's catalog, one line per API: name, version, base path and\n" +
			"summary. When standard output is not a terminal, or with --json, print a JSON array of the\n" +
			"APIs with their endpoints instead.",
		Example: "  hi api list\n  hi api list --json",
		Args:    noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runAPIList(opts)
		},
	}
	c.Flags().BoolVar(&opts.JSON, "json", false, "print a JSON array even on a terminal")
	return c
}

func newAPIShowCmd(f *Factory, runF func(*apiShowOptions) error) *cobra.Command {
	opts := &apiShowOptions{IO: f.IO}
	c := &cobra.Command{
		Use:   "show NAME",
		Short: "Show an API's endpoints, path templates and authentication schemes",
		Long: "Show one API of hi's catalog: its base path, host, notes, the authentication schemes it\n" +
			"accepts, and each endpoint's method, path template and summary. NAME is the API's key from\n" +
			"hi api list --json (usually the first segment of its base path) or its name, in any case.",
		Example:           "  hi api show personnel\n  hi api show \"Data Syndication\" --json",
		Args:              exactArgs(1, "one NAME"),
		ValidArgsFunction: completeAPIKeys,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Name = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runAPIShow(opts)
		},
	}
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the API and its endpoints as a JSON object")
	return c
}

func runAPIList(opts *apiListOptions) error {
	apis := catalog.All()
	if opts.JSON || !opts.IO.IsStdoutTTY() {
		return writeJSON(opts.IO.Out, apis)
	}
	w := tabwriter.NewWriter(opts.IO.Out, 0, 4, 2, ' ', 0)
	for _, a := range apis {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", a.Name, orDefault(a.Version, "-"), a.BasePath, a.Summary)
	}
	return w.Flush()
}

func runAPIShow(opts *apiShowOptions) error {
	a, ok := catalog.Find(opts.Name)
	if !ok {
		return apiNotFoundError(opts.Name)
	}
	if opts.JSON {
		return writeJSON(opts.IO.Out, a)
	}
	return writeAPI(opts.IO.Out, a)
}

// apiNotFoundError returns the usage error for a name that no API has, listing the close matches.
func apiNotFoundError(name string) error {
	suggestions := catalog.Closest(name, 3)
	if len(suggestions) == 0 {
		return usageErrorf("API %q not found in the catalog: run hi api list to see them", name)
	}
	return usageErrorf("API %q not found: did you mean %s?", name, strings.Join(suggestions, ", "))
}

func writeAPI(out io.Writer, a *catalog.API) error {
	w := tabwriter.NewWriter(out, 0, 4, 1, ' ', 0)
	row := func(key, value string) {
		if value != "" {
			fmt.Fprintf(w, "%s:\t%s\n", key, value)
		}
	}
	row("name", a.Name)
	row("key", a.Key)
	row("version", a.Version)
	row("base path", a.BasePath)
	row("host", a.Host)
	row("deprecated alias", a.DeprecatedAlias)
	row("auth", apiAuth(a))
	row("source", a.Source)
	row("docs page", a.DocsPage)
	row("notes", a.Notes)
	if err := w.Flush(); err != nil {
		return err
	}

	fmt.Fprintln(out)
	if len(a.Endpoints) == 0 {
		_, err := fmt.Fprintln(out, "No endpoints are known for this API.")
		return err
	}
	w = tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "METHOD\tPATH\tAUTH\tSUMMARY")
	for _, e := range a.Endpoints {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s%s\n", e.Method, e.Path, strings.Join(e.Auth, ","), e.Summary, endpointRemarks(e))
	}
	return w.Flush()
}

// apiAuth describes the schemes an API accepts.
func apiAuth(a *catalog.API) string {
	if a.OAuthOnly() {
		return "Cerner OAuth 1.0a only (oauth1); bearer tokens are rejected"
	}
	auth := "bearer token or Cerner OAuth 1.0a (bearer, oauth1)"
	if a.BearerInferred {
		auth += "; bearer support is assumed, not documented"
	}
	return auth
}

// endpointRemarks returns the bracketed remarks after an endpoint's summary.
func endpointRemarks(e catalog.Endpoint) string {
	var remarks []string
	if e.Pages {
		remarks = append(remarks, "paginated")
	}
	if e.Inferred {
		remarks = append(remarks, "path not confirmed")
	}
	if len(remarks) == 0 {
		return ""
	}
	return " [" + strings.Join(remarks, ", ") + "]"
}

// writeJSON writes v as indented JSON followed by a newline.
func writeJSON(out io.Writer, v any) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// completeAPIKeys offers the catalog's API keys that start with what was typed.
func completeAPIKeys(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var keys []cobra.Completion
	for _, a := range catalog.All() {
		if strings.HasPrefix(a.Key, strings.ToLower(toComplete)) {
			keys = append(keys, cobra.CompletionWithDesc(a.Key, a.Name))
		}
	}
	return keys, cobra.ShellCompDirectiveNoFileComp
}
