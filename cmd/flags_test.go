package cmd

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"testing"

	"github.com/spf13/cobra"

	"github.com/hi-cli/hi/internal/iostreams"
)

func testFactory() *Factory {
	io, _, _, _ := iostreams.Test()
	return NewFactory(io, BuildInfo{Version: "test"})
}

// execute runs c with args and returns the error, with output discarded.
func execute(c *cobra.Command, args ...string) error {
	c.SetArgs(args)
	c.SetOut(io.Discard)
	c.SetErr(io.Discard)
	c.SilenceErrors, c.SilenceUsage = true, true
	return c.Execute()
}

func TestLoginFlags(t *testing.T) {
	cases := []struct {
		name      string
		args      []string
		wantUsage bool
		want      loginOptions
	}{
		{name: "tenant with default region", args: []string{"--tenant", "cernerdemo"},
			want: loginOptions{Profile: "default", Tenant: "cernerdemo", Region: "us-1"}},
		{name: "base url from stdin", args: []string{"--base-url", "http://127.0.0.1:1", "--with-token"},
			want: loginOptions{Profile: "default", BaseURL: "http://127.0.0.1:1", Region: "us-1", WithToken: true}},
		{name: "insecure storage", args: []string{"--tenant", "t", "--insecure-storage", "--skip-verify"},
			want: loginOptions{Profile: "default", Tenant: "t", Region: "us-1", InsecureStorage: true, SkipVerify: true}},
		{name: "tenant and base url conflict", args: []string{"--tenant", "t", "--base-url", "http://127.0.0.1:1"}, wantUsage: true},
		{name: "region without tenant", args: []string{"--region", "us-1"}, wantUsage: true},
		{name: "token as argument", args: []string{"secret-token"}, wantUsage: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got *loginOptions
			err := execute(NewLoginCmd(testFactory(), func(o *loginOptions) error { got = o; return nil }), tc.args...)
			if tc.wantUsage {
				var usage *UsageError
				if !errors.As(err, &usage) {
					t.Fatalf("error = %v, want a usage error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.IO, got.Factory, got.ctx = nil, nil, nil
			if *got != tc.want {
				t.Errorf("options = %+v, want %+v", *got, tc.want)
			}
		})
	}
}

func TestRequestFlags(t *testing.T) {
	var got *requestOptions
	c := NewRequestCmd(testFactory(), "POST", func(o *requestOptions) error { got = o; return nil })
	err := execute(c, "/personnel/v1/personnel", "-q", "a=1", "-q", "b=2", "-H", "X-A: 1", "-d", "@body.json", "-i", "--raw", "-o", "out")
	if err != nil {
		t.Fatal(err)
	}
	if got.Method != "POST" || got.Path != "/personnel/v1/personnel" {
		t.Errorf("method, path = %q, %q", got.Method, got.Path)
	}
	if !slices.Equal(got.Query, []string{"a=1", "b=2"}) {
		t.Errorf("query = %q", got.Query)
	}
	if !slices.Equal(got.Headers, []string{"X-A: 1"}) {
		t.Errorf("headers = %q", got.Headers)
	}
	if got.Data != "@body.json" || !got.Include || !got.Raw || got.Output != "out" {
		t.Errorf("data, include, raw, output = %q, %v, %v, %q", got.Data, got.Include, got.Raw, got.Output)
	}

	cases := []struct {
		name string
		args []string
	}{
		{name: "path missing", args: nil},
		{name: "two paths", args: []string{"/a", "/b"}},
		{name: "empty data", args: []string{"/a", "-d", ""}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := NewRequestCmd(testFactory(), "GET", func(o *requestOptions) error { return nil })
			var usage *UsageError
			if err := execute(c, tc.args...); !errors.As(err, &usage) {
				t.Errorf("error = %v, want a usage error", err)
			}
		})
	}
}

func TestTokenFlags(t *testing.T) {
	var got *tokenOptions
	if err := execute(NewTokenCmd(testFactory(), func(o *tokenOptions) error { got = o; return nil }), "--header"); err != nil {
		t.Fatal(err)
	}
	if !got.Header {
		t.Error("--header not set")
	}
}

func TestExitCode(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want int
	}{
		{name: "no error", err: nil, want: 0},
		{name: "not modified", err: &StatusError{StatusCode: 304}, want: 0},
		{name: "redirect", err: &StatusError{StatusCode: 302}, want: 3},
		{name: "client error", err: &StatusError{StatusCode: 422}, want: 4},
		{name: "server error", err: &StatusError{StatusCode: 503}, want: 5},
		{name: "usage", err: usageErrorf("bad"), want: 2},
		{name: "cobra unknown command", err: errors.New(`unknown command "x" for "hi"`), want: 2},
		{name: "other failure", err: errors.New("connection refused"), want: 1},
		{name: "interrupted", err: ErrInterrupted, want: 130},
		{name: "interrupted prompt", err: fmt.Errorf("read the secret: %w", ErrInterrupted), want: 130},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := ExitCode(tc.err); got != tc.want {
				t.Errorf("ExitCode = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestHelpUnknownTopic(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{name: "typo gets suggestion", args: []string{"help", "enviroment"},
			want: `unknown help topic "enviroment": did you mean environment?`},
		{name: "prefix gets suggestion", args: []string{"help", "exit"},
			want: `unknown help topic "exit": did you mean exit-codes?`},
		{name: "subcommand typo gets full path", args: []string{"help", "api", "shw"},
			want: `unknown help topic "api shw": did you mean api show?`},
		{name: "nothing close", args: []string{"help", "zzzzzz"},
			want: `unknown help topic "zzzzzz": run hi help to list commands and topics`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := execute(NewRootCmd(testFactory()), tc.args...)
			var usage *UsageError
			if !errors.As(err, &usage) {
				t.Fatalf("error = %v, want a usage error", err)
			}
			if err.Error() != tc.want {
				t.Errorf("message = %q, want %q", err.Error(), tc.want)
			}
		})
	}
	if err := execute(NewRootCmd(testFactory()), "help", "environment"); err != nil {
		t.Errorf("hi help environment: %v", err)
	}
}
