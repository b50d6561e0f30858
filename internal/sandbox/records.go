package sandbox

import (
	"fmt"
	"slices"
)

// DefaultRecords is the number of demo personnel records when Options.Records is zero.
const DefaultRecords = demoPersonnelCount

// MaxRecords bounds Options.Records. A sandbox with this many records uses about 330 MB once
// it has served pages, and the demo NPIs stay within their 10 digits.
const MaxRecords = 100_000

// recordCount checks Options.Records and returns the number of demo personnel records to
// build: n, or demoPersonnelCount when n is zero.
func recordCount(n int) (int, error) {
	if n == 0 {
		return demoPersonnelCount, nil
	}
	if n < 0 || n > MaxRecords {
		return 0, fmt.Errorf("invalid number of records %d: use 1 to %d", n, MaxRecords)
	}
	return n, nil
}

// unfiltered reports whether q matches every record, so that its pages can be cut from a
// sorted copy of the store.
func (q personnelQuery) unfiltered() bool {
	return q.formattedName == "" && q.aliasValue == "" && q.aliasSystem == "" && q.aliasType == ""
}

// sortedLocked returns every record in the order of orderBy, sorting them on the first call
// after a change. The caller holds s.mu and must not change the returned slice, which later
// calls share.
func (s *personnelStore) sortedLocked(q personnelQuery) []personnel {
	if records, ok := s.sorted[q.orderBy]; ok {
		return records
	}
	records := make([]personnel, 0, len(s.records))
	for _, record := range s.records {
		records = append(records, record)
	}
	q.sort(records)
	if s.sorted == nil {
		s.sorted = map[string][]personnel{}
	}
	s.sorted[q.orderBy] = records
	return records
}

// listUnfiltered returns the page p of every record in q's order, and the number of records.
// Each page is a copy, so a handler never shares memory with the cache.
func (s *personnelStore) listUnfiltered(q personnelQuery, p page) ([]personnel, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	records := s.sortedLocked(q)
	start := min(p.offset, len(records))
	end := min(start+p.limit, len(records))
	return slices.Clone(records[start:end]), len(records)
}
