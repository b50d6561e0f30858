package auth

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// isEncodedForm reports whether s consists only of unreserved characters and %XX escapes
// with uppercase hex digits, the form RFC 5849 section 3.6 requires.
func isEncodedForm(s string) bool {
	for i := 0; i < len(s); i++ {
		if isUnreserved(s[i]) {
			continue
		}
		if s[i] != '%' || i+2 >= len(s) || !isUpperHex(s[i+1]) || !isUpperHex(s[i+2]) {
			return false
		}
		i += 2
	}
	return true
}

func isUpperHex(c byte) bool {
	return '0' <= c && c <= '9' || 'A' <= c && c <= 'F'
}

func FuzzPercentEncode(f *testing.F) {
	for _, seed := range []string{
		"", "abcXYZ019-._~", "a b", "a+b", "=%3D", "Ladies + Gentlemen", "An encoded string!",
		"Dogs, Cats & Mice", "☃", "\x00\xff", "%", "%zz", "100%", "/path?q=1#frag",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		encoded := PercentEncode(s)
		if !isEncodedForm(encoded) {
			t.Fatalf("PercentEncode(%q) = %q, which has a byte outside the unreserved set and %%XX", s, encoded)
		}
		decoded, err := url.PathUnescape(encoded)
		if err != nil || decoded != s {
			t.Fatalf("decoding PercentEncode(%q) = %q gives %q, %v", s, encoded, decoded, err)
		}
		if strings.IndexFunc(s, func(r rune) bool { return r > 0x7f || !isUnreserved(byte(r)) }) < 0 && encoded != s {
			t.Fatalf("PercentEncode(%q) = %q, want unreserved characters unchanged", s, encoded)
		}
	})
}

func FuzzSignatureBaseString(f *testing.F) {
	// The request of RFC 5849 section 3.4.1, and edge cases of the method, URL and body.
	f.Add("POST", "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b", "c2&a3=2+q")
	f.Add("get", "https://EXAMPLE.com:443/a%2Fb/?x=1&x=0&y", "")
	f.Add("PUT", "http://[::1]:8080/", "a=%zz&;=;&=")
	f.Add("DELETE", "https://h/p?oauth_signature=x&realm=r", "oauth_signature=y")
	f.Add("PATCH", "http://h:80", "%E2%98%83=%E2%98%83")
	f.Fuzz(func(t *testing.T, method, rawURL, body string) {
		u, err := url.Parse(rawURL)
		if err != nil || u.Host == "" {
			return
		}
		oauth := url.Values{"oauth_consumer_key": {"key"}, "oauth_nonce": {"n"}, "realm": {"ignored"}}
		base := SignatureBaseString(method, u, ParseForm(body), oauth)

		parts := strings.Split(base, "&")
		if len(parts) != 3 {
			t.Fatalf("base string %q has %d parts, want 3", base, len(parts))
		}
		if want := PercentEncode(strings.ToUpper(method)); parts[0] != want {
			t.Errorf("method part = %q, want %q", parts[0], want)
		}
		if want := PercentEncode(BaseStringURI(u)); parts[1] != want {
			t.Errorf("URI part = %q, want %q", parts[1], want)
		}
		for i, part := range parts {
			if !isEncodedForm(part) {
				t.Errorf("part %d %q is not percent-encoded", i, part)
			}
		}
		checkNormalizedParameters(t, parts[2])

		// The order of the query's pairs must not matter (section 3.4.1.3.2 sorts them).
		reordered := *u
		pairs := strings.Split(u.RawQuery, "&")
		slices.Reverse(pairs)
		reordered.RawQuery = strings.Join(pairs, "&")
		if again := SignatureBaseString(method, &reordered, ParseForm(body), oauth); again != base {
			t.Errorf("reversing the query %q changed the base string:\n%s\n%s", u.RawQuery, base, again)
		}
	})
}

// checkNormalizedParameters checks the third part of a base string: once decoded, it is a
// list of encoded name=value pairs sorted by name and value. It lacks oauth_signature, and
// the realm among the OAuth parameters, whose value the fuzz target sets to "ignored".
func checkNormalizedParameters(t *testing.T, part string) {
	t.Helper()
	decoded, err := url.PathUnescape(part)
	if err != nil {
		t.Fatalf("parameter part %q does not decode: %v", part, err)
	}
	if decoded == "" {
		return
	}
	var pairs [][2]string
	for pair := range strings.SplitSeq(decoded, "&") {
		name, value, ok := strings.Cut(pair, "=")
		if !ok || !isEncodedForm(name) || !isEncodedForm(value) {
			t.Fatalf("parameter pair %q is not name=value in encoded form", pair)
		}
		if name == "oauth_signature" {
			t.Errorf("oauth_signature is signed")
		}
		if name == "realm" && value == "ignored" {
			t.Errorf("the realm of the OAuth parameters is signed")
		}
		pairs = append(pairs, [2]string{name, value})
	}
	sorted := slices.IsSortedFunc(pairs, func(a, b [2]string) int {
		if c := strings.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return strings.Compare(a[1], b[1])
	})
	if !sorted {
		t.Errorf("parameters %q are not sorted", decoded)
	}
}

