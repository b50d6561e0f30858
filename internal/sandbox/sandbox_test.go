package sandbox_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
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
	httpReq, err := http.NewRequest(cmpOr(req.method, http.MethodGet), target, strings.NewReader(req.body))
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

func cmpOr(value, fallback string) string {
	if value == "" {
		return fallback
	}
	return value
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
	tests := []struct {
		name          string
		authorization string
		wantStatus    int
		wantMessage   string
	}{
		{name: "missing header is rejected", wantStatus: 401, wantMessage: "header missing"},
		{name: "wrong token is rejected", authorization: "Bearer nope", wantStatus: 401, wantMessage: "invalid token"},
		{name: "token prefix is rejected", authorization: "Bearer " + testToken[:5], wantStatus: 401, wantMessage: "invalid token"},
		{name: "empty bearer is rejected", authorization: "Bearer ", wantStatus: 401, wantMessage: "invalid token"},
		{name: "basic scheme is rejected", authorization: "Basic dXNlcjpwYXNz", wantStatus: 401, wantMessage: "unsupported authorization scheme"},
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
				checkUnauthorized(t, s, resp, tt.wantMessage)
			})
		}
	}
}

func checkUnauthorized(t *testing.T, s *sandbox.Server, resp response, wantMessage string) {
	t.Helper()
	if resp.status != http.StatusUnauthorized {
		t.Fatalf("status = %d, want 401", resp.status)
	}
	host := strings.TrimPrefix(s.URL, "http://")
	if got, want := resp.header.Get("WWW-Authenticate"), `Bearer realm="`+host+`"`; got != want {
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
	if !bytes.Equal(first.body, second.body) {
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
