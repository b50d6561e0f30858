package sandbox_test

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hi-cli/hi/internal/auth"
	"github.com/hi-cli/hi/internal/sandbox"
)

// handlerTransport sends requests to a handler in the same process. It writes each request
// in the HTTP/1.1 wire format, as a client's transport does, and reads it back as a server
// does, so the handler receives the request line, Host and headers that a connection carries.
type handlerTransport struct {
	handler http.Handler
}

func (h handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var wire bytes.Buffer
	if err := req.Write(&wire); err != nil {
		return nil, err
	}
	received, err := http.ReadRequest(bufio.NewReader(&wire))
	if err != nil {
		return nil, err
	}
	received.RemoteAddr = "127.0.0.1:1"
	recorder := httptest.NewRecorder()
	h.handler.ServeHTTP(recorder, received)
	resp := recorder.Result()
	resp.Request = req
	return resp, nil
}

// signingTarget is a sandbox and an access token issued by it, which FuzzSignatureAccepted
// replaces now and then, so that the entities and nonces it stores do not grow without bound.
type signingTarget struct {
	server *sandbox.Server
	client *http.Client
	token  auth.AccessToken
	calls  int
}

const callsPerTarget = 5000

func newSigningTarget(tb testing.TB) *signingTarget {
	tb.Helper()
	s, err := sandbox.Start("127.0.0.1:0", sandbox.Options{
		ConsumerKey: testConsumerKey, ConsumerSecret: testConsumerSecret, TokenTTL: 1000 * time.Hour,
	})
	if err != nil {
		tb.Fatalf("Start: %v", err)
	}
	client := &http.Client{Transport: handlerTransport{handler: s.Handler()}}
	tokenClient := &auth.TokenClient{HTTPClient: client}
	token, err := tokenClient.Fetch(context.Background(), s.TokenURL, testConsumer(auth.PlainText))
	if err != nil {
		s.Close()
		tb.Fatalf("Fetch: %v", err)
	}
	return &signingTarget{server: s, client: client, token: token}
}

// hasOAuthName reports whether a form-encoded string has a parameter whose name starts with
// oauth_, which the sandbox rejects outside the Authorization header whatever the signature.
func hasOAuthName(raw string) bool {
	for pair := range strings.SplitSeq(raw, "&") {
		name, _, _ := strings.Cut(pair, "=")
		if decoded, err := url.QueryUnescape(name); err == nil {
			name = decoded
		}
		if strings.HasPrefix(name, "oauth_") {
			return true
		}
	}
	return false
}

// FuzzSignatureAccepted checks that the sandbox's verifier accepts every signature that the
// client in internal/auth makes, for any method, path segment, query and body, with both
// signature methods. A rawPath segment goes into the URL as given, escapes and all; otherwise
// it is escaped with url.PathEscape.
func FuzzSignatureAccepted(f *testing.F) {
	f.Add("GET", "widget", "", "", false, false, false)
	f.Add("POST", "widget", "b5=%3D%253D&a3=a&c%40=&a2=r%20b", "c2&a3=2+q", true, true, false)
	f.Add("PUT", "a b/c", "x=1&x=0&y", "entityKey=w%201&colour=r%C3%A9d+blue", true, true, false)
	f.Add("get", "%41%2fb", "q=%zz&;=;", "", true, false, true)
	f.Add("DELETE", "☃!$&'()*+,;=:@", "q=☃&r=a+b", "=&&=", false, true, false)
	f.Add("PATCH", "x%20y", "realm=r&empty=", "a=%E2%98%83", true, true, true)

	target := newSigningTarget(f)
	f.Cleanup(func() { target.server.Close() })

	f.Fuzz(func(t *testing.T, method, segment, query, body string, hmacSHA1, formBody, rawPath bool) {
		if method == http.MethodConnect || segment == "" || segment == "." || segment == ".." ||
			hasOAuthName(query) || (formBody && hasOAuthName(body)) || len(body) > 1<<16 {
			return
		}
		if !rawPath {
			segment = url.PathEscape(segment)
		}
		rawURL := target.server.URL + "/data-collector/v1/entities/" + segment
		if query != "" {
			rawURL += "?" + query
		}
		req, err := http.NewRequest(method, rawURL, strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", "application/json")
		if formBody {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}

		if target.calls++; target.calls > callsPerTarget {
			target.server.Close()
			target = newSigningTarget(t)
		}
		consumer := testConsumer(auth.PlainText)
		if hmacSHA1 {
			consumer.Method = auth.HMACSHA1
		}
		signer := &auth.OAuth1Signer{Consumer: consumer, Token: target.token}
		if err := signer.Authorize(req, []byte(body)); err != nil {
			t.Fatalf("Authorize: %v", err)
		}

		resp, err := target.client.Do(req)
		if err != nil {
			// The request cannot be written or read back, so it would never reach a server.
			return
		}
		resp.Body.Close()
		if problem := auth.ParseOAuthProblem(resp.Header.Get("WWW-Authenticate")); problem != "" || resp.StatusCode == http.StatusUnauthorized {
			t.Fatalf("%s %s with a %s body signed with %s: HTTP %d, oauth_problem %q\nAuthorization: %s",
				method, req.URL.RequestURI(), req.Header.Get("Content-Type"), consumer.Method, resp.StatusCode, problem,
				req.Header.Get("Authorization"))
		}
	})
}
