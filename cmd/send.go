package cmd

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"

	"github.com/hi-cli/hi/internal/httpx"
)

// userAgent is sent with every request.
const userAgent = "hi-cli"

// newRequest builds a request with hi's default headers. The credential is added by do, once
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
		c.client = httpx.NewClient(httpx.ClientOptions{Timeout: c.Settings.Timeout, Host: c.Settings.BaseURL})
	}
	return c.client
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

// send makes one attempt: authorize, then send.
func (c *Connection) send(req *http.Request, body []byte) (*http.Response, error) {
	attempt := req.Clone(req.Context())
	if body != nil {
		attempt.Body = io.NopCloser(bytes.NewReader(body))
	}
	if err := c.authorize(attempt, body); err != nil {
		return nil, err
	}
	resp, err := c.httpClient().Do(attempt)
	if err != nil {
		return nil, httpx.DescribeError(attempt.URL, err)
	}
	return resp, nil
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
