package e2e

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestRedirectDropsAuthorizationOffHost(t *testing.T) {
	srv := startSandbox(t)
	var mu sync.Mutex
	var seen []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"landed":true}`)
	}))
	defer other.Close()
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token)

	r := e.run("", "get", "/_sandbox/redirect?to="+url.QueryEscape(other.URL+"/landing"))
	wantCode(t, r, 0)
	if r.stdout != `{"landed":true}` {
		t.Errorf("stdout = %q, want the other host's body", r.stdout)
	}
	mu.Lock()
	if len(seen) != 1 || seen[0] != "" {
		t.Errorf("the other host got Authorization %q, want one request without it", seen)
	}
	mu.Unlock()

	// On the same host the credential is kept: the tenant route rejects a request without it.
	r = e.run("", "get", "/_sandbox/redirect?to=/tenant/v1/tenant", "--jq", ".mnemonic")
	wantCode(t, r, 0)
	if r.stdout != "cernerdemo\n" {
		t.Errorf("same-host redirect: stdout = %q", r.stdout)
	}
}

func TestPrivateCertificateAuthority(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"mnemonic":"tls"}`)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the rejected handshake is expected
	srv.StartTLS()
	defer srv.Close()
	bundle := filepath.Join(t.TempDir(), "ca.pem")
	block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(bundle, block, 0o600); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", "tls-token")
	host := strings.TrimPrefix(srv.URL, "https://")

	r := e.run("", "get", "/tenant/v1/tenant")
	wantCode(t, r, 1)
	want := "hi: TLS certificate of " + host + " is not trusted: x509: certificate signed by unknown authority " +
		"(if a private CA signed it, pass the CA certificate with --cacert FILE or HI_CA_BUNDLE)\n"
	if r.stderr != want {
		t.Errorf("stderr = %q\nwant %q", r.stderr, want)
	}

	cases := []struct {
		name string
		sub  *env
		args []string
	}{
		{name: "cacert flag", sub: e.with(t), args: []string{"--cacert", bundle}},
		{name: "HI_CA_BUNDLE", sub: e.with(t, "HI_CA_BUNDLE", bundle)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.sub.t = t
			r := tc.sub.run("", append([]string{"get", "/tenant/v1/tenant"}, tc.args...)...)
			wantCode(t, r, 0)
			if r.stdout != `{"mnemonic":"tls"}` {
				t.Errorf("stdout = %q", r.stdout)
			}
		})
	}
}

func TestTimeoutNamesHost(t *testing.T) {
	srv := startSandbox(t, "--latency", "3s")
	e := newEnv(t).set("HI_BASE_URL", srv.URL).set("HI_TOKEN", srv.Token)
	host := strings.TrimPrefix(srv.URL, "http://")
	want := "hi: request to " + host + " timed out after 200ms (raise --timeout or check the network)\n"

	cases := []struct {
		name string
		sub  *env
		args []string
	}{
		{name: "timeout flag", sub: e.with(t), args: []string{"--timeout", "200ms"}},
		{name: "HI_TIMEOUT", sub: e.with(t, "HI_TIMEOUT", "200ms")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.sub.t = t
			r := tc.sub.run("", append([]string{"get", "/tenant/v1/tenant"}, tc.args...)...)
			wantCode(t, r, 1)
			if r.stderr != want {
				t.Errorf("stderr = %q, want %q", r.stderr, want)
			}
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
		})
	}
}

