package sandbox_test

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hi-cli/hi/internal/sandbox"
)

const (
	testToken     = "test-token-0123456789"
	personnelPath = "/personnel/v1/personnel"
)

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// errorBody is the platform's error body as a client reads it.
type errorBody struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Details []struct {
		Domain       string `json:"domain"`
		Reason       string `json:"reason"`
		Message      string `json:"message"`
		LocationType string `json:"locationType"`
		Location     string `json:"location"`
	} `json:"errorDetails"`
}

// page is a collection page as a client reads it. The links are pointers so that a test can
// tell an absent link from an empty one.
type page struct {
	Items        []map[string]any `json:"items"`
	TotalResults int              `json:"totalResults"`
	FirstLink    *string          `json:"firstLink"`
	LastLink     *string          `json:"lastLink"`
	PrevLink     *string          `json:"prevLink"`
	NextLink     *string          `json:"nextLink"`
}

// tenantBody is the body of GET /tenant/v1/tenant.
type tenantBody struct {
	ID              string   `json:"id"`
	Mnemonic        string   `json:"mnemonic"`
	Name            string   `json:"name"`
	TimeZone        string   `json:"timeZone"`
	DefaultLocale   string   `json:"defaultLocale"`
	Locales         []string `json:"locales"`
	CernerMnemonics []string `json:"cernerMnemonics"`
	Status          struct {
		State     string `json:"state"`
		StartedOn string `json:"startedOn"`
	} `json:"status"`
}

// request describes one HTTP request of a test. Unless noAuth is set, it carries the test
// token. A path is relative to the sandbox URL unless it starts with "http".
type request struct {
	method string
	path   string
	body   string
	header map[string]string
	noAuth bool
}

// response is a finished response with its whole body.
type response struct {
	status int
	header http.Header
	body   []byte
}

func startSandbox(t *testing.T) *sandbox.Server {
	t.Helper()
	return startSandboxWith(t, sandbox.Options{BearerToken: testToken})
}

