package cmd

import (
	"net/http"
)

// authorize adds the connection's credential to req. body is the request body, which an
// OAuth HMAC-SHA1 signature covers when it is form-encoded.
func (c *Connection) authorize(req *http.Request, body []byte) error {
	req.Header.Set("Authorization", "Bearer "+c.Token)
	return nil
}

// retryAfterAuthFailure reports whether a 401 answer can be fixed by a fresh credential, after
// getting one. A bearer token cannot be renewed by hi, so it is false for bearer.
func (c *Connection) retryAfterAuthFailure(resp *http.Response) (bool, error) {
	return false, nil
}
