package httpx

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// Field is one key=value item of -f (a string) or -F (a typed value). Its key is a name
// followed by [sub] parts for nested objects and an optional final [] that appends to an
// array: "name", "tags[]", "name[family]", "name[given][]".
type Field struct {
	// Flag is the flag that gave the field: "-f" or "-F".
	Flag string
	// Item is the key=value item as given.
	Item string
	// Key is the key as written.
	Key string
	// Path is the name followed by the names inside the brackets.
	Path []string
	// Append is set when the key ends in [].
	Append bool
	// Value is a string, json.Number, bool or nil.
	Value any
	// Text is the value as sent in a query string or form: the text after "=", or the
	// contents of the file for @FILE.
	Text string
}

// FieldError is a field that cannot be parsed or does not fit with the fields before it.
type FieldError struct {
	Flag   string // "-f" or "-F"
	Item   string
	Reason string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("invalid field %q in %s: %s", e.Item, e.Flag, e.Reason)
}

// jsonNumber matches the number grammar of RFC 8259 section 6. It is compiled on first use,
// so that commands without -F pay nothing for it at start-up.
var jsonNumber = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)
})

// ParseField parses one -f item (typed false) or -F item (typed true). For -F, true, false
// and null are JSON literals, a JSON number is a number, and @FILE is the contents of FILE
// as a string, read with readFile (@- names standard input). Anything else is a string.
func ParseField(item string, typed bool, readFile func(name string) ([]byte, error)) (Field, error) {
	flag := "-f"
	if typed {
		flag = "-F"
	}
	fail := func(reason string) (Field, error) {
		return Field{}, &FieldError{Flag: flag, Item: item, Reason: reason}
	}
	key, text, ok := strings.Cut(item, "=")
	if !ok {
		return fail("use key=value")
	}
	path, appendItem, err := parseFieldKey(key)
	if err != nil {
		return fail(err.Error())
	}
	f := Field{Flag: flag, Item: item, Key: key, Path: path, Append: appendItem, Value: text, Text: text}
	if !typed {
		return f, nil
	}
	switch {
	case text == "true", text == "false":
		f.Value = text == "true"
	case text == "null":
		f.Value = nil
	case jsonNumber().MatchString(text):
		f.Value = json.Number(text)
	case strings.HasPrefix(text, "@"):
		contents, err := readFile(text[1:])
		if err != nil {
			return fail(fmt.Sprintf("cannot read %s: %v", text[1:], err))
		}
		f.Value, f.Text = string(contents), string(contents)
	}
	return f, nil
}

// parseFieldKey splits a key such as name[given][] into its path and whether it appends.
func parseFieldKey(key string) ([]string, bool, error) {
	const syntax = "use key, key[], key[sub] or key[sub][]"
	name, rest, _ := strings.Cut(key, "[")
	if name == "" {
		return nil, false, fmt.Errorf("the key is empty before the brackets or =")
	}
	if strings.Contains(name, "]") {
		return nil, false, fmt.Errorf("unbalanced ] in the key: %s", syntax)
	}
	path := []string{name}
	if !strings.Contains(key, "[") {
		return path, false, nil
	}
	rest = "[" + rest
	for rest != "" {
		if !strings.HasPrefix(rest, "[") {
			return nil, false, fmt.Errorf("text after a ] in the key: %s", syntax)
		}
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return nil, false, fmt.Errorf("missing ] in the key: %s", syntax)
		}
		part := rest[1:end]
		rest = rest[end+1:]
		if strings.Contains(part, "[") {
			return nil, false, fmt.Errorf("nested [ in the key: %s", syntax)
		}
		if part == "" {
			if rest != "" {
				return nil, false, fmt.Errorf("[] must end the key: %s", syntax)
			}
			return path, true, nil
		}
		path = append(path, part)
	}
	return path, false, nil
}

// BuildJSON returns the JSON object that fields describe, with members in the order the
// fields first name them. A key that is set twice, or used both as a value and as an object
// or array, is an error.
func BuildJSON(fields []Field) ([]byte, error) {
	root := newObject()
	for _, f := range fields {
		if err := root.set(f); err != nil {
			return nil, &FieldError{Flag: f.Flag, Item: f.Item, Reason: err.Error()}
		}
	}
	return marshalJSON(root)
}

// QueryItems returns fields as key=value items for a query string or form, keys as written.
func QueryItems(fields []Field) []string {
	items := make([]string, len(fields))
	for i, f := range fields {
		items[i] = f.Key + "=" + f.Text
	}
	return items
}

// FormBody returns fields as an application/x-www-form-urlencoded body.
func FormBody(fields []Field) []byte {
	values := url.Values{}
	for _, f := range fields {
		values.Add(f.Key, f.Text)
	}
	return []byte(values.Encode())
}

// object is a JSON object that keeps its members in insertion order.
type object struct {
	keys   []string
	values map[string]any
}

func newObject() *object { return &object{values: map[string]any{}} }

// set stores f's value under f.Path, creating objects and arrays on the way.
func (o *object) set(f Field) error {
	current := o
	for i, name := range f.Path[:len(f.Path)-1] {
		existing, ok := current.values[name]
		if !ok {
			child := newObject()
			current.put(name, child)
			current = child
			continue
		}
		child, isObject := existing.(*object)
		if !isObject {
			return fmt.Errorf("%s is already set to a value that is not an object", strings.Join(f.Path[:i+1], "."))
		}
		current = child
	}

	name := f.Path[len(f.Path)-1]
	existing, ok := current.values[name]
	switch {
	case f.Append && !ok:
		current.put(name, &[]any{f.Value})
	case f.Append:
		list, isArray := existing.(*[]any)
		if !isArray {
			return fmt.Errorf("%s is already set to a value that is not an array", strings.Join(f.Path, "."))
		}
		*list = append(*list, f.Value)
	case ok:
		return fmt.Errorf("%s is set twice; use key[]=value to build an array", strings.Join(f.Path, "."))
	default:
		current.put(name, f.Value)
	}
	return nil
}

func (o *object) put(name string, v any) {
	o.keys = append(o.keys, name)
	o.values[name] = v
}

// MarshalJSON writes the members in insertion order.
func (o *object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, key := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		name, err := marshalJSON(key)
		if err != nil {
			return nil, err
		}
		value, err := marshalJSON(o.values[key])
		if err != nil {
			return nil, err
		}
		b.Write(name)
		b.WriteByte(':')
		b.Write(value)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshalJSON encodes v like json.Marshal, but leaves <, > and & unescaped: the body is
// sent to an API, never embedded in HTML.
func marshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	encoder := json.NewEncoder(&b)
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
