package sandbox

import (
	"bytes"
	"net/http"
	"strconv"
	"sync"
)

// maxStreamBytes bounds the size of /_sandbox/bytes to 16 GiB, far above what a test needs,
// so that a mistyped size is rejected rather than streamed for minutes.
const maxStreamBytes int64 = 16 << 30

// streamPattern returns the 64 KiB that is repeated to make the body of /_sandbox/bytes. It
// is built on first use rather than at the start of every hi command.
var streamPattern = sync.OnceValue(func() []byte {
	return bytes.Repeat([]byte("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_\n"), 1024)
})

// serveBytes handles GET /_sandbox/bytes?size=N with an application/octet-stream body of N
// bytes, written as it is generated, so tests can check that hi streams a large response
// without holding it in memory. Like every control route it needs no credential.
func serveBytes(w http.ResponseWriter, r *http.Request) {
	size, err := strconv.ParseInt(r.URL.Query().Get("size"), 10, 64)
	if err != nil || size < 0 || size > maxStreamBytes {
		writeError(w, newAPIError(http.StatusBadRequest,
			queryError("size", "size must be a number of bytes from 0 to "+strconv.FormatInt(maxStreamBytes, 10))))
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	pattern := streamPattern()
	for size > 0 {
		chunk := pattern[:min(int64(len(pattern)), size)]
		if _, err := w.Write(chunk); err != nil {
			return // the client went away
		}
		size -= int64(len(chunk))
	}
}
