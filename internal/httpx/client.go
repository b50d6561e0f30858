package httpx

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"
)

// MaxRedirects bounds how many redirects a GET or HEAD follows.
const MaxRedirects = 10

// ClientOptions configures NewClient.
type ClientOptions struct {
	// Timeout bounds a whole request, including reading the body.
	Timeout time.Duration
	// Host is the profile's base URL; Authorization is dropped on any redirect away from it.
	Host *url.URL
}

// NewClient returns an HTTP client with connect and overall timeouts, proxies from the
// environment, and a redirect policy that follows GET and HEAD only and never carries
// credentials off the profile's host.
func NewClient(opts ClientOptions) *http.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	transport.TLSHandshakeTimeout = 10 * time.Second
	return &http.Client{
		Transport: transport,
		Timeout:   opts.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			return checkRedirect(opts.Host, req, via)
		},
	}
}

func checkRedirect(host *url.URL, req *http.Request, via []*http.Request) error {
	if m := via[0].Method; m != http.MethodGet && m != http.MethodHead {
		return http.ErrUseLastResponse
	}
	if len(via) >= MaxRedirects {
		return fmt.Errorf("stopped after %d redirects", MaxRedirects)
	}
	if host == nil || !SameHost(host, req.URL) {
		req.Header.Del("Authorization")
	}
	return nil
}

// DescribeError turns a transport failure into a message that names the host and cause.
func DescribeError(u *url.URL, err error) error {
	var netErr net.Error
	var opErr *net.OpError
	switch {
	case errors.As(err, &netErr) && netErr.Timeout():
		return fmt.Errorf("request to %s timed out: %w (raise --timeout or check the network)", u.Host, err)
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return fmt.Errorf("could not connect to %s: %w", u.Host, err)
	}
	return fmt.Errorf("request to %s failed: %w", u.Host, err)
}
