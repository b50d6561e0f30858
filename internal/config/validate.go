package config

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// isLower, isDigit and isAlnum classify ASCII bytes for the checks below, which stand for
// short regular expressions: compiling those took a noticeable share of a call that reads
// the config file, which checks every profile name in it.
func isLower(c byte) bool { return c >= 'a' && c <= 'z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlnum(c byte) bool { return isLower(c) || isDigit(c) || (c >= 'A' && c <= 'Z') }

// validProfileName matches ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$.
func validProfileName(name string) bool {
	if len(name) < 1 || len(name) > 64 || !isAlnum(name[0]) {
		return false
	}
	for i := 1; i < len(name); i++ {
		if c := name[i]; !isAlnum(c) && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

// validTenant matches ^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$.
func validTenant(tenant string) bool {
	n := len(tenant)
	if n < 1 || n > 63 || tenant[0] == '-' || tenant[n-1] == '-' {
		return false
	}
	for i := 0; i < n; i++ {
		if c := tenant[i]; !isLower(c) && !isDigit(c) && c != '-' {
			return false
		}
	}
	return true
}

// validRegion matches ^[a-z]{2,}(-[0-9]+)?$.
func validRegion(region string) bool {
	letters, number, hasNumber := strings.Cut(region, "-")
	if len(letters) < 2 || (hasNumber && number == "") {
		return false
	}
	for i := 0; i < len(letters); i++ {
		if !isLower(letters[i]) {
			return false
		}
	}
	for i := 0; i < len(number); i++ {
		if !isDigit(number[i]) {
			return false
		}
	}
	return true
}

// DefaultRegion is the region used when a profile names a tenant but no region.
const DefaultRegion = "us-1"

// ValidateProfileName accepts 1 to 64 letters, digits, '.', '_' and '-', starting with a
// letter or digit. These characters are safe in keyring entries and file names.
func ValidateProfileName(name string) error {
	if !validProfileName(name) {
		return fmt.Errorf("invalid profile name %q: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit", name)
	}
	return nil
}

// ValidateTenant checks a tenant mnemonic as it appears in a host name. The error is an
// *InvalidValueError.
func ValidateTenant(tenant string) error {
	if !validTenant(tenant) {
		return &InvalidValueError{Err: fmt.Errorf("invalid tenant %q: use the tenant mnemonic from the host name, lowercase letters, digits and '-' (for example cernerdemo)", tenant)}
	}
	return nil
}

// ValidateRegion checks a region name such as us-1 or emea-2. The error is an
// *InvalidValueError.
func ValidateRegion(region string) error {
	if !validRegion(region) {
		return &InvalidValueError{Err: fmt.Errorf("invalid region %q: use a region such as us-1", region)}
	}
	return nil
}

// TenantURL returns https://{tenant}.api.{region}.healtheintent.com. The older region name
// "us" names the same region as "us-1".
func TenantURL(tenant, region string) string {
	if region == "" || region == "us" {
		region = DefaultRegion
	}
	return "https://" + tenant + ".api." + region + ".healtheintent.com"
}

// InvalidValueError is a tenant, region or base URL that fails validation, whether it came
// from a flag, the environment or the config file. hi exits with the usage status for it,
// because nothing is sent until the value is fixed.
type InvalidValueError struct {
	Err error
}

func (e *InvalidValueError) Error() string { return e.Err.Error() }
func (e *InvalidValueError) Unwrap() error { return e.Err }

// ParseBaseURL checks a base URL: http or https, a host, no query or fragment, and plain
// http only for a loopback host. The trailing slash is removed. A URL with a control
// character, such as a line break that would split the request line, fails url.Parse. The
// error is an *InvalidValueError.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := parseBaseURL(raw)
	if err != nil {
		return nil, &InvalidValueError{Err: err}
	}
	return u, nil
}

func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err == nil && u.User != nil {
		return nil, fmt.Errorf("invalid base URL %q: remove the user info, credentials go to the keyring", u.Redacted())
	}
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("invalid base URL %q: use a full URL such as https://cernerdemo.api.us-1.healtheintent.com", raw)
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("invalid base URL %q: remove the query, fragment or user info", raw)
	}
	if err := checkPort(u); err != nil {
		return nil, fmt.Errorf("invalid base URL %q: %w", raw, err)
	}
	if u.Scheme == "http" && !IsLoopback(u.Hostname()) {
		return nil, fmt.Errorf("invalid base URL %q: plain http is accepted only for loopback hosts, use https", raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// checkPort rejects a port outside 1 to 65535 and a host that ends in a colon with no port,
// which url.Parse accepts.
func checkPort(u *url.URL) error {
	port := u.Port()
	if port == "" && !strings.HasSuffix(u.Host, ":") {
		return nil
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("invalid port %q, use 1 to 65535", port)
	}
	return nil
}

// IsLoopback reports whether host is localhost or a loopback IP address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ValidateAccessTokenURL checks the URL of an OAuth access-token service with the same rules
// as a base URL: https, or plain http for a loopback host only.
func ValidateAccessTokenURL(raw string) error {
	if _, err := ParseBaseURL(raw); err != nil {
		return fmt.Errorf("invalid access token URL %q: use a full https URL such as %s", raw, DefaultAccessTokenURL)
	}
	return nil
}

// CacheDir returns HI_CACHE_DIR, else <user cache dir>/hi. It holds no secret.
func CacheDir() (string, error) {
	if dir := os.Getenv("HI_CACHE_DIR"); dir != "" {
		return dir, nil
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find the user cache directory: %w (set HI_CACHE_DIR)", err)
	}
	return filepath.Join(dir, "hi"), nil
}