func TestCertificateProblemsRejected(t *testing.T) {
	var requests atomic.Int64
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		fmt.Fprint(w, `{"mnemonic":"tls"}`)
	})
	srv := httptest.NewUnstartedServer(handler)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the rejected handshakes are expected
	srv.StartTLS()
	defer srv.Close()
	other := httptest.NewUnstartedServer(handler)
	other.Config.ErrorLog = log.New(io.Discard, "", 0)
	other.TLS = &tls.Config{Certificates: []tls.Certificate{selfSignedCertificate(t)}}
	other.StartTLS()
	defer other.Close()

	legacy := httptest.NewUnstartedServer(handler)
	legacy.Config.ErrorLog = log.New(io.Discard, "", 0)
	legacy.TLS = &tls.Config{MaxVersion: tls.VersionTLS11}
	legacy.StartTLS()
	defer legacy.Close()

	dir := t.TempDir()
	bundle := filepath.Join(dir, "ca.pem")
	os.WriteFile(bundle, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600)
	notPEM := filepath.Join(dir, "not-a-bundle.pem")
	os.WriteFile(notPEM, []byte("not a certificate\n"), 0o600)
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	e := newEnv(t).set("HI_TOKEN", "tls-token")

	cases := []struct {
		name     string
		baseURL  string
		vars     []string
		args     []string
		wantCode int
		want     string
	}{
		// httptest's certificate names 127.0.0.1, ::1, example.com and *.example.com, not localhost.
		{name: "certificate for another name", baseURL: "https://localhost:" + port, args: []string{"--cacert", bundle},
			wantCode: 1, want: "hi: TLS certificate of localhost:" + port + " is not valid for that host: " +
				"x509: certificate is valid for example.com, *.example.com, not localhost\n"},
		{name: "bundle of another server", baseURL: other.URL, args: []string{"--cacert", bundle}, wantCode: 1,
			want: "hi: TLS certificate of " + strings.TrimPrefix(other.URL, "https://") + " is not trusted"},
		{name: "tls 1.1 only", baseURL: legacy.URL, wantCode: 1,
			want: "hi: TLS handshake with " + strings.TrimPrefix(legacy.URL, "https://") + " failed: " +
				"remote error: tls: protocol version not supported\n"},
		{name: "tls 1.1 only with cacert", baseURL: legacy.URL, args: []string{"--cacert", bundle}, wantCode: 1,
			want: "hi: TLS handshake with " + strings.TrimPrefix(legacy.URL, "https://") + " failed: " +
				"remote error: tls: protocol version not supported\n"},
		{name: "cacert flag not pem", baseURL: srv.URL, args: []string{"--cacert", notPEM}, wantCode: 2,
			want: "hi: invalid --cacert " + notPEM + ": no PEM certificate found in " + notPEM + "\n"},
		{name: "HI_CA_BUNDLE not pem", baseURL: srv.URL, vars: []string{"HI_CA_BUNDLE", notPEM}, wantCode: 1,
			want: "hi: TLS certificate of " + strings.TrimPrefix(srv.URL, "https://") + " cannot be checked: " +
				"invalid CA bundle: no PEM certificate found in " + notPEM + " (fix HI_CA_BUNDLE or --cacert)\n"},
		{name: "HI_CA_BUNDLE missing", baseURL: srv.URL, vars: []string{"HI_CA_BUNDLE", filepath.Join(dir, "gone.pem")},
			wantCode: 1, want: "hi: TLS certificate of " + strings.TrimPrefix(srv.URL, "https://") + " cannot be checked: " +
				"invalid CA bundle: read CA bundle: open " + filepath.Join(dir, "gone.pem") + ": no such file or directory " +
				"(fix HI_CA_BUNDLE or --cacert)\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := requests.Load()
			sub := e.with(t, append([]string{"HI_BASE_URL", tc.baseURL}, tc.vars...)...)
			r := sub.run("", append([]string{"get", "/tenant/v1/tenant", "--retry", "2"}, tc.args...)...)
			wantCode(t, r, tc.wantCode)
			if !strings.HasPrefix(r.stderr, tc.want) {
				t.Errorf("stderr = %q\nwant it to start with %q", r.stderr, tc.want)
			}
			// A certificate problem is not retried, so the message is the only line.
			if tc.wantCode == 1 && strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("stderr has %d lines, want 1: %q", strings.Count(r.stderr, "\n"), r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
			if got := requests.Load() - before; got != 0 {
				t.Errorf("server handled %d requests, want none", got)
			}
		})
	}
}

// selfSignedCertificate returns a certificate for 127.0.0.1 that signs itself, so no bundle of
// another server trusts it.
func selfSignedCertificate(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	template := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "hi test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}
