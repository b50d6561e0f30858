// Package cmd holds hi's cobra command tree. Each command has an options struct, a
// constructor and an unexported run function; main executes the tree and maps the returned
// error to an exit code.
package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hi-cli/hi/internal/iostreams"
)

// NewRootCmd builds the hi command tree around f.
func NewRootCmd(f *Factory) *cobra.Command {
	return newRootCmd(f, "")
}

// NewRootCmdFor returns the command tree that running hi with args needs. When args name
// one of the commands in commandBuilders after global flags only, the tree holds that
// command alone. Building every command with all its flags is a noticeable share of the
// time of a short call such as hi version or one hi get. Anything else, such as help,
// completion, a flag before the command that is not global or an unknown command, gets the
// whole tree, which it may list or search.
func NewRootCmdFor(f *Factory, args []string) *cobra.Command {
	return newRootCmd(f, selectedCommand(args))
}

// commandBuilder builds one top-level command, with its subcommands, on demand.
type commandBuilder struct {
	name  string
	build func(f *Factory) *cobra.Command
}

// commandBuilders lists the top-level commands that can run in a tree of their own: none
// of them looks at the other commands. Each name is the command's name.
func commandBuilders() []commandBuilder {
	builders := []commandBuilder{
		{"login", func(f *Factory) *cobra.Command { return NewLoginCmd(f, nil) }},
		{"logout", NewLogoutCmd},
		{"profile", NewProfileCmd},
		{"token", func(f *Factory) *cobra.Command { return NewTokenCmd(f, nil) }},
		{"whoami", NewWhoamiCmd},
		{"version", NewVersionCmd},
		{"sandbox", NewSandboxCmd},
		{"api", func(f *Factory) *cobra.Command { return NewAPICmd(f, nil, nil) }},
	}
	for _, method := range requestMethods {
		builders = append(builders, commandBuilder{strings.ToLower(method),
			func(f *Factory) *cobra.Command { return NewRequestCmd(f, method, nil) }})
	}
	return builders
}

// globalValueFlags are the global flags whose value may follow as the next argument.
var globalValueFlags = map[string]bool{"-p": true, "--profile": true, "--config": true, "--color": true, "--auth": true}

// selectedCommand returns the first argument that is not a global flag or its value, when
// only global flags come before it, else "". It reads flags as the root command's flag set
// does, so the command it returns is the one cobra runs.
func selectedCommand(args []string) string {
	for i := 0; i < len(args); i++ {
		arg := args[i]
		name, _, hasValue := strings.Cut(arg, "=")
		switch {
		case globalValueFlags[name] && !hasValue:
			i++
		case globalValueFlags[name] && strings.HasPrefix(name, "--"):
		case !hasValue && (arg == "--sandbox" || arg == "-v" || arg == "--verbose"):
		case strings.HasPrefix(arg, "-p") && len(arg) > 2 && !strings.HasPrefix(arg, "--"):
			// -pNAME
		case strings.HasPrefix(arg, "-"):
			return ""
		default:
			return arg
		}
	}
	return ""
}

func newRootCmd(f *Factory, only string) *cobra.Command {
	var color string
	root := &cobra.Command{
		Use:   "hi <command>",
		Short: "Call Cerner HealtheIntent APIs from the command line",
		Long: "hi calls HealtheIntent REST APIs: it knows each tenant's host, keeps credentials in the OS keyring,\n" +
			"adds them to every request (signing it, for Cerner OAuth 1.0a) and prints the response for a\n" +
			"person or a program.",
		Example: "  hi --sandbox get /personnel/v1/personnel\n" +
			"  hi login --tenant cernerdemo\n" +
			"  hi get /personnel/v1/personnel -q limit=5",
		Version:       f.Build.Version,
		SilenceErrors: true,
		SilenceUsage:  true,
		PersistentPreRunE: func(c *cobra.Command, args []string) error {
			if err := checkProfileFlag(f, c); err != nil {
				return err
			}
			return applyColor(f, color)
		},
	}
	root.SetVersionTemplate(versionText(f.Build))
	root.SetHelpCommand(newHelpCmd())
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &UsageError{Err: err}
	})

	flags := root.PersistentFlags()
	flags.StringP("profile", "p", "", "profile to use (default: the current profile; env HI_PROFILE)")
	flags.String("config", "", "config file (default: <user config dir>/hi/config.yaml; env HI_CONFIG)")
	flags.BoolVar(&f.Sandbox, "sandbox", false, "start a local sandbox for this command and use its demo credentials")
	flags.StringVar(&color, "color", "auto", "colour output: auto, always or never (NO_COLOR also turns it off)")
	flags.String("auth", "", "auth method for this call: bearer or oauth1 (default: the profile's; env HI_AUTH)")
	f.Viper.BindPFlag("auth", flags.Lookup("auth"))
	f.Viper.BindPFlag("profile", flags.Lookup("profile"))
	f.Viper.BindPFlag("config", flags.Lookup("config"))
	flags.BoolP("verbose", "v", false, "trace each request and response on standard error, credentials masked (env HI_DEBUG=1)")
	f.Viper.BindPFlag("verbose", flags.Lookup("verbose"))

	builders := commandBuilders()
	for _, b := range builders {
		if b.name == only {
			root.AddCommand(b.build(f))
			// Without this, cobra would add its own completion command to the tree.
			root.CompletionOptions.DisableDefaultCmd = true
			return root
		}
	}
	for _, b := range builders {
		root.AddCommand(b.build(f))
	}
	root.AddCommand(NewCompletionCmd(f, nil))
	root.AddCommand(NewHelpTopics()...)
	registerCompletions(root, f)
	return root
}

