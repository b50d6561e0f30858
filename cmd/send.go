package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/hi-cli/hi/internal/config"
	"github.com/hi-cli/hi/internal/httpx"
	"github.com/hi-cli/hi/internal/termtext"
)

// userAgent is sent with every request.
const userAgent = "hi-cli"

// maxRetryBuffer bounds the response body that is read ahead while retries remain, so that a
// connection dropped in the middle of the body can still be retried.
const maxRetryBuffer = 16 << 20

// httpOptions returns the HTTP client settings of this invocation: the timeout and host of s,
// the CA bundle of --cacert or HI_CA_BUNDLE, and the trace of -v or HI_DEBUG.
func (f *Factory) httpOptions(s *config.Settings) httpx.ClientOptions {
	f.Viper.BindEnv("cacert", "HI_CA_BUNDLE")
	f.Viper.BindEnv("verbose", "HI_DEBUG")
	opts := httpx.ClientOptions{Timeout: s.Timeout, Host: s.BaseURL, CAFile: f.Viper.GetString("cacert")}
	if f.Viper.GetBool("verbose") {
		opts.Trace = f.IO.ErrOut
	}
	return opts
}

// newRequest builds a request with hi's default headers. The credential is added by send, once
// per attempt, because an OAuth signature must be fresh for every send.
func (c *Connection) newRequest(method string, u *url.URL, body []byte) (*http.Request, error) {
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, u.String(), reader)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	return req, nil
}

// httpClient returns the connection's HTTP client, built on first use.
func (c *Connection) httpClient() *http.Client {
	if c.client == nil {
		opts := c.httpOptions
		if opts.Host == nil {
			opts.Timeout, opts.Host = c.Settings.Timeout, c.Settings.BaseURL
		}
		opts.Reauthorize = func(req *http.Request) error { return c.authorize(req, nil) }
		c.client = httpx.NewClient(opts)
	}
	return c.client
}

// tokenClientOptions returns the client settings for the OAuth access-token service: the
// connection's timeout, trace and CA bundle. No host is set, so a redirect never carries an
// Authorization header.
func (c *Connection) tokenClientOptions() httpx.ClientOptions {
	opts := c.httpOptions
	opts.Host = nil
	if opts.Timeout == 0 {
		opts.Timeout = c.Settings.Timeout
	}
	return opts
}

// do signs req and sends it. When the credential is refused in a way a fresh one can fix
// (see retryAfterAuthFailure), it signs and sends the request once more. A transport
// failure is described with the host and cause.
func (c *Connection) do(req *http.Request, body []byte) (*http.Response, error) {
	resp, err := c.send(req, body)
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return resp, err
	}
	retry, err := c.retryAfterAuthFailure(resp)
	if err != nil || !retry {
		return resp, err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	return c.send(req, body)
}

// transportError is a request that got no response: the connection failed, timed out or
// closed early.
type transportError struct {
	err error
}

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// send makes one attempt: authorize, then send.
func (c *Connection) send(req *http.Request, body []byte) (*http.Response, error) {
	attempt := req.Clone(req.Context())
	if body != nil {
		attempt.Body = io.NopCloser(bytes.NewReader(body))
	}
	if err := c.authorize(attempt, body); err != nil {
		return nil, err
	}
	client := c.httpClient()
	resp, err := client.Do(attempt)
	if err != nil {
		return nil, &transportError{err: httpx.DescribeError(attempt.URL, client.Timeout, err)}
	}
	return resp, nil
}

// retryPolicy decides whether and when a request is sent again (--retry and --retry-all).
type retryPolicy struct {
	retries int
	all     bool
	// sleep waits between attempts and random draws the backoff jitter in [0, 1).
	sleep  func(ctx context.Context, d time.Duration) error
	random func() float64
	// notes receives one line per retry.
	notes io.Writer
}

