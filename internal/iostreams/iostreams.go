// Package iostreams decides the terminal facts of one hi invocation: which streams are
// terminals and whether colour is allowed.
package iostreams

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"sync"

	"golang.org/x/term"
)

// ColorMode is the value of the --color flag.
type ColorMode string

// The accepted --color values.
const (
	ColorAuto   ColorMode = "auto"
	ColorAlways ColorMode = "always"
	ColorNever  ColorMode = "never"
)

// IOStreams holds the standard streams and what is known about them.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY  bool
	stdoutTTY bool
	stderrTTY bool
	noColor   bool
	colorMode ColorMode

	stdinFd int

	// promptState is the terminal state saved while a secret prompt is open, else nil.
	promptMu    sync.Mutex
	promptState *term.State
}

// System returns the streams of the running process.
func System() *IOStreams {
	return &IOStreams{
		In:        os.Stdin,
		Out:       os.Stdout,
		ErrOut:    os.Stderr,
		stdinTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		stdoutTTY: term.IsTerminal(int(os.Stdout.Fd())),
		stderrTTY: term.IsTerminal(int(os.Stderr.Fd())),
		noColor:   os.Getenv("NO_COLOR") != "",
		colorMode: ColorAuto,
		stdinFd:   int(os.Stdin.Fd()),
	}
}

// Test returns streams backed by buffers; every TTY flag starts false.
func Test() (*IOStreams, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	in, out, errOut := &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut, colorMode: ColorAuto, stdinFd: -1}, in, out, errOut
}

// SetStdinTTY marks standard input as a terminal or not.
func (s *IOStreams) SetStdinTTY(v bool) { s.stdinTTY = v }

// SetStdoutTTY marks standard output as a terminal or not.
func (s *IOStreams) SetStdoutTTY(v bool) { s.stdoutTTY = v }

// SetStderrTTY marks standard error as a terminal or not.
func (s *IOStreams) SetStderrTTY(v bool) { s.stderrTTY = v }

// SetColorMode applies the --color flag.
func (s *IOStreams) SetColorMode(m ColorMode) { s.colorMode = m }

// IsStdinTTY reports whether standard input is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY }

// IsStdoutTTY reports whether standard output is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStderrTTY reports whether standard error is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// ColorEnabled reports whether output to stdout may carry ANSI colour: always with
// --color always, never with --color never, and otherwise only on a terminal without NO_COLOR.
func (s *IOStreams) ColorEnabled() bool {
	switch s.colorMode {
	case ColorAlways:
		return true
	case ColorNever:
		return false
	}
	return s.stdoutTTY && !s.noColor
}

// ReadSecret reads one line from standard input. On a terminal it prints prompt to stderr
// and turns echo off while reading; otherwise it reads the line as is.
//
// On a terminal the read can be interrupted: when ctx is cancelled, ReadSecret restores the
// terminal state it found, echo included, and returns the context's cause. The read itself
// cannot be stopped and stays pending in its goroutine, so the caller is expected to exit.
func (s *IOStreams) ReadSecret(ctx context.Context, prompt string) (string, error) {
	if !s.stdinTTY || s.stdinFd < 0 {
		b, err := io.ReadAll(io.LimitReader(s.In, 1<<20))
		if err != nil {
			return "", err
		}
		return strings.TrimSpace(string(b)), nil
	}

	saved, err := term.GetState(s.stdinFd)
	if err != nil {
		return "", err
	}
	s.setPromptState(saved)
	defer s.setPromptState(nil)

	type line struct {
		text []byte
		err  error
	}
	read := make(chan line, 1)
	io.WriteString(s.ErrOut, prompt)
	go func() {
		text, err := term.ReadPassword(s.stdinFd)
		read <- line{text, err}
	}()

	select {
	case l := <-read:
		io.WriteString(s.ErrOut, "\n")
		return string(l.text), l.err
	case <-ctx.Done():
		s.RestoreTerminal()
		io.WriteString(s.ErrOut, "\n")
		return "", context.Cause(ctx)
	}
}

// RestoreTerminal puts standard input back in the state it had before an open secret
// prompt turned echo off. Without an open prompt it does nothing. It is safe to call from
// another goroutine, such as a signal handler that is about to end the process.
func (s *IOStreams) RestoreTerminal() {
	s.promptMu.Lock()
	defer s.promptMu.Unlock()
	if s.promptState != nil {
		term.Restore(s.stdinFd, s.promptState)
	}
}

func (s *IOStreams) setPromptState(state *term.State) {
	s.promptMu.Lock()
	defer s.promptMu.Unlock()
	s.promptState = state
}
