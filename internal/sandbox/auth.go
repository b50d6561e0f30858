package sandbox

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
)

// authSchemes is the set of authentication schemes an API route accepts.
type authSchemes int

const (
	// bearerOrOAuth is for every API except the Data Collector API.
	bearerOrOAuth authSchemes = iota
	// oauthOnly is for the Data Collector API, which accepts OAuth 1.0a only.
	oauthOnly
)

// authFailure is the response to a request whose credentials are rejected: the error body and
// the WWW-Authenticate challenge, which is empty when the status is not 401.
type authFailure struct {
	err       *apiError
	challenge string
}

func (f *authFailure) write(w http.ResponseWriter) {
	if f.challenge != "" {
		w.Header().Set("WWW-Authenticate", f.challenge)
	}
	writeError(w, f.err)
}

// protect passes requests with a valid bearer token or OAuth signature to next, and responds
// with 401 to the others.
func (s *Server) protect(next http.Handler) http.Handler {
	return s.requireAuth(bearerOrOAuth, next)
}

// protectOAuthOnly passes requests with a valid OAuth signature to next, and responds with 401
// to the others, bearer tokens included.
func (s *Server) protectOAuthOnly(next http.Handler) http.Handler {
	return s.requireAuth(oauthOnly, next)
}

func (s *Server) requireAuth(accepted authSchemes, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failure := s.authenticate(w, r, accepted); failure != nil {
			failure.write(w)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// authenticate checks the Authorization header of a request to an API route and returns the
// response to send, or nil when the request may proceed. A rejected bearer token gets a Bearer
// challenge, a rejected OAuth signature an OAuth challenge naming the oauth_problem, and a
// request with neither scheme gets a challenge for each scheme the route accepts, as the
// platform sends.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, accepted authSchemes) *authFailure {
	header := r.Header.Get("Authorization")
	if header == "" {
		return &authFailure{unauthorized("required", "header missing"), challenges(r, accepted)}
	}

	// Authentication scheme names are case-insensitive (RFC 9110 section 11.1).
	scheme, credentials, _ := strings.Cut(header, " ")
	switch {
	case strings.EqualFold(scheme, "OAuth"):
		return s.authenticateOAuth(w, r, header)
	case strings.EqualFold(scheme, "Bearer") && accepted == oauthOnly:
		return &authFailure{
			unauthorized("invalid", "this API accepts OAuth 1.0a only, not bearer tokens"),
			challenges(r, accepted),
		}
	case strings.EqualFold(scheme, "Bearer"):
		if apiErr := s.verifyBearer(strings.TrimSpace(credentials)); apiErr != nil {
			return &authFailure{apiErr, `Bearer realm="` + r.Host + `"`}
		}
		return nil
	default:
		return &authFailure{unauthorized("invalid", "unsupported authorization scheme"), challenges(r, accepted)}
	}
}

// challenges returns the WWW-Authenticate value that invites each accepted scheme.
func challenges(r *http.Request, accepted authSchemes) string {
	oauth := `OAuth realm="` + r.Host + `"`
	if accepted == oauthOnly {
		return oauth
	}
	return `Bearer realm="` + r.Host + `", ` + oauth
}

// authenticateOAuth reads a form-encoded body, whose parameters are signed, and verifies the
// OAuth signature.
func (s *Server) authenticateOAuth(w http.ResponseWriter, r *http.Request, header string) *authFailure {
	var form url.Values
	if isFormContent(r.Header.Get("Content-Type")) {
		var err error
		if form, err = readForm(w, r, maxBodyBytes); err != nil {
			return &authFailure{err: readBodyError(err)}
		}
	}

	problem := s.verifyOAuth(r, header, form)
	if problem == nil {
		return nil
	}
	apiErr := unauthorized(problem.name, problem.message)
	return &authFailure{apiErr, problem.challenge(r.Host)}
}

// verifyBearer compares token with the sandbox's token in constant time. Both are hashed
// first, so that the comparison does not reveal the length of the expected token either.
func (s *Server) verifyBearer(token string) *apiError {
	got := sha256.Sum256([]byte(token))
	want := sha256.Sum256([]byte(s.BearerToken))
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		return unauthorized("invalid", "invalid token")
	}
	return nil
}

// unauthorized builds the 401 error body for a problem with the Authorization header.
func unauthorized(reason, message string) *apiError {
	return newAPIError(http.StatusUnauthorized, errorDetail{
		Reason:       reason,
		Message:      message,
		LocationType: "header",
		Location:     "Authorization",
	})
}
