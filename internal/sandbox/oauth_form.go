package sandbox

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"net/url"

	"github.com/hi-cli/hi/internal/auth"
)

const formContentType = "application/x-www-form-urlencoded"

// isFormContent reports whether a Content-Type header value names a form-encoded body.
func isFormContent(contentType string) bool {
	mediaType, _, err := mime.ParseMediaType(contentType)
	return err == nil && mediaType == formContentType
}

// readForm reads a form body of at most limit bytes, decodes it with parseForm and puts the
// body back, so that the handler can read it again.
func readForm(w http.ResponseWriter, r *http.Request, limit int64) (url.Values, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return nil, err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return auth.ParseForm(string(body)), nil
}