func startSandboxWith(t *testing.T, opts sandbox.Options) *sandbox.Server {
	t.Helper()
	s, err := sandbox.Start("127.0.0.1:0", opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

var client = &http.Client{Timeout: 10 * time.Second}

func send(t *testing.T, s *sandbox.Server, req request) response {
	t.Helper()
	target := req.path
	if !strings.HasPrefix(target, "http") {
		target = s.URL + req.path
	}
	httpReq, err := http.NewRequest(cmp.Or(req.method, http.MethodGet), target, strings.NewReader(req.body))
	if err != nil {
		t.Fatalf("build request: %v", err)
	}
	if !req.noAuth {
		httpReq.Header.Set("Authorization", "Bearer "+testToken)
	}
	if req.body != "" {
		httpReq.Header.Set("Content-Type", "application/json")
	}
	for name, value := range req.header {
		httpReq.Header.Set(name, value)
	}

	resp, err := client.Do(httpReq)
	if err != nil {
		t.Fatalf("%s %s: %v", httpReq.Method, target, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body of %s %s: %v", httpReq.Method, target, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: body}
}

func decode[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("decode %T from %s: %v", v, body, err)
	}
	return v
}

// validRecord returns a personnel body that the sandbox accepts, with an alias unique to
// suffix.
func validRecord(family, suffix string) string {
	return fmt.Sprintf(`{
		"name": {"given": ["Ada"], "family": %q},
		"gender": "FEMALE",
		"birthDate": "1980-02-29",
		"aliases": [{"value": "ada-%s", "system": "urn:example:test", "type": "USER"}],
		"telecoms": [{"system": "EMAIL", "value": "ada@example.org"}],
		"qualifications": [{"code": "MD", "start": "2005-01-01", "end": "2010-01-01"}]
	}`, family, suffix)
}

func TestStartAddress(t *testing.T) {
	tests := []struct {
		name    string
		addr    string
		wantErr bool
	}{
		{name: "IPv4 loopback is accepted", addr: "127.0.0.1:0"},
		{name: "localhost is accepted", addr: "localhost:0"},
		{name: "all interfaces are rejected", addr: "0.0.0.0:0", wantErr: true},
		{name: "empty host is rejected", addr: ":0", wantErr: true},
		{name: "public address is rejected", addr: "192.0.2.10:0", wantErr: true},
		{name: "other host name is rejected", addr: "example.com:0", wantErr: true},
		{name: "address without port is rejected", addr: "127.0.0.1", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := sandbox.Start(tt.addr, sandbox.Options{})
			if err == nil {
				defer s.Close()
			}
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Start(%q) succeeded, want an error", tt.addr)
				}
				if !strings.Contains(err.Error(), tt.addr) {
					t.Errorf("error %q does not name the address %q", err, tt.addr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Start(%q): %v", tt.addr, err)
			}
			if !strings.HasPrefix(s.URL, "http://") || strings.HasSuffix(s.URL, "/") {
				t.Errorf("URL = %q, want http://host:port", s.URL)
			}
		})
	}
}

func TestStartOptions(t *testing.T) {
	tests := []struct {
		name       string
		opts       sandbox.Options
		wantTenant string
		wantToken  string
		wantErr    bool
	}{
		{name: "defaults to demo tenant", opts: sandbox.Options{}, wantTenant: "cernerdemo"},
		{name: "tenant from options", opts: sandbox.Options{Tenant: "acme-health"}, wantTenant: "acme-health"},
		{name: "token from options", opts: sandbox.Options{BearerToken: "fixed"}, wantTenant: "cernerdemo", wantToken: "fixed"},
		{name: "tenant with spaces is rejected", opts: sandbox.Options{Tenant: "Cerner Demo"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := sandbox.Start("127.0.0.1:0", tt.opts)
			if tt.wantErr {
				if err == nil {
					s.Close()
					t.Fatal("Start succeeded, want an error")
				}
				return
			}
			if err != nil {
				t.Fatalf("Start: %v", err)
			}
			defer s.Close()

			if s.Tenant != tt.wantTenant {
				t.Errorf("Tenant = %q, want %q", s.Tenant, tt.wantTenant)
			}
			if tt.wantToken != "" && s.BearerToken != tt.wantToken {
				t.Errorf("BearerToken = %q, want %q", s.BearerToken, tt.wantToken)
			}
			if tt.wantToken == "" && !regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`).MatchString(s.BearerToken) {
				t.Errorf("generated BearerToken = %q, want 43 base64url characters", s.BearerToken)
			}
		})
	}
}

func TestGeneratedTokensDiffer(t *testing.T) {
	first := startSandboxWith(t, sandbox.Options{})
	second := startSandboxWith(t, sandbox.Options{})
	if first.BearerToken == second.BearerToken {
		t.Errorf("two sandboxes generated the same token %q", first.BearerToken)
	}
}

func TestCloseTwice(t *testing.T) {
	s, err := sandbox.Start("127.0.0.1:0", sandbox.Options{})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("first Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := client.Get(s.URL + "/_sandbox/stats"); err == nil {
		t.Error("request after Close succeeded, want a connection error")
	}
}

func TestAuthentication(t *testing.T) {
	s := startSandbox(t)
	// A request without usable credentials is invited to use either scheme, as the platform
	// does, and a rejected bearer token gets the bearer challenge alone.
	const bothSchemes, bearerOnly = `Bearer realm="{host}", OAuth realm="{host}"`, `Bearer realm="{host}"`
	tests := []struct {
		name          string
		authorization string
		wantStatus    int
		wantMessage   string
		wantChallenge string
	}{
		{name: "missing header is rejected", wantStatus: 401, wantMessage: "header missing", wantChallenge: bothSchemes},
		{name: "wrong token is rejected", authorization: "Bearer nope", wantStatus: 401, wantMessage: "invalid token", wantChallenge: bearerOnly},
		{name: "token prefix is rejected", authorization: "Bearer " + testToken[:5], wantStatus: 401, wantMessage: "invalid token", wantChallenge: bearerOnly},
		{name: "empty bearer is rejected", authorization: "Bearer ", wantStatus: 401, wantMessage: "invalid token", wantChallenge: bearerOnly},
		{name: "basic scheme is rejected", authorization: "Basic dXNlcjpwYXNz", wantStatus: 401, wantMessage: "unsupported authorization scheme", wantChallenge: bothSchemes},
		{name: "right token is accepted", authorization: "Bearer " + testToken, wantStatus: 200},
		{name: "scheme is case-insensitive", authorization: "bearer " + testToken, wantStatus: 200},
	}
	for _, tt := range tests {
		for _, path := range []string{"/tenant/v1/tenant", personnelPath, personnelPath + "/unknown-id"} {
			t.Run(tt.name+" on "+path, func(t *testing.T) {
				req := request{path: path, noAuth: true, header: map[string]string{}}
				if tt.authorization != "" {
					req.header["Authorization"] = tt.authorization
				}
				resp := send(t, s, req)

				if tt.wantStatus == 200 {
					if resp.status == http.StatusUnauthorized {
						t.Fatalf("status = 401, want the request accepted: %s", resp.body)
					}
					return
				}
				checkUnauthorized(t, s, resp, tt.wantMessage, tt.wantChallenge)
			})
		}
	}
}

// checkUnauthorized checks a 401 with the platform's error body. In wantChallenge, {host} stands
// for the sandbox's host and port.
func checkUnauthorized(t *testing.T, s *sandbox.Server, resp response, wantMessage, wantChallenge string) {
	t.Helper()
	if resp.status != http.StatusUnauthorized {
		t.Fatalf("status = %d, want 401", resp.status)
	}
	host := strings.TrimPrefix(s.URL, "http://")
	if got, want := resp.header.Get("WWW-Authenticate"), strings.ReplaceAll(wantChallenge, "{host}", host); got != want {
		t.Errorf("WWW-Authenticate = %q, want %q", got, want)
	}
	if got := resp.header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", got)
	}

	body := decode[errorBody](t, resp.body)
	if body.Code != 401 || body.Message != "Unauthorized" {
		t.Errorf("code, message = %d, %q, want 401, Unauthorized", body.Code, body.Message)
	}
	if len(body.Details) != 1 {
		t.Fatalf("errorDetails = %+v, want one", body.Details)
	}
	detail := body.Details[0]
	if detail.Message != wantMessage {
		t.Errorf("detail message = %q, want %q", detail.Message, wantMessage)
	}
	if detail.LocationType != "header" || detail.Location != "Authorization" {
		t.Errorf("detail location = %s %s, want header Authorization", detail.LocationType, detail.Location)
	}
	if detail.Domain == "" || detail.Reason == "" {
		t.Errorf("detail domain, reason = %q, %q, want both set", detail.Domain, detail.Reason)
	}
}

func TestTenant(t *testing.T) {
	tests := []struct {
		name         string
		tenant       string
		wantMnemonic string
		wantName     string
	}{
		{name: "demo tenant", wantMnemonic: "cernerdemo", wantName: "Cerner Demo"},
		{name: "named tenant", tenant: "acme", wantMnemonic: "acme", wantName: "Acme"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startSandboxWith(t, sandbox.Options{Tenant: tt.tenant, BearerToken: testToken})
			resp := send(t, s, request{path: "/tenant/v1/tenant"})
			if resp.status != http.StatusOK {
				t.Fatalf("status = %d, want 200: %s", resp.status, resp.body)
			}

			got := decode[tenantBody](t, resp.body)
			if !uuidPattern.MatchString(got.ID) {
				t.Errorf("id = %q, want a UUID", got.ID)
			}
			if got.Mnemonic != tt.wantMnemonic {
				t.Errorf("mnemonic = %q, want %q", got.Mnemonic, tt.wantMnemonic)
			}
			if got.Name != tt.wantName {
				t.Errorf("name = %q, want %q", got.Name, tt.wantName)
			}
			if got.TimeZone == "" || got.DefaultLocale == "" {
				t.Errorf("timeZone, defaultLocale = %q, %q, want both set", got.TimeZone, got.DefaultLocale)
			}
			if got.Status.State == "" || got.Status.StartedOn == "" {
				t.Errorf("status = %+v, want state and startedOn", got.Status)
			}
			if len(got.Locales) == 0 || len(got.CernerMnemonics) == 0 {
				t.Errorf("locales, cernerMnemonics = %v, %v, want both non-empty", got.Locales, got.CernerMnemonics)
			}
		})
	}
}

func TestPaginationWalk(t *testing.T) {
	s := startSandbox(t)
	resp := send(t, s, request{path: personnelPath + "?limit=100"})
	if resp.status != http.StatusOK {
		t.Fatalf("first page status = %d, want 200: %s", resp.status, resp.body)
	}
	first := decode[page](t, resp.body)
	if first.TotalResults < 250 {
		t.Fatalf("totalResults = %d, want at least 250 demo records", first.TotalResults)
	}

	seen := map[string]bool{}
	current := first
	maxPages := first.TotalResults/100 + 2
	for pages := 1; ; pages++ {
		if pages > maxPages {
			t.Fatalf("still following nextLink after %d pages", maxPages)
		}
		for _, item := range current.Items {
			id, _ := item["id"].(string)
			if seen[id] {
				t.Errorf("record %q appears twice", id)
			}
			seen[id] = true
		}
		if current.NextLink == nil {
			break
		}
		resp := send(t, s, request{path: *current.NextLink})
		if resp.status != http.StatusOK {
			t.Fatalf("GET %s: status = %d, want 200", *current.NextLink, resp.status)
		}
		current = decode[page](t, resp.body)
	}
	if len(seen) != first.TotalResults {
		t.Errorf("collected %d records, want totalResults %d", len(seen), first.TotalResults)
	}
}

func TestPageLinks(t *testing.T) {
	s := startSandbox(t)
	base := s.URL + personnelPath
	tests := []struct {
		name      string
		query     string
		wantPrev  string
		wantNext  string
		wantFirst string
		wantLast  string
		wantItems int
	}{
		{
			name:      "first page has no prevLink",
			query:     "",
			wantNext:  base + "?limit=20&offset=20",
			wantFirst: base + "?limit=20&offset=0",
			wantLast:  base + "?limit=20&offset=280",
			wantItems: 20,
		},
		{
			name:      "middle page has both links",
			query:     "?offset=100&limit=50",
			wantPrev:  base + "?limit=50&offset=50",
			wantNext:  base + "?limit=50&offset=150",
			wantFirst: base + "?limit=50&offset=0",
			wantLast:  base + "?limit=50&offset=250",
			wantItems: 50,
		},
		{
			name:      "last page has no nextLink",
			query:     "?offset=250&limit=50",
			wantPrev:  base + "?limit=50&offset=200",
			wantFirst: base + "?limit=50&offset=0",
			wantLast:  base + "?limit=50&offset=250",
			wantItems: 50,
		},
		{
			name:      "unaligned offset goes back to zero",
			query:     "?offset=5&limit=10",
			wantPrev:  base + "?limit=10&offset=0",
			wantNext:  base + "?limit=10&offset=15",
			wantFirst: base + "?limit=10&offset=0",
			wantLast:  base + "?limit=10&offset=290",
			wantItems: 10,
		},
		{
			name:      "offset past the end is empty",
			query:     "?offset=1000&limit=100",
			wantPrev:  base + "?limit=100&offset=900",
			wantFirst: base + "?limit=100&offset=0",
			wantLast:  base + "?limit=100&offset=200",
			wantItems: 0,
		},
		{
			name:      "filters are kept in links",
			query:     "?formattedName=smith&orderBy=-formattedName&aliasType=USER&limit=2&offset=2",
			wantPrev:  base + "?aliasType=USER&formattedName=smith&limit=2&offset=0&orderBy=-formattedName",
			wantNext:  base + "?aliasType=USER&formattedName=smith&limit=2&offset=4&orderBy=-formattedName",
			wantFirst: base + "?aliasType=USER&formattedName=smith&limit=2&offset=0&orderBy=-formattedName",
			wantLast:  base + "?aliasType=USER&formattedName=smith&limit=2&offset=4&orderBy=-formattedName",
			wantItems: 2,
		},
		{
			name:      "empty result has no next or prev",
			query:     "?formattedName=nobody-has-this-name",
			wantFirst: base + "?formattedName=nobody-has-this-name&limit=20&offset=0",
			wantLast:  base + "?formattedName=nobody-has-this-name&limit=20&offset=0",
			wantItems: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := send(t, s, request{path: personnelPath + tt.query})
			if resp.status != http.StatusOK {
				t.Fatalf("status = %d, want 200: %s", resp.status, resp.body)
			}
			got := decode[page](t, resp.body)

			checkLink(t, "prevLink", got.PrevLink, tt.wantPrev)
			checkLink(t, "nextLink", got.NextLink, tt.wantNext)
			checkLink(t, "firstLink", got.FirstLink, tt.wantFirst)
			checkLink(t, "lastLink", got.LastLink, tt.wantLast)
			if len(got.Items) != tt.wantItems {
				t.Errorf("len(items) = %d, want %d", len(got.Items), tt.wantItems)
			}
			if got.Items == nil {
				t.Error("items is null, want an array")
			}
		})
	}
}

// checkLink compares a link with want, where an empty want means the link must be absent.
func checkLink(t *testing.T, name string, got *string, want string) {
	t.Helper()
	switch {
	case want == "" && got != nil:
		t.Errorf("%s = %q, want it absent", name, *got)
	case want != "" && got == nil:
		t.Errorf("%s is absent, want %q", name, want)
	case want != "" && *got != want:
		t.Errorf("%s = %q, want %q", name, *got, want)
	}
}

func TestListKeyOrder(t *testing.T) {
	s := startSandbox(t)
	resp := send(t, s, request{path: personnelPath + "?offset=20&limit=1"})
	body := string(resp.body)
	keys := []string{`"items":`, `"totalResults":`, `"firstLink":`, `"lastLink":`, `"prevLink":`, `"nextLink":`}
	last := -1
	for _, key := range keys {
		at := strings.LastIndex(body, key)
		if at < last {
			t.Errorf("%s comes before the key ahead of it in %s", key, body)
		}
		last = at
	}
	if strings.Contains(body, `\u0026`) {
		t.Errorf("links escape & as \\u0026: %s", body)
	}
}

func TestListQueryRejected(t *testing.T) {
	s := startSandbox(t)
	tests := []struct {
		name          string
		query         string
		wantLocations []string
	}{
		{name: "limit above maximum is rejected", query: "limit=101", wantLocations: []string{"limit"}},
		{name: "negative limit is rejected", query: "limit=-1", wantLocations: []string{"limit"}},
		{name: "zero limit is rejected", query: "limit=0", wantLocations: []string{"limit"}},
		{name: "non-integer limit is rejected", query: "limit=ten", wantLocations: []string{"limit"}},
		{name: "negative offset is rejected", query: "offset=-20", wantLocations: []string{"offset"}},
		{name: "non-integer offset is rejected", query: "offset=1.5", wantLocations: []string{"offset"}},
		{name: "unknown orderBy is rejected", query: "orderBy=birthDate", wantLocations: []string{"orderBy"}},
		{name: "every bad parameter is named", query: "limit=500&offset=x&orderBy=id", wantLocations: []string{"offset", "limit", "orderBy"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := send(t, s, request{path: personnelPath + "?" + tt.query})
			if resp.status != http.StatusBadRequest {
				t.Fatalf("status = %d, want 400: %s", resp.status, resp.body)
			}
			body := decode[errorBody](t, resp.body)
			if body.Code != 400 {
				t.Errorf("code = %d, want 400", body.Code)
			}
			var locations []string
			for _, detail := range body.Details {
				if detail.LocationType != "query" {
					t.Errorf("locationType of %s = %q, want query", detail.Location, detail.LocationType)
				}
				locations = append(locations, detail.Location)
			}
			if !slices.Equal(locations, tt.wantLocations) {
				t.Errorf("locations = %v, want %v", locations, tt.wantLocations)
			}
		})
	}
}

func TestListLimitMaximumAccepted(t *testing.T) {
	s := startSandbox(t)
	resp := send(t, s, request{path: personnelPath + "?limit=100"})
	if resp.status != http.StatusOK {
		t.Fatalf("status = %d, want 200: %s", resp.status, resp.body)
	}
	if got := len(decode[page](t, resp.body).Items); got != 100 {
		t.Errorf("len(items) = %d, want 100", got)
	}
}

func TestListFilters(t *testing.T) {
	s := startSandbox(t)
	tests := []struct {
		name  string
		query string
		check func(item map[string]any) bool
	}{
		{
			name:  "formattedName ignores case",
			query: "formattedName=sMiTh",
			check: func(item map[string]any) bool {
				return strings.Contains(strings.ToLower(formattedName(item)), "smith")
			},
		},
		{
			name:  "aliasType selects records with that alias",
			query: "aliasType=SPI",
			check: func(item map[string]any) bool { return hasAlias(item, "", "", "SPI") },
		},
		{
			name:  "aliasSystem and aliasValue match one alias",
			query: "aliasSystem=2.16.840.1.113883.4.6&aliasValue=1100000000",
			check: func(item map[string]any) bool {
				return hasAlias(item, "1100000000", "2.16.840.1.113883.4.6", "")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := send(t, s, request{path: personnelPath + "?limit=100&" + tt.query})
			if resp.status != http.StatusOK {
				t.Fatalf("status = %d, want 200: %s", resp.status, resp.body)
			}
			got := decode[page](t, resp.body)
			if got.TotalResults == 0 {
				t.Fatal("totalResults = 0, want matches in the demo data")
			}
			if got.TotalResults >= 300 {
				t.Errorf("totalResults = %d, want the filter to exclude some records", got.TotalResults)
			}
			for _, item := range got.Items {
				if !tt.check(item) {
					t.Errorf("record %v does not match %s", item["id"], tt.query)
				}
			}
		})
	}
}

func TestListAliasFiltersMatchSameAlias(t *testing.T) {
	s := startSandbox(t)
	resp := send(t, s, request{path: personnelPath + "?aliasValue=1100000000&aliasType=USER"})
	if got := decode[page](t, resp.body).TotalResults; got != 0 {
		t.Errorf("totalResults = %d, want 0 because the NPI alias is not of type USER", got)
	}
}

func formattedName(item map[string]any) string {
	name, _ := item["name"].(map[string]any)
	formatted, _ := name["formatted"].(string)
	return formatted
}

func hasAlias(item map[string]any, value, system, aliasType string) bool {
	aliases, _ := item["aliases"].([]any)
	for _, a := range aliases {
		entry, _ := a.(map[string]any)
		if (value == "" || entry["value"] == value) &&
			(system == "" || entry["system"] == system) &&
			(aliasType == "" || entry["type"] == aliasType) {
			return true
		}
	}
	return false
}

func TestListOrder(t *testing.T) {
	s := startSandbox(t)
	tests := []struct {
		name    string
		orderBy string
		key     func(item map[string]any) string
		reverse bool
	}{
		{name: "formattedName ascending", orderBy: "formattedName", key: lowerName},
		{name: "formattedName descending", orderBy: "-formattedName", key: lowerName, reverse: true},
		{name: "createdAt ascending", orderBy: "createdAt", key: field("createdAt")},
		{name: "updatedAt descending", orderBy: "-updatedAt", key: field("updatedAt"), reverse: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := send(t, s, request{path: personnelPath + "?limit=100&orderBy=" + tt.orderBy})
			items := decode[page](t, resp.body).Items
			for i := 1; i < len(items); i++ {
				previous, current := tt.key(items[i-1]), tt.key(items[i])
				if (!tt.reverse && previous > current) || (tt.reverse && previous < current) {
					t.Fatalf("items %d and %d are out of order: %q, %q", i-1, i, previous, current)
				}
			}
		})
	}
}

func lowerName(item map[string]any) string {
	return strings.ToLower(formattedName(item))
}

func field(name string) func(item map[string]any) string {
	return func(item map[string]any) string {
		value, _ := item[name].(string)
		return value
	}
}

func TestDemoData(t *testing.T) {
	first := send(t, startSandbox(t), request{path: personnelPath + "?limit=100&offset=100"})
	second := send(t, startSandbox(t), request{path: personnelPath + "?limit=100&offset=100"})
	// The links differ because each sandbox has its own port, so only the items are compared.
	firstItems, _ := json.Marshal(decode[page](t, first.body).Items)
	secondItems, _ := json.Marshal(decode[page](t, second.body).Items)
	if !bytes.Equal(firstItems, secondItems) {
		t.Error("two sandboxes return different demo data")
	}

	for _, item := range decode[page](t, first.body).Items {
		id, _ := item["id"].(string)
		if !uuidPattern.MatchString(id) {
			t.Errorf("id = %q, want a UUID", id)
		}
		for _, key := range []string{"birthDate", "gender", "name", "addresses", "aliases", "telecoms",
			"languages", "qualifications", "createdAt", "updatedAt"} {
			if _, ok := item[key]; !ok {
				t.Errorf("record %s has no %s", id, key)
			}
		}
		name, _ := item["name"].(map[string]any)
		if _, ok := name["given"].([]any); !ok {
			t.Errorf("record %s: name.given = %v, want an array", id, name["given"])
		}
		if family, _ := name["family"].(string); family == "" {
			t.Errorf("record %s has no name.family", id)
		}
	}
}

func TestPersonnelLifecycle(t *testing.T) {
	s := startSandbox(t)

	created := send(t, s, request{method: http.MethodPost, path: personnelPath, body: validRecord("Lovelace", "lifecycle")})
	if created.status != http.StatusCreated {
		t.Fatalf("POST status = %d, want 201: %s", created.status, created.body)
	}
	record := decode[map[string]any](t, created.body)
	id, _ := record["id"].(string)
	if !uuidPattern.MatchString(id) {
		t.Errorf("created id = %q, want a UUID", id)
	}
	if record["createdAt"] == nil || record["createdAt"] != record["updatedAt"] {
		t.Errorf("createdAt, updatedAt = %v, %v, want equal and set", record["createdAt"], record["updatedAt"])
	}
	if got := formattedName(record); got != "Lovelace, Ada" {
		t.Errorf("name.formatted = %q, want the server to fill in %q", got, "Lovelace, Ada")
	}
	location := created.header.Get("Location")
	if want := s.URL + personnelPath + "/" + id; location != want {
		t.Errorf("Location = %q, want %q", location, want)
	}
	if _, err := url.Parse(location); err != nil {
		t.Errorf("Location %q is not a URL: %v", location, err)
	}
	if created.header.Get("ETag") == "" {
		t.Error("POST response has no ETag")
	}

	fetched := send(t, s, request{path: location})
	if fetched.status != http.StatusOK {
		t.Fatalf("GET status = %d, want 200: %s", fetched.status, fetched.body)
	}
	if !bytes.Equal(fetched.body, created.body) {
		t.Errorf("GET body differs from POST body:\n%s\n%s", fetched.body, created.body)
	}

	replaced := send(t, s, request{method: http.MethodPut, path: location, body: validRecord("Byron", "lifecycle")})
	if replaced.status != http.StatusOK {
		t.Fatalf("PUT status = %d, want 200: %s", replaced.status, replaced.body)
	}
	after := decode[map[string]any](t, send(t, s, request{path: location}).body)
	if got := formattedName(after); got != "Byron, Ada" {
		t.Errorf("name.formatted after PUT = %q, want %q", got, "Byron, Ada")
	}
	if after["id"] != id || after["createdAt"] != record["createdAt"] {
		t.Errorf("id, createdAt after PUT = %v, %v, want %v, %v", after["id"], after["createdAt"], id, record["createdAt"])
	}

	deleted := send(t, s, request{method: http.MethodDelete, path: location})
	if deleted.status != http.StatusNoContent {
		t.Fatalf("DELETE status = %d, want 204: %s", deleted.status, deleted.body)
	}
	if len(deleted.body) != 0 {
		t.Errorf("DELETE body = %q, want none", deleted.body)
	}

	gone := send(t, s, request{path: location})
	if gone.status != http.StatusNotFound {
		t.Fatalf("GET after DELETE status = %d, want 404", gone.status)
	}
	if body := decode[errorBody](t, gone.body); body.Code != 404 || len(body.Details) != 1 || body.Details[0].LocationType != "path" {
		t.Errorf("404 body = %s, want code 404 with one path detail", gone.body)
	}
}

func TestUnknownRecord(t *testing.T) {
	s := startSandbox(t)
	tests := []struct {
		name   string
		method string
		body   string
	}{
		{name: "get of unknown id", method: http.MethodGet},
		{name: "put of unknown id", method: http.MethodPut, body: validRecord("Nobody", "unknown")},
		{name: "delete of unknown id", method: http.MethodDelete},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := send(t, s, request{method: tt.method, path: personnelPath + "/no-such-id", body: tt.body})
			if resp.status != http.StatusNotFound {
				t.Fatalf("status = %d, want 404: %s", resp.status, resp.body)
			}
			if body := decode[errorBody](t, resp.body); body.Code != 404 {
				t.Errorf("code = %d, want 404", body.Code)
			}
		})
	}
}

func TestWriteRejected(t *testing.T) {
	s := startSandbox(t)
	existing := decode[page](t, send(t, s, request{path: personnelPath + "?limit=2"}).body).Items
	firstID, _ := existing[0]["id"].(string)
	takenUsername := `{"value": "` + username(existing[1]) + `", "system": "urn:example:sandbox:username", "type": "USER"}`

	tests := []struct {
		name         string
		method       string
		path         string
		body         string
		wantStatus   int
		wantLocation string
	}{
		{
			name:       "malformed JSON",
			body:       `{"name": {"family": "X"`,
			wantStatus: 400,
		},
		{
			name:       "empty body",
			body:       "",
			wantStatus: 400,
		},
		{
			name:         "array instead of object",
			body:         `[]`,
			wantStatus:   422,
			wantLocation: "",
		},
		{
			name:         "missing family name",
			body:         `{"name": {"given": ["Ada"]}}`,
			wantStatus:   422,
			wantLocation: "name.family",
		},
		{
			name:         "missing name",
			body:         `{"gender": "FEMALE"}`,
			wantStatus:   422,
			wantLocation: "name.family",
		},
		{
			name:         "given name of wrong type",
			body:         `{"name": {"given": "Ada", "family": "X"}}`,
			wantStatus:   422,
			wantLocation: "name.given",
		},
		{
			name:         "family name of wrong type",
			body:         `{"name": {"family": 7}}`,
			wantStatus:   422,
			wantLocation: "name.family",
		},
		{
			name:         "unknown gender",
			body:         `{"name": {"family": "X"}, "gender": "F"}`,
			wantStatus:   422,
			wantLocation: "gender",
		},
		{
			name:         "unknown field",
			body:         `{"name": {"family": "X", "nickname": "Y"}}`,
			wantStatus:   422,
			wantLocation: "name.nickname",
		},
		{
			name:         "invalid birth date",
			body:         `{"name": {"family": "X"}, "birthDate": "1980-02-30"}`,
			wantStatus:   422,
			wantLocation: "birthDate",
		},
		{
			name:         "alias without type",
			body:         `{"name": {"family": "X"}, "aliases": [{"value": "v", "system": "s"}]}`,
			wantStatus:   422,
			wantLocation: "aliases[0].type",
		},
		{
			name:         "alias type of wrong type",
			body:         `{"name": {"family": "X"}, "aliases": [{"value": "v", "system": "s", "type": 1}]}`,
			wantStatus:   422,
			wantLocation: "aliases[0].type",
		},
		{
			name:         "qualification ending before start",
			body:         `{"name": {"family": "X"}, "qualifications": [{"code": "MD", "start": "2010-01-01", "end": "2009-01-01"}]}`,
			wantStatus:   422,
			wantLocation: "qualifications[0].end",
		},
		{
			name:         "duplicate alias on create",
			body:         `{"name": {"family": "X"}, "aliases": [` + takenUsername + `]}`,
			wantStatus:   409,
			wantLocation: "aliases[0]",
		},
		{
			name:         "duplicate alias on replace",
			method:       http.MethodPut,
			path:         personnelPath + "/" + firstID,
			body:         `{"name": {"family": "X"}, "aliases": [` + takenUsername + `]}`,
			wantStatus:   409,
			wantLocation: "aliases[0]",
		},
		{
			name:         "id in body differs from path",
			method:       http.MethodPut,
			path:         personnelPath + "/" + firstID,
			body:         `{"id": "other", "name": {"family": "X"}}`,
			wantStatus:   422,
			wantLocation: "id",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := send(t, s, request{path: personnelPath}).body
			req := request{method: cmp.Or(tt.method, http.MethodPost), path: cmp.Or(tt.path, personnelPath), body: tt.body}
			resp := send(t, s, req)
			if resp.status != tt.wantStatus {
				t.Fatalf("status = %d, want %d: %s", resp.status, tt.wantStatus, resp.body)
			}

			body := decode[errorBody](t, resp.body)
			if body.Code != tt.wantStatus {
				t.Errorf("code = %d, want %d", body.Code, tt.wantStatus)
			}
			if len(body.Details) == 0 {
				t.Fatal("errorDetails is empty, want the field at fault")
			}
			if tt.wantStatus != 400 && body.Details[0].Location != tt.wantLocation {
				t.Errorf("location = %q, want %q (%s)", body.Details[0].Location, tt.wantLocation, resp.body)
			}
			if body.Details[0].LocationType != "body" {
				t.Errorf("locationType = %q, want body", body.Details[0].LocationType)
			}
			if after := send(t, s, request{path: personnelPath}).body; !bytes.Equal(after, before) {
				t.Error("a rejected write changed the collection")
			}
		})
	}
}

func username(item map[string]any) string {
	aliases, _ := item["aliases"].([]any)
	for _, a := range aliases {
		entry, _ := a.(map[string]any)
		if entry["type"] == "USER" {
			value, _ := entry["value"].(string)
			return value
		}
	}
	return ""
}

func TestReplaceKeepsOwnAlias(t *testing.T) {
	s := startSandbox(t)
	created := send(t, s, request{method: http.MethodPost, path: personnelPath, body: validRecord("Own", "keep")})
	location := created.header.Get("Location")

	resp := send(t, s, request{method: http.MethodPut, path: location, body: validRecord("Own", "keep")})
	if resp.status != http.StatusOK {
		t.Errorf("PUT with the record's own alias: status = %d, want 200: %s", resp.status, resp.body)
	}
}

func TestConditionalGet(t *testing.T) {
	s := startSandbox(t)
	tests := []struct {
		name string
		path string
	}{
		{name: "record", path: personnelPath + "/" + demoID(t, s)},
		{name: "collection page", path: personnelPath + "?limit=5&formattedName=son"},
		{name: "tenant", path: "/tenant/v1/tenant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first := send(t, s, request{path: tt.path})
			tag := first.header.Get("ETag")
			if !regexp.MustCompile(`^"[^"]+"$`).MatchString(tag) {
				t.Fatalf("ETag = %q, want a strong entity tag", tag)
			}
			if again := send(t, s, request{path: tt.path}); again.header.Get("ETag") != tag {
				t.Errorf("second ETag = %q, want %q", again.header.Get("ETag"), tag)
			}

			cases := []struct {
				ifNoneMatch string
				wantStatus  int
			}{
				{tag, http.StatusNotModified},
				{"W/" + tag, http.StatusNotModified},
				{`"other", ` + tag, http.StatusNotModified},
				{"*", http.StatusNotModified},
				{`"other"`, http.StatusOK},
			}
			for _, c := range cases {
				resp := send(t, s, request{path: tt.path, header: map[string]string{"If-None-Match": c.ifNoneMatch}})
				if resp.status != c.wantStatus {
					t.Errorf("If-None-Match %s: status = %d, want %d", c.ifNoneMatch, resp.status, c.wantStatus)
				}
				if c.wantStatus == http.StatusNotModified && len(resp.body) != 0 {
					t.Errorf("If-None-Match %s: 304 has body %q", c.ifNoneMatch, resp.body)
				}
				if resp.header.Get("ETag") != tag {
					t.Errorf("If-None-Match %s: ETag = %q, want %q", c.ifNoneMatch, resp.header.Get("ETag"), tag)
				}
			}
		})
	}
}

func demoID(t *testing.T, s *sandbox.Server) string {
	t.Helper()
	items := decode[page](t, send(t, s, request{path: personnelPath + "?limit=1"}).body).Items
	id, _ := items[0]["id"].(string)
	return id
}

func TestIfMatch(t *testing.T) {
	tests := []struct {
		name       string
		method     string
		ifMatch    func(tag string) string
		wantStatus int
	}{
		{name: "put with stale tag fails", method: http.MethodPut, ifMatch: stale, wantStatus: 412},
		{name: "delete with stale tag fails", method: http.MethodDelete, ifMatch: stale, wantStatus: 412},
		{name: "weak tag never matches", method: http.MethodPut, ifMatch: weak, wantStatus: 412},
		{name: "put with current tag succeeds", method: http.MethodPut, ifMatch: current, wantStatus: 200},
		{name: "delete with current tag succeeds", method: http.MethodDelete, ifMatch: current, wantStatus: 204},
		{name: "star matches any record", method: http.MethodPut, ifMatch: star, wantStatus: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startSandbox(t)
			path := personnelPath + "/" + demoID(t, s)
			tag := send(t, s, request{path: path}).header.Get("ETag")

			req := request{method: tt.method, path: path, header: map[string]string{"If-Match": tt.ifMatch(tag)}}
			if tt.method == http.MethodPut {
				req.body = validRecord("Matched", "if-match")
			}
			resp := send(t, s, req)
			if resp.status != tt.wantStatus {
				t.Fatalf("status = %d, want %d: %s", resp.status, tt.wantStatus, resp.body)
			}
			if tt.wantStatus != http.StatusPreconditionFailed {
				return
			}

			body := decode[errorBody](t, resp.body)
			if len(body.Details) != 1 || body.Details[0].Location != "If-Match" {
				t.Errorf("412 body = %s, want one detail at If-Match", resp.body)
			}
			if after := send(t, s, request{path: path}); after.header.Get("ETag") != tag {
				t.Error("a failed precondition changed the record")
			}
		})
	}
}

func stale(string) string       { return `"0123456789abcdef"` }
func weak(tag string) string    { return "W/" + tag }
func current(tag string) string { return tag }
func star(string) string        { return "*" }

func TestCorrelationID(t *testing.T) {
	s := startSandbox(t)
	tests := []struct {
		name string
		req  request
	}{
		{name: "success", req: request{path: "/tenant/v1/tenant"}},
		{name: "unauthorized", req: request{path: "/tenant/v1/tenant", noAuth: true}},
		{name: "unknown route", req: request{path: "/nothing/v1/here"}},
		{name: "method not allowed", req: request{method: http.MethodPatch, path: personnelPath}},
		{name: "bad request", req: request{path: personnelPath + "?limit=101"}},
		{name: "no content", req: request{method: http.MethodPost, path: "/_sandbox/reset-stats"}},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := send(t, s, tt.req).header.Get("cerner-correlation-id")
			if !uuidPattern.MatchString(id) {
				t.Errorf("cerner-correlation-id = %q, want a UUID", id)
			}
			if seen[id] {
				t.Errorf("cerner-correlation-id %q was sent before", id)
			}
			seen[id] = true
		})
	}
}

