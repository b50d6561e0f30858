package sandbox

import (
	"net/http"
	"strings"
)

// tenant is the body of GET /tenant/v1/tenant.
type tenant struct {
	ID              string       `json:"id"`
	Mnemonic        string       `json:"mnemonic"`
	Name            string       `json:"name"`
	TimeZone        string       `json:"timeZone"`
	DefaultLocale   string       `json:"defaultLocale"`
	Status          tenantStatus `json:"status"`
	Locales         []string     `json:"locales"`
	CernerMnemonics []string     `json:"cernerMnemonics"`
}

// tenantStatus is the lifecycle state of a tenant and the date it started.
type tenantStatus struct {
	State     string `json:"state"`
	StartedOn string `json:"startedOn"`
}

// getTenant handles GET /tenant/v1/tenant.
func (s *Server) getTenant(w http.ResponseWriter, r *http.Request) {
	writeCacheable(w, r, describeTenant(s.Tenant))
}

// describeTenant returns the tenant record for a mnemonic. The id is derived from the mnemonic,
// so it is the same on every start.
//
// NOTE: the shapes of status.startedOn (a date here) and cernerMnemonics are guesses, because
// the platform documentation names these fields without an example.
func describeTenant(mnemonic string) tenant {
	return tenant{
		ID:              nameUUID("tenant/" + mnemonic),
		Mnemonic:        mnemonic,
		Name:            tenantName(mnemonic),
		TimeZone:        "America/Chicago",
		DefaultLocale:   "en-US",
		Status:          tenantStatus{State: "ACTIVE", StartedOn: "2015-06-01"},
		Locales:         []string{"en-US"},
		CernerMnemonics: []string{strings.ToUpper(mnemonic)},
	}
}

// tenantName returns "Cerner Demo" for the demo tenant, and otherwise the mnemonic with its
// first letter in upper case.
func tenantName(mnemonic string) string {
	if mnemonic == defaultTenant {
		return "Cerner Demo"
	}
	return strings.ToUpper(mnemonic[:1]) + mnemonic[1:]
}
