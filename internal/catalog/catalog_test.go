package catalog

import (
	"slices"
	"strings"
	"testing"
)

func TestAllIsSortedAndComplete(t *testing.T) {
	all := All()
	if len(all) == 0 {
		t.Fatal("All returned no APIs")
	}
	for i := 1; i < len(all); i++ {
		if strings.ToLower(all[i-1].Name) > strings.ToLower(all[i].Name) {
			t.Errorf("%q comes before %q", all[i-1].Name, all[i].Name)
		}
	}
	for _, a := range all {
		if !strings.HasPrefix(a.BasePath, "/") {
			t.Errorf("%s: base path %q", a.Name, a.BasePath)
		}
		if a.Summary == "" {
			t.Errorf("%s: empty summary", a.Name)
		}
		for _, e := range a.Endpoints {
			if !strings.HasPrefix(e.Path, a.BasePath+"/") {
				t.Errorf("%s: endpoint %s outside %s", a.Name, e.Path, a.BasePath)
			}
			if len(e.Auth) == 0 {
				t.Errorf("%s: endpoint %s %s accepts no scheme", a.Name, e.Method, e.Path)
			}
		}
	}
}

func TestKeysAreUniqueAndFound(t *testing.T) {
	seen := map[string]string{}
	for _, a := range All() {
		if a.Key == "" || strings.ContainsAny(a.Key, " /") {
			t.Errorf("%s: key %q is empty or needs quoting", a.Name, a.Key)
		}
		if other, ok := seen[a.Key]; ok {
			t.Errorf("%s and %s share the key %q", other, a.Name, a.Key)
		}
		seen[a.Key] = a.Name
		if found, ok := Find(a.Key); !ok || found.Name != a.Name {
			t.Errorf("Find(%q) does not return %s", a.Key, a.Name)
		}
	}
}

func TestAllReturnsCopy(t *testing.T) {
	first := All()
	first[0].Name = "changed"
	first[0].Endpoints = append(first[0].Endpoints, Endpoint{Path: "/x"})
	if second := All(); second[0].Name == "changed" || len(second[0].Endpoints) == len(first[0].Endpoints) {
		t.Error("changing the result of All changed the catalog")
	}
}

func TestFind(t *testing.T) {
	cases := []struct {
		name     string
		input    string
		wantName string
		wantOK   bool
	}{
		{name: "exact name", input: "Personnel", wantName: "Personnel", wantOK: true},
		{name: "other case", input: "data syndication", wantName: "Data Syndication", wantOK: true},
		{name: "base path segment", input: "personnel", wantName: "Personnel", wantOK: true},
		{name: "hyphenated segment", input: "longitudinal-record", wantName: "Longitudinal Record", wantOK: true},
		{name: "deprecated alias", input: "syndication", wantName: "Data Syndication", wantOK: true},
		{name: "name without remark", input: "data collector", wantName: "Data Collector (legacy, alpha)", wantOK: true},
		{name: "full legacy name", input: "HealtheRecord (legacy, alpha)", wantName: "HealtheRecord (legacy, alpha)", wantOK: true},
		{name: "segment shared by legacy APIs", input: "api"},
		{name: "name with spaces as key", input: "healthecare-care-management",
			wantName: "HealtheCare / Care Management (legacy, alpha)", wantOK: true},
		{name: "shared segment, exact name", input: "provider", wantName: "Provider", wantOK: true},
		{name: "shared segment, second API", input: "Provider v2", wantName: "Provider v2", wantOK: true},
		{name: "unknown name", input: "persnnel"},
		{name: "empty name", input: " "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, ok := Find(tc.input)
			if ok != tc.wantOK {
				t.Fatalf("Find(%q) ok = %t, want %t", tc.input, ok, tc.wantOK)
			}
			if ok && a.Name != tc.wantName {
				t.Errorf("Find(%q) = %q, want %q", tc.input, a.Name, tc.wantName)
			}
		})
	}
}

func TestClosest(t *testing.T) {
	cases := []struct {
		name      string
		input     string
		n         int
		wantFirst string
		wantNone  bool
	}{
		{name: "dropped letter", input: "persnnel", n: 3, wantFirst: "personnel"},
		{name: "swapped letters", input: "tenatn", n: 3, wantFirst: "tenant"},
		{name: "typo in segment", input: "data-syndicaton", n: 1, wantFirst: "data-syndication"},
		{name: "typo in legacy name", input: "healtherecrd", n: 1, wantFirst: "healtherecord"},
		{name: "nothing close", input: "zzzzzzzzzzzzzzzz", n: 3, wantNone: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Closest(tc.input, tc.n)
			if len(got) > tc.n {
				t.Errorf("Closest returned %d names, want at most %d", len(got), tc.n)
			}
			if tc.wantNone {
				if len(got) != 0 {
					t.Errorf("Closest(%q) = %q, want none", tc.input, got)
				}
				return
			}
			if len(got) == 0 || got[0] != tc.wantFirst {
				t.Errorf("Closest(%q) = %q, want %q first", tc.input, got, tc.wantFirst)
			}
		})
	}
}

