package cmd

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/hi-cli/hi/internal/iostreams"
	"github.com/hi-cli/hi/internal/sandbox"
)

type sandboxOptions struct {
	IO *iostreams.IOStreams

	Addr   string
	Tenant string
}

// NewSandboxCmd builds hi sandbox.
func NewSandboxCmd(f *Factory) *cobra.Command {
	opts := &sandboxOptions{IO: f.IO}
	c := &cobra.Command{
		Use:   "sandbox",
		Short: "Run a local HealtheIntent-compatible sandbox until interrupted",
		Long: "Run a local server that behaves like a HealtheIntent tenant: bearer authentication, the Tenant\n" +
			"and Personnel APIs with demo data, paginated collections and the documented errors.\n" +
			"It prints its base URL, its demo token and the hi login line that connects to it, then logs\n" +
			"one line per request on standard error.",
		Example: "  hi sandbox\n  hi sandbox --addr 127.0.0.1:8080 --tenant demo",
		Args:    noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			return runSandbox(c.Context(), opts)
		},
	}
	c.Flags().StringVar(&opts.Addr, "addr", "127.0.0.1:0", "loopback `address:port` to listen on (port 0 picks a free one)")
	c.Flags().StringVar(&opts.Tenant, "tenant", "cernerdemo", "tenant mnemonic the sandbox serves")
	return c
}

func runSandbox(ctx context.Context, opts *sandboxOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	srv, err := sandbox.Start(opts.Addr, sandbox.Options{Tenant: opts.Tenant, Log: opts.IO.ErrOut})
	if err != nil {
		return &UsageError{Err: err}
	}
	defer srv.Close()

	fmt.Fprintf(opts.IO.Out, "sandbox: %s (tenant %s)\n", srv.URL, srv.Tenant)
	fmt.Fprintf(opts.IO.Out, "bearer token: %s\n", srv.BearerToken)
	fmt.Fprintf(opts.IO.Out, "log in with:\n  echo %s | hi login -p sandbox --base-url %s --with-token\n",
		srv.BearerToken, srv.URL)
	if f, ok := opts.IO.Out.(interface{ Sync() error }); ok {
		f.Sync()
	}
	<-ctx.Done()
	return nil
}
