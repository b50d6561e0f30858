package config

import (
	"regexp"
	"strings"
	"testing"
)

// The grammars that validProfileName, validTenant and validRegion implement by hand.
var (
	profileNameGrammar = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	tenantGrammar      = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	regionGrammar      = regexp.MustCompile(`^[a-z]{2,}(-[0-9]+)?$`)
)

var validatorCases = []string{
	"", "a", "A", "0", "-", ".", "_", "a-", "-a", "a--b", "a.b_c-d", "Dev-EU", "cernerdemo", "cerner-demo",
	"a b", "a/b", "a:b", "é", "a\x00", "a\n", "\na", "us", "us-1", "us-", "u-1", "emea-22", "US-1",
	"us-1a", "us--1", "us-1-2", "ap-0", "abc-123", "a1", "1a", "us1",
	strings.Repeat("a", 63), strings.Repeat("a", 64), strings.Repeat("a", 65),
	strings.Repeat("a", 62) + "-", "a" + strings.Repeat("-", 61) + "a",
}

// checkValidators wants each hand-written check to accept exactly what its grammar matches.
func checkValidators(t *testing.T, s string) {
	t.Helper()
	if got, want := validProfileName(s), profileNameGrammar.MatchString(s); got != want {
		t.Errorf("validProfileName(%q) = %t, want %t", s, got, want)
	}
	if got, want := validTenant(s), tenantGrammar.MatchString(s); got != want {
		t.Errorf("validTenant(%q) = %t, want %t", s, got, want)
	}
	if got, want := validRegion(s), regionGrammar.MatchString(s); got != want {
		t.Errorf("validRegion(%q) = %t, want %t", s, got, want)
	}
}

func TestValidatorsMatchGrammars(t *testing.T) {
	for _, s := range validatorCases {
		checkValidators(t, s)
	}
}

func FuzzValidatorsMatchGrammars(f *testing.F) {
	for _, s := range validatorCases {
		f.Add(s)
	}
	f.Fuzz(checkValidators)
}
