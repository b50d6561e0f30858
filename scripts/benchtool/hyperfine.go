package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"time"
)

// command is one command line of a comparison and the name it is shown under.
type command struct {
	name string
	line string
}

// sample is the distribution of one measured quantity: wall time in seconds, or a size.
type sample struct {
	median, q1, q3 float64
	runs           int
	values         []float64
}

// hyperfine runs the commands in one hyperfine call, so that they share the machine's
// state, and returns the wall times of each, in order.
func (b *bench) hyperfine(id string, env []string, warmup, runs int, commands ...command) ([]sample, error) {
	export := filepath.Join(b.cfg.work, id+".json")
	args := []string{"--shell=none", "--style", "none", "--export-json", export,
		"--warmup", strconv.Itoa(warmup), "--runs", strconv.Itoa(runs)}
	for _, c := range commands {
		args = append(args, "--command-name", c.name, c.line)
	}
	cmd := exec.Command("hyperfine", args...)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("hyperfine: %w: %s", err, out)
	}

	data, err := os.ReadFile(export)
	if err != nil {
		return nil, err
	}
	var results struct {
		Results []struct {
			Times []float64 `json:"times"`
		} `json:"results"`
	}
	if err := json.Unmarshal(data, &results); err != nil {
		return nil, fmt.Errorf("read %s: %w", export, err)
	}
	if len(results.Results) != len(commands) {
		return nil, fmt.Errorf("hyperfine returned %d results for %d commands", len(results.Results), len(commands))
	}

	samples := make([]sample, len(commands))
	for i, r := range results.Results {
		if len(r.Times) == 0 {
			return nil, fmt.Errorf("hyperfine timed no run of %s", commands[i].name)
		}
		samples[i] = newSample(r.Times)
	}
	return samples, nil
}

// newSample returns the median and quartiles of values.
func newSample(values []float64) sample {
	sorted := slices.Clone(values)
	slices.Sort(sorted)
	return sample{
		median: quantile(sorted, 0.5),
		q1:     quantile(sorted, 0.25),
		q3:     quantile(sorted, 0.75),
		runs:   len(sorted),
		values: sorted,
	}
}

// merge returns the sample of the values of a and b together.
func merge(a, b sample) sample {
	return newSample(append(slices.Clone(a.values), b.values...))
}

// bracketed runs subjects in one hyperfine call between two runs of reference, and returns
// the subjects' samples and the reference's two runs merged. hyperfine times one command
// after the other, so a change in the machine's load during the call would otherwise count
// against whichever command ran last.
func (b *bench) bracketed(id string, env []string, warmup, runs int, reference command,
	subjects ...command) ([]sample, sample, error) {
	again := command{reference.name + ", again", reference.line}
	commands := append(append([]command{reference}, subjects...), again)
	samples, err := b.hyperfine(id, env, warmup, runs, commands...)
	if err != nil {
		return nil, sample{}, err
	}
	return samples[1 : len(samples)-1], merge(samples[0], samples[len(samples)-1]), nil
}

// quantile interpolates linearly between the closest ranks of sorted.
func quantile(sorted []float64, q float64) float64 {
	pos := q * float64(len(sorted)-1)
	lower := int(pos)
	if lower+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	frac := pos - float64(lower)
	return sorted[lower]*(1-frac) + sorted[lower+1]*frac
}

// peakRSS runs argv runs times under GNU time and returns the peak resident set sizes in
// bytes.
func peakRSS(env []string, runs int, argv ...string) (sample, error) {
	var sizes []float64
	for range runs {
		report := filepath.Join(os.TempDir(), fmt.Sprintf("hi-bench-rss-%d", time.Now().UnixNano()))
		cmd := exec.Command("/usr/bin/time", append([]string{"-f", "%M", "-o", report}, argv...)...)
		cmd.Env = env
		err := cmd.Run()
		data, readErr := os.ReadFile(report)
		os.Remove(report)
		if err != nil {
			return sample{}, fmt.Errorf("%s: %w", argv[0], err)
		}
		if readErr != nil {
			return sample{}, readErr
		}
		var kilobytes float64
		if _, err := fmt.Sscan(string(data), &kilobytes); err != nil {
			return sample{}, fmt.Errorf("read GNU time output %q: %w", data, err)
		}
		sizes = append(sizes, kilobytes*1024)
	}
	return newSample(sizes), nil
}

// getJSON decodes the JSON body of a GET to url into v.
func getJSON(url string, v any) error {
	return getJSONWithToken(url, "", v)
}

// getJSONWithToken decodes the JSON body of a GET to url, with token as its bearer token
// unless it is empty, into v.
func getJSONWithToken(url, token string, v any) error {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: HTTP %s", url, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}
