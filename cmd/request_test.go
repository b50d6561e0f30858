package cmd

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hi-cli/hi/internal/iostreams"
)

// retryResponse is one response of retryServer. A status of 0 closes the connection after
// half of a 10-byte body.
type retryResponse struct {
	status     int
	retryAfter string
}

// retryServer responds to each request with the next of responses, then 200 with body "ok".
func retryServer(t *testing.T, responses ...retryResponse) (*httptest.Server, *atomic.Int64) {
	var count atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(count.Add(1)) - 1
		if n >= len(responses) {
			w.Write([]byte("ok"))
			return
		}
		resp := responses[n]
		if resp.status == 0 {
			w.Header().Set("Content-Length", "10")
			w.Write([]byte("12345"))
			conn, _, _ := http.NewResponseController(w).Hijack()
			conn.Close()
			return
		}
		if resp.retryAfter != "" {
			w.Header().Set("Retry-After", resp.retryAfter)
		}
		w.WriteHeader(resp.status)
		w.Write([]byte(`{"code":` + http.StatusText(resp.status) + `}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &count
}

// retryRun runs hi METHOD / against srv with --retry retries and returns what it printed,
// the delays it waited and the error.
func retryRun(t *testing.T, srv *httptest.Server, method string, retries int, all bool) (string, string, []time.Duration, error) {
	t.Setenv("HI_CONFIG", filepath.Join(t.TempDir(), "config.yaml"))
	t.Setenv("HI_TOKEN", "unit-test-token")
	io, _, out, errOut := iostreams.Test()
	f := NewFactory(io, BuildInfo{Version: "test"})
	f.Viper.Set("base-url", srv.URL)
	var delays []time.Duration
	opts := &requestOptions{
		IO: io, Factory: f, Method: method, Path: "/", Retry: retries, RetryAll: all,
		sleep: func(ctx context.Context, d time.Duration) error {
			delays = append(delays, d)
			return nil
		},
		random: func() float64 { return 0.5 },
	}
	err := runRequest(opts)
	return out.String(), errOut.String(), delays, err
}

func TestRetryDelays(t *testing.T) {
	future := time.Now().Add(3 * time.Second).UTC().Format(http.TimeFormat)
	cases := []struct {
		name       string
		method     string
		all        bool
		retries    int
		responses  []retryResponse
		wantDelays []time.Duration
		// wantAbout is set instead of wantDelays when the delay depends on the clock.
		wantAbout    time.Duration
		wantRequests int64
		wantStatus   int
		wantNotes    []string
	}{
		{name: "retry after seconds honoured", method: "GET", retries: 3,
			responses:  []retryResponse{{429, "2"}, {503, ""}},
			wantDelays: []time.Duration{2 * time.Second, 1500 * time.Millisecond}, wantRequests: 3, wantStatus: 200,
			wantNotes: []string{
				"hi: attempt 1 of 4 failed: HTTP 429 Too Many Requests with Retry-After; retrying in 2s",
				"hi: attempt 2 of 4 failed: HTTP 503 Service Unavailable; retrying in 1.5s",
			}},
		{name: "retry after date honoured", method: "GET", retries: 1,
			responses: []retryResponse{{503, future}}, wantAbout: 3 * time.Second, wantRequests: 2, wantStatus: 200},
		{name: "backoff doubles", method: "PUT", retries: 3,
			responses:  []retryResponse{{502, ""}, {504, ""}, {503, ""}},
			wantDelays: []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second}, wantRequests: 4, wantStatus: 200},
		{name: "dropped body retried", method: "GET", retries: 1, responses: []retryResponse{{0, ""}},
			wantDelays: []time.Duration{750 * time.Millisecond}, wantRequests: 2, wantStatus: 200},
		{name: "retries run out", method: "GET", retries: 1, responses: []retryResponse{{503, ""}, {503, ""}},
			wantDelays: []time.Duration{750 * time.Millisecond}, wantRequests: 2, wantStatus: 503},
		{name: "post not retried", method: "POST", retries: 3, responses: []retryResponse{{503, ""}},
			wantRequests: 1, wantStatus: 503},
		{name: "post retried with retry all", method: "POST", all: true, retries: 3, responses: []retryResponse{{503, ""}},
			wantDelays: []time.Duration{750 * time.Millisecond}, wantRequests: 2, wantStatus: 200},
		{name: "other errors not retried", method: "GET", retries: 3, responses: []retryResponse{{500, ""}},
			wantRequests: 1, wantStatus: 500},
		{name: "long retry after not waited", method: "GET", retries: 3, responses: []retryResponse{{429, "3600"}},
			wantRequests: 1, wantStatus: 429,
			wantNotes: []string{"hi: not retrying: HTTP 429 Too Many Requests asks to wait 1h0m0s (Retry-After), more than 1m0s"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, requests := retryServer(t, tc.responses...)
			_, stderr, delays, err := retryRun(t, srv, tc.method, tc.retries, tc.all)
			switch {
			case tc.wantAbout > 0:
				if len(delays) != 1 || delays[0] < tc.wantAbout-time.Second || delays[0] > tc.wantAbout {
					t.Errorf("delays = %v, want one of about %s", delays, tc.wantAbout)
				}
			case !slices.Equal(delays, tc.wantDelays):
				t.Errorf("delays = %v, want %v", delays, tc.wantDelays)
			}
			if got := requests.Load(); got != tc.wantRequests {
				t.Errorf("requests = %d, want %d", got, tc.wantRequests)
			}
			status := 200
			var statusErr *StatusError
			if errors.As(err, &statusErr) {
				status = statusErr.StatusCode
			} else if err != nil {
				t.Fatalf("error = %v", err)
			}
			if status != tc.wantStatus {
				t.Errorf("status = %d, want %d", status, tc.wantStatus)
			}
			for _, note := range tc.wantNotes {
				if !strings.Contains(stderr, note+"\n") {
					t.Errorf("stderr lacks %q:\n%s", note, stderr)
				}
			}
		})
	}
}

func TestRequestFlagErrors(t *testing.T) {
	cases := []struct {
		name   string
		method string
		args   []string
		want   string
	}{
		{name: "data with raw field", method: "POST", args: []string{"-d", "{}", "-f", "a=b"},
			want: "use either -d/--data or -f/--raw-field, not both"},
		{name: "input with typed field", method: "POST", args: []string{"--input", "x.json", "-F", "a=1"},
			want: "use either --input or -F/--field, not both"},
		{name: "data with input", method: "PUT", args: []string{"-d", "{}", "--input", "-"},
			want: "use either -d/--data or --input, not both"},
		{name: "form without fields", method: "POST", args: []string{"--form"},
			want: "--form sends the -f and -F fields: add at least one"},
		{name: "bad jq", method: "GET", args: []string{"--jq", ".items["},
			want: `invalid --jq expression ".items[": unexpected EOF`},
		{name: "ndjson alone", method: "GET", args: []string{"--ndjson"}, want: "--ndjson works with --paginate only"},
		{name: "parallel too high", method: "GET", args: []string{"--paginate", "--parallel", "17"},
			want: "invalid --parallel 17: use 1 to 16"},
		{name: "zero max pages", method: "GET", args: []string{"--paginate", "--max-pages", "0"},
			want: "invalid --max-pages 0: use 1 or more"},
		{name: "paginate with include", method: "GET", args: []string{"--paginate", "-i"},
			want: "use either --paginate or -i/--include, not both"},
		{name: "too many retries", method: "GET", args: []string{"--retry", "11"}, want: "invalid --retry 11: use 0 to 10"},
		{name: "retry all alone", method: "POST", args: []string{"--retry-all"}, want: "--retry-all works with --retry N only"},
		{name: "bad timeout", method: "GET", args: []string{"--timeout", "soon"},
			want: `invalid --timeout "soon": use a positive duration such as 30s or 2m`},
		{name: "missing ca bundle", method: "GET", args: []string{"--cacert", "/nonexistent/ca.pem"},
			want: "invalid --cacert /nonexistent/ca.pem: no such file or directory"},
		{name: "silent with jq", method: "GET", args: []string{"--silent", "--jq", "."},
			want: "use either --silent or --jq, not both"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := NewRequestCmd(testFactory(), tc.method, func(*requestOptions) error { return nil })
			err := execute(c, append([]string{"/personnel/v1/personnel"}, tc.args...)...)
			var usage *UsageError
			if !errors.As(err, &usage) {
				t.Fatalf("error = %v, want a usage error", err)
			}
			if err.Error() != tc.want {
				t.Errorf("error = %q, want %q", err.Error(), tc.want)
			}
		})
	}
}

func TestRequestFieldOrder(t *testing.T) {
	var got *requestOptions
	c := NewRequestCmd(testFactory(), "POST", func(o *requestOptions) error { got = o; return nil })
	if err := execute(c, "/p", "-f", "a[]=x", "-F", "a[]=1", "-f", "b=y"); err != nil {
		t.Fatal(err)
	}
	want := []rawField{{"a[]=x", false}, {"a[]=1", true}, {"b=y", false}}
	if !slices.Equal(got.Fields, want) {
		t.Errorf("fields = %v, want %v", got.Fields, want)
	}
}