func TestErrorRoutes(t *testing.T) {
	s := startSandbox(t)
	tests := []struct {
		name       string
		method     string
		path       string
		wantStatus int
		wantAllow  string
	}{
		{name: "unknown route", path: "/nothing/v1/here", wantStatus: 404},
		{name: "trailing slash", path: personnelPath + "/", wantStatus: 404},
		{name: "patch of collection", method: http.MethodPatch, path: personnelPath, wantStatus: 405, wantAllow: "GET, POST"},
		{name: "post to record", method: http.MethodPost, path: personnelPath + "/x", wantStatus: 405, wantAllow: "GET, PUT, DELETE"},
		{name: "delete of tenant", method: http.MethodDelete, path: "/tenant/v1/tenant", wantStatus: 405, wantAllow: "GET"},
		{name: "post to stats", method: http.MethodPost, path: "/_sandbox/stats", wantStatus: 405, wantAllow: "GET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := send(t, s, request{method: tt.method, path: tt.path})
			if resp.status != tt.wantStatus {
				t.Fatalf("status = %d, want %d: %s", resp.status, tt.wantStatus, resp.body)
			}
			if got := resp.header.Get("Allow"); got != tt.wantAllow {
				t.Errorf("Allow = %q, want %q", got, tt.wantAllow)
			}
			if got := resp.header.Get("Content-Type"); got != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", got)
			}
			if body := decode[errorBody](t, resp.body); body.Code != tt.wantStatus || body.Message == "" {
				t.Errorf("body = %s, want code %d and a message", resp.body, tt.wantStatus)
			}
		})
	}
}

