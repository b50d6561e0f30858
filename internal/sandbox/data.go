package sandbox

import (
	"fmt"
	"strings"
	"time"
)

// demoPersonnelCount is the number of demo personnel records, enough for three pages at the
// maximum limit of 100.
const demoPersonnelCount = 300

// npiSystem is the OID of the US National Provider Identifier, the system of the EXTERNAL
// aliases of the demo records.
const npiSystem = "2.16.840.1.113883.4.6"

// Systems of the demo USER and SPI aliases. RFC 6963 reserves the "example" URN namespace for
// documentation, so these names cannot clash with a real system.
const (
	userSystem = "urn:example:sandbox:username"
	spiSystem  = "urn:example:sandbox:spi"
)

// Name and place lists of the demo data. The record at index i takes its values from these
// lists at positions computed from i, so the data is the same on every start.
var (
	femaleNames = []string{
		"Olivia", "Emma", "Amelia", "Sophia", "Isabella", "Ava", "Mia", "Evelyn", "Harper", "Luna",
		"Camila", "Gianna", "Elizabeth", "Eleanor", "Ella", "Abigail", "Sofia", "Avery", "Scarlett", "Emily",
	}
	maleNames = []string{
		"Liam", "Noah", "Oliver", "James", "Elijah", "William", "Henry", "Lucas", "Benjamin", "Theodore",
		"Mateo", "Levi", "Sebastian", "Daniel", "Jack", "Michael", "Alexander", "Owen", "Asher", "Samuel",
	}
	familyNames = []string{
		"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
		"Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
		"Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
		"Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
		"Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
	}
	streets = []string{
		"Main Street", "Oak Avenue", "Walnut Street", "Grand Boulevard", "Cherry Lane",
		"Broadway", "Maple Drive", "Cedar Court", "Elm Street", "Park Place", "Lake Road",
	}
	demoCities = []demoCity{
		{"Kansas City", "MO", "Missouri", "641", "816"},
		{"Overland Park", "KS", "Kansas", "662", "913"},
		{"St. Louis", "MO", "Missouri", "631", "314"},
		{"Omaha", "NE", "Nebraska", "681", "402"},
		{"Des Moines", "IA", "Iowa", "503", "515"},
		{"Tulsa", "OK", "Oklahoma", "741", "918"},
		{"Denver", "CO", "Colorado", "802", "303"},
		{"Nashville", "TN", "Tennessee", "372", "615"},
		{"Columbia", "MO", "Missouri", "652", "573"},
		{"Wichita", "KS", "Kansas", "672", "316"},
		{"Little Rock", "AR", "Arkansas", "722", "501"},
		{"Lincoln", "NE", "Nebraska", "685", "402"},
		{"Springfield", "IL", "Illinois", "627", "217"},
	}
	demoQualifications = []demoQualification{
		{"MD", "Board of Medicine", "Dr.", "MD"},
		{"RN", "Board of Nursing", "", "RN"},
		{"DO", "Board of Medicine", "Dr.", "DO"},
		{"NP", "Board of Nursing", "", "NP"},
		{"PA", "Board of Medicine", "", "PA-C"},
		{"RPH", "Board of Pharmacy", "", "RPh"},
		{"LCSW", "Board of Social Work", "", "LCSW"},
	}
)

// demoCity is a city of the demo addresses with the first digits of its ZIP codes and its
// telephone area code.
type demoCity struct {
	name, state, stateName, zipPrefix, areaCode string
}

// demoQualification is a licence of the demo records with the name prefix and suffix it gives.
type demoQualification struct {
	code, board, prefix, suffix string
}

// demoPersonnel returns n demo personnel records, the same on every call.
func demoPersonnel(n int) []personnel {
	records := make([]personnel, n)
	for i := range records {
		records[i] = demoRecord(i)
	}
	return records
}

