package sandbox_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hi-cli/hi/internal/sandbox"
)

func TestRecordsOption(t *testing.T) {
	tests := []struct {
		name      string
		records   int
		wantTotal int
		wantErr   bool
	}{
		{name: "zero means the default", records: 0, wantTotal: 300},
		{name: "one record", records: 1, wantTotal: 1},
		{name: "the maximum", records: sandbox.MaxRecords, wantTotal: sandbox.MaxRecords},
		{name: "over the maximum", records: sandbox.MaxRecords + 1, wantErr: true},
		{name: "negative", records: -1, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := sandbox.Start("127.0.0.1:0", sandbox.Options{BearerToken: testToken, Records: tt.records})
			if tt.wantErr {
				if err == nil {
					s.Close()
					t.Fatal("Start succeeded, want an error")
				}
				return
			}
			if err != nil {
				t.Fatalf("Start: %v", err)
			}
			defer s.Close()

			resp := send(t, s, request{path: personnelPath + "?limit=1"})
			if got := decode[page](t, resp.body).TotalResults; got != tt.wantTotal {
				t.Errorf("totalResults = %d, want %d", got, tt.wantTotal)
			}
		})
	}
}

// TestLargeCollectionPages walks 2,000 records in both orders of createdAt and checks that
// every record appears once, in order, and that a write shows in the next walk.
func TestLargeCollectionPages(t *testing.T) {
	s := startSandboxWith(t, sandbox.Options{BearerToken: testToken, Records: 2000})
	for _, order := range []string{"createdAt", "-createdAt"} {
		ids := walkIDs(t, s, order)
		if len(ids) != 2000 {
			t.Fatalf("orderBy=%s: %d records, want 2000", order, len(ids))
		}
	}

	created := send(t, s, request{method: http.MethodPost, path: personnelPath, body: validRecord("Lovelace", "records")})
	if created.status != http.StatusCreated {
		t.Fatalf("POST: HTTP %d: %s", created.status, created.body)
	}
	newID := decode[map[string]any](t, created.body)["id"]
	ids := walkIDs(t, s, "-createdAt")
	if len(ids) != 2001 || ids[0] != newID {
		t.Errorf("after POST: %d records, first %v, want 2001 starting with the new record %v", len(ids), ids[0], newID)
	}

	if resp := send(t, s, request{method: http.MethodDelete, path: fmt.Sprintf("%s/%s", personnelPath, newID)}); resp.status != http.StatusNoContent {
		t.Fatalf("DELETE: HTTP %d", resp.status)
	}
	if ids := walkIDs(t, s, "-createdAt"); len(ids) != 2000 || ids[0] == newID {
		t.Errorf("after DELETE: %d records, first %v, want 2000 without the deleted record", len(ids), ids[0])
	}
}

// walkIDs returns the ids of every record in pages of 100, in the order orderBy gives, and
// fails the test on a repeated id or a createdAt out of order.
func walkIDs(t *testing.T, s *sandbox.Server, orderBy string) []any {
	t.Helper()
	var ids []any
	seen := map[any]bool{}
	ascending := orderBy == "createdAt"
	previous := ""
	for offset := 0; ; offset += 100 {
		resp := send(t, s, request{path: fmt.Sprintf("%s?limit=100&offset=%d&orderBy=%s", personnelPath, offset, orderBy)})
		if resp.status != http.StatusOK {
			t.Fatalf("offset %d: HTTP %d: %s", offset, resp.status, resp.body)
		}
		p := decode[page](t, resp.body)
		for _, item := range p.Items {
			created := item["createdAt"].(string)
			if previous != "" && created != previous && (created > previous) != ascending {
				t.Fatalf("orderBy=%s: createdAt %s follows %s", orderBy, created, previous)
			}
			previous = created
			if seen[item["id"]] {
				t.Fatalf("orderBy=%s: id %v appears twice", orderBy, item["id"])
			}
			seen[item["id"]] = true
			ids = append(ids, item["id"])
		}
		if p.NextLink == nil {
			return ids
		}
	}
}

func TestLastRecordCreatedInOrder(t *testing.T) {
	s := startSandboxWith(t, sandbox.Options{BearerToken: testToken, Records: sandbox.MaxRecords})
	resp := send(t, s, request{path: personnelPath + "?limit=2&orderBy=-createdAt"})
	items := decode[page](t, resp.body).Items
	if len(items) != 2 {
		t.Fatalf("%d items, want 2", len(items))
	}
	if got, want := items[0]["createdAt"], "2315-10-11T20:00:00.000Z"; got != want {
		t.Errorf("newest createdAt = %v, want %v, 99,999 times 26 hours after the first", got, want)
	}
}
