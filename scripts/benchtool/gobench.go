package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
)

// goBenchPackages are the packages whose Go benchmarks the report summarises: OAuth signing
// in internal/auth, page decoding, pagination and rendering in internal/httpx.
var goBenchPackages = []string{"./internal/auth", "./internal/httpx"}

// goBenchmark is one result line of go test -bench.
type goBenchmark struct {
	pkg    string
	name   string
	n      int
	values map[string]float64 // by unit: ns/op, MB/s, B/op, allocs/op, B/item
}

// runGoBenchmarks runs the benchmarks of goBenchPackages, briefly with --quick.
func (b *bench) runGoBenchmarks() {
	benchtime := "1s"
	if b.cfg.quick {
		benchtime = "1x"
	}
	args := append([]string{"test", "-run", "^$", "-bench", ".", "-benchmem", "-benchtime", benchtime}, goBenchPackages...)
	cmd := exec.Command("go", args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	fmt.Fprintf(os.Stderr, "benchtool: go %s\n", strings.Join(args, " "))
	if err != nil {
		b.goBenchErr = fmt.Errorf("go test: %w\n%s", err, out.String())
		return
	}
	b.goBench = parseGoBench(out.String())
	if len(b.goBench) == 0 {
		b.goBenchErr = errors.New("go test printed no benchmark result")
	}
}

// parseGoBench reads the result lines of go test -bench -benchmem output, which pair each
// value with its unit after the name and the iteration count.
func parseGoBench(output string) []goBenchmark {
	var results []goBenchmark
	pkg := ""
	scanner := bufio.NewScanner(strings.NewReader(output))
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		if len(fields) >= 2 && fields[0] == "pkg:" {
			pkg = fields[1]
			continue
		}
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") || len(fields)%2 != 0 {
			continue
		}
		n, err := strconv.Atoi(fields[1])
		if err != nil {
			continue
		}
		r := goBenchmark{pkg: pkg, name: trimProcs(fields[0]), n: n, values: map[string]float64{}}
		for i := 2; i+1 < len(fields); i += 2 {
			if v, err := strconv.ParseFloat(fields[i], 64); err == nil {
				r.values[fields[i+1]] = v
			}
		}
		results = append(results, r)
	}
	return results
}

// trimProcs removes the -GOMAXPROCS suffix that go test adds to a benchmark name.
func trimProcs(name string) string {
	if i := strings.LastIndexByte(name, '-'); i > 0 {
		if _, err := strconv.Atoi(name[i+1:]); err == nil {
			return name[:i]
		}
	}
	return name
}

// goBenchUnits lists the units of the report's table of Go benchmarks, in column order;
// units that no result has are left out.
func goBenchUnits(results []goBenchmark) []string {
	var units []string
	for _, u := range []string{"ns/op", "MB/s", "B/op", "allocs/op", "B/item"} {
		if slices.ContainsFunc(results, func(r goBenchmark) bool { _, ok := r.values[u]; return ok }) {
			units = append(units, u)
		}
	}
	return units
}
