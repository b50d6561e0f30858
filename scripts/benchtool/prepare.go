package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Sizes of the collections walked with --paginate.
const (
	largeCollection  = 100_000
	mediumCollection = 10_000
	smallCollection  = 1_000
	// latencyCollection is walked with and without --parallel on a sandbox that delays
	// every response by sandboxLatency: 100 pages of 100 items.
	latencyCollection = 10_000
	sandboxLatency    = "20ms"
	personnelPath     = "/personnel/v1/personnel"
)

// Profiles logged in to the main sandbox, with the keyring as their store.
const (
	profileBearer    = "bench-bearer"
	profilePlainText = "bench-plaintext"
	profileHMAC      = "bench-hmac"
	profileCount     = "bench-count"
)

// bench is the state of one run: the sandboxes, the environment of the hi invocations and
// the results.
type bench struct {
	cfg *config
	// flags lists the help text of hi get and hi sandbox, to skip rows whose flags are missing.
	flags string

	main, medium, small, slow *sandbox
	sandboxes                 []*sandbox
	// profileEnv is the environment of invocations that use the logged-in profiles.
	profileEnv []string

	// loadBefore is the load average when the run started.
	loadBefore string

	rows []row
	// memory is the peak RSS of walks by collection size and output flags.
	memory     []memoryRow
	memoryErr  error
	goBench    []goBenchmark
	goBenchErr error
	startup    startupProfile
}

// sandbox is a running hi sandbox process.
type sandbox struct {
	cmd            *exec.Cmd
	url            string
	token          string
	consumerKey    string
	consumerSecret string
	tokenURL       string
}

// prepare reads hi's flags, starts the sandboxes and logs in the profiles.
func (b *bench) prepare() error {
	b.loadBefore = loadAverage()
	for _, args := range [][]string{{"get", "--help"}, {"sandbox", "--help"}} {
		out, err := exec.Command(b.cfg.hi(), args...).Output()
		if err != nil {
			return fmt.Errorf("hi %s: %w", strings.Join(args, " "), err)
		}
		b.flags += string(out)
	}

	var err error
	if b.main, err = b.startSandbox(b.sizeArgs(largeCollection)...); err != nil {
		return err
	}
	if b.hasFlags("--records") == nil {
		if b.small, err = b.startSandbox(b.sizeArgs(smallCollection)...); err != nil {
			return err
		}
		if b.medium, err = b.startSandbox(b.sizeArgs(mediumCollection)...); err != nil {
			return err
		}
	}
	if b.hasFlags("--records", "--latency") == nil {
		size := latencyCollection
		if b.cfg.quick {
			size = 2_000
		}
		if b.slow, err = b.startSandbox(append(b.sizeArgs(size), "--latency", sandboxLatency)...); err != nil {
			return err
		}
	}
	return b.loginProfiles()
}

// sizeArgs returns the hi sandbox arguments for a collection of n records, or none when hi
// sandbox has no --records flag.
func (b *bench) sizeArgs(n int) []string {
	if b.hasFlags("--records") != nil {
		return nil
	}
	return []string{"--records", fmt.Sprint(n)}
}

// hasFlags returns an error naming the first flag that neither hi get nor hi sandbox has.
func (b *bench) hasFlags(names ...string) error {
	for _, name := range names {
		if !strings.Contains(b.flags, name+" ") {
			return &skipError{flag: name}
		}
	}
	return nil
}

// skipError marks a row that cannot run because hi lacks a flag it needs.
type skipError struct {
	flag string
}

func (e *skipError) Error() string { return "skipped: needs " + e.flag }

