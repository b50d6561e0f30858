package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/hi-cli/hi/cmd"
	"github.com/hi-cli/hi/internal/iostreams"
)

// helpExamples returns every line of the commands' examples that starts with "hi ".
func helpExamples() []string {
	io, _, _, _ := iostreams.Test()
	root := cmd.NewRootCmd(cmd.NewFactory(io, cmd.BuildInfo{}))
	var lines []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, line := range strings.Split(c.Example, "\n") {
			if line = strings.TrimSpace(line); strings.HasPrefix(line, "hi ") {
				lines = append(lines, line)
			}
		}
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() {
				walk(sub)
			}
		}
	}
	walk(root)
	return lines
}

// exampleSkipReason returns why an example cannot run against a local sandbox, or "".
func exampleSkipReason(line string) string {
	switch {
	case strings.HasPrefix(line, "hi sandbox"):
		return "runs a server until interrupted"
	case strings.Contains(line, "--tenant "):
		return "needs a real tenant on healtheintent.com"
	case strings.HasPrefix(line, "hi login") && !strings.Contains(line, "--with-token"):
		return "prompts for a secret on a terminal"
	}
	return ""
}

// httpSummary matches the line that hi prints on standard error for an error status.
var httpSummary = regexp.MustCompile(`(?m)^HTTP [1-5][0-9][0-9] `)

// TestHelpExamplesRun runs each example of the help text with bash, against a hi sandbox.
// Each example gets a fresh home whose config has two profiles, default (current) and cert,
// both pointing at the sandbox with its token in the credentials file, and a person.json in
// the working directory. Examples with --sandbox start their own. An example passes when it
// exits 0, or with 3, 4 or 5 after the sandbox answered with that status, as placeholder ids
// such as ID do.
func TestHelpExamplesRun(t *testing.T) {
	srv := startSandbox(t)
	var skipped []string
	for _, line := range helpExamples() {
		t.Run(line, func(t *testing.T) {
			if reason := exampleSkipReason(line); reason != "" {
				skipped = append(skipped, line+": "+reason)
				t.Skip(reason)
			}
			home := exampleHome(t, srv)
			r := runExample(t, home, line)
			if r.code == 0 {
				return
			}
			if r.code >= 3 && r.code <= 5 && httpSummary.MatchString(r.stderr) {
				return
			}
			t.Errorf("exit code %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
		})
	}
	t.Logf("skipped %d examples:\n%s", len(skipped), strings.Join(skipped, "\n"))
}

// exampleHome creates the home directory of one example run.
func exampleHome(t *testing.T, srv *sandboxServer) string {
	t.Helper()
	home := t.TempDir()
	// Both profiles keep their token in the credentials file, so examples need no keyring.
	for _, profile := range []string{"default", "cert"} {
		login := exec.Command(hiBinary, "login", "-p", profile, "--base-url", srv.URL, "--with-token", "--insecure-storage")
		login.Env = []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config")}
		login.Stdin = strings.NewReader(srv.Token + "\n")
		if out, err := login.CombinedOutput(); err != nil {
			t.Fatalf("hi login -p %s: %v\n%s", profile, err, out)
		}
	}
	writeFile(t, filepath.Join(home, "person.json"),
		`{"name":{"given":["Ada"],"family":"Lovelace"},"gender":"FEMALE","birthDate":"1815-12-10"}`)
	return home
}

// redirectTarget matches the file of an output redirection such as "> ~/dir/file".
var redirectTarget = regexp.MustCompile(`>\s*(\S+)`)

// runExample runs line with bash in home, with the built hi first on PATH. It creates the
// directory of each file the line redirects output to, as a user would have it.
func runExample(t *testing.T, home, line string) result {
	t.Helper()
	for _, m := range redirectTarget.FindAllStringSubmatch(line, -1) {
		target := strings.Trim(m[1], `"'`)
		if rest, ok := strings.CutPrefix(target, "~/"); ok {
			target = filepath.Join(home, rest)
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(home, target)
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := exec.CommandContext(ctx, "bash", "-c", line)
	c.Dir = home
	c.Env = []string{
		"PATH=" + filepath.Dir(hiBinary) + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
	}
	var stdout, stderr bytes.Buffer
	c.Stdout, c.Stderr = &stdout, &stderr
	err := c.Run()
	return result{stdout: stdout.String(), stderr: stderr.String(), code: exitCode(t, err)}
}
