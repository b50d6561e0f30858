package cmd

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/hi-cli/hi/internal/auth"
	"github.com/hi-cli/hi/internal/catalog"
	"github.com/hi-cli/hi/internal/config"
	"github.com/hi-cli/hi/internal/httpx"
)

// Auth methods a profile or --auth can name.
const (
	authBearer = "bearer"
	authOAuth1 = "oauth1"
)

// oauthCredential is the OAuth side of a connection: the consumer, the access token in use
// and where it is cached.
type oauthCredential struct {
	consumer     auth.Consumer
	secretSource string
	tokenURL     string
	// cache is nil when the token is not kept between invocations (environment-only use
	// and the sandbox).
	cache *auth.TokenCache
	// secretStore, when set, holds the consumer secret, which is read only when it is
	// needed (see loadSecret).
	secretStore auth.Store
	profile     string
	// baseURL is the profile's base URL, which the stored secret must be bound to.
	baseURL string
	token   auth.AccessToken
	// refreshed is set once the token was replaced after a rejection; a second rejection
	// is reported rather than retried.
	refreshed bool
	// mu guards token and refreshed, because --parallel signs pages from several goroutines.
	mu sync.Mutex
}

// authorize adds the connection's credential to req. body is the request body, which an
// OAuth HMAC-SHA1 signature covers when it is form-encoded. A path of an API that accepts
// OAuth only is signed with the profile's OAuth credentials even when bearer is the default.
func (c *Connection) authorize(req *http.Request, body []byte) error {
	if err := c.requireOAuthFor(req.URL); err != nil {
		return err
	}
	if c.OAuth == nil {
		req.Header.Set("Authorization", "Bearer "+c.Token)
		return nil
	}
	signer, err := c.oauthSigner(req.Context())
	if err != nil {
		return err
	}
	return signer.Authorize(req, body)
}

// requireOAuthFor switches the connection to OAuth when u belongs to an API that accepts
// nothing else, and fails when the profile has no OAuth credentials.
func (c *Connection) requireOAuthFor(u *url.URL) error {
	if c.OAuth != nil {
		return nil
	}
	if api, ok := oauthOnlyAPI(c.Settings.BaseURL, u); ok {
		return c.switchToOAuth(api)
	}
	return nil
}

// switchToOAuth loads the OAuth credentials for an API that accepts nothing else.
func (c *Connection) switchToOAuth(api string) error {
	if c.loadOAuth == nil {
		return oauthOnlyError(api, c.Settings)
	}
	cred, err := c.loadOAuth()
	if err == nil {
		err = cred.loadSecret()
	}
	if errors.Is(err, errNoOAuthCredential) {
		return oauthOnlyError(api, c.Settings)
	}
	if err != nil {
		return err
	}
	c.OAuth = cred
	return nil
}

func oauthOnlyError(api string, s *config.Settings) error {
	err := fmt.Errorf("the %s API accepts OAuth 1.0a only, and profile %q has no OAuth credentials; nothing was sent", api, s.Profile)
	if s.Profile == config.EnvProfileName {
		return withHint(err, "set HI_CONSUMER_KEY and HI_CONSUMER_SECRET")
	}
	return withHint(err, fmt.Sprintf("add them with hi login -p %s --oauth --consumer-key KEY", s.Profile))
}

// oauthSigner returns a signer with a usable access token: the one in use, the cached one,
// or a new one from the token service.
func (c *Connection) oauthSigner(ctx context.Context) (*auth.OAuth1Signer, error) {
	c.OAuth.mu.Lock()
	defer c.OAuth.mu.Unlock()
	if err := c.ensureAccessToken(ctx, ""); err != nil {
		return nil, err
	}
	// A token issued with an accessor secret is signed with it in place of the consumer
	// secret, so only an older token needs the consumer secret here.
	if c.OAuth.token.AccessorSecret == "" {
		if err := c.loadSecret(); err != nil {
			return nil, err
		}
	}
	return &auth.OAuth1Signer{Consumer: c.OAuth.consumer, Token: c.OAuth.token}, nil
}

// ensureAccessToken makes c.OAuth.token a fresh token other than rejected. It reads the
// cache, and fetches under the profile's lock so that parallel invocations share one fetch.
// The caller holds c.OAuth.mu.
func (c *Connection) ensureAccessToken(ctx context.Context, rejected string) error {
	o := c.OAuth
	now := time.Now()
	if o.token.Token != "" && o.token.Token != rejected && o.token.Fresh(now) {
		return nil
	}
	if o.cache == nil {
		return c.fetchAccessToken(ctx)
	}
	if c.loadCachedToken(rejected) {
		return nil
	}
	unlock, err := o.cache.Lock()
	if err != nil {
		return err
	}
	defer unlock()
	// Another invocation may have fetched a token while this one waited for the lock.
	if c.loadCachedToken(rejected) {
		return nil
	}
	if err := c.fetchAccessToken(ctx); err != nil {
		return err
	}
	return o.cache.Save(o.consumer.Key, o.tokenURL, o.token)
}

