package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sync"
)

// entitiesPath is the root of the sandbox's Data Collector API, which accepts OAuth 1.0a only,
// as the platform's does.
//
// NOTE: the platform documentation seen does not show the Data Collector API's paths or
// bodies, so /data-collector/v1/entities/{entityType}/{entityKey} and the shapes below are the
// sandbox's own design. Only the OAuth-only authentication follows the platform.
const entitiesPath = "/data-collector/v1/entities"

// maxStoredEntityBytes limits the total size of the entities a sandbox stores. Writes beyond
// it get 507.
const maxStoredEntityBytes = 64 << 20

// entityRef is an item of the entity list.
type entityRef struct {
	EntityKey string `json:"entityKey"`
}

// entityStore holds the Data Collector entities of one sandbox as compact JSON, by type and
// key. It is safe for concurrent use.
type entityStore struct {
	mu       sync.Mutex
	entities map[string]map[string][]byte
	size     int
}

func newEntityStore() *entityStore {
	return &entityStore{entities: map[string]map[string][]byte{}}
}

// put stores body under entityType and key. It reports whether the entity is new, or returns
// 507 when the store would grow past maxStoredEntityBytes.
func (st *entityStore) put(entityType, key string, body []byte) (bool, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	byKey := st.entities[entityType]
	old, exists := byKey[key]
	if st.size-len(old)+len(body) > maxStoredEntityBytes {
		return false, newAPIError(http.StatusInsufficientStorage, bodyError("", "storageFull",
			fmt.Sprintf("the sandbox stores at most %d bytes of entities; restart it to clear them", maxStoredEntityBytes)))
	}

	if byKey == nil {
		byKey = map[string][]byte{}
		st.entities[entityType] = byKey
	}
	byKey[key] = body
	st.size += len(body) - len(old)
	return !exists, nil
}

func (st *entityStore) get(entityType, key string) ([]byte, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	body, ok := st.entities[entityType][key]
	return body, ok
}

// keys returns the page p of the keys of entityType in ascending order, and the number of
// entities of that type.
func (st *entityStore) keys(entityType string, p page) ([]string, int) {
	st.mu.Lock()
	keys := slices.Sorted(maps.Keys(st.entities[entityType]))
	st.mu.Unlock()

	start := min(p.offset, len(keys))
	end := min(start+p.limit, len(keys))
	return keys[start:end], len(keys)
}

// listEntities handles GET /data-collector/v1/entities/{entityType}.
func (s *Server) listEntities(w http.ResponseWriter, r *http.Request) {
	p, details := parsePage(r.URL.Query())
	if len(details) > 0 {
		writeError(w, newAPIError(http.StatusBadRequest, details...))
		return
	}

	keys, total := s.entities.keys(r.PathValue("entityType"), p)
	items := make([]entityRef, len(keys))
	for i, key := range keys {
		items[i] = entityRef{EntityKey: key}
	}
	writeCacheable(w, r, newCollection(r, p, items, total))
}

// getEntity handles GET /data-collector/v1/entities/{entityType}/{entityKey}.
func (s *Server) getEntity(w http.ResponseWriter, r *http.Request) {
	entityType, key := r.PathValue("entityType"), r.PathValue("entityKey")
	body, ok := s.entities.get(entityType, key)
	if !ok {
		writeError(w, newAPIError(http.StatusNotFound, errorDetail{
			Reason:       "notFound",
			Message:      fmt.Sprintf("no %s entity with key %q", entityType, key),
			LocationType: "path",
			Location:     "entityKey",
		}))
		return
	}
	writeCacheable(w, r, json.RawMessage(body))
}

// putEntity handles PUT /data-collector/v1/entities/{entityType}/{entityKey}. The body must be
// a JSON object, which is stored as it is. The response is 201 when the entity is new and 200
// when it replaces one, with the stored entity.
func (s *Server) putEntity(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		writeError(w, readBodyError(err))
		return
	}
	var tree any
	if err := json.Unmarshal(body, &tree); err != nil {
		writeError(w, newAPIError(http.StatusBadRequest,
			bodyError("", "parseError", "body is not valid JSON: "+err.Error())))
		return
	}
	if _, ok := tree.(map[string]any); !ok {
		writeError(w, newAPIError(http.StatusUnprocessableEntity, wrongType("", "an object", tree)))
		return
	}

	var compact bytes.Buffer
	if err := json.Compact(&compact, body); err != nil {
		// json.Unmarshal accepted the body, so this is a sandbox bug.
		writeError(w, newAPIError(http.StatusInternalServerError,
			bodyError("", "internalError", "failed to compact a checked body: "+err.Error())))
		return
	}
	s.storeEntity(w, r, r.PathValue("entityKey"), compact.Bytes())
}

// postEntityForm handles POST /data-collector/v1/entities/{entityType}, whose body is a form
// with one value per field. The fields are stored as a JSON object of strings under the value
// of the required entityKey field, with the same responses as putEntity.
func (s *Server) postEntityForm(w http.ResponseWriter, r *http.Request) {
	if !isFormContent(r.Header.Get("Content-Type")) {
		writeError(w, newAPIError(http.StatusUnsupportedMediaType, errorDetail{
			Reason:       "unsupportedMediaType",
			Message:      "the body must be " + formContentType + "; use PUT on the entity's URL for JSON",
			LocationType: "header",
			Location:     "Content-Type",
		}))
		return
	}
	form, err := readForm(w, r, maxBodyBytes)
	if err != nil {
		writeError(w, readBodyError(err))
		return
	}
	entity, details := entityFromForm(form)
	if len(details) > 0 {
		writeError(w, newAPIError(http.StatusBadRequest, details...))
		return
	}
	s.storeEntity(w, r, entity["entityKey"], encodeJSON(entity))
}

// entityFromForm returns the fields of form, which must each have one value and must include
// a non-empty entityKey.
func entityFromForm(form url.Values) (map[string]string, []errorDetail) {
	var details []errorDetail
	entity := make(map[string]string, len(form))
	for _, name := range slices.Sorted(maps.Keys(form)) {
		if len(form[name]) > 1 {
			details = append(details, formError(name, fmt.Sprintf("field %q is sent %d times, send it once", name, len(form[name]))))
			continue
		}
		entity[name] = form[name][0]
	}
	switch keys, ok := form["entityKey"]; {
	case !ok:
		details = append(details, formError("entityKey", "entityKey is required"))
	case len(keys) == 1 && keys[0] == "":
		details = append(details, formError("entityKey", "entityKey must not be empty"))
	}
	return entity, details
}

func formError(field, message string) errorDetail {
	return errorDetail{Reason: "invalidParameter", Message: message, LocationType: "formData", Location: field}
}

// storeEntity stores body under the request's entity type and key and responds with it: 201
// and a Location header when the entity is new, else 200.
func (s *Server) storeEntity(w http.ResponseWriter, r *http.Request, key string, body []byte) {
	entityType := r.PathValue("entityType")
	created, apiErr := s.entities.put(entityType, key, body)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}

	status := http.StatusOK
	if created {
		status = http.StatusCreated
		location := requestScheme(r) + "://" + r.Host + entitiesPath + "/" +
			url.PathEscape(entityType) + "/" + url.PathEscape(key)
		w.Header().Set("Location", location)
	}
	writeEntity(w, status, json.RawMessage(body))
}
