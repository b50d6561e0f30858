// Package iostreams decides the terminal facts of one hi invocation: which streams are
// terminals and whether colour is allowed.
package iostreams

import (
	"bytes"
	"io"
	"os"
	"strings"

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
func (s *IOStreams) ReadSecret(prompt string) (string, error) {
	if s.stdinTTY && s.stdinFd >= 0 {
		io.WriteString(s.ErrOut, prompt)
		b, err := term.ReadPassword(s.stdinFd)
		io.WriteString(s.ErrOut, "\n")
		return string(b), err
	}
	b, err := io.ReadAll(io.LimitReader(s.In, 1<<20))
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}
