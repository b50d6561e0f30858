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

// authorize adds the connection's credential to req.
func (c *Connection) authorize(req *http.Request, body []byte) error {
	req.Header.Set("Authorization", "Bearer "+c.Token)
	return nil
}

// newRequest builds a request with hi's default headers and the credential.
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

// do signs req and sends it. A transport failure is described with the host and cause.
func (c *Connection) do(req *http.Request, body []byte) (*http.Response, error) {
	if err := c.authorize(req, body); err != nil {
		return nil, err
	}
	client := httpx.NewClient(httpx.ClientOptions{Timeout: c.Settings.Timeout, Host: c.Settings.BaseURL})
	resp, err := client.Do(req)
	if err != nil {
		return nil, httpx.DescribeError(req.URL, err)
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
