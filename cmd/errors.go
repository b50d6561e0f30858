package cmd

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hi-cli/hi/internal/config"
)

// Exit codes, published in docs/exit-codes.md.
const (
	ExitOK          = 0
	ExitError       = 1 // no HTTP response: network, config, keyring, credentials
	ExitUsage       = 2
	ExitRedirect    = 3 // a 3xx other than 304 that was not followed
	ExitClientError = 4
	ExitServerError = 5
	ExitInterrupted = 130 // 128 + SIGINT, as shells report a command ended by Ctrl-C
	ExitTerminated  = 143 // 128 + SIGTERM, which timeout(1), CI runners and containers send
)

// ErrInterrupted is the cause of the cancelled context of a command that the user
// interrupted with Ctrl-C (SIGINT). It exits with ExitInterrupted.
var ErrInterrupted = errors.New("interrupted")

// ErrTerminated is the cause of the cancelled context of a command stopped with SIGTERM.
// It is handled like ErrInterrupted and exits with ExitTerminated.
var ErrTerminated = errors.New("terminated")

// UsageError is bad command-line input. It exits with ExitUsage and the usage is printed
// after the message.
type UsageError struct {
	Err error
}

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usageErrorf(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}

// StatusError is an HTTP response outside 2xx and 304. Its summary line has already been
// printed, so main prints nothing more.
type StatusError struct {
	StatusCode int
}

func (e *StatusError) Error() string { return fmt.Sprintf("HTTP %d", e.StatusCode) }

// SilentError carries an exit code for a failure that has already been reported.
type SilentError struct {
	Code int
}

func (e *SilentError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// ExitCode maps the error returned by a command to the process exit status.
func ExitCode(err error) int {
	var usage *UsageError
	var status *StatusError
	var silent *SilentError
	var unknownProfile *config.UnknownProfileError
	var invalidValue *config.InvalidValueError
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, ErrInterrupted):
		return ExitInterrupted
	case errors.Is(err, ErrTerminated):
		return ExitTerminated
	case errors.As(err, &status):
		return statusExitCode(status.StatusCode)
	case errors.As(err, &silent):
		return silent.Code
	case errors.As(err, &usage), errors.As(err, &unknownProfile), errors.As(err, &invalidValue), isCobraUsage(err):
		return ExitUsage
	}
	return ExitError
}

// IsUsage reports whether err should be followed by the command's usage text.
func IsUsage(err error) bool {
	var usage *UsageError
	return errors.As(err, &usage) || isCobraUsage(err)
}

// IsReported reports whether err was already reported to the user.
func IsReported(err error) bool {
	var status *StatusError
	var silent *SilentError
	return errors.As(err, &status) || errors.As(err, &silent)
}

func statusExitCode(code int) int {
	switch {
	case code >= 200 && code < 300, code == 304:
		return ExitOK
	case code >= 300 && code < 400:
		return ExitRedirect
	case code >= 400 && code < 500:
		return ExitClientError
	case code >= 500:
		return ExitServerError
	}
	return ExitError
}

// isCobraUsage recognises the errors cobra returns for an unknown command or flag, which
// it does not type.
func isCobraUsage(err error) bool {
	msg := err.Error()
	return strings.HasPrefix(msg, "unknown command") || strings.HasPrefix(msg, "unknown flag") ||
		strings.HasPrefix(msg, "unknown shorthand flag")
}

// hintError is an error followed by a separate line that names the next step.
type hintError struct {
	err  error
	hint string
}

func (e *hintError) Error() string { return e.err.Error() }
func (e *hintError) Unwrap() error { return e.err }

// withHint attaches a next step to err.
func withHint(err error, hint string) error {
	return &hintError{err: err, hint: hint}
}

// Hint returns the next step attached to err, or "".
func Hint(err error) string {
	var h *hintError
	if errors.As(err, &h) {
		return h.hint
	}
	return ""
}
