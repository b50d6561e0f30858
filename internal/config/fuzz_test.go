package config

import (
	"bytes"
	"encoding/binary"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"go.yaml.in/yaml/v3"
)

// blankConfig reports whether data has nothing but whitespace, comments and a byte order
// mark, the only content that Parse may read as an empty configuration. Like YAML, it reads
// UTF-16 when data starts with a UTF-16 byte order mark.
func blankConfig(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	for _, bom := range []struct {
		mark  string
		order binary.ByteOrder
	}{{"\xff\xfe", binary.LittleEndian}, {"\xfe\xff", binary.BigEndian}} {
		if rest, ok := bytes.CutPrefix(data, []byte(bom.mark)); ok {
			units := make([]uint16, len(rest)/2)
			for i := range units {
				units[i] = bom.order.Uint16(rest[2*i:])
			}
			data = []byte(string(utf16.Decode(units)))
		}
	}
	// YAML reads a byte order mark at the start of the stream as no content, however many
	// there are.
	for bytes.HasPrefix(data, []byte("\ufeff")) {
		data = data[len("\ufeff"):]
	}
	for line := range bytes.SplitSeq(data, []byte("\n")) {
		line = bytes.TrimLeft(line, " \t\r")
		if len(line) > 0 && line[0] != '#' {
			return false
		}
	}
	return true
}

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"",
		"{}\n",
		"# comment\n\n",
		"current-profile: cert\nprofiles:\n  - name: cert\n    tenant: cernerdemo\n    region: us-1\n" +
			"  - name: local\n    base-url: http://127.0.0.1:8080\n    auth: oauth1\n    consumer-key: k\n" +
			"    access-token-url: http://127.0.0.1:8080/oauth/access\n    signature-method: HMAC-SHA1\n" +
			"    timeout: 30s\n    storage: file\n",
		"profiles: []\n",
		"~\n",
		"---\n",
		"- a\n",
		"hello\n",
		"colour: red\n",
		"current-profile: a\n---\ncurrent-profile: b\n",
		"profiles:\n- name: a\n- name: a\n",
		"profiles: [\n",
		"current-profile: [1]\n",
		"a: &x [*x]\n",
		"current-profile: !!binary aGk=\n",
		"\xef\xbb\xbfcurrent-profile: a\n",
		"\x00\x01\xff",
		"profiles:\n- name: ../../etc\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data)
		if err != nil {
			return
		}
		if !blankConfig(data) {
			// Content that is not blank loads only as a mapping of the known keys.
			var generic map[string]any
			if err := yaml.Unmarshal(data, &generic); err != nil || generic == nil {
				t.Fatalf("Parse(%q) succeeded, but the content is not a YAML mapping (%v)", data, err)
			}
			for key := range generic {
				if key != "current-profile" && key != "profiles" {
					t.Fatalf("Parse(%q) succeeded with the unknown key %q", data, key)
				}
			}
		}

		// What Save writes must load back unchanged.
		saved, err := yaml.Marshal(file)
		if err != nil {
			t.Fatalf("Marshal(%+v): %v", file, err)
		}
		again, err := Parse(saved)
		if err != nil {
			t.Fatalf("Parse of the saved form %q of %q: %v", saved, data, err)
		}
		if resaved, _ := yaml.Marshal(again); !bytes.Equal(resaved, saved) {
			t.Fatalf("saving and loading changed %q into %q", saved, resaved)
		}
	})
}

