package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// row is one line of the report: a measured quantity of hi, a reference, their ratio and
// the target that ratio must meet.
type row struct {
	title    string
	commands []command
	// subject and reference are hi's figure and the one it is compared with.
	subject, reference sample
	unit               unit
	ratio              float64
	target             target
	// note adds a fact to the row, such as a third program measured in the same call.
	note string
	err  error
}

// unit is the quantity of a sample, which decides how it is printed.
type unit int

const (
	seconds unit = iota
	mebibytes
	count
)

// target is the bound a ratio, or for a count the value itself, must meet.
type target struct {
	atLeast bool
	value   float64
}

func (t target) String() string {
	if t.atLeast {
		return fmt.Sprintf("≥ %g×", t.value)
	}
	return fmt.Sprintf("≤ %g×", t.value)
}

func (t target) met(ratio float64) bool {
	if t.atLeast {
		return ratio >= t.value
	}
	return ratio <= t.value
}

func (b *bench) add(r row) {
	if r.err == nil && r.unit != count {
		r.ratio = r.subject.median / r.reference.median
	}
	status := "ok"
	if r.err != nil {
		status = r.err.Error()
	}
	fmt.Fprintf(os.Stderr, "benchtool: %s: %s\n", r.title, status)
	b.rows = append(b.rows, r)
}

// runRows measures every row of the report.
func (b *bench) runRows() {
	b.singleRequestRows()
	b.oauthRows()
	b.versionRow()
	b.paginateRows()
	b.parallelRow()
	b.tokenCountRow()
}

func (b *bench) personnelURL(s *sandbox) string { return s.url + personnelPath }

func (b *bench) curl(s *sandbox, extra string) command {
	return command{"curl", fmt.Sprintf("curl -sf -H 'Accept: application/json' -H 'Authorization: Bearer %s' %s", s.token, extra)}
}

// singleRequestRows compares one hi get of a 20-item page with curl, a minimal Go client and
// HTTPie.
func (b *bench) singleRequestRows() {
	s := b.main
	hiEnv := command{"hi get (HI_TOKEN)", b.cfg.hi() + " get " + personnelPath}
	hiKeyring := command{"hi get (keyring)", b.cfg.hi() + " -p " + profileBearer + " get " + personnelPath}
	curl := b.curl(s, b.personnelURL(s))

	warmup, runs := b.cfg.runs(5, 100)
	r := row{title: "hi get, token from HI_TOKEN, vs curl", commands: []command{hiEnv, curl}, target: target{value: 1.0}}
	r.subject, r.reference, r.err = b.pair("get-env-curl", b.env(b.tokenEnv(s)...), warmup, runs, hiEnv, curl)
	b.add(r)

	r = row{title: "hi get, token from the keyring, vs curl", commands: []command{hiKeyring, curl}, target: target{value: 1.5}}
	r.subject, r.reference, r.err = b.pair("get-keyring-curl", b.env(b.profileEnv...), warmup, runs, hiKeyring, curl)
	b.add(r)

	goClient := command{"Go client", filepath.Join(b.cfg.bin, "getclient") + " " + b.personnelURL(s)}
	r = row{title: "hi get, token from HI_TOKEN, vs a minimal Go client", commands: []command{hiEnv, goClient},
		target: target{value: 1.5}}
	r.subject, r.reference, r.err = b.pair("get-env-goclient", b.env(b.tokenEnv(s)...), warmup, runs, hiEnv, goClient)
	b.add(r)

	httpie := command{"HTTPie", fmt.Sprintf("http --ignore-stdin --body %s 'Authorization:Bearer %s'", b.personnelURL(s), s.token)}
	warmup, runs = b.cfg.runs(2, 20)
	r = row{title: "hi get, token from HI_TOKEN, vs HTTPie", commands: []command{hiEnv, httpie}, target: target{value: 0.1}}
	r.subject, r.reference, r.err = b.pair("get-env-httpie", b.env(b.tokenEnv(s)...), warmup, runs, hiEnv, httpie)
	b.add(r)
}

// pair times subject against reference in one hyperfine call, with the reference run before
// and after the subject (see bracketed).
func (b *bench) pair(id string, env []string, warmup, runs int, subject, reference command) (sample, sample, error) {
	subjects, ref, err := b.bracketed(id, env, warmup, runs, reference, subject)
	if err != nil {
		return sample{}, sample{}, err
	}
	return subjects[0], ref, nil
}

// oauthRows compares calls signed with a cached OAuth access token with a bearer call, all
// with their secrets in the keyring. Each method has a call of its own, so that the bearer
// runs are next to its runs on both sides.
func (b *bench) oauthRows() {
	profileCall := func(name, profile string) command {
		return command{name, b.cfg.hi() + " -p " + profile + " get " + personnelPath}
	}
	bearer := profileCall("bearer (keyring)", profileBearer)
	plain := profileCall("OAuth PLAINTEXT", profilePlainText)
	hmac := profileCall("OAuth HMAC-SHA1", profileHMAC)

	warmup, runs := b.cfg.runs(5, 100)
	for _, c := range []command{plain, hmac} {
		r := row{title: "hi get, " + c.name + " with a cached token, vs bearer from the keyring",
			commands: []command{c, bearer}, target: target{value: 1.1}}
		id := "oauth-" + strings.ToLower(strings.Fields(c.name)[1])
		r.subject, r.reference, r.err = b.pair(id, b.env(b.profileEnv...), warmup, runs, c, bearer)
		b.add(r)
	}
}

