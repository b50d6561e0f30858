package config

import (
	"errors"
	"testing"
)

func TestResolvePrecedence(t *testing.T) {
	file := &File{CurrentProfile: "main", Profiles: []Profile{
		{Name: "main", Tenant: "maintenant", Timeout: "10s"},
		{Name: "local", BaseURL: "http://127.0.0.1:8080"},
	}}
	cases := []struct {
		name        string
		env         map[string]string
		wantProfile string
		wantURL     string
		wantTimeout string
	}{
		{name: "current profile by default", wantProfile: "main",
			wantURL: "https://maintenant.api.us-1.healtheintent.com", wantTimeout: "10s"},
		{name: "environment selects profile", env: map[string]string{"HI_PROFILE": "local"},
			wantProfile: "local", wantURL: "http://127.0.0.1:8080", wantTimeout: "30s"},
		{name: "environment region beats default", env: map[string]string{"HI_REGION": "emea-2"},
			wantProfile: "main", wantURL: "https://maintenant.api.emea-2.healtheintent.com", wantTimeout: "10s"},
		{name: "environment timeout beats profile", env: map[string]string{"HI_TIMEOUT": "1m"},
			wantProfile: "main", wantURL: "https://maintenant.api.us-1.healtheintent.com", wantTimeout: "1m0s"},
		{name: "environment tenant alone", env: map[string]string{"HI_TENANT": "envtenant"},
			wantProfile: EnvProfileName, wantURL: "https://envtenant.api.us-1.healtheintent.com", wantTimeout: "30s"},
		{name: "environment tenant beats profile base url", env: map[string]string{"HI_PROFILE": "local", "HI_TENANT": "envtenant"},
			wantProfile: "local", wantURL: "https://envtenant.api.us-1.healtheintent.com", wantTimeout: "30s"},
		{name: "environment base url beats profile tenant", env: map[string]string{"HI_PROFILE": "main", "HI_BASE_URL": "http://localhost:9"},
			wantProfile: "main", wantURL: "http://localhost:9", wantTimeout: "10s"},
		{name: "old region name us", env: map[string]string{"HI_REGION": "us"},
			wantProfile: "main", wantURL: "https://maintenant.api.us-1.healtheintent.com", wantTimeout: "10s"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, key := range settingKeys {
				t.Setenv(key, "")
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			s, err := Resolve(NewViper(), file)
			if err != nil {
				t.Fatal(err)
			}
			if s.Profile != tc.wantProfile {
				t.Errorf("profile = %q, want %q", s.Profile, tc.wantProfile)
			}
			if got := s.BaseURL.String(); got != tc.wantURL {
				t.Errorf("base URL = %q, want %q", got, tc.wantURL)
			}
			if got := s.Timeout.String(); got != tc.wantTimeout {
				t.Errorf("timeout = %q, want %q", got, tc.wantTimeout)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	for _, key := range settingKeys {
		t.Setenv(key, "")
	}
	_, err := Resolve(NewViper(), &File{})
	if !errors.Is(err, ErrNoProfile) {
		t.Errorf("empty config: error = %v, want ErrNoProfile", err)
	}

	t.Setenv("HI_PROFILE", "missing")
	_, err = Resolve(NewViper(), &File{Profiles: []Profile{{Name: "a", Tenant: "a"}, {Name: "b", Tenant: "b"}}})
	var unknown *UnknownProfileError
	if !errors.As(err, &unknown) {
		t.Fatalf("error = %v, want UnknownProfileError", err)
	}
	if want := `profile "missing" not found: known profiles are a, b`; err.Error() != want {
		t.Errorf("message = %q, want %q", err.Error(), want)
	}

	t.Setenv("HI_PROFILE", "")
	t.Setenv("HI_BASE_URL", "http://example.com")
	if _, err := Resolve(NewViper(), &File{}); err == nil {
		t.Error("plain http to a non-loopback host was accepted")
	}
}
