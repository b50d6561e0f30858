package cmd

import (
	"fmt"

	"github.com/spf13/cobra"
)

// NewVersionCmd builds hi version.
func NewVersionCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print hi's version, commit and Go version",
		Example: "  hi version",
		Args:    noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			_, err := fmt.Fprint(f.IO.Out, versionText(f.Build))
			return err
		},
	}
}
