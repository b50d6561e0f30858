package sandbox_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hi-cli/hi/internal/auth"
	"github.com/hi-cli/hi/internal/sandbox"
)

const formContentType = "application/x-www-form-urlencoded"

// newDataCollector starts a sandbox and returns it with a PLAINTEXT signer for its Data
// Collector API.
func newDataCollector(t *testing.T) (*sandbox.Server, *auth.OAuth1Signer) {
	t.Helper()
	s := startOAuthSandbox(t, sandbox.Options{})
	return s, &auth.OAuth1Signer{Consumer: testConsumer(auth.PlainText), Token: fetchToken(t, s, auth.PlainText)}
}

func TestEntityLifecycle(t *testing.T) {
	s, signer := newDataCollector(t)
	entity := entitiesPath + "/patient/p%2F1"
	steps := []struct {
		name         string
		method       string
		path         string
		contentType  string
		body         string
		wantStatus   int
		wantBody     string
		wantLocation string
	}{
		{name: "unknown entity is not found", method: http.MethodGet, path: entity, wantStatus: 404},
		{name: "first PUT creates", method: http.MethodPut, path: entity, contentType: "application/json",
			body: `{ "name": "Zoë", "age": 40 }`, wantStatus: 201, wantBody: `{"name":"Zoë","age":40}`,
			wantLocation: s.URL + entity},
		{name: "GET returns the stored entity", method: http.MethodGet, path: entity,
			wantStatus: 200, wantBody: `{"name":"Zoë","age":40}`},
		{name: "second PUT replaces", method: http.MethodPut, path: entity, contentType: "application/json",
			body: `{"name":"Zoe"}`, wantStatus: 200, wantBody: `{"name":"Zoe"}`},
		{name: "GET returns the replacement", method: http.MethodGet, path: entity,
			wantStatus: 200, wantBody: `{"name":"Zoe"}`},
		{name: "same key of another type is not found", method: http.MethodGet,
			path: entitiesPath + "/encounter/p%2F1", wantStatus: 404},
		{name: "form POST creates", method: http.MethodPost, path: entitiesPath + "/patient", contentType: formContentType,
			body: "entityKey=p-2&name=Ann+Lee&note=50%25", wantStatus: 201,
			wantBody: `{"entityKey":"p-2","name":"Ann Lee","note":"50%"}`, wantLocation: s.URL + entitiesPath + "/patient/p-2"},
		{name: "form POST replaces", method: http.MethodPost, path: entitiesPath + "/patient", contentType: formContentType,
			body: "entityKey=p-2&name=Ann", wantStatus: 200, wantBody: `{"entityKey":"p-2","name":"Ann"}`},
		{name: "GET returns the form entity", method: http.MethodGet, path: entitiesPath + "/patient/p-2",
			wantStatus: 200, wantBody: `{"entityKey":"p-2","name":"Ann"}`},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			resp := sendSigned(t, s, signer, step.method, step.path, step.contentType, step.body)
			if resp.status != step.wantStatus {
				t.Fatalf("status = %d, want %d: %s", resp.status, step.wantStatus, resp.body)
			}
			if step.wantBody != "" && strings.TrimSpace(string(resp.body)) != step.wantBody {
				t.Errorf("body = %s, want %s", resp.body, step.wantBody)
			}
			if got := resp.header.Get("Location"); got != step.wantLocation {
				t.Errorf("Location = %q, want %q", got, step.wantLocation)
			}
		})
	}
}

func TestEntityList(t *testing.T) {
	s, signer := newDataCollector(t)
	for _, key := range []string{"c", "a", "b"} {
		resp := sendSigned(t, s, signer, http.MethodPut, entitiesPath+"/patient/"+key, "application/json", `{}`)
		if resp.status != http.StatusCreated {
			t.Fatalf("PUT %s status = %d, want 201: %s", key, resp.status, resp.body)
		}
	}

	tests := []struct {
		name       string
		query      string
		wantStatus int
		wantKeys   []string
		wantTotal  int
		wantNext   bool
	}{
		{name: "first page", query: "?limit=2", wantStatus: 200, wantKeys: []string{"a", "b"}, wantTotal: 3, wantNext: true},
		{name: "last page", query: "?offset=2&limit=2", wantStatus: 200, wantKeys: []string{"c"}, wantTotal: 3},
		{name: "default limit", wantStatus: 200, wantKeys: []string{"a", "b", "c"}, wantTotal: 3},
		{name: "limit above maximum", query: "?limit=101", wantStatus: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := sendSigned(t, s, signer, http.MethodGet, entitiesPath+"/patient"+tt.query, "", "")
			if resp.status != tt.wantStatus {
				t.Fatalf("status = %d, want %d: %s", resp.status, tt.wantStatus, resp.body)
			}
			if tt.wantStatus != http.StatusOK {
				return
			}
			body := decode[page](t, resp.body)
			var keys []string
			for _, item := range body.Items {
				keys = append(keys, item["entityKey"].(string))
			}
			if strings.Join(keys, ",") != strings.Join(tt.wantKeys, ",") {
				t.Errorf("keys = %v, want %v", keys, tt.wantKeys)
			}
			if body.TotalResults != tt.wantTotal {
				t.Errorf("totalResults = %d, want %d", body.TotalResults, tt.wantTotal)
			}
			if got := body.NextLink != nil; got != tt.wantNext {
				t.Errorf("nextLink present = %v, want %v", got, tt.wantNext)
			}
		})
	}
}

