package sandbox

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/hi-cli/hi/internal/auth"
)

// controlPrefix starts the paths of the sandbox's own routes. Requests to them need no token
// and are not counted in Stats.
const controlPrefix = "/_sandbox/"

// routes builds the sandbox's handler: every route, wrapped in the correlation id, the request
// counters and the request log.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle(controlPrefix+"stats", methodRoutes{{http.MethodGet, s.serveStats}})
	mux.Handle(controlPrefix+"reset-stats", methodRoutes{{http.MethodPost, s.resetStats}})
	mux.HandleFunc(controlPrefix+"status/{code}", serveStatus)
	mux.HandleFunc(controlPrefix+"redirect", serveRedirect)
	mux.Handle(controlPrefix+"bytes", methodRoutes{{http.MethodGet, serveBytes}})
	mux.Handle(controlPrefix+"revoke-tokens", methodRoutes{{http.MethodPost, s.revokeTokens}})
	mux.Handle(tokenPath, methodRoutes{{http.MethodPost, s.issueAccessToken}})

	mux.Handle("/tenant/v1/tenant", s.protect(methodRoutes{{http.MethodGet, s.getTenant}}))
	mux.Handle(personnelPath, s.protect(methodRoutes{
		{http.MethodGet, s.listPersonnel},
		{http.MethodPost, s.createPersonnel},
	}))
	mux.Handle(personnelPath+"/{id}", s.protect(methodRoutes{
		{http.MethodGet, s.getPersonnel},
		{http.MethodPut, s.replacePersonnel},
		{http.MethodDelete, s.deletePersonnel},
	}))
	mux.Handle(entitiesPath+"/{entityType}", s.protectOAuthOnly(methodRoutes{
		{http.MethodGet, s.listEntities},
		{http.MethodPost, s.postEntityForm},
	}))
	mux.Handle(entitiesPath+"/{entityType}/{entityKey}", s.protectOAuthOnly(methodRoutes{
		{http.MethodGet, s.getEntity},
		{http.MethodPut, s.putEntity},
	}))

	mux.HandleFunc("/", serveNotFound)
	return s.observe(s.injectFaults(mux))
}

// methodRoute is the handler of one method on a path.
type methodRoute struct {
	method  string
	handler http.HandlerFunc
}

// methodRoutes dispatches a request on its method and responds with 405 and an Allow header
// when no route accepts the method. HEAD gets 405 like any other unlisted method, because the
// platform documentation does not mention it.
type methodRoutes []methodRoute

func (routes methodRoutes) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	allowed := make([]string, 0, len(routes))
	for _, route := range routes {
		if route.method == r.Method {
			route.handler(w, r)
			return
		}
		allowed = append(allowed, route.method)
	}
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	writeError(w, newAPIError(http.StatusMethodNotAllowed, errorDetail{
		Reason:  "methodNotAllowed",
		Message: fmt.Sprintf("method %s is not allowed on %s, use %s", r.Method, r.URL.Path, strings.Join(allowed, " or ")),
	}))
}

// observe sets the cerner-correlation-id header of every response, counts the request unless
// it is for a control route, and writes the request's log line.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		w.Header().Set("cerner-correlation-id", randomUUID())
		if !strings.HasPrefix(r.URL.Path, controlPrefix) {
			s.stats.record(r.Method)
		}

		recorder := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(recorder, r)
		problem := auth.ParseOAuthProblem(w.Header().Get("WWW-Authenticate"))
		s.log.write(r, recorder.status, time.Since(start), problem)
	})
}

func serveNotFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, newAPIError(http.StatusNotFound, errorDetail{
		Reason:       "notFound",
		Message:      fmt.Sprintf("no resource at %s", r.URL.Path),
		LocationType: "path",
		Location:     r.URL.Path,
	}))
}

// statusRecorder remembers the status code that a handler sends, for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (rec *statusRecorder) WriteHeader(status int) {
	rec.status = status
	rec.ResponseWriter.WriteHeader(status)
}

// Unwrap returns the wrapped writer, so that http.ResponseController reaches it.
func (rec *statusRecorder) Unwrap() http.ResponseWriter {
	return rec.ResponseWriter
}

// requestLog writes one line per request to w, or nothing when w is nil. Lines from concurrent
// requests never interleave.
type requestLog struct {
	mu sync.Mutex
	w  io.Writer
}

// write logs the method, the path with its query, the status, the duration and the
// oauth_problem of an OAuth failure, if any. Header values, which can hold credentials, are
// never logged.
func (l *requestLog) write(r *http.Request, status int, elapsed time.Duration, oauthProblem string) {
	if l.w == nil {
		return
	}
	suffix := ""
	if oauthProblem != "" {
		suffix = " oauth_problem=" + oauthProblem
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "%s %s %d %s%s\n", r.Method, r.URL.RequestURI(), status, elapsed.Round(time.Microsecond), suffix)
}
