package auth

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Consumer is an OAuth consumer registered with Cerner: its key, its secret and the
// signature method it signs with. An empty Method means PLAINTEXT, the service's default.
type Consumer struct {
	Key    string
	Secret string
	Method SignatureMethod
}

// signatureMethod returns the consumer's method in its canonical spelling.
func (c Consumer) signatureMethod() (SignatureMethod, error) {
	if c.Method == "" {
		return PlainText, nil
	}
	return ParseSignatureMethod(string(c.Method))
}

// OAuth1Signer signs API calls with an access token. Now and Rand default to time.Now and
// crypto/rand.Reader when nil.
type OAuth1Signer struct {
	Consumer Consumer
	Token    AccessToken
	Now      func() time.Time
	Rand     io.Reader
}

// authorizationOrder is the order of the parameters in the Authorization header. RFC 5849
// section 3.5.1 allows any order, and a fixed one keeps headers easy to compare.
var authorizationOrder = []string{
	"oauth_consumer_key", "oauth_token", "oauth_signature_method", "oauth_signature",
	"oauth_version", "oauth_timestamp", "oauth_nonce",
}

// Authorize sets the request's Authorization header to a signed OAuth header. For
// HMAC-SHA1 the signature covers the URL's query and, when the Content-Type is
// application/x-www-form-urlencoded, the parameters of body, which must be the request's
// body because req.Body is not read. The host signed is req.Host when it is set, because
// that is the Host header the server receives.
func (s *OAuth1Signer) Authorize(req *http.Request, body []byte) error {
	u := req.URL
	if req.Host != "" && req.Host != u.Host {
		withHost := *u
		withHost.Host = req.Host
		u = &withHost
	}
	var form url.Values
	if isFormContent(req.Header.Get("Content-Type")) {
		form = ParseForm(string(body))
	}

	value, err := s.HeaderValue(req.Method, u, form)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", value)
	return nil
}

// HeaderValue returns a signed Authorization header value for a request with the given
// method, URL and form body parameters (nil unless the body is form-encoded). Every call
// uses a new timestamp and nonce. It fails only when the signature method is invalid or
// the nonce cannot be read from Rand.
func (s *OAuth1Signer) HeaderValue(method string, u *url.URL, form url.Values) (string, error) {
	m, err := s.Consumer.signatureMethod()
	if err != nil {
		return "", err
	}
	nonce, err := randomHex(randomSource(s.Rand), 16)
	if err != nil {
		return "", fmt.Errorf("generate OAuth nonce: %w", err)
	}
	if method == "" {
		method = http.MethodGet
	}

	params := url.Values{}
	params.Set("oauth_consumer_key", s.Consumer.Key)
	params.Set("oauth_token", s.Token.Token)
	params.Set("oauth_signature_method", string(m))
	params.Set("oauth_version", "1.0")
	params.Set("oauth_timestamp", strconv.FormatInt(currentTime(s.Now).Unix(), 10))
	params.Set("oauth_nonce", nonce)

	var baseString string
	if m == HMACSHA1 {
		baseString = SignatureBaseString(method, u, form, params)
	}
	params.Set("oauth_signature", Signature(m, baseString, s.clientSecret(), s.Token.TokenSecret))
	return formatAuthorization(params), nil
}

// PlainTextHeaderValue returns a PLAINTEXT Authorization value without oauth_timestamp and
// oauth_nonce, which that method does not require, so one value serves any request made with
// the token until it expires. It fails for any other signature method.
func (s *OAuth1Signer) PlainTextHeaderValue() (string, error) {
	m, err := s.Consumer.signatureMethod()
	if err != nil {
		return "", err
	}
	if m != PlainText {
		return "", fmt.Errorf("signature method %s signs each request, so no request-independent header exists", m)
	}
	params := url.Values{}
	params.Set("oauth_consumer_key", s.Consumer.Key)
	params.Set("oauth_token", s.Token.Token)
	params.Set("oauth_signature_method", string(m))
	params.Set("oauth_version", "1.0")
	params.Set("oauth_signature", Signature(m, "", s.clientSecret(), s.Token.TokenSecret))
	return formatAuthorization(params), nil
}

// clientSecret returns the client half of the signing key. Cerner's service replaces the
// consumer secret with the accessor secret for tokens requested with one.
func (s *OAuth1Signer) clientSecret() string {
	if s.Token.AccessorSecret != "" {
		return s.Token.AccessorSecret
	}
	return s.Consumer.Secret
}

// randomSource returns r, or crypto/rand.Reader when r is nil.
func randomSource(r io.Reader) io.Reader {
	if r == nil {
		return rand.Reader
	}
	return r
}

// formatAuthorization writes params as an OAuth Authorization header value with
// percent-encoded, double-quoted values (RFC 5849 section 3.5.1).
func formatAuthorization(params url.Values) string {
	pairs := make([]string, 0, len(authorizationOrder))
	for _, name := range authorizationOrder {
		if params.Has(name) {
			pairs = append(pairs, PercentEncode(name)+`="`+PercentEncode(params.Get(name))+`"`)
		}
	}
	return "OAuth " + strings.Join(pairs, ",")
}

// randomHex reads n bytes from r and returns them in lowercase hex.
func randomHex(r io.Reader, n int) (string, error) {
	buf := make([]byte, n)
	if _, err := io.ReadFull(r, buf); err != nil {
		return "", err
	}
	return hex.EncodeToString(buf), nil
}

func currentTime(clock func() time.Time) time.Time {
	if clock == nil {
		return time.Now()
	}
	return clock()
}
