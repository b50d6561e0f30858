package cmd

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"
)

// helpOutput runs hi help TOPIC in process and returns standard output.
func helpOutput(t *testing.T, topic string) string {
	t.Helper()
	root := NewRootCmd(testFactory())
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&bytes.Buffer{})
	root.SetArgs([]string{"help", topic})
	if err := root.Execute(); err != nil {
		t.Fatalf("hi help %s: %v", topic, err)
	}
	return out.String()
}

func TestHelpTopicsPrintOnlyTheirText(t *testing.T) {
	for _, topic := range NewHelpTopics() {
		t.Run(topic.Name(), func(t *testing.T) {
			got := helpOutput(t, topic.Name())
			if got != topic.Long+"\n" {
				t.Errorf("hi help %s printed:\n%s\nwant its text alone", topic.Name(), got)
			}
			if topic.Short == "" {
				t.Error("topic has no one-line summary")
			}
		})
	}
}

func TestHelpTopicsListedInRootHelp(t *testing.T) {
	root := NewRootCmd(testFactory())
	usage := root.UsageString()
	if !strings.Contains(usage, "Additional help topics:") {
		t.Fatalf("root usage lacks the help topics:\n%s", usage)
	}
	for _, topic := range []string{"environment", "exit-codes", "auth"} {
		if !regexp.MustCompile(`(?m)^  hi ` + topic + ` `).MatchString(usage) {
			t.Errorf("root usage does not list hi %s", topic)
		}
	}
}

func TestHelpEnvironmentListsEveryVariable(t *testing.T) {
	text := helpOutput(t, "environment")
	for _, name := range []string{"HI_PROFILE", "HI_CONFIG", "HI_TENANT", "HI_REGION", "HI_BASE_URL", "HI_AUTH",
		"HI_TOKEN", "HI_CONSUMER_KEY", "HI_CONSUMER_SECRET", "HI_ACCESS_TOKEN_URL", "HI_SIGNATURE_METHOD",
		"HI_TIMEOUT", "HI_KEYRING_TIMEOUT", "HI_CA_BUNDLE", "HI_CACHE_DIR", "HI_DEBUG", "NO_COLOR"} {
		if !regexp.MustCompile(`(?m)^  ` + name + ` +\S`).MatchString(text) {
			t.Errorf("hi help environment has no line for %s", name)
		}
	}
	for _, want := range []string{
		"flag wins over the environment",
		"export HI_TENANT=cernerdemo HI_TOKEN=\"$SECRET_TOKEN\"",
		"$XDG_CONFIG_HOME/hi/config.yaml on every platform",
		"~/.config/hi/config.yaml",
		"~/Library/Application Support/hi/config.yaml",
		`%AppData%\hi\config.yaml`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("hi help environment lacks %q", want)
		}
	}
}

// markdownRows returns the code and meaning of each row of the table in a Markdown file.
func markdownRows(t *testing.T, path string) [][2]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rows [][2]string
	row := regexp.MustCompile(`(?m)^\| (\d+) \| (.+) \|$`)
	for _, m := range row.FindAllStringSubmatch(string(data), -1) {
		rows = append(rows, [2]string{m[1], m[2]})
	}
	return rows
}

func TestHelpExitCodesMatchesDocs(t *testing.T) {
	docs := markdownRows(t, "../docs/exit-codes.md")
	rows := exitCodeRows()
	if len(docs) != len(rows) {
		t.Fatalf("docs/exit-codes.md has %d rows, hi help exit-codes %d", len(docs), len(rows))
	}
	for i := range rows {
		if rows[i] != docs[i] {
			t.Errorf("row %d: hi help exit-codes has %q, docs/exit-codes.md %q", i, rows[i], docs[i])
		}
	}
	text := helpOutput(t, "exit-codes")
	for _, r := range rows {
		if !strings.Contains(text, "\n  "+r[0]+"  "+r[1]+"\n") {
			t.Errorf("hi help exit-codes lacks the row for %s", r[0])
		}
	}
}

func TestHelpAuth(t *testing.T) {
	text := helpOutput(t, "auth")
	for _, want := range []string{
		"Bearer token", "Cerner OAuth 1.0a", `service "hi"`, "PROFILE:bearer", "PROFILE:KIND#1",
		"--insecure-storage", "credentials.yaml", "HI_TOKEN", "HI_CONSUMER_SECRET",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("hi help auth lacks %q", want)
		}
	}
}
