package httpx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		value  string
		want   time.Duration
		wantOK bool
	}{
		{name: "seconds", value: "3", want: 3 * time.Second, wantOK: true},
		{name: "zero seconds", value: "0", want: 0, wantOK: true},
		{name: "http date ahead", value: "Sun, 01 Mar 2026 12:00:30 GMT", want: 30 * time.Second, wantOK: true},
		{name: "http date past", value: "Sun, 01 Mar 2026 11:00:00 GMT", want: 0, wantOK: true},
		{name: "huge seconds capped at a day", value: "999999999999", want: 24 * time.Hour, wantOK: true},
		{name: "absent", value: ""},
		{name: "negative", value: "-1"},
		{name: "garbage", value: "soon"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ParseRetryAfter(tc.value, now)
			if ok != tc.wantOK {
				t.Fatalf("ok = %v, want %v", ok, tc.wantOK)
			}
			if got != tc.want {
				t.Errorf("delay = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	cases := []struct {
		name   string
		retry  int
		random float64
		want   time.Duration
	}{
		{name: "first retry lowest jitter", retry: 1, random: 0, want: 500 * time.Millisecond},
		{name: "first retry mid jitter", retry: 1, random: 0.5, want: 750 * time.Millisecond},
		{name: "third retry doubles twice", retry: 3, random: 0.5, want: 3 * time.Second},
		{name: "capped", retry: 9, random: 0, want: 15 * time.Second},
		{name: "far retry capped", retry: 40, random: 0, want: 15 * time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Backoff(tc.retry, func() float64 { return tc.random }); got != tc.want {
				t.Errorf("Backoff = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestRetryableRules(t *testing.T) {
	for _, m := range []string{"GET", "HEAD", "PUT", "DELETE", "OPTIONS"} {
		if !RetryableMethod(m) {
			t.Errorf("%s not retryable", m)
		}
	}
	for _, m := range []string{"POST", "PATCH"} {
		if RetryableMethod(m) {
			t.Errorf("%s retryable", m)
		}
	}
	for _, code := range []int{429, 502, 503, 504} {
		if !RetryableStatus(code) {
			t.Errorf("%d not retryable", code)
		}
	}
	for _, code := range []int{200, 400, 401, 404, 500, 501} {
		if RetryableStatus(code) {
			t.Errorf("%d retryable", code)
		}
	}
	if RetryableError(context.Canceled) {
		t.Error("cancellation retryable")
	}
	if RetryableError(x509.UnknownAuthorityError{}) {
		t.Error("untrusted certificate retryable")
	}
	if RetryableError(&CABundleError{Err: errors.New("no PEM certificate found")}) {
		t.Error("invalid CA bundle retryable")
	}
	if RetryableError(&net.OpError{Op: "remote error", Err: errors.New("tls: protocol version not supported")}) {
		t.Error("TLS alert from the server retryable")
	}
	if RetryableError(tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}) {
		t.Error("response that is not TLS retryable")
	}
	if !RetryableError(&net.OpError{Op: "read", Err: errors.New("connection reset by peer")}) {
		t.Error("reset during a read not retryable")
	}
	if !RetryableError(errors.New("connection reset by peer")) {
		t.Error("connection reset not retryable")
	}
}