// loadCachedToken uses the cached token when it is fresh and not the rejected one. A store
// that cannot be read counts as an empty cache, so the call still goes through.
func (c *Connection) loadCachedToken(rejected string) bool {
	o := c.OAuth
	token, ok, err := o.loadCache()
	if err != nil || !ok || token.Token == rejected {
		return false
	}
	o.token = token
	return true
}

func (c *Connection) fetchAccessToken(ctx context.Context) error {
	o := c.OAuth
	if err := c.loadSecret(); err != nil {
		return err
	}
	client := &auth.TokenClient{HTTPClient: httpx.NewClient(c.tokenClientOptions())}
	token, err := client.Fetch(ctx, o.tokenURL, o.consumer)
	if err != nil {
		return tokenServiceError(err, c.Settings)
	}
	o.token = token
	return nil
}

// tokenServiceError explains a refusal by the token service and names the next step.
func tokenServiceError(err error, s *config.Settings) error {
	var problem *auth.ProblemError
	if !errors.As(err, &problem) {
		return err
	}
	next := fmt.Sprintf("fix the credentials with hi login -p %s --oauth", s.Profile)
	if s.Profile == config.EnvProfileName {
		next = "fix HI_CONSUMER_KEY, HI_CONSUMER_SECRET or HI_ACCESS_TOKEN_URL"
	}
	switch problem.Problem {
	case "timestamp_refused", "nonce_used", "consumer_key_refused":
		next = "retry the command once the cause is fixed"
	}
	return withHint(fmt.Errorf("%s: %s", problem.Error(), problem.Advice()), next)
}

// retryAfterAuthFailure reports whether a 401 response can be fixed by a fresh credential, after
// getting one: an OAuth token that expired or was rejected or revoked is dropped and replaced
// once. A bearer token cannot be renewed by hi.
func (c *Connection) retryAfterAuthFailure(resp *http.Response) (bool, error) {
	if c.OAuth == nil {
		return false, nil
	}
	switch auth.ParseOAuthProblem(resp.Header.Get("WWW-Authenticate")) {
	case "token_expired", "token_rejected", "token_revoked":
	default:
		return false, nil
	}
	o := c.OAuth
	o.mu.Lock()
	defer o.mu.Unlock()
	rejected := signedToken(resp.Request)
	if rejected != "" && rejected != o.token.Token {
		// Another request of this invocation has already replaced the token.
		return true, nil
	}
	if o.refreshed {
		return false, nil
	}
	o.refreshed = true
	if o.cache != nil {
		o.cache.Drop()
	}
	if err := c.ensureAccessToken(resp.Request.Context(), o.token.Token); err != nil {
		return false, err
	}
	return true, nil
}

// signedToken returns the oauth_token that req was signed with, or "".
func signedToken(req *http.Request) string {
	if req == nil {
		return ""
	}
	params, err := auth.ParseAuthorizationHeader(req.Header.Get("Authorization"))
	if err != nil {
		return ""
	}
	return params.Get("oauth_token")
}

// errNoOAuthCredential means the profile has no consumer key or secret.
var errNoOAuthCredential = errors.New("no OAuth credentials")

// loadOAuthCredential builds the OAuth credential of a connection from its settings: the
// consumer secret from HI_CONSUMER_SECRET or the profile's store, and a token cache in that
// store when the secret came from it.
func (f *Factory) loadOAuthCredential(s *config.Settings) (*oauthCredential, error) {
	method, err := auth.ParseSignatureMethod(s.SignatureMethod)
	if err != nil {
		return nil, fmt.Errorf("%w (set by HI_SIGNATURE_METHOD or the profile's signature-method)", err)
	}
	if err := config.ValidateAccessTokenURL(s.AccessTokenURL); err != nil {
		return nil, err
	}
	if s.ConsumerKey == "" {
		return nil, errNoOAuthCredential
	}
	o := &oauthCredential{tokenURL: s.AccessTokenURL, consumer: auth.Consumer{Key: s.ConsumerKey, Method: method}}
	if secret := f.env("HI_CONSUMER_SECRET"); secret != "" {
		o.consumer.Secret, o.secretSource = secret, "environment (HI_CONSUMER_SECRET)"
		return o, nil
	}
	if s.Profile == config.EnvProfileName {
		return nil, errNoOAuthCredential
	}
	store, err := f.Store(s.Storage)
	if err != nil {
		return nil, err
	}
	if err := checkStoredCredentialTarget(s, true); err != nil {
		return nil, err
	}
	if o.cache, err = f.tokenCache(store, s.Profile, s.BaseURL.String()); err != nil {
		return nil, err
	}
	// The secret is read when a token is fetched: a call with a cached token signs with the
	// token's accessor secret, so it reads one keyring entry, as a bearer call does.
	o.secretStore, o.profile, o.secretSource = store, s.Profile, store.Name()
	o.baseURL = s.BaseURL.String()
	return o, nil
}

