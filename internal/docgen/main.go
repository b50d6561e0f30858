// Command docgen writes hi's command reference from the command tree: a Markdown page per
// command and help topic, with an index, and a section 1 man page for each. The output does
// not depend on the date or the machine, so the checked-in copies change only with the
// commands. From the repository root:
//
//	go run ./internal/docgen                          # docs/reference and docs/man
//	go run ./internal/docgen -markdown "" -man DIR    # man pages only, as the release build does
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
	"github.com/spf13/pflag"

	"github.com/hi-cli/hi/cmd"
	"github.com/hi-cli/hi/internal/iostreams"
)

func main() {
	markdownDir := flag.String("markdown", "docs/reference", "directory for the Markdown pages; empty to skip them")
	manDir := flag.String("man", "docs/man", "directory for the man pages; empty to skip them")
	flag.Parse()
	if err := generate(*markdownDir, *manDir); err != nil {
		fmt.Fprintln(os.Stderr, "docgen:", err)
		os.Exit(1)
	}
}

// generate replaces the contents of markdownDir and manDir with freshly generated pages.
func generate(markdownDir, manDir string) error {
	pages := documentedCommands(newRoot())
	if markdownDir != "" {
		files, err := markdownPages(pages)
		if err != nil {
			return err
		}
		if err := writeFiles(markdownDir, files); err != nil {
			return err
		}
	}
	if manDir != "" {
		escapeForMarkdown(pages)
		files, err := manPages(pages)
		if err != nil {
			return err
		}
		if err := writeFiles(manDir, files); err != nil {
			return err
		}
	}
	return nil
}

// newRoot builds hi's command tree as the binary does, with cobra's help command added and
// the "Auto generated … on DATE" line turned off on every command.
func newRoot() *cobra.Command {
	io, _, _, _ := iostreams.Test()
	root := cmd.NewRootCmd(cmd.NewFactory(io, cmd.BuildInfo{Version: "dev"}))
	root.InitDefaultHelpCmd()
	root.InitDefaultHelpFlag()
	disableAutoGenTag(root)
	return root
}

func disableAutoGenTag(c *cobra.Command) {
	c.DisableAutoGenTag = true
	for _, sub := range c.Commands() {
		disableAutoGenTag(sub)
	}
}

// documentedCommands returns c and its descendants that get a page: every available command
// and every help topic, in the tree's order.
func documentedCommands(c *cobra.Command) []*cobra.Command {
	pages := []*cobra.Command{c}
	for _, sub := range c.Commands() {
		if sub.IsAvailableCommand() || sub.IsAdditionalHelpTopicCommand() {
			pages = append(pages, documentedCommands(sub)...)
		}
	}
	return pages
}

// markdownPages returns the Markdown page of each command, named like hi_profile_use.md,
// and README.md, an index of them all.
func markdownPages(pages []*cobra.Command) (map[string][]byte, error) {
	files := map[string][]byte{}
	var index bytes.Buffer
	index.WriteString("# hi command reference\n\n" +
		"Generated from the command tree by `go run ./internal/docgen`; do not edit by hand.\n\n")
	var commands, topics bytes.Buffer
	for _, c := range pages {
		name := markdownName(c)
		var page bytes.Buffer
		if err := doc.GenMarkdownCustom(c, &page, func(s string) string { return s }); err != nil {
			return nil, fmt.Errorf("Markdown page of %s: %w", c.CommandPath(), err)
		}
		files[name] = page.Bytes()
		line := fmt.Sprintf("- [%s](%s): %s\n", c.CommandPath(), name, c.Short)
		if c.IsAdditionalHelpTopicCommand() {
			topics.WriteString(strings.Replace(line, "["+c.CommandPath(), "[hi help "+c.Name(), 1))
		} else {
			commands.WriteString(line)
		}
	}
	index.WriteString("## Commands\n\n")
	index.Write(commands.Bytes())
	index.WriteString("\n## Help topics\n\n")
	index.Write(topics.Bytes())
	files["README.md"] = index.Bytes()
	return files, nil
}

func markdownName(c *cobra.Command) string {
	return strings.ReplaceAll(c.CommandPath(), " ", "_") + ".md"
}

// manDate matches the date field of a man page's .TH line.
var manDate = regexp.MustCompile(`(?m)^(\.TH "[^"]*" "[^"]*" )"[^"]*"`)

// manPages returns the section 1 man page of each command, named like hi-profile-use.1.
// The date field of each page's .TH line is left empty, so the pages do not change with the
// day they are generated on.
func manPages(pages []*cobra.Command) (map[string][]byte, error) {
	files := map[string][]byte{}
	epoch := time.Unix(0, 0).UTC()
	for _, c := range pages {
		header := &doc.GenManHeader{Section: "1", Date: &epoch, Source: "hi", Manual: "hi manual"}
		var page bytes.Buffer
		if err := doc.GenMan(c, header, &page); err != nil {
			return nil, fmt.Errorf("man page of %s: %w", c.CommandPath(), err)
		}
		name := strings.ReplaceAll(c.CommandPath(), " ", "-") + ".1"
		files[name] = manDate.ReplaceAll(page.Bytes(), []byte(`$1""`))
	}
	return files, nil
}

// escapeForMarkdown backslash-escapes < and > in the texts of pages that cobra's man page
// generator passes through Markdown, where "<command>" would be dropped as an HTML tag.
// Examples are left alone, because they are rendered as code. It changes the commands, so
// it runs after the Markdown pages are written.
func escapeForMarkdown(pages []*cobra.Command) {
	escape := strings.NewReplacer("<", `\<`, ">", `\>`).Replace
	seen := map[*pflag.Flag]bool{}
	for _, c := range pages {
		c.Use, c.Short, c.Long = escape(c.Use), escape(c.Short), escape(c.Long)
		for _, flags := range []*pflag.FlagSet{c.Flags(), c.PersistentFlags(), c.InheritedFlags()} {
			flags.VisitAll(func(f *pflag.Flag) {
				if !seen[f] {
					seen[f] = true
					f.Usage = escape(f.Usage)
				}
			})
		}
	}
}

// writeFiles makes dir hold exactly files: it writes each one and removes any other file
// with the same extension as one of them, so a removed command loses its page.
func writeFiles(dir string, files map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if _, keep := files[e.Name()]; keep || e.IsDir() || !generatedExtension(e.Name(), files) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func generatedExtension(name string, files map[string][]byte) bool {
	for generated := range files {
		if filepath.Ext(generated) == filepath.Ext(name) {
			return true
		}
	}
	return false
}
