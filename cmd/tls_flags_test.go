package cmd

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// tlsLikeFlag matches flag names that usually turn certificate checks off in other tools.
var tlsLikeFlag = regexp.MustCompile(`(?i)insecure|skip|verify|no-?check|tls|ssl|cert`)

// allowedTLSLikeFlags are the flags that tlsLikeFlag matches and the words their help must
// contain, because none of them weakens TLS.
var allowedTLSLikeFlags = map[string][]string{
	"insecure-storage": {"file", "keyring"},
	"skip-verify":      {"check call", "TLS certificates are still verified"},
	"cacert":           {"also trust"},
}

func TestNoFlagSkipsTLSVerification(t *testing.T) {
	root := NewRootCmd(testFactory())
	checked := 0
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, flags := range []*pflag.FlagSet{c.LocalFlags(), c.PersistentFlags()} {
			flags.VisitAll(func(f *pflag.Flag) {
				checked++
				if !tlsLikeFlag.MatchString(f.Name) && !strings.Contains(strings.ToLower(f.Usage), "tls") {
					return
				}
				words, ok := allowedTLSLikeFlags[f.Name]
				if !ok {
					t.Errorf("hi %s --%s looks like a switch for TLS verification: %q", c.Name(), f.Name, f.Usage)
					return
				}
				for _, word := range words {
					if !strings.Contains(f.Usage, word) {
						t.Errorf("help of hi %s --%s lacks %q: %q", c.Name(), f.Name, word, f.Usage)
					}
				}
			})
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	if checked < 50 {
		t.Errorf("checked %d flags, want every flag of every command", checked)
	}
}

// TestNoCodeSkipsTLSVerification parses every Go file of the module outside tests and fails
// on any mention of tls.Config's InsecureSkipVerify field.
func TestNoCodeSkipsTLSVerification(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	files := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		files++
		file, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && id.Name == "InsecureSkipVerify" {
				t.Errorf("%s mentions InsecureSkipVerify", path)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Errorf("parsed %d files, want the whole module", files)
	}
}
