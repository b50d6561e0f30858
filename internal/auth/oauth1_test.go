package auth

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"strings"
	"testing"
)

// rfc3986Encode is an encoder written independently of PercentEncode: url.QueryEscape
// keeps exactly the unreserved characters and writes a space as "+".
func rfc3986Encode(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

func mustParseURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("url.Parse(%q): %v", raw, err)
	}
	return u
}

// The request of RFC 5849 section 3.4.1, signed with consumer secret j49sk3j29djd and
// token secret dh893hdasih9. The expected signature was computed separately with
// printf '%s' BASE | openssl dgst -sha1 -hmac 'j49sk3j29djd&dh893hdasih9' -binary | base64.
func TestSignatureRFC5849Example(t *testing.T) {
	u := mustParseURL(t, "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b")
	form := url.Values{"c2": {""}, "a3": {"2 q"}}
	oauthParams := url.Values{
		"realm":                  {"Example"},
		"oauth_consumer_key":     {"9djdj82h48djs9d2"},
		"oauth_token":            {"kkk9d7dh3k39sjv7"},
		"oauth_signature_method": {"HMAC-SHA1"},
		"oauth_timestamp":        {"137131201"},
		"oauth_nonce":            {"7d8f3e4a"},
		"oauth_signature":        {"djosJKDKJSD8743243/jdk33klY="},
	}
	const wantBase = "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q" +
		"%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_" +
		"key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m" +
		"ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk" +
		"9d7dh3k39sjv7"
	const wantSignature = "r6/TJjbCOr97/+UU0NsvSne7s5g="

	base := SignatureBaseString("POST", u, form, oauthParams)
	if base != wantBase {
		t.Errorf("base string:\n got %s\nwant %s", base, wantBase)
	}
	if got := Signature(HMACSHA1, base, "j49sk3j29djd", "dh893hdasih9"); got != wantSignature {
		t.Errorf("signature = %s, want %s", got, wantSignature)
	}
}

func TestSignatureRFC5849ExampleFromRawBody(t *testing.T) {
	u := mustParseURL(t, "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b")
	oauthParams := url.Values{
		"oauth_consumer_key":     {"9djdj82h48djs9d2"},
		"oauth_token":            {"kkk9d7dh3k39sjv7"},
		"oauth_signature_method": {"HMAC-SHA1"},
		"oauth_timestamp":        {"137131201"},
		"oauth_nonce":            {"7d8f3e4a"},
	}
	base := SignatureBaseString("POST", u, ParseForm("c2&a3=2+q"), oauthParams)
	if got := Signature(HMACSHA1, base, "j49sk3j29djd", "dh893hdasih9"); got != "r6/TJjbCOr97/+UU0NsvSne7s5g=" {
		t.Errorf("signature = %s, want r6/TJjbCOr97/+UU0NsvSne7s5g=", got)
	}
}

