package sandbox_test

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hi-cli/hi/internal/auth"
	"github.com/hi-cli/hi/internal/sandbox"
)

const (
	testConsumerKey    = "test-consumer"
	testConsumerSecret = "test consumer secret & more"
	tokenPath          = "/oauth/access"
	entitiesPath       = "/data-collector/v1/entities"
)

func startOAuthSandbox(t *testing.T, opts sandbox.Options) *sandbox.Server {
	t.Helper()
	opts.BearerToken = testToken
	opts.ConsumerKey = testConsumerKey
	opts.ConsumerSecret = testConsumerSecret
	return startSandboxWith(t, opts)
}

func testConsumer(method auth.SignatureMethod) auth.Consumer {
	return auth.Consumer{Key: testConsumerKey, Secret: testConsumerSecret, Method: method}
}

// fetchToken exchanges the test consumer's credentials for an access token with the client of
// internal/auth, which always sends an accessor secret.
func fetchToken(t *testing.T, s *sandbox.Server, method auth.SignatureMethod) auth.AccessToken {
	t.Helper()
	c := &auth.TokenClient{HTTPClient: client}
	token, err := c.Fetch(context.Background(), s.TokenURL, testConsumer(method))
	if err != nil {
		t.Fatalf("Fetch with %s: %v", method, err)
	}
	return token
}

// signedTokenForm returns the parameters of a token request from the test consumer, without
// an accessor secret, signed with secret after extra is merged in.
func signedTokenForm(t *testing.T, s *sandbox.Server, method auth.SignatureMethod, secret string, extra url.Values) url.Values {
	t.Helper()
	form := url.Values{
		"oauth_consumer_key":     {testConsumerKey},
		"oauth_signature_method": {string(method)},
		"oauth_version":          {"1.0"},
		"oauth_timestamp":        {strconv.FormatInt(time.Now().Unix(), 10)},
		"oauth_nonce":            {rand.Text()},
	}
	maps.Copy(form, extra)

	u, err := url.Parse(s.TokenURL)
	if err != nil {
		t.Fatalf("parse TokenURL: %v", err)
	}
	var baseString string
	if method == auth.HMACSHA1 {
		baseString = auth.SignatureBaseString(http.MethodPost, u, form, nil)
	}
	form.Set("oauth_signature", auth.Signature(method, baseString, secret, ""))
	return form
}

// postTokenForm sends a token request with body and returns the response.
func postTokenForm(t *testing.T, s *sandbox.Server, path, contentType, body string) response {
	t.Helper()
	return send(t, s, request{
		method: http.MethodPost, path: path, body: body, noAuth: true,
		header: map[string]string{"Content-Type": contentType},
	})
}

// encodeForm encodes values with RFC 5849 percent-encoding, sorted by name.
func encodeForm(values url.Values) string {
	var pairs []string
	for _, name := range slices.Sorted(maps.Keys(values)) {
		for _, value := range values[name] {
			pairs = append(pairs, auth.PercentEncode(name)+"="+auth.PercentEncode(value))
		}
	}
	return strings.Join(pairs, "&")
}

// tokenFromResponse reads an access token from a successful token response.
func tokenFromResponse(t *testing.T, resp response) auth.AccessToken {
	t.Helper()
	if resp.status != http.StatusOK {
		t.Fatalf("token request status = %d, want 200: %s", resp.status, resp.body)
	}
	values, err := url.ParseQuery(string(resp.body))
	if err != nil {
		t.Fatalf("token response %q is not a form: %v", resp.body, err)
	}
	return auth.AccessToken{Token: values.Get("oauth_token"), TokenSecret: values.Get("oauth_token_secret")}
}

// checkTokenProblem checks a failed token request: the status, an OAuth challenge whose realm
// is the token URL's scheme and host, and a form body naming the problem.
func checkTokenProblem(t *testing.T, s *sandbox.Server, resp response, wantStatus int, wantProblem string) {
	t.Helper()
	if resp.status != wantStatus {
		t.Errorf("status = %d, want %d: %s", resp.status, wantStatus, resp.body)
	}
	wantChallenge := `OAuth realm="` + s.URL + `", oauth_problem="` + wantProblem + `"`
	if got := resp.header.Get("WWW-Authenticate"); got != wantChallenge {
		t.Errorf("WWW-Authenticate = %q, want %q", got, wantChallenge)
	}
	if got := resp.header.Get("Content-Type"); got != "application/x-www-form-urlencoded" {
		t.Errorf("Content-Type = %q, want application/x-www-form-urlencoded", got)
	}
	if got, want := string(resp.body), "oauth_problem="+wantProblem; got != want {
		t.Errorf("body = %q, want %q", got, want)
	}
}

