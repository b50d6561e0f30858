// Package config loads, validates and saves hi's profiles, and resolves the settings of one
// invocation from flags, environment, the selected profile and defaults.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/hi-cli/hi/internal/atomicfile"
)

// Storage values name where a profile's secrets are kept.
const (
	StorageKeyring = "keyring"
	StorageFile    = "file"
)

// Profile is one named tenant connection. It never holds a secret.
type Profile struct {
	Name            string `yaml:"name"`
	Tenant          string `yaml:"tenant,omitempty"`
	Region          string `yaml:"region,omitempty"`
	BaseURL         string `yaml:"base-url,omitempty"`
	Auth            string `yaml:"auth,omitempty"`
	ConsumerKey     string `yaml:"consumer-key,omitempty"`
	AccessTokenURL  string `yaml:"access-token-url,omitempty"`
	SignatureMethod string `yaml:"signature-method,omitempty"`
	Timeout         string `yaml:"timeout,omitempty"`
	Storage         string `yaml:"storage,omitempty"`
}

// File is the content of the config file. Profiles are a list rather than a map so that
// names keep their exact spelling: "Dev-EU" and "dev-eu" are two profiles.
type File struct {
	CurrentProfile string    `yaml:"current-profile,omitempty"`
	Profiles       []Profile `yaml:"profiles,omitempty"`
}

// Profile returns the profile with exactly this name.
func (f *File) Profile(name string) (*Profile, bool) {
	for i := range f.Profiles {
		if f.Profiles[i].Name == name {
			return &f.Profiles[i], true
		}
	}
	return nil, false
}

// Names returns the profile names in file order.
func (f *File) Names() []string {
	names := make([]string, 0, len(f.Profiles))
	for _, p := range f.Profiles {
		names = append(names, p.Name)
	}
	return names
}

// Put adds p or replaces the profile of the same name. The first profile becomes current.
func (f *File) Put(p Profile) {
	if old, ok := f.Profile(p.Name); ok {
		*old = p
	} else {
		f.Profiles = append(f.Profiles, p)
	}
	if f.CurrentProfile == "" {
		f.CurrentProfile = p.Name
	}
}

// Remove deletes the named profile and reports whether it existed. Removing the current
// profile leaves no current profile.
func (f *File) Remove(name string) bool {
	i := slices.IndexFunc(f.Profiles, func(p Profile) bool { return p.Name == name })
	if i < 0 {
		return false
	}
	f.Profiles = slices.Delete(f.Profiles, i, i+1)
	if f.CurrentProfile == name {
		f.CurrentProfile = ""
	}
	return true
}

// DefaultPath returns $XDG_CONFIG_HOME/hi/config.yaml when XDG_CONFIG_HOME is set, on every
// platform, else <user config dir>/hi/config.yaml: ~/.config/hi on Linux, ~/Library/Application
// Support/hi on macOS, %AppData%\hi on Windows. Like the XDG Base Directory specification, it
// rejects a relative XDG_CONFIG_HOME.
func DefaultPath() (string, error) {
	if dir := os.Getenv("XDG_CONFIG_HOME"); dir != "" {
		if !filepath.IsAbs(dir) {
			return "", fmt.Errorf("invalid XDG_CONFIG_HOME %q: use an absolute path, or set HI_CONFIG to a file path", dir)
		}
		return filepath.Join(dir, "hi", "config.yaml"), nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the user config directory: %w (set HI_CONFIG to a file path)", err)
	}
	return filepath.Join(dir, "hi", "config.yaml"), nil
}

// Load reads the config file at path. A missing file is an empty configuration. A file that
// Parse rejects is an error, so a damaged file is never mistaken for an empty one and then
// overwritten.
func Load(path string) (*File, error) {
	data, err := readLimited(path, MaxFileSize)
	if errors.Is(err, fs.ErrNotExist) {
		return &File{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read config file: %w", err)
	}
	f, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("config file %s: %w (fix or remove the file)", path, err)
	}
	return f, nil
}

// MaxFileSize bounds the config file hi reads. A real one is a few kilobytes; the bound
// keeps a mistaken HI_CONFIG such as /dev/zero from exhausting memory.
const MaxFileSize = 1 << 20

// readLimited reads the file at path, failing when it holds more than limit bytes.
func readLimited(path string, limit int64) ([]byte, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes, so it is not a hi config file: check HI_CONFIG or --config", path, limit)
	}
	return data, nil
}