func TestPercentEncode(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty string", "", ""},
		{"letters and digits kept", "AZaz09", "AZaz09"},
		{"unreserved marks kept", "-._~", "-._~"},
		{"space becomes %20", "a b", "a%20b"},
		{"plus encoded", "a+b", "a%2Bb"},
		{"asterisk encoded", "*", "%2A"},
		{"percent encoded", "100%", "100%25"},
		{"reserved characters", ":/?#[]@!$&'()*+,;=", "%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D"},
		{"two-byte UTF-8", "é", "%C3%A9"},
		{"three-byte UTF-8", "日本", "%E6%97%A5%E6%9C%AC"},
		{"control characters", "\x00\n\x7f", "%00%0A%7F"},
		{"invalid UTF-8 byte", "\xff", "%FF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PercentEncode(tt.in); got != tt.want {
				t.Errorf("PercentEncode(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestPercentEncodeEveryByte(t *testing.T) {
	for c := 0; c < 256; c++ {
		s := string([]byte{byte(c)})
		if got, want := PercentEncode(s), rfc3986Encode(s); got != want {
			t.Errorf("PercentEncode(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestBaseStringURI(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"plain URL", "https://api.example.com/personnel/v1/personnel", "https://api.example.com/personnel/v1/personnel"},
		{"uppercase scheme and host lowered", "HTTPS://API.Example.COM/Path", "https://api.example.com/Path"},
		{"http port 80 dropped", "http://example.com:80/r", "http://example.com/r"},
		{"https port 443 dropped", "https://example.com:443/r", "https://example.com/r"},
		{"port 8080 kept", "http://example.com:8080/r", "http://example.com:8080/r"},
		{"https on port 80 kept", "https://example.com:80/r", "https://example.com:80/r"},
		{"http on port 443 kept", "http://example.com:443/r", "http://example.com:443/r"},
		{"empty path becomes slash", "http://example.com", "http://example.com/"},
		{"query and fragment dropped", "http://example.com/r?a=1#top", "http://example.com/r"},
		{"escaped path kept as sent", "http://example.com/a%20b/c%2Fd", "http://example.com/a%20b/c%2Fd"},
		{"IPv6 host keeps brackets", "http://[::1]:8080/r", "http://[::1]:8080/r"},
		{"IPv6 default port dropped", "http://[::1]:80/r", "http://[::1]/r"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := BaseStringURI(mustParseURL(t, tt.in)); got != tt.want {
				t.Errorf("BaseStringURI(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSignatureBaseString(t *testing.T) {
	tests := []struct {
		name        string
		method      string
		url         string
		form        url.Values
		oauthParams url.Values
		want        string
	}{
		{
			name:   "repeated keys sorted by value",
			method: "GET", url: "http://h.test/?b=2&a=3&a=1&a=2",
			want: "GET&http%3A%2F%2Fh.test%2F&a%3D1%26a%3D2%26a%3D3%26b%3D2",
		},
		{
			name:   "key without value",
			method: "GET", url: "http://h.test/?flag&x=1",
			want: "GET&http%3A%2F%2Fh.test%2F&flag%3D%26x%3D1",
		},
		{
			name:   "empty value",
			method: "GET", url: "http://h.test/?x=&y=1",
			want: "GET&http%3A%2F%2Fh.test%2F&x%3D%26y%3D1",
		},
		{
			name:   "plus in query is a space",
			method: "GET", url: "http://h.test/?q=a+b",
			want: "GET&http%3A%2F%2Fh.test%2F&q%3Da%2520b",
		},
		{
			name:   "sorted by encoded name",
			method: "GET", url: "http://h.test/?a-b=1&a%20b=2",
			want: "GET&http%3A%2F%2Fh.test%2F&a%2520b%3D2%26a-b%3D1",
		},
		{
			name:   "uppercase scheme and host lowered",
			method: "GET", url: "HTTP://H.Test/P",
			want: "GET&http%3A%2F%2Fh.test%2FP&",
		},
		{
			name:   "explicit port 80 dropped",
			method: "GET", url: "http://h.test:80/p",
			want: "GET&http%3A%2F%2Fh.test%2Fp&",
		},
		{
			name:   "explicit port 443 dropped",
			method: "GET", url: "https://h.test:443/p",
			want: "GET&https%3A%2F%2Fh.test%2Fp&",
		},
		{
			name:   "port 8080 kept",
			method: "GET", url: "http://h.test:8080/p",
			want: "GET&http%3A%2F%2Fh.test%3A8080%2Fp&",
		},
		{
			name:   "lowercase method uppercased",
			method: "post", url: "http://h.test/p",
			want: "POST&http%3A%2F%2Fh.test%2Fp&",
		},
		{
			name:   "form body parameters included",
			method: "POST", url: "http://h.test/p?z=1",
			form: url.Values{"a": {"x y"}, "z": {"0"}},
			want: "POST&http%3A%2F%2Fh.test%2Fp&a%3Dx%2520y%26z%3D0%26z%3D1",
		},
		{
			name:   "oauth_signature excluded everywhere",
			method: "GET", url: "http://h.test/p?oauth_signature=q",
			form:        url.Values{"oauth_signature": {"f"}},
			oauthParams: url.Values{"oauth_signature": {"h"}, "oauth_nonce": {"n"}},
			want:        "GET&http%3A%2F%2Fh.test%2Fp&oauth_nonce%3Dn",
		},
		{
			name:   "realm excluded from protocol parameters",
			method: "GET", url: "http://h.test/p?realm=q",
			oauthParams: url.Values{"realm": {"Example"}},
			want:        "GET&http%3A%2F%2Fh.test%2Fp&realm%3Dq",
		},
		{
			name:   "non-ASCII values encoded as UTF-8",
			method: "GET", url: "http://h.test/p?name=%C3%A9",
			want: "GET&http%3A%2F%2Fh.test%2Fp&name%3D%25C3%25A9",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SignatureBaseString(tt.method, mustParseURL(t, tt.url), tt.form, tt.oauthParams)
			if got != tt.want {
				t.Errorf("base string:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestSignaturePlainText(t *testing.T) {
	tests := []struct {
		name         string
		clientSecret string
		tokenSecret  string
		want         string
	}{
		{"plain secrets", "cs", "ts", "cs&ts"},
		{"empty token secret", "cs", "", "cs&"},
		{"both empty", "", "", "&"},
		{"ampersand in secret", "a&b", "c&d", "a%26b&c%26d"},
		{"percent in secret", "50%", "%2F", "50%25&%252F"},
		{"space in secret", "a b", "c d", "a%20b&c%20d"},
		{"plus in secret", "a+b", "", "a%2Bb&"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Signature(PlainText, "ignored", tt.clientSecret, tt.tokenSecret); got != tt.want {
				t.Errorf("Signature = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSignatureHMACKeyEncoding(t *testing.T) {
	const base = "GET&http%3A%2F%2Fh.test%2F&"
	mac := hmac.New(sha1.New, []byte("a%26b%20c&d%25e"))
	mac.Write([]byte(base))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))

	if got := Signature(HMACSHA1, base, "a&b c", "d%e"); got != want {
		t.Errorf("Signature = %s, want %s", got, want)
	}
}

func TestSignatureUnknownMethod(t *testing.T) {
	if got := Signature("RSA-SHA1", "base", "cs", "ts"); got != "" {
		t.Errorf("Signature(RSA-SHA1) = %q, want empty", got)
	}
	if got := Signature("", "base", "cs", "ts"); got != "cs&ts" {
		t.Errorf("Signature(empty method) = %q, want PLAINTEXT cs&ts", got)
	}
}

func TestParseSignatureMethod(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    SignatureMethod
		wantErr string
	}{
		{"plaintext", "PLAINTEXT", PlainText, ""},
		{"plaintext lowercase", "plaintext", PlainText, ""},
		{"hmac-sha1", "HMAC-SHA1", HMACSHA1, ""},
		{"hmac-sha1 mixed case", "Hmac-Sha1", HMACSHA1, ""},
		{"unsupported method", "RSA-SHA1", "", `invalid signature method "RSA-SHA1": use PLAINTEXT or HMAC-SHA1`},
		{"empty value", "", "", `invalid signature method "": use PLAINTEXT or HMAC-SHA1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSignatureMethod(tt.in)
			if got != tt.want {
				t.Errorf("ParseSignatureMethod(%q) = %q, want %q", tt.in, got, tt.want)
			}
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if gotErr != tt.wantErr {
				t.Errorf("error = %q, want %q", gotErr, tt.wantErr)
			}
		})
	}
}

func TestEncodeForm(t *testing.T) {
	got := encodeForm(url.Values{"b": {"x y", "+"}, "a": {"é"}})
	if want := "a=%C3%A9&b=x%20y&b=%2B"; got != want {
		t.Errorf("encodeForm = %q, want %q", got, want)
	}
}

func TestParseForm(t *testing.T) {
	got := ParseForm("a=1;b=2&&c&d=%ZZ&e=x+y")
	want := url.Values{"a": {"1;b=2"}, "c": {""}, "d": {"%ZZ"}, "e": {"x y"}}
	if len(got) != len(want) {
		t.Fatalf("parseForm = %v, want %v", got, want)
	}
	for name, values := range want {
		if g := got[name]; len(g) != 1 || g[0] != values[0] {
			t.Errorf("parseForm[%q] = %q, want %q", name, g, values)
		}
	}
}
