package httpx

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
)

// authRecorder returns a server that records the Authorization header it receives.
func authRecorder(t *testing.T, got *string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*got = r.Header.Get("Authorization")
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestRedirectDropsCredentialOffHost(t *testing.T) {
	var offHostAuth, onHostAuth string
	other := authRecorder(t, &offHostAuth)
	// "localhost" and "127.0.0.1" are different hosts to hi, though both are loopback.
	otherURL := "http://localhost:" + mustURL(t, other.URL).Port() + "/landing"
	home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, otherURL, http.StatusFound)
		case "/here":
			http.Redirect(w, r, "/final", http.StatusFound)
		case "/final":
			onHostAuth = r.Header.Get("Authorization")
		}
	}))
	defer home.Close()
	client := NewClient(ClientOptions{Timeout: 5 * time.Second, Host: mustURL(t, home.URL)})

	get := func(path string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, home.URL+path, nil)
		req.Header.Set("Authorization", "Bearer secret")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	get("/away")
	if offHostAuth != "" {
		t.Errorf("Authorization sent to another host: %q", offHostAuth)
	}
	get("/here")
	if onHostAuth != "Bearer secret" {
		t.Errorf("Authorization on the same host = %q, want it kept", onHostAuth)
	}
}

func TestRedirectNotFollowedForPost(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/start" {
			http.Redirect(w, r, "/next", http.StatusFound)
			return
		}
		t.Errorf("redirect followed for %s to %s", r.Method, r.URL.Path)
	}))
	defer srv.Close()
	client := NewClient(ClientOptions{Timeout: 5 * time.Second, Host: mustURL(t, srv.URL)})
	resp, err := client.Post(srv.URL+"/start", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Errorf("status = %d, want 302", resp.StatusCode)
	}
}

func TestRedirectLimit(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Path+"x", http.StatusFound)
	}))
	defer srv.Close()
	client := NewClient(ClientOptions{Timeout: 5 * time.Second, Host: mustURL(t, srv.URL)})
	_, err := client.Get(srv.URL + "/loop")
	if err == nil {
		t.Fatal("endless redirects were followed without error")
	}
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestRedirectDropsRefererAndReauthorizes(t *testing.T) {
	var referer, auth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/start" {
			http.Redirect(w, r, "/next", http.StatusFound)
			return
		}
		referer, auth = r.Header.Get("Referer"), r.Header.Get("Authorization")
	}))
	defer srv.Close()
	signed := 0
	client := NewClient(ClientOptions{Timeout: 5 * time.Second, Host: mustURL(t, srv.URL),
		Reauthorize: func(req *http.Request) error {
			signed++
			req.Header.Set("Authorization", "signed for "+req.URL.Path)
			return nil
		}})
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/start?secret=query", nil)
	req.Header.Set("Authorization", "signed for /start")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if referer != "" {
		t.Errorf("Referer = %q, want none", referer)
	}
	if auth != "signed for /next" || signed != 1 {
		t.Errorf("Authorization = %q after %d signings, want one new signature for /next", auth, signed)
	}
}

func TestRedirectOffHostKeepsOnlyNeutralHeaders(t *testing.T) {
	var got http.Header
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
	}))
	defer other.Close()
	// The same IP address on another port is another host to hi.
	home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/landing", http.StatusFound)
	}))
	defer home.Close()
	client := NewClient(ClientOptions{Timeout: 5 * time.Second, Host: mustURL(t, home.URL)})
	req, _ := http.NewRequest(http.MethodGet, home.URL+"/start", nil)
	for name, value := range map[string]string{
		"Authorization": "Bearer secret", "Cookie": "session=secret", "Proxy-Authorization": "Basic secret",
		"X-Api-Key": "secret", "Accept": "application/json", "User-Agent": "hi-cli",
	} {
		req.Header.Set(name, value)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, name := range []string{"Authorization", "Cookie", "Proxy-Authorization", "X-Api-Key"} {
		if v := got.Get(name); v != "" {
			t.Errorf("%s followed the redirect to another host: %q", name, v)
		}
	}
	for _, name := range []string{"Accept", "User-Agent"} {
		if got.Get(name) == "" {
			t.Errorf("%s was dropped", name)
		}
	}
}

func TestRedirectWithUserInfoNotFollowed(t *testing.T) {
	var reached bool
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached = true }))
	defer other.Close()
	home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target := mustURL(t, other.URL)
		target.User = url.UserPassword("user", "pass")
		http.Redirect(w, r, target.String()+"/x", http.StatusFound)
	}))
	defer home.Close()
	client := NewClient(ClientOptions{Timeout: 5 * time.Second, Host: mustURL(t, home.URL)})
	if _, err := client.Get(home.URL + "/start"); err == nil {
		t.Error("a redirect to a URL with user info was followed")
	}
	if reached {
		t.Error("the redirect target received a request")
	}
}
