package auth

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

var signerTime = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// newTestSigner returns a signer with a fixed clock and a nonce source of repeated
// 0xab bytes.
func newTestSigner(method SignatureMethod, accessorSecret string) *OAuth1Signer {
	return &OAuth1Signer{
		Consumer: Consumer{Key: "consumer key&+", Secret: "consumer&secret", Method: method},
		Token: AccessToken{
			Token:          "ConsumerKey=ck&ExpiresOn=1715000000&RSASHA1=ab%2Bcd",
			TokenSecret:    "token secret%",
			AccessorSecret: accessorSecret,
		},
		Now:  func() time.Time { return signerTime },
		Rand: bytes.NewReader(bytes.Repeat([]byte{0xab}, 64)),
	}
}

func authorizeAndParse(t *testing.T, s *OAuth1Signer, req *http.Request, body []byte) url.Values {
	t.Helper()
	if err := s.Authorize(req, body); err != nil {
		t.Fatalf("Authorize: %v", err)
	}
	params, err := ParseAuthorizationHeader(req.Header.Get("Authorization"))
	if err != nil {
		t.Fatalf("ParseAuthorizationHeader(%q): %v", req.Header.Get("Authorization"), err)
	}
	return params
}

func TestAuthorizeHeaderRoundTrip(t *testing.T) {
	s := newTestSigner(PlainText, "")
	req, _ := http.NewRequest("GET", "https://t.api.us-1.healtheintent.com/personnel/v1/personnel", nil)
	params := authorizeAndParse(t, s, req, nil)

	want := map[string]string{
		"oauth_consumer_key":     "consumer key&+",
		"oauth_token":            "ConsumerKey=ck&ExpiresOn=1715000000&RSASHA1=ab%2Bcd",
		"oauth_signature_method": "PLAINTEXT",
		"oauth_signature":        "consumer%26secret&token%20secret%25",
		"oauth_version":          "1.0",
		"oauth_timestamp":        "1714979289",
		"oauth_nonce":            strings.Repeat("ab", 16),
	}
	for name, value := range want {
		if got := params.Get(name); got != value {
			t.Errorf("%s = %q, want %q", name, got, value)
		}
	}
	if len(params) != len(want) {
		t.Errorf("header has %d parameters, want %d: %v", len(params), len(want), params)
	}
}

func TestAuthorizeHeaderFormat(t *testing.T) {
	s := newTestSigner(PlainText, "")
	req, _ := http.NewRequest("GET", "https://h.test/r", nil)
	if err := s.Authorize(req, nil); err != nil {
		t.Fatalf("Authorize: %v", err)
	}
	want := `OAuth oauth_consumer_key="consumer%20key%26%2B",` +
		`oauth_token="ConsumerKey%3Dck%26ExpiresOn%3D1715000000%26RSASHA1%3Dab%252Bcd",` +
		`oauth_signature_method="PLAINTEXT",` +
		`oauth_signature="consumer%2526secret%26token%2520secret%2525",` +
		`oauth_version="1.0",oauth_timestamp="1714979289",` +
		`oauth_nonce="abababababababababababababababab"`
	if got := req.Header.Get("Authorization"); got != want {
		t.Errorf("Authorization:\n got %s\nwant %s", got, want)
	}
}