// Parse decodes the content of a config file. Content with nothing but whitespace and
// comments is an empty configuration. Anything else must be one YAML document whose top
// level is a mapping of the known keys, and whose profiles have valid, distinct names.
// Parse returns an error for any other content.
func Parse(data []byte) (*File, error) {
	var doc yaml.Node
	decoder := yaml.NewDecoder(bytes.NewReader(data))
	err := decoder.Decode(&doc)
	if errors.Is(err, io.EOF) {
		return &File{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("invalid YAML: %w", err)
	}
	if err := decoder.Decode(new(yaml.Node)); !errors.Is(err, io.EOF) {
		return nil, errors.New("invalid content: more than one YAML document")
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("invalid content: the top level is not a mapping of settings")
	}

	// yaml.Node.Decode accepts unknown keys, so they are looked for in the tree first.
	// Decoding the tree rather than the text again saves a second parse of the file.
	if err := checkKnownKeys(doc.Content[0], reflect.TypeFor[File]()); err != nil {
		return nil, fmt.Errorf("invalid content: %w", err)
	}
	var f File
	if err := doc.Content[0].Decode(&f); err != nil {
		return nil, fmt.Errorf("invalid content: %w", err)
	}
	if err := f.validate(); err != nil {
		return nil, err
	}
	return &f, nil
}

// checkKnownKeys returns an error for the first mapping key in node that names no field of
// the struct type t, at any depth, as the KnownFields option of a yaml.Decoder does. A merge
// key (<<) brings in the keys of the mappings it names, which are checked in turn. Other
// mismatches between node and t are left to the decoder.
func checkKnownKeys(node *yaml.Node, t reflect.Type) error {
	return keyChecker{seen: map[checkedNode]bool{}}.check(node, t)
}

// keyChecker walks a node tree for checkKnownKeys. seen holds each node already checked
// against a type, so that aliases cost one visit however often they are named: a few nested
// merge keys would otherwise multiply the walk, and an alias to a node's own ancestor would
// loop. The decoder then rejects excessive aliasing and nodes that contain themselves.
type keyChecker struct {
	seen map[checkedNode]bool
}

// checkedNode is a node checked against a type.
type checkedNode struct {
	node *yaml.Node
	t    reflect.Type
}

func (c keyChecker) check(node *yaml.Node, t reflect.Type) error {
	node = resolveAlias(node)
	if c.seen[checkedNode{node, t}] {
		return nil
	}
	c.seen[checkedNode{node, t}] = true
	switch {
	case t.Kind() == reflect.Struct && node.Kind == yaml.MappingNode:
		fields := map[string]reflect.Type{}
		for field := range t.Fields() {
			name, _, _ := strings.Cut(field.Tag.Get("yaml"), ",")
			if name == "" {
				name = strings.ToLower(field.Name)
			}
			fields[name] = field.Type
		}
		for i := 0; i+1 < len(node.Content); i += 2 {
			key, value := resolveAlias(node.Content[i]), node.Content[i+1]
			where := "at the top level"
			if t != reflect.TypeFor[File]() {
				where = "in a " + strings.ToLower(t.Name())
			}
			if key.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: a key that is not a string %s", key.Line, where)
			}
			switch key.ShortTag() {
			case "!!merge":
				if err := c.checkMerged(value, t); err != nil {
					return err
				}
				continue
			case "!!null":
				// The decoder skips a null key and its value.
				continue
			}
			var name string
			if key.Decode(&name) != nil {
				name = key.Value
			}
			fieldType, ok := fields[name]
			if !ok {
				return fmt.Errorf("line %d: unknown key %q %s", key.Line, name, where)
			}
			if err := c.check(value, fieldType); err != nil {
				return err
			}
		}
	case t.Kind() == reflect.Slice && node.Kind == yaml.SequenceNode:
		for _, item := range node.Content {
			if err := c.check(item, t.Elem()); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkMerged checks the value of a merge key: a mapping, or a sequence of mappings.
func (c keyChecker) checkMerged(value *yaml.Node, t reflect.Type) error {
	value = resolveAlias(value)
	if value.Kind != yaml.SequenceNode {
		return c.check(value, t)
	}
	for _, item := range value.Content {
		if err := c.check(item, t); err != nil {
			return err
		}
	}
	return nil
}

// resolveAlias returns the node that an alias node stands for, or node itself.
func resolveAlias(node *yaml.Node) *yaml.Node {
	for node.Kind == yaml.AliasNode && node.Alias != nil {
		node = node.Alias
	}
	return node
}

func (f *File) validate() error {
	seen := map[string]bool{}
	for _, p := range f.Profiles {
		if err := ValidateProfileName(p.Name); err != nil {
			return err
		}
		if seen[p.Name] {
			return fmt.Errorf("profile %q appears twice", p.Name)
		}
		seen[p.Name] = true
	}
	return nil
}

// Save writes f to path atomically with mode 0600 in a 0700 directory. hook, when non-nil,
// runs between writing the temporary file and renaming it (see atomicfile.Write).
func Save(path string, f *File, hook atomicfile.BeforeRename) error {
	data, err := yaml.Marshal(f)
	if err != nil {
		return fmt.Errorf("encode config: %w", err)
	}
	return atomicfile.Write(path, data, 0o600, hook)
}

// Update loads the file at path under an exclusive lock, applies change and saves the
// result, so parallel invocations never lose each other's changes. When change returns an
// error nothing is written. It first removes the temporary files of writes that were killed
// before their rename. hook is passed to Save.
func Update(path string, change func(*File) error, hook atomicfile.BeforeRename) error {
	unlock, err := atomicfile.Lock(path)
	if err != nil {
		return err
	}
	defer unlock()
	if err := atomicfile.RemoveTemporary(path); err != nil {
		return err
	}

	f, err := Load(path)
	if err != nil {
		return err
	}
	if err := change(f); err != nil {
		return err
	}
	return Save(path, f, hook)
}
