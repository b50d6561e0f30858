package cmd

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hi-cli/hi/internal/atomicfile"
	"github.com/hi-cli/hi/internal/auth"
	"github.com/hi-cli/hi/internal/config"
	"github.com/hi-cli/hi/internal/iostreams"
)

type loginOptions struct {
	IO      *iostreams.IOStreams
	Factory *Factory
	// ctx is cancelled when the user interrupts hi, which abandons an open secret prompt.
	ctx context.Context

	Profile         string
	Tenant          string
	Region          string
	BaseURL         string
	WithToken       bool
	InsecureStorage bool
	SkipVerify      bool

	OAuth           bool
	ConsumerKey     string
	AccessTokenURL  string
	SignatureMethod string

	// unchanged ends the message of a failed credential check with what stays in place: the
	// previous credential of an existing profile, or nothing for a new one.
	unchanged string
}

// NewLoginCmd builds hi login. runF, when non-nil, replaces the run function, so tests can
// check flag parsing without I/O.
func NewLoginCmd(f *Factory, runF func(*loginOptions) error) *cobra.Command {
	opts := &loginOptions{IO: f.IO, Factory: f}
	var bearer bool
	c := &cobra.Command{
		Use:   "login",
		Short: "Create or update a profile and store its credential",
		Long: "Create or update a profile and store its credential in the OS keyring: a bearer token, or with\n" +
			"--oauth a Cerner OAuth 1.0a consumer key and secret.\n\n" +
			"The secret is read from a hidden prompt on a terminal, or from standard input with --with-token;\n" +
			"it is never taken from a flag value. It is checked before it is stored (a bearer token against\n" +
			"the tenant, a consumer secret against the access-token service), and a failed login keeps the\n" +
			"previous credential. The first profile becomes the current one. A profile can hold both kinds;\n" +
			"the last login picks the default, and --auth picks per call.",
		Example: "  hi login --tenant cernerdemo\n" +
			"  hi login -p cert --tenant cernerdemo --region us-1\n" +
			"  echo \"$TOKEN\" | hi login -p local --base-url http://127.0.0.1:8080 --with-token\n" +
			"  hi login -p ingest --tenant cernerdemo --oauth --consumer-key KEY --signature-method HMAC-SHA1",
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			opts.ctx = c.Context()
			opts.Profile = profileFlag(f, "default")
			if opts.Tenant != "" && opts.BaseURL != "" {
				return usageErrorf("use either --tenant or --base-url, not both")
			}
			if bearer && opts.OAuth {
				return usageErrorf("use either --bearer or --oauth, not both")
			}
			if !opts.OAuth && (opts.ConsumerKey != "" || c.Flags().Changed("access-token-url") || c.Flags().Changed("signature-method")) {
				return usageErrorf("--consumer-key, --access-token-url and --signature-method need --oauth")
			}
			if !c.Flags().Changed("access-token-url") {
				opts.AccessTokenURL = ""
			}
			if !c.Flags().Changed("signature-method") {
				opts.SignatureMethod = ""
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
	c.Flags().BoolVar(&opts.WithToken, "with-token", false, "read the token or consumer secret from standard input")
	c.Flags().BoolVar(&opts.InsecureStorage, "insecure-storage", false,
		"keep the token in a 0600 file beside the config instead of the OS keyring")
	c.Flags().BoolVar(&opts.SkipVerify, "skip-verify", false,
		"store the secret without the check call to the tenant (TLS certificates are still verified on every later request)")
	c.Flags().BoolVar(&bearer, "bearer", false, "store a bearer token (the default)")
	c.Flags().BoolVar(&opts.OAuth, "oauth", false, "store a Cerner OAuth 1.0a consumer key and secret")
	c.Flags().StringVar(&opts.ConsumerKey, "consumer-key", "", "OAuth consumer key (prompted for on a terminal when missing)")
	c.Flags().StringVar(&opts.AccessTokenURL, "access-token-url", config.DefaultAccessTokenURL, "URL of the OAuth access-token service")
	c.Flags().StringVar(&opts.SignatureMethod, "signature-method", config.DefaultSignatureMethod, "OAuth signature method: PLAINTEXT or HMAC-SHA1")
	return c
}

func runLogin(opts *loginOptions) error {
	f := opts.Factory
	if err := config.ValidateProfileName(opts.Profile); err != nil {
		return &UsageError{Err: err}
	}
	// Two logins to one profile run one after the other, so that each reads the profile
	// the other saved and the keyring and config file end up from the same login.
	unlock, err := lockProfileLogin(f, opts.Profile)
	if err != nil {
		return err
	}
	defer unlock()
	cfg, cfgPath, err := f.LoadConfig()
	if err != nil {
		return err
	}
	profile, err := loginProfile(opts, cfg)
	if err != nil {
		return err
	}
	opts.unchanged = "nothing was stored"
	if _, ok := cfg.Profile(opts.Profile); ok {
		opts.unchanged = "the previous credential is kept"
	}
	base, err := profileBaseURL(profile)
	if err != nil {
		return &UsageError{Err: err}
	}
	plainStore, err := f.Store(profile.Storage)
	if err != nil {
		return err
	}
	// Until the config file names the new settings, every keyring write is undone on
	// failure, on Ctrl-C and on SIGTERM, so the previous credential survives.
	store := &storeTx{Store: plainStore}
	defer store.rollback()
	defer f.OnInterrupt(store.rollback)()

	if opts.OAuth {
		err = loginOAuth(opts, base, profile, store)
	} else {
		err = loginBearer(opts, base, profile, store)
	}
	if err != nil {
		return err
	}
	if opts.ctx != nil && opts.ctx.Err() != nil {
		return context.Cause(opts.ctx)
	}
	if err := f.UpdateConfig(cfgPath, func(file *config.File) error {
		file.Put(*profile)
		return nil
	}); err != nil {
		return fmt.Errorf("%w; the previous credential was put back", err)
	}
	store.commit()

	if opts.InsecureStorage {
		fmt.Fprintf(opts.IO.ErrOut, "warning: the secret is stored unencrypted in %s (mode 0600)\n",
			filepath.Join(filepath.Dir(cfgPath), "credentials.yaml"))
	}
	if opts.IO.IsStderrTTY() {
		fmt.Fprintf(opts.IO.ErrOut, "Logged in to %s as profile %q with %s; the secret is in the %s.\n",
			base.Host, profile.Name, profile.Auth, store.Name())
	}
	return nil
}

// loginBearer reads, checks and stores a bearer token.
func loginBearer(opts *loginOptions, base *url.URL, profile *config.Profile, store auth.Store) error {
	token, err := readSecret(opts.ctx, opts.IO, opts.WithToken, "Paste the bearer token: ")
	if err != nil {
		return err
	}
	if err := checkTokenText(token); err != nil {
		return &UsageError{Err: fmt.Errorf("invalid token: %w; nothing was changed", err)}
	}
	if !opts.SkipVerify {
		if err := verifyToken(base, token, opts.unchanged); err != nil {
			return err
		}
	}
	if err := store.Set(profile.Name, auth.KindBearer, bindSecret(token, base.String(), "")); err != nil {
		return fmt.Errorf("store the token for profile %q: %w", profile.Name, err)
	}
	profile.Auth = authBearer
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
// --with-token. Without a terminal and without --with-token it fails rather than wait. A
// prompt ends early with ctx's cause when ctx is cancelled.
func readSecret(ctx context.Context, io *iostreams.IOStreams, fromStdin bool, prompt string) (string, error) {
	if !fromStdin && !io.IsStdinTTY() {
		return "", usageErrorf("no terminal to prompt on: pipe the secret to standard input and add --with-token")
	}
	secret, err := io.ReadSecret(ctx, prompt)
	if err != nil {
		return "", fmt.Errorf("read the secret: %w", err)
	}
	if secret == "" {
		return "", usageErrorf("empty secret: nothing was read from standard input, so nothing was changed")
	}
	return secret, nil
}

// verifyToken calls the tenant endpoint with the new token so that a wrong token is caught
// before it replaces the stored one. unchanged ends the message of a rejected token.
func verifyToken(base *url.URL, token, unchanged string) error {
	settings := &config.Settings{BaseURL: base, Auth: config.DefaultAuth, Timeout: config.DefaultTimeout}
	_, resp, err := fetchTenant(&Connection{Settings: settings, Token: token})
	if err != nil {
		return fmt.Errorf("%w (add --skip-verify to store the token without checking it)", err)
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return fmt.Errorf("the token was rejected by %s (HTTP 401); %s", settings.BaseURL.Host, unchanged)
	case resp.StatusCode >= 300:
		return fmt.Errorf("checking the token against %s failed with HTTP %d; %s "+
			"(add --skip-verify to store it anyway)", settings.BaseURL.Host, resp.StatusCode, unchanged)
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

// checkTokenText rejects a bearer token that cannot travel in an HTTP header: one with
// spaces, line breaks or other control characters, which usually means two values were
// pasted together.
func checkTokenText(token string) error {
	for _, r := range token {
		if r <= ' ' || r == 0x7f {
			return fmt.Errorf("it contains a space, line break or control character (U+%04X)", r)
		}
	}
	return nil
}

// lockProfileLogin takes the lock that serializes logins to one profile across processes.
// The lock files are kept in a locks directory beside the config file, out of the way.
func lockProfileLogin(f *Factory, profile string) (func(), error) {
	path, err := f.ConfigPath()
	if err != nil {
		return nil, err
	}
	return atomicfile.Lock(filepath.Join(filepath.Dir(path), "locks", "login-"+profile))
}
