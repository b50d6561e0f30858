package cmd

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hi-cli/hi/internal/catalog"
	"github.com/hi-cli/hi/internal/config"
	"github.com/hi-cli/hi/internal/iostreams"
)

// completionShells are the shells hi completion writes a script for.
var completionShells = []string{"bash", "zsh", "fish", "powershell"}

type completionOptions struct {
	IO   *iostreams.IOStreams
	Root *cobra.Command

	Shell          string
	NoDescriptions bool
}

// NewCompletionCmd builds hi completion. runF, when non-nil, replaces the run function, so
// tests can check flag parsing without I/O.
func NewCompletionCmd(f *Factory, runF func(*completionOptions) error) *cobra.Command {
	opts := &completionOptions{IO: f.IO}
	c := &cobra.Command{
		Use:   "completion SHELL",
		Short: "Print the shell completion script for bash, zsh, fish or PowerShell",
		Long: "Print a script that makes the shell complete hi's commands, flags, profile names and the API\n" +
			"paths of the built-in catalog. Completing a profile name reads only the config file: it never\n" +
			"opens the keyring or the network.\n\n" +
			"bash (needs the bash-completion package):\n" +
			"  source <(hi completion bash)            # this shell only\n" +
			"  hi completion bash > ~/.local/share/bash-completion/completions/hi\n\n" +
			"zsh (needs compinit; any directory on $fpath will do):\n" +
			"  hi completion zsh > \"${fpath[1]}/_hi\"\n\n" +
			"fish:\n" +
			"  hi completion fish > ~/.config/fish/completions/hi.fish\n\n" +
			"PowerShell:\n" +
			"  hi completion powershell | Out-String | Invoke-Expression",
		Example: "  hi completion bash > ~/.local/share/bash-completion/completions/hi\n" +
			"  hi completion fish > ~/.config/fish/completions/hi.fish\n" +
			"  hi completion zsh --no-descriptions > ~/.zfunc/_hi",
		Args:      exactArgs(1, "one SHELL (bash, zsh, fish or powershell)"),
		ValidArgs: completionShells,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Root = c.Root()
			opts.Shell = args[0]
			if !slices.Contains(completionShells, opts.Shell) {
				return usageErrorf("unsupported shell %q: use %s", opts.Shell, strings.Join(completionShells, ", "))
			}
			if runF != nil {
				return runF(opts)
			}
			return runCompletion(opts)
		},
	}
	c.Flags().BoolVar(&opts.NoDescriptions, "no-descriptions", false, "leave out the description shown beside each candidate")
	return c
}

func runCompletion(opts *completionOptions) error {
	out, desc := opts.IO.Out, !opts.NoDescriptions
	switch opts.Shell {
	case "bash":
		return opts.Root.GenBashCompletionV2(out, desc)
	case "zsh":
		if desc {
			return opts.Root.GenZshCompletion(out)
		}
		return opts.Root.GenZshCompletionNoDesc(out)
	case "fish":
		return opts.Root.GenFishCompletion(out, desc)
	case "powershell":
		if desc {
			return opts.Root.GenPowerShellCompletionWithDesc(out)
		}
		return opts.Root.GenPowerShellCompletion(out)
	}
	return usageErrorf("unsupported shell %q: use %s", opts.Shell, strings.Join(completionShells, ", "))
}

// registerCompletions adds dynamic completion to the command tree under root: profile names
// for -p/--profile and for hi profile use, show and remove, the catalog's path templates for
// the request commands, and the fixed values of --color and --auth.
func registerCompletions(root *cobra.Command, f *Factory) {
	root.RegisterFlagCompletionFunc("profile", func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return completeProfiles(f, toComplete)
	})
	root.RegisterFlagCompletionFunc("color", cobra.FixedCompletions(
		[]cobra.Completion{"auto", "always", "never"}, cobra.ShellCompDirectiveNoFileComp))
	if root.PersistentFlags().Lookup("auth") != nil {
		root.RegisterFlagCompletionFunc("auth", cobra.FixedCompletions(
			[]cobra.Completion{config.DefaultAuth, catalog.AuthOAuth1}, cobra.ShellCompDirectiveNoFileComp))
	}

	for _, c := range root.Commands() {
		switch {
		case c.Name() == "profile":
			for _, sub := range c.Commands() {
				switch sub.Name() {
				case "use", "show", "remove":
					sub.ValidArgsFunction = completeProfileArg(f)
				}
			}
		case isRequestCommand(c):
			c.ValidArgsFunction = completePathArg(strings.ToUpper(c.Name()))
		}
	}
}

func isRequestCommand(c *cobra.Command) bool {
	for _, method := range requestMethods {
		if c.Name() == strings.ToLower(method) {
			return true
		}
	}
	return false
}

// completeProfileArg completes the single NAME argument of a profile subcommand.
func completeProfileArg(f *Factory) cobra.CompletionFunc {
	return func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return completeProfiles(f, toComplete)
	}
}

// completeProfiles returns the profile names in the config file that start with toComplete.
// It reads only the config file, never the keyring or the network, and a missing or
// unreadable file gives no candidates rather than an error, because a completion error
// would only print noise into the user's command line.
func completeProfiles(f *Factory, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	path, err := f.ConfigPath()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var names []cobra.Completion
	for _, p := range cfg.Profiles {
		if strings.HasPrefix(p.Name, toComplete) {
			names = append(names, cobra.CompletionWithDesc(p.Name, profileTarget(&p)))
		}
	}
	return names, cobra.ShellCompDirectiveNoFileComp
}

// completePathArg completes the PATH argument of a request command with the catalog's path
// templates for method.
func completePathArg(method string) cobra.CompletionFunc {
	return func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return completePaths(method, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// completePaths returns the catalog's path templates for method that fit what was typed.
// Typed segments before the last may fill a template's {placeholder}: after
// "/personnel/v1/personnel-groups/42/" the candidates keep the 42. The leading slash may be
// left out, as hi allows for paths. Nothing is offered once a query string has begun.
func completePaths(method, typed string) []cobra.Completion {
	if strings.ContainsAny(typed, "?#") {
		return nil
	}
	slash := strings.HasPrefix(typed, "/")
	var paths []cobra.Completion
	for _, a := range catalog.All() {
		for _, e := range a.Endpoints {
			if e.Method != method {
				continue
			}
			path, ok := fillTemplate(e.Path, typed)
			if !ok {
				continue
			}
			if !slash {
				path = strings.TrimPrefix(path, "/")
			}
			paths = append(paths, cobra.CompletionWithDesc(path, e.Summary))
		}
	}
	return paths
}

// fillTemplate matches typed against the start of template. Each complete typed segment
// must equal the template's segment or fill its placeholder, and the last, partial segment
// must be a prefix of the template's. It returns the template with the typed placeholder
// values put in.
func fillTemplate(template, typed string) (string, bool) {
	tmpl := strings.Split(strings.TrimPrefix(template, "/"), "/")
	segments := strings.Split(strings.TrimPrefix(typed, "/"), "/")
	if len(segments) > len(tmpl) {
		return "", false
	}
	last := len(segments) - 1
	for i, s := range segments[:last] {
		if s != tmpl[i] && (!isPlaceholder(tmpl[i]) || s == "") {
			return "", false
		}
		tmpl[i] = s
	}
	if !strings.HasPrefix(tmpl[last], segments[last]) {
		return "", false
	}
	return "/" + strings.Join(tmpl, "/"), true
}

func isPlaceholder(segment string) bool {
	return strings.HasPrefix(segment, "{") && strings.HasSuffix(segment, "}")
}
