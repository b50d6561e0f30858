package auth

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

var fetchTime = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// recordedRequest is what the test token service received.
type recordedRequest struct {
	method string
	path   string
	header http.Header
	body   string
}

// tokenService is a test access-token service on 127.0.0.1 that records each request
// and responds with a fixed status, headers and body.
type tokenService struct {
	server   *httptest.Server
	mu       sync.Mutex
	requests []recordedRequest
}

func newTokenService(t *testing.T, status int, header http.Header, body string) *tokenService {
	t.Helper()
	ts := &tokenService{}
	ts.server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, _ := io.ReadAll(r.Body)
		ts.mu.Lock()
		ts.requests = append(ts.requests, recordedRequest{r.Method, r.URL.Path, r.Header.Clone(), string(data)})
		ts.mu.Unlock()
		for name, values := range header {
			w.Header()[name] = values
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(ts.server.Close)
	return ts
}

func (ts *tokenService) url() string { return ts.server.URL + "/oauth/access" }

func (ts *tokenService) onlyRequest(t *testing.T) recordedRequest {
	t.Helper()
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if len(ts.requests) != 1 {
		t.Fatalf("token service received %d requests, want 1", len(ts.requests))
	}
	return ts.requests[0]
}

// stepClock returns fetchTime on the first call and an hour later on every later call,
// so a test can tell which reading a result came from.
func stepClock() func() time.Time {
	calls := 0
	return func() time.Time {
		calls++
		if calls == 1 {
			return fetchTime
		}
		return fetchTime.Add(time.Hour)
	}
}

// counterRand returns bytes 0, 1, 2 … so the accessor secret is known in advance.
func counterRand() io.Reader {
	buf := make([]byte, 256)
	for i := range buf {
		buf[i] = byte(i)
	}
	return bytes.NewReader(buf)
}

func newTestTokenClient(ts *tokenService) *TokenClient {
	return &TokenClient{HTTPClient: ts.server.Client(), Now: stepClock(), Rand: counterRand()}
}

const tokenResponse = "oauth_token=ConsumerKey%3Dck%26ExpiresOn%3D1715000000%26RSASHA1%3Dab%252B" +
	"&oauth_token_secret=ts%2Fx&oauth_expires_in=3600&oauth_authorization_expires_in=86400"

func formHeader() http.Header {
	return http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
}

// hmacSignTokenRequest signs the token request form the way RFC 5849 section 3.4
// describes, without the package's own base string code.
func hmacSignTokenRequest(tokenURL string, form url.Values, consumerSecret string) string {
	var pairs []string
	for name, values := range form {
		if name == "oauth_signature" {
			continue
		}
		for _, value := range values {
			pairs = append(pairs, rfc3986Encode(name)+"="+rfc3986Encode(value))
		}
	}
	slices.Sort(pairs)
	base := "POST&" + rfc3986Encode(tokenURL) + "&" + rfc3986Encode(strings.Join(pairs, "&"))
	mac := hmac.New(sha1.New, []byte(rfc3986Encode(consumerSecret)+"&"))
	mac.Write([]byte(base))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func TestFetchRequest(t *testing.T) {
	const wantAccessor = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	const wantNonce = "202122232425262728292a2b2c2d2e2f"
	tests := []struct {
		name      string
		method    SignatureMethod
		secret    string
		wantSigFn func(tokenURL string, form url.Values) string
	}{
		{
			name: "PLAINTEXT signature", method: PlainText, secret: "s&cret 50%",
			wantSigFn: func(string, url.Values) string { return "s%26cret%2050%25&" },
		},
		{
			name: "default method is PLAINTEXT", method: "", secret: "plain",
			wantSigFn: func(string, url.Values) string { return "plain&" },
		},
		{
			name: "HMAC-SHA1 signature", method: HMACSHA1, secret: "s&cret 50%",
			wantSigFn: func(tokenURL string, form url.Values) string {
				return hmacSignTokenRequest(tokenURL, form, "s&cret 50%")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTokenService(t, http.StatusOK, formHeader(), tokenResponse)
			consumer := Consumer{Key: "key with space", Secret: tt.secret, Method: tt.method}
			if _, err := newTestTokenClient(ts).Fetch(context.Background(), ts.url(), consumer); err != nil {
				t.Fatalf("Fetch: %v", err)
			}

			got := ts.onlyRequest(t)
			if got.method != http.MethodPost {
				t.Errorf("method = %s, want POST", got.method)
			}
			if got.path != "/oauth/access" {
				t.Errorf("path = %s, want /oauth/access", got.path)
			}
			if ct := got.header.Get("Content-Type"); ct != "application/x-www-form-urlencoded; charset=UTF-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			if accept := got.header.Get("Accept"); accept != "application/x-www-form-urlencoded" {
				t.Errorf("Accept = %q", accept)
			}
			if strings.Contains(got.body, "+") {
				t.Errorf("body %q contains +, want spaces as %%20", got.body)
			}

			form, err := url.ParseQuery(got.body)
			if err != nil {
				t.Fatalf("body %q is not form-encoded: %v", got.body, err)
			}
			wantMethod := string(tt.method)
			if wantMethod == "" {
				wantMethod = "PLAINTEXT"
			}
			wantFields := map[string]string{
				"oauth_consumer_key":     "key with space",
				"oauth_signature_method": wantMethod,
				"oauth_version":          "1.0",
				"oauth_timestamp":        "1714979289",
				"oauth_nonce":            wantNonce,
				"oauth_accessor_secret":  wantAccessor,
				"oauth_signature":        tt.wantSigFn(ts.url(), form),
			}
			for name, want := range wantFields {
				if values := form[name]; len(values) != 1 || values[0] != want {
					t.Errorf("%s = %q, want %q", name, values, want)
				}
			}
			if len(form) != len(wantFields) {
				t.Errorf("form has %d fields, want %d: %v", len(form), len(wantFields), form)
			}
		})
	}
}

func TestFetchToken(t *testing.T) {
	ts := newTokenService(t, http.StatusOK, formHeader(), tokenResponse)
	token, err := newTestTokenClient(ts).Fetch(context.Background(), ts.url(), Consumer{Key: "k", Secret: "s"})
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}

	if want := "ConsumerKey=ck&ExpiresOn=1715000000&RSASHA1=ab%2B"; token.Token != want {
		t.Errorf("Token = %q, want %q", token.Token, want)
	}
	if token.TokenSecret != "ts/x" {
		t.Errorf("TokenSecret = %q, want ts/x", token.TokenSecret)
	}
	if want := "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"; token.AccessorSecret != want {
		t.Errorf("AccessorSecret = %q, want %q", token.AccessorSecret, want)
	}
	if want := fetchTime.Add(3600 * time.Second); !token.ExpiresAt.Equal(want) {
		t.Errorf("ExpiresAt = %v, want %v (counted from the request time)", token.ExpiresAt, want)
	}
	if want := fetchTime.Add(86400 * time.Second); !token.AuthorizationExpiresAt.Equal(want) {
		t.Errorf("AuthorizationExpiresAt = %v, want %v", token.AuthorizationExpiresAt, want)
	}
}

