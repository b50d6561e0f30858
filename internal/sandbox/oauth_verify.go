package sandbox

import (
	"crypto/hmac"
	"net/http"
	"net/url"
	"strings"

	"github.com/hi-cli/hi/internal/auth"
)

// verifyOAuth checks an API call signed with an access token, where header is the value of
// its "Authorization: OAuth …" header and form holds the parameters of a form-encoded body,
// or nil for any other body. It returns the problem to report, or nil when the call may
// proceed.
//
// The token must be one this sandbox issued, unchanged, unexpired and not revoked, and the
// call must be signed with the consumer key it was issued to. PLAINTEXT calls may leave out
// oauth_timestamp and oauth_nonce, so that one header serves every call, and HMAC-SHA1 calls
// must send both. Either is checked when present.
func (s *Server) verifyOAuth(r *http.Request, header string, form url.Values) *oauthProblem {
	params, err := auth.ParseAuthorizationHeader(header)
	if err != nil {
		return newProblem(http.StatusBadRequest, "parameter_rejected", "%v", err)
	}
	if problem := checkOAuthNamesInQuery(r, "Authorization header"); problem != nil {
		return problem
	}
	if problem := checkOAuthNamesInForm(form); problem != nil {
		return problem
	}
	method, problem := checkProtocolParameters(params,
		"oauth_consumer_key", "oauth_token", "oauth_signature_method", "oauth_signature")
	if problem != nil {
		return problem
	}

	o := s.oauth
	token, problem := o.checkToken(params.Get("oauth_token"))
	if problem != nil {
		return problem
	}
	if consumerKey := params.Get("oauth_consumer_key"); consumerKey != token.consumerKey {
		return newProblem(http.StatusUnauthorized, "consumer_key_rejected",
			"the access token was issued to another consumer than %q", consumerKey)
	}

	var baseString string
	if method == auth.HMACSHA1 {
		baseString = auth.SignatureBaseString(r.Method, receivedURL(r), form, params)
	}
	want := auth.Signature(method, baseString, token.clientSecret(o.consumerSecret), token.secret)
	if !hmac.Equal([]byte(params.Get("oauth_signature")), []byte(want)) {
		return newProblem(http.StatusUnauthorized, "signature_invalid", "the %s signature does not match", method)
	}
	return o.checkFreshness(token.consumerKey, params)
}

// checkToken returns the content of an access token, or the problem when the sandbox did not
// issue it, it was changed, it has expired or it was revoked.
func (o *oauthService) checkToken(raw string) (issuedToken, *oauthProblem) {
	token, err := o.tokens.open(raw)
	if err != nil {
		return issuedToken{}, newProblem(http.StatusUnauthorized, "token_rejected",
			"the access token was not issued by this server or was changed")
	}
	if o.now().Unix() >= token.expiresOn {
		return issuedToken{}, newProblem(http.StatusUnauthorized, "token_expired", "the access token has expired")
	}
	if o.tokens.revoked(token.serial) {
		return issuedToken{}, newProblem(http.StatusUnauthorized, "token_revoked", "the access token was revoked")
	}
	return token, nil
}

// checkOAuthNamesInForm rejects protocol parameters in a form body of an API call, because the
// sandbox reads them from the Authorization header only.
func checkOAuthNamesInForm(form url.Values) *oauthProblem {
	for name := range form {
		if strings.HasPrefix(name, "oauth_") {
			return newProblem(http.StatusBadRequest, "parameter_rejected",
				"%s is in the form body, but protocol parameters belong in the Authorization header", name)
		}
	}
	return nil
}
