package sandbox_test

import (
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hi-cli/hi/internal/sandbox"
)

// statuses sends n GETs of path and returns their statuses, -1 for a body cut short.
func statuses(t *testing.T, s *sandbox.Server, path string, n int) []int {
	t.Helper()
	var got []int
	for range n {
		req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+testToken)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if errors.Is(err, io.ErrUnexpectedEOF) {
			got = append(got, -1)
			continue
		}
		if err != nil {
			t.Fatalf("read %s: %v", path, err)
		}
		got = append(got, resp.StatusCode)
	}
	return got
}

func TestFaultsRepeatWithSeed(t *testing.T) {
	opts := sandbox.Options{BearerToken: testToken, FailRate: 0.3, DropRate: 0.3, Seed: 7}
	first := statuses(t, startSandboxWith(t, opts), "/tenant/v1/tenant", 40)
	second := statuses(t, startSandboxWith(t, opts), "/tenant/v1/tenant", 40)
	if !slices.Equal(first, second) {
		t.Errorf("same seed gave different faults:\n%v\n%v", first, second)
	}
	counts := map[int]int{}
	for _, status := range first {
		counts[status]++
	}
	if counts[http.StatusServiceUnavailable] == 0 {
		t.Errorf("no 503 in 40 requests at fail rate 0.3: %v", first)
	}
	if counts[-1] == 0 {
		t.Errorf("no dropped response in 40 requests at drop rate 0.3: %v", first)
	}
	if counts[http.StatusOK] == 0 {
		t.Errorf("no 200 in 40 requests: %v", first)
	}
}

func TestFaultsSkipControlRoutes(t *testing.T) {
	s := startSandboxWith(t, sandbox.Options{BearerToken: testToken, FailRate: 1})
	if got := statuses(t, s, "/_sandbox/stats", 3); !slices.Equal(got, []int{200, 200, 200}) {
		t.Errorf("control route statuses = %v, want 200 each time", got)
	}
	resp := send(t, s, request{path: "/tenant/v1/tenant"})
	if resp.status != http.StatusServiceUnavailable {
		t.Fatalf("API status = %d, want 503", resp.status)
	}
	body := decode[errorBody](t, resp.body)
	if body.Code != 503 || len(body.Details) != 1 || body.Details[0].Reason != "backendError" {
		t.Errorf("error body = %+v", body)
	}
	if got := s.Stats().Requests; got != 1 {
		t.Errorf("requests counted = %d, want 1", got)
	}
}

func TestThrottle(t *testing.T) {
	s := startSandboxWith(t, sandbox.Options{BearerToken: testToken, Throttle: 2})
	start := time.Now()
	got := statuses(t, s, "/tenant/v1/tenant", 3)
	if time.Since(start) >= time.Second {
		t.Skip("three requests took a second or more, so the throttle window moved on")
	}
	if !slices.Equal(got, []int{200, 200, 429}) {
		t.Fatalf("statuses = %v, want [200 200 429]", got)
	}
	resp := send(t, s, request{path: "/tenant/v1/tenant"})
	if retryAfter := resp.header.Get("Retry-After"); resp.status == http.StatusTooManyRequests && retryAfter != "1" {
		t.Errorf("Retry-After = %q, want 1", retryAfter)
	}
}

func TestLatency(t *testing.T) {
	s := startSandboxWith(t, sandbox.Options{BearerToken: testToken, Latency: 50 * time.Millisecond})
	start := time.Now()
	statuses(t, s, "/tenant/v1/tenant", 1)
	if elapsed := time.Since(start); elapsed < 50*time.Millisecond {
		t.Errorf("response after %s, want at least 50ms", elapsed)
	}
}

func TestFaultOptionsRejected(t *testing.T) {
	cases := []struct {
		name string
		opts sandbox.Options
		want string
	}{
		{name: "fail rate above one", opts: sandbox.Options{FailRate: 1.5}, want: "invalid fail rate 1.5"},
		{name: "negative drop rate", opts: sandbox.Options{DropRate: -0.1}, want: "invalid drop rate -0.1"},
		{name: "negative throttle", opts: sandbox.Options{Throttle: -1}, want: "invalid throttle -1"},
		{name: "negative latency", opts: sandbox.Options{Latency: -time.Second}, want: "invalid latency -1s"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sandbox.Start("127.0.0.1:0", tc.opts)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error = %v, want it to start with %q", err, tc.want)
			}
		})
	}
}

func TestRedirectRoute(t *testing.T) {
	s := startSandbox(t)
	noFollow := &http.Client{
		Timeout:       5 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := noFollow.Get(s.URL + "/_sandbox/redirect?to=http://localhost:9/elsewhere")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Errorf("status = %d, want 302", resp.StatusCode)
	}
	if loc := resp.Header.Get("Location"); loc != "http://localhost:9/elsewhere" {
		t.Errorf("Location = %q", loc)
	}
	if missing := send(t, s, request{path: "/_sandbox/redirect"}); missing.status != http.StatusBadRequest {
		t.Errorf("status without to = %d, want 400", missing.status)
	}
}