// versionRow compares hi version with a Go program that does nothing, and shows beside them
// one that only links net/http and one that links the packages hi is built on.
func (b *bench) versionRow() {
	version := command{"hi version", b.cfg.hi() + " version"}
	empty := command{"empty Go main", filepath.Join(b.cfg.bin, "emptymain")}
	netHTTP := command{"Go main linking net/http", filepath.Join(b.cfg.bin, "nethttpmain")}
	deps := command{"Go main linking cobra, viper, go-keyring, pretty and net/http", filepath.Join(b.cfg.bin, "depsmain")}
	warmup, runs := b.cfg.runs(20, 300)
	samples, reference, err := b.bracketed("version", b.env(b.profileEnv...), warmup, runs, empty, version, netHTTP, deps)
	r := row{title: "hi version vs an empty Go main", commands: []command{version, empty, netHTTP, deps},
		target: target{value: 1.3}, err: err}
	if err == nil {
		r.subject, r.reference = samples[0], reference
		r.note = fmt.Sprintf("A Go main that only links net/http takes %s, %.2f× the empty main; one that "+
			"links cobra, viper, go-keyring, pretty and net/http and does nothing else takes %s, %.2f×.",
			formatValue(samples[1].median, seconds), samples[1].median/reference.median,
			formatValue(samples[2].median, seconds), samples[2].median/reference.median)
	}
	b.add(r)
}

// paginateRows walks 100,000 items, compares the time with one curl given every page URL,
// and compares the peak memory with a walk of 1,000 items.
func (b *bench) paginateRows() {
	walk := b.cfg.hi() + " get " + personnelPath + " --paginate --ndjson -q limit=100"
	hiWalk := command{"hi --paginate", walk}
	title := fmt.Sprintf("hi get --paginate --ndjson of %d items vs one curl of every page", largeCollection)
	r := row{title: title, commands: []command{hiWalk}, target: target{value: 1.3}}
	r.err = b.hasFlags("--paginate", "--ndjson", "--records")
	if r.err == nil {
		var curl command
		curl, r.err = b.curlAllPages(b.main, largeCollection)
		r.commands = append(r.commands, curl)
		warmup, runs := b.cfg.runs(1, 10)
		if r.err == nil {
			r.subject, r.reference, r.err = b.pair("paginate-curl", b.env(b.tokenEnv(b.main)...), warmup, runs, hiWalk, curl)
		}
	}
	b.add(r)

	title = fmt.Sprintf("peak RSS of that walk vs a walk of %d items", smallCollection)
	r = row{title: title, commands: []command{{"hi --paginate", "/usr/bin/time -f %M " + walk}}, unit: mebibytes,
		target: target{value: 1.25}}
	r.err = b.hasFlags("--paginate", "--ndjson", "--records")
	if r.err == nil {
		_, runs := b.cfg.runs(0, 5)
		argv := strings.Fields(walk)
		r.subject, r.err = peakRSS(b.env(b.tokenEnv(b.main)...), runs, argv...)
		if r.err == nil {
			r.reference, r.err = peakRSS(b.env(b.tokenEnv(b.small)...), runs, argv...)
		}
	}
	b.add(r)
}

// curlAllPages writes a curl config that lists the URL of every page of the collection, so
// that one curl process fetches them all over one connection.
func (b *bench) curlAllPages(s *sandbox, items int) (command, error) {
	var config strings.Builder
	for offset := 0; offset < items; offset += 100 {
		fmt.Fprintf(&config, "url = \"%s?limit=100&offset=%d\"\n", b.personnelURL(s), offset)
	}
	path := filepath.Join(b.cfg.work, "pages.curl")
	if err := os.WriteFile(path, []byte(config.String()), 0o600); err != nil {
		return command{}, err
	}
	return b.curl(s, "-K "+path), nil
}

// parallelRow walks a collection on a sandbox that delays every response, one page at a
// time and with --parallel 8.
func (b *bench) parallelRow() {
	walk := b.cfg.hi() + " get " + personnelPath + " --paginate --ndjson -q limit=100"
	sequential := command{"hi --paginate", walk}
	parallel := command{"hi --paginate --parallel 8", walk + " --parallel 8"}
	r := row{title: "hi get --paginate, sequential vs --parallel 8, sandbox --latency " + sandboxLatency,
		commands: []command{sequential, parallel}, target: target{atLeast: true, value: 5}}
	r.err = b.hasFlags("--paginate", "--ndjson", "--parallel", "--latency", "--records")
	if r.err == nil {
		warmup, runs := b.cfg.runs(1, 5)
		r.subject, r.reference, r.err = b.pair("parallel", b.env(b.tokenEnv(b.slow)...), warmup, runs, sequential, parallel)
	}
	b.add(r)
}

// tokenCountRow logs in a new OAuth profile, runs 100 calls with it and counts the access
// tokens the sandbox issued, the login's included.
func (b *bench) tokenCountRow() {
	const calls = 100
	line := b.cfg.hi() + " -p " + profileCount + " get " + personnelPath
	r := row{title: fmt.Sprintf("access-token requests for a login and %d calls on one OAuth profile", calls),
		commands: []command{{"hi get", line}}, unit: count}
	r.err = b.main.resetStats()
	if r.err == nil {
		r.err = b.login(profileCount, b.main.consumerSecret, oauthArgs(b.main, "HMAC-SHA1")...)
	}
	for i := 0; i < calls && r.err == nil; i++ {
		cmd := exec.Command(b.cfg.hi(), strings.Fields(line)[1:]...)
		cmd.Env = b.env(b.profileEnv...)
		if out, err := cmd.CombinedOutput(); err != nil {
			r.err = fmt.Errorf("call %d: %w: %.200s", i+1, err, out)
		}
	}
	if r.err == nil {
		var n int
		n, r.err = b.main.tokenRequests()
		r.subject = sample{median: float64(n), runs: 1}
	}
	b.add(r)
}