func TestEntityListOfUnknownTypeIsEmpty(t *testing.T) {
	s, signer := newDataCollector(t)
	resp := sendSigned(t, s, signer, http.MethodGet, entitiesPath+"/nothing", "", "")
	if resp.status != http.StatusOK {
		t.Fatalf("status = %d, want 200: %s", resp.status, resp.body)
	}
	if body := decode[page](t, resp.body); len(body.Items) != 0 || body.TotalResults != 0 {
		t.Errorf("items, totalResults = %v, %d, want none", body.Items, body.TotalResults)
	}
}

func TestEntityWriteRejected(t *testing.T) {
	s, signer := newDataCollector(t)
	tests := []struct {
		name         string
		method       string
		contentType  string
		body         string
		wantStatus   int
		wantLocation string
	}{
		{name: "PUT of invalid JSON", method: http.MethodPut, contentType: "application/json", body: `{"name":`,
			wantStatus: 400, wantLocation: "body "},
		{name: "PUT of an array", method: http.MethodPut, contentType: "application/json", body: `[1]`,
			wantStatus: 422, wantLocation: "body "},
		{name: "form without entityKey", method: http.MethodPost, contentType: formContentType, body: "name=x",
			wantStatus: 400, wantLocation: "formData entityKey"},
		{name: "form with empty entityKey", method: http.MethodPost, contentType: formContentType, body: "entityKey=",
			wantStatus: 400, wantLocation: "formData entityKey"},
		{name: "form with a repeated field", method: http.MethodPost, contentType: formContentType,
			body: "entityKey=k&name=a&name=b", wantStatus: 400, wantLocation: "formData name"},
		{name: "POST of JSON", method: http.MethodPost, contentType: "application/json", body: `{"entityKey":"k"}`,
			wantStatus: 415, wantLocation: "header Content-Type"},
		{name: "DELETE", method: http.MethodDelete, wantStatus: 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := entitiesPath + "/patient"
			if tt.method != http.MethodPost {
				path += "/k"
			}
			resp := sendSigned(t, s, signer, tt.method, path, tt.contentType, tt.body)
			if resp.status != tt.wantStatus {
				t.Fatalf("status = %d, want %d: %s", resp.status, tt.wantStatus, resp.body)
			}
			body := decode[errorBody](t, resp.body)
			if len(body.Details) != 1 {
				t.Fatalf("errorDetails = %+v, want one", body.Details)
			}
			if tt.wantLocation == "" {
				return
			}
			if got := body.Details[0].LocationType + " " + body.Details[0].Location; got != tt.wantLocation {
				t.Errorf("detail location = %q, want %q", got, tt.wantLocation)
			}
		})
	}
}

func TestDataCollectorRejectsBearer(t *testing.T) {
	s := startOAuthSandbox(t, sandbox.Options{})
	tests := []struct {
		name          string
		authorization string
		wantMessage   string
	}{
		{name: "valid bearer token", authorization: "Bearer " + testToken, wantMessage: "this API accepts OAuth 1.0a only, not bearer tokens"},
		{name: "missing header", wantMessage: "header missing"},
		{name: "basic scheme", authorization: "Basic dXNlcjpwYXNz", wantMessage: "unsupported authorization scheme"},
	}
	for _, tt := range tests {
		for _, path := range []string{entitiesPath + "/patient", entitiesPath + "/patient/p-1"} {
			t.Run(tt.name+" on "+path, func(t *testing.T) {
				req := request{path: path, noAuth: true, header: map[string]string{}}
				if tt.authorization != "" {
					req.header["Authorization"] = tt.authorization
				}
				resp := send(t, s, req)
				checkUnauthorized(t, s, resp, tt.wantMessage, `OAuth realm="{host}"`)
			})
		}
	}
}
