package cmd

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/viper"

	"github.com/hi-cli/hi/internal/atomicfile"
	"github.com/hi-cli/hi/internal/auth"
	"github.com/hi-cli/hi/internal/config"
	"github.com/hi-cli/hi/internal/httpx"
	"github.com/hi-cli/hi/internal/iostreams"
	"github.com/hi-cli/hi/internal/sandbox"
)

// BuildInfo is the version stamp shown by hi version.
type BuildInfo struct {
	Version   string
	Commit    string
	Date      string
	GoVersion string
}

// Factory holds the dependencies shared by every command of one invocation.
type Factory struct {
	IO    *iostreams.IOStreams
	Viper *viper.Viper
	Build BuildInfo

	// Sandbox is set by the global --sandbox flag.
	Sandbox bool
	// KeyringTimeout bounds each keyring call.
	KeyringTimeout time.Duration
	// BeforeRename runs inside every atomic write of the config and credentials files; it
	// is nil unless the test hook HI_TEST_PAUSE_BEFORE_RENAME is set.
	BeforeRename atomicfile.BeforeRename

	sandboxServer *sandbox.Server
	// keyring is shared by every store of the invocation, so that a keyring that stopped
	// responding costs one timeout, not one per call.
	keyring  *auth.Keyring
	cleanups []func()

	interruptMu       sync.Mutex
	interruptCleanups map[int]func()
	// permissionsChecked records the files already checked by warnLoosePermissions.
	permissionsChecked map[string]bool
}

// NewFactory returns the dependencies for one invocation.
func NewFactory(io *iostreams.IOStreams, build BuildInfo) *Factory {
	f := &Factory{IO: io, Viper: config.NewViper(), Build: build, KeyringTimeout: auth.DefaultKeyringTimeout}
	if d, err := time.ParseDuration(os.Getenv("HI_KEYRING_TIMEOUT")); err == nil && d > 0 {
		f.KeyringTimeout = d
	}
	f.BeforeRename = pauseBeforeRename(os.Getenv("HI_TEST_PAUSE_BEFORE_RENAME"))
	return f
}

// maxTestPause bounds the pause of HI_TEST_PAUSE_BEFORE_RENAME, so that a forgotten
// setting slows hi down but never hangs it.
const maxTestPause = time.Minute

// pauseBeforeRename returns the hook of HI_TEST_PAUSE_BEFORE_RENAME=DURATION, or nil when
// value is empty or not a positive duration. The hook is for tests: it holds each atomic
// write with its temporary file complete but not yet renamed over the target, so that a
// test can kill hi at that moment. It changes nothing that is written.
func pauseBeforeRename(value string) atomicfile.BeforeRename {
	d, err := time.ParseDuration(value)
	if err != nil || d <= 0 {
		return nil
	}
	d = min(d, maxTestPause)
	return func(string) error {
		time.Sleep(d)
		return nil
	}
}

// OnInterrupt registers fn to run if the process is about to exit because of Ctrl-C or
// SIGTERM without the command having returned, and returns the function that unregisters it.
func (f *Factory) OnInterrupt(fn func()) (unregister func()) {
	f.interruptMu.Lock()
	defer f.interruptMu.Unlock()
	if f.interruptCleanups == nil {
		f.interruptCleanups = map[int]func(){}
	}
	id := len(f.interruptCleanups) + 1
	for f.interruptCleanups[id] != nil {
		id++
	}
	f.interruptCleanups[id] = fn
	return func() {
		f.interruptMu.Lock()
		defer f.interruptMu.Unlock()
		delete(f.interruptCleanups, id)
	}
}

// RunInterruptCleanups runs the functions registered with OnInterrupt. main calls it before
// it exits on a signal that the command did not return from in time.
func (f *Factory) RunInterruptCleanups() {
	f.interruptMu.Lock()
	cleanups := make([]func(), 0, len(f.interruptCleanups))
	for _, fn := range f.interruptCleanups {
		cleanups = append(cleanups, fn)
	}
	f.interruptMu.Unlock()
	for _, fn := range cleanups {
		fn()
	}
}

// Cleanup stops what the invocation started, such as an in-process sandbox.
func (f *Factory) Cleanup() {
	for i := len(f.cleanups) - 1; i >= 0; i-- {
		f.cleanups[i]()
	}
	f.cleanups = nil
}

