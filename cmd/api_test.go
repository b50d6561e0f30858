package cmd

import (
	"errors"
	"strings"
	"testing"
)

func TestAPIListFlags(t *testing.T) {
	cases := []struct {
		name      string
		args      []string
		wantUsage bool
		wantJSON  bool
	}{
		{name: "no flags", args: []string{"list"}},
		{name: "json flag", args: []string{"list", "--json"}, wantJSON: true},
		{name: "stray argument", args: []string{"list", "personnel"}, wantUsage: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got *apiListOptions
			c := NewAPICmd(testFactory(), func(o *apiListOptions) error { got = o; return nil }, nil)
			err := execute(c, tc.args...)
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
			if got.JSON != tc.wantJSON {
				t.Errorf("JSON = %t, want %t", got.JSON, tc.wantJSON)
			}
		})
	}
}

func TestAPIShowFlags(t *testing.T) {
	cases := []struct {
		name      string
		args      []string
		wantUsage bool
		wantName  string
		wantJSON  bool
	}{
		{name: "key", args: []string{"show", "personnel"}, wantName: "personnel"},
		{name: "name with space and json", args: []string{"show", "Data Syndication", "--json"},
			wantName: "Data Syndication", wantJSON: true},
		{name: "missing name", args: []string{"show"}, wantUsage: true},
		{name: "two names", args: []string{"show", "tenant", "personnel"}, wantUsage: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got *apiShowOptions
			c := NewAPICmd(testFactory(), nil, func(o *apiShowOptions) error { got = o; return nil })
			err := execute(c, tc.args...)
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
			if got.Name != tc.wantName {
				t.Errorf("Name = %q, want %q", got.Name, tc.wantName)
			}
			if got.JSON != tc.wantJSON {
				t.Errorf("JSON = %t, want %t", got.JSON, tc.wantJSON)
			}
		})
	}
}

func TestAPINotFoundError(t *testing.T) {
	cases := []struct {
		name    string
		input   string
		wantMsg string
	}{
		{name: "typo lists close matches", input: "persnnel", wantMsg: `API "persnnel" not found: did you mean personnel?`},
		{name: "nothing close", input: "zzzzzzzzzzzz",
			wantMsg: `API "zzzzzzzzzzzz" not found in the catalog: run hi api list to see them`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := runAPIShow(&apiShowOptions{IO: testFactory().IO, Name: tc.input})
			if ExitCode(err) != ExitUsage {
				t.Errorf("exit code = %d, want %d", ExitCode(err), ExitUsage)
			}
			if err == nil || !strings.HasPrefix(err.Error(), tc.wantMsg) {
				t.Errorf("error = %v, want %q", err, tc.wantMsg)
			}
		})
	}
}
