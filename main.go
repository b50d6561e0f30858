// Command hi calls Cerner HealtheIntent REST APIs from a terminal or a script.
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/hi-cli/hi/cmd"
	"github.com/hi-cli/hi/internal/iostreams"
)

// Stamped by the release build with -ldflags "-X main.version=… -X main.commit=… -X main.date=…".
var (
	version = ""
	commit  = ""
	date    = ""
)

func main() {
	os.Exit(run())
}

func run() int {
	io := iostreams.System()
	f := cmd.NewFactory(io, buildInfo())
	defer f.Cleanup()

	root := cmd.NewRootCmd(f)
	c, err := root.ExecuteC()
	if err == nil {
		return cmd.ExitOK
	}
	if !cmd.IsReported(err) {
		fmt.Fprintf(io.ErrOut, "hi: %s\n", err)
		if hint := cmd.Hint(err); hint != "" {
			fmt.Fprintf(io.ErrOut, "hint: %s\n", hint)
		}
	}
	if cmd.IsUsage(err) {
		fmt.Fprintf(io.ErrOut, "\n%s", c.UsageString())
	}
	return cmd.ExitCode(err)
}

// buildInfo returns the stamped version, else what go install recorded in the binary.
func buildInfo() cmd.BuildInfo {
	b := cmd.BuildInfo{Version: version, Commit: commit, Date: date, GoVersion: runtime.Version()}
	info, ok := debug.ReadBuildInfo()
	if b.Version == "" && ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		b.Version = info.Main.Version
	}
	if ok {
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision" && b.Commit == "":
				b.Commit = s.Value
			case s.Key == "vcs.time" && b.Date == "":
				b.Date = s.Value
			}
		}
	}
	b.Version = orUnknown(b.Version, "dev")
	b.Commit = orUnknown(b.Commit, "unknown")
	b.Date = orUnknown(b.Date, "unknown")
	return b
}

func orUnknown(v, fallback string) string {
	if v == "" {
		return fallback
	}
	return v
}
