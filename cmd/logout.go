package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hi-cli/hi/internal/auth"
	"github.com/hi-cli/hi/internal/config"
	"github.com/hi-cli/hi/internal/iostreams"
)

type logoutOptions struct {
	IO      *iostreams.IOStreams
	Factory *Factory

	Profile string
}

// NewLogoutCmd builds hi logout.
func NewLogoutCmd(f *Factory) *cobra.Command {
	opts := &logoutOptions{IO: f.IO, Factory: f}
	return &cobra.Command{
		Use:     "logout",
		Short:   "Remove a profile's stored credentials, keeping the profile",
		Example: "  hi logout\n  hi logout -p cert",
		Args:    noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Profile = profileFlag(f, "")
			return runLogout(opts)
		},
	}
}

func runLogout(opts *logoutOptions) error {
	cfg, _, err := opts.Factory.LoadConfig()
	if err != nil {
		return err
	}
	name := opts.Profile
	if name == "" {
		name = cfg.CurrentProfile
	}
	p, ok := cfg.Profile(name)
	if !ok {
		return &config.UnknownProfileError{Name: name, Known: cfg.Names()}
	}
	if err := deleteSecrets(opts.Factory, p); err != nil {
		return err
	}
	if opts.IO.IsStderrTTY() {
		fmt.Fprintf(opts.IO.ErrOut, "Logged out of profile %q; its settings are kept.\n", name)
	}
	return nil
}

// deleteSecrets removes every secret kind of the profile from its store.
func deleteSecrets(f *Factory, p *config.Profile) error {
	store, err := f.Store(p.Storage)
	if err != nil {
		return err
	}
	for _, kind := range []string{auth.KindBearer, auth.KindConsumerSecret, auth.KindAccessToken} {
		if err := store.Delete(p.Name, kind); err != nil {
			return fmt.Errorf("remove the %s of profile %q from the %s: %w", kind, p.Name, store.Name(), err)
		}
	}
	return nil
}
