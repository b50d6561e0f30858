package cmd

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func TestCommandBuildersNameTheirCommands(t *testing.T) {
	full := NewRootCmd(testFactory())
	for _, b := range commandBuilders() {
		c := b.build(testFactory())
		if c.Name() != b.name {
			t.Errorf("builder %q builds command %q", b.name, c.Name())
		}
		if found, _, err := full.Find([]string{b.name}); err != nil || found.Name() != b.name {
			t.Errorf("the whole tree has no command %q: %v", b.name, err)
		}
	}
}

func TestSelectedCommand(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{args: []string{"get", "/x"}, want: "get"},
		{args: []string{"version"}, want: "version"},
		{args: []string{"-p", "dev", "get", "/x"}, want: "get"},
		{args: []string{"-pdev", "delete", "/x"}, want: "delete"},
		{args: []string{"--profile=dev", "post", "/x"}, want: "post"},
		{args: []string{"--config", "get", "version"}, want: "version"},
		{args: []string{"--color", "never", "--auth", "oauth1", "-v", "--sandbox", "whoami"}, want: "whoami"},
		{args: []string{"profile", "list"}, want: "profile"},
		{args: []string{"help", "get"}, want: "help"},
		{args: []string{"gte", "/x"}, want: "gte"},
		{args: []string{"--version"}, want: ""},
		{args: []string{"-h"}, want: ""},
		{args: []string{"--sandbox=true", "get", "/x"}, want: ""},
		{args: []string{"-vp", "dev", "get", "/x"}, want: ""},
		{args: []string{"--", "get"}, want: ""},
		{args: []string{"-p"}, want: ""},
		{args: []string{}, want: ""},
	}
	for _, tc := range cases {
		if got := selectedCommand(tc.args); got != tc.want {
			t.Errorf("selectedCommand(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
}

func TestWholeTreeUnlessACommandIsNamed(t *testing.T) {
	whole := len(NewRootCmd(testFactory()).Commands())
	for _, args := range [][]string{{"help", "get"}, {"completion", "bash"}, {"__complete", "get", ""},
		{"gte"}, {"environment"}, {"--version"}, {}} {
		if n := len(NewRootCmdFor(testFactory(), args).Commands()); n != whole {
			t.Errorf("the tree for %q has %d commands, want all %d", args, n, whole)
		}
	}
}

// TestPartialTreeRunsLikeTheWholeTree runs the same arguments through the tree that
// NewRootCmdFor builds and through the whole tree, and wants the same command, output and
// error from both.
func TestPartialTreeRunsLikeTheWholeTree(t *testing.T) {
	cases := [][]string{
		{"get", "--help"},
		{"-p", "dev", "post", "--help"},
		{"--color=never", "version"},
		{"version", "extra"},
		{"get"},
		{"get", "/x", "--no-such-flag"},
		{"get", "/x", "--ndjson"},
		{"profile", "--help"},
		{"profile", "nope"},
		{"login", "--help"},
		{"api", "--help"},
		{"sandbox", "--help"},
		{"token", "--help"},
		{"whoami", "extra"},
		{"delete", "--help"},
	}
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			partial := NewRootCmdFor(testFactory(), args)
			if len(partial.Commands()) != 1 {
				t.Fatalf("the tree for %q has %d commands, want only the one it runs", args, len(partial.Commands()))
			}
			wantPath, wantOut, wantErr := runTree(NewRootCmd(testFactory()), args)
			gotPath, gotOut, gotErr := runTree(partial, args)
			if gotPath != wantPath {
				t.Errorf("ran %q, the whole tree runs %q", gotPath, wantPath)
			}
			if gotOut != wantOut {
				t.Errorf("output differs from the whole tree's:\n%s\nwant:\n%s", gotOut, wantOut)
			}
			if gotErr != wantErr {
				t.Errorf("error %q, the whole tree gives %q", gotErr, wantErr)
			}
		})
	}
}

// runTree executes root with args and returns the path of the command that ran, what it
// printed and its error.
func runTree(root *cobra.Command, args []string) (string, string, string) {
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	ran, err := root.ExecuteC()
	return ran.CommandPath(), out.String(), fmt.Sprint(err)
}
