package sandbox

import (
	"crypto/hmac"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hi-cli/hi/internal/auth"
)

// tokenPath is the path of the sandbox's OAuth access-token service, the counterpart of
// Cerner's https://oauth-api.cerner.com/oauth/access.
const tokenPath = "/oauth/access"

const (
	defaultConsumerKey = "hi-sandbox-consumer"
	defaultTokenTTL    = time.Hour

	// authorizationTTL is the oauth_authorization_expires_in of every token response, the
	// value Cerner's service typically sends. The sandbox does not enforce it, because every
	// access token expires within the token TTL anyway.
	authorizationTTL = 24 * time.Hour

	// maxTimestampSkew is how far an oauth_timestamp may be from the sandbox's clock.
	maxTimestampSkew = 5 * time.Minute

	// maxTokenRequestBytes limits the body of a token request, which holds a few parameters.
	maxTokenRequestBytes = 64 << 10
)

// oauthService holds the OAuth 1.0a state of one sandbox: the demo consumer, the key material
// of the access tokens it issues and the nonces it has seen. It is safe for concurrent use.
type oauthService struct {
	consumerKey    string
	consumerSecret string
	tokenTTL       time.Duration

	// skew is added to time.Now to give the sandbox's clock, in nanoseconds.
	skew   atomic.Int64
	tokens *tokenIssuer
	nonces *nonceCache
}

// newOAuthService builds the OAuth state from the options, filling in the defaults.
func newOAuthService(opts Options) (*oauthService, error) {
	ttl := opts.TokenTTL
	if ttl == 0 {
		ttl = defaultTokenTTL
	}
	if ttl < time.Second {
		return nil, fmt.Errorf("invalid token TTL %s: use at least 1s", ttl)
	}
	// oauth_expires_in and ExpiresOn count whole seconds.
	ttl = ttl.Truncate(time.Second)

	o := &oauthService{
		consumerKey:    opts.ConsumerKey,
		consumerSecret: opts.ConsumerSecret,
		tokenTTL:       ttl,
		tokens:         newTokenIssuer(),
		nonces:         newNonceCache(),
	}
	if o.consumerKey == "" {
		o.consumerKey = defaultConsumerKey
	}
	if o.consumerSecret == "" {
		o.consumerSecret = randomToken()
	}
	o.skew.Store(int64(opts.ClockSkew))
	return o, nil
}

// now returns the sandbox's clock: the system time plus the clock skew.
func (o *oauthService) now() time.Time {
	return time.Now().Add(time.Duration(o.skew.Load()))
}

// RevokeTokens revokes every access token the sandbox has issued so far. Calls signed with one
// of them get 401 with oauth_problem token_revoked, and tokens issued later are not affected.
func (s *Server) RevokeTokens() {
	s.oauth.tokens.revokeAll()
}

// revokeTokens handles POST /_sandbox/revoke-tokens.
func (s *Server) revokeTokens(w http.ResponseWriter, r *http.Request) {
	s.RevokeTokens()
	w.WriteHeader(http.StatusNoContent)
}

// oauthProblem is an OAuth failure, named by an oauth_problem value of the OAuth Problem
// Reporting extension. Status is the HTTP status the token service responds with, and API
// routes respond with 401 whatever it is.
type oauthProblem struct {
	name    string
	status  int
	message string
}

func newProblem(status int, name, format string, args ...any) *oauthProblem {
	return &oauthProblem{name: name, status: status, message: fmt.Sprintf(format, args...)}
}

// challenge returns the WWW-Authenticate value that reports p for realm.
func (p *oauthProblem) challenge(realm string) string {
	return `OAuth realm="` + realm + `", oauth_problem="` + p.name + `"`
}