func TestTokenExchange(t *testing.T) {
	tests := []struct {
		name         string
		method       auth.SignatureMethod
		withAccessor bool
	}{
		{name: "PLAINTEXT with accessor secret", method: auth.PlainText, withAccessor: true},
		{name: "HMAC-SHA1 with accessor secret", method: auth.HMACSHA1, withAccessor: true},
		{name: "PLAINTEXT without accessor secret", method: auth.PlainText},
		{name: "HMAC-SHA1 without accessor secret", method: auth.HMACSHA1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startOAuthSandbox(t, sandbox.Options{})
			var token auth.AccessToken
			if tt.withAccessor {
				token = fetchToken(t, s, tt.method)
			} else {
				form := signedTokenForm(t, s, tt.method, testConsumerSecret, nil)
				token = tokenFromResponse(t, postTokenForm(t, s, tokenPath, "application/x-www-form-urlencoded", encodeForm(form)))
			}
			if token.Token == "" || token.TokenSecret == "" {
				t.Fatalf("token = %+v, want a token and a secret", token)
			}
			if got := token.AccessorSecret != ""; got != tt.withAccessor {
				t.Errorf("accessor secret set = %v, want %v", got, tt.withAccessor)
			}

			signer := &auth.OAuth1Signer{Consumer: testConsumer(tt.method), Token: token}
			resp := sendSigned(t, s, signer, http.MethodGet, "/tenant/v1/tenant", "", "")
			if resp.status != http.StatusOK {
				t.Errorf("signed call status = %d, want 200: %s", resp.status, resp.body)
			}
		})
	}
}

func TestTokenResponse(t *testing.T) {
	s := startOAuthSandbox(t, sandbox.Options{TokenTTL: 90 * time.Second})
	form := signedTokenForm(t, s, auth.PlainText, testConsumerSecret, url.Values{"xoauth_principal": {"dr.who@example.com"}})
	before := time.Now().Unix()
	resp := postTokenForm(t, s, tokenPath, "application/x-www-form-urlencoded; charset=UTF-8", encodeForm(form))
	if resp.status != http.StatusOK {
		t.Fatalf("status = %d, want 200: %s", resp.status, resp.body)
	}

	if got := resp.header.Get("Content-Type"); got != "application/x-www-form-urlencoded" {
		t.Errorf("Content-Type = %q, want application/x-www-form-urlencoded", got)
	}
	if got := resp.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
	names := formNames(string(resp.body))
	if want := []string{"oauth_token", "oauth_token_secret", "oauth_expires_in", "oauth_authorization_expires_in"}; !slices.Equal(names, want) {
		t.Errorf("response parameters = %v, want %v", names, want)
	}
	values, _ := url.ParseQuery(string(resp.body))
	if got := values.Get("oauth_expires_in"); got != "90" {
		t.Errorf("oauth_expires_in = %q, want 90", got)
	}
	if got := values.Get("oauth_authorization_expires_in"); got != "86400" {
		t.Errorf("oauth_authorization_expires_in = %q, want 86400", got)
	}

	token := values.Get("oauth_token")
	wantFields := []string{"ConsumerKey", "ExpiresOn", "HMACSecrets", "KeysVersion", "Consumer.Principal", "RSASHA1"}
	if got := formNames(token); !slices.Equal(got, wantFields) {
		t.Errorf("oauth_token fields = %v, want %v", got, wantFields)
	}
	fields, err := url.ParseQuery(token)
	if err != nil {
		t.Fatalf("oauth_token %q is not a form: %v", token, err)
	}
	if got := fields.Get("ConsumerKey"); got != testConsumerKey {
		t.Errorf("ConsumerKey = %q, want %q", got, testConsumerKey)
	}
	if got := fields.Get("Consumer.Principal"); got != "dr.who@example.com" {
		t.Errorf("Consumer.Principal = %q, want dr.who@example.com", got)
	}
	expiresOn, err := strconv.ParseInt(fields.Get("ExpiresOn"), 10, 64)
	if err != nil || expiresOn < before+90 || expiresOn > time.Now().Unix()+90 {
		t.Errorf("ExpiresOn = %q, want 90 seconds from now", fields.Get("ExpiresOn"))
	}
	if got := fields.Get("HMACSecrets"); !regexp.MustCompile(`^[A-Za-z0-9_-]{43,}$`).MatchString(got) {
		t.Errorf("HMACSecrets = %q, want URL-safe base64 of an IV and a ciphertext", got)
	}
	if strings.Contains(token, values.Get("oauth_token_secret")) {
		t.Error("oauth_token contains the token secret in clear")
	}
}

// formNames returns the names of a form-encoded string in the order they appear.
func formNames(form string) []string {
	var names []string
	for pair := range strings.SplitSeq(form, "&") {
		name, _, _ := strings.Cut(pair, "=")
		names = append(names, name)
	}
	return names
}