func TestFetchResponseWithoutExpiry(t *testing.T) {
	ts := newTokenService(t, http.StatusOK, formHeader(), "oauth_token=t&oauth_token_secret=s")
	token, err := newTestTokenClient(ts).Fetch(context.Background(), ts.url(), Consumer{Key: "k"})
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if !token.ExpiresAt.IsZero() {
		t.Errorf("ExpiresAt = %v, want zero", token.ExpiresAt)
	}
	if token.Fresh(fetchTime) {
		t.Errorf("token without expiry is fresh, want not fresh")
	}
}

func TestFetchProblem(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		header      http.Header
		body        string
		wantProblem string
	}{
		{
			name:   "problem in WWW-Authenticate",
			status: http.StatusUnauthorized,
			header: http.Header{"Www-Authenticate": {
				`OAuth realm="https://oauth-api.cerner.com", oauth_problem="consumer_key_unknown"`}},
			wantProblem: "consumer_key_unknown",
		},
		{
			name:        "problem after a Bearer challenge",
			status:      http.StatusUnauthorized,
			header:      http.Header{"Www-Authenticate": {"Bearer realm=h", `OAuth realm=h, oauth_problem=signature_invalid`}},
			wantProblem: "signature_invalid",
		},
		{
			name:        "problem in form body",
			status:      http.StatusBadRequest,
			header:      formHeader(),
			body:        "oauth_problem=timestamp_refused&oauth_acceptable_timestamps=1-2",
			wantProblem: "timestamp_refused",
		},
		{
			name:        "server error without problem",
			status:      http.StatusInternalServerError,
			header:      http.Header{"Content-Type": {"text/html"}},
			body:        "<html>oauth_problem=<b>broken</b></html>",
			wantProblem: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTokenService(t, tt.status, tt.header, tt.body)
			_, err := newTestTokenClient(ts).Fetch(context.Background(), ts.url(), Consumer{Key: "k", Secret: "s"})

			var problem *ProblemError
			if !errors.As(err, &problem) {
				t.Fatalf("Fetch error = %v, want *ProblemError", err)
			}
			if problem.StatusCode != tt.status {
				t.Errorf("StatusCode = %d, want %d", problem.StatusCode, tt.status)
			}
			if problem.Problem != tt.wantProblem {
				t.Errorf("Problem = %q, want %q", problem.Problem, tt.wantProblem)
			}
			if problem.URL != ts.url() {
				t.Errorf("URL = %q, want %q", problem.URL, ts.url())
			}
			if !problem.TokenRequest {
				t.Errorf("TokenRequest = false, want true")
			}
		})
	}
}

