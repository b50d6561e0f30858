package termtext

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{name: "plain text kept", in: "HTTP 404 Not Found", want: "HTTP 404 Not Found"},
		{name: "unicode kept", in: "naïve résumé ☃", want: "naïve résumé ☃"},
		{name: "tab kept", in: "a\tb", want: "a\tb"},
		{name: "escape sequence", in: "a\x1b[31mred", want: `a\x1b[31mred`},
		{name: "title sequence with bell", in: "\x1b]0;pwned\x07", want: `\x1b]0;pwned\a`},
		{name: "c1 control sequence introducer", in: "x\u009b31m", want: `x\u009b31m`},
		{name: "backspace", in: "ok\b\bno", want: `ok\b\bno`},
		{name: "carriage return", in: "ok\rno", want: `ok\rno`},
		{name: "newline", in: "one\ntwo", want: `one\ntwo`},
		{name: "delete", in: "a\x7fb", want: `a\x7fb`},
		{name: "nul", in: "a\x00b", want: `a\x00b`},
		{name: "invalid utf-8", in: "a\xffb\xc2", want: `a\xffb\xc2`},
		{name: "lone c1 byte", in: "a\x9bb", want: `a\x9bb`},
		{name: "replacement character kept", in: "a\ufffdb", want: "a\ufffdb"},
		{name: "backslash left alone", in: `C:\temp`, want: `C:\temp`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Line(tc.in); got != tc.want {
				t.Errorf("Line(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestText(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{name: "lines kept", in: "one\ntwo\n", want: "one\ntwo\n"},
		{name: "crlf line ends kept", in: "one\r\ntwo\r\n", want: "one\r\ntwo\r\n"},
		{name: "lone carriage return escaped", in: "safe\rEVIL\n", want: "safe\\rEVIL\n"},
		{name: "carriage return at the end escaped", in: "a\r", want: `a\r`},
		{name: "escape sequence", in: "<b>\x1b[2J</b>\n", want: "<b>\\x1b[2J</b>\n"},
		{name: "c1 control", in: "\u009d8;;http://x\u009c", want: `\u009d8;;http://x\u009c`},
		{name: "invalid utf-8", in: "caf\xe9\n", want: "caf\\xe9\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(Text([]byte(tc.in))); got != tc.want {
				t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestJSON(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{name: "pretty document kept", in: "{\n  \"a\": \"\\u001b[31m\"\n}\n", want: "{\n  \"a\": \"\\u001b[31m\"\n}\n"},
		{name: "c1 control in a string", in: `{"a":"x` + "\u009b" + `31m"}`, want: `{"a":"x\u009b31m"}`},
		{name: "c1 control in a key", in: `{"` + "\u0085" + `":1}`, want: `{"\u0085":1}`},
		{name: "delete", in: `["` + "\x7f" + `"]`, want: `["\u007f"]`},
		{name: "raw escape", in: `["` + "\x1b" + `"]`, want: `["\u001b"]`},
		{name: "invalid utf-8", in: `["caf` + "\xe9" + `"]`, want: `["caf\ufffd"]`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(JSON([]byte(tc.in))); got != tc.want {
				t.Errorf("JSON(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// unsafeAt returns the index of the first control character or invalid byte in s that is not
// in keep, or -1.
func unsafeAt(s, keep string) int {
	for i, r := range s {
		if r == utf8.RuneError && !strings.HasPrefix(s[i:], "\ufffd") {
			return i
		}
		if isControl(r) && !strings.ContainsRune(keep, r) {
			return i
		}
	}
	return -1
}

func FuzzEscape(f *testing.F) {
	for _, seed := range []string{
		"plain", "a\x1b[31mb", "\x1b]8;;http://x\x07link\x1b]8;;\x07", "x\u009b2J", "ok\rno\r\n",
		"\xff\xfe", "\xc2", "tab\there", `{"a":"` + "\u0085" + `"}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if i := unsafeAt(Line(in), "\t"); i >= 0 {
			t.Fatalf("Line(%q) = %q keeps a control character at %d", in, Line(in), i)
		}
		text := string(Text([]byte(in)))
		if i := unsafeAt(strings.ReplaceAll(text, "\r\n", "\n"), "\t\n"); i >= 0 {
			t.Fatalf("Text(%q) = %q keeps a control character at %d", in, text, i)
		}
		escaped := JSON([]byte(in))
		if i := unsafeAt(string(escaped), "\n"); i >= 0 {
			t.Fatalf("JSON(%q) = %q keeps a control character at %d", in, escaped, i)
		}
		if json.Valid([]byte(in)) && utf8.ValidString(in) && !strings.ContainsAny(in, "\t\r") {
			if !json.Valid(escaped) {
				t.Fatalf("JSON(%q) = %q is no longer valid JSON", in, escaped)
			}
			if before, after := decodeJSON(t, []byte(in)), decodeJSON(t, escaped); !reflect.DeepEqual(before, after) {
				t.Fatalf("JSON(%q) = %q changed the value from %#v to %#v", in, escaped, before, after)
			}
		}
	})
}

// decodeJSON decodes a valid JSON document, keeping numbers as text so that a number too
// large for a float64 still decodes.
func decodeJSON(t *testing.T, b []byte) any {
	t.Helper()
	decoder := json.NewDecoder(bytes.NewReader(b))
	decoder.UseNumber()
	var v any
	if err := decoder.Decode(&v); err != nil {
		t.Fatalf("decode %q: %v", b, err)
	}
	return v
}