// issueAccessToken handles POST /oauth/access, the access-token service. It verifies the
// signed token request and responds with a new access token in a form-encoded body.
func (s *Server) issueAccessToken(w http.ResponseWriter, r *http.Request) {
	s.stats.recordTokenRequest()

	params, problem := readTokenRequest(w, r)
	if problem == nil {
		problem = s.verifyTokenRequest(r, params)
	}
	if problem != nil {
		writeTokenProblem(w, r, problem)
		return
	}

	o := s.oauth
	expiresOn := o.now().Add(o.tokenTTL).Unix()
	token, secret := o.tokens.issue(tokenGrant{
		consumerKey:    params.Get("oauth_consumer_key"),
		principal:      params.Get("xoauth_principal"),
		accessorSecret: params.Get("oauth_accessor_secret"),
		expiresOn:      expiresOn,
	})

	body := "oauth_token=" + auth.PercentEncode(token) +
		"&oauth_token_secret=" + auth.PercentEncode(secret) +
		"&oauth_expires_in=" + strconv.FormatInt(int64(o.tokenTTL/time.Second), 10) +
		"&oauth_authorization_expires_in=" + strconv.FormatInt(int64(authorizationTTL/time.Second), 10)
	w.Header().Set("Content-Type", formContentType)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(body))
}

// readTokenRequest reads the parameters of a token request from its form body.
func readTokenRequest(w http.ResponseWriter, r *http.Request) (url.Values, *oauthProblem) {
	if !isFormContent(r.Header.Get("Content-Type")) {
		return nil, newProblem(http.StatusBadRequest, "parameter_absent",
			"the token request must send its parameters in an %s body", formContentType)
	}
	form, err := readForm(w, r, maxTokenRequestBytes)
	if err != nil {
		return nil, newProblem(http.StatusBadRequest, "parameter_rejected", "failed to read the body: %v", err)
	}
	return form, nil
}

// verifyTokenRequest checks the protocol parameters, the consumer key, the signature made with
// the consumer secret alone, and then the timestamp and nonce.
func (s *Server) verifyTokenRequest(r *http.Request, form url.Values) *oauthProblem {
	o := s.oauth
	if problem := checkOAuthNamesInQuery(r, "form body"); problem != nil {
		return problem
	}
	method, problem := checkProtocolParameters(form, "oauth_consumer_key", "oauth_signature_method", "oauth_signature")
	if problem != nil {
		return problem
	}
	if problem := checkSingleValues(form); problem != nil {
		return problem
	}

	consumerKey := form.Get("oauth_consumer_key")
	if consumerKey != o.consumerKey {
		return newProblem(http.StatusUnauthorized, "consumer_key_unknown", "consumer key %q is not known", consumerKey)
	}

	var baseString string
	if method == auth.HMACSHA1 {
		baseString = auth.SignatureBaseString(r.Method, receivedURL(r), form, nil)
	}
	want := auth.Signature(method, baseString, o.consumerSecret, "")
	if !hmac.Equal([]byte(form.Get("oauth_signature")), []byte(want)) {
		return newProblem(http.StatusUnauthorized, "signature_invalid",
			"the %s signature does not match the consumer secret", method)
	}
	return o.checkFreshness(consumerKey, form)
}

// checkProtocolParameters checks that params holds each required parameter, that
// oauth_version, when present, is 1.0, and that the signature method is PLAINTEXT or
// HMAC-SHA1. HMAC-SHA1 also requires oauth_timestamp and oauth_nonce (RFC 5849 section 3.1).
func checkProtocolParameters(params url.Values, required ...string) (auth.SignatureMethod, *oauthProblem) {
	if missing := absentParameters(params, required...); len(missing) > 0 {
		return "", newProblem(http.StatusBadRequest, "parameter_absent", "missing %s", strings.Join(missing, ", "))
	}
	if params.Has("oauth_version") && params.Get("oauth_version") != "1.0" {
		return "", newProblem(http.StatusBadRequest, "version_rejected",
			"oauth_version %q is not supported, use 1.0", params.Get("oauth_version"))
	}

	method, err := auth.ParseSignatureMethod(params.Get("oauth_signature_method"))
	if err != nil {
		return "", newProblem(http.StatusBadRequest, "signature_method_rejected", "%v", err)
	}
	if method == auth.HMACSHA1 {
		if missing := absentParameters(params, "oauth_timestamp", "oauth_nonce"); len(missing) > 0 {
			return "", newProblem(http.StatusBadRequest, "parameter_absent",
				"missing %s, which HMAC-SHA1 requires", strings.Join(missing, ", "))
		}
	}
	return method, nil
}

