package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// report returns the Markdown of docs/benchmarks.md.
func (b *bench) report() string {
	var w strings.Builder
	w.WriteString("# Benchmarks\n\n")
	w.WriteString("Written by `scripts/bench`; do not edit by hand. Each timed comparison ran in one hyperfine\n" +
		"call against `hi sandbox` on 127.0.0.1, with the reference run both before and after hi, so\n" +
		"that both sides share the machine's state. Figures are medians with the interquartile range\n" +
		"and the number of runs, the reference's two runs counted together; a ratio is hi's median\n" +
		"divided by the reference's.\n")
	if b.cfg.quick {
		w.WriteString("\n**Quick run**: two runs per row, to check that every row works. These figures are not\n" +
			"measurements.\n")
	}
	b.writeMachine(&w)
	b.writeRows(&w)
	b.writeMemory(&w)
	b.writeCommands(&w)
	b.writeGoBenchmarks(&w)
	b.writeStartup(&w)
	w.WriteString(analysis)
	return w.String()
}

func (b *bench) writeMachine(w *strings.Builder) {
	w.WriteString("\n## Machine\n\n")
	fmt.Fprintf(w, "- CPU: %s, %d cores\n", cpuModel(), runtime.NumCPU())
	fmt.Fprintf(w, "- memory: %s\n", memTotal())
	fmt.Fprintf(w, "- Go: %s (hi and the Go references built with CGO_ENABLED=0 -trimpath -ldflags \"-s -w\", as released)\n",
		firstLine("go", "version"))
	fmt.Fprintf(w, "- %s; %s; HTTPie %s\n", firstLine("hyperfine", "--version"), firstWords(firstLine("curl", "--version"), 2),
		firstLine("http", "--version"))
	fmt.Fprintf(w, "- date: %s\n", time.Now().UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(w, "- load average (1, 5 and 15 minutes) at the start: %s; at the end: %s\n",
		b.loadBefore, loadAverage())
}

// loadAverage returns the first three fields of /proc/loadavg, the number of runnable
// processes averaged over 1, 5 and 15 minutes. Figures taken under a load above the number
// of cores are slower and noisier.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return firstWords(string(data), 3)
}

func (b *bench) writeRows(w *strings.Builder) {
	w.WriteString("\n## Results\n\n")
	w.WriteString("| # | comparison | hi | reference | ratio | target | result |\n")
	w.WriteString("|---|---|---|---|---|---|---|\n")
	for i, r := range b.rows {
		cells := rowCells(r)
		if b.cfg.quick && r.err == nil && r.unit != count {
			// Two runs per row measure nothing, so a quick run judges only the count row.
			cells[len(cells)-1] = "not judged"
		}
		fmt.Fprintf(w, "| %d | %s | %s |\n", i+1, r.title, strings.Join(cells, " | "))
	}
	for i, r := range b.rows {
		if r.note != "" {
			fmt.Fprintf(w, "\nRow %d: %s\n", i+1, r.note)
		}
	}
}

// rowCells returns the hi, reference, ratio, target and result cells of r.
func rowCells(r row) []string {
	var skip *skipError
	switch {
	case errors.As(r.err, &skip):
		return []string{"", "", "", "", skip.Error()}
	case r.err != nil:
		return []string{"", "", "", "", "failed: " + strings.ReplaceAll(firstWords(r.err.Error(), 12), "|", "/")}
	case r.unit == count:
		return []string{formatValue(r.subject.median, count), "", "", "= 1", metOrMissed(r.subject.median == 1)}
	}
	return []string{formatSample(r.subject, r.unit), formatSample(r.reference, r.unit),
		fmt.Sprintf("%.2f×", r.ratio), r.target.String(), metOrMissed(r.target.met(r.ratio))}
}

func metOrMissed(ok bool) string {
	if ok {
		return "met"
	}
	return "**missed**"
}

func formatSample(s sample, u unit) string {
	return fmt.Sprintf("%s (%s–%s, %d runs)", formatValue(s.median, u), formatValue(s.q1, u), formatValue(s.q3, u), s.runs)
}