func TestStats(t *testing.T) {
	s := startSandbox(t)
	send(t, s, request{path: "/tenant/v1/tenant"})
	send(t, s, request{path: personnelPath, noAuth: true})
	send(t, s, request{method: http.MethodPost, path: personnelPath, body: "{"})
	send(t, s, request{path: "/nothing"})

	want := sandbox.Stats{Requests: 4, ByMethod: map[string]int64{"GET": 3, "POST": 1}}
	checkStats(t, "after four requests", s.Stats(), want)

	resp := send(t, s, request{path: "/_sandbox/stats", noAuth: true})
	if resp.status != http.StatusOK {
		t.Fatalf("GET /_sandbox/stats status = %d, want 200", resp.status)
	}
	checkStats(t, "from /_sandbox/stats", decode[sandbox.Stats](t, resp.body), want)
	checkStats(t, "after reading stats", s.Stats(), want)

	reset := send(t, s, request{method: http.MethodPost, path: "/_sandbox/reset-stats", noAuth: true})
	if reset.status != http.StatusNoContent {
		t.Fatalf("POST /_sandbox/reset-stats status = %d, want 204", reset.status)
	}
	checkStats(t, "after reset", s.Stats(), sandbox.Stats{Requests: 0, ByMethod: map[string]int64{}})
	empty := send(t, s, request{path: "/_sandbox/stats", noAuth: true})
	if got, want := strings.TrimSpace(string(empty.body)), `{"requests":0,"byMethod":{},"tokenRequests":0}`; got != want {
		t.Errorf("stats body after reset = %s, want %s", got, want)
	}
}

