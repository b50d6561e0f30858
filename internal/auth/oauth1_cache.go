package auth

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hi-cli/hi/internal/atomicfile"
)

// TokenCache keeps a profile's OAuth access token in its credential store between
// invocations, so that a run of calls fetches one token. An entry records the consumer key
// and token URL it was issued for and is ignored when either changes.
type TokenCache struct {
	Store   Store
	Profile string
	// LockPath names the file whose lock serializes token fetches for the profile across
	// processes, so parallel invocations fetch one token and never interleave writes.
	LockPath string
	// BaseURL is the API host the profile calls. An entry cached for another base URL is
	// ignored, so a token is never used against a host it was not fetched for.
	BaseURL string
}

type cachedToken struct {
	ConsumerKey string `json:"consumerKey"`
	TokenURL    string `json:"tokenURL"`
	BaseURL     string `json:"baseURL"`
	Token       string `json:"token"`
}

// Load returns the cached token for consumerKey and tokenURL when it is still fresh at now.
// A missing, stale, mismatched or unreadable entry is reported as ok == false; only an
// unavailable store is an error.
func (c *TokenCache) Load(consumerKey, tokenURL string, now time.Time) (token AccessToken, ok bool, err error) {
	raw, err := c.Store.Get(c.Profile, KindAccessToken)
	if errors.Is(err, ErrNotFound) {
		return AccessToken{}, false, nil
	}
	if err != nil {
		return AccessToken{}, false, err
	}
	var entry cachedToken
	if json.Unmarshal([]byte(raw), &entry) != nil || entry.ConsumerKey != consumerKey || entry.TokenURL != tokenURL ||
		entry.BaseURL != c.BaseURL {
		return AccessToken{}, false, nil
	}
	token, err = UnmarshalAccessToken(entry.Token)
	if err != nil || !token.Fresh(now) {
		return AccessToken{}, false, nil
	}
	return token, true, nil
}

// Save stores token as the profile's cached access token.
func (c *TokenCache) Save(consumerKey, tokenURL string, token AccessToken) error {
	encoded, err := token.Marshal()
	if err != nil {
		return err
	}
	raw, err := json.Marshal(cachedToken{ConsumerKey: consumerKey, TokenURL: tokenURL, BaseURL: c.BaseURL, Token: encoded})
	if err != nil {
		return err
	}
	if err := c.Store.Set(c.Profile, KindAccessToken, string(raw)); err != nil {
		return fmt.Errorf("cache the access token of profile %q: %w", c.Profile, err)
	}
	return nil
}

// Drop removes the cached access token.
func (c *TokenCache) Drop() error {
	return c.Store.Delete(c.Profile, KindAccessToken)
}

// Lock takes the profile's token lock and returns the function that releases it.
func (c *TokenCache) Lock() (func(), error) {
	return atomicfile.Lock(c.LockPath)
}
