package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
)

// startupProfile is the summary of the GODEBUG=inittrace=1 output of one hi version: the
// package initialisers that took the longest, and the totals.
type startupProfile struct {
	packages    int
	totalMillis float64
	totalAllocs int
	slowest     []initRecord
	err         error
}

// initRecord is one line of the init trace.
type initRecord struct {
	pkg    string
	millis float64
	bytes  int
	allocs int
}

// profileStartup runs hi version with the runtime's init trace and keeps the median run of
// five by total init time.
func (b *bench) profileStartup() {
	var runs []startupProfile
	for range 5 {
		cmd := exec.Command(b.cfg.hi(), "version")
		cmd.Env = b.env(append(b.profileEnv, "GODEBUG=inittrace=1")...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			b.startup.err = fmt.Errorf("hi version: %w", err)
			return
		}
		runs = append(runs, parseInitTrace(stderr.String()))
	}
	slices.SortFunc(runs, func(x, y startupProfile) int {
		switch {
		case x.totalMillis < y.totalMillis:
			return -1
		case x.totalMillis > y.totalMillis:
			return 1
		}
		return 0
	})
	b.startup = runs[len(runs)/2]
}

// parseInitTrace reads lines such as
// "init net/http @2.5 ms, 0.022 ms clock, 2224 bytes, 29 allocs", whose fields are counted
// below with the commas removed.
func parseInitTrace(trace string) startupProfile {
	var p startupProfile
	var records []initRecord
	scanner := bufio.NewScanner(strings.NewReader(trace))
	for scanner.Scan() {
		fields := strings.Fields(strings.NewReplacer(",", "").Replace(scanner.Text()))
		if len(fields) < 10 || fields[0] != "init" {
			continue
		}
		var r initRecord
		r.pkg = fields[1]
		r.millis, _ = strconv.ParseFloat(fields[4], 64)
		r.bytes, _ = strconv.Atoi(fields[7])
		r.allocs, _ = strconv.Atoi(fields[9])
		records = append(records, r)
		p.totalMillis += r.millis
		p.totalAllocs += r.allocs
	}
	p.packages = len(records)
	slices.SortFunc(records, func(x, y initRecord) int {
		switch {
		case x.millis > y.millis:
			return -1
		case x.millis < y.millis:
			return 1
		}
		return 0
	})
	p.slowest = records[:min(5, len(records))]
	return p
}