func FuzzParseAuthorizationHeader(f *testing.F) {
	for _, seed := range []string{
		`OAuth realm="Example", oauth_consumer_key="0685bd9184jfhq22", oauth_token="ad180jjd733klru7",` +
			` oauth_signature_method="HMAC-SHA1", oauth_signature="wOJIO9A2W5mFwDgiDvZbTSMK%2FPY%3D",` +
			` oauth_timestamp="137131200", oauth_nonce="4572616e48616d6d65724c61686176", oauth_version="1.0"`,
		`oauth oauth_token="a%20b"`,
		`OAuth realm="a \"quoted\" realm", x="1"`,
		`OAuth a="1",,b="2",`,
		`OAuth a="1" b="2"`,
		`OAuth a=1`,
		`OAuth a="1", a="2"`,
		`OAuth a="%zz"`,
		`OAuth a="unterminated`,
		`Bearer abc`,
		`OAuth`,
		"OAuth \t a=\"\\\"\"",
		`OAuth %61="b+c"`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, header string) {
		params, err := ParseAuthorizationHeader(header)
		if err != nil {
			return
		}
		if len(params) == 0 {
			t.Fatalf("ParseAuthorizationHeader(%q) returned no parameters and no error", header)
		}
		// Writing the parameters back out as a client would must give the same parameters.
		var pairs []string
		for _, name := range slices.Sorted(func(yield func(string) bool) {
			for name := range params {
				if !yield(name) {
					return
				}
			}
		}) {
			value := params.Get(name)
			if name == "realm" {
				value = strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(value)
			} else {
				value = PercentEncode(value)
			}
			pairs = append(pairs, PercentEncode(name)+`="`+value+`"`)
		}
		rewritten := "OAuth " + strings.Join(pairs, ", ")
		again, err := ParseAuthorizationHeader(rewritten)
		if err != nil {
			t.Fatalf("the rewritten header %q of %q is rejected: %v", rewritten, header, err)
		}
		if again.Encode() != params.Encode() {
			t.Fatalf("round trip of %q through %q gives %v, want %v", header, rewritten, again, params)
		}
	})
}

func FuzzParseOAuthProblem(f *testing.F) {
	f.Add(`OAuth realm="https://oauth-api.cerner.com", oauth_problem="token_expired"`, "token_expired")
	f.Add(`Bearer realm=host OAuth realm=host`, "signature_invalid")
	f.Add(`Bearer realm="h", oauth_problem="not_oauth", OAuth realm="h"`, "nonce_used")
	f.Add(`OAuth oauth_problem=token_rejected`, "a b")
	f.Add(`OAuth realm="unterminated, oauth_problem="x"`, "%zz")
	f.Add(`"""",,,=`, "")
	f.Add("OAUTH OAUTH_PROBLEM=\"a%2Cb\"", "a,b")
	f.Fuzz(func(t *testing.T, header, problem string) {
		got := ParseOAuthProblem(header)
		if got != "" && !strings.Contains(strings.ToLower(header), "oauth_problem") {
			t.Fatalf("ParseOAuthProblem(%q) = %q, but the header has no oauth_problem", header, got)
		}
		if problem == "" {
			return
		}
		challenge := `Bearer realm="h", OAuth realm="h", oauth_problem="` + PercentEncode(problem) + `"`
		if got := ParseOAuthProblem(challenge); got != problem {
			t.Fatalf("ParseOAuthProblem(%q) = %q, want %q", challenge, got, problem)
		}
	})
}

func FuzzParseTokenResponse(f *testing.F) {
	f.Add("oauth_token=ConsumerKey%3Dk%26ExpiresOn%3D1%26RSASHA1%3Dsig&oauth_token_secret=s3cr3t" +
		"&oauth_expires_in=3600&oauth_authorization_expires_in=86400")
	f.Add("oauth_token=t&oauth_token_secret=s\n")
	f.Add("oauth_token=t&oauth_token_secret=s&oauth_expires_in=-1")
	f.Add("oauth_token=t&oauth_token_secret=s&oauth_expires_in=99999999999999999999")
	f.Add("oauth_token=t&oauth_token_secret=s&oauth_expires_in=9223372036")
	f.Add("oauth_token=&oauth_token_secret=")
	f.Add("oauth_problem=consumer_key_unknown")
	f.Add(`{"oauth_token":"json"}`)
	f.Add("oauth_token=a+b&oauth_token=second&oauth_token_secret=%zz")
	sent := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body string) {
		token, err := parseTokenResponse([]byte(body), sent)
		if err != nil {
			return
		}
		if token.Token == "" || token.TokenSecret == "" {
			t.Fatalf("parseTokenResponse(%q) = %+v: a token and a token secret are required", body, token)
		}
		for name, expiry := range map[string]time.Time{"ExpiresAt": token.ExpiresAt, "AuthorizationExpiresAt": token.AuthorizationExpiresAt} {
			if !expiry.IsZero() && expiry.Before(sent) {
				t.Errorf("%s = %v, before the request was sent at %v", name, expiry, sent)
			}
		}

		// What is cached in the keyring must come back the same.
		encoded, err := token.Marshal()
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		decoded, err := UnmarshalAccessToken(encoded)
		if err != nil {
			t.Fatalf("UnmarshalAccessToken(%q): %v", encoded, err)
		}
		if decoded.Token != token.Token || decoded.TokenSecret != token.TokenSecret ||
			!decoded.ExpiresAt.Equal(token.ExpiresAt) || !decoded.AuthorizationExpiresAt.Equal(token.AuthorizationExpiresAt) {
			t.Fatalf("round trip through the cache changed %+v into %+v", token, decoded)
		}
	})
}