// startSandbox runs hi sandbox on a free loopback port and reads its banner.
func (b *bench) startSandbox(args ...string) (*sandbox, error) {
	cmd := exec.Command(b.cfg.hi(), append([]string{"sandbox", "--addr", "127.0.0.1:0"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &sandbox{cmd: cmd}
	b.sandboxes = append(b.sandboxes, s)
	if err := s.readBanner(stdout); err != nil {
		return nil, fmt.Errorf("hi sandbox %s: %w", strings.Join(args, " "), err)
	}
	go io.Copy(io.Discard, stdout)
	// The first page of a large sandbox sorts the whole collection, which no run should time.
	var page struct{}
	if err := getJSONWithToken(s.url+personnelPath+"?limit=1", s.token, &page); err != nil {
		return nil, fmt.Errorf("warm up hi sandbox: %w", err)
	}
	return s, nil
}

func (s *sandbox) readBanner(r io.Reader) error {
	fields := map[string]*string{
		"bearer token: ": &s.token, "consumer key: ": &s.consumerKey,
		"consumer secret: ": &s.consumerSecret, "access token URL: ": &s.tokenURL,
	}
	scanner := bufio.NewScanner(r)
	for i := 0; i < 20 && s.tokenURL == "" && scanner.Scan(); i++ {
		line := scanner.Text()
		if rest, ok := strings.CutPrefix(line, "sandbox: "); ok {
			s.url, _, _ = strings.Cut(rest, " ")
		}
		for prefix, field := range fields {
			if rest, ok := strings.CutPrefix(line, prefix); ok {
				*field = rest
			}
		}
	}
	if s.url == "" || s.token == "" || s.tokenURL == "" {
		return errors.New("no URL, token or access token URL in the first lines of output")
	}
	return nil
}

// tokenRequests returns the sandbox's count of access-token requests.
func (s *sandbox) tokenRequests() (int, error) {
	var stats struct {
		TokenRequests int `json:"tokenRequests"`
	}
	err := getJSON(s.url+"/_sandbox/stats", &stats)
	return stats.TokenRequests, err
}

// resetStats zeroes the sandbox's request counters.
func (s *sandbox) resetStats() error {
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Post(s.url+"/_sandbox/reset-stats", "", nil)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("reset stats: HTTP %s", resp.Status)
	}
	return nil
}

func (b *bench) stopSandboxes() {
	for _, s := range b.sandboxes {
		s.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			s.cmd.Process.Kill()
		}
	}
}

// loginProfiles logs in the bearer and OAuth profiles to the main sandbox, in a config
// directory of the run's own, with the secrets in the keyring.
func (b *bench) loginProfiles() error {
	home := filepath.Join(b.cfg.work, "home")
	b.profileEnv = []string{
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config"),
		"HI_CACHE_DIR=" + filepath.Join(home, "cache"),
	}
	s := b.main
	logins := []struct {
		profile string
		secret  string
		args    []string
	}{
		{profileBearer, s.token, nil},
		{profilePlainText, s.consumerSecret, oauthArgs(s, "PLAINTEXT")},
		{profileHMAC, s.consumerSecret, oauthArgs(s, "HMAC-SHA1")},
	}
	for _, l := range logins {
		if err := b.login(l.profile, l.secret, l.args...); err != nil {
			return err
		}
	}
	return nil
}

func oauthArgs(s *sandbox, method string) []string {
	return []string{"--oauth", "--consumer-key", s.consumerKey, "--access-token-url", s.tokenURL,
		"--signature-method", method}
}

// login runs hi login for profile with the secret on standard input.
func (b *bench) login(profile, secret string, args ...string) error {
	args = append([]string{"login", "-p", profile, "--base-url", b.main.url, "--with-token"}, args...)
	cmd := exec.Command(b.cfg.hi(), args...)
	cmd.Env = b.env(b.profileEnv...)
	cmd.Stdin = strings.NewReader(secret + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("hi login -p %s: %w: %s", profile, err, out)
	}
	return nil
}

// env returns the process environment without hi's own variables, plus vars.
func (b *bench) env(vars ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "HI_") || name == "HOME" || name == "XDG_CONFIG_HOME" || name == "NO_COLOR" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, vars...)
}

// tokenEnv is the environment of invocations that take the sandbox and token from HI_BASE_URL
// and HI_TOKEN.
func (b *bench) tokenEnv(s *sandbox) []string {
	return append([]string{"HI_BASE_URL=" + s.url, "HI_TOKEN=" + s.token}, b.profileEnv...)
}
