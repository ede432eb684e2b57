package ui

import (
	"context"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/history"
	"github.com/auditui/auditui/model/sanitize"
)

// historyFunc asks for the whole history of the object id: its events,
// newest first as the API lists them, and from when its log is known (zero
// when the source cannot say).
type historyFunc func(ctx context.Context, id string) ([]model.Event, time.Time, error)

// historyFetch is how the browser asks for an object's whole history, and
// whether that is local (asked for each selected event without asking the
// person): the store when there is one; else one listing of the source
// per side, local for a file and asked for with m from the API.
func historyFetch(opts Options) (historyFunc, bool) {
	src, st := opts.Source, opts.Store
	switch {
	case st != nil:
		return func(ctx context.Context, id string) ([]model.Event, time.Time, error) {
			meta, err := st.Meta(ctx)
			if err != nil {
				return nil, time.Time{}, err
			}
			if id == history.Organization { // not a resource id: found by its type
				events, _, err := history.List(ctx, src, id, 0)
				return events, meta.KnownSince(), err
			}
			events, err := st.Resource(ctx, id)
			slices.Reverse(events) // the store's are oldest first; Build reads the API's order
			return events, meta.KnownSince(), err
		}, true
	case src != nil:
		_, file := src.(*model.MemorySource)
		return func(ctx context.Context, id string) ([]model.Event, time.Time, error) {
			events, _, err := history.List(ctx, src, id, 0)
			return events, time.Time{}, err
		}, file
	}
	return nil, false
}

// histories are the objects' histories the browser knows: built from the
// events loaded, plus what was fetched for an object (its whole stored
// history, or one listing of it from the API). Fetching is a command; the
// root applies its result with receive.
type histories struct {
	ctx     context.Context
	fetch   historyFunc // nil: only what is loaded
	local   bool        // fetch reads a local store: no request to the API
	got     map[string]fetchedHistory
	asked   map[string]bool
	version int // bumped by each fetched history, for what is drawn from them

	// built memoises histories for one set length and version.
	built        map[string]*history.History
	builtLen     int
	builtVersion int
}

type fetchedHistory struct {
	events []model.Event
	since  time.Time
	err    error
}

// historyMsg is a fetched history of one object.
type historyMsg struct {
	id     string
	events []model.Event
	since  time.Time
	err    error
}

func newHistories(ctx context.Context, fetch historyFunc, local bool) *histories {
	return &histories{ctx: ctx, fetch: fetch, local: local, got: map[string]fetchedHistory{}, asked: map[string]bool{}}
}

// of is the history of the object id over the events loaded in set and
// what was fetched for it. The log is known from the store's coverage when
// one answered, else from the oldest event loaded.
func (hs *histories) of(set *model.Set, id string) *history.History {
	n := set.Len()
	if hs.built == nil || hs.builtLen != n || hs.builtVersion != hs.version {
		hs.built, hs.builtLen, hs.builtVersion = map[string]*history.History{}, n, hs.version
	}
	if h, ok := hs.built[id]; ok {
		return h
	}
	f := hs.got[id]
	events := append([]model.Event(nil), f.events...) // given first: a repeat keeps the fetched copy
	var oldest time.Time
	for i := range n {
		e := set.At(i)
		if oldest.IsZero() || e.EffectiveAt.Before(oldest) {
			oldest = e.EffectiveAt
		}
		if history.Names(e, id) {
			events = append(events, *e)
		}
	}
	since := oldest
	if !f.since.IsZero() {
		since = f.since
	}
	h := history.Build(id, events, since)
	hs.built[id] = h
	return h
}

// fetched reports whether the object's whole history was fetched.
func (hs *histories) fetched(id string) bool {
	f, ok := hs.got[id]
	return ok && f.err == nil
}

// canFetch reports whether more of the object's history can be asked for.
func (hs *histories) canFetch(id string) bool { return hs.fetch != nil && !hs.fetched(id) }

// ask returns the command that fetches the object's history, unless it
// was asked for already (again is set when a person asks once more after a
// failure).
func (hs *histories) ask(id string, again bool) tea.Cmd {
	if hs.fetch == nil || hs.fetched(id) || hs.asked[id] && !again {
		return nil
	}
	hs.asked[id] = true
	fetch, ctx := hs.fetch, hs.ctx
	return func() tea.Msg {
		events, since, err := fetch(ctx, id)
		return historyMsg{id: id, events: events, since: since, err: err}
	}
}

func (hs *histories) receive(msg historyMsg) {
	hs.got[msg.id] = fetchedHistory{events: msg.events, since: msg.since, err: msg.err}
	hs.version++
}

// onHistory applies a fetched history: the detail pane and an open
// timeline of the object are drawn again from it.
func (m *Model) onHistory(msg historyMsg) {
	m.common.hist.receive(msg)
	if msg.err != nil && m.ctx.Err() == nil {
		m.notice = "could not fetch the history of " + sanitize.Display(msg.id) + ": " + sanitize.OneLine(msg.err.Error())
	}
	for _, c := range m.stack {
		if hv, ok := c.(*historyView); ok && hv.id == msg.id {
			hv.rebuild()
		}
	}
}

// askLocalHistory fetches, from a local store, the whole history of the
// objects of the selected event, so that its befores come from all of it.
func (m *Model) askLocalHistory() tea.Cmd {
	hs := m.common.hist
	i, ok := m.list.Selected()
	if !hs.local || !ok || !m.detailVisible() {
		return nil
	}
	var cmds []tea.Cmd
	for _, id := range detailObjects(m.set.At(i)) {
		cmds = append(cmds, hs.ask(id, false))
	}
	return tea.Batch(cmds...)
}

// maxDetailObjects bounds how many of an event's objects the detail pane
// reconstructs (a certificates event may list many).
const maxDetailObjects = 3

// detailObjects are the objects whose history the detail pane shows for e.
func detailObjects(e *model.Event) []string {
	if _, known := model.LookupType(e.Type); !known {
		return nil
	}
	ids := history.Objects(e)
	return ids[:min(len(ids), maxDetailObjects)]
}
