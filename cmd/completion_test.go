package cmd

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func TestCompletionFlags(t *testing.T) {
	cases := []struct {
		name       string
		args       []string
		wantUsage  bool
		wantShell  string
		wantNoDesc bool
	}{
		{name: "bash", args: []string{"bash"}, wantShell: "bash"},
		{name: "fish without descriptions", args: []string{"fish", "--no-descriptions"}, wantShell: "fish", wantNoDesc: true},
		{name: "missing shell", args: nil, wantUsage: true},
		{name: "unsupported shell", args: []string{"tcsh"}, wantUsage: true},
		{name: "two shells", args: []string{"bash", "zsh"}, wantUsage: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got *completionOptions
			err := execute(NewCompletionCmd(testFactory(), func(o *completionOptions) error { got = o; return nil }), tc.args...)
			if tc.wantUsage {
				var usage *UsageError
				if !errors.As(err, &usage) {
					t.Fatalf("error = %v, want a usage error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Shell != tc.wantShell {
				t.Errorf("Shell = %q, want %q", got.Shell, tc.wantShell)
			}
			if got.NoDescriptions != tc.wantNoDesc {
				t.Errorf("NoDescriptions = %t, want %t", got.NoDescriptions, tc.wantNoDesc)
			}
		})
	}
}

func TestCompletionScripts(t *testing.T) {
	cases := []struct {
		shell string
		want  string
	}{
		{shell: "bash", want: "__start_hi"},
		{shell: "zsh", want: "#compdef hi"},
		{shell: "fish", want: "complete -c hi"},
		{shell: "powershell", want: "Register-ArgumentCompleter"},
	}
	for _, tc := range cases {
		t.Run(tc.shell, func(t *testing.T) {
			f := testFactory()
			root := NewRootCmd(f)
			root.SetArgs([]string{"completion", tc.shell})
			if err := root.Execute(); err != nil {
				t.Fatal(err)
			}
			out := f.IO.Out.(*bytes.Buffer).String()
			if !strings.Contains(out, tc.want) {
				t.Errorf("%s script lacks %q", tc.shell, tc.want)
			}
		})
	}
}

// complete runs hi's hidden __complete command in process and returns the candidates
// without their descriptions, and the directive.
func complete(t *testing.T, args ...string) ([]string, string) {
	t.Helper()
	root := NewRootCmd(testFactory())
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&bytes.Buffer{})
	root.SetArgs(append([]string{cobra.ShellCompRequestCmd}, args...))
	if err := root.Execute(); err != nil {
		t.Fatalf("__complete %q: %v", args, err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	directive := lines[len(lines)-1]
	var candidates []string
	for _, line := range lines[:len(lines)-1] {
		name, _, _ := strings.Cut(line, "\t")
		candidates = append(candidates, name)
	}
	return candidates, directive
}

func writeConfig(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCompleteProfiles(t *testing.T) {
	config := writeConfig(t, "current-profile: cert\nprofiles:\n"+
		"  - name: cert\n    tenant: cernerdemo\n  - name: dev-eu\n    base-url: http://127.0.0.1:9\n  - name: Dev-US\n    tenant: t\n")
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{name: "profile flag, nothing typed", args: []string{"--config", config, "get", "-p", ""}, want: []string{"cert", "dev-eu", "Dev-US"}},
		{name: "profile flag, prefix", args: []string{"--config", config, "--profile", "de"}, want: []string{"dev-eu"}},
		{name: "profile use", args: []string{"--config", config, "profile", "use", ""}, want: []string{"cert", "dev-eu", "Dev-US"}},
		{name: "profile show, prefix", args: []string{"--config", config, "profile", "show", "c"}, want: []string{"cert"}},
		{name: "profile remove, case kept", args: []string{"--config", config, "profile", "remove", "D"}, want: []string{"Dev-US"}},
		{name: "second argument", args: []string{"--config", config, "profile", "use", "cert", ""}},
		{name: "missing config file", args: []string{"--config", filepath.Join(t.TempDir(), "none.yaml"), "profile", "use", ""}},
		{name: "invalid config file", args: []string{"--config", writeConfig(t, "profiles: [[["), "-p", ""}},
		{name: "config path is a directory", args: []string{"--config", t.TempDir(), "profile", "show", ""}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, directive := complete(t, tc.args...)
			if !slices.Equal(got, tc.want) {
				t.Errorf("candidates = %q, want %q", got, tc.want)
			}
			if directive != ":4" {
				t.Errorf("directive = %s, want :4 (no file completion)", directive)
			}
		})
	}
}

func TestCompletePaths(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{name: "get by prefix", args: []string{"get", "/tenant/"},
			want: []string{"/tenant/v1/tenant", "/tenant/v1/tenant/status-records"}},
		{name: "post only post paths", args: []string{"post", "/personnel/v1/"},
			want: []string{"/personnel/v1/personnel", "/personnel/v1/personnel-groups"}},
		{name: "delete keeps placeholders", args: []string{"delete", "/personnel/v1/personnel/"},
			want: []string{"/personnel/v1/personnel/{personnelId}"}},
		{name: "typed id fills placeholder", args: []string{"put", "/personnel/v1/personnel-groups/42/members/"},
			want: []string{"/personnel/v1/personnel-groups/42/members/{personnelId}"}},
		{name: "no leading slash", args: []string{"get", "personnel/v1/personnel-g"},
			want: []string{"personnel/v1/personnel-groups", "personnel/v1/personnel-groups/{groupId}",
				"personnel/v1/personnel-groups/{groupId}/members"}},
		{name: "no patch endpoints", args: []string{"patch", "/"}},
		{name: "query string begun", args: []string{"get", "/personnel/v1/personnel?li"}},
		{name: "second argument", args: []string{"get", "/tenant/v1/tenant", "/"}},
		{name: "unknown prefix", args: []string{"get", "/nothing"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := complete(t, tc.args...)
			if !slices.Equal(got, tc.want) {
				t.Errorf("candidates = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestFillTemplate(t *testing.T) {
	const template = "/p/v1/groups/{groupId}/members"
	cases := []struct {
		name   string
		typed  string
		want   string
		wantOK bool
	}{
		{name: "empty input", typed: "", want: template, wantOK: true},
		{name: "partial literal", typed: "/p/v1/gr", want: template, wantOK: true},
		{name: "placeholder filled", typed: "/p/v1/groups/7/m", want: "/p/v1/groups/7/members", wantOK: true},
		{name: "placeholder typed as is", typed: "/p/v1/groups/{groupId}/", want: template, wantOK: true},
		{name: "empty placeholder value", typed: "/p/v1/groups//m"},
		{name: "literal mismatch", typed: "/p/v2/"},
		{name: "longer than template", typed: "/p/v1/groups/7/members/x"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := fillTemplate(template, tc.typed)
			if ok != tc.wantOK {
				t.Fatalf("ok = %t, want %t", ok, tc.wantOK)
			}
			if got != tc.want {
				t.Errorf("path = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCompleteFixedValues(t *testing.T) {
	got, _ := complete(t, "--color", "")
	if want := []string{"auto", "always", "never"}; !slices.Equal(got, want) {
		t.Errorf("--color candidates = %q, want %q", got, want)
	}
	got, _ = complete(t, "api", "show", "pers")
	if want := []string{"personnel"}; !slices.Equal(got, want) {
		t.Errorf("api show candidates = %q, want %q", got, want)
	}
	got, _ = complete(t, "completion", "")
	if !slices.Equal(got, completionShells) {
		t.Errorf("completion candidates = %q, want %q", got, completionShells)
	}
}
