package httpx

import (
	"net/http"
	"net/url"
	"strings"
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
	var b strings.Builder
	for form != "" {
		// Pairs are separated by '&' or, as some servers read queries, by ';'.
		end := strings.IndexAny(form, "&;")
		pair, separator := form, ""
		if end >= 0 {
			pair, separator, form = form[:end], form[end:end+1], form[end+1:]
		} else {
			form = ""
		}
		rawName, _, hasValue := strings.Cut(pair, "=")
		if name, err := url.QueryUnescape(rawName); err == nil && hasValue && secretParams[strings.ToLower(name)] {
			pair = rawName + "=" + Mask
		}
		b.WriteString(pair)
		b.WriteString(separator)
	}
	return b.String()
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

// textSeparators end a word of free text for MaskText.
const textSeparators = " \t\r\n\"'()<>,&;?#"

// MaskText returns text, such as an error message that quotes a URL, with the value of each
// secret parameter written as name=value replaced by the Mask. A name may be percent-encoded
// and may be written in any case, and so may the '=' after it.
func MaskText(text string) string {
	if !mayHaveSecretParam(text) {
		return text
	}
	var b strings.Builder
	for text != "" {
		end := strings.IndexAny(text, textSeparators)
		if end < 0 {
			end = len(text)
		}
		b.WriteString(maskWord(text[:end]))
		if end < len(text) {
			b.WriteByte(text[end])
			end++
		}
		text = text[end:]
	}
	return b.String()
}

// maskWord returns word with its value masked when it reads, once percent-decoded, as a
// secret parameter followed by '='.
func maskWord(word string) string {
	decoded, err := url.PathUnescape(word)
	if err != nil {
		decoded = word
	}
	name, _, hasValue := strings.Cut(decoded, "=")
	if !hasValue || !secretParams[strings.ToLower(name)] {
		return word
	}
	return name + "=" + Mask
}
