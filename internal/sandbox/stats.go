package sandbox

import (
	"maps"
	"net/http"
	"sync"
)

// Stats counts the requests a sandbox has received, apart from those to its /_sandbox/ routes.
// Every request counts, whatever its outcome, including rejected and unknown ones.
type Stats struct {
	// Requests is the number of requests.
	Requests int64 `json:"requests"`
	// ByMethod is the number of requests per HTTP method, for example "GET".
	ByMethod map[string]int64 `json:"byMethod"`
	// TokenRequests is the number of POST requests to the access-token service, whether or
	// not they got a token. They count in Requests too.
	TokenRequests int64 `json:"tokenRequests"`
}

// Stats returns a copy of the request counters.
func (s *Server) Stats() Stats {
	return s.stats.snapshot()
}

// statsCounter holds the counters behind Stats, safe for concurrent use.
type statsCounter struct {
	mu            sync.Mutex
	requests      int64
	byMethod      map[string]int64
	tokenRequests int64
}

func newStatsCounter() *statsCounter {
	return &statsCounter{byMethod: map[string]int64{}}
}

func (c *statsCounter) record(method string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.requests++
	c.byMethod[method]++
}

func (c *statsCounter) recordTokenRequest() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tokenRequests++
}

func (c *statsCounter) snapshot() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{Requests: c.requests, ByMethod: maps.Clone(c.byMethod), TokenRequests: c.tokenRequests}
}

func (c *statsCounter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.requests = 0
	c.byMethod = map[string]int64{}
	c.tokenRequests = 0
}

// serveStats handles GET /_sandbox/stats.
func (s *Server) serveStats(w http.ResponseWriter, r *http.Request) {
	writeEntity(w, http.StatusOK, s.stats.snapshot())
}

// resetStats handles POST /_sandbox/reset-stats by zeroing the counters.
func (s *Server) resetStats(w http.ResponseWriter, r *http.Request) {
	s.stats.reset()
	w.WriteHeader(http.StatusNoContent)
}