// demoRecord builds the demo record at index i. Each stride through a list is coprime with the
// list's length, so every entry is used equally often and neighbouring records differ.
func demoRecord(i int) personnel {
	city := demoCities[(i*5)%len(demoCities)]
	licence := demoQualifications[(i*3)%len(demoQualifications)]
	name := demoName(i, licence)
	username := demoUsername(name, i)
	// Records are created 26 hours apart. The days are added as dates because a Duration
	// overflows past 292 years, which the last of MaxRecords records would reach.
	hours := i * 26
	created := time.Date(2019, time.March, 4, 14, 0, 0, 0, time.UTC).AddDate(0, 0, hours/24).Add(time.Duration(hours%24) * time.Hour)

	p := personnel{
		ID:             nameUUID(fmt.Sprintf("personnel/%d", i)),
		BirthDate:      time.Date(1950, time.January, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (i*1237)%16000).Format(time.DateOnly),
		Gender:         demoGender(i),
		Name:           name,
		Addresses:      []address{demoAddress(i, city)},
		Aliases:        demoAliases(i, username),
		Telecoms:       demoTelecoms(i, city, username),
		Languages:      demoLanguages(i),
		Qualifications: []qualification{demoLicence(i, licence, city)},
		CreatedAt:      formatTimestamp(created),
		UpdatedAt:      formatTimestamp(created.Add(time.Duration(i%11) * 73 * time.Hour)),
	}
	p.normalize()
	return p
}

// demoName alternates female and male given names. Two records in three have a middle name,
// which is never the same as the given name.
func demoName(i int, licence demoQualification) personName {
	names := femaleNames
	if i%2 == 1 {
		names = maleNames
	}
	name := personName{
		Prefix: licence.prefix,
		Given:  []string{names[(i/2)%len(names)]},
		Family: familyNames[(i*7)%len(familyNames)],
		Suffix: licence.suffix,
	}
	if i%3 != 0 {
		name.Middle = names[(i/2+7)%len(names)]
	}
	return name
}

// demoGender follows the given name, except that every 19th record is UNKNOWN.
func demoGender(i int) string {
	switch {
	case i%19 == 18:
		return "UNKNOWN"
	case i%2 == 0:
		return "FEMALE"
	}
	return "MALE"
}

// demoUsername returns the first initial and family name in lower case, followed by the index,
// which makes it unique.
func demoUsername(name personName, i int) string {
	return strings.ToLower(name.Given[0][:1]+name.Family) + fmt.Sprintf("%03d", i)
}

func demoAddress(i int, city demoCity) address {
	line := fmt.Sprintf("%d %s", 100+(i*37)%9800, streets[(i*3)%len(streets)])
	postalCode := fmt.Sprintf("%s%02d", city.zipPrefix, (i*13)%100)
	return address{
		Use:        "WORK",
		Text:       fmt.Sprintf("%s, %s, %s %s", line, city.name, city.state, postalCode),
		Lines:      []string{line},
		City:       city.name,
		State:      city.state,
		PostalCode: postalCode,
		Country:    "US",
	}
}

// demoAliases gives every record an NPI and a username, and every third record an SPI. The
// index makes each value unique within its system.
func demoAliases(i int, username string) []alias {
	aliases := []alias{
		{Value: fmt.Sprintf("1%09d", 100000000+i*7919), System: npiSystem, Type: "EXTERNAL"},
		{Value: username, System: userSystem, Type: "USER"},
	}
	if i%3 == 0 {
		aliases = append(aliases, alias{Value: fmt.Sprintf("%d", 700000+i), System: spiSystem, Type: "SPI"})
	}
	return aliases
}

// demoTelecoms uses the 555-0100 to 555-0199 range, which North American numbering reserves
// for fictional use, and the example.org domain of RFC 2606.
func demoTelecoms(i int, city demoCity, username string) []telecom {
	return []telecom{
		{System: "PHONE", Value: fmt.Sprintf("+1%s5550%03d", city.areaCode, 100+i%100)},
		{System: "EMAIL", Value: username + "@example.org"},
	}
}

// demoLanguages gives every record English, every fifth Spanish and every thirteenth
// Vietnamese, as ISO 639-1 codes.
func demoLanguages(i int) []string {
	languages := []string{"en"}
	if i%5 == 0 {
		languages = append(languages, "es")
	}
	if i%13 == 0 {
		languages = append(languages, "vi")
	}
	return languages
}

// demoLicence starts between 2000 and 2019. Every fourth licence has ended.
func demoLicence(i int, licence demoQualification, city demoCity) qualification {
	start := time.Date(2000, time.July, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (i*113)%7000)
	q := qualification{
		Code:   licence.code,
		Issuer: city.stateName + " " + licence.board,
		Start:  start.Format(time.DateOnly),
	}
	if i%4 == 0 {
		q.End = start.AddDate(3, 0, 0).Format(time.DateOnly)
	}
	return q
}