func TestAuthorizePlainTextSecret(t *testing.T) {
	tests := []struct {
		name           string
		accessorSecret string
		want           string
	}{
		{"accessor secret replaces consumer secret", "acc&essor", "acc%26essor&token%20secret%25"},
		{"consumer secret without accessor secret", "", "consumer%26secret&token%20secret%25"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestSigner(PlainText, tt.accessorSecret)
			req, _ := http.NewRequest("GET", "https://h.test/r", nil)
			params := authorizeAndParse(t, s, req, nil)
			if got := params.Get("oauth_signature"); got != tt.want {
				t.Errorf("oauth_signature = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAuthorizeHMACSHA1(t *testing.T) {
	const body = "name=J%C3%BCrgen+M&tag=a&tag=b"
	tests := []struct {
		name        string
		method      string
		url         string
		host        string
		contentType string
		signedURL   string
		signedForm  url.Values
	}{
		{
			name:   "query signed",
			method: "GET", url: "https://H.test:443/personnel/v1/personnel?limit=5&aliasValue=a%20b",
			signedURL: "https://h.test/personnel/v1/personnel?limit=5&aliasValue=a%20b",
		},
		{
			name:   "form body signed",
			method: "POST", url: "https://h.test/data?x=1",
			contentType: "application/x-www-form-urlencoded; charset=UTF-8",
			signedURL:   "https://h.test/data?x=1",
			signedForm:  url.Values{"name": {"Jürgen M"}, "tag": {"a", "b"}},
		},
		{
			name:   "JSON body not signed",
			method: "POST", url: "https://h.test/data",
			contentType: "application/json",
			signedURL:   "https://h.test/data",
		},
		{
			name:   "Host header signed",
			method: "GET", url: "http://127.0.0.1:8080/r", host: "api.h.test",
			signedURL: "http://api.h.test/r",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestSigner(HMACSHA1, "accessor")
			req, _ := http.NewRequest(tt.method, tt.url, strings.NewReader(body))
			req.Host = tt.host
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			params := authorizeAndParse(t, s, req, []byte(body))

			signature := params.Get("oauth_signature")
			params.Del("oauth_signature")
			base := SignatureBaseString(tt.method, mustParseURL(t, tt.signedURL), tt.signedForm, params)
			if want := Signature(HMACSHA1, base, "accessor", "token secret%"); signature != want {
				t.Errorf("oauth_signature = %q, want %q over\n%s", signature, want, base)
			}
			if got := params.Get("oauth_signature_method"); got != "HMAC-SHA1" {
				t.Errorf("oauth_signature_method = %q, want HMAC-SHA1", got)
			}
		})
	}
}

func TestAuthorizeLeavesBodyUnread(t *testing.T) {
	s := newTestSigner(HMACSHA1, "")
	req, _ := http.NewRequest("POST", "https://h.test/r", strings.NewReader("a=1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if err := s.Authorize(req, []byte("a=1")); err != nil {
		t.Fatalf("Authorize: %v", err)
	}
	buf := new(bytes.Buffer)
	if _, err := buf.ReadFrom(req.Body); err != nil {
		t.Fatalf("read body: %v", err)
	}
	if buf.String() != "a=1" {
		t.Errorf("body = %q, want a=1", buf.String())
	}
}

func TestAuthorizeMethodNormalized(t *testing.T) {
	s := newTestSigner("hmac-sha1", "")
	req, _ := http.NewRequest("GET", "https://h.test/r", nil)
	params := authorizeAndParse(t, s, req, nil)
	if got := params.Get("oauth_signature_method"); got != "HMAC-SHA1" {
		t.Errorf("oauth_signature_method = %q, want HMAC-SHA1", got)
	}
}

func TestAuthorizeErrors(t *testing.T) {
	tests := []struct {
		name    string
		signer  *OAuth1Signer
		wantErr string
	}{
		{
			name:    "unsupported signature method",
			signer:  &OAuth1Signer{Consumer: Consumer{Key: "k", Method: "RSA-SHA1"}},
			wantErr: `invalid signature method "RSA-SHA1": use PLAINTEXT or HMAC-SHA1`,
		},
		{
			name:    "random source fails",
			signer:  &OAuth1Signer{Consumer: Consumer{Key: "k"}, Rand: strings.NewReader("short")},
			wantErr: "generate OAuth nonce: unexpected EOF",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", "https://h.test/r", nil)
			err := tt.signer.Authorize(req, nil)
			if err == nil || err.Error() != tt.wantErr {
				t.Fatalf("Authorize error = %v, want %q", err, tt.wantErr)
			}
			if got := req.Header.Get("Authorization"); got != "" {
				t.Errorf("Authorization = %q after a failure, want none", got)
			}
		})
	}
}

func TestHeaderValueNewNonceEachCall(t *testing.T) {
	s := &OAuth1Signer{Consumer: Consumer{Key: "k", Secret: "s"}, Token: AccessToken{Token: "t"}}
	u := mustParseURL(t, "https://h.test/r")
	first, err := s.HeaderValue("GET", u, nil)
	if err != nil {
		t.Fatalf("HeaderValue: %v", err)
	}
	second, err := s.HeaderValue("GET", u, nil)
	if err != nil {
		t.Fatalf("HeaderValue: %v", err)
	}

	firstParams, err := ParseAuthorizationHeader(first)
	if err != nil {
		t.Fatalf("ParseAuthorizationHeader: %v", err)
	}
	secondParams, err := ParseAuthorizationHeader(second)
	if err != nil {
		t.Fatalf("ParseAuthorizationHeader: %v", err)
	}
	if firstParams.Get("oauth_nonce") == secondParams.Get("oauth_nonce") {
		t.Errorf("both calls used nonce %q", firstParams.Get("oauth_nonce"))
	}
	if len(firstParams.Get("oauth_nonce")) != 32 {
		t.Errorf("nonce %q is not 32 hex digits", firstParams.Get("oauth_nonce"))
	}
}

func TestRandomHexShortRead(t *testing.T) {
	_, err := randomHex(strings.NewReader("abc"), 4)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("randomHex error = %v, want unexpected EOF", err)
	}
}