func TestTokenRequestRejectedRaw(t *testing.T) {
	const formType = "application/x-www-form-urlencoded"
	s := startOAuthSandbox(t, sandbox.Options{})
	without := func(names ...string) func(url.Values) {
		return func(form url.Values) {
			for _, name := range names {
				form.Del(name)
			}
		}
	}
	tests := []struct {
		name        string
		method      auth.SignatureMethod
		secret      string
		extra       url.Values
		change      func(url.Values) // applied after signing
		path        string
		contentType string
		wantStatus  int
		wantProblem string
	}{
		{name: "unknown consumer key", method: auth.PlainText, extra: url.Values{"oauth_consumer_key": {"nobody"}},
			wantStatus: 401, wantProblem: "consumer_key_unknown"},
		{name: "wrong PLAINTEXT secret", method: auth.PlainText, secret: "wrong",
			wantStatus: 401, wantProblem: "signature_invalid"},
		{name: "wrong HMAC-SHA1 secret", method: auth.HMACSHA1, secret: "wrong",
			wantStatus: 401, wantProblem: "signature_invalid"},
		{name: "HMAC-SHA1 over other parameters", method: auth.HMACSHA1,
			change:     func(form url.Values) { form.Set("xoauth_principal", "someone") },
			wantStatus: 401, wantProblem: "signature_invalid"},
		{name: "RSA-SHA1 method", method: "RSA-SHA1",
			change:     func(form url.Values) { form.Set("oauth_signature", "c2lnbmF0dXJl") },
			wantStatus: 400, wantProblem: "signature_method_rejected"},
		{name: "version 2.0", method: auth.PlainText, extra: url.Values{"oauth_version": {"2.0"}},
			wantStatus: 400, wantProblem: "version_rejected"},
		{name: "missing signature", method: auth.PlainText, change: without("oauth_signature"),
			wantStatus: 400, wantProblem: "parameter_absent"},
		{name: "missing consumer key", method: auth.PlainText, change: without("oauth_consumer_key"),
			wantStatus: 400, wantProblem: "parameter_absent"},
		{name: "missing signature method", method: auth.PlainText, change: without("oauth_signature_method"),
			wantStatus: 400, wantProblem: "parameter_absent"},
		{name: "HMAC-SHA1 without nonce", method: auth.HMACSHA1, change: without("oauth_nonce"),
			wantStatus: 400, wantProblem: "parameter_absent"},
		{name: "HMAC-SHA1 without timestamp", method: auth.HMACSHA1, change: without("oauth_timestamp"),
			wantStatus: 400, wantProblem: "parameter_absent"},
		{name: "stale timestamp", method: auth.HMACSHA1,
			extra:      url.Values{"oauth_timestamp": {strconv.FormatInt(time.Now().Add(-6*time.Minute).Unix(), 10)}},
			wantStatus: 401, wantProblem: "timestamp_refused"},
		{name: "future timestamp", method: auth.PlainText,
			extra:      url.Values{"oauth_timestamp": {strconv.FormatInt(time.Now().Add(6*time.Minute).Unix(), 10)}},
			wantStatus: 401, wantProblem: "timestamp_refused"},
		{name: "timestamp not a number", method: auth.PlainText, extra: url.Values{"oauth_timestamp": {"yesterday"}},
			wantStatus: 401, wantProblem: "timestamp_refused"},
		{name: "timestamp near the int64 maximum", method: auth.PlainText,
			extra:      url.Values{"oauth_timestamp": {"9223372036854775807"}},
			wantStatus: 401, wantProblem: "timestamp_refused"},
		{name: "parameter sent twice", method: auth.PlainText,
			change:     func(form url.Values) { form.Add("oauth_nonce", "second") },
			wantStatus: 400, wantProblem: "parameter_rejected"},
		{name: "parameter in query", method: auth.PlainText, path: tokenPath + "?oauth_nonce=x",
			wantStatus: 400, wantProblem: "parameter_rejected"},
		{name: "JSON body", method: auth.PlainText, contentType: "application/json",
			wantStatus: 400, wantProblem: "parameter_absent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := signedTokenForm(t, s, tt.method, cmp.Or(tt.secret, testConsumerSecret), tt.extra)
			if tt.change != nil {
				tt.change(form)
			}
			resp := postTokenForm(t, s, cmp.Or(tt.path, tokenPath), cmp.Or(tt.contentType, formType), encodeForm(form))
			checkTokenProblem(t, s, resp, tt.wantStatus, tt.wantProblem)
		})
	}
}

func TestTokenRequestPlainTextWithoutNonce(t *testing.T) {
	s := startOAuthSandbox(t, sandbox.Options{})
	form := url.Values{
		"oauth_consumer_key":     {testConsumerKey},
		"oauth_signature_method": {"PLAINTEXT"},
		"oauth_signature":        {auth.PercentEncode(testConsumerSecret) + "&"},
	}
	resp := postTokenForm(t, s, tokenPath, "application/x-www-form-urlencoded", encodeForm(form))
	if resp.status != http.StatusOK {
		t.Errorf("status = %d, want 200: %s", resp.status, resp.body)
	}
}

