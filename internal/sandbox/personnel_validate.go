package sandbox

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Enumerations of the Personnel API.
//
// NOTE: the documentation lists gender as "FEMALE, MALE, UNKNOWN…" without the full set, so
// OTHER is an assumption and the platform may accept values the sandbox rejects.
var (
	genders      = []string{"FEMALE", "MALE", "OTHER", "UNKNOWN"}
	aliasTypes   = []string{"SPI", "EXTERNAL", "USER"}
	telecomTypes = []string{"PHONE", "EMAIL"}
)

// validatePersonnel checks the rules of a personnel record that JSON types cannot express and
// returns one detail per field at fault. Only name.family is required of the whole record.
// Each alias needs a value, a system and a type, each telecom a system and a value, and each
// qualification a code.
func validatePersonnel(p personnel) []errorDetail {
	var e fieldErrors
	e.require("name.family", p.Name.Family)
	for i, given := range p.Name.Given {
		e.require(fmt.Sprintf("name.given[%d]", i), given)
	}
	if p.Gender != "" {
		e.oneOf("gender", p.Gender, genders)
	}
	e.date("birthDate", p.BirthDate)
	for i, language := range p.Languages {
		e.require(fmt.Sprintf("languages[%d]", i), language)
	}

	e.aliases(p.Aliases)
	e.telecoms(p.Telecoms)
	e.qualifications(p.Qualifications)
	return e
}

// fieldErrors collects the details of a 422.
type fieldErrors []errorDetail

func (e *fieldErrors) add(field, reason, message string) {
	*e = append(*e, bodyError(field, reason, message))
}

// require adds a detail when value is empty or only white space.
func (e *fieldErrors) require(field, value string) {
	if strings.TrimSpace(value) == "" {
		e.add(field, "required", field+" is required")
	}
}

// oneOf adds a detail when value is not one of allowed. An empty value counts as missing.
func (e *fieldErrors) oneOf(field, value string, allowed []string) {
	if value == "" {
		e.add(field, "required", fmt.Sprintf("%s is required, use one of %s", field, strings.Join(allowed, ", ")))
		return
	}
	if !slices.Contains(allowed, value) {
		e.add(field, "invalid", fmt.Sprintf("%s must be one of %s, not %q", field, strings.Join(allowed, ", "), value))
	}
}

// date adds a detail when value is neither empty nor a date in YYYY-MM-DD form.
func (e *fieldErrors) date(field, value string) {
	if value == "" {
		return
	}
	if _, err := time.Parse(time.DateOnly, value); err != nil {
		e.add(field, "invalid", fmt.Sprintf("%s must be a date in YYYY-MM-DD form, not %q", field, value))
	}
}

// aliases checks each alias and rejects an alias listed twice in the same record.
func (e *fieldErrors) aliases(aliases []alias) {
	seen := make(map[aliasKey]bool, len(aliases))
	for i, a := range aliases {
		field := fmt.Sprintf("aliases[%d]", i)
		e.require(field+".value", a.Value)
		e.require(field+".system", a.System)
		e.oneOf(field+".type", a.Type, aliasTypes)

		if seen[a.key()] {
			e.add(field, "duplicate", fmt.Sprintf("%s repeats system %q and value %q", field, a.System, a.Value))
		}
		seen[a.key()] = true
	}
}

func (e *fieldErrors) telecoms(telecoms []telecom) {
	for i, t := range telecoms {
		field := fmt.Sprintf("telecoms[%d]", i)
		e.oneOf(field+".system", t.System, telecomTypes)
		e.require(field+".value", t.Value)
	}
}

// qualifications checks each qualification's code and dates, and that none ends before it
// starts. Dates in YYYY-MM-DD form compare correctly as strings.
func (e *fieldErrors) qualifications(qualifications []qualification) {
	for i, q := range qualifications {
		field := fmt.Sprintf("qualifications[%d]", i)
		e.require(field+".code", q.Code)
		e.date(field+".start", q.Start)
		e.date(field+".end", q.End)
		if validDate(q.Start) && validDate(q.End) && q.End < q.Start {
			e.add(field+".end", "invalid", fmt.Sprintf("%s.end %s is before %s.start %s", field, q.End, field, q.Start))
		}
	}
}

func validDate(value string) bool {
	_, err := time.Parse(time.DateOnly, value)
	return err == nil
}
