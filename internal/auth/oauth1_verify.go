package auth

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ParseAuthorizationHeader parses an OAuth Authorization header value such as
// `OAuth realm="Example", oauth_consumer_key="key", oauth_nonce="n"` (RFC 5849 section
// 3.5.1). Names and values are percent-decoded, except the realm, which is returned as
// written. The scheme name is matched without regard to case. It returns an error for
// another scheme, an unquoted or unterminated value, a malformed percent escape, a
// parameter given twice, or a header without parameters.
func ParseAuthorizationHeader(v string) (url.Values, error) {
	sc := &authHeaderScanner{s: v}
	if scheme := sc.token(); !strings.EqualFold(scheme, "OAuth") {
		return nil, fmt.Errorf("authorization header uses scheme %q, not OAuth", scheme)
	}

	params := url.Values{}
	for !sc.done() {
		if sc.consume(',') {
			continue
		}
		name, value, err := readAuthorizationParameter(sc)
		if err != nil {
			return nil, err
		}
		if params.Has(name) {
			return nil, fmt.Errorf("authorization header contains %s twice", name)
		}
		params.Set(name, value)
		if !sc.done() && !sc.consume(',') {
			return nil, fmt.Errorf("authorization header has no comma after %s", name)
		}
	}
	if len(params) == 0 {
		return nil, errors.New("authorization header has no OAuth parameters")
	}
	return params, nil
}

// readAuthorizationParameter reads one name="value" pair and percent-decodes it.
func readAuthorizationParameter(sc *authHeaderScanner) (name, value string, err error) {
	rawName := sc.token()
	if rawName == "" {
		return "", "", fmt.Errorf("authorization header has no parameter name at offset %d", sc.pos)
	}
	if !sc.consume('=') {
		return "", "", fmt.Errorf("authorization header parameter %s has no value", rawName)
	}
	rawValue, err := sc.quotedString()
	if err != nil {
		return "", "", fmt.Errorf("authorization header parameter %s: %w", rawName, err)
	}

	if name, err = url.PathUnescape(rawName); err != nil {
		return "", "", fmt.Errorf("authorization header parameter name %q: %w", rawName, err)
	}
	if name == "realm" {
		return name, rawValue, nil
	}
	// RFC 5849 section 3.6 encoding has no "+" for a space, so PathUnescape keeps "+".
	if value, err = url.PathUnescape(rawValue); err != nil {
		return "", "", fmt.Errorf("authorization header parameter %s: %w", name, err)
	}
	return name, value, nil
}
