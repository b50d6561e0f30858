package sandbox

import (
	"fmt"
	"net/http"
	"net/url"
)

const personnelPath = "/personnel/v1/personnel"

// listPersonnel handles GET /personnel/v1/personnel.
func (s *Server) listPersonnel(w http.ResponseWriter, r *http.Request) {
	query := r.URL.Query()
	p, details := parsePage(query)
	q, queryDetails := parsePersonnelQuery(query)
	details = append(details, queryDetails...)
	if len(details) > 0 {
		writeError(w, newAPIError(http.StatusBadRequest, details...))
		return
	}

	items, total := s.personnel.list(q, p)
	writeCacheable(w, r, newCollection(r, p, items, total))
}

// getPersonnel handles GET /personnel/v1/personnel/{id}.
func (s *Server) getPersonnel(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	record, ok := s.personnel.get(id)
	if !ok {
		writeError(w, recordNotFound("personnel", "personnelId", id))
		return
	}
	writeCacheable(w, r, record)
}

// createPersonnel handles POST /personnel/v1/personnel. It responds with 201, the stored
// record and its absolute URL in Location.
func (s *Server) createPersonnel(w http.ResponseWriter, r *http.Request) {
	p, apiErr := decodePersonnel(w, r)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	created, apiErr := s.personnel.create(p)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}

	w.Header().Set("Location", personnelURL(r, created.ID))
	writeEntity(w, http.StatusCreated, created)
}

// replacePersonnel handles PUT /personnel/v1/personnel/{id}. It responds with 200 and the
// stored record. An id in the body must be absent or equal to the id in the path.
func (s *Server) replacePersonnel(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	p, apiErr := decodePersonnel(w, r)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	if p.ID != "" && p.ID != id {
		message := fmt.Sprintf("id %q in the body does not match %q in the path", p.ID, id)
		writeError(w, newAPIError(http.StatusUnprocessableEntity, bodyError("id", "invalid", message)))
		return
	}

	replaced, apiErr := s.personnel.replace(id, p, r.Header.Get("If-Match"))
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	writeEntity(w, http.StatusOK, replaced)
}

// deletePersonnel handles DELETE /personnel/v1/personnel/{id} and responds with 204.
func (s *Server) deletePersonnel(w http.ResponseWriter, r *http.Request) {
	if apiErr := s.personnel.delete(r.PathValue("id"), r.Header.Get("If-Match")); apiErr != nil {
		writeError(w, apiErr)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// personnelURL returns the absolute URL of the record id, on the host the request used.
func personnelURL(r *http.Request, id string) string {
	u := url.URL{Scheme: requestScheme(r), Host: r.Host, Path: personnelPath + "/" + id}
	return u.String()
}
