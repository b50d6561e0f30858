package httpx

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// fakeClock returns a clock that advances by step at each reading.
func fakeClock(step time.Duration) func() time.Time {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return func() time.Time {
		now = now.Add(step)
		return now
	}
}

func TestTraceTokenExchange(t *testing.T) {
	const (
		signature   = "c2VjcmV0LXNpZ25hdHVyZQ"
		accessor    = "accessor-secret-42"
		tokenValue  = "ConsumerKey%3Dk%26ExpiresOn%3D1"
		tokenSecret = "token-secret-99"
		cookie      = "session=abc123"
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Date"] = nil
		w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
		w.Header().Set("Set-Cookie", cookie)
		io.WriteString(w, "oauth_token="+tokenValue+"&oauth_token_secret="+tokenSecret+"&oauth_expires_in=3600")
	}))
	defer srv.Close()

	var trace bytes.Buffer
	transport := newTraceTransport(http.DefaultTransport, &trace)
	transport.now = fakeClock(time.Millisecond)
	client := &http.Client{Transport: transport}

	form := "oauth_consumer_key=key&oauth_signature_method=PLAINTEXT&oauth_signature=" + signature +
		"&oauth_accessor_secret=" + accessor
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/oauth/access", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", `OAuth oauth_consumer_key="key", oauth_signature="`+signature+`"`)
	req.Header.Set("Cookie", cookie)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.ReadAll(resp.Body)
	resp.Body.Close()

	want := "> POST " + srv.URL + "/oauth/access\n" +
		"> Authorization: OAuth ********\n" +
		"> Content-Type: application/x-www-form-urlencoded\n" +
		"> Cookie: ********\n" +
		">\n" +
		"> oauth_consumer_key=key&oauth_signature_method=PLAINTEXT&oauth_signature=********&oauth_accessor_secret=********\n" +
		"< HTTP/1.1 200 OK (1ms)\n" +
		"< Content-Length: 100\n" +
		"< Content-Type: application/x-www-form-urlencoded\n" +
		"< Set-Cookie: ********\n" +
		"<\n" +
		"< oauth_token=********&oauth_token_secret=********&oauth_expires_in=3600\n" +
		"* response body: 100 bytes in 2ms\n\n"
	if trace.String() != want {
		t.Errorf("trace:\n%s\nwant:\n%s", trace.String(), want)
	}
	for _, secret := range []string{signature, accessor, tokenValue, tokenSecret, "abc123"} {
		if strings.Contains(trace.String(), secret) {
			t.Errorf("trace contains the secret %q", secret)
		}
	}
}

func TestTraceBodies(t *testing.T) {
	long := strings.Repeat("a", maxTraceBody+10)
	cases := []struct {
		name        string
		contentType string
		body        string
		want        string
	}{
		{name: "empty body", contentType: "application/json", body: "",
			want: "* response body: 0 bytes in 2ms\n\n"},
		{name: "binary body kept out", contentType: "application/gzip", body: "\x1f\x8b\x00",
			want: "<\n< [binary body, 3 bytes, not shown]\n* response body: 3 bytes in 2ms\n\n"},
		{name: "long body cut", contentType: "text/plain", body: long,
			want: "<\n< " + long[:maxTraceBody] + "\n< [10 more bytes not shown]\n* response body: 4106 bytes in 2ms\n\n"},
		{name: "lines prefixed", contentType: "text/plain", body: "one\ntwo\n",
			want: "<\n< one\n< two\n* response body: 8 bytes in 2ms\n\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header()["Date"] = nil
				w.Header().Set("Content-Type", tc.contentType)
				io.WriteString(w, tc.body)
			}))
			defer srv.Close()
			var trace bytes.Buffer
			transport := newTraceTransport(http.DefaultTransport, &trace)
			transport.now = fakeClock(time.Millisecond)
			resp, err := (&http.Client{Transport: transport}).Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			io.ReadAll(resp.Body)
			resp.Body.Close()
			_, body, _ := strings.Cut(trace.String(), "< Content-Type: "+tc.contentType+"\n")
			if body != tc.want {
				t.Errorf("body part of the trace = %q, want %q", body, tc.want)
			}
		})
	}
}

func TestTraceFailure(t *testing.T) {
	var trace bytes.Buffer
	transport := newTraceTransport(http.DefaultTransport, &trace)
	transport.now = fakeClock(time.Millisecond)
	_, err := (&http.Client{Transport: transport}).Get("http://user:password@127.0.0.1:1/x")
	if err == nil {
		t.Fatal("request to a closed port succeeded")
	}
	if !strings.HasPrefix(trace.String(), "> GET http://user:xxxxx@127.0.0.1:1/x\n> Authorization: Basic ********\n* GET http://user:xxxxx@127.0.0.1:1/x failed after 1ms: ") {
		t.Errorf("trace = %q", trace.String())
	}
	if strings.Contains(trace.String(), "password") {
		t.Error("trace contains the URL's password")
	}
}

