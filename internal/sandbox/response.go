package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
)

const jsonContentType = "application/json"

// encodeJSON returns v as JSON followed by a newline. HTML characters are not escaped, so that
// the & of a pagination link stays readable. Every value the sandbox encodes is built from
// strings, numbers, slices and string-keyed maps, so an encoding error is a bug in the sandbox.
func encodeJSON(v any) []byte {
	var buf bytes.Buffer
	encoder := json.NewEncoder(&buf)
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(v); err != nil {
		panic(fmt.Sprintf("sandbox: encode %T: %v", v, err))
	}
	return buf.Bytes()
}

// writeEntity sends v as a JSON body with status and a strong ETag computed from the body.
func writeEntity(w http.ResponseWriter, status int, v any) {
	body := encodeJSON(v)
	w.Header().Set("ETag", entityTag(body))
	w.Header().Set("Content-Type", jsonContentType)
	w.WriteHeader(status)
	w.Write(body)
}

// writeCacheable sends v with 200 and its ETag, or 304 with no body when the request's
// If-None-Match lists that ETag.
func writeCacheable(w http.ResponseWriter, r *http.Request, v any) {
	body := encodeJSON(v)
	tag := entityTag(body)
	w.Header().Set("ETag", tag)
	if noneMatchFails(r.Header.Get("If-None-Match"), tag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}

	w.Header().Set("Content-Type", jsonContentType)
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}
