package sandbox_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestStreamBytes(t *testing.T) {
	s := startSandbox(t)
	cases := []struct {
		name       string
		query      string
		wantStatus int
		wantLength int64
	}{
		{name: "empty body", query: "size=0", wantStatus: http.StatusOK, wantLength: 0},
		{name: "less than one chunk", query: "size=10", wantStatus: http.StatusOK, wantLength: 10},
		{name: "several chunks", query: "size=200001", wantStatus: http.StatusOK, wantLength: 200001},
		{name: "missing size", query: "", wantStatus: http.StatusBadRequest},
		{name: "negative size", query: "size=-1", wantStatus: http.StatusBadRequest},
		{name: "size over the bound", query: "size=17179869185", wantStatus: http.StatusBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := client.Get(s.URL + "/_sandbox/bytes?" + tc.query)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status = %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			if tc.wantStatus != http.StatusOK {
				return
			}
			if int64(len(body)) != tc.wantLength || resp.ContentLength != tc.wantLength {
				t.Errorf("body has %d bytes and Content-Length %d, want %d", len(body), resp.ContentLength, tc.wantLength)
			}
			if got := resp.Header.Get("Content-Type"); got != "application/octet-stream" {
				t.Errorf("Content-Type = %q", got)
			}
			if len(body) > 0 && !strings.HasPrefix("0123456789abcdef", string(body[:min(len(body), 16)])) {
				t.Errorf("body starts with %q, want the repeated pattern", body[:min(len(body), 16)])
			}
		})
	}
	if got := s.Stats().Requests; got != 0 {
		t.Errorf("stats count %d requests, want none for a control route", got)
	}
}
