package sandbox

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
)

// authenticate checks the Authorization header of a request to an API route and returns the
// 401 error to send, or nil when the request may proceed.
//
// Only the bearer scheme is verified. Cerner OAuth 1.0a ("Authorization: OAuth …") is rejected
// for now, and its verification belongs in this switch beside bearer.
func (s *Server) authenticate(r *http.Request) *apiError {
	header := r.Header.Get("Authorization")
	if header == "" {
		return unauthorized("required", "header missing")
	}

	// Authentication scheme names are case-insensitive (RFC 9110 section 11.1).
	scheme, credentials, _ := strings.Cut(header, " ")
	switch {
	case strings.EqualFold(scheme, "Bearer"):
		return s.verifyBearer(strings.TrimSpace(credentials))
	default:
		return unauthorized("invalid", "unsupported authorization scheme")
	}
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
