package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hi-cli/hi/internal/iostreams"
)

type tokenOptions struct {
	IO      *iostreams.IOStreams
	Factory *Factory

	Header bool
}

// NewTokenCmd builds hi token. runF, when non-nil, replaces the run function, so tests can
// check flag parsing without I/O.
func NewTokenCmd(f *Factory, runF func(*tokenOptions) error) *cobra.Command {
	opts := &tokenOptions{IO: f.IO, Factory: f}
	c := &cobra.Command{
		Use:   "token",
		Short: "Print the profile's token for use in other tools",
		Long: "Print the profile's bearer token and a newline, nothing else, so it can be captured:\n" +
			"  curl -H \"Authorization: $(hi token --header)\" …\n" +
			"This is the one command that prints a secret.",
		Example: "  hi token\n  hi --sandbox token --header",
		Args:    noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runToken(opts)
		},
	}
	c.Flags().BoolVar(&opts.Header, "header", false, "print the whole Authorization header value")
	return c
}

func runToken(opts *tokenOptions) error {
	conn, err := opts.Factory.Connect()
	if err != nil {
		return err
	}
	if opts.Header {
		_, err = fmt.Fprintf(opts.IO.Out, "Bearer %s\n", conn.Token)
		return err
	}
	_, err = fmt.Fprintln(opts.IO.Out, conn.Token)
	return err
}
