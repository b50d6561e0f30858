package sandbox

import (
	"fmt"
	"net/http"
	"sync"
	"time"
)

// personnelStore holds the personnel records of one sandbox in memory, safe for concurrent
// use. Records are stored by value and replaced whole, never changed in place, so a copy
// handed to a handler stays valid after the lock is released.
type personnelStore struct {
	mu      sync.Mutex
	records map[string]personnel
	now     func() time.Time
	// sorted holds every record sorted by an orderBy value, for unfiltered pages. Every
	// change to records empties it.
	sorted map[string][]personnel
}

func newPersonnelStore(records []personnel) *personnelStore {
	store := &personnelStore{records: make(map[string]personnel, len(records)), now: time.Now}
	for _, p := range records {
		store.records[p.ID] = p
	}
	return store
}

// list returns the page p of the records that match q, in q's order, and the number of
// records that match.
func (s *personnelStore) list(q personnelQuery, p page) ([]personnel, int) {
	if q.unfiltered() {
		return s.listUnfiltered(q, p)
	}
	s.mu.Lock()
	var matches []personnel
	for _, record := range s.records {
		if q.matches(record) {
			matches = append(matches, record)
		}
	}
	s.mu.Unlock()

	q.sort(matches)
	start := min(p.offset, len(matches))
	end := min(start+p.limit, len(matches))
	return matches[start:end], len(matches)
}

func (s *personnelStore) get(id string) (personnel, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	record, ok := s.records[id]
	return record, ok
}

// create stores p under a new random id with both timestamps set to now. It returns 409 when
// one of p's aliases belongs to another record.
func (s *personnelStore) create(p personnel) (personnel, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if apiErr := s.checkAliases(p, ""); apiErr != nil {
		return personnel{}, apiErr
	}

	p.ID = randomUUID()
	p.CreatedAt = formatTimestamp(s.now())
	p.UpdatedAt = p.CreatedAt
	p.normalize()
	s.records[p.ID] = p
	s.sorted = nil
	return p, nil
}

// replace stores p in place of the record id, keeping its id and createdAt. It returns 404
// for an unknown id, 412 when ifMatch is set and does not match the current record's ETag,
// and 409 when one of p's aliases belongs to another record.
func (s *personnelStore) replace(id string, p personnel, ifMatch string) (personnel, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	current, apiErr := s.checkPrecondition(id, ifMatch)
	if apiErr != nil {
		return personnel{}, apiErr
	}
	if apiErr := s.checkAliases(p, id); apiErr != nil {
		return personnel{}, apiErr
	}

	p.ID = id
	p.CreatedAt = current.CreatedAt
	p.UpdatedAt = formatTimestamp(s.now())
	p.normalize()
	s.records[id] = p
	s.sorted = nil
	return p, nil
}

// delete removes the record id. It returns 404 for an unknown id and 412 when ifMatch is set
// and does not match the record's ETag.
func (s *personnelStore) delete(id, ifMatch string) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, apiErr := s.checkPrecondition(id, ifMatch); apiErr != nil {
		return apiErr
	}
	delete(s.records, id)
	s.sorted = nil
	return nil
}

// checkPrecondition returns the record id, or the 404 or 412 for a write to it. The caller
// holds s.mu, so the record cannot change between the check and the write.
func (s *personnelStore) checkPrecondition(id, ifMatch string) (personnel, *apiError) {
	current, ok := s.records[id]
	if !ok {
		return personnel{}, recordNotFound("personnel", "personnelId", id)
	}
	if ifMatchFails(ifMatch, entityTag(encodeJSON(current))) {
		return personnel{}, newAPIError(http.StatusPreconditionFailed, errorDetail{
			Reason:       "conditionNotMet",
			Message:      "If-Match does not match the current ETag of personnel " + id,
			LocationType: "header",
			Location:     "If-Match",
		})
	}
	return current, nil
}

// checkAliases returns 409 when an alias of p belongs to a record other than exceptID. The
// caller holds s.mu.
func (s *personnelStore) checkAliases(p personnel, exceptID string) *apiError {
	for i, a := range p.Aliases {
		for _, other := range s.records {
			if other.ID != exceptID && hasAlias(other, a.key()) {
				return newAPIError(http.StatusConflict, bodyError(fmt.Sprintf("aliases[%d]", i), "conflict",
					fmt.Sprintf("alias with system %q and value %q already belongs to personnel %s", a.System, a.Value, other.ID)))
			}
		}
	}
	return nil
}

func hasAlias(p personnel, key aliasKey) bool {
	for _, a := range p.Aliases {
		if a.key() == key {
			return true
		}
	}
	return false
}
