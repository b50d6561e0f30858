package cmd

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hi-cli/hi/internal/auth"
	"github.com/hi-cli/hi/internal/config"
	"github.com/hi-cli/hi/internal/iostreams"
)

type loginOptions struct {
	IO      *iostreams.IOStreams
	Factory *Factory

	Profile         string
	Tenant          string
	Region          string
	BaseURL         string
	WithToken       bool
	InsecureStorage bool
	SkipVerify      bool
}

// NewLoginCmd builds hi login. runF, when non-nil, replaces the run function, so tests can
// check flag parsing without I/O.
func NewLoginCmd(f *Factory, runF func(*loginOptions) error) *cobra.Command {
	opts := &loginOptions{IO: f.IO, Factory: f}
	c := &cobra.Command{
		Use:   "login",
		Short: "Create or update a profile and store its bearer token",
		Long: "Create or update a profile and store its bearer token in the OS keyring.\n\n" +
			"The token is read from a hidden prompt on a terminal, or from standard input with --with-token;\n" +
			"it is never taken from a flag value. The token is checked against the tenant before it is\n" +
			"stored, and a failed login keeps the previous credential. The first profile becomes the current one.",
		Example: "  hi login --tenant cernerdemo\n" +
			"  hi login -p cert --tenant cernerdemo --region us-1\n" +
			"  echo \"$TOKEN\" | hi login -p local --base-url http://127.0.0.1:8080 --with-token",
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Profile = profileFlag(f, "default")
			if opts.Tenant != "" && opts.BaseURL != "" {
				return usageErrorf("use either --tenant or --base-url, not both")
			}
			if c.Flags().Changed("region") && opts.Tenant == "" {
				return usageErrorf("--region needs --tenant")
			}
			if f.Sandbox {
				return usageErrorf("--sandbox uses its own demo credentials: run hi login without --sandbox")
			}
			if runF != nil {
				return runF(opts)
			}
			return runLogin(opts)
		},
	}
	c.Flags().StringVar(&opts.Tenant, "tenant", "", "tenant mnemonic, as in https://TENANT.api.REGION.healtheintent.com")
	c.Flags().StringVar(&opts.Region, "region", config.DefaultRegion, "region of the tenant's host")
	c.Flags().StringVar(&opts.BaseURL, "base-url", "", "full base URL, in place of --tenant and --region")
	c.Flags().BoolVar(&opts.WithToken, "with-token", false, "read the token from standard input")
	c.Flags().BoolVar(&opts.InsecureStorage, "insecure-storage", false,
		"keep the token in a 0600 file beside the config instead of the OS keyring")
	c.Flags().BoolVar(&opts.SkipVerify, "skip-verify", false, "store the token without checking it against the tenant")
	return c
}

func runLogin(opts *loginOptions) error {
	f := opts.Factory
	if err := config.ValidateProfileName(opts.Profile); err != nil {
		return &UsageError{Err: err}
	}
	cfg, cfgPath, err := f.LoadConfig()
	if err != nil {
		return err
	}
	profile, err := loginProfile(opts, cfg)
	if err != nil {
		return err
	}
	base, err := profileBaseURL(profile)
	if err != nil {
		return &UsageError{Err: err}
	}

	token, err := readSecret(opts.IO, opts.WithToken, "Paste the bearer token: ")
	if err != nil {
		return err
	}
	if !opts.SkipVerify {
		if err := verifyToken(base, token); err != nil {
			return err
		}
	}

	store, err := f.Store(profile.Storage)
	if err != nil {
		return err
	}
	if err := store.Set(profile.Name, auth.KindBearer, token); err != nil {
		return fmt.Errorf("store the token for profile %q: %w", profile.Name, err)
	}
	if err := config.Update(cfgPath, func(file *config.File) error {
		file.Put(*profile)
		return nil
	}); err != nil {
		return err
	}

	if opts.InsecureStorage {
		fmt.Fprintf(opts.IO.ErrOut, "warning: the token is stored unencrypted in %s (mode 0600)\n",
			filepath.Join(filepath.Dir(cfgPath), "credentials.yaml"))
	}
	if opts.IO.IsStderrTTY() {
		fmt.Fprintf(opts.IO.ErrOut, "Logged in to %s as profile %q; the token is in the %s.\n", base.Host, profile.Name, store.Name())
	}
	return nil
}

// loginProfile returns the profile to save: the existing one updated from the flags, or a
// new one, which needs --tenant or --base-url.
func loginProfile(opts *loginOptions, cfg *config.File) (*config.Profile, error) {
	p := &config.Profile{Name: opts.Profile, Auth: config.DefaultAuth}
	if old, ok := cfg.Profile(opts.Profile); ok {
		*p = *old
	} else if opts.Tenant == "" && opts.BaseURL == "" {
		return nil, usageErrorf("missing tenant: profile %q is new, so give --tenant TENANT or --base-url URL", opts.Profile)
	}
	switch {
	case opts.Tenant != "":
		p.Tenant, p.Region, p.BaseURL = strings.ToLower(opts.Tenant), opts.Region, ""
	case opts.BaseURL != "":
		p.Tenant, p.Region, p.BaseURL = "", "", opts.BaseURL
	}
	p.Storage = config.StorageKeyring
	if opts.InsecureStorage {
		p.Storage = config.StorageFile
	}
	return p, nil
}

func profileBaseURL(p *config.Profile) (*url.URL, error) {
	if p.BaseURL != "" {
		return config.ParseBaseURL(p.BaseURL)
	}
	if err := config.ValidateTenant(p.Tenant); err != nil {
		return nil, err
	}
	if err := config.ValidateRegion(p.Region); err != nil {
		return nil, err
	}
	return config.ParseBaseURL(config.TenantURL(p.Tenant, p.Region))
}

// readSecret reads a secret from a hidden prompt on a terminal, or from standard input with
// --with-token. Without a terminal and without --with-token it fails rather than wait.
func readSecret(io *iostreams.IOStreams, fromStdin bool, prompt string) (string, error) {
	if !fromStdin && !io.IsStdinTTY() {
		return "", usageErrorf("no terminal to prompt on: pipe the secret to standard input and add --with-token")
	}
	secret, err := io.ReadSecret(prompt)
	if err != nil {
		return "", fmt.Errorf("read the secret: %w", err)
	}
	if secret == "" {
		return "", usageErrorf("empty secret: nothing was read from standard input, so nothing was changed")
	}
	return secret, nil
}

// verifyToken calls the tenant endpoint with the new token so that a wrong token is caught
// before it replaces the stored one.
func verifyToken(base *url.URL, token string) error {
	settings := &config.Settings{BaseURL: base, Auth: config.DefaultAuth, Timeout: config.DefaultTimeout}
	_, resp, err := fetchTenant(&Connection{Settings: settings, Token: token})
	if err != nil {
		return fmt.Errorf("%w (add --skip-verify to store the token without checking it)", err)
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return errors.New("the token was rejected by " + settings.BaseURL.Host + " (HTTP 401); the previous credential is kept")
	case resp.StatusCode >= 300:
		return fmt.Errorf("checking the token against %s failed with HTTP %d; the previous credential is kept "+
			"(add --skip-verify to store it anyway)", settings.BaseURL.Host, resp.StatusCode)
	}
	return nil
}

// profileFlag returns -p / HI_PROFILE, or fallback.
func profileFlag(f *Factory, fallback string) string {
	if name := f.Viper.GetString("profile"); name != "" {
		return name
	}
	return fallback
}