func TestFetchConsumerKeyUnknownMessage(t *testing.T) {
	ts := newTokenService(t, http.StatusUnauthorized, http.Header{"Www-Authenticate": {
		`OAuth realm="http://127.0.0.1", oauth_problem="consumer_key_unknown"`}}, "")
	_, err := newTestTokenClient(ts).Fetch(context.Background(), ts.url(), Consumer{Key: "k", Secret: "s"})

	wantErr := "access token request to " + ts.url() + " failed: 401 Unauthorized, oauth_problem=consumer_key_unknown"
	if err == nil || err.Error() != wantErr {
		t.Fatalf("Fetch error = %v, want %q", err, wantErr)
	}
	var problem *ProblemError
	if !errors.As(err, &problem) {
		t.Fatalf("Fetch error %T is not *ProblemError", err)
	}
	wantAdvice := "the consumer key is not known to the token service at " + ts.url() +
		"; check the key and --access-token-url (production and sandbox keys differ)"
	if got := problem.Advice(); got != wantAdvice {
		t.Errorf("Advice:\n got %s\nwant %s", got, wantAdvice)
	}
}

func TestFetchInvalidResponse(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		wantErr string
	}{
		{"no oauth_token", "oauth_token_secret=s&oauth_expires_in=3600", "missing oauth_token"},
		{"no token fields", `{"token":"t"}`, "missing oauth_token and oauth_token_secret"},
		{"expiry not a number", "oauth_token=t&oauth_token_secret=s&oauth_expires_in=soon",
			`oauth_expires_in "soon" is not a number of seconds`},
		{"negative expiry", "oauth_token=t&oauth_token_secret=s&oauth_authorization_expires_in=-1",
			`oauth_authorization_expires_in "-1" is not a number of seconds`},
		{"expiry overflows", "oauth_token=t&oauth_token_secret=s&oauth_expires_in=99999999999999",
			`oauth_expires_in "99999999999999" is not a number of seconds`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTokenService(t, http.StatusOK, formHeader(), tt.body)
			_, err := newTestTokenClient(ts).Fetch(context.Background(), ts.url(), Consumer{Key: "k"})
			want := "invalid access token response from " + ts.url() + ": " + tt.wantErr
			if err == nil || err.Error() != want {
				t.Errorf("Fetch error = %v, want %q", err, want)
			}
		})
	}
}

func TestFetchNetworkFailure(t *testing.T) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	tokenURL := "http://" + listener.Addr().String() + "/oauth/access"
	listener.Close()

	client := &TokenClient{Now: stepClock(), Rand: counterRand()}
	_, err = client.Fetch(context.Background(), tokenURL, Consumer{Key: "k", Secret: "s"})
	if err == nil {
		t.Fatal("Fetch succeeded against a closed port")
	}
	if prefix := "access token request to " + tokenURL + " failed: "; !strings.HasPrefix(err.Error(), prefix) {
		t.Errorf("Fetch error = %q, want prefix %q", err, prefix)
	}
	if strings.Count(err.Error(), tokenURL) != 1 {
		t.Errorf("Fetch error %q names the URL more than once", err)
	}
	var opErr *net.OpError
	if !errors.As(err, &opErr) {
		t.Errorf("Fetch error %v does not wrap *net.OpError", err)
	}
}

