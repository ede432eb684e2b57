package ui

import (
	"context"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/auditui/auditui/model"
)

func TestJobCountsOnlyTheCurrentGeneration(t *testing.T) {
	var j job
	ctx1, g1 := j.start(context.Background())
	ctx2, g2 := j.start(context.Background())
	if ctx1.Err() == nil || g1 == g2 {
		t.Fatalf("a new start should cancel the one before and take a new generation (%d, %d)", g1, g2)
	}
	if j.finish(g1) || !j.running {
		t.Fatal("a superseded generation should not count nor stop the current one")
	}
	if !j.finish(g2) || j.running || ctx2.Err() == nil {
		t.Fatal("the current generation should finish and release its context")
	}
}

// A loader over any model.Source: here the in-memory one, with no UI.
func TestLoaderHoldsBackPastTheCapAndAdmitsOnMore(t *testing.T) {
	l, set := fetching(t, 100)
	l.waiting = true
	loadAll(l, l.fetch.waitPage(l.room()))
	if set.Len() != 120 || !l.paused() || len(l.held) != 80 {
		t.Fatalf("the loader should stop at the cap of 120 with 80 held: %d loaded, %d held, paused %v", set.Len(), len(l.held), l.paused())
	}
	if !l.more() || set.Len() != 200 || len(l.held) != 0 {
		t.Fatalf("more should admit the held events: %d loaded, %d held", set.Len(), len(l.held))
	}
	l.job.stop()
}

// fetching is a loader that admits 120 events at a time, fetching 250 from
// memory in pages of size (the fetch running), and the set it fills.
func fetching(t *testing.T, size int) (*loader, *model.Set) {
	set := &model.Set{}
	l := newLoader(context.Background(), model.NewMemorySource("memory", pageEvents(t, 250)), set, 120)
	go l.begin(model.Query{PageSize: size})()
	return &l, set
}

// loadAll runs wait and the waits the loader arms after it, as Update
// would, and returns how many messages came.
func loadAll(l *loader, wait tea.Cmd) int {
	n := 0
	for ; wait != nil; wait = l.armWait() {
		n++
		switch msg := wait().(type) {
		case pageMsg:
			l.receive(msg)
		case fetchDoneMsg:
			l.ended(msg.gen, nil)
		}
	}
	return n
}
