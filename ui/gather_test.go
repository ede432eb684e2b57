package ui

import (
	"context"
	"slices"
	"testing"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/openai/fakeapi"
)

// TestPagesAdmittedTogetherCountAsOneAtATime: a message carrying many pages
// (as a gathered wait hands them over) leaves the list, the histogram and
// the facet counts where the same pages one message each leave them.
func TestPagesAdmittedTogetherCountAsOneAtATime(t *testing.T) {
	events := fakeapi.Org(fakeapi.OrgOptions{Events: 2500, Seed: 3, Now: testNow})
	var pages []model.Page
	for lo := 0; lo < len(events); lo += 100 {
		hi := min(lo+100, len(events))
		pages = append(pages, model.Page{Events: events[lo:hi], Number: len(pages) + 1, HasMore: hi < len(events),
			FirstID: events[lo].ID, LastID: events[hi-1].ID})
	}
	one := newTestModel(model.NewMemorySource("memory", nil), 160, 45)
	one = feed(t, one, events, 100)

	all := newTestModel(model.NewMemorySource("memory", nil), 160, 45)
	nm, cmd := all.Update(pageMsg{gen: all.stream.job.gen, pages: pages})
	all = drain(t, nm.(*Model), cmd)
	nm, cmd = all.Update(fetchDoneMsg{gen: all.stream.job.gen})
	all = drain(t, nm.(*Model), cmd)

	if one.list.Len() != len(events) || all.list.Len() != one.list.Len() || all.stream.pages != one.stream.pages {
		t.Fatalf("rows %d and %d, pages %d and %d; want %d rows of %d pages",
			one.list.Len(), all.list.Len(), one.stream.pages, all.stream.pages, len(events), len(pages))
	}
	if h1, h2 := one.derived.hist, all.derived.hist; h1.Len() == 0 || !slices.Equal(h1.Counts, h2.Counts) || h1.Start != h2.Start || h1.Step != h2.Step {
		t.Fatalf("the histograms differ: %v from %v step %d, and %v from %v step %d", h1.Counts, h1.Start, h1.Step, h2.Counts, h2.Start, h2.Step)
	}
	c1, err1 := one.facetIdx.Counts(context.Background(), one.list.Indices())
	c2, err2 := all.facetIdx.Counts(context.Background(), all.list.Indices())
	if err1 != nil || err2 != nil || len(c1.Of(model.FacetActor)) == 0 {
		t.Fatalf("facet counts: %v, %v, %d actors", err1, err2, len(c1.Of(model.FacetActor)))
	}
	for _, f := range model.Facets {
		if !slices.Equal(c1.Of(f), c2.Of(f)) {
			t.Fatalf("%s counts differ:\n%v\n%v", f, c1.Of(f), c2.Of(f))
		}
	}
	if s1, s2 := screenText(one), screenText(all); s1 != s2 {
		t.Fatalf("the screens differ:\n%s\n---\n%s", s1, s2)
	}
}

// TestWaitGathersPagesUpToTheRoom: one wait hands over the pages already
// coming, never more events than the loader can admit past one page, and
// the end of the fetch after them.
func TestWaitGathersPagesUpToTheRoom(t *testing.T) {
	l, set := fetching(t, 10)
	msg, ok := l.fetch.waitPage(l.room())().(pageMsg)
	n := 0
	for _, p := range msg.pages {
		n += len(p.Events)
	}
	if !ok || n == 0 || n > 120 {
		t.Fatalf("a wait with room for 120 should gather pages of 10 up to 120 events, got %d", n)
	}
	l.receive(msg)
	l.cap = 1000
	got := loadAll(l, l.armWait())
	if set.Len() != 250 || !l.exhausted || got < 2 {
		t.Fatalf("%d events loaded in %d messages, exhausted %v", set.Len(), got, l.exhausted)
	}
}
