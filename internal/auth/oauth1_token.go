package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// expiryMargin is how long before ExpiresAt a token stops counting as fresh. Cerner's own
// client treats tokens as expired 300 seconds early, which leaves room for clock skew and
// for a long command.
const expiryMargin = 5 * time.Minute

// maxTokenResponseBytes limits how much of a token response is read, so that a
// misbehaving server cannot fill memory. A real response is a few form fields.
const maxTokenResponseBytes = 1 << 20

// AccessToken is the result of the token exchange with Cerner's access-token service.
// A zero ExpiresAt or AuthorizationExpiresAt means the service did not send that expiry.
type AccessToken struct {
	Token       string `json:"token"`
	TokenSecret string `json:"token_secret"`
	// AccessorSecret is the random secret sent with the token request. When it is set,
	// the service expects it in place of the consumer secret when calls are signed.
	AccessorSecret string `json:"accessor_secret,omitempty"`
	// ExpiresAt is when the token stops being accepted.
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	// AuthorizationExpiresAt is when the authorization behind the token ends
	// (oauth_authorization_expires_in), usually later than ExpiresAt.
	AuthorizationExpiresAt time.Time `json:"authorization_expires_at,omitzero"`
}

// Fresh reports whether the token can still be used at now, which is true until 5 minutes
// before ExpiresAt. A token without an expiry is never fresh, so it is not reused.
func (t AccessToken) Fresh(now time.Time) bool {
	return now.Before(t.ExpiresAt.Add(-expiryMargin))
}

// Marshal encodes the token, secrets included, as one JSON string for the keyring.
func (t AccessToken) Marshal() (string, error) {
	data, err := json.Marshal(t)
	if err != nil {
		return "", fmt.Errorf("encode access token: %w", err)
	}
	return string(data), nil
}

// UnmarshalAccessToken decodes a token that Marshal encoded.
func UnmarshalAccessToken(s string) (AccessToken, error) {
	var t AccessToken
	if err := json.Unmarshal([]byte(s), &t); err != nil {
		return AccessToken{}, fmt.Errorf("invalid stored access token: %w", err)
	}
	if t.Token == "" {
		return AccessToken{}, errors.New("invalid stored access token: token is empty")
	}
	return t, nil
}

// TokenClient fetches access tokens. HTTPClient, Now and Rand default to
// http.DefaultClient, time.Now and crypto/rand.Reader when nil.
type TokenClient struct {
	HTTPClient *http.Client
	Now        func() time.Time
	Rand       io.Reader
}

