package auth

import (
	"net/url"
	"testing"
)

func TestParseAuthorizationHeader(t *testing.T) {
	tests := []struct {
		name   string
		header string
		want   url.Values
	}{
		{
			name:   "compact list",
			header: `OAuth oauth_consumer_key="k",oauth_token="t",oauth_version="1.0"`,
			want:   url.Values{"oauth_consumer_key": {"k"}, "oauth_token": {"t"}, "oauth_version": {"1.0"}},
		},
		{
			name:   "realm and spaces",
			header: `OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2" , oauth_nonce = "7d8f3e4a"`,
			want:   url.Values{"realm": {"Example"}, "oauth_consumer_key": {"9djdj82h48djs9d2"}, "oauth_nonce": {"7d8f3e4a"}},
		},
		{
			name:   "values percent-decoded",
			header: `OAuth oauth_signature="a%2Bb%3D", oauth_token="x%20y+z", oauth_consumer_key="%C3%A9"`,
			want:   url.Values{"oauth_signature": {"a+b="}, "oauth_token": {"x y+z"}, "oauth_consumer_key": {"é"}},
		},
		{
			name:   "realm kept as written",
			header: `OAuth realm="a%20b"`,
			want:   url.Values{"realm": {"a%20b"}},
		},
		{
			name:   "scheme in any case",
			header: `oAuTh oauth_token="t"`,
			want:   url.Values{"oauth_token": {"t"}},
		},
		{
			name:   "empty value and extra commas",
			header: `OAuth ,oauth_token="",, oauth_verifier="v",`,
			want:   url.Values{"oauth_token": {""}, "oauth_verifier": {"v"}},
		},
		{
			name:   "tabs as whitespace",
			header: "OAuth\toauth_token=\"t\",\toauth_nonce=\"n\"",
			want:   url.Values{"oauth_token": {"t"}, "oauth_nonce": {"n"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAuthorizationHeader(tt.header)
			if err != nil {
				t.Fatalf("ParseAuthorizationHeader(%q): %v", tt.header, err)
			}
			if len(got) != len(tt.want) {
				t.Errorf("got %d parameters %v, want %d %v", len(got), got, len(tt.want), tt.want)
			}
			for name, values := range tt.want {
				if g := got[name]; len(g) != 1 || g[0] != values[0] {
					t.Errorf("%s = %q, want %q", name, g, values)
				}
			}
		})
	}
}

func TestParseAuthorizationHeaderErrors(t *testing.T) {
	tests := []struct {
		name    string
		header  string
		wantErr string
	}{
		{"empty header", "", `authorization header uses scheme "", not OAuth`},
		{"Bearer scheme", "Bearer abc", `authorization header uses scheme "Bearer", not OAuth`},
		{"scheme only", "OAuth", "authorization header has no OAuth parameters"},
		{"commas only", "OAuth , ,", "authorization header has no OAuth parameters"},
		{"unquoted value", "OAuth oauth_token=t", "authorization header parameter oauth_token: value is not a quoted string"},
		{"unterminated quote", `OAuth oauth_token="t`, "authorization header parameter oauth_token: quoted string has no closing quote"},
		{"name without value", `OAuth oauth_token`, "authorization header parameter oauth_token has no value"},
		{"missing name", `OAuth ="t"`, "authorization header has no parameter name at offset 6"},
		{"bad percent escape", `OAuth oauth_token="%zz"`, `authorization header parameter oauth_token: invalid URL escape "%zz"`},
		{"parameter twice", `OAuth oauth_nonce="a", oauth_nonce="b"`, "authorization header contains oauth_nonce twice"},
		{"missing comma", `OAuth oauth_nonce="a" oauth_token="b"`, "authorization header has no comma after oauth_nonce"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAuthorizationHeader(tt.header)
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseAuthorizationHeader(%q) = %v, %v, want error %q", tt.header, got, err, tt.wantErr)
			}
		})
	}
}
