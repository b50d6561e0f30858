// Command getclient is the smallest Go program that makes hi's request: one GET with a bearer
// token from HI_TOKEN, the body copied to standard output. scripts/bench times hi against it.
package main

import (
	"io"
	"net/http"
	"os"
)

func main() {
	req, err := http.NewRequest(http.MethodGet, os.Args[1], nil)
	if err != nil {
		os.Exit(2)
	}
	req.Header.Set("Authorization", "Bearer "+os.Getenv("HI_TOKEN"))
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		os.Exit(1)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(os.Stdout, resp.Body); err != nil || resp.StatusCode != http.StatusOK {
		os.Exit(1)
	}
}
