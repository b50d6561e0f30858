package sandbox

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
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
	return parseForm(string(body)), nil
}

// parseForm decodes an application/x-www-form-urlencoded string the way the OAuth client in
// internal/auth does, so that both sign the same parameters. Unlike url.ParseQuery it keeps
// pairs that contain a semicolon, and a name or value with a malformed escape is kept as sent.
func parseForm(raw string) url.Values {
	values := url.Values{}
	for pair := range strings.SplitSeq(raw, "&") {
		if pair == "" {
			continue
		}
		name, value, _ := strings.Cut(pair, "=")
		values.Add(formUnescape(name), formUnescape(value))
	}
	return values
}

func formUnescape(s string) string {
	decoded, err := url.QueryUnescape(s)
	if err != nil {
		return s
	}
	return decoded
}
