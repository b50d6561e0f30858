package sandbox

import (
	"slices"
	"strings"
	"time"
)

// timestampLayout formats createdAt and updatedAt: ISO 8601 in UTC with milliseconds.
const timestampLayout = "2006-01-02T15:04:05.000Z"

// personnel is a record of the Personnel API. The server sets ID, CreatedAt and UpdatedAt and
// ignores the values a client sends for them.
//
// NOTE: the documentation lists name.middle and languages without their types. Here middle is
// one string and languages is a list of language codes such as "en".
type personnel struct {
	ID             string          `json:"id"`
	BirthDate      string          `json:"birthDate,omitempty"`
	Gender         string          `json:"gender,omitempty"`
	Name           personName      `json:"name"`
	Addresses      []address       `json:"addresses"`
	Aliases        []alias         `json:"aliases"`
	Telecoms       []telecom       `json:"telecoms"`
	Languages      []string        `json:"languages"`
	Qualifications []qualification `json:"qualifications"`
	CreatedAt      string          `json:"createdAt"`
	UpdatedAt      string          `json:"updatedAt"`
}

// personName is the name of a personnel record. Formatted is "Family, Given Middle".
type personName struct {
	Prefix    string   `json:"prefix"`
	Given     []string `json:"given"`
	Middle    string   `json:"middle,omitempty"`
	Family    string   `json:"family"`
	Suffix    string   `json:"suffix"`
	Formatted string   `json:"formatted"`
}

// address is a postal address. Text is the whole address on one line.
type address struct {
	Use        string   `json:"use,omitempty"`
	Text       string   `json:"text,omitempty"`
	Lines      []string `json:"lines,omitempty"`
	City       string   `json:"city,omitempty"`
	State      string   `json:"state,omitempty"`
	PostalCode string   `json:"postalCode,omitempty"`
	Country    string   `json:"country,omitempty"`
}

// alias is an identifier of a person in another system. No two records share an alias with
// the same system and value.
type alias struct {
	Value  string `json:"value"`
	System string `json:"system"`
	Type   string `json:"type"`
}

// telecom is a phone number or an e-mail address.
type telecom struct {
	System string `json:"system"`
	Value  string `json:"value"`
}

// qualification is a licence or certificate. Start and End are dates, and End is omitted while
// the qualification has no end date.
type qualification struct {
	Code   string `json:"code"`
	Issuer string `json:"issuer,omitempty"`
	Start  string `json:"start,omitempty"`
	End    string `json:"end,omitempty"`
}

// aliasKey identifies an alias for the uniqueness rule.
type aliasKey struct {
	system string
	value  string
}

func (a alias) key() aliasKey {
	return aliasKey{system: a.System, value: a.Value}
}

// normalize fills name.formatted when the client left it empty and replaces nil lists with
// empty ones, so that they encode as [] rather than null.
func (p *personnel) normalize() {
	if p.Name.Formatted == "" {
		p.Name.Formatted = formatName(p.Name)
	}
	if p.Name.Given == nil {
		p.Name.Given = []string{}
	}
	p.Addresses = emptyIfNil(p.Addresses)
	p.Aliases = emptyIfNil(p.Aliases)
	p.Telecoms = emptyIfNil(p.Telecoms)
	p.Languages = emptyIfNil(p.Languages)
	p.Qualifications = emptyIfNil(p.Qualifications)
}

// formatName returns "Family, Given Middle", or only the family name when there is no given
// or middle name.
func formatName(name personName) string {
	parts := slices.Clone(name.Given)
	if name.Middle != "" {
		parts = append(parts, name.Middle)
	}
	if len(parts) == 0 {
		return name.Family
	}
	return name.Family + ", " + strings.Join(parts, " ")
}

func emptyIfNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

// formatTimestamp formats t as a createdAt or updatedAt value.
func formatTimestamp(t time.Time) string {
	return t.UTC().Format(timestampLayout)
}