func FuzzValidateProfileName(f *testing.F) {
	for _, seed := range []string{"default", "Dev-EU", "a.b_c-d", "", ".", "..", "../x", "a/b", `a\b`,
		"a:b", "a#1", "a b", "-a", strings.Repeat("a", 64), strings.Repeat("a", 65), "é", "a\x00"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if ValidateProfileName(name) != nil {
			return
		}
		// A valid name is safe as a file name (the token lock) and in a keyring entry name
		// (PROFILE:KIND, PROFILE:KIND#N).
		if len(name) < 1 || len(name) > 64 {
			t.Errorf("accepted name %q has length %d", name, len(name))
		}
		if filepath.Base(name) != name || name == "." || name == ".." || filepath.IsAbs(name) {
			t.Errorf("accepted name %q is not a plain file name", name)
		}
		if strings.ContainsAny(name, `:#/\ `) {
			t.Errorf("accepted name %q contains a separator", name)
		}
		for _, r := range name {
			if r < 0x20 || r > 0x7e {
				t.Errorf("accepted name %q contains the character %U", name, r)
			}
		}
	})
}

func FuzzTenantURL(f *testing.F) {
	f.Add("cernerdemo", "us-1")
	f.Add("cernerdemo", "us")
	f.Add("a", "emea-2")
	f.Add("evil.com#", "us-1")
	f.Add("x@evil", "us-1")
	f.Add("-a", "us-1")
	f.Add("a", "us-1.evil.com")
	f.Add(strings.Repeat("a", 63), "ap-1")
	f.Fuzz(func(t *testing.T, tenant, region string) {
		if ValidateTenant(tenant) != nil || ValidateRegion(region) != nil {
			return
		}
		raw := TenantURL(tenant, region)
		u, err := ParseBaseURL(raw)
		if err != nil {
			t.Fatalf("TenantURL(%q, %q) = %q, which ParseBaseURL rejects: %v", tenant, region, raw, err)
		}
		if region == "us" {
			region = DefaultRegion
		}
		if want := tenant + ".api." + region + ".healtheintent.com"; u.Scheme != "https" || u.Host != want || u.Path != "" {
			t.Fatalf("TenantURL(%q, %q) = %q, want https://%s", tenant, region, raw, want)
		}
	})
}

func FuzzParseBaseURL(f *testing.F) {
	for _, seed := range []string{
		"https://cernerdemo.api.us-1.healtheintent.com", "https://cernerdemo.api.us-1.healtheintent.com/",
		"http://127.0.0.1:8080", "http://localhost/base/", "http://[::1]:9/", "HTTP://LOCALHOST",
		"http://example.com", "http://127.0.0.1.evil.com", "http://127.0.0.1@evil.com", "https://u:p@h",
		"https://h/?q", "https://h/#f", "ftp://h", "https://", "https://h:99999", "https://h:", "https://h:0",
		"//h/p", "https://h/a%2Fb", "https://h/a b", "http://[::1%25lo]:1", "https://h\x00", "http://0x7f.1",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := ParseBaseURL(raw)
		if err != nil {
			return
		}
		if u.Scheme != "https" && u.Scheme != "http" {
			t.Errorf("ParseBaseURL(%q) accepted scheme %q", raw, u.Scheme)
		}
		if u.Hostname() == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
			t.Errorf("ParseBaseURL(%q) = %q: want a host and no user info, query or fragment", raw, u)
		}
		if u.Scheme == "http" && !IsLoopback(u.Hostname()) {
			t.Errorf("ParseBaseURL(%q) accepted plain http to %q, which is not a loopback host", raw, u.Hostname())
		}
		if port := u.Port(); port != "" || strings.HasSuffix(u.Host, ":") {
			if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
				t.Errorf("ParseBaseURL(%q) accepted port %q", raw, port)
			}
		}
		if host, _, err := net.SplitHostPort(u.Host); err == nil && host == "" {
			t.Errorf("ParseBaseURL(%q) accepted an empty host", raw)
		}
		if strings.HasSuffix(u.Path, "/") {
			t.Errorf("ParseBaseURL(%q) kept a trailing slash: %q", raw, u.Path)
		}

		// The stored form must parse to itself.
		again, err := ParseBaseURL(u.String())
		if err != nil || again.String() != u.String() {
			t.Errorf("ParseBaseURL(%q) = %q, which parses again to %v, %v", raw, u, again, err)
		}
	})
}
