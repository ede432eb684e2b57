package query_test

import (
	"context"
	"slices"
	"testing"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/query"
)

// TestBareWordMatchesFilterBox: a word typed in the query bar and the same
// word typed after / in the list search the same fields, so they give the
// same rows, through the query's matcher and through the Set's index.
func TestBareWordMatchesFilterBox(t *testing.T) {
	events := synthOrg(t, 1500, 3)
	var s model.Set
	s.Append(events)
	words := []string{"alice", "example.com", "audit_log-000042", "key_", "198.51.100", "beta", "proj_uni",
		"created", "passw", "ünï", "名前", "quoted", "api.model", "mystery", "db8", "ff", "AAAA"}
	for _, w := range words {
		q, err := query.Parse(w, testNow)
		if err != nil {
			t.Fatalf("Parse(%q): %v", w, err)
		}
		var byQuery, byMatcher []int32
		m := model.CompileMatcher(w)
		for i := range events {
			if q.Match(&events[i]) {
				byQuery = append(byQuery, int32(i))
			}
			if m.Match(&events[i]) {
				byMatcher = append(byMatcher, int32(i))
			}
		}
		bySet, err := s.Filter(context.Background(), m, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(byQuery) == 0 {
			t.Errorf("%q finds nothing: pick a word the organisation has", w)
		}
		if !slices.Equal(byQuery, byMatcher) || !slices.Equal(byQuery, bySet) {
			t.Errorf("%q: the query bar finds %d rows, the filter box's Match %d and its index %d", w, len(byQuery), len(byMatcher), len(bySet))
		}
	}
}