// Fetch requests an access token for consumer from the access-token service at tokenURL.
// The request carries a new random accessor secret, which the returned token keeps for
// signing calls, and expiry times are counted from the moment the request was sent.
// A non-2xx response returns a *ProblemError. A network failure, or a 2xx response without
// oauth_token or oauth_token_secret, returns an error that names tokenURL.
func (c *TokenClient) Fetch(ctx context.Context, tokenURL string, consumer Consumer) (AccessToken, error) {
	u, err := parseTokenURL(tokenURL)
	if err != nil {
		return AccessToken{}, err
	}
	sent := currentTime(c.Now)
	req, accessorSecret, err := c.newTokenRequest(ctx, u, consumer, sent)
	if err != nil {
		return AccessToken{}, err
	}

	resp, body, err := c.exchange(req)
	if err != nil {
		return AccessToken{}, fmt.Errorf("access token request to %s failed: %w", redactURL(u), err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return AccessToken{}, newProblemError(resp, body, redactURL(u), true)
	}

	token, err := parseTokenResponse(body, sent)
	if err != nil {
		return AccessToken{}, fmt.Errorf("invalid access token response from %s: %w", redactURL(u), err)
	}
	token.AccessorSecret = accessorSecret
	return token, nil
}

func parseTokenURL(tokenURL string) (*url.URL, error) {
	u, err := url.Parse(tokenURL)
	if err != nil {
		return nil, fmt.Errorf("invalid access token URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("invalid access token URL %s: use an absolute http or https URL", redactURL(u))
	}
	return u, nil
}

// newTokenRequest builds the signed POST of the token request and returns it with the
// accessor secret it carries.
func (c *TokenClient) newTokenRequest(ctx context.Context, u *url.URL, consumer Consumer,
	sent time.Time) (*http.Request, string, error) {
	form, err := c.tokenRequestForm(u, consumer, sent)
	if err != nil {
		return nil, "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(encodeForm(form)))
	if err != nil {
		return nil, "", fmt.Errorf("build access token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
	req.Header.Set("Accept", "application/x-www-form-urlencoded")
	return req, form.Get("oauth_accessor_secret"), nil
}

// tokenRequestForm returns the form parameters of the token request, signed with the
// consumer secret and an empty token secret.
func (c *TokenClient) tokenRequestForm(u *url.URL, consumer Consumer, sent time.Time) (url.Values, error) {
	m, err := consumer.signatureMethod()
	if err != nil {
		return nil, err
	}
	if consumer.Key == "" {
		return nil, errors.New("consumer key is empty")
	}
	random := randomSource(c.Rand)
	accessorSecret, err := randomHex(random, 32)
	if err != nil {
		return nil, fmt.Errorf("generate OAuth accessor secret: %w", err)
	}
	nonce, err := randomHex(random, 16)
	if err != nil {
		return nil, fmt.Errorf("generate OAuth nonce: %w", err)
	}

	form := url.Values{}
	form.Set("oauth_consumer_key", consumer.Key)
	form.Set("oauth_signature_method", string(m))
	form.Set("oauth_version", "1.0")
	form.Set("oauth_timestamp", strconv.FormatInt(sent.Unix(), 10))
	form.Set("oauth_nonce", nonce)
	form.Set("oauth_accessor_secret", accessorSecret)

	var baseString string
	if m == HMACSHA1 {
		baseString = SignatureBaseString(http.MethodPost, u, form, nil)
	}
	form.Set("oauth_signature", Signature(m, baseString, consumer.Secret, ""))
	return form, nil
}

// exchange sends req and reads the response body.
func (c *TokenClient) exchange(req *http.Request) (*http.Response, []byte, error) {
	client := c.HTTPClient
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		// The caller's message names the URL, which *url.Error would repeat.
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err
		}
		return nil, nil, err
	}
	defer resp.Body.Close()

	body, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenResponseBytes))
	if err != nil {
		return nil, nil, fmt.Errorf("read response: %w", err)
	}
	return resp, body, nil
}

// parseTokenResponse reads the form-encoded token response. Expiry times are counted
// from sent.
func parseTokenResponse(body []byte, sent time.Time) (AccessToken, error) {
	values := ParseForm(strings.TrimSpace(string(body)))
	var missing []string
	for _, name := range []string{"oauth_token", "oauth_token_secret"} {
		if values.Get(name) == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return AccessToken{}, fmt.Errorf("missing %s", strings.Join(missing, " and "))
	}
	// The token is cached as JSON in the keyring, and both replace invalid UTF-8, which
	// would change the secret and break every signature made with the cached token.
	for _, name := range []string{"oauth_token", "oauth_token_secret"} {
		if !utf8.ValidString(values.Get(name)) {
			return AccessToken{}, fmt.Errorf("%s is not valid UTF-8", name)
		}
	}

	token := AccessToken{Token: values.Get("oauth_token"), TokenSecret: values.Get("oauth_token_secret")}
	var err error
	if token.ExpiresAt, err = expiryTime(values, "oauth_expires_in", sent); err != nil {
		return AccessToken{}, err
	}
	if token.AuthorizationExpiresAt, err = expiryTime(values, "oauth_authorization_expires_in", sent); err != nil {
		return AccessToken{}, err
	}
	return token, nil
}

// expiryTime returns sent plus the seconds in the named parameter, or the zero time when
// the parameter is absent.
func expiryTime(values url.Values, name string, sent time.Time) (time.Time, error) {
	raw := values.Get(name)
	if raw == "" {
		return time.Time{}, nil
	}
	seconds, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || seconds < 0 || seconds > math.MaxInt64/int64(time.Second) {
		return time.Time{}, fmt.Errorf("%s %q is not a number of seconds", name, raw)
	}
	return sent.Add(time.Duration(seconds) * time.Second), nil
}

// redactURL returns u without user information, query or fragment, for messages.
func redactURL(u *url.URL) string {
	redacted := *u
	redacted.User = nil
	redacted.RawQuery = ""
	redacted.ForceQuery = false
	redacted.Fragment = ""
	redacted.RawFragment = ""
	return redacted.String()
}
