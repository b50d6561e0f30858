package auth

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"maps"
	"mime"
	"net/url"
	"slices"
	"strings"
)

// SignatureMethod names an OAuth 1.0a signature method.
type SignatureMethod string

// The signature methods that Cerner's access-token service and the APIs accept.
const (
	// PlainText sends the signing key itself as the signature (RFC 5849 section 3.4.4).
	// It is the access-token service's default.
	PlainText SignatureMethod = "PLAINTEXT"
	// HMACSHA1 signs the request with HMAC-SHA1 (RFC 5849 section 3.4.2).
	HMACSHA1 SignatureMethod = "HMAC-SHA1"
)

// ParseSignatureMethod returns the signature method named by s, ignoring case.
func ParseSignatureMethod(s string) (SignatureMethod, error) {
	for _, m := range []SignatureMethod{PlainText, HMACSHA1} {
		if strings.EqualFold(s, string(m)) {
			return m, nil
		}
	}
	return "", fmt.Errorf("invalid signature method %q: use %s or %s", s, PlainText, HMACSHA1)
}

// PercentEncode encodes s as RFC 5849 section 3.6 requires: the unreserved characters
// ALPHA, DIGIT, "-", ".", "_" and "~" stay as they are, and every other byte of the UTF-8
// text becomes %XX with uppercase hex digits. A space becomes %20, never "+".
func PercentEncode(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&0x0F])
	}
	return b.String()
}

func isUnreserved(c byte) bool {
	switch {
	case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		return true
	}
	return c == '-' || c == '.' || c == '_' || c == '~'
}

// SignatureBaseString builds the signature base string of RFC 5849 section 3.4.1 from the
// HTTP method, the request URL, the form body parameters and the OAuth protocol parameters.
// The query parameters are taken from u. Pass form only when the body is
// application/x-www-form-urlencoded, and nil otherwise. The oauth_signature parameter is
// left out wherever it appears, and so is a realm among oauthParams, because the realm of
// an Authorization header is not signed.
func SignatureBaseString(method string, u *url.URL, form url.Values, oauthParams url.Values) string {
	var params []signedParameter
	params = appendParameters(params, ParseForm(u.RawQuery), "")
	params = appendParameters(params, form, "")
	params = appendParameters(params, oauthParams, "realm")

	return PercentEncode(strings.ToUpper(method)) + "&" +
		PercentEncode(BaseStringURI(u)) + "&" +
		PercentEncode(normalizeParameters(params))
}

// BaseStringURI returns the base string URI of RFC 5849 section 3.4.1.2. It contains the
// scheme and host in lowercase and the path as sent, or "/" when the path is empty. The
// port is kept unless it is the scheme's default (80 for http, 443 for https). The query
// and fragment are left out.
func BaseStringURI(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	port := u.Port()
	defaultPort := (scheme == "http" && port == "80") || (scheme == "https" && port == "443")
	if port != "" && !defaultPort {
		host += ":" + port
	}

	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	return scheme + "://" + host + path
}

// Signature computes the oauth_signature value. Both methods use the key
// PercentEncode(clientSecret) + "&" + PercentEncode(tokenSecret). PLAINTEXT returns the
// key itself (RFC 5849 section 3.4.4), and HMAC-SHA1 returns the base64 HMAC-SHA1 of
// baseString under that key (section 3.4.2). An empty method counts as PLAINTEXT, and any
// other method returns "", so callers check the method with ParseSignatureMethod first.
func Signature(m SignatureMethod, baseString, clientSecret, tokenSecret string) string {
	key := PercentEncode(clientSecret) + "&" + PercentEncode(tokenSecret)
	switch m {
	case HMACSHA1:
		mac := hmac.New(sha1.New, []byte(key))
		mac.Write([]byte(baseString))
		return base64.StdEncoding.EncodeToString(mac.Sum(nil))
	case PlainText, "":
		return key
	}
	return ""
}

// signedParameter is one percent-encoded name and value pair of the signature base string.
type signedParameter struct {
	name, value string
}

// appendParameters adds the encoded pairs of values to params, leaving out oauth_signature
// and the parameter named skip.
func appendParameters(params []signedParameter, values url.Values, skip string) []signedParameter {
	for name, list := range values {
		if name == "oauth_signature" || (skip != "" && name == skip) {
			continue
		}
		for _, value := range list {
			params = append(params, signedParameter{PercentEncode(name), PercentEncode(value)})
		}
	}
	return params
}

// normalizeParameters sorts the encoded pairs by name and then by value, and joins them
// as RFC 5849 section 3.4.1.3.2 describes.
func normalizeParameters(params []signedParameter) string {
	slices.SortFunc(params, func(a, b signedParameter) int {
		return cmp.Or(strings.Compare(a.name, b.name), strings.Compare(a.value, b.value))
	})
	pairs := make([]string, len(params))
	for i, p := range params {
		pairs[i] = p.name + "=" + p.value
	}
	return strings.Join(pairs, "&")
}

// parseForm decodes an application/x-www-form-urlencoded string such as a query or a
// request body. Unlike url.ParseQuery it keeps pairs that contain a semicolon, because
// the server signs every pair it receives. A name or value with a malformed escape is
// kept as sent.
func ParseForm(raw string) url.Values {
	values := url.Values{}
	for pair := range strings.SplitSeq(raw, "&") {
		if pair == "" {
			continue
		}
		name, value, _ := strings.Cut(pair, "=")
		values.Add(formUnescape(name), formUnescape(value))
	}
	return values
}

func formUnescape(s string) string {
	decoded, err := url.QueryUnescape(s)
	if err != nil {
		return s
	}
	return decoded
}

// encodeForm encodes values as a form body with PercentEncode, sorted by name. Every form
// decoder reads %20 as a space, while some OAuth servers keep a "+" as a plus sign.
func encodeForm(values url.Values) string {
	var pairs []string
	for _, name := range slices.Sorted(maps.Keys(values)) {
		for _, value := range values[name] {
			pairs = append(pairs, PercentEncode(name)+"="+PercentEncode(value))
		}
	}
	return strings.Join(pairs, "&")
}

// isFormContent reports whether a Content-Type header value names a form-encoded body.
func isFormContent(contentType string) bool {
	mediaType, _, err := mime.ParseMediaType(contentType)
	return err == nil && mediaType == "application/x-www-form-urlencoded"
}