func checkStats(t *testing.T, when string, got, want sandbox.Stats) {
	t.Helper()
	if got.Requests != want.Requests {
		t.Errorf("%s: Requests = %d, want %d", when, got.Requests, want.Requests)
	}
	if fmt.Sprint(got.ByMethod) != fmt.Sprint(want.ByMethod) {
		t.Errorf("%s: ByMethod = %v, want %v", when, got.ByMethod, want.ByMethod)
	}
}

func TestStatsSnapshotIsACopy(t *testing.T) {
	s := startSandbox(t)
	send(t, s, request{path: "/tenant/v1/tenant"})
	snapshot := s.Stats()
	snapshot.ByMethod["GET"] = 99
	if got := s.Stats().ByMethod["GET"]; got != 1 {
		t.Errorf("ByMethod[GET] = %d after changing a snapshot, want 1", got)
	}
}

func TestConcurrentRequests(t *testing.T) {
	s := startSandbox(t)
	const workers = 8
	const perWorker = 10

	var wg sync.WaitGroup
	for worker := range workers {
		wg.Go(func() {
			for i := range perWorker {
				suffix := fmt.Sprintf("%d-%d", worker, i)
				resp := send(t, s, request{method: http.MethodPost, path: personnelPath, body: validRecord("Parallel", suffix)})
				if resp.status != http.StatusCreated {
					t.Errorf("POST %s: status = %d, want 201", suffix, resp.status)
				}
			}
		})
	}
	wg.Wait()

	got := decode[page](t, send(t, s, request{path: personnelPath + "?formattedName=parallel"}).body)
	if got.TotalResults != workers*perWorker {
		t.Errorf("totalResults = %d, want %d", got.TotalResults, workers*perWorker)
	}
	if requests := s.Stats().Requests; requests != workers*perWorker+1 {
		t.Errorf("Requests = %d, want %d", requests, workers*perWorker+1)
	}
}

