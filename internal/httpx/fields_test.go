package httpx

import (
	"errors"
	"io/fs"
	"testing"
)

func readTestFile(name string) ([]byte, error) {
	if name == "note.txt" {
		return []byte("line one\nline two"), nil
	}
	return nil, fs.ErrNotExist
}

// field is one item for the tests, as -f (typed false) or -F.
type field struct {
	item  string
	typed bool
}

func parseAll(t *testing.T, items []field) ([]Field, error) {
	t.Helper()
	var fields []Field
	for _, it := range items {
		f, err := ParseField(it.item, it.typed, readTestFile)
		if err != nil {
			return nil, err
		}
		fields = append(fields, f)
	}
	return fields, nil
}

func TestBuildJSON(t *testing.T) {
	cases := []struct {
		name   string
		fields []field
		want   string
	}{
		{name: "strings stay strings", fields: []field{{"n=1", false}, {"b=true", false}},
			want: `{"n":"1","b":"true"}`},
		{name: "typed values converted", fields: []field{{"n=1", true}, {"f=-2.5e3", true}, {"t=true", true},
			{"x=false", true}, {"z=null", true}, {"s=hello", true}, {"e=", true}},
			want: `{"n":1,"f":-2.5e3,"t":true,"x":false,"z":null,"s":"hello","e":""}`},
		{name: "not json numbers stay strings", fields: []field{{"a=007", true}, {"b=+1", true}, {"c=1.", true}, {"d=NaN", true}},
			want: `{"a":"007","b":"+1","c":"1.","d":"NaN"}`},
		{name: "file contents as string", fields: []field{{"note=@note.txt", true}},
			want: `{"note":"line one\nline two"}`},
		{name: "raw field keeps at sign", fields: []field{{"handle=@me", false}}, want: `{"handle":"@me"}`},
		{name: "arrays append in order", fields: []field{{"tags[]=a", false}, {"tags[]=2", true}, {"tags[]=c", false}},
			want: `{"tags":["a",2,"c"]}`},
		{name: "nested objects", fields: []field{{"name[family]=Doe", false}, {"name[given][]=Jane", false},
			{"name[given][]=Ann", false}, {"active=true", true}},
			want: `{"name":{"family":"Doe","given":["Jane","Ann"]},"active":true}`},
		{name: "value keeps equals signs", fields: []field{{"q=a=b", false}}, want: `{"q":"a=b"}`},
		{name: "html characters unescaped", fields: []field{{"q=<a&b>", false}}, want: `{"q":"<a&b>"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fields, err := parseAll(t, tc.fields)
			if err != nil {
				t.Fatal(err)
			}
			got, err := BuildJSON(fields)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("body = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestFieldErrors(t *testing.T) {
	cases := []struct {
		name   string
		fields []field
		want   string
	}{
		{name: "no equals sign", fields: []field{{"name", false}},
			want: `invalid field "name" in -f: use key=value`},
		{name: "empty key", fields: []field{{"=x", true}},
			want: `invalid field "=x" in -F: the key is empty before the brackets or =`},
		{name: "unclosed bracket", fields: []field{{"a[b=1", false}},
			want: `invalid field "a[b=1" in -f: missing ] in the key: use key, key[], key[sub] or key[sub][]`},
		{name: "stray closing bracket", fields: []field{{"a]b=1", false}},
			want: `invalid field "a]b=1" in -f: unbalanced ] in the key: use key, key[], key[sub] or key[sub][]`},
		{name: "text after bracket", fields: []field{{"a[b]c=1", false}},
			want: `invalid field "a[b]c=1" in -f: text after a ] in the key: use key, key[], key[sub] or key[sub][]`},
		{name: "array not last", fields: []field{{"a[][b]=1", false}},
			want: `invalid field "a[][b]=1" in -f: [] must end the key: use key, key[], key[sub] or key[sub][]`},
		{name: "missing file", fields: []field{{"a=@gone.txt", true}},
			want: `invalid field "a=@gone.txt" in -F: cannot read gone.txt: file does not exist`},
		{name: "key set twice", fields: []field{{"a=1", false}, {"a=2", true}},
			want: `invalid field "a=2" in -F: a is set twice; use key[]=value to build an array`},
		{name: "value then object", fields: []field{{"a=1", false}, {"a[b]=2", false}},
			want: `invalid field "a[b]=2" in -f: a is already set to a value that is not an object`},
		{name: "object then array", fields: []field{{"a[b]=1", false}, {"a[]=2", false}},
			want: `invalid field "a[]=2" in -f: a is already set to a value that is not an array`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fields, err := parseAll(t, tc.fields)
			if err == nil {
				_, err = BuildJSON(fields)
			}
			var fieldErr *FieldError
			if !errors.As(err, &fieldErr) {
				t.Fatalf("error = %v, want a *FieldError", err)
			}
			if err.Error() != tc.want {
				t.Errorf("error = %q, want %q", err.Error(), tc.want)
			}
		})
	}
}

func TestFieldsAsQueryAndForm(t *testing.T) {
	fields, err := parseAll(t, []field{{"limit=5", true}, {"name=a b", false}, {"ids[]=1", false}, {"ids[]=2", false}})
	if err != nil {
		t.Fatal(err)
	}
	items := QueryItems(fields)
	want := []string{"limit=5", "name=a b", "ids[]=1", "ids[]=2"}
	for i := range want {
		if items[i] != want[i] {
			t.Errorf("query item %d = %q, want %q", i, items[i], want[i])
		}
	}
	if got := string(FormBody(fields)); got != "ids%5B%5D=1&ids%5B%5D=2&limit=5&name=a+b" {
		t.Errorf("form body = %q", got)
	}
}
