package sandbox

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// personnelOrders lists the values of the orderBy parameter. A leading "-" sorts descending.
var personnelOrders = []string{"formattedName", "-formattedName", "createdAt", "-createdAt", "updatedAt", "-updatedAt"}

// personnelQuery holds the filters and the order of a personnel search.
type personnelQuery struct {
	formattedName string // case-insensitive substring of name.formatted
	aliasValue    string
	aliasSystem   string
	aliasType     string
	orderBy       string
}

// parsePersonnelQuery reads the filters and orderBy. An empty filter matches every record,
// and an absent orderBy means createdAt.
func parsePersonnelQuery(query url.Values) (personnelQuery, []errorDetail) {
	q := personnelQuery{
		formattedName: query.Get("formattedName"),
		aliasValue:    query.Get("aliasValue"),
		aliasSystem:   query.Get("aliasSystem"),
		aliasType:     query.Get("aliasType"),
		orderBy:       cmp.Or(query.Get("orderBy"), "createdAt"),
	}
	if !slices.Contains(personnelOrders, q.orderBy) {
		message := fmt.Sprintf("orderBy must be one of %s, not %q", strings.Join(personnelOrders, ", "), q.orderBy)
		return q, []errorDetail{queryError("orderBy", message)}
	}
	return q, nil
}

// matches reports whether p passes every filter. The alias filters must all match the same
// alias of p.
func (q personnelQuery) matches(p personnel) bool {
	name := strings.ToLower(p.Name.Formatted)
	if !strings.Contains(name, strings.ToLower(q.formattedName)) {
		return false
	}
	if q.aliasValue == "" && q.aliasSystem == "" && q.aliasType == "" {
		return true
	}
	return slices.ContainsFunc(p.Aliases, q.matchesAlias)
}

func (q personnelQuery) matchesAlias(a alias) bool {
	return (q.aliasValue == "" || a.Value == q.aliasValue) &&
		(q.aliasSystem == "" || a.System == q.aliasSystem) &&
		(q.aliasType == "" || a.Type == q.aliasType)
}

// sort orders records by q.orderBy. Ties are broken by id, so pages never overlap.
func (q personnelQuery) sort(records []personnel) {
	field, descending := strings.CutPrefix(q.orderBy, "-")
	slices.SortFunc(records, func(a, b personnel) int {
		order := cmp.Compare(sortKey(a, field), sortKey(b, field))
		if descending {
			order = -order
		}
		return cmp.Or(order, cmp.Compare(a.ID, b.ID))
	})
}

// sortKey returns the value of a record that orderBy field sorts on. Names sort without regard
// to case, and timestamps in timestampLayout sort correctly as strings.
func sortKey(p personnel, field string) string {
	switch field {
	case "formattedName":
		return strings.ToLower(p.Name.Formatted)
	case "updatedAt":
		return p.UpdatedAt
	}
	return p.CreatedAt
}