func formatValue(v float64, u unit) string {
	switch u {
	case mebibytes:
		return fmt.Sprintf("%.1f MiB", v/(1<<20))
	case count:
		return fmt.Sprintf("%.0f", v)
	}
	switch {
	case v >= 1:
		return fmt.Sprintf("%.2f s", v)
	case v >= 0.01:
		return fmt.Sprintf("%.1f ms", v*1000)
	}
	return fmt.Sprintf("%.2f ms", v*1000)
}

func (b *bench) writeCommands(w *strings.Builder) {
	w.WriteString("\n## Command lines\n\n")
	w.WriteString("`$HI` is the hi binary under test, `$BIN` the directory of the Go references built\n" +
		"from `scripts/benchtool`, `$SANDBOX` and `$TOKEN` the URL and bearer token of the sandbox of the\n" +
		"row, and `$WORK` the run's temporary directory.\n")
	for i, r := range b.rows {
		fmt.Fprintf(w, "\n%d. %s\n", i+1, r.title)
		for _, c := range r.commands {
			fmt.Fprintf(w, "   - %s: `%s`\n", c.name, b.redact(c.line))
		}
	}
}

// redact replaces the paths, URLs and tokens of the run with names.
func (b *bench) redact(line string) string {
	pairs := []string{b.cfg.hi(), "$HI", b.cfg.bin + "/", "$BIN/", b.cfg.work + "/", "$WORK/"}
	for _, s := range b.sandboxes {
		pairs = append(pairs, s.url, "$SANDBOX", s.token, "$TOKEN")
	}
	return strings.NewReplacer(pairs...).Replace(line)
}

func (b *bench) writeGoBenchmarks(w *strings.Builder) {
	w.WriteString("\n## Go benchmarks\n\n")
	args := "-benchmem"
	if b.cfg.quick {
		args += " -benchtime 1x"
	}
	fmt.Fprintf(w, "`go test -run '^$' -bench . %s %s`\n\n", args, strings.Join(goBenchPackages, " "))
	if b.goBenchErr != nil {
		fmt.Fprintf(w, "failed: %s\n", firstWords(b.goBenchErr.Error(), 20))
		return
	}
	units := goBenchUnits(b.goBench)
	fmt.Fprintf(w, "| package | benchmark | %s |\n|---|---|%s\n", strings.Join(units, " | "), strings.Repeat("---|", len(units)))
	for _, r := range b.goBench {
		cells := make([]string, len(units))
		for i, u := range units {
			if v, ok := r.values[u]; ok {
				cells[i] = strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
			}
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", strings.TrimPrefix(r.pkg, "github.com/hi-cli/hi/"), r.name, strings.Join(cells, " | "))
	}
}

func (b *bench) writeStartup(w *strings.Builder) {
	w.WriteString("\n## Start-up profile of hi version\n\n")
	if b.startup.err != nil {
		fmt.Fprintf(w, "failed: %v\n", b.startup.err)
		return
	}
	p := b.startup
	fmt.Fprintf(w, "`GODEBUG=inittrace=1 hi version`, the median of five runs by total: %d package initialisers "+
		"ran for %.2f ms in all and made %d allocations. The slowest:\n\n", p.packages, p.totalMillis, p.totalAllocs)
	w.WriteString("| package | ms | bytes | allocs |\n|---|---|---|---|\n")
	for _, r := range p.slowest {
		fmt.Fprintf(w, "| %s | %.3f | %d | %d |\n", r.pkg, r.millis, r.bytes, r.allocs)
	}
}

func cpuModel() string {
	data, _ := os.ReadFile("/proc/cpuinfo")
	for _, line := range strings.Split(string(data), "\n") {
		if name, value, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return runtime.GOARCH
}

func memTotal() string {
	data, _ := os.ReadFile("/proc/meminfo")
	var kilobytes float64
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			fmt.Sscan(rest, &kilobytes)
		}
	}
	return fmt.Sprintf("%.1f GiB", kilobytes/(1<<20))
}

// firstLine returns the first line that a command prints, or "unknown".
func firstLine(name string, args ...string) string {
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		return "unknown " + name
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return line
}

// firstWords returns the first n words of s.
func firstWords(s string, n int) string {
	words := strings.Fields(s)
	return strings.Join(words[:min(n, len(words))], " ")
}
