package cmd

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/hi-cli/hi/internal/iostreams"
	"github.com/hi-cli/hi/internal/termtext"
)

type whoamiOptions struct {
	IO      *iostreams.IOStreams
	Factory *Factory
}

// NewWhoamiCmd builds hi whoami.
func NewWhoamiCmd(f *Factory) *cobra.Command {
	opts := &whoamiOptions{IO: f.IO, Factory: f}
	return &cobra.Command{
		Use:   "whoami",
		Short: "Show the profile, tenant and credential in use, and check the credential",
		Long: "Show the profile, tenant, base URL, auth method and where the credential came from, then\n" +
			"call GET /tenant/v1/tenant to show the tenant's name and check that the credential is accepted.",
		Example: "  hi whoami\n  hi --sandbox whoami",
		Args:    noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			return runWhoami(opts)
		},
	}
}

func runWhoami(opts *whoamiOptions) error {
	conn, err := opts.Factory.Connect()
	if err != nil {
		return err
	}
	tenant, resp, err := fetchTenant(conn)
	if err != nil {
		return err
	}
	writeWhoami(opts.IO.Out, conn, tenant)
	if tenant == nil {
		printStatusSummary(opts.IO.ErrOut, resp, conn)
		return &StatusError{StatusCode: resp.StatusCode}
	}
	return nil
}

func writeWhoami(out io.Writer, conn *Connection, tenant *tenantInfo) {
	s := conn.Settings
	w := tabwriter.NewWriter(out, 0, 4, 1, ' ', 0)
	fmt.Fprintf(w, "profile:\t%s\n", s.Profile)
	if s.Tenant != "" {
		fmt.Fprintf(w, "tenant:\t%s\n", s.Tenant)
	}
	fmt.Fprintf(w, "base URL:\t%s\n", s.BaseURL)
	if o := conn.OAuth; o != nil {
		fmt.Fprintf(w, "auth:\t%s (%s)\n", authOAuth1, o.consumer.Method)
		fmt.Fprintf(w, "consumer key:\t%s\n", o.consumer.Key)
		fmt.Fprintf(w, "credential:\t%s\n", o.secretSource)
		fmt.Fprintf(w, "access token URL:\t%s\n", o.tokenURL)
		if !o.token.ExpiresAt.IsZero() {
			fmt.Fprintf(w, "access token expires:\t%s\n", o.token.ExpiresAt.UTC().Format(time.RFC3339))
		}
	} else {
		fmt.Fprintf(w, "auth:\t%s\n", authBearer)
		fmt.Fprintf(w, "credential:\t%s\n", conn.TokenSource)
	}
	if tenant != nil {
		fmt.Fprintf(w, "tenant name:\t%s\n", termtext.Line(tenant.Name))
		fmt.Fprintf(w, "tenant mnemonic:\t%s\n", termtext.Line(tenant.Mnemonic))
	}
	w.Flush()
}
