package httpx

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// fuzzReadFile replaces the file reader of @FILE. The file body.txt exists and no other does.
func fuzzReadFile(name string) ([]byte, error) {
	if name == "body.txt" {
		return []byte("file contents\n"), nil
	}
	return nil, errors.New("no such file")
}

// jsonValueAt follows path through objects decoded from JSON.
func jsonValueAt(v any, path []string) (any, bool) {
	for _, name := range path {
		object, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = object[name]; !ok {
			return nil, false
		}
	}
	return v, true
}

func FuzzParseField(f *testing.F) {
	f.Add("name=Ada", true)
	f.Add("name[given][]=Ada", false)
	f.Add("age=36", true)
	f.Add("n=-1.5e3", true)
	f.Add("ok=null", true)
	f.Add("note=@body.txt", true)
	f.Add("note=@missing", true)
	f.Add("a[b]c=1", false)
	f.Add("a[]b=1", true)
	f.Add("[x]=1", false)
	f.Add("a]=1", false)
	f.Add("a[[b]]=1", false)
	f.Add("=", false)
	f.Add("a=b=c&d", false)
	f.Add("k=<&>\u2028", true)
	f.Fuzz(func(t *testing.T, item string, typed bool) {
		field, err := ParseField(item, typed, fuzzReadFile)
		if err != nil {
			var fieldErr *FieldError
			if !errors.As(err, &fieldErr) {
				t.Fatalf("ParseField(%q) error %v is not a *FieldError", item, err)
			}
			return
		}
		if len(field.Path) == 0 || field.Path[0] == "" {
			t.Fatalf("ParseField(%q) returned an empty path", item)
		}
		if !utf8.ValidString(field.Key) {
			// NOTE: ParseField accepts a key that is not valid UTF-8, and the JSON encoder
			// then replaces the invalid bytes with U+FFFD, so the body names another member.
			return
		}

		body, err := BuildJSON([]Field{field})
		if err != nil {
			t.Fatalf("BuildJSON of the single field %q: %v", item, err)
		}
		if !json.Valid(body) {
			t.Fatalf("BuildJSON of %q = %q, which is not valid JSON", item, body)
		}
		var decoded any
		decoder := json.NewDecoder(strings.NewReader(string(body)))
		decoder.UseNumber()
		if err := decoder.Decode(&decoded); err != nil {
			t.Fatal(err)
		}
		got, ok := jsonValueAt(decoded, field.Path)
		if !ok {
			t.Fatalf("BuildJSON of %q = %s has nothing at %q", item, body, field.Path)
		}
		if field.Append {
			list, isList := got.([]any)
			if !isList || len(list) != 1 {
				t.Fatalf("BuildJSON of %q = %s, want a one-element array at %q", item, body, field.Path)
			}
			got = list[0]
		}
		if text, isText := field.Value.(string); !isText || utf8.ValidString(text) {
			if !reflect.DeepEqual(got, field.Value) {
				t.Fatalf("BuildJSON of %q = %s holds %#v, want %#v", item, body, got, field.Value)
			}
		}

		form, err := url.ParseQuery(string(FormBody([]Field{field})))
		if err != nil || form.Get(field.Key) != field.Text {
			t.Fatalf("FormBody of %q decodes to %v, %v; want %s=%q", item, form, err, field.Key, field.Text)
		}
	})
}

func FuzzDownloadName(f *testing.F) {
	f.Add(`attachment; filename="export.tar.gz"`, "/data-syndication/v1/downloads/1")
	f.Add(`attachment; filename*=UTF-8''%E2%82%AC%20rates.csv`, "/x")
	f.Add(`attachment; filename="../../etc/passwd"`, "/x")
	f.Add(`attachment; filename="..\\..\\boot.ini"`, "/x")
	f.Add(`attachment; filename=".."`, "/..")
	f.Add(`attachment; filename=" . "`, "/.bashrc")
	f.Add(`attachment; filename="a\x00b\nc"`, "/")
	f.Add(`inline`, "/dir/")
	f.Add(`attachment; filename="`+strings.Repeat("é", 200)+`"`, "")
	f.Add(`attachment; filename*=UTF-8''%C0%AF`, "/%2e%2e")
	f.Fuzz(func(t *testing.T, disposition, path string) {
		resp := &http.Response{Header: http.Header{"Content-Disposition": {disposition}},
			Request: &http.Request{URL: &url.URL{Path: path}}}
		name := DownloadName(resp)
		if name == "" {
			return
		}
		if !filepath.IsLocal(name) || filepath.Base(name) != name || strings.ContainsAny(name, `/\`) {
			t.Fatalf("DownloadName(%q, %q) = %q, which is not a plain name in the current directory", disposition, path, name)
		}
		if strings.HasPrefix(name, ".") || len(name) > 255 || !utf8.ValidString(name) {
			t.Fatalf("DownloadName(%q, %q) = %q: hidden, longer than 255 bytes or not UTF-8", disposition, path, name)
		}
		if i := strings.IndexFunc(name, unicode.IsControl); i >= 0 {
			t.Fatalf("DownloadName(%q, %q) = %q contains a control character", disposition, path, name)
		}
	})
}

func FuzzCheckLink(f *testing.F) {
	f.Add("https://cernerdemo.api.us-1.healtheintent.com/personnel/v1/personnel?offset=20&limit=20")
	f.Add("/personnel/v1/personnel?offset=40")
	f.Add("?offset=60#frag")
	f.Add("https://evil.example/personnel/v1/personnel?offset=20")
	f.Add("//evil.example/p")
	f.Add("http://cernerdemo.api.us-1.healtheintent.com/p")
	f.Add("https://cernerdemo.api.us-1.healtheintent.com:8443/p")
	f.Add("https://user@cernerdemo.api.us-1.healtheintent.com.evil.example/p")
	f.Add("HTTPS://CERNERDEMO.API.US-1.HEALTHEINTENT.COM/p")
	f.Add("https:opaque")
	f.Add("%zz")
	base, _ := url.Parse("https://cernerdemo.api.us-1.healtheintent.com")
	page, _ := url.Parse("https://cernerdemo.api.us-1.healtheintent.com/personnel/v1/personnel?offset=0&limit=20")
	f.Fuzz(func(t *testing.T, link string) {
		p := &Pager{Host: base, MaxPages: 10}
		seen := map[string]bool{page.String(): true}
		next, err := p.checkLink(page, link, 1, seen)
		if err != nil {
			return
		}
		if !strings.EqualFold(next.Scheme, base.Scheme) || !strings.EqualFold(next.Host, base.Host) {
			t.Fatalf("checkLink(%q) followed %q, off the profile's host %s", link, next, base)
		}
		if _, err := p.checkLink(page, link, 2, seen); err == nil {
			t.Fatalf("checkLink(%q) accepted the same page twice", link)
		}
	})
}
