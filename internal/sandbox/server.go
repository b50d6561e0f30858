// Package sandbox runs a local HTTP server that behaves like a HealtheIntent tenant, so that
// hi, and scripts built on it, can be tried and tested without an account.
//
// The sandbox serves the Tenant API and the Personnel API with deterministic demo data, and a
// Data Collector API that stores what it is sent. It authenticates API routes with one bearer
// token or with Cerner's two-legged OAuth 1.0a, issuing access tokens at /oauth/access to one
// demo consumer, and the Data Collector API accepts OAuth only. It responds with the platform's
// status codes, error body, pagination links and cerner-correlation-id header. Routes of its
// own under /_sandbox/ need no credentials: GET /_sandbox/stats and POST /_sandbox/reset-stats
// let tests check how many requests reached the server, and POST /_sandbox/revoke-tokens
// revokes every access token issued so far.
package sandbox

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"sync"
	"time"
)

const defaultTenant = "cernerdemo"

// tenantPattern matches a tenant mnemonic that can be a host name label. It is compiled on
// first use, so that hi's commands other than the sandbox pay nothing for it at start-up.
var tenantPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)
})

// Options configures a sandbox.
type Options struct {
	// Tenant is the tenant mnemonic. Empty means "cernerdemo".
	Tenant string
	// BearerToken is the bearer token the sandbox accepts. Empty means a random token.
	BearerToken string
	// Log, when non-nil, receives one line per request with the method, the path and query,
	// the status and the duration. Header values are never written to it.
	Log io.Writer

	// ConsumerKey is the key of the demo OAuth consumer. Empty means "hi-sandbox-consumer".
	ConsumerKey string
	// ConsumerSecret is the demo consumer's secret. Empty means a random secret.
	ConsumerSecret string
	// TokenTTL is the lifetime of the access tokens the sandbox issues, in whole seconds and at
	// least 1s. Zero means 1h.
	TokenTTL time.Duration
	// ClockSkew is added to the sandbox's clock, which checks oauth_timestamp and token
	// expiry, so that a client's handling of timestamp_refused can be tested.
	ClockSkew time.Duration

	// Faults for testing clients, applied to API routes only (see injectFaults).
	// Latency delays every response.
	Latency time.Duration
	// FailRate is the fraction of requests, from 0 to 1, that get 503 Service Unavailable.
	FailRate float64
	// Throttle, when positive, returns 429 Too Many Requests with Retry-After: 1 to the
	// requests beyond this many in one second.
	Throttle int
	// DropRate is the fraction of requests, from 0 to 1, whose connection is closed in the
	// middle of the response body.
	DropRate float64
	// Seed seeds the choice of the failed and dropped requests.
	Seed int64

	// Records is the number of demo personnel records, from 1 to MaxRecords. Zero means 300.
	Records int
}

// Server is a running sandbox.
type Server struct {
	// URL is the base URL, for example http://127.0.0.1:43121, with no trailing slash.
	URL string
	// BearerToken is the bearer token the sandbox accepts.
	BearerToken string
	// Tenant is the tenant mnemonic of the sandbox.
	Tenant string
	// ConsumerKey and ConsumerSecret are the demo OAuth consumer's credentials.
	ConsumerKey    string
	ConsumerSecret string
	// TokenURL is the URL of the sandbox's OAuth access-token service, URL + "/oauth/access".
	// It is empty for a server built without listening.
	TokenURL string

	handler    http.Handler
	httpServer *http.Server
	serveErr   chan error
	closeOnce  sync.Once
	closeErr   error

	stats     *statsCounter
	personnel *personnelStore
	log       *requestLog
	oauth     *oauthService
	entities  *entityStore
	faults    *faults
}

// Start listens on addr, which must be a loopback address such as "127.0.0.1:0", and serves
// the sandbox in a new goroutine until Close is called.
func Start(addr string, opts Options) (*Server, error) {
	if err := checkLoopback(addr); err != nil {
		return nil, err
	}
	s, err := newServer(opts)
	if err != nil {
		return nil, err
	}

	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("start sandbox on %s: %w", addr, err)
	}
	if err := checkLoopback(listener.Addr().String()); err != nil {
		listener.Close()
		return nil, err
	}

	s.URL = "http://" + listener.Addr().String()
	s.TokenURL = s.URL + tokenPath
	s.httpServer = &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	s.serveErr = make(chan error, 1)
	go func() { s.serveErr <- s.httpServer.Serve(listener) }()
	return s, nil
}

// Close stops the server, closing its listener and every open connection. Later calls
// return the result of the first.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		err := s.httpServer.Close()
		if serveErr := <-s.serveErr; !errors.Is(serveErr, http.ErrServerClosed) {
			err = errors.Join(err, fmt.Errorf("sandbox stopped serving: %w", serveErr))
		}
		s.closeErr = err
	})
	return s.closeErr
}

// Handler returns the handler that serves the sandbox, for use with net/http/httptest.
// It shares its data and counters with the listening server.
func (s *Server) Handler() http.Handler {
	return s.handler
}

// newServer builds a server with its data and routes, without listening.
func newServer(opts Options) (*Server, error) {
	tenant := opts.Tenant
	if tenant == "" {
		tenant = defaultTenant
	}
	if !tenantPattern().MatchString(tenant) {
		return nil, fmt.Errorf("invalid tenant mnemonic %q: use lowercase letters, digits and hyphens", tenant)
	}

	token := opts.BearerToken
	if token == "" {
		token = randomToken()
	}
	oauth, err := newOAuthService(opts)
	if err != nil {
		return nil, err
	}
	faults, err := newFaults(opts)
	if err != nil {
		return nil, err
	}
	records, err := recordCount(opts.Records)
	if err != nil {
		return nil, err
	}

	s := &Server{
		BearerToken:    token,
		Tenant:         tenant,
		ConsumerKey:    oauth.consumerKey,
		ConsumerSecret: oauth.consumerSecret,
		stats:          newStatsCounter(),
		personnel:      newPersonnelStore(demoPersonnel(records)),
		log:            &requestLog{w: opts.Log},
		oauth:          oauth,
		entities:       newEntityStore(),
		faults:         faults,
	}
	s.handler = s.routes()
	return s, nil
}

// checkLoopback returns an error unless addr is a host:port whose host is a loopback IP
// address or "localhost". The sandbox is a test server without TLS, so it must not be
// reachable from other machines.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("invalid sandbox address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("invalid sandbox address %q: the sandbox listens on loopback only, for example 127.0.0.1:0", addr)
}
