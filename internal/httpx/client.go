package httpx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"syscall"
	"time"
)

// MaxRedirects bounds how many redirects a GET or HEAD follows.
const MaxRedirects = 10

// ConnectTimeout bounds establishing a connection: the TCP connection and, for https, the
// TLS handshake, each.
const ConnectTimeout = 10 * time.Second

// maxIdleConnsPerHost is the number of idle connections kept to one host: as many as
// --parallel may use at once (16), so that a parallel walk over HTTP/1.1 reuses its
// connections instead of opening new ones. net/http's default keeps 2.
const maxIdleConnsPerHost = 16

// ClientOptions configures NewClient.
type ClientOptions struct {
	// Timeout bounds a whole request, including reading the body. Zero means no limit.
	Timeout time.Duration
	// Host is the profile's base URL; Authorization is dropped on any redirect away from it.
	Host *url.URL
	// CAFile, when set, names a PEM file of CA certificates trusted besides the system's
	// roots (see LoadRootCAs). When it cannot be loaded, every request fails with the reason.
	CAFile string
	// Trace, when non-nil, receives a trace of every request and response, with credentials
	// masked.
	Trace io.Writer
	// Reauthorize, when non-nil, sets the credential of a redirected request that stays on
	// Host. An OAuth signature covers the URL and its nonce may be used once, so the header
	// of the first request cannot be reused.
	Reauthorize func(*http.Request) error
}

// NewClient returns an HTTP client with connect and overall timeouts, proxies from the
// environment, TLS verification against the system's roots or opts.RootCAs, and a redirect
// policy that follows GET and HEAD only and never carries credentials off the profile's host.
func NewClient(opts ClientOptions) *http.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = maxIdleConnsPerHost
	transport.DialContext = (&net.Dialer{Timeout: ConnectTimeout, KeepAlive: 30 * time.Second}).DialContext
	transport.TLSHandshakeTimeout = ConnectTimeout
	var rt http.RoundTripper = transport
	if opts.CAFile != "" {
		roots, err := LoadRootCAs(opts.CAFile)
		if err != nil {
			rt = failingTransport{err: &CABundleError{Err: err}}
		}
		transport.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	}
	if opts.Trace != nil {
		rt = newTraceTransport(rt, opts.Trace)
	}
	return &http.Client{
		Transport: rt,
		Timeout:   opts.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			return checkRedirect(opts, req, via)
		},
	}
}

// CABundleError is a CA bundle that cannot be loaded. Every request fails with it, so that a
// broken bundle never falls back to weaker verification, and it is not retried.
type CABundleError struct {
	Err error
}

func (e *CABundleError) Error() string { return "invalid CA bundle: " + e.Err.Error() }
func (e *CABundleError) Unwrap() error { return e.Err }

// failingTransport fails every request with err.
type failingTransport struct {
	err error
}

func (t failingTransport) RoundTrip(*http.Request) (*http.Response, error) { return nil, t.err }

// LoadRootCAs returns the system's trusted roots plus the PEM certificates in file, for a
// server whose certificate a private CA signed.
func LoadRootCAs(file string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read CA bundle: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("no PEM certificate found in %s", file)
	}
	return pool, nil
}

// checkRedirect follows GET and HEAD redirects only. The Referer header is dropped, because
// it carries the first URL and its query to wherever the redirect points. Off the
// profile's host the credential is dropped; on it the request is authorized afresh.
func checkRedirect(opts ClientOptions, req *http.Request, via []*http.Request) error {
	if m := via[0].Method; m != http.MethodGet && m != http.MethodHead {
		return http.ErrUseLastResponse
	}
	if len(via) >= MaxRedirects {
		return fmt.Errorf("stopped after %d redirects", MaxRedirects)
	}
	req.Header.Del("Referer")
	if req.URL.User != nil {
		// net/http would turn the user info into an Authorization header of its own.
		return fmt.Errorf("redirect to a URL with user info (%s) not followed", RedactURL(req.URL))
	}
	if opts.Host == nil || !SameHost(opts.Host, req.URL) {
		keepOnlyNeutralHeaders(req.Header)
		return nil
	}
	if opts.Reauthorize != nil {
		return opts.Reauthorize(req)
	}
	return nil
}