// absentParameters returns the names among required that params lacks or has empty.
func absentParameters(params url.Values, required ...string) []string {
	var missing []string
	for _, name := range required {
		if params.Get(name) == "" {
			missing = append(missing, name)
		}
	}
	return missing
}

// checkSingleValues rejects a protocol parameter sent more than once, because the request is
// then ambiguous.
func checkSingleValues(params url.Values) *oauthProblem {
	for name, values := range params {
		if strings.HasPrefix(name, "oauth_") && len(values) > 1 {
			return newProblem(http.StatusBadRequest, "parameter_rejected", "%s is sent %d times", name, len(values))
		}
	}
	return nil
}

// checkOAuthNamesInQuery rejects protocol parameters in the query, because the sandbox reads
// them from one place only, which the message names as place.
func checkOAuthNamesInQuery(r *http.Request, place string) *oauthProblem {
	for name := range auth.ParseForm(r.URL.RawQuery) {
		if strings.HasPrefix(name, "oauth_") {
			return newProblem(http.StatusBadRequest, "parameter_rejected",
				"%s is in the query, but protocol parameters belong in the %s", name, place)
		}
	}
	return nil
}

// checkFreshness checks oauth_timestamp and oauth_nonce when params holds them, and then
// remembers the nonce. Call it only once the signature is verified, so that a forged request
// cannot use up a nonce.
func (o *oauthService) checkFreshness(consumerKey string, params url.Values) *oauthProblem {
	now := o.now()
	if params.Has("oauth_timestamp") {
		if problem := checkTimestamp(params.Get("oauth_timestamp"), now); problem != nil {
			return problem
		}
	}
	if params.Has("oauth_nonce") && !o.nonces.use(consumerKey, params.Get("oauth_nonce"), now) {
		return newProblem(http.StatusUnauthorized, "nonce_used", "the oauth_nonce was already used")
	}
	return nil
}

// checkTimestamp accepts a timestamp in seconds since the Unix epoch that is at most
// maxTimestampSkew away from now.
func checkTimestamp(raw string, now time.Time) *oauthProblem {
	seconds, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || seconds <= 0 {
		return newProblem(http.StatusUnauthorized, "timestamp_refused",
			"oauth_timestamp %q is not a number of seconds since the Unix epoch", raw)
	}
	// Seconds are compared as integers, because a time.Duration overflows for timestamps
	// beyond the year 2262.
	offset := seconds - now.Unix()
	if limit := int64(maxTimestampSkew / time.Second); offset > limit || offset < -limit {
		return newProblem(http.StatusUnauthorized, "timestamp_refused",
			"oauth_timestamp %d is %d seconds from the server's clock %d, more than the %d allowed",
			seconds, max(offset, -offset), now.Unix(), limit)
	}
	return nil
}

// writeTokenProblem sends the token service's failure response: the status, an OAuth
// challenge naming the problem, and a form-encoded body with oauth_problem. The realm is the
// scheme and host of the token URL.
func writeTokenProblem(w http.ResponseWriter, r *http.Request, p *oauthProblem) {
	realm := requestScheme(r) + "://" + r.Host
	w.Header().Set("WWW-Authenticate", p.challenge(realm))
	w.Header().Set("Content-Type", formContentType)
	w.WriteHeader(p.status)
	w.Write([]byte("oauth_problem=" + auth.PercentEncode(p.name)))
}

// receivedURL returns the URL of r as the client addressed it, with the Host header as the
// host, for the signature base string.
func receivedURL(r *http.Request) *url.URL {
	return &url.URL{
		Scheme:   requestScheme(r),
		Host:     r.Host,
		Path:     r.URL.Path,
		RawPath:  r.URL.RawPath,
		RawQuery: r.URL.RawQuery,
	}
}
