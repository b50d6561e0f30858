package e2e

import (
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
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