func TestFetchCanceledContext(t *testing.T) {
	ts := newTokenService(t, http.StatusOK, formHeader(), tokenResponse)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := newTestTokenClient(ts).Fetch(ctx, ts.url(), Consumer{Key: "k"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Fetch error = %v, want context.Canceled", err)
	}
}

func TestFetchInvalidInput(t *testing.T) {
	tests := []struct {
		name     string
		tokenURL string
		consumer Consumer
		rand     io.Reader
		wantErr  string
	}{
		{"relative URL", "/oauth/access", Consumer{Key: "k"}, nil,
			"invalid access token URL /oauth/access: use an absolute http or https URL"},
		{"other scheme", "ftp://h.test/oauth", Consumer{Key: "k"}, nil,
			"invalid access token URL ftp://h.test/oauth: use an absolute http or https URL"},
		{"credentials redacted", "ftp://user:pw@h.test/oauth?secret=1", Consumer{Key: "k"}, nil,
			"invalid access token URL ftp://h.test/oauth: use an absolute http or https URL"},
		{"empty consumer key", "https://h.test/oauth", Consumer{}, nil, "consumer key is empty"},
		{"unsupported method", "https://h.test/oauth", Consumer{Key: "k", Method: "RSA-SHA1"}, nil,
			`invalid signature method "RSA-SHA1": use PLAINTEXT or HMAC-SHA1`},
		{"random source fails", "https://h.test/oauth", Consumer{Key: "k"}, strings.NewReader("x"),
			"generate OAuth accessor secret: unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client := &TokenClient{Now: stepClock(), Rand: tt.rand}
			_, err := client.Fetch(context.Background(), tt.tokenURL, tt.consumer)
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("Fetch error = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestAccessTokenFresh(t *testing.T) {
	expires := fetchTime.Add(time.Hour)
	tests := []struct {
		name      string
		expiresAt time.Time
		now       time.Time
		want      bool
	}{
		{"well before expiry", expires, fetchTime, true},
		{"just inside the margin", expires, expires.Add(-5*time.Minute - time.Nanosecond), true},
		{"exactly 5 minutes before expiry", expires, expires.Add(-5 * time.Minute), false},
		{"within the last 5 minutes", expires, expires.Add(-time.Minute), false},
		{"after expiry", expires, expires.Add(time.Second), false},
		{"no expiry", time.Time{}, fetchTime, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := AccessToken{Token: "t", ExpiresAt: tt.expiresAt}
			if got := token.Fresh(tt.now); got != tt.want {
				t.Errorf("Fresh(%v) = %v, want %v", tt.now, got, tt.want)
			}
		})
	}
}

func TestAccessTokenMarshalRoundTrip(t *testing.T) {
	tests := []struct {
		name  string
		token AccessToken
	}{
		{"all fields", AccessToken{
			Token:                  "ConsumerKey=ck&ExpiresOn=1715000000&RSASHA1=ab%2B",
			TokenSecret:            "s\"e/c",
			AccessorSecret:         "acc",
			ExpiresAt:              fetchTime.Add(time.Hour),
			AuthorizationExpiresAt: fetchTime.Add(24 * time.Hour),
		}},
		{"no accessor secret or expiry", AccessToken{Token: "t", TokenSecret: "s"}},
		{"local time zone", AccessToken{Token: "t",
			ExpiresAt: time.Date(2024, 5, 6, 9, 0, 0, 123, time.FixedZone("CEST", 2*3600))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			encoded, err := tt.token.Marshal()
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			got, err := UnmarshalAccessToken(encoded)
			if err != nil {
				t.Fatalf("UnmarshalAccessToken(%s): %v", encoded, err)
			}
			if got.Token != tt.token.Token || got.TokenSecret != tt.token.TokenSecret ||
				got.AccessorSecret != tt.token.AccessorSecret {
				t.Errorf("round trip = %+v, want %+v", got, tt.token)
			}
			if !got.ExpiresAt.Equal(tt.token.ExpiresAt) {
				t.Errorf("ExpiresAt = %v, want %v", got.ExpiresAt, tt.token.ExpiresAt)
			}
			if !got.AuthorizationExpiresAt.Equal(tt.token.AuthorizationExpiresAt) {
				t.Errorf("AuthorizationExpiresAt = %v, want %v", got.AuthorizationExpiresAt, tt.token.AuthorizationExpiresAt)
			}
		})
	}
}

func TestAccessTokenMarshalFormat(t *testing.T) {
	token := AccessToken{Token: "t", TokenSecret: "s", ExpiresAt: fetchTime}
	got, err := token.Marshal()
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	if want := `{"token":"t","token_secret":"s","expires_at":"2024-05-06T07:08:09Z"}`; got != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
}

func TestUnmarshalAccessTokenErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr string
	}{
		{"not JSON", "oauth_token=t", "invalid stored access token: invalid character 'o' looking for beginning of value"},
		{"empty token", `{"token":"","token_secret":"s"}`, "invalid stored access token: token is empty"},
		{"empty string", "", "invalid stored access token: unexpected end of JSON input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := UnmarshalAccessToken(tt.in)
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("UnmarshalAccessToken error = %v, want %q", err, tt.wantErr)
			}
		})
	}
}
