// Command benchtool runs the comparisons of scripts/bench and writes their report. It needs hi
// and the reference programs in -bin, and hyperfine, curl, HTTPie and GNU time on PATH. The
// keyring rows also need a Secret Service. scripts/bench provides all of them.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	var cfg config
	flag.StringVar(&cfg.bin, "bin", "", "`directory` with hi, getclient, emptymain, nethttpmain and depsmain")
	flag.StringVar(&cfg.out, "out", "docs/benchmarks.md", "report `file` to write")
	flag.BoolVar(&cfg.quick, "quick", false, "run each row a few times only, to check that it works")
	flag.Parse()
	if cfg.bin == "" {
		fmt.Fprintln(os.Stderr, "benchtool: -bin is required")
		os.Exit(2)
	}
	if err := run(&cfg); err != nil {
		fmt.Fprintln(os.Stderr, "benchtool:", err)
		os.Exit(1)
	}
}

// config is the command line of one run.
type config struct {
	bin   string
	out   string
	quick bool
	// work is a temporary directory for the home, config, cache and exported results.
	work string
}

func (c *config) hi() string { return filepath.Join(c.bin, "hi") }

// runs returns the number of warm-up and timed runs of a comparison: as given in a normal
// run, one and two with --quick.
func (c *config) runs(warmup, runs int) (int, int) {
	if c.quick {
		return min(warmup, 1), 2
	}
	return warmup, runs
}

func run(cfg *config) error {
	work, err := os.MkdirTemp("", "hi-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	cfg.work = work

	b := &bench{cfg: cfg}
	defer b.stopSandboxes()
	if err := b.prepare(); err != nil {
		return err
	}
	b.runRows()
	b.measureMemory()
	b.runGoBenchmarks()
	b.profileStartup()

	report := b.report()
	if err := os.WriteFile(cfg.out, []byte(report), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "benchtool: wrote %s\n", cfg.out)
	return b.failures()
}

// failures returns an error naming every row and benchmark that produced no figure. A row
// skipped for a missing flag is not a failure.
func (b *bench) failures() error {
	var failed []string
	for _, r := range b.rows {
		if r.err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", r.title, r.err))
		}
	}
	if b.goBenchErr != nil {
		failed = append(failed, fmt.Sprintf("Go benchmarks: %v", b.goBenchErr))
	}
	var skip *skipError
	if b.memoryErr != nil && !errors.As(b.memoryErr, &skip) {
		failed = append(failed, fmt.Sprintf("peak memory by size: %v", b.memoryErr))
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d rows produced no figure:\n  %s", len(failed), strings.Join(failed, "\n  "))
	}
	return nil
}