func TestTokenRequestRejectedByClient(t *testing.T) {
	tests := []struct {
		name        string
		opts        sandbox.Options
		consumer    auth.Consumer
		client      *auth.TokenClient
		repeat      bool
		wantStatus  int
		wantProblem string
	}{
		{name: "unknown consumer key", consumer: auth.Consumer{Key: "nobody", Secret: testConsumerSecret},
			wantStatus: 401, wantProblem: "consumer_key_unknown"},
		{name: "wrong PLAINTEXT secret", consumer: auth.Consumer{Key: testConsumerKey, Secret: "wrong"},
			wantStatus: 401, wantProblem: "signature_invalid"},
		{name: "wrong HMAC-SHA1 secret", consumer: auth.Consumer{Key: testConsumerKey, Secret: "wrong", Method: auth.HMACSHA1},
			wantStatus: 401, wantProblem: "signature_invalid"},
		{name: "sandbox clock ahead", opts: sandbox.Options{ClockSkew: 10 * time.Minute},
			consumer: testConsumer(auth.HMACSHA1), wantStatus: 401, wantProblem: "timestamp_refused"},
		{name: "sandbox clock behind", opts: sandbox.Options{ClockSkew: -10 * time.Minute},
			consumer: testConsumer(auth.PlainText), wantStatus: 401, wantProblem: "timestamp_refused"},
		{name: "client clock behind", consumer: testConsumer(auth.HMACSHA1),
			client:     &auth.TokenClient{Now: func() time.Time { return time.Now().Add(-time.Hour) }},
			wantStatus: 401, wantProblem: "timestamp_refused"},
		{name: "reused HMAC-SHA1 nonce", consumer: testConsumer(auth.HMACSHA1),
			client: &auth.TokenClient{Rand: zeroReader{}}, repeat: true, wantStatus: 401, wantProblem: "nonce_used"},
		{name: "reused PLAINTEXT nonce", consumer: testConsumer(auth.PlainText),
			client: &auth.TokenClient{Rand: zeroReader{}}, repeat: true, wantStatus: 401, wantProblem: "nonce_used"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startOAuthSandbox(t, tt.opts)
			c := tt.client
			if c == nil {
				c = &auth.TokenClient{}
			}
			c.HTTPClient = client

			if tt.repeat {
				if _, err := c.Fetch(context.Background(), s.TokenURL, tt.consumer); err != nil {
					t.Fatalf("first Fetch: %v", err)
				}
			}
			_, err := c.Fetch(context.Background(), s.TokenURL, tt.consumer)
			var problem *auth.ProblemError
			if !errors.As(err, &problem) {
				t.Fatalf("Fetch error = %v, want a *auth.ProblemError", err)
			}
			if problem.StatusCode != tt.wantStatus {
				t.Errorf("status = %d, want %d", problem.StatusCode, tt.wantStatus)
			}
			if problem.Problem != tt.wantProblem {
				t.Errorf("oauth_problem = %q, want %q", problem.Problem, tt.wantProblem)
			}
		})
	}
}

// zeroReader returns zero bytes, so that every nonce and accessor secret made from it is the
// same.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestTokenRouteRejectsGet(t *testing.T) {
	s := startOAuthSandbox(t, sandbox.Options{})
	resp := send(t, s, request{path: tokenPath, noAuth: true})
	if resp.status != http.StatusMethodNotAllowed {
		t.Errorf("status = %d, want 405", resp.status)
	}
	if got := resp.header.Get("Allow"); got != "POST" {
		t.Errorf("Allow = %q, want POST", got)
	}
}

// sendSigned sends a request signed by signer and returns the response. A body is sent with
// contentType when it is not empty.
func sendSigned(t *testing.T, s *sandbox.Server, signer *auth.OAuth1Signer, method, path, contentType, body string) response {
	t.Helper()
	req := newSignedRequest(t, s, signer, method, path, contentType, body)
	return do(t, req)
}

