// Command hi calls Cerner HealtheIntent REST APIs from a terminal or a script.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/hi-cli/hi/cmd"
	"github.com/hi-cli/hi/internal/iostreams"
	"github.com/hi-cli/hi/internal/termtext"
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
	ctx, stop := watchInterrupt(io, f.RunInterruptCleanups)
	defer stop()

	root := cmd.NewRootCmdFor(f, os.Args[1:])
	c, err := root.ExecuteContextC(ctx)
	if err == nil {
		return cmd.ExitOK
	}
	if cause := context.Cause(ctx); errors.Is(cause, cmd.ErrInterrupted) || errors.Is(cause, cmd.ErrTerminated) {
		// Whatever failed, it failed because the user or the system stopped it.
		err = cause
	}
	if !cmd.IsReported(err) {
		// An error can quote what a server sent, such as an OAuth problem or a jq error
		// about a value, so its control characters are escaped.
		fmt.Fprintf(io.ErrOut, "hi: %s\n", termtext.Text([]byte(err.Error())))
		if hint := cmd.Hint(err); hint != "" {
			fmt.Fprintf(io.ErrOut, "hint: %s\n", termtext.Text([]byte(hint)))
		}
	}
	if cmd.IsUsage(err) {
		fmt.Fprintf(io.ErrOut, "\n%s", c.UsageString())
	}
	return cmd.ExitCode(err)
}

// interruptGrace is how long a command has to return after Ctrl-C before hi exits anyway.
// Commands that watch their context return at once; the grace lets them remove temporary
// files, while a command blocked elsewhere cannot keep hi running.
const interruptGrace = time.Second

// watchInterrupt returns a context that is cancelled on the first SIGINT (with cause
// cmd.ErrInterrupted) or SIGTERM (cmd.ErrTerminated), and the function that stops watching.
// If the command has not returned interruptGrace later, or on a second signal, the process
// exits with status 130 or 143. Before it exits, it runs cleanup, which undoes a login's
// keyring writes, and restores the terminal state that an open secret prompt changed.
func watchInterrupt(io *iostreams.IOStreams, cleanup func()) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	signals := make(chan os.Signal, 2)
	done := make(chan struct{})
	go func() {
		// os/signal starts threads of its own on the first Notify, which costs a short call
		// a few tenths of a millisecond on some virtual machines. Calling Notify here lets
		// that happen beside the command rather than before it. A signal in the moment
		// before, when nothing needs cleaning up, ends hi as the default action does.
		signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
		defer signal.Stop(signals)
		cause, code := cmd.ErrInterrupted, cmd.ExitInterrupted
		select {
		case sig := <-signals:
			if sig == syscall.SIGTERM {
				cause, code = cmd.ErrTerminated, cmd.ExitTerminated
			}
			cancel(cause)
		case <-done:
			return
		}
		select {
		case <-signals:
		case <-time.After(interruptGrace):
		case <-done:
			return
		}
		cleanup()
		io.RestoreTerminal()
		fmt.Fprintf(io.ErrOut, "hi: %s\n", cause)
		os.Exit(code)
	}()
	return ctx, func() {
		close(done)
	}
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