func TestRequestLog(t *testing.T) {
	var log syncBuffer
	s := startSandboxWith(t, sandbox.Options{BearerToken: testToken, Log: &log})
	send(t, s, request{path: personnelPath + "?limit=1&formattedName=smith"})
	send(t, s, request{path: "/tenant/v1/tenant", noAuth: true})

	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("log has %d lines, want 2:\n%s", len(lines), log.String())
	}
	wantLines := []*regexp.Regexp{
		regexp.MustCompile(`^GET /personnel/v1/personnel\?limit=1&formattedName=smith 200 \S+$`),
		regexp.MustCompile(`^GET /tenant/v1/tenant 401 \S+$`),
	}
	for i, want := range wantLines {
		if !want.MatchString(lines[i]) {
			t.Errorf("log line %d = %q, want a match for %s", i, lines[i], want)
		}
	}
	if strings.Contains(log.String(), testToken) {
		t.Error("log contains the bearer token")
	}
}

// syncBuffer is a bytes.Buffer that the server's goroutines and the test can share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestHandlerUnderHTTPTest(t *testing.T) {
	s := startSandbox(t)
	test := httptest.NewServer(s.Handler())
	defer test.Close()

	resp := send(t, s, request{path: test.URL + personnelPath + "?limit=1"})
	if resp.status != http.StatusOK {
		t.Fatalf("status = %d, want 200: %s", resp.status, resp.body)
	}
	got := decode[page](t, resp.body)
	checkLink(t, "nextLink", got.NextLink, test.URL+personnelPath+"?limit=1&offset=1")
	if requests := s.Stats().Requests; requests != 1 {
		t.Errorf("Requests = %d, want 1 shared with the server", requests)
	}
}

func TestStatusRoute(t *testing.T) {
	srv, err := sandbox.Start("127.0.0.1:0", sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	cases := []struct {
		path         string
		wantStatus   int
		wantLocation string
	}{
		{path: "/_sandbox/status/500", wantStatus: 500},
		{path: "/_sandbox/status/403", wantStatus: 403},
		{path: "/_sandbox/status/302", wantStatus: 302, wantLocation: "/_sandbox/status/200"},
		{path: "/_sandbox/status/204", wantStatus: 204},
		{path: "/_sandbox/status/42", wantStatus: 400},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			resp, err := client.Get(srv.URL + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			if got := resp.Header.Get("Location"); got != tc.wantLocation {
				t.Errorf("Location = %q, want %q", got, tc.wantLocation)
			}
		})
	}
}