func TestMaskHeaderValue(t *testing.T) {
	cases := []struct {
		name, header, value, want string
	}{
		{name: "bearer keeps scheme", header: "Authorization", value: "Bearer abc", want: "Bearer ********"},
		{name: "oauth keeps scheme", header: "authorization", value: `OAuth oauth_token="x"`, want: "OAuth ********"},
		{name: "proxy credential", header: "Proxy-Authorization", value: "Basic dXNlcjpwYXNz", want: "Basic ********"},
		{name: "bare token", header: "Authorization", value: "abc", want: "********"},
		{name: "cookie", header: "Cookie", value: "a=b; c=d", want: "********"},
		{name: "other header kept", header: "Accept", value: "application/json", want: "application/json"},
		{name: "api key header", header: "x-api-key", value: "k-123", want: "********"},
		{name: "auth token header", header: "X-Auth-Token", value: "t-123", want: "********"},
		{name: "redirect with a token", header: "location", value: "/cb?state=1&access_token=abc",
			want: "/cb?state=1&access_token=********"},
		{name: "redirect with a password", header: "Location", value: "http://u:pw@127.0.0.1/x",
			want: "http://u:xxxxx@127.0.0.1/x"},
		{name: "plain redirect kept", header: "Location", value: "/next?page=2", want: "/next?page=2"},
		{name: "token in a fragment", header: "Location", value: "/cb#access_token=abc&state=1",
			want: "/cb#access_token=********&state=1"},
		{name: "unparsable redirect", header: "Location", value: "http://[::1/x?access_token=abc",
			want: "http://[::1/x?********"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := MaskHeaderValue(tc.header, tc.value); got != tc.want {
				t.Errorf("MaskHeaderValue = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestMaskForm(t *testing.T) {
	cases := []struct {
		form, want string
	}{
		{form: "a=1&b=2", want: "a=1&b=2"},
		{form: "oauth_token=t&oauth_signature=s%26&x=1", want: "oauth_token=********&oauth_signature=********&x=1"},
		{form: "access_token=abc&limit=5", want: "access_token=********&limit=5"},
		{form: "Access_Token=abc", want: "Access_Token=********"},
		{form: "api%5Fkey=abc&apikey=def", want: "api%5Fkey=********&apikey=********"},
		{form: "api%5Fkey=abc", want: "api%5Fkey=********"},
		{form: "client_secret=s&refresh_token=r", want: "client_secret=********&refresh_token=********"},
		{form: "my_access_token_hint=1", want: "my_access_token_hint=1"},
		{form: "access_token", want: "access_token"},
		{form: "a=1;access_token=abc", want: "a=1;access_token=********"},
	}
	for _, tc := range cases {
		if got := MaskForm(tc.form); got != tc.want {
			t.Errorf("MaskForm(%q) = %q, want %q", tc.form, got, tc.want)
		}
	}
}

func TestRedactURLMasksFragmentTokens(t *testing.T) {
	u, _ := url.Parse("http://127.0.0.1/cb?state=1#access_token=abc&token_type=bearer")
	if got, want := RedactURL(u), "http://127.0.0.1/cb?state=1#access_token=********&token_type=bearer"; got != want {
		t.Errorf("RedactURL = %q, want %q", got, want)
	}
	plain, _ := url.Parse("http://127.0.0.1/doc#section-2")
	if got := RedactURL(plain); got != "http://127.0.0.1/doc#section-2" {
		t.Errorf("RedactURL = %q, want the URL unchanged", got)
	}
}

func TestRedactURLMasksQueryTokens(t *testing.T) {
	u, _ := url.Parse("http://user:pw@127.0.0.1/x?access_token=abc&limit=5")
	got := RedactURL(u)
	if want := "http://user:xxxxx@127.0.0.1/x?access_token=********&limit=5"; got != want {
		t.Errorf("RedactURL = %q, want %q", got, want)
	}
	if u.RawQuery != "access_token=abc&limit=5" {
		t.Errorf("RedactURL changed the URL to %q", u.RawQuery)
	}
}

func TestMaskText(t *testing.T) {
	cases := []struct{ text, want string }{
		{text: `failed to parse Location header "http://h/p%zz?access_token=abc&x=1": bad`,
			want: `failed to parse Location header "http://h/p%zz?access_token=********&x=1": bad`},
		{text: "no secret here", want: "no secret here"},
		{text: "API_KEY=k1 and client_secret=s2", want: "API_KEY=******** and client_secret=********"},
		{text: `parse "http://h/%zz?access%5Ftoken=s3&x=1"`, want: `parse "http://h/%zz?access_token=********&x=1"`},
		{text: "x %61ccess_token%3ds4 end", want: "x access_token=******** end"},
		{text: "(http://u:xxxxx@h/x?access_token=s5) not followed", want: "(http://u:xxxxx@h/x?access_token=********) not followed"},
		{text: "http://h/x?a=1;apikey=s6", want: "http://h/x?a=1;apikey=********"},
	}
	for _, tc := range cases {
		if got := MaskText(tc.text); got != tc.want {
			t.Errorf("MaskText(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
