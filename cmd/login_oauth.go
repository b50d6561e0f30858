package cmd

import (
	"bufio"
	"fmt"
	"net/url"
	"strings"

	"github.com/hi-cli/hi/internal/auth"
	"github.com/hi-cli/hi/internal/config"
	"github.com/hi-cli/hi/internal/httpx"
)

// loginOAuth reads the consumer key and secret, checks them by fetching an access token
// (which is then cached), and stores the secret. The profile records the key, the token
// service and the signature method.
func loginOAuth(opts *loginOptions, base *url.URL, profile *config.Profile, store auth.Store) error {
	method, err := auth.ParseSignatureMethod(firstNonEmpty(opts.SignatureMethod, profile.SignatureMethod, config.DefaultSignatureMethod))
	if err != nil {
		return &UsageError{Err: err}
	}
	tokenURL := firstNonEmpty(opts.AccessTokenURL, profile.AccessTokenURL, config.DefaultAccessTokenURL)
	if err := config.ValidateAccessTokenURL(tokenURL); err != nil {
		return &UsageError{Err: err}
	}
	key, err := consumerKey(opts, profile)
	if err != nil {
		return err
	}
	secret, err := readSecret(opts.ctx, opts.IO, opts.WithToken, "Paste the consumer secret: ")
	if err != nil {
		return err
	}

	consumer := auth.Consumer{Key: key, Secret: secret, Method: method}
	var token auth.AccessToken
	if !opts.SkipVerify {
		client := &auth.TokenClient{HTTPClient: httpx.NewClient(httpx.ClientOptions{Timeout: config.DefaultTimeout})}
		token, err = client.Fetch(opts.ctx, tokenURL, consumer)
		if err != nil {
			settings := &config.Settings{Profile: profile.Name}
			return fmt.Errorf("%w; %s", tokenServiceError(err, settings), opts.unchanged)
		}
	}

	if err := store.Set(profile.Name, auth.KindConsumerSecret, bindSecret(secret, base.String(), tokenURL)); err != nil {
		return fmt.Errorf("store the consumer secret for profile %q: %w", profile.Name, err)
	}
	profile.Auth, profile.ConsumerKey = authOAuth1, key
	profile.AccessTokenURL, profile.SignatureMethod = tokenURL, string(method)
	return cacheLoginToken(opts.Factory, store, profile, token)
}

// cacheLoginToken replaces the profile's cached access token with the one fetched at login,
// or drops the cache when none was fetched, since it may belong to the old credentials.
func cacheLoginToken(f *Factory, store auth.Store, profile *config.Profile, token auth.AccessToken) error {
	base, err := profileBaseURL(profile)
	if err != nil {
		return err
	}
	cache, err := f.tokenCache(store, profile.Name, base.String())
	if err != nil {
		return err
	}
	if token.Token == "" {
		return cache.Drop()
	}
	return cache.Save(profile.ConsumerKey, profile.AccessTokenURL, token)
}

// consumerKey returns --consumer-key, else the profile's key, else one typed at a prompt.
func consumerKey(opts *loginOptions, profile *config.Profile) (string, error) {
	switch {
	case opts.ConsumerKey != "":
		return opts.ConsumerKey, nil
	case profile.ConsumerKey != "":
		return profile.ConsumerKey, nil
	case !opts.IO.IsStdinTTY() || opts.WithToken:
		return "", usageErrorf("missing consumer key: give --consumer-key KEY")
	}
	fmt.Fprint(opts.IO.ErrOut, "Consumer key: ")
	line, err := bufio.NewReader(opts.IO.In).ReadString('\n')
	key := strings.TrimSpace(line)
	if key == "" {
		return "", usageErrorf("missing consumer key: nothing was typed (%v)", err)
	}
	return key, nil
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