// loadSecret reads the consumer secret from the profile's store unless it is known already.
// It returns errNoOAuthCredential when the store has none.
func (o *oauthCredential) loadSecret() error {
	if o.consumer.Secret != "" || o.secretStore == nil {
		return nil
	}
	raw, err := o.secretStore.Get(o.profile, auth.KindConsumerSecret)
	if errors.Is(err, auth.ErrNotFound) {
		return errNoOAuthCredential
	}
	if err != nil {
		return err
	}
	secret, err := unbindSecret(raw, o.profile, o.baseURL, o.tokenURL)
	if err != nil {
		return err
	}
	o.consumer.Secret = secret
	return nil
}

// loadSecret loads the consumer secret of the connection, explaining a missing one.
func (c *Connection) loadSecret() error {
	err := c.OAuth.loadSecret()
	if errors.Is(err, errNoOAuthCredential) {
		return noOAuthError(c.Settings)
	}
	return err
}

// loadCache returns the cached token for the consumer and token URL in use.
func (o *oauthCredential) loadCache() (auth.AccessToken, bool, error) {
	return o.cache.Load(o.consumer.Key, o.tokenURL, time.Now())
}

func (f *Factory) tokenCache(store auth.Store, profile, baseURL string) (*auth.TokenCache, error) {
	dir, err := config.CacheDir()
	if err != nil {
		return nil, err
	}
	return &auth.TokenCache{Store: store, Profile: profile, LockPath: filepath.Join(dir, "locks", profile+".token")}, nil
}

// oauthOnlyAPI returns the name of the API that u belongs to, according to the catalog,
// when that API accepts OAuth only. A path the catalog does not know is not restricted.
// The path is first read as lenient servers read it, because they route many spellings to
// the same API. Go's ServeMux and nginx merge repeated slashes, and servlet containers drop
// ";" parameters from segments. Some servers ignore case, take a backslash for a slash or
// drop trailing dots. The path is looked up both whole and after the base URL's path, so
// that a base URL that ends inside an API's path cannot hide it.
func oauthOnlyAPI(base, u *url.URL) (string, bool) {
	whole := lenientPath(u.Path)
	relative := strings.TrimPrefix(whole, strings.TrimRight(lenientPath(base.Path), "/"))
	for _, p := range []string{relative, whole} {
		if name, ok := catalog.OAuthOnlyAPI(p); ok {
			return name, true
		}
	}
	return "", false
}

// lenientPath returns p as the most lenient servers read it. It lowers the case, reads
// backslashes as slashes and cuts each segment at a ";" parameter or a NUL. It trims white
// space around a segment and dots after it, reads a segment of dots alone as "." or "..",
// resolves dot segments and merges repeated slashes.
func lenientPath(p string) string {
	segments := strings.Split(strings.ReplaceAll(strings.ToLower(p), `\`, "/"), "/")
	for i, segment := range segments {
		segment, _, _ = strings.Cut(segment, ";")
		segment, _, _ = strings.Cut(segment, "\x00")
		segment = strings.Trim(segment, " \t\r\n")
		switch dots := strings.Count(segment, "."); {
		case dots > 0 && strings.Trim(segment, ". \t\r\n") == "":
			// Only dots and white space: read as the dot segment it is closest to.
			segment = strings.Repeat(".", min(dots, 2))
		default:
			segment = strings.TrimRight(segment, ". \t\r\n")
		}
		segments[i] = segment
	}
	return path.Clean("/" + strings.Join(segments, "/"))
}

// checkStoredCredentialTarget keeps a profile's stored credential on the profile's own host
// (and, for OAuth, its own access-token service) when flags or environment variables point
// the invocation elsewhere. A credential given in the environment may go anywhere the
// environment sets.
func checkStoredCredentialTarget(s *config.Settings, oauth bool) error {
	if got := s.BaseURL.String(); s.ProfileBaseURL != "" && got != s.ProfileBaseURL {
		return withHint(fmt.Errorf("the base URL %s is not profile %q's own %s, so its stored credential is not sent there",
			got, s.Profile, s.ProfileBaseURL),
			"unset HI_BASE_URL, HI_TENANT and HI_REGION, or give the credential for that host in HI_TOKEN")
	}
	if oauth && s.ProfileAccessTokenURL != "" && s.AccessTokenURL != s.ProfileAccessTokenURL {
		return withHint(fmt.Errorf("the access token URL %s is not profile %q's own %s, so its consumer secret is not sent there",
			s.AccessTokenURL, s.Profile, s.ProfileAccessTokenURL),
			"unset HI_ACCESS_TOKEN_URL, or give the secret in HI_CONSUMER_SECRET")
	}
	return nil
}