// ConfigPath returns --config, else HI_CONFIG, else the default location.
func (f *Factory) ConfigPath() (string, error) {
	if p := f.Viper.GetString("config"); p != "" {
		return p, nil
	}
	return config.DefaultPath()
}

// LoadConfig reads the config file.
func (f *Factory) LoadConfig() (*config.File, string, error) {
	path, err := f.ConfigPath()
	if err != nil {
		return nil, "", err
	}
	f.warnLoosePermissions("config file", path)
	cfg, err := config.Load(path)
	return cfg, path, err
}

// UpdateConfig applies change to the config file at path under its lock (see config.Update).
func (f *Factory) UpdateConfig(path string, change func(*config.File) error) error {
	f.warnLoosePermissions("config file", path)
	return config.Update(path, change, f.BeforeRename)
}

// warnLoosePermissions prints a warning, once per file and invocation, when users other
// than the owner can read or write the file at path. hi writes its files with mode 0600,
// so a looser mode was set by something else.
func (f *Factory) warnLoosePermissions(description, path string) {
	if f.permissionsChecked[path] {
		return
	}
	if f.permissionsChecked == nil {
		f.permissionsChecked = map[string]bool{}
	}
	f.permissionsChecked[path] = true
	if perm, loose := config.LoosePermissions(path); loose {
		fmt.Fprintf(f.IO.ErrOut, "warning: %s %s can be read or changed by other users (mode %04o); run chmod 600 %s\n",
			description, path, perm, path)
	}
	dir := filepath.Dir(path)
	if f.permissionsChecked[dir] {
		return
	}
	f.permissionsChecked[dir] = true
	if perm, loose := config.LooseDirectory(dir); loose {
		fmt.Fprintf(f.IO.ErrOut, "warning: directory %s can be changed by other users (mode %04o); run chmod 700 %s\n",
			dir, perm, dir)
	}
}

// Store returns the credential store named by a profile's storage setting.
func (f *Factory) Store(storage string) (auth.Store, error) {
	if storage == config.StorageFile {
		path, err := f.ConfigPath()
		if err != nil {
			return nil, err
		}
		credentials := filepath.Join(filepath.Dir(path), "credentials.yaml")
		f.warnLoosePermissions("credentials file", credentials)
		return &auth.FileStore{Path: credentials, BeforeRename: f.BeforeRename}, nil
	}
	if f.keyring == nil {
		f.keyring = &auth.Keyring{Timeout: f.KeyringTimeout}
	}
	return f.keyring, nil
}

// Where a connection's token came from, besides the store's name.
const (
	tokenSourceEnv     = "environment (HI_TOKEN)"
	tokenSourceSandbox = "sandbox demo credential"
)

// Connection is a resolved target: settings and the credential to use.
type Connection struct {
	Settings *config.Settings
	// Token is the bearer token, and TokenSource records where it came from.
	Token       string
	TokenSource string
	// OAuth is set when requests are signed with OAuth 1.0a.
	OAuth *oauthCredential

	loadOAuth func() (*oauthCredential, error)
	client    *http.Client
	// httpOptions configures the HTTP clients of the connection (see Factory.httpOptions).
	httpOptions httpx.ClientOptions
}

// Settings resolves the settings for this invocation: the in-process sandbox with
// --sandbox, else flags, environment and the selected profile.
func (f *Factory) Settings() (*config.Settings, error) {
	if f.Sandbox {
		srv, err := f.startSandbox()
		if err != nil {
			return nil, err
		}
		u, _ := config.ParseBaseURL(srv.URL)
		timeout, err := time.ParseDuration(f.Viper.GetString("timeout"))
		if err != nil || timeout <= 0 {
			return nil, usageErrorf("invalid timeout %q: use a positive duration such as 30s or 2m", f.Viper.GetString("timeout"))
		}
		return &config.Settings{
			Profile: "sandbox", Tenant: srv.Tenant, BaseURL: u, Auth: f.Viper.GetString("auth"),
			ConsumerKey: srv.ConsumerKey, AccessTokenURL: srv.TokenURL,
			SignatureMethod: strings.ToUpper(f.Viper.GetString("signature-method")),
			Timeout:         timeout, Storage: "sandbox",
		}, nil
	}
	cfg, _, err := f.LoadConfig()
	if err != nil {
		return nil, err
	}
	return config.Resolve(f.Viper, cfg)
}

