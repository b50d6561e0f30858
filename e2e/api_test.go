package e2e

import (
	"strings"
	"testing"

	"github.com/hi-cli/hi/internal/catalog"
)

func TestAPIListPipedIsJSON(t *testing.T) {
	e := newEnv(t)
	r := e.run("", "api", "list")
	wantCode(t, r, 0)
	if r.stderr != "" {
		t.Errorf("stderr = %q, want nothing", r.stderr)
	}
	apis := decode[[]catalog.API](t, r.stdout)
	if len(apis) != len(catalog.All()) {
		t.Errorf("listed %d APIs, want %d", len(apis), len(catalog.All()))
	}
	var personnel *catalog.API
	for i := range apis {
		if apis[i].Key == "personnel" {
			personnel = &apis[i]
		}
	}
	if personnel == nil {
		t.Fatal("no API with key personnel")
	}
	if personnel.BasePath != "/personnel/v1" || personnel.Version != "v1" || len(personnel.Endpoints) == 0 {
		t.Errorf("personnel = %+v", personnel)
	}
}

func TestAPIListOnTerminal(t *testing.T) {
	e := newEnv(t)
	r := e.runTTY("api", "list")
	wantCode(t, r, 0)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	all := catalog.All()
	if len(lines) != len(all) {
		t.Fatalf("printed %d lines, want one per API (%d):\n%s", len(lines), len(all), r.stdout)
	}
	for i, a := range all {
		fields := strings.Fields(strings.TrimPrefix(lines[i], a.Name))
		if !strings.HasPrefix(lines[i], a.Name+" ") || len(fields) < 3 {
			t.Errorf("line %d = %q, want %s first", i, lines[i], a.Name)
			continue
		}
		if fields[0] != a.Version && !(a.Version == "" && fields[0] == "-") {
			t.Errorf("line %d version = %q, want %q", i, fields[0], a.Version)
		}
		if fields[1] != a.BasePath {
			t.Errorf("line %d base path = %q, want %q", i, fields[1], a.BasePath)
		}
		if got := strings.Join(fields[2:], " "); got != strings.Join(strings.Fields(a.Summary), " ") {
			t.Errorf("line %d summary = %q, want %q", i, got, a.Summary)
		}
	}
}

func TestAPIListJSONFlagOnTerminal(t *testing.T) {
	e := newEnv(t)
	r := e.runTTY("api", "list", "--json")
	wantCode(t, r, 0)
	if apis := decode[[]catalog.API](t, r.stdout); len(apis) != len(catalog.All()) {
		t.Errorf("listed %d APIs, want %d", len(apis), len(catalog.All()))
	}
}

func TestAPIShow(t *testing.T) {
	cases := []struct {
		name       string
		args       []string
		wantLines  []string
		wantAbsent string
	}{
		{name: "personnel by key", args: []string{"api", "show", "personnel"}, wantLines: []string{
			"name:      Personnel",
			"base path: /personnel/v1",
			"auth:      bearer token or Cerner OAuth 1.0a (bearer, oauth1)",
			"METHOD  PATH                                                            AUTH           SUMMARY",
			"GET     /personnel/v1/personnel/{personnelId}                           bearer,oauth1  one personnel record",
			"GET     /personnel/v1/personnel-groups/{groupId}/members                bearer,oauth1  list members of a group [paginated]",
		}},
		{name: "data collector is oauth only", args: []string{"api", "show", "Data Collector"}, wantLines: []string{
			"base path: /data-collector/v1",
			"auth:      Cerner OAuth 1.0a only (oauth1); bearer tokens are rejected",
			"No endpoints are known for this API.",
		}, wantAbsent: "bearer,"},
		{name: "legacy API with host", args: []string{"api", "show", "healtherecord"}, wantLines: []string{
			"host:      {tenant}.record.healtheintent.com",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newEnv(t).run("", tc.args...)
			wantCode(t, r, 0)
			if r.stderr != "" {
				t.Errorf("stderr = %q, want nothing", r.stderr)
			}
			lines := strings.Split(r.stdout, "\n")
			for _, want := range tc.wantLines {
				if !contains(lines, want) {
					t.Errorf("output lacks the line %q:\n%s", want, r.stdout)
				}
			}
			if tc.wantAbsent != "" && strings.Contains(r.stdout, tc.wantAbsent) {
				t.Errorf("output contains %q:\n%s", tc.wantAbsent, r.stdout)
			}
		})
	}
}

func TestAPIShowJSON(t *testing.T) {
	r := newEnv(t).run("", "api", "show", "TENANT", "--json")
	wantCode(t, r, 0)
	a := decode[catalog.API](t, r.stdout)
	if a.Key != "tenant" || a.BasePath != "/tenant/v1" {
		t.Errorf("key, base path = %q, %q", a.Key, a.BasePath)
	}
	if len(a.Endpoints) != 2 || a.Endpoints[0].Path != "/tenant/v1/tenant" {
		t.Errorf("endpoints = %+v", a.Endpoints)
	}
}

func TestAPIShowUnknownName(t *testing.T) {
	cases := []struct {
		name      string
		input     string
		wantFirst string
	}{
		{name: "typo suggests matches", input: "persnnel", wantFirst: `hi: API "persnnel" not found: did you mean personnel?`},
		{name: "nothing close", input: "qqqqqqqqqqqq",
			wantFirst: `hi: API "qqqqqqqqqqqq" not found in the catalog: run hi api list to see them`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newEnv(t).run("", "api", "show", tc.input)
			wantCode(t, r, 2)
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
			first, rest, _ := strings.Cut(r.stderr, "\n")
			if first != tc.wantFirst {
				t.Errorf("first stderr line = %q, want %q", first, tc.wantFirst)
			}
			if !strings.Contains(rest, "Usage:\n  hi api show NAME") {
				t.Errorf("stderr lacks the usage:\n%s", r.stderr)
			}
		})
	}
}

func contains(lines []string, want string) bool {
	for _, line := range lines {
		if strings.TrimRight(line, " ") == want {
			return true
		}
	}
	return false
}