// DescribeError turns a transport failure into a message that names the host and cause.
// timeout is the client's overall timeout, named when it ran out.
func DescribeError(u *url.URL, timeout time.Duration, err error) error {
	// The *url.Error around the cause repeats the method and the whole URL, query included.
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}
	var netErr net.Error
	var opErr *net.OpError
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var bundle *CABundleError
	switch {
	case errors.As(err, &bundle):
		return fmt.Errorf("TLS certificate of %s cannot be checked: %w (fix HI_CA_BUNDLE or --cacert)", u.Host, bundle)
	case tlsHandshakeFailed(err):
		return fmt.Errorf("TLS handshake with %s failed: %w", u.Host, err)
	case errors.As(err, &unknownAuthority):
		return fmt.Errorf("TLS certificate of %s is not trusted: %w (if a private CA signed it, "+
			"pass the CA certificate with --cacert FILE or HI_CA_BUNDLE)", u.Host, unknownAuthority)
	case errors.As(err, &hostname):
		return fmt.Errorf("TLS certificate of %s is not valid for that host: %w", u.Host, hostname)
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("request to %s was interrupted: %w", u.Host, err)
	case errors.As(err, &opErr) && opErr.Op == "dial" && opErr.Timeout():
		return fmt.Errorf("could not connect to %s within %s: %w", u.Host, ConnectTimeout, opErr.Err)
	case errors.As(err, &netErr) && netErr.Timeout() && timeout > 0:
		return fmt.Errorf("request to %s timed out after %s (raise --timeout or check the network)", u.Host, timeout)
	case errors.As(err, &netErr) && netErr.Timeout():
		return fmt.Errorf("request to %s timed out: %w", u.Host, err)
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return fmt.Errorf("could not connect to %s: %w", u.Host, err)
	}
	// The error of net/http can quote a URL from the server, such as a Location header it
	// could not parse.
	return &maskedError{msg: fmt.Sprintf("request to %s failed: %s", u.Host, MaskText(err.Error())), err: err}
}

// maskedError is an error whose message has its secrets masked, wrapping the original.
type maskedError struct {
	msg string
	err error
}

func (e *maskedError) Error() string { return e.msg }
func (e *maskedError) Unwrap() error { return e.err }

// DescribeBodyError turns a failure to read a response body from host into a message that
// names the host and the cause. timeout is the client's overall timeout, named when it ran
// out.
func DescribeBodyError(host string, timeout time.Duration, err error) error {
	var netErr net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("response from %s was interrupted: %w", host, err)
	case errors.As(err, &netErr) && netErr.Timeout() && timeout > 0:
		return fmt.Errorf("response from %s timed out after %s before the end of the body "+
			"(raise --timeout or check the network)", host, timeout)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET):
		return fmt.Errorf("connection to %s closed before the end of the response: %w", host, err)
	}
	return fmt.Errorf("read the response body from %s: %w", host, err)
}

// tlsHandshakeFailed reports whether err is a TLS alert from the server, such as a protocol
// version that neither side accepts (hi requires TLS 1.2 or newer), or a response that is not
// TLS at all.
func tlsHandshakeFailed(err error) bool {
	var opErr *net.OpError
	var recordHeader tls.RecordHeaderError
	var alert tls.AlertError
	// crypto/tls returns an alert that the server sent as a *net.OpError whose Op is "remote
	// error", around an unexported type.
	return (errors.As(err, &opErr) && opErr.Op == "remote error") || errors.As(err, &recordHeader) ||
		errors.As(err, &alert)
}

// neutralHeaders are the request headers that may follow a redirect to another host. Every
// other header, such as Authorization, Cookie, Proxy-Authorization or an API key given with
// -H, is meant for the profile's host alone.
var neutralHeaders = []string{"Accept", "Accept-Encoding", "Accept-Language", "User-Agent"}

func keepOnlyNeutralHeaders(h http.Header) {
	for name := range h {
		if !slices.Contains(neutralHeaders, http.CanonicalHeaderKey(name)) {
			delete(h, name)
		}
	}
}