// checkProfileFlag rejects an empty -p, which a script with an unset variable would pass,
// and -p with --sandbox, whose demo credentials belong to no profile.
func checkProfileFlag(f *Factory, c *cobra.Command) error {
	flag := c.Flags().Lookup("profile")
	if flag == nil || !flag.Changed {
		return nil
	}
	if flag.Value.String() == "" {
		return usageErrorf("empty --profile: give a profile name, or leave the flag out to use the current profile")
	}
	if f.Sandbox {
		return usageErrorf("use either --sandbox or --profile, not both: --sandbox uses its own demo credentials")
	}
	return nil
}

func applyColor(f *Factory, color string) error {
	switch m := iostreams.ColorMode(color); m {
	case iostreams.ColorAuto, iostreams.ColorAlways, iostreams.ColorNever:
		f.IO.SetColorMode(m)
		return nil
	}
	return usageErrorf("invalid --color %q: use auto, always or never", color)
}

// noArgs, exactArgs and rangeArgs are cobra argument checks that return usage errors.
func exactArgs(n int, names string) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) != n {
			return usageErrorf("%s takes %s, got %d arguments", c.CommandPath(), names, len(args))
		}
		return nil
	}
}

func noArgs(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf("%s takes no arguments, got %q", c.CommandPath(), args[0])
	}
	return nil
}

func maxArgs(n int, names string) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) > n {
			return usageErrorf("%s takes at most %s, got %d arguments", c.CommandPath(), names, len(args))
		}
		return nil
	}
}

func versionText(b BuildInfo) string {
	return fmt.Sprintf("hi version %s (commit %s, built %s, %s)\n", b.Version, b.Commit, b.Date, b.GoVersion)
}

// newHelpCmd replaces cobra's help command, which exits 0 on an unknown topic, so that a
// script or a typo gets exit 2 and the closest commands and topics.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command or topic",
		Long:  "Help provides help for any command or topic, such as hi help get or hi help environment.",
		RunE: func(c *cobra.Command, args []string) error {
			target, rest, err := c.Root().Find(args)
			if err != nil || target == nil || len(rest) > 0 {
				parent := c.Root()
				if err == nil && target != nil {
					parent = target
				}
				return unknownTopicError(parent, args)
			}
			target.InitDefaultHelpFlag()
			return target.Help()
		},
	}
}

// unknownTopicError names the unknown topic and suggests the subcommands of parent, the
// deepest command that args did name, that are close to the first unknown word.
func unknownTopicError(parent *cobra.Command, args []string) error {
	topic := strings.Join(args, " ")
	known := len(strings.Fields(strings.TrimPrefix(parent.CommandPath(), parent.Root().Name())))
	suggestions := closeCommandNames(parent, args[min(known, len(args)-1)])
	if len(suggestions) == 0 {
		return usageErrorf("unknown help topic %q: run hi help to list commands and topics", topic)
	}
	return usageErrorf("unknown help topic %q: did you mean %s?", topic, strings.Join(suggestions, " or "))
}

// closeCommandNames returns the names of parent's subcommands and help topics within two
// edits of typed, or starting with it, each as a full command path after "hi".
func closeCommandNames(parent *cobra.Command, typed string) []string {
	prefix := strings.TrimPrefix(strings.TrimPrefix(parent.CommandPath(), parent.Root().Name()), " ")
	if prefix != "" {
		prefix += " "
	}
	var names []string
	for _, c := range parent.Commands() {
		name := c.Name()
		if c.Hidden || name == "help" {
			continue
		}
		if strings.HasPrefix(name, typed) || editDistance(name, typed) <= 2 {
			names = append(names, prefix+name)
		}
	}
	return names
}

// editDistance returns the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	previous := make([]int, len(b)+1)
	for j := range previous {
		previous[j] = j
	}
	for i := 1; i <= len(a); i++ {
		current := make([]int, len(b)+1)
		current[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			current[j] = min(previous[j]+1, current[j-1]+1, previous[j-1]+cost)
		}
		previous = current
	}
	return previous[len(b)]
}
