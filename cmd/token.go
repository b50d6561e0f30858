package cmd

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hi-cli/hi/internal/auth"
	"github.com/hi-cli/hi/internal/httpx"
	"github.com/hi-cli/hi/internal/iostreams"
)

type tokenOptions struct {
	IO      *iostreams.IOStreams
	Factory *Factory

	Header bool
	Method string
	URL    string
}

// NewTokenCmd builds hi token. runF, when non-nil, replaces the run function, so tests can
// check flag parsing without I/O.
func NewTokenCmd(f *Factory, runF func(*tokenOptions) error) *cobra.Command {
	opts := &tokenOptions{IO: f.IO, Factory: f}
	c := &cobra.Command{
		Use:   "token",
		Short: "Print the profile's token for use in other tools",
		Long: "Print the profile's token and a newline, nothing else, so it can be captured: the bearer token,\n" +
			"or for OAuth the access token (fetched or taken from the cache).\n\n" +
			"--header prints a whole Authorization value instead. For bearer and OAuth PLAINTEXT one value\n" +
			"serves every request:\n" +
			"  curl -H \"Authorization: $(hi token --header)\" …\n" +
			"OAuth HMAC-SHA1 signs each request, so it needs --method and --url.\n" +
			"This is the one command that prints a secret.",
		Example: "  hi token\n  hi --sandbox token --header\n" +
			"  hi --sandbox --auth oauth1 token --header\n" +
			"  hi token --header --method GET --url /personnel/v1/personnel",
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if (opts.Method != "" || opts.URL != "") && !opts.Header {
				return usageErrorf("--method and --url need --header")
			}
			if runF != nil {
				return runF(opts)
			}
			return runToken(opts)
		},
	}
	c.Flags().BoolVar(&opts.Header, "header", false, "print the whole Authorization header value")
	c.Flags().StringVar(&opts.Method, "method", "", "HTTP method of the request to sign (OAuth HMAC-SHA1)")
	c.Flags().StringVar(&opts.URL, "url", "", "path or URL of the request to sign (OAuth HMAC-SHA1)")
	return c
}

func runToken(opts *tokenOptions) error {
	conn, err := opts.Factory.Connect()
	if err != nil {
		return err
	}
	value, err := tokenValue(opts, conn)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(opts.IO.Out, value)
	return err
}

func tokenValue(opts *tokenOptions, conn *Connection) (string, error) {
	var target *url.URL
	if opts.URL != "" {
		u, err := httpx.ResolveURL(conn.Settings.BaseURL, opts.URL, nil)
		if err != nil {
			return "", &UsageError{Err: err}
		}
		if err := conn.requireOAuthFor(u); err != nil {
			return "", err
		}
		target = u
	}
	if conn.OAuth == nil {
		if opts.Header {
			return "Bearer " + conn.Token, nil
		}
		return conn.Token, nil
	}
	signer, err := conn.oauthSigner(context.Background())
	if err != nil {
		return "", err
	}
	if !opts.Header {
		return signer.Token.Token, nil
	}
	if signer.Consumer.Method != auth.HMACSHA1 {
		return signer.PlainTextHeaderValue()
	}
	if opts.Method == "" || target == nil {
		return "", usageErrorf("HMAC-SHA1 signs each request: give --method and --url with --header")
	}
	return signer.HeaderValue(strings.ToUpper(opts.Method), target, nil)
}
