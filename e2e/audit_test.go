package e2e

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/hi-cli/hi/internal/auth"
	"github.com/hi-cli/hi/internal/config"
)

// minSecretLength is the shortest value the audit looks for. The secrets of the sandbox and
// of the token service are far longer, and a short value would match by chance.
const minSecretLength = 8

// knownSecrets maps each secret that any test has seen so far to a description of it. The
// description, never the secret, goes into failure messages. Sandboxes register their
// bearer token and consumer secret, and the audit registers the cached OAuth tokens it reads
// from the keyring and whatever hi token prints.
var knownSecrets = struct {
	sync.Mutex
	values map[string]string
}{values: map[string]string{}}

func registerSecret(description, value string) {
	if len(value) < minSecretLength {
		return
	}
	knownSecrets.Lock()
	defer knownSecrets.Unlock()
	if _, ok := knownSecrets.values[value]; !ok {
		knownSecrets.values[value] = description
	}
}

// secretPatterns returns every known secret as it could appear in output: as is, and
// percent-encoded as in an OAuth header or a form, mapped to its description.
func secretPatterns() map[string]string {
	knownSecrets.Lock()
	defer knownSecrets.Unlock()
	patterns := make(map[string]string, 2*len(knownSecrets.values))
	for value, description := range knownSecrets.values {
		patterns[value] = description
		if encoded := auth.PercentEncode(value); encoded != value {
			patterns[encoded] = description + ", percent-encoded"
		}
	}
	return patterns
}

// auditRecord is one hi process: the arguments it was given and what it wrote.
type auditRecord struct {
	args   []string
	stdout string
	stderr string
}

// secretAudit collects the hi processes of one test. At the end of the test it checks that
// no known secret appears in their arguments, their output or the files under the test's
// home directory, which contains the config, cache and state directories. The standard
// output of hi token is exempt, because printing a secret is that command's purpose.
type secretAudit struct {
	mu      sync.Mutex
	records []auditRecord
}

// record adds one hi process to the audit of e and registers the OAuth tokens that the
// profiles of e's config file have cached in the keyring by now.
func (e *env) record(args []string, stdout, stderr string) {
	e.audit.mu.Lock()
	e.audit.records = append(e.audit.records, auditRecord{args: args, stdout: stdout, stderr: stderr})
	e.audit.mu.Unlock()

	if isTokenCommand(args) {
		registerTokenOutput(stdout)
	}
	e.registerCachedTokens()
}

// checkSecrets fails the test for each known secret found where it does not belong.
func (e *env) checkSecrets() {
	e.t.Helper()
	patterns := secretPatterns()
	e.audit.mu.Lock()
	records := e.audit.records
	e.audit.mu.Unlock()

	for _, r := range records {
		streams := map[string]string{"arguments": strings.Join(r.args, "\x00"), "stderr": r.stderr}
		if !isTokenCommand(r.args) {
			streams["stdout"] = r.stdout
		}
		for stream, text := range streams {
			if description, found := findSecret(text, patterns); found {
				e.t.Errorf("hi %s: %s contains the %s", redact(strings.Join(r.args, " "), patterns), stream, description)
			}
		}
	}
	e.checkFiles(patterns)
}

// checkFiles looks for secrets in every file under e.dir except credentials.yaml, where
// --insecure-storage makes hi keep secrets.
func (e *env) checkFiles(patterns map[string]string) {
	e.t.Helper()
	filepath.WalkDir(e.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !d.Type().IsRegular() || d.Name() == "credentials.yaml" {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		if description, found := findSecret(string(data), patterns); found {
			e.t.Errorf("file %s contains the %s", path, description)
		}
		return nil
	})
}

// redact replaces every secret in text with <secret>, for failure messages.
func redact(text string, patterns map[string]string) string {
	for pattern := range patterns {
		text = strings.ReplaceAll(text, pattern, "<secret>")
	}
	return text
}

func findSecret(text string, patterns map[string]string) (string, bool) {
	for pattern, description := range patterns {
		if strings.Contains(text, pattern) {
			return description, true
		}
	}
	return "", false
}

// valueFlags are the global flags that take a value as the next argument.
var valueFlags = map[string]bool{"-p": true, "--profile": true, "--config": true, "--color": true, "--auth": true}

// isTokenCommand reports whether args run hi token: whether the first argument that is
// neither a flag nor a flag's value is "token".
func isTokenCommand(args []string) bool {
	for i := 0; i < len(args); i++ {
		switch arg := args[i]; {
		case valueFlags[arg]:
			i++
		case strings.HasPrefix(arg, "-"):
		default:
			return arg == "token"
		}
	}
	return false
}

// registerTokenOutput registers what hi token printed: the bearer or access token, or an
// Authorization header value with the access token and signature inside it.
func registerTokenOutput(stdout string) {
	value := strings.TrimSpace(stdout)
	registerSecret("output of hi token", value)
	value = strings.TrimPrefix(value, "Authorization: ")
	if params, err := auth.ParseAuthorizationHeader(value); err == nil {
		registerSecret("OAuth access token", params.Get("oauth_token"))
		registerSecret("OAuth signature", params.Get("oauth_signature"))
	}
}

// registerCachedTokens reads the cached OAuth access token of each OAuth profile in e's
// config file straight from the keyring and registers its token, token secret and accessor
// secret. It reads nothing when e's hi processes use another D-Bus session than the test.
func (e *env) registerCachedTokens() {
	if !keyringUsable || e.vars["DBUS_SESSION_BUS_ADDRESS"] != os.Getenv("DBUS_SESSION_BUS_ADDRESS") {
		return
	}
	path := e.config
	if p := e.vars["HI_CONFIG"]; p != "" {
		path = p
	}
	cfg, err := config.Load(path)
	if err != nil {
		return
	}
	for _, p := range cfg.Profiles {
		if p.ConsumerKey == "" || p.Storage == config.StorageFile {
			continue
		}
		raw, err := keyringGet(p.Name + ":" + auth.KindAccessToken)
		if err != nil {
			continue
		}
		registerCachedToken(raw)
	}
}

// registerCachedToken decodes a token cache entry, {"token": "<access token JSON>", …},
// and registers the secrets inside it.
func registerCachedToken(raw string) {
	var entry struct {
		Token string `json:"token"`
	}
	if json.Unmarshal([]byte(raw), &entry) != nil {
		return
	}
	token, err := auth.UnmarshalAccessToken(entry.Token)
	if err != nil {
		return
	}
	registerSecret("cached OAuth access token", token.Token)
	registerSecret("cached OAuth token secret", token.TokenSecret)
	registerSecret("cached OAuth accessor secret", token.AccessorSecret)
}

// keyringGet reads one entry of the service "hi" from the session's Secret Service, giving
// up after 5 seconds.
func keyringGet(name string) (string, error) {
	type result struct {
		value string
		err   error
	}
	done := make(chan result, 1)
	go func() {
		value, err := keyring.Get(auth.KeyringService, name)
		done <- result{value, err}
	}()
	select {
	case r := <-done:
		return r.value, r.err
	case <-time.After(5 * time.Second):
		return "", errors.New("no answer from the keyring within 5s")
	}
}
