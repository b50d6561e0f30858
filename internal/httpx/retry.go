package httpx

import (
	"context"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Limits of the retry policy.
const (
	// MaxRetries bounds --retry.
	MaxRetries = 10
	// BaseBackoff is the delay before the first retry when the server gives no Retry-After;
	// it doubles for each later retry.
	BaseBackoff = time.Second
	// MaxBackoff caps the doubled delay.
	MaxBackoff = 30 * time.Second
	// MaxRetryAfter is the longest Retry-After that is waited for. A server that requests
	// more is not retried, because a retry that soon would only be throttled again.
	MaxRetryAfter = 60 * time.Second
)

// RetryableMethod reports whether a request with method may be sent again without the
// risk of doing its work twice: the idempotent methods of RFC 9110 section 9.2.2, apart from
// TRACE.
func RetryableMethod(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// RetryableStatus reports whether a response status means that the same request may
// succeed later: 429 Too Many Requests, 502 Bad Gateway, 503 Service Unavailable, 504 Gateway Timeout.
func RetryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// RetryableError reports whether a transport failure may pass when the request is sent
// again. Certificate problems, a failed TLS handshake, an invalid CA bundle and cancellation
// do not.
func RetryableError(err error) bool {
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var bundle *CABundleError
	switch {
	case errors.Is(err, context.Canceled), errors.As(err, &unknownAuthority), errors.As(err, &hostname),
		errors.As(err, &invalid), errors.As(err, &bundle), tlsHandshakeFailed(err):
		return false
	}
	return true
}

// ParseRetryAfter reads a Retry-After header value, either delay seconds or an HTTP date
// (RFC 9110 section 10.2.3), as a delay from now. It returns false when the value is absent
// or invalid. A date in the past is a delay of zero.
func ParseRetryAfter(value string, now time.Time) (time.Duration, bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, false
	}
	if seconds, err := strconv.ParseInt(value, 10, 64); err == nil {
		if seconds < 0 {
			return 0, false
		}
		return time.Duration(min(seconds, int64(24*time.Hour/time.Second))) * time.Second, true
	}
	when, err := http.ParseTime(value)
	if err != nil {
		return 0, false
	}
	return max(when.Sub(now), 0), true
}

// Backoff returns the delay before retry number retry, 1 for the first. The delay is
// BaseBackoff doubled for each earlier retry and capped at MaxBackoff. It is then scaled by a
// random factor between 0.5 and 1, so that clients which failed together do not retry
// together. random returns a value in [0, 1).
func Backoff(retry int, random func() float64) time.Duration {
	delay := MaxBackoff
	if retry < 16 {
		delay = min(BaseBackoff<<(retry-1), MaxBackoff)
	}
	if random == nil {
		random = rand.Float64
	}
	return time.Duration(float64(delay) * (0.5 + random()/2))
}
