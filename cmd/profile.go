package cmd

import (
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/hi-cli/hi/internal/auth"
	"github.com/hi-cli/hi/internal/config"
	"github.com/hi-cli/hi/internal/iostreams"
)

type profileOptions struct {
	IO      *iostreams.IOStreams
	Factory *Factory

	Name string
}

// NewProfileCmd builds hi profile and its subcommands.
func NewProfileCmd(f *Factory) *cobra.Command {
	c := &cobra.Command{
		Use:     "profile <command>",
		Short:   "List, select, show and remove profiles",
		Example: "  hi profile list\n  hi profile use cert",
		Args:    noArgs,
	}
	c.AddCommand(
		newProfileSubcommand(f, "list", "List profiles, marking the current one with *", "  hi profile list", noArgs, runProfileList),
		newProfileSubcommand(f, "use NAME", "Make a profile the current one", "  hi profile use cert", exactArgs(1, "one NAME"), runProfileUse),
		newProfileSubcommand(f, "show [NAME]", "Show a profile's settings and where its secrets are kept",
			"  hi profile show\n  hi profile show cert", maxArgs(1, "one NAME"), runProfileShow),
		newProfileSubcommand(f, "remove NAME", "Remove a profile and its stored credentials", "  hi profile remove cert",
			exactArgs(1, "one NAME"), runProfileRemove),
	)
	return c
}

func newProfileSubcommand(f *Factory, use, short, example string, args cobra.PositionalArgs,
	run func(*profileOptions) error) *cobra.Command {
	opts := &profileOptions{IO: f.IO, Factory: f}
	return &cobra.Command{
		Use: use, Short: short, Example: example, Args: args,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				opts.Name = args[0]
			}
			return run(opts)
		},
	}
}

func runProfileList(opts *profileOptions) error {
	cfg, _, err := opts.Factory.LoadConfig()
	if err != nil {
		return err
	}
	if len(cfg.Profiles) == 0 {
		fmt.Fprintln(opts.IO.ErrOut, "no profiles yet: create one with hi login --tenant TENANT")
		return nil
	}
	w := tabwriter.NewWriter(opts.IO.Out, 0, 4, 2, ' ', 0)
	for _, p := range cfg.Profiles {
		mark := " "
		if p.Name == cfg.CurrentProfile {
			mark = "*"
		}
		fmt.Fprintf(w, "%s %s\t%s\t%s\t%s\n", mark, p.Name, profileTarget(&p), orDefault(p.Auth, config.DefaultAuth),
			orDefault(p.Storage, config.StorageKeyring))
	}
	return w.Flush()
}

func runProfileUse(opts *profileOptions) error {
	path, err := opts.Factory.ConfigPath()
	if err != nil {
		return err
	}
	return opts.Factory.UpdateConfig(path, func(cfg *config.File) error {
		if _, ok := cfg.Profile(opts.Name); !ok {
			return &config.UnknownProfileError{Name: opts.Name, Known: cfg.Names()}
		}
		cfg.CurrentProfile = opts.Name
		return nil
	})
}

func runProfileShow(opts *profileOptions) error {
	cfg, _, err := opts.Factory.LoadConfig()
	if err != nil {
		return err
	}
	name := opts.Name
	if name == "" {
		name = profileFlag(opts.Factory, cfg.CurrentProfile)
	}
	p, ok := cfg.Profile(name)
	if !ok {
		return &config.UnknownProfileError{Name: name, Known: cfg.Names()}
	}
	store, err := opts.Factory.Store(p.Storage)
	if err != nil {
		return err
	}
	secrets := map[string]string{auth.KindBearer: secretState(store, p.Name, auth.KindBearer)}
	if p.ConsumerKey != "" {
		secrets[auth.KindConsumerSecret] = secretState(store, p.Name, auth.KindConsumerSecret)
		secrets[auth.KindAccessToken] = secretState(store, p.Name, auth.KindAccessToken)
	}
	return writeProfile(opts.IO.Out, p, name == cfg.CurrentProfile, secrets)
}

// writeProfile prints a profile's settings and, for each kind of secret, only where it is
// kept (see secretState).
func writeProfile(out io.Writer, p *config.Profile, current bool, secrets map[string]string) error {
	w := tabwriter.NewWriter(out, 0, 4, 1, ' ', 0)
	row := func(key, value string) {
		if value != "" {
			fmt.Fprintf(w, "%s:\t%s\n", key, value)
		}
	}
	row("name", p.Name)
	row("current", fmt.Sprint(current))
	row("tenant", p.Tenant)
	row("region", p.Region)
	row("base URL", profileTarget(p))
	row("auth", orDefault(p.Auth, config.DefaultAuth))
	row("timeout", p.Timeout)
	row("bearer token", secrets[auth.KindBearer])
	if p.ConsumerKey != "" {
		row("consumer key", p.ConsumerKey)
		row("consumer secret", secrets[auth.KindConsumerSecret])
		row("signature method", orDefault(p.SignatureMethod, config.DefaultSignatureMethod))
		row("access token URL", orDefault(p.AccessTokenURL, config.DefaultAccessTokenURL))
		row("cached access token", secrets[auth.KindAccessToken])
	}
	return w.Flush()
}

// secretState reports where a secret is kept without reading it out: "stored in the keyring",
// "not stored", or why the store could not be read.
func secretState(store auth.Store, profile, kind string) string {
	_, err := store.Get(profile, kind)
	var unavailable *auth.UnavailableError
	switch {
	case err == nil:
		return "stored in the " + store.Name()
	case errors.Is(err, auth.ErrNotFound):
		return "not stored"
	case errors.As(err, &unavailable):
		return "unknown: the " + store.Name() + " is not available"
	}
	return "unknown: " + err.Error()
}

func runProfileRemove(opts *profileOptions) error {
	cfg, path, err := opts.Factory.LoadConfig()
	if err != nil {
		return err
	}
	p, ok := cfg.Profile(opts.Name)
	if !ok {
		return &config.UnknownProfileError{Name: opts.Name, Known: cfg.Names()}
	}
	if err := deleteSecrets(opts.Factory, p); err != nil {
		return fmt.Errorf("%w; the profile is kept", err)
	}
	return opts.Factory.UpdateConfig(path, func(cfg *config.File) error {
		cfg.Remove(opts.Name)
		return nil
	})
}

// profileTarget returns the base URL a profile points at, or its stored value when invalid.
func profileTarget(p *config.Profile) string {
	u, err := profileBaseURL(p)
	if err != nil {
		return orDefault(p.BaseURL, p.Tenant)
	}
	return u.String()
}

func orDefault(value, fallback string) string {
	if value == "" {
		return fallback
	}
	return value
}