func newSignedRequest(t *testing.T, s *sandbox.Server, signer *auth.OAuth1Signer, method, path, contentType, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatalf("build request: %v", err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if err := signer.Authorize(req, []byte(body)); err != nil {
		t.Fatalf("Authorize: %v", err)
	}
	return req
}

func do(t *testing.T, req *http.Request) response {
	t.Helper()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body of %s %s: %v", req.Method, req.URL, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: body}
}

func TestOAuthCallsAccepted(t *testing.T) {
	const formType = "application/x-www-form-urlencoded"
	// Reserved characters, a space written both ways, and UTF-8 text in the query.
	reservedQuery := "?formattedName=" + url.QueryEscape("Zoë O'Brien & Co") +
		"&aliasValue=a%2Bb%3Dc%2F%3F%23&aliasValue=%E6%97%A5%E6%9C%AC&note=one+two%20three&orderBy=-formattedName"
	tests := []struct {
		name        string
		httpMethod  string
		path        string
		contentType string
		body        string
		wantStatus  int
	}{
		{name: "tenant", httpMethod: http.MethodGet, path: "/tenant/v1/tenant", wantStatus: 200},
		{name: "reserved and non-ASCII query", httpMethod: http.MethodGet, path: personnelPath + reservedQuery, wantStatus: 200},
		{name: "query without values", httpMethod: http.MethodGet, path: personnelPath + "?flag&empty=&limit=5", wantStatus: 200},
		{name: "escaped path", httpMethod: http.MethodGet, path: entitiesPath + "/patient/k%C3%A9y%2F1%20x", wantStatus: 404},
		{name: "form POST", httpMethod: http.MethodPost, path: entitiesPath + "/patient?source=a%20b",
			contentType: formType, body: "entityKey=p-1&name=Zo%C3%AB+Q&note=1%2B1%3D2&tags=a;b", wantStatus: 201},
		{name: "JSON PUT", httpMethod: http.MethodPut, path: entitiesPath + "/patient/p-2",
			contentType: "application/json", body: `{"name":"Zoë"}`, wantStatus: 201},
	}
	for _, method := range []auth.SignatureMethod{auth.PlainText, auth.HMACSHA1} {
		s := startOAuthSandbox(t, sandbox.Options{})
		signer := &auth.OAuth1Signer{Consumer: testConsumer(method), Token: fetchToken(t, s, method)}
		for _, tt := range tests {
			t.Run(string(method)+" "+tt.name, func(t *testing.T) {
				resp := sendSigned(t, s, signer, tt.httpMethod, tt.path, tt.contentType, tt.body)
				if resp.status != tt.wantStatus {
					t.Errorf("status = %d, want %d: %s", resp.status, tt.wantStatus, resp.body)
				}
			})
		}
	}
}

func TestOAuthFormFieldsReachHandler(t *testing.T) {
	s := startOAuthSandbox(t, sandbox.Options{})
	signer := &auth.OAuth1Signer{Consumer: testConsumer(auth.HMACSHA1), Token: fetchToken(t, s, auth.HMACSHA1)}
	body := "entityKey=p-1&name=Zo%C3%AB+Q&note=1%2B1%3D2"
	created := sendSigned(t, s, signer, http.MethodPost, entitiesPath+"/patient", "application/x-www-form-urlencoded", body)
	if created.status != http.StatusCreated {
		t.Fatalf("POST status = %d, want 201: %s", created.status, created.body)
	}

	got := sendSigned(t, s, signer, http.MethodGet, entitiesPath+"/patient/p-1", "", "")
	want := `{"entityKey":"p-1","name":"Zoë Q","note":"1+1=2"}`
	if strings.TrimSpace(string(got.body)) != want {
		t.Errorf("GET body = %s, want %s", got.body, want)
	}
}

// oauthCase builds the request of one rejected-call case. It may send earlier requests.
type oauthCase func(t *testing.T, s *sandbox.Server, signer *auth.OAuth1Signer) *http.Request

func TestOAuthCallRejected(t *testing.T) {
	const formType = "application/x-www-form-urlencoded"
	get := func(path string) oauthCase {
		return func(t *testing.T, s *sandbox.Server, signer *auth.OAuth1Signer) *http.Request {
			return newSignedRequest(t, s, signer, http.MethodGet, path, "", "")
		}
	}
	// changeHeader signs a GET of the tenant and then applies change to its OAuth parameters.
	changeHeader := func(change func(params url.Values)) oauthCase {
		return func(t *testing.T, s *sandbox.Server, signer *auth.OAuth1Signer) *http.Request {
			req := newSignedRequest(t, s, signer, http.MethodGet, "/tenant/v1/tenant", "", "")
			params, err := auth.ParseAuthorizationHeader(req.Header.Get("Authorization"))
			if err != nil {
				t.Fatalf("parse own header: %v", err)
			}
			change(params)
			req.Header.Set("Authorization", formatOAuthHeader(params))
			return req
		}
	}
	// withSigner signs a GET of the tenant with a signer changed by change.
	withSigner := func(change func(t *testing.T, s *sandbox.Server, signer *auth.OAuth1Signer)) oauthCase {
		return func(t *testing.T, s *sandbox.Server, signer *auth.OAuth1Signer) *http.Request {
			changed := *signer
			change(t, s, &changed)
			return newSignedRequest(t, s, &changed, http.MethodGet, "/tenant/v1/tenant", "", "")
		}
	}
	// twice sends the request of build once, expecting success, and returns a copy of it.
	twice := func(build oauthCase) oauthCase {
		return func(t *testing.T, s *sandbox.Server, signer *auth.OAuth1Signer) *http.Request {
			req := build(t, s, signer)
			if first := do(t, req.Clone(context.Background())); first.status != http.StatusOK {
				t.Fatalf("first request status = %d, want 200: %s", first.status, first.body)
			}
			return req
		}
	}
	fixedNonce := withSigner(func(t *testing.T, s *sandbox.Server, signer *auth.OAuth1Signer) { signer.Rand = zeroReader{} })

	tests := []struct {
		name        string
		methods     []auth.SignatureMethod // both when empty
		build       oauthCase
		wantProblem string
	}{
		{name: "tampered signature", build: changeHeader(func(params url.Values) {
			params.Set("oauth_signature", "x"+params.Get("oauth_signature"))
		}), wantProblem: "signature_invalid"},
		{name: "query changed after signing", methods: []auth.SignatureMethod{auth.HMACSHA1},
			build: func(t *testing.T, s *sandbox.Server, signer *auth.OAuth1Signer) *http.Request {
				req := newSignedRequest(t, s, signer, http.MethodGet, personnelPath+"?limit=5", "", "")
				req.URL.RawQuery = "limit=6"
				return req
			}, wantProblem: "signature_invalid"},
		{name: "path changed after signing", methods: []auth.SignatureMethod{auth.HMACSHA1},
			build: func(t *testing.T, s *sandbox.Server, signer *auth.OAuth1Signer) *http.Request {
				req := newSignedRequest(t, s, signer, http.MethodGet, personnelPath+"/a", "", "")
				req.URL.Path = personnelPath + "/b"
				return req
			}, wantProblem: "signature_invalid"},
		{name: "form changed after signing", methods: []auth.SignatureMethod{auth.HMACSHA1},
			build: func(t *testing.T, s *sandbox.Server, signer *auth.OAuth1Signer) *http.Request {
				req := newSignedRequest(t, s, signer, http.MethodPost, entitiesPath+"/patient", formType, "entityKey=a")
				changed := "entityKey=b"
				req.Body, req.ContentLength = io.NopCloser(strings.NewReader(changed)), int64(len(changed))
				return req
			}, wantProblem: "signature_invalid"},
		{name: "consumer secret instead of accessor secret", build: withSigner(
			func(t *testing.T, s *sandbox.Server, signer *auth.OAuth1Signer) { signer.Token.AccessorSecret = "" },
		), wantProblem: "signature_invalid"},
		{name: "forged token", build: withSigner(func(t *testing.T, s *sandbox.Server, signer *auth.OAuth1Signer) {
			expiresOn := regexp.MustCompile(`ExpiresOn=\d+`)
			signer.Token.Token = expiresOn.ReplaceAllString(signer.Token.Token, "ExpiresOn=4102444800")
		}), wantProblem: "token_rejected"},
		{name: "token without signature", build: withSigner(func(t *testing.T, s *sandbox.Server, signer *auth.OAuth1Signer) {
			signer.Token.Token, _, _ = strings.Cut(signer.Token.Token, "&RSASHA1=")
		}), wantProblem: "token_rejected"},
		{name: "made-up token", build: withSigner(func(t *testing.T, s *sandbox.Server, signer *auth.OAuth1Signer) {
			signer.Token.Token = "not-a-token"
		}), wantProblem: "token_rejected"},
		{name: "token of another sandbox", build: withSigner(func(t *testing.T, s *sandbox.Server, signer *auth.OAuth1Signer) {
			other := startOAuthSandbox(t, sandbox.Options{})
			signer.Token = fetchToken(t, other, signer.Consumer.Method)
		}), wantProblem: "token_rejected"},
		{name: "expired token", build: withSigner(func(t *testing.T, s *sandbox.Server, signer *auth.OAuth1Signer) {
			s.AdvanceClock(time.Hour)
			signer.Now = func() time.Time { return time.Now().Add(time.Hour) }
		}), wantProblem: "token_expired"},
		{name: "revoked token", build: withSigner(func(t *testing.T, s *sandbox.Server, signer *auth.OAuth1Signer) {
			s.RevokeTokens()
		}), wantProblem: "token_revoked"},
		{name: "token revoked by route", build: withSigner(func(t *testing.T, s *sandbox.Server, signer *auth.OAuth1Signer) {
			resp := send(t, s, request{method: http.MethodPost, path: "/_sandbox/revoke-tokens", noAuth: true})
			if resp.status != http.StatusNoContent {
				t.Fatalf("revoke-tokens status = %d, want 204", resp.status)
			}
		}), wantProblem: "token_revoked"},
		{name: "wrong consumer key", build: withSigner(func(t *testing.T, s *sandbox.Server, signer *auth.OAuth1Signer) {
			signer.Consumer.Key = "other-consumer"
		}), wantProblem: "consumer_key_rejected"},
		{name: "reused nonce", build: twice(fixedNonce), wantProblem: "nonce_used"},
		{name: "client clock behind", build: withSigner(func(t *testing.T, s *sandbox.Server, signer *auth.OAuth1Signer) {
			signer.Now = func() time.Time { return time.Now().Add(-6 * time.Minute) }
		}), wantProblem: "timestamp_refused"},
		{name: "missing nonce", methods: []auth.SignatureMethod{auth.HMACSHA1},
			build: changeHeader(func(params url.Values) { params.Del("oauth_nonce") }), wantProblem: "parameter_absent"},
		{name: "missing token", build: changeHeader(func(params url.Values) { params.Del("oauth_token") }),
			wantProblem: "parameter_absent"},
		{name: "version 2.0", build: changeHeader(func(params url.Values) { params.Set("oauth_version", "2.0") }),
			wantProblem: "version_rejected"},
		{name: "RSA-SHA1 method", build: changeHeader(func(params url.Values) { params.Set("oauth_signature_method", "RSA-SHA1") }),
			wantProblem: "signature_method_rejected"},
		{name: "protocol parameter in query", build: get("/tenant/v1/tenant?oauth_token=x"), wantProblem: "parameter_rejected"},
		{name: "malformed header", build: func(t *testing.T, s *sandbox.Server, signer *auth.OAuth1Signer) *http.Request {
			req := newSignedRequest(t, s, signer, http.MethodGet, "/tenant/v1/tenant", "", "")
			req.Header.Set("Authorization", `OAuth oauth_token="unterminated`)
			return req
		}, wantProblem: "parameter_rejected"},
	}
	for _, tt := range tests {
		methods := tt.methods
		if methods == nil {
			methods = []auth.SignatureMethod{auth.PlainText, auth.HMACSHA1}
		}
		for _, method := range methods {
			t.Run(string(method)+" "+tt.name, func(t *testing.T) {
				s := startOAuthSandbox(t, sandbox.Options{})
				signer := &auth.OAuth1Signer{Consumer: testConsumer(method), Token: fetchToken(t, s, method)}
				resp := do(t, tt.build(t, s, signer))
				checkOAuthProblem(t, s, resp, tt.wantProblem)
			})
		}
	}
}

// formatOAuthHeader writes params as an OAuth Authorization header value, sorted by name.
func formatOAuthHeader(params url.Values) string {
	var pairs []string
	for _, name := range slices.Sorted(maps.Keys(params)) {
		pairs = append(pairs, auth.PercentEncode(name)+`="`+auth.PercentEncode(params.Get(name))+`"`)
	}
	return "OAuth " + strings.Join(pairs, ", ")
}

// checkOAuthProblem checks the 401 of a rejected OAuth call: an OAuth challenge that names
// wantProblem, which the client's parser reads too, and the platform's error body.
func checkOAuthProblem(t *testing.T, s *sandbox.Server, resp response, wantProblem string) {
	t.Helper()
	if resp.status != http.StatusUnauthorized {
		t.Errorf("status = %d, want 401: %s", resp.status, resp.body)
	}
	host := strings.TrimPrefix(s.URL, "http://")
	challenge := resp.header.Get("WWW-Authenticate")
	if want := `OAuth realm="` + host + `", oauth_problem="` + wantProblem + `"`; challenge != want {
		t.Errorf("WWW-Authenticate = %q, want %q", challenge, want)
	}
	if got := auth.ParseOAuthProblem(challenge); got != wantProblem {
		t.Errorf("auth.ParseOAuthProblem = %q, want %q", got, wantProblem)
	}

	body := decode[errorBody](t, resp.body)
	if body.Code != 401 || len(body.Details) != 1 {
		t.Fatalf("error body = %+v, want code 401 and one detail", body)
	}
	detail := body.Details[0]
	if detail.Reason != wantProblem {
		t.Errorf("detail reason = %q, want %q", detail.Reason, wantProblem)
	}
	if detail.LocationType != "header" || detail.Location != "Authorization" {
		t.Errorf("detail location = %s %s, want header Authorization", detail.LocationType, detail.Location)
	}
	if detail.Message == "" {
		t.Error("detail message is empty")
	}
}

func TestPlainTextHeaderReused(t *testing.T) {
	s := startOAuthSandbox(t, sandbox.Options{})
	token := fetchToken(t, s, auth.PlainText)
	header := formatOAuthHeader(url.Values{
		"oauth_consumer_key":     {testConsumerKey},
		"oauth_token":            {token.Token},
		"oauth_signature_method": {"PLAINTEXT"},
		"oauth_signature":        {auth.PercentEncode(token.AccessorSecret) + "&" + auth.PercentEncode(token.TokenSecret)},
	})
	for i, path := range []string{"/tenant/v1/tenant", personnelPath + "?limit=1", "/tenant/v1/tenant"} {
		resp := send(t, s, request{path: path, noAuth: true, header: map[string]string{"Authorization": header}})
		if resp.status != http.StatusOK {
			t.Errorf("call %d to %s: status = %d, want 200: %s", i+1, path, resp.status, resp.body)
		}
	}
}

func TestTokenIssuedAfterRevocationWorks(t *testing.T) {
	s := startOAuthSandbox(t, sandbox.Options{})
	fetchToken(t, s, auth.PlainText)
	s.RevokeTokens()
	signer := &auth.OAuth1Signer{Consumer: testConsumer(auth.PlainText), Token: fetchToken(t, s, auth.PlainText)}
	if resp := sendSigned(t, s, signer, http.MethodGet, "/tenant/v1/tenant", "", ""); resp.status != http.StatusOK {
		t.Errorf("status = %d, want 200: %s", resp.status, resp.body)
	}
}

func TestTokenExpiresAfterTTL(t *testing.T) {
	s := startOAuthSandbox(t, sandbox.Options{TokenTTL: 2 * time.Minute})
	signer := &auth.OAuth1Signer{Consumer: testConsumer(auth.HMACSHA1), Token: fetchToken(t, s, auth.HMACSHA1)}

	s.AdvanceClock(time.Minute)
	signer.Now = func() time.Time { return time.Now().Add(time.Minute) }
	if resp := sendSigned(t, s, signer, http.MethodGet, "/tenant/v1/tenant", "", ""); resp.status != http.StatusOK {
		t.Fatalf("status within the TTL = %d, want 200: %s", resp.status, resp.body)
	}

	s.AdvanceClock(time.Minute)
	signer.Now = func() time.Time { return time.Now().Add(2 * time.Minute) }
	resp := sendSigned(t, s, signer, http.MethodGet, "/tenant/v1/tenant", "", "")
	checkOAuthProblem(t, s, resp, "token_expired")
}

func TestStartOAuthOptions(t *testing.T) {
	tests := []struct {
		name           string
		opts           sandbox.Options
		wantKey        string
		wantSecret     string
		wantErrMention string
	}{
		{name: "defaults", wantKey: "hi-sandbox-consumer"},
		{name: "key and secret from options", opts: sandbox.Options{ConsumerKey: "k", ConsumerSecret: "s"},
			wantKey: "k", wantSecret: "s"},
		{name: "TTL below a second is rejected", opts: sandbox.Options{TokenTTL: 500 * time.Millisecond},
			wantErrMention: "500ms"},
		{name: "negative TTL is rejected", opts: sandbox.Options{TokenTTL: -time.Hour}, wantErrMention: "-1h0m0s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := sandbox.Start("127.0.0.1:0", tt.opts)
			if tt.wantErrMention != "" {
				if err == nil {
					s.Close()
					t.Fatal("Start succeeded, want an error")
				}
				if !strings.Contains(err.Error(), tt.wantErrMention) {
					t.Errorf("error %q does not mention %q", err, tt.wantErrMention)
				}
				return
			}
			if err != nil {
				t.Fatalf("Start: %v", err)
			}
			defer s.Close()

			if s.ConsumerKey != tt.wantKey {
				t.Errorf("ConsumerKey = %q, want %q", s.ConsumerKey, tt.wantKey)
			}
			if tt.wantSecret != "" && s.ConsumerSecret != tt.wantSecret {
				t.Errorf("ConsumerSecret = %q, want %q", s.ConsumerSecret, tt.wantSecret)
			}
			if tt.wantSecret == "" && !regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`).MatchString(s.ConsumerSecret) {
				t.Errorf("generated ConsumerSecret = %q, want 43 base64url characters", s.ConsumerSecret)
			}
			if s.TokenURL != s.URL+"/oauth/access" {
				t.Errorf("TokenURL = %q, want %q", s.TokenURL, s.URL+"/oauth/access")
			}
		})
	}
}

func TestGeneratedConsumerSecretsDiffer(t *testing.T) {
	first := startSandboxWith(t, sandbox.Options{})
	second := startSandboxWith(t, sandbox.Options{})
	if first.ConsumerSecret == second.ConsumerSecret {
		t.Error("two sandboxes generated the same consumer secret")
	}
}

func TestTokenRequestsCounted(t *testing.T) {
	s := startOAuthSandbox(t, sandbox.Options{})
	fetchToken(t, s, auth.PlainText)
	fetchToken(t, s, auth.HMACSHA1)
	c := &auth.TokenClient{HTTPClient: client}
	if _, err := c.Fetch(context.Background(), s.TokenURL, auth.Consumer{Key: "nobody", Secret: "x"}); err == nil {
		t.Fatal("Fetch with an unknown key succeeded, want an error")
	}
	send(t, s, request{path: tokenPath, noAuth: true})
	send(t, s, request{method: http.MethodPost, path: "/_sandbox/revoke-tokens", noAuth: true})

	want := sandbox.Stats{Requests: 4, ByMethod: map[string]int64{"GET": 1, "POST": 3}, TokenRequests: 3}
	got := s.Stats()
	checkStats(t, "after three token requests", got, want)
	if got.TokenRequests != want.TokenRequests {
		t.Errorf("TokenRequests = %d, want %d", got.TokenRequests, want.TokenRequests)
	}

	resp := send(t, s, request{path: "/_sandbox/stats", noAuth: true})
	if served := decode[sandbox.Stats](t, resp.body); served.TokenRequests != 3 {
		t.Errorf("tokenRequests from /_sandbox/stats = %d, want 3", served.TokenRequests)
	}
	send(t, s, request{method: http.MethodPost, path: "/_sandbox/reset-stats", noAuth: true})
	if got := s.Stats().TokenRequests; got != 0 {
		t.Errorf("TokenRequests after reset = %d, want 0", got)
	}
}

func TestRequestLogNamesOAuthProblem(t *testing.T) {
	var log syncBuffer
	s := startOAuthSandbox(t, sandbox.Options{Log: &log})
	token := fetchToken(t, s, auth.PlainText)
	signer := &auth.OAuth1Signer{Consumer: testConsumer(auth.PlainText), Token: token}
	signer.Consumer.Secret = "wrong"
	signer.Token.AccessorSecret = ""
	sendSigned(t, s, signer, http.MethodGet, "/tenant/v1/tenant", "", "")

	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("log has %d lines, want 2:\n%s", len(lines), log.String())
	}
	wantLines := []*regexp.Regexp{
		regexp.MustCompile(`^POST /oauth/access 200 \S+$`),
		regexp.MustCompile(`^GET /tenant/v1/tenant 401 \S+ oauth_problem=signature_invalid$`),
	}
	for i, want := range wantLines {
		if !want.MatchString(lines[i]) {
			t.Errorf("log line %d = %q, want a match for %s", i, lines[i], want)
		}
	}
	for name, secret := range map[string]string{
		"consumer secret": testConsumerSecret, "token secret": token.TokenSecret, "accessor secret": token.AccessorSecret,
	} {
		if strings.Contains(log.String(), secret) {
			t.Errorf("log contains the %s", name)
		}
	}
}