// doRetry sends req through do, and sends it again after a connection error or a 429,
// 502, 503 or 504, up to p.retries more times, when its method is safe to repeat (or
// p.all is set). Each attempt is signed afresh by send. The wait is the response's
// Retry-After when it gives one, else exponential backoff with jitter.
func (c *Connection) doRetry(req *http.Request, body []byte, p retryPolicy) (*http.Response, error) {
	attempts := 1
	if p.retries > 0 && (p.all || httpx.RetryableMethod(req.Method)) {
		attempts += p.retries
	}
	for attempt := 1; ; attempt++ {
		resp, err := c.do(req, body)
		if attempt == attempts {
			return resp, err
		}
		if err == nil && !httpx.RetryableStatus(resp.StatusCode) {
			if err = bufferBody(resp, c.httpClient().Timeout); err == nil {
				return resp, nil
			}
			resp = nil
		}
		var failure *transportError
		if err != nil && (!errors.As(err, &failure) || !httpx.RetryableError(err)) {
			return nil, err
		}
		if err != nil && req.Context().Err() != nil {
			// Interrupted or cancelled: a note would announce a retry that never comes.
			return nil, err
		}

		delay, reason, ok := retryDelay(resp, err, attempt, p)
		delay = delay.Round(time.Millisecond)
		// The reason can quote the server's reason phrase.
		reason = termtext.Line(reason)
		if !ok {
			fmt.Fprintf(p.notes, "hi: not retrying: %s\n", reason)
			return resp, nil
		}
		if resp != nil {
			io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
			resp.Body.Close()
		}
		fmt.Fprintf(p.notes, "hi: attempt %d of %d failed: %s; retrying in %s\n", attempt, attempts, reason, delay)
		if err := p.sleep(req.Context(), delay); err != nil {
			return nil, fmt.Errorf("wait to retry %s: %w", req.URL.Host, err)
		}
	}
}

// retryDelay returns how long to wait before the next attempt and why it is needed. It
// returns false when the server requests a wait longer than httpx.MaxRetryAfter.
func retryDelay(resp *http.Response, err error, attempt int, p retryPolicy) (time.Duration, string, bool) {
	if resp == nil {
		return httpx.Backoff(attempt, p.random), err.Error(), true
	}
	reason := "HTTP " + resp.Status
	wait, ok := httpx.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	if !ok {
		return httpx.Backoff(attempt, p.random), reason, true
	}
	if wait > httpx.MaxRetryAfter {
		return 0, fmt.Sprintf("HTTP %s asks to wait %s (Retry-After), more than %s", resp.Status,
			wait, httpx.MaxRetryAfter), false
	}
	return wait, reason + " with Retry-After", true
}

// bufferBody reads the body of resp ahead, up to maxRetryBuffer bytes, so that a connection
// that drops or stalls in the middle of the body counts as a failed attempt. A longer body is
// left to stream after the part read. timeout is the client's, for the message.
func bufferBody(resp *http.Response, timeout time.Duration) error {
	if resp.ContentLength > maxRetryBuffer {
		return nil
	}
	head, err := io.ReadAll(io.LimitReader(resp.Body, maxRetryBuffer))
	if err != nil {
		resp.Body.Close()
		return &transportError{err: httpx.DescribeBodyError(resp.Request.URL.Host, timeout, err)}
	}
	if len(head) < maxRetryBuffer {
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(head))
		return nil
	}
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	return nil
}

// tenantInfo is the part of GET /tenant/v1/tenant that hi shows.
type tenantInfo struct {
	ID       string `json:"id"`
	Mnemonic string `json:"mnemonic"`
	Name     string `json:"name"`
}

// fetchTenant calls GET /tenant/v1/tenant. The response is returned with its body read and
// closed; the tenant is nil unless the status is 200.
func fetchTenant(c *Connection) (*tenantInfo, *http.Response, error) {
	u, err := httpx.ResolveURL(c.Settings.BaseURL, "/tenant/v1/tenant", nil)
	if err != nil {
		return nil, nil, err
	}
	req, err := c.newRequest(http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, err
	}
	resp, err := c.do(req, nil)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()

	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		return nil, resp, nil
	}
	var t tenantInfo
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&t); err != nil {
		return nil, resp, err
	}
	return &t, resp, nil
}
