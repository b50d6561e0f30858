package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// memoryVariants are the output flags of the walks whose peak memory is measured by size.
var memoryVariants = [][]string{nil, {"--ndjson"}, {"--parallel", "4"}}

// memoryRow is the peak RSS of walks over one collection, one sample per memoryVariants.
type memoryRow struct {
	items   int
	samples []sample
}

// measureMemory measures the peak RSS of --paginate walks over 1,000, 10,000 and 100,000
// items, as one document, as NDJSON and with --parallel 4.
func (b *bench) measureMemory() {
	if b.memoryErr = b.hasFlags("--paginate", "--ndjson", "--parallel", "--records"); b.memoryErr != nil {
		return
	}
	_, runs := b.cfg.runs(0, 3)
	sizes := []struct {
		items int
		s     *sandbox
	}{{smallCollection, b.small}, {mediumCollection, b.medium}, {largeCollection, b.main}}
	for _, size := range sizes {
		row := memoryRow{items: size.items}
		for _, flags := range memoryVariants {
			argv := append([]string{b.cfg.hi(), "get", personnelPath, "--paginate", "-q", "limit=100"}, flags...)
			s, err := peakRSS(b.env(b.tokenEnv(size.s)...), runs, argv...)
			if err != nil {
				b.memoryErr = fmt.Errorf("%d items %s: %w", size.items, strings.Join(flags, " "), err)
				return
			}
			row.samples = append(row.samples, s)
		}
		b.memory = append(b.memory, row)
	}
	fmt.Fprintln(os.Stderr, "benchtool: peak memory by size: ok")
}

func (b *bench) writeMemory(w *strings.Builder) {
	w.WriteString("\n## Peak memory of --paginate by collection size\n\n")
	var skip *skipError
	switch {
	case errors.As(b.memoryErr, &skip):
		fmt.Fprintf(w, "%s\n", skip.Error())
		return
	case b.memoryErr != nil:
		fmt.Fprintf(w, "failed: %s\n", firstWords(b.memoryErr.Error(), 20))
		return
	}
	w.WriteString("Peak resident set size (GNU time) of `$HI get /personnel/v1/personnel --paginate -q limit=100`\n" +
		"with the flags of each column, output to /dev/null; the median of the runs.\n\n")
	w.WriteString("| items | pages | one document | `--ndjson` | `--parallel 4` |\n|---:|---:|---:|---:|---:|\n")
	for _, row := range b.memory {
		cells := make([]string, len(row.samples))
		for i, s := range row.samples {
			cells[i] = formatValue(s.median, mebibytes)
		}
		fmt.Fprintf(w, "| %d | %d | %s |\n", row.items, row.items/100, strings.Join(cells, " | "))
	}
}
