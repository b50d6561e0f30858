package sandbox

import (
	"net/http"
	"strconv"
)

// serveStatus handles any method on /_sandbox/status/{code}: it responds with that status and
// the platform's error body (a 3xx gets a Location to /_sandbox/status/200), so scripts and
// hi's own tests can see how every status is handled.
func serveStatus(w http.ResponseWriter, r *http.Request) {
	code, err := strconv.Atoi(r.PathValue("code"))
	if err != nil || code < 200 || code > 599 {
		writeError(w, newAPIError(http.StatusBadRequest, errorDetail{
			Reason: "invalid", Message: "status must be a number from 200 to 599",
			LocationType: "path", Location: "code",
		}))
		return
	}
	switch {
	case code < 300:
		writeEntity(w, code, map[string]any{"status": code})
	case code < 400:
		w.Header().Set("Location", controlPrefix+"status/200")
		w.WriteHeader(code)
	default:
		writeError(w, newAPIError(code, errorDetail{Reason: "requested", Message: "status requested by the caller"}))
	}
}
