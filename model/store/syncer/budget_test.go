package syncer_test

import (
	"context"
	"errors"
	"testing"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/store/syncer"
)

// A limited source lists exactly its limit over all its queries, the last
// page cut short, then fails with ErrLimit.
func TestLimitIsExactAcrossQueries(t *testing.T) {
	src := syncer.Limit(model.NewMemorySource("org", org(1000)), 250)
	var sizes []int
	var last error
	for range 2 {
		for p, err := range src.Pages(context.Background(), model.Query{}) {
			if err != nil {
				last = err
				break
			}
			sizes = append(sizes, len(p.Events))
			if len(sizes) == 2 {
				break // the second query continues the budget
			}
		}
	}
	want := []int{100, 100, 50}
	if len(sizes) != len(want) || sizes[0] != 100 || sizes[1] != 100 || sizes[2] != 50 || !errors.Is(last, syncer.ErrLimit) {
		t.Fatalf("pages of %v then %v; want %v then ErrLimit", sizes, last, want)
	}
}
