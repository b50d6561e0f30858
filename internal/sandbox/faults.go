package sandbox

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// faults injects the failures that Options requests into API requests: a delay before every
// response, 429 beyond a number of requests per second, 503 for a fraction of requests, and
// connections closed in the middle of the response for another fraction. Which requests
// fail is drawn from a generator seeded with Options.Seed, so a run in which requests arrive
// in the same order fails the same requests.
type faults struct {
	latency  time.Duration
	failRate float64
	throttle int
	dropRate float64
	now      func() time.Time

	mu          sync.Mutex
	random      *rand.Rand
	windowStart time.Time
	windowCount int
}

// newFaults checks the fault options.
func newFaults(opts Options) (*faults, error) {
	switch {
	case opts.Latency < 0:
		return nil, fmt.Errorf("invalid latency %s: use zero or more", opts.Latency)
	case opts.FailRate < 0 || opts.FailRate > 1:
		return nil, fmt.Errorf("invalid fail rate %g: use a fraction from 0 to 1", opts.FailRate)
	case opts.DropRate < 0 || opts.DropRate > 1:
		return nil, fmt.Errorf("invalid drop rate %g: use a fraction from 0 to 1", opts.DropRate)
	case opts.Throttle < 0:
		return nil, fmt.Errorf("invalid throttle %d: use zero (off) or more requests per second", opts.Throttle)
	}
	seed := uint64(opts.Seed)
	return &faults{
		latency: opts.Latency, failRate: opts.FailRate, throttle: opts.Throttle, dropRate: opts.DropRate,
		now: time.Now, random: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
	}, nil
}

// active reports whether any fault is switched on.
func (f *faults) active() bool {
	return f.latency > 0 || f.failRate > 0 || f.throttle > 0 || f.dropRate > 0
}

// fault is the failure chosen for one request.
type fault int

const (
	noFault fault = iota
	throttled
	failed
	dropped
)

// decide draws the fault of the next request. The generator is drawn once per request for
// each rate above zero, whatever the outcome, so that the sequence depends on the seed and
// the number of requests only.
func (f *faults) decide() fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	fail := f.failRate > 0 && f.random.Float64() < f.failRate
	drop := f.dropRate > 0 && f.random.Float64() < f.dropRate
	if f.throttle > 0 {
		now := f.now()
		if now.Sub(f.windowStart) >= time.Second {
			f.windowStart, f.windowCount = now, 0
		}
		f.windowCount++
		if f.windowCount > f.throttle {
			return throttled
		}
	}
	switch {
	case fail:
		return failed
	case drop:
		return dropped
	}
	return noFault
}

// injectFaults wraps the API routes in the faults of s. Control routes under /_sandbox/ and
// the access-token service are never affected, so tests can always read the counters and
// get a token.
func (s *Server) injectFaults(next http.Handler) http.Handler {
	if !s.faults.active() {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, controlPrefix) || r.URL.Path == tokenPath {
			next.ServeHTTP(w, r)
			return
		}
		if s.faults.latency > 0 {
			timer := time.NewTimer(s.faults.latency)
			select {
			case <-timer.C:
			case <-r.Context().Done():
				timer.Stop()
				return
			}
		}
		switch s.faults.decide() {
		case throttled:
			w.Header().Set("Retry-After", "1")
			writeError(w, newAPIError(http.StatusTooManyRequests, errorDetail{
				Reason:  "rateLimitExceeded",
				Message: fmt.Sprintf("more than %d requests in one second; retry after 1 second", s.faults.throttle),
			}))
		case failed:
			writeError(w, newAPIError(http.StatusServiceUnavailable, errorDetail{
				Reason: "backendError", Message: "the service is unavailable; retry later",
			}))
		case dropped:
			dropResponse(w, r, next)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// dropResponse serves r into a buffer, then sends the status line, the headers with the full
// Content-Length and the first half of the body, and closes the connection, as a server
// that fails in the middle of a response would. A body of fewer than two bytes is cut in
// the status line instead.
func dropResponse(w http.ResponseWriter, r *http.Request, next http.Handler) {
	buffered := &bufferedResponse{header: w.Header().Clone(), status: http.StatusOK}
	next.ServeHTTP(buffered, r)

	conn, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Without a connection of its own (HTTP/2), the handler can only abort the stream.
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	body := buffered.body.Bytes()
	if len(body) < 2 {
		fmt.Fprintf(rw, "HTTP/1.1 %d", buffered.status)
		rw.Flush()
		return
	}
	writeResponseHead(rw, buffered.status, buffered.header, len(body))
	rw.Write(body[:len(body)/2])
	rw.Flush()
}

// writeResponseHead writes an HTTP/1.1 status line and headers with Content-Length set.
func writeResponseHead(rw *bufio.ReadWriter, status int, header http.Header, length int) {
	header.Set("Content-Length", strconv.Itoa(length))
	header.Set("Connection", "close")
	fmt.Fprintf(rw, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	header.Write(rw)
	rw.WriteString("\r\n")
}

// bufferedResponse is an http.ResponseWriter that keeps the response in memory.
type bufferedResponse struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(status int) {
	if !b.wrote {
		b.status, b.wrote = status, true
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	b.wrote = true
	return b.body.Write(p)
}

// serveRedirect handles /_sandbox/redirect?to=URL with 302 Found to URL, whatever its host,
// so that tests can check what a client sends after a redirect to another host.
func serveRedirect(w http.ResponseWriter, r *http.Request) {
	to := r.URL.Query().Get("to")
	if to == "" {
		writeError(w, newAPIError(http.StatusBadRequest, queryError("to", "to must be the URL to redirect to")))
		return
	}
	w.Header().Set("Location", to)
	w.WriteHeader(http.StatusFound)
}
