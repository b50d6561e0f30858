package cmd

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// FuzzParseHeaders checks that a -H item can never add a header of its own making: an
// accepted item is either refused by the HTTP client, or reaches a server on 127.0.0.1 as
// exactly the one header it names.
func FuzzParseHeaders(f *testing.F) {
	for _, seed := range []string{
		"Accept: application/json", "X-Empty:", "X-Spaces:   padded   ", "Content-Type:text/csv",
		"X-A: 1\r\nAuthorization: Bearer stolen", "X-A: 1\nX-B: 2", "Bad Name: x", ": no name", "NoColon",
		"X-Null: a\x00b", "X-Unicode: ☃", "Host: evil.example", "X-Colon: a:b:c", "\tX-Tab: v",
	} {
		f.Add(seed)
	}
	var mu sync.Mutex
	var received http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		received = r.Header.Clone()
		mu.Unlock()
	}))
	f.Cleanup(srv.Close)

	f.Fuzz(func(t *testing.T, item string) {
		headers, err := parseHeaders([]string{item})
		if err != nil {
			return
		}
		if len(headers) != 1 {
			t.Fatalf("parseHeaders(%q) returned %d headers, want 1", item, len(headers))
		}
		req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		for name, values := range headers {
			req.Header[name] = values
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			return // the client refuses an invalid name or value
		}
		resp.Body.Close()

		mu.Lock()
		got := received
		mu.Unlock()
		for name, values := range headers {
			if strings.EqualFold(name, "Host") {
				continue // Go sends the Host header from req.Host, never from req.Header
			}
			if sent := got.Values(name); len(sent) != 1 || sent[0] != values[0] {
				t.Errorf("-H %q arrived as %s: %q, want %q", item, name, sent, values)
			}
		}
		for name := range got {
			if _, ours := headers[name]; !ours && name != "User-Agent" && name != "Accept-Encoding" {
				t.Errorf("-H %q arrived with the extra header %s: %q", item, name, got.Values(name))
			}
		}
	})
}
