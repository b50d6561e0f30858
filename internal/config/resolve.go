package config

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/viper"
)

// Defaults of the settings a profile may leave out.
const (
	DefaultAccessTokenURL  = "https://oauth-api.cerner.com/oauth/access"
	DefaultAuth            = "bearer"
	DefaultSignatureMethod = "PLAINTEXT"
	DefaultTimeout         = 30 * time.Second
)

// EnvProfileName is the name shown for settings that come from the environment alone.
const EnvProfileName = "(environment)"

// settingKeys maps each setting to its environment variable. Flags are bound by the
// commands that define them, under the same keys.
var settingKeys = map[string]string{
	"profile":          "HI_PROFILE",
	"config":           "HI_CONFIG",
	"tenant":           "HI_TENANT",
	"region":           "HI_REGION",
	"base-url":         "HI_BASE_URL",
	"auth":             "HI_AUTH",
	"consumer-key":     "HI_CONSUMER_KEY",
	"access-token-url": "HI_ACCESS_TOKEN_URL",
	"signature-method": "HI_SIGNATURE_METHOD",
	"timeout":          "HI_TIMEOUT",
}

// NewViper returns a viper instance with hi's environment variables and defaults bound.
// Precedence, highest first: flags bound later by a command, environment, the profile
// merged by Resolve, defaults.
func NewViper() *viper.Viper {
	v := viper.New()
	for key, env := range settingKeys {
		v.BindEnv(key, env)
	}
	v.SetDefault("region", DefaultRegion)
	v.SetDefault("auth", DefaultAuth)
	v.SetDefault("access-token-url", DefaultAccessTokenURL)
	v.SetDefault("signature-method", DefaultSignatureMethod)
	v.SetDefault("timeout", DefaultTimeout.String())
	v.SetDefault("storage", StorageKeyring)
	return v
}

// Settings are the resolved connection settings of one invocation.
type Settings struct {
	Profile         string // profile name, or EnvProfileName
	Tenant          string
	Region          string
	BaseURL         *url.URL
	Auth            string
	ConsumerKey     string
	AccessTokenURL  string
	SignatureMethod string
	Timeout         time.Duration
	Storage         string

	// ProfileBaseURL and ProfileAccessTokenURL are where the selected profile itself points,
	// before flags and environment. A credential read from the profile's store may only go
	// there. Both are empty without a profile.
	ProfileBaseURL        string
	ProfileAccessTokenURL string
}

// UnknownProfileError reports a profile name that is not in the config file.
type UnknownProfileError struct {
	Name  string
	Known []string
}

func (e *UnknownProfileError) Error() string {
	if len(e.Known) == 0 {
		return fmt.Sprintf("profile %q not found: no profiles exist yet, create one with hi login -p %s", e.Name, e.Name)
	}
	return fmt.Sprintf("profile %q not found: known profiles are %s", e.Name, strings.Join(e.Known, ", "))
}

// ErrNoProfile means nothing selects a tenant: no profile and no HI_TENANT or HI_BASE_URL.
var ErrNoProfile = fmt.Errorf("no profile configured: run hi login --tenant TENANT, " +
	"set HI_TENANT (or HI_BASE_URL) and HI_TOKEN, or add --sandbox to try the local sandbox")

// Resolve picks the profile selected by v (flag or HI_PROFILE, else the current profile)
// and layers it under v's flags and environment.
func Resolve(v *viper.Viper, f *File) (*Settings, error) {
	name := v.GetString("profile")
	if name == "" && v.GetString("tenant") == "" && v.GetString("base-url") == "" {
		name = f.CurrentProfile
	}
	var p *Profile
	if name != "" {
		var ok bool
		if p, ok = f.Profile(name); !ok {
			return nil, &UnknownProfileError{Name: name, Known: f.Names()}
		}
		v.MergeConfigMap(profileMap(p))
	} else if v.GetString("tenant") == "" && v.GetString("base-url") == "" && len(f.Profiles) > 0 {
		return nil, fmt.Errorf("no current profile: pick one with hi profile use NAME or -p NAME (known profiles are %s)",
			strings.Join(f.Names(), ", "))
	} else {
		name = EnvProfileName
	}
	return settingsFrom(v, name, p)
}

func profileMap(p *Profile) map[string]any {
	m := map[string]any{}
	set := func(key, value string) {
		if value != "" {
			m[key] = value
		}
	}
	set("tenant", p.Tenant)
	set("region", p.Region)
	set("base-url", p.BaseURL)
	set("auth", p.Auth)
	set("consumer-key", p.ConsumerKey)
	set("access-token-url", p.AccessTokenURL)
	set("signature-method", p.SignatureMethod)
	set("timeout", p.Timeout)
	set("storage", p.Storage)
	return m
}

func settingsFrom(v *viper.Viper, name string, p *Profile) (*Settings, error) {
	s := &Settings{
		Profile:         name,
		Tenant:          strings.ToLower(v.GetString("tenant")),
		Region:          v.GetString("region"),
		Auth:            v.GetString("auth"),
		ConsumerKey:     v.GetString("consumer-key"),
		AccessTokenURL:  v.GetString("access-token-url"),
		SignatureMethod: strings.ToUpper(v.GetString("signature-method")),
		Storage:         v.GetString("storage"),
	}
	timeout, err := time.ParseDuration(v.GetString("timeout"))
	if err != nil || timeout <= 0 {
		return nil, fmt.Errorf("invalid timeout %q: use a positive duration such as 30s or 2m", v.GetString("timeout"))
	}
	s.Timeout = timeout
	if s.BaseURL, err = baseURL(v, s, p); err != nil {
		return nil, err
	}
	if p != nil {
		s.ProfileBaseURL = profileOwnURL(p)
		s.ProfileAccessTokenURL = p.AccessTokenURL
		if s.ProfileAccessTokenURL == "" {
			s.ProfileAccessTokenURL = DefaultAccessTokenURL
		}
	}
	return s, nil
}

// profileOwnURL returns the base URL the profile names, normalized as ParseBaseURL does, or
// "" when the profile's values are invalid.
func profileOwnURL(p *Profile) string {
	raw := p.BaseURL
	if raw == "" {
		raw = TenantURL(strings.ToLower(p.Tenant), p.Region)
	}
	u, err := ParseBaseURL(raw)
	if err != nil {
		return ""
	}
	return u.String()
}

// baseURL gives a tenant or base URL set above the profile (flag or environment) priority
// over whichever of the two the profile stores.
func baseURL(v *viper.Viper, s *Settings, p *Profile) (*url.URL, error) {
	raw := v.GetString("base-url")
	if s.Tenant != "" && p != nil && raw == p.BaseURL && !strings.EqualFold(s.Tenant, p.Tenant) {
		raw = ""
	}
	if raw != "" {
		return ParseBaseURL(raw)
	}
	if s.Tenant == "" {
		if p == nil {
			return nil, ErrNoProfile
		}
		return nil, fmt.Errorf("profile %q has no tenant or base URL: run hi login -p %s --tenant TENANT", p.Name, p.Name)
	}
	if err := ValidateTenant(s.Tenant); err != nil {
		return nil, err
	}
	if err := ValidateRegion(s.Region); err != nil {
		return nil, err
	}
	return ParseBaseURL(TenantURL(s.Tenant, s.Region))
}