func TestForPath(t *testing.T) {
	cases := []struct {
		name     string
		path     string
		wantName string
		wantOK   bool
	}{
		{name: "collection", path: "/personnel/v1/personnel", wantName: "Personnel", wantOK: true},
		{name: "with query", path: "/personnel/v1/personnel?limit=5", wantName: "Personnel", wantOK: true},
		{name: "no leading slash", path: "tenant/v1/tenant", wantName: "Tenant", wantOK: true},
		{name: "full URL", path: "https://cernerdemo.api.us-1.healtheintent.com/tenant/v1/tenant", wantName: "Tenant", wantOK: true},
		{name: "base path alone", path: "/data-collector/v1", wantName: "Data Collector (legacy, alpha)", wantOK: true},
		{name: "longest prefix wins", path: "/provider/v2/things", wantName: "Provider v2", wantOK: true},
		{name: "legacy path by template", path: "/api/populations/p/people/x/registries",
			wantName: "HealtheRegistries (legacy, alpha)", wantOK: true},
		{name: "legacy path without template", path: "/api/unknown"},
		{name: "prefix inside a segment", path: "/personnel/v10/personnel"},
		{name: "unknown API", path: "/nothing/v1/here"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, ok := ForPath(tc.path)
			if ok != tc.wantOK {
				t.Fatalf("ForPath(%q) ok = %t, want %t", tc.path, ok, tc.wantOK)
			}
			if ok && a.Name != tc.wantName {
				t.Errorf("ForPath(%q) = %q, want %q", tc.path, a.Name, tc.wantName)
			}
		})
	}
}

func TestOAuthOnly(t *testing.T) {
	var oauthOnly []string
	for _, a := range All() {
		if a.OAuthOnly() {
			oauthOnly = append(oauthOnly, a.Name)
		}
	}
	if !slices.Equal(oauthOnly, []string{"Data Collector (legacy, alpha)"}) {
		t.Errorf("OAuth-only APIs = %q, want only the Data Collector", oauthOnly)
	}
	dc, _ := Find("data-collector")
	if dc.BasePath != "/data-collector/v1" {
		t.Errorf("Data Collector base path = %q", dc.BasePath)
	}
}

func TestOAuthOnlyAPI(t *testing.T) {
	cases := []struct {
		path     string
		wantName string
		wantOK   bool
	}{
		{path: "/data-collector/v1/batches", wantName: "Data Collector (legacy, alpha)", wantOK: true},
		{path: "data-collector/v1?x=1", wantName: "Data Collector (legacy, alpha)", wantOK: true},
		{path: "/personnel/v1/personnel"},
		{path: "/data-collector/v10/batches"},
		{path: "/nothing/v1/here"},
	}
	for _, tc := range cases {
		name, ok := OAuthOnlyAPI(tc.path)
		if ok != tc.wantOK || name != tc.wantName {
			t.Errorf("OAuthOnlyAPI(%q) = %q, %t; want %q, %t", tc.path, name, ok, tc.wantName, tc.wantOK)
		}
	}
}

func TestEndpointPaging(t *testing.T) {
	a, _ := Find("personnel")
	pages := map[string]bool{}
	for _, e := range a.Endpoints {
		pages[e.Method+" "+e.Path] = e.Pages
	}
	cases := map[string]bool{
		"GET /personnel/v1/personnel":                          true,
		"GET /personnel/v1/personnel/{personnelId}":            false,
		"POST /personnel/v1/personnel":                         false,
		"GET /personnel/v1/personnel-groups/{groupId}/members": true,
	}
	for endpoint, want := range cases {
		got, ok := pages[endpoint]
		if !ok {
			t.Errorf("%s is not in the catalog", endpoint)
			continue
		}
		if got != want {
			t.Errorf("%s pages = %t, want %t", endpoint, got, want)
		}
	}
}

func TestMatch(t *testing.T) {
	cases := []struct {
		name     string
		template string
		path     string
		want     bool
	}{
		{name: "placeholder takes a segment", template: "/p/v1/personnel/{id}", path: "/p/v1/personnel/42", want: true},
		{name: "literal differs", template: "/p/v1/personnel/{id}", path: "/p/v1/groups/42"},
		{name: "extra segment", template: "/p/v1/personnel/{id}", path: "/p/v1/personnel/42/x"},
		{name: "empty placeholder", template: "/p/v1/personnel/{id}/x", path: "/p/v1/personnel//x"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Match(tc.template, tc.path); got != tc.want {
				t.Errorf("Match(%q, %q) = %t, want %t", tc.template, tc.path, got, tc.want)
			}
		})
	}
}
