package ui

import (
	"context"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/history"
	"github.com/auditui/auditui/model/sanitize"
	"github.com/auditui/auditui/model/store"
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
			var events []model.Event
			var err error
			if id == history.Organization { // not a resource id: found by its type
				events, _, err = history.List(ctx, src, id, 0)
			} else {
				events, err = st.Resource(ctx, id)
				slices.Reverse(events) // the store's are oldest first; Build reads the API's order
			}
			if err != nil {
				return nil, time.Time{}, err
			}
			since, err := store.KnownSince(ctx, st, events) // the coverage of the listings they come from
			return events, since, err
		}, true
	case src != nil:
		var file bool // a file's events are all in memory: fetching is local
		switch src.(type) {
		case *model.MemorySource, *model.KeptFileSource:
			file = true
		}
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

	// index finds an object's loaded events (for its history and the
	// list's summaries, which are kept by event); oldest is the oldest
	// loaded event's time, over the first oldestN.
	index     history.Index
	oldest    time.Time
	oldestN   int
	summaries map[*model.Event]beforeSummary

	// worded are the summaries saying "from X to Y" for the filter to
	// search, worded off the UI goroutine (it is safe for that).
	worded *history.Worded
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
	return &histories{ctx: ctx, fetch: fetch, local: local, got: map[string]fetchedHistory{}, asked: map[string]bool{}, worded: &history.Worded{}}
}

// of is the history of the object id over the events loaded in set and
// what was fetched for it, reading only the object's events (the index).
// The log is known from the store's coverage when one answered, else from
// the oldest event loaded.
func (hs *histories) of(set *model.Set, id string) *history.History {
	n := set.Len()
	if hs.built == nil || hs.builtLen != n || hs.builtVersion != hs.version {
		hs.built, hs.builtLen, hs.builtVersion = map[string]*history.History{}, n, hs.version
	}
	if h, ok := hs.built[id]; ok {
		return h
	}
	f := hs.got[id]
	hs.index.Update(set)
	// given first: a repeat keeps the fetched copy
	events := append(append([]model.Event(nil), f.events...), hs.index.Events(set, id)...)
	since := hs.oldestOf(set)
	if !f.since.IsZero() {
		since = f.since
	}
	h := history.Build(id, events, since)
	hs.built[id] = h
	return h
}

// oldestOf is the time of the oldest event loaded in set, kept up to date
// from the events appended since it was last asked.
func (hs *histories) oldestOf(set *model.Set) time.Time {
	for n := set.Len(); hs.oldestN < n; hs.oldestN++ {
		if t := set.At(hs.oldestN).EffectiveAt; hs.oldest.IsZero() || t.Before(hs.oldest) {
			hs.oldest = t
		}
	}
	return hs.oldest
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

// maxCachedSummaries bounds the summaries worded with their befores that
// are kept; a page of rows needs a few dozen.
const maxCachedSummaries = 4096

// beforeSummary is a row's summary worded from the n events on its object
// that were loaded when it was worded.
type beforeSummary struct {
	n    int
	text string
}

// summaryObject is the object whose state before e words e's summary, and
// how many events are known on it (loaded, and fetched for it, so that a
// row is worded again when either grows); "" for a type worded without one.
func (hs *histories) summaryObject(set *model.Set, e *model.Event) (string, int) {
	if !model.ReadsBefore(e.Type) {
		return "", 0
	}
	ids := history.Objects(e)
	if len(ids) == 0 {
		return "", 0
	}
	hs.index.Update(set)
	return ids[0], len(hs.index.Of(ids[0])) + len(hs.got[ids[0]].events)
}

// summary is e's one-line summary saying "from X to Y" where the events
// known on its object say what X was: its whole history once fetched, else
// only its loaded events (by the index); once per row until more of them
// are known.
func (hs *histories) summary(set *model.Set, e *model.Event) string {
	id, n := hs.summaryObject(set, e)
	if n < 2 {
		return model.Summary(e)
	}
	if s, ok := hs.summaries[e]; ok && s.n == n {
		return s.text
	}
	if hs.summaries == nil || len(hs.summaries) > maxCachedSummaries {
		hs.summaries = map[*model.Event]beforeSummary{}
	}
	var before history.State
	if hs.fetched(id) {
		before = hs.of(set, id).Before(e.ID)
	} else {
		before = hs.before(set, id, e)
	}
	text := history.Summary(e, before)
	hs.summaries[e] = beforeSummary{n: n, text: text}
	return text
}

// beforeWindow is how many of an object's events on each side of an event,
// in loading order, are folded for its state before: the API lists newest
// first, so the events just older than it are just after it.
const beforeWindow = 64

// before is the state of e's object before e, folded from the loaded events
// on the object nearest to e in loading order; from all of them when one
// outside that window falls between the window's oldest and e, so a window
// never hides the latest earlier change.
func (hs *histories) before(set *model.Set, id string, e *model.Event) history.State {
	at := hs.index.Of(id)
	p := slices.IndexFunc(at, func(i int32) bool { return set.At(int(i)) == e })
	if p < 0 {
		return history.State{}
	}
	lo, hi := max(p-beforeWindow, 0), min(p+beforeWindow+1, len(at))
	events := make([]model.Event, 0, hi-lo)
	oldest := e.EffectiveAt
	for _, i := range at[lo:hi] {
		w := set.At(int(i))
		events = append(events, *w)
		if w.EffectiveAt.Before(oldest) {
			oldest = w.EffectiveAt
		}
	}
	outside := func(i int32) bool {
		t := set.At(int(i)).EffectiveAt
		return !t.Before(oldest) && !t.After(e.EffectiveAt)
	}
	if slices.ContainsFunc(at[:lo], outside) || slices.ContainsFunc(at[hi:], outside) {
		events = hs.index.Events(set, id)
	}
	return history.Build(id, events, time.Time{}).Before(e.ID)
}

// wordedHits are the worded summaries of one Texts slice that hold needle.
type wordedHits struct {
	of     []history.WordedText
	needle string
	texts  []history.WordedText
}

// narrow returns the summaries of worded holding needle: drawn from h's
// when worded is the slice h was drawn from and needle extends h's, as it
// does while a word is typed.
func (h wordedHits) narrow(worded []history.WordedText, needle string) wordedHits {
	from := worded
	if len(worded) > 0 && len(h.of) == len(worded) && &h.of[0] == &worded[0] && strings.Contains(needle, h.needle) {
		from = h.texts
	}
	out := wordedHits{of: worded, needle: needle}
	for _, w := range from {
		if strings.Contains(w.Text, needle) {
			out.texts = append(out.texts, w)
		}
	}
	return out
}

// rematch is indices (ascending, among the first n events of set; nil for
// all of them) with each worded event decided again by match over its
// worded summary, which the set's index does not search, and whether the
// index found it.
func rematch(set *model.Set, indices []int32, n int, worded []history.WordedText, match func(e *model.Event, text string, found bool) bool) []int32 {
	if indices == nil {
		return nil // every event is in already
	}
	out := make([]int32, 0, len(indices))
	i := 0
	for _, w := range worded {
		if int(w.At) >= n {
			break
		}
		for i < len(indices) && indices[i] < w.At {
			out = append(out, indices[i])
			i++
		}
		found := i < len(indices) && indices[i] == w.At
		if found {
			i++
		}
		if match(set.At(int(w.At)), w.Text, found) {
			out = append(out, w.At)
		}
	}
	return append(out, indices[i:]...)
}
