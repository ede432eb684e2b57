package ui

import (
	"slices"

	"github.com/auditui/auditui/model"
)

// The API lists tenant-scoped events only when asked for them, so a view
// of tenant types loads events that "no query" never shows. tenantLoads
// remembers where in the Set such fetches put events, and the list leaves
// them out while the query in force does not ask for tenant events: after
// u the unfiltered list is the same as at a fresh start.
type tenantLoads struct {
	spans []span // positions admitted while the fetch asked for tenant events
	seen  int    // Set positions already accounted for
}

type span struct{ from, to int32 }

// wantsTenant reports whether f asks the API for tenant-scoped events.
func wantsTenant(f model.Filter) bool {
	return f.TenantOnly || slices.ContainsFunc(f.Types, model.IsTenantType)
}

// noteLoaded accounts for the Set's new events, admitted under filter f.
func (t *tenantLoads) noteLoaded(n int, f model.Filter) {
	if n <= t.seen {
		return
	}
	if wantsTenant(f) {
		if k := len(t.spans); k > 0 && t.spans[k-1].to == int32(t.seen) {
			t.spans[k-1].to = int32(n)
		} else {
			t.spans = append(t.spans, span{int32(t.seen), int32(n)})
		}
	}
	t.seen = n
}

// hidden is the spans to leave out of the list under server filter f.
func (t *tenantLoads) hidden(f model.Filter) []span {
	if wantsTenant(f) {
		return nil
	}
	return t.spans
}

// without drops from shown (ascending; nil for all of the first n) the
// positions in spans.
func without(shown []int32, n int, spans []span) []int32 {
	if len(spans) == 0 {
		return shown
	}
	in := func(i int32) bool {
		for _, s := range spans {
			if i >= s.from && i < s.to {
				return true
			}
		}
		return false
	}
	var out []int32
	if shown == nil {
		out = make([]int32, 0, n)
		for i := range int32(n) {
			if !in(i) {
				out = append(out, i)
			}
		}
		return out
	}
	out = make([]int32, 0, len(shown))
	for _, i := range shown {
		if !in(i) {
			out = append(out, i)
		}
	}
	return out
}
