package httpx

import (
	"errors"
	"net/url"
	"testing"
)

func TestResolveURL(t *testing.T) {
	base, _ := url.Parse("https://cernerdemo.api.us-1.healtheintent.com")
	prefixed, _ := url.Parse("http://127.0.0.1:8080/prefix")
	cases := []struct {
		name   string
		base   *url.URL
		target string
		query  []string
		want   string
	}{
		{name: "path with leading slash", base: base, target: "/personnel/v1/personnel",
			want: "https://cernerdemo.api.us-1.healtheintent.com/personnel/v1/personnel"},
		{name: "path without leading slash", base: base, target: "personnel/v1/personnel",
			want: "https://cernerdemo.api.us-1.healtheintent.com/personnel/v1/personnel"},
		{name: "query string kept", base: base, target: "/personnel/v1/personnel?limit=5",
			want: "https://cernerdemo.api.us-1.healtheintent.com/personnel/v1/personnel?limit=5"},
		{name: "query items added", base: base, target: "/p?limit=5", query: []string{"offset=10", "name=a b"},
			want: "https://cernerdemo.api.us-1.healtheintent.com/p?limit=5&name=a+b&offset=10"},
		{name: "base path prefix kept", base: prefixed, target: "/tenant/v1/tenant",
			want: "http://127.0.0.1:8080/prefix/tenant/v1/tenant"},
		{name: "full url on same host", base: base, target: "https://CernerDemo.api.us-1.healtheintent.com/x?offset=20",
			want: "https://CernerDemo.api.us-1.healtheintent.com/x?offset=20"},
		{name: "explicit default port is the same host", base: base, target: "https://cernerdemo.api.us-1.healtheintent.com:443/x",
			want: "https://cernerdemo.api.us-1.healtheintent.com:443/x"},
		{name: "url inside a query value", base: base, target: "/redirect?to=http://127.0.0.1:9/x",
			want: "https://cernerdemo.api.us-1.healtheintent.com/redirect?to=http://127.0.0.1:9/x"},
		{name: "dot segments resolved", base: base, target: "/personnel/../data-collector/./v1/entities/",
			want: "https://cernerdemo.api.us-1.healtheintent.com/data-collector/v1/entities/"},
		{name: "dot segments in full url resolved", base: base, target: "https://cernerdemo.api.us-1.healtheintent.com/a/../b",
			want: "https://cernerdemo.api.us-1.healtheintent.com/b"},
		{name: "escaped path segment kept", base: base, target: "/personnel/v1/personnel/a%2Fb",
			want: "https://cernerdemo.api.us-1.healtheintent.com/personnel/v1/personnel/a%2Fb"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u, err := ResolveURL(tc.base, tc.target, tc.query)
			if err != nil {
				t.Fatal(err)
			}
			if got := u.String(); got != tc.want {
				t.Errorf("URL = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestResolveURLRejects(t *testing.T) {
	base, _ := url.Parse("https://cernerdemo.api.us-1.healtheintent.com")
	cases := []struct {
		name        string
		target      string
		query       []string
		wantForeign bool
	}{
		{name: "other host", target: "https://evil.example.com/personnel", wantForeign: true},
		{name: "other scheme", target: "http://cernerdemo.api.us-1.healtheintent.com/x", wantForeign: true},
		{name: "other port", target: "https://cernerdemo.api.us-1.healtheintent.com:8443/x", wantForeign: true},
		{name: "other scheme in capitals", target: "HTTP://cernerdemo.api.us-1.healtheintent.com/x", wantForeign: true},
		{name: "empty path", target: ""},
		{name: "query item without equals", target: "/x", query: []string{"limit"}},
		{name: "query item without key", target: "/x", query: []string{"=5"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ResolveURL(base, tc.target, tc.query)
			if err == nil {
				t.Fatal("accepted")
			}
			var foreign *ForeignHostError
			if errors.As(err, &foreign) != tc.wantForeign {
				t.Errorf("ForeignHostError = %v, want %v (%v)", !tc.wantForeign, tc.wantForeign, err)
			}
		})
	}
}
