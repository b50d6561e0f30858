package cmd

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/hi-cli/hi/internal/iostreams"
	"github.com/hi-cli/hi/internal/sandbox"
)

type sandboxOptions struct {
	IO *iostreams.IOStreams

	Addr      string
	Tenant    string
	TokenTTL  time.Duration
	ClockSkew time.Duration
	Records   int
	Faults    sandboxFaults
}

// NewSandboxCmd builds hi sandbox.
func NewSandboxCmd(f *Factory) *cobra.Command {
	opts := &sandboxOptions{IO: f.IO}
	c := &cobra.Command{
		Use:   "sandbox",
		Short: "Run a local HealtheIntent-compatible sandbox until interrupted",
		Long: "Run a local server that behaves like a HealtheIntent tenant: bearer and two-legged OAuth 1.0a\n" +
			"authentication with an access-token service, the Tenant and Personnel APIs with demo data, an\n" +
			"OAuth-only Data Collector API, paginated collections and the documented errors.\n" +
			"It prints its base URL, its demo bearer token, its demo OAuth consumer key and secret, and the\n" +
			"hi login lines that connect to it, then logs one line per request on standard error.\n\n" +
			"Routes under /_sandbox/ need no credential and help test scripts: GET /_sandbox/stats returns\n" +
			"the number of API and access-token requests received, POST /_sandbox/reset-stats sets them to\n" +
			"zero, POST /_sandbox/revoke-tokens revokes every access token issued so far,\n" +
			"/_sandbox/status/CODE responds with that status and the platform's error body,\n" +
			"/_sandbox/redirect?to=URL redirects to URL, and /_sandbox/bytes?size=N returns N bytes.",
		Example: "  hi sandbox\n  hi sandbox --addr 127.0.0.1:8080 --tenant demo\n  hi sandbox --token-ttl 1m --clock-skew 10m",
		Args:    noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if opts.Records < 1 || opts.Records > sandbox.MaxRecords {
				return usageErrorf("invalid --records %d: use 1 to %d", opts.Records, sandbox.MaxRecords)
			}
			return runSandbox(c.Context(), opts)
		},
	}
	c.Flags().StringVar(&opts.Addr, "addr", "127.0.0.1:0", "loopback `address:port` to listen on (port 0 picks a free one)")
	c.Flags().StringVar(&opts.Tenant, "tenant", "cernerdemo", "tenant mnemonic the sandbox serves")
	c.Flags().DurationVar(&opts.TokenTTL, "token-ttl", time.Hour, "`duration` for which the OAuth access tokens the sandbox issues stay valid, at least 1s")
	c.Flags().DurationVar(&opts.ClockSkew, "clock-skew", 0, "`duration` added to the sandbox's clock, to test OAuth timestamp checks")
	c.Flags().IntVar(&opts.Records, "records", sandbox.DefaultRecords, fmt.Sprintf("serve `N` demo personnel records, 1 to %d", sandbox.MaxRecords))
	addFaultFlags(c.Flags(), &opts.Faults)
	return c
}

func runSandbox(ctx context.Context, opts *sandboxOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	srv, err := sandbox.Start(opts.Addr, sandbox.Options{
		Tenant:    opts.Tenant,
		Log:       opts.IO.ErrOut,
		TokenTTL:  opts.TokenTTL,
		ClockSkew: opts.ClockSkew,
		Latency:   opts.Faults.Latency,
		FailRate:  opts.Faults.FailRate,
		Throttle:  opts.Faults.Throttle,
		DropRate:  opts.Faults.DropRate,
		Seed:      opts.Faults.Seed,
		Records:   opts.Records,
	})
	if err != nil {
		return &UsageError{Err: err}
	}
	defer srv.Close()

	fmt.Fprintf(opts.IO.Out, "sandbox: %s (tenant %s)\n", srv.URL, srv.Tenant)
	fmt.Fprintf(opts.IO.Out, "bearer token: %s\n", srv.BearerToken)
	fmt.Fprintf(opts.IO.Out, "consumer key: %s\n", srv.ConsumerKey)
	fmt.Fprintf(opts.IO.Out, "consumer secret: %s\n", srv.ConsumerSecret)
	fmt.Fprintf(opts.IO.Out, "access token URL: %s\n", srv.TokenURL)
	fmt.Fprintf(opts.IO.Out, "log in with:\n  echo %s | hi login -p sandbox --base-url %s --with-token\n",
		srv.BearerToken, srv.URL)
	fmt.Fprintf(opts.IO.Out, "  echo %s | hi login -p sandbox-oauth --base-url %s --oauth --consumer-key %s "+
		"--access-token-url %s --with-token\n", srv.ConsumerSecret, srv.URL, srv.ConsumerKey, srv.TokenURL)
	if line := opts.Faults.describe(); line != "" {
		fmt.Fprintf(opts.IO.Out, "faults: %s\n", line)
	}
	if f, ok := opts.IO.Out.(interface{ Sync() error }); ok {
		f.Sync()
	}
	<-ctx.Done()
	return nil
}
