package httpx

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// Mask replaces a secret in traces and dry runs. It has a fixed length, so that it reveals
// nothing about the length of the secret.
const Mask = "********"

// credentialHeaders are the headers whose values are masked in traces and dry runs: the
// standard credential headers, and the API key and token headers that a user may add with -H.
var credentialHeaders = map[string]bool{
	"Authorization":       true,
	"Proxy-Authorization": true,
	"Cookie":              true,
	"Set-Cookie":          true,
	"X-Api-Key":           true,
	"Api-Key":             true,
	"X-Auth-Token":        true,
}

// secretParams are the form and query parameters whose values are masked. The OAuth 1.0a
// ones are the signature and the token, token secret and accessor secret of an access-token
// exchange. The others are OAuth 2.0 tokens, client secrets and API keys, which a user may
// put in a query with -q or in a URL.
var secretParams = map[string]bool{
	"oauth_signature":       true,
	"oauth_token":           true,
	"oauth_token_secret":    true,
	"oauth_accessor_secret": true,
	"access_token":          true,
	"refresh_token":         true,
	"client_secret":         true,
	"api_key":               true,
	"apikey":                true,
}

// mayHaveSecretParam reports whether form may contain a parameter of secretParams, so that
// forms without one are returned without being split.
func mayHaveSecretParam(form string) bool {
	if strings.Contains(form, "%") {
		// A name may be percent-encoded.
		return true
	}
	lower := strings.ToLower(form)
	for name := range secretParams {
		if strings.Contains(lower, name) {
			return true
		}
	}
	return false
}

// MaskHeaderValue returns the value of header name as it may be shown: unchanged, or for a
// credential header the Mask after the authentication scheme, if the value has one, as in
// "Bearer ********". A Location or Content-Location URL has its password and secret query
// parameters masked, as RedactURL does.
func MaskHeaderValue(name, value string) string {
	name = http.CanonicalHeaderKey(name)
	if name == "Location" || name == "Content-Location" {
		// A redirect can carry a token in its query or, as OAuth 2.0 implicit grants do, in
		// its fragment.
		return RedactURLText(value)
	}
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

// MaskForm returns a form-encoded string with the values of the secret parameters, whatever
// the case of their names, replaced by the Mask. Every other byte is kept, so the result reads like the original.
func MaskForm(form string) string {
	if !mayHaveSecretParam(form) {
		return form
	}
	pairs := strings.Split(form, "&")
	for i, pair := range pairs {
		rawName, _, hasValue := strings.Cut(pair, "=")
		name, err := url.QueryUnescape(rawName)
		if err != nil || !secretParams[strings.ToLower(name)] {
			continue
		}
		if hasValue {
			pairs[i] = rawName + "=" + Mask
		}
	}
	return strings.Join(pairs, "&")
}

// RedactURL returns u as text with any password replaced (url.URL.Redacted) and the values
// of secret query and fragment parameters masked.
func RedactURL(u *url.URL) string {
	masked := *u
	if u.RawQuery != "" && mayHaveSecretParam(u.RawQuery) {
		masked.RawQuery = MaskForm(u.RawQuery)
	}
	fragment := ""
	if raw := u.EscapedFragment(); raw != "" && mayHaveSecretParam(raw) {
		masked.Fragment, masked.RawFragment = "", ""
		fragment = "#" + MaskForm(raw)
	}
	return masked.Redacted() + fragment
}

// RedactURLText is RedactURL for a URL given as text. Text that does not parse as a URL has
// everything after its first '?' or '#' masked when that part may hold a secret parameter.
func RedactURLText(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		if u.RawQuery == "" && u.Fragment == "" && u.User == nil {
			return raw
		}
		return RedactURL(u)
	}
	if i := strings.IndexAny(raw, "?#"); i >= 0 && mayHaveSecretParam(raw[i+1:]) {
		return raw[:i+1] + Mask
	}
	return raw
}

// secretParamInText matches a secret parameter and its value in free text, such as an error
// message that quotes a URL. It is compiled on first use, because only errors need it.
var secretParamInText = sync.OnceValue(func() *regexp.Regexp {
	names := make([]string, 0, len(secretParams))
	for name := range secretParams {
		names = append(names, regexp.QuoteMeta(name))
	}
	return regexp.MustCompile(`(?i)\b(` + strings.Join(names, "|") + `)=[^&\s"'#]*`)
})

// MaskText returns text with the value of each secret parameter written as name=value
// replaced by the Mask.
func MaskText(text string) string {
	if !mayHaveSecretParam(text) {
		return text
	}
	return secretParamInText().ReplaceAllString(text, "${1}="+Mask)
}
