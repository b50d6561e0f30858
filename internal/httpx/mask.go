package httpx

import (
	"net/http"
	"net/url"
	"strings"
)

// Mask replaces a secret in traces and dry runs. It has a fixed length, so that it reveals
// nothing about the length of the secret.
const Mask = "********"

// credentialHeaders are the headers whose values are masked in traces and dry runs.
var credentialHeaders = map[string]bool{
	"Authorization":       true,
	"Proxy-Authorization": true,
	"Cookie":              true,
	"Set-Cookie":          true,
}

// secretParams are the form and query parameters whose values are masked: the OAuth 1.0a
// signature and the token, token secret and accessor secret of an access-token exchange.
var secretParams = map[string]bool{
	"oauth_signature":       true,
	"oauth_token":           true,
	"oauth_token_secret":    true,
	"oauth_accessor_secret": true,
}

// MaskHeaderValue returns the value of header name as it may be shown: unchanged, or for a
// credential header the Mask after the authentication scheme, if the value has one, as in
// "Bearer ********".
func MaskHeaderValue(name, value string) string {
	name = http.CanonicalHeaderKey(name)
	if !credentialHeaders[name] {
		return value
	}
	if name == "Authorization" || name == "Proxy-Authorization" {
		if scheme, _, ok := strings.Cut(strings.TrimSpace(value), " "); ok {
			return scheme + " " + Mask
		}
	}
	return Mask
}

// MaskForm returns a form-encoded string with the values of the OAuth secret parameters
// replaced by the Mask. Every other byte is kept, so the result reads like the original.
func MaskForm(form string) string {
	if !strings.Contains(form, "oauth_") {
		return form
	}
	pairs := strings.Split(form, "&")
	for i, pair := range pairs {
		rawName, _, hasValue := strings.Cut(pair, "=")
		name, err := url.QueryUnescape(rawName)
		if err != nil || !secretParams[name] {
			continue
		}
		if hasValue {
			pairs[i] = rawName + "=" + Mask
		}
	}
	return strings.Join(pairs, "&")
}

// RedactURL returns u as text with any password replaced (url.URL.Redacted) and the values
// of OAuth secret query parameters masked.
func RedactURL(u *url.URL) string {
	if u.RawQuery == "" || !strings.Contains(u.RawQuery, "oauth_") {
		return u.Redacted()
	}
	masked := *u
	masked.RawQuery = MaskForm(u.RawQuery)
	return masked.Redacted()
}