// Connect resolves the settings and loads the credential of the auth method they name.
// Bearer: HI_TOKEN first, then the profile's store. OAuth: the consumer key from the
// settings and the secret from HI_CONSUMER_SECRET or the store. The access token is fetched
// or read from the cache when the first request is signed.
func (f *Factory) Connect() (*Connection, error) {
	s, err := f.Settings()
	if err != nil {
		return nil, err
	}
	c := &Connection{Settings: s, httpOptions: f.httpOptions(s)}
	c.loadOAuth = func() (*oauthCredential, error) { return f.oauthCredential(s) }
	switch s.Auth {
	case authBearer:
		return c, f.loadBearer(c)
	case authOAuth1:
		c.OAuth, err = c.loadOAuth()
		if errors.Is(err, errNoOAuthCredential) {
			return nil, noOAuthError(s)
		}
		return c, err
	}
	return nil, usageErrorf("invalid auth method %q: use bearer or oauth1", s.Auth)
}

func (f *Factory) loadBearer(c *Connection) error {
	s := c.Settings
	if f.sandboxServer != nil {
		c.Token, c.TokenSource = f.sandboxServer.BearerToken, tokenSourceSandbox
		return nil
	}
	if tok := f.env("HI_TOKEN"); tok != "" {
		if err := checkTokenText(tok); err != nil {
			return fmt.Errorf("invalid HI_TOKEN: %w", err)
		}
		c.Token, c.TokenSource = tok, tokenSourceEnv
		return nil
	}
	if s.Profile == config.EnvProfileName && f.env("HI_CONSUMER_KEY") != "" {
		return withHint(errors.New("no bearer token for "+s.BaseURL.Host),
			"set HI_AUTH=oauth1 to sign with HI_CONSUMER_KEY and HI_CONSUMER_SECRET, or set HI_TOKEN")
	}
	if s.Profile == config.EnvProfileName {
		return withHint(errors.New("no credential for "+s.BaseURL.Host), "set HI_TOKEN, or run hi login to store one in a profile")
	}
	if err := checkStoredCredentialTarget(s, false); err != nil {
		return err
	}
	store, err := f.Store(s.Storage)
	if err != nil {
		return err
	}
	raw, err := store.Get(s.Profile, auth.KindBearer)
	if errors.Is(err, auth.ErrNotFound) {
		return fmt.Errorf("profile %q has no bearer token in the %s: run hi login -p %s", s.Profile, store.Name(), s.Profile)
	}
	if err != nil {
		return err
	}
	if c.Token, err = unbindSecret(raw, s.Profile, s.BaseURL.String(), ""); err != nil {
		return err
	}
	c.TokenSource = store.Name()
	return nil
}

// oauthCredential returns the OAuth credential for s: the sandbox's demo consumer with
// --sandbox, else the profile's or the environment's.
func (f *Factory) oauthCredential(s *config.Settings) (*oauthCredential, error) {
	if srv := f.sandboxServer; srv != nil {
		method, err := auth.ParseSignatureMethod(s.SignatureMethod)
		if err != nil {
			return nil, &UsageError{Err: err}
		}
		consumer := auth.Consumer{Key: srv.ConsumerKey, Secret: srv.ConsumerSecret, Method: method}
		return &oauthCredential{consumer: consumer, secretSource: tokenSourceSandbox, tokenURL: srv.TokenURL}, nil
	}
	return f.loadOAuthCredential(s)
}

func noOAuthError(s *config.Settings) error {
	if s.Profile == config.EnvProfileName {
		return withHint(errors.New("no OAuth credentials for "+s.BaseURL.Host),
			"set HI_CONSUMER_KEY and HI_CONSUMER_SECRET")
	}
	return withHint(fmt.Errorf("profile %q has no OAuth credentials", s.Profile),
		fmt.Sprintf("run hi login -p %s --oauth --consumer-key KEY", s.Profile))
}

// env returns an environment variable.
func (f *Factory) env(name string) string {
	return os.Getenv(name)
}

func (f *Factory) startSandbox() (*sandbox.Server, error) {
	if f.sandboxServer != nil {
		return f.sandboxServer, nil
	}
	srv, err := sandbox.Start("127.0.0.1:0", sandbox.Options{})
	if err != nil {
		return nil, fmt.Errorf("start the sandbox: %w", err)
	}
	f.sandboxServer = srv
	f.cleanups = append(f.cleanups, func() { srv.Close() })
	return srv, nil
}
