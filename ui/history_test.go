package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/history"
)

// historyRecords are the changes of a few objects: a user whose history
// starts with an update, an API key deleted and re-created with the same
// id, a project renamed from a hostile title, a role assignment linking
// them, and an older sign-in from which the log is known.
var historyRecords = []string{
	`{"id":"h_login","type":"login.succeeded","effective_at":1720700000,"actor":{"type":"session","session":{"user":{"id":"user-ann","email":"ann@example.com"},"ip_address":"203.0.113.9"}},"login.succeeded":{}}`,
	`{"id":"h_u1","type":"user.updated","effective_at":1720780000,"user.updated":{"id":"user-bob","changes_requested":{"role":"reader"}}}`,
	`{"id":"h_k1","type":"api_key.created","effective_at":1720781000,"api_key.created":{"id":"key_h","data":{"scopes":["api.a","api.b"]}}}`,
	`{"id":"h_k2","type":"api_key.updated","effective_at":1720782000,"api_key.updated":{"id":"key_h","changes_requested":{"scopes":["api.b","api.c"]}}}`,
	`{"id":"h_k3","type":"api_key.deleted","effective_at":1720783000,"api_key.deleted":{"id":"key_h"}}`,
	`{"id":"h_k4","type":"api_key.created","effective_at":1720784000,"api_key.created":{"id":"key_h","data":{"scopes":["api.z"]}}}`,
	`{"id":"h_p1","type":"project.updated","effective_at":1720785000,"project.updated":{"id":"proj_h","changes_requested":{"title":"\u001b[2J\u202eevil\u0007"}}}`,
	`{"id":"h_p2","type":"project.updated","effective_at":1720786000,"project.updated":{"id":"proj_h","changes_requested":{"title":"Good"}}}`,
	`{"id":"h_ra","type":"role.assignment.created","effective_at":1720787000,"role.assignment.created":{"id":"ra_h","principal_id":"user-bob","principal_type":"user","resource_id":"proj_h","resource_type":"api.project"}}`,
	`{"id":"h_u2","type":"user.updated","effective_at":1720790000,"actor":{"type":"session","session":{"user":{"id":"user-ann","email":"ann@example.com"},"ip_address":"203.0.113.9"}},"user.updated":{"id":"user-bob","changes_requested":{"role":"owner"}}}`,
}

// olderRecord is an event on user-bob older than anything loaded, that only
// a fetch of the object's whole history finds.
const olderRecord = `{"id":"h_u0","type":"user.added","effective_at":1720600000,"user.added":{"id":"user-bob","data":{"role":"member"}}}`

func historyEvents(t *testing.T) []model.Event {
	var evs []model.Event
	for _, r := range historyRecords {
		evs = append(evs, decode(t, r))
	}
	slices.Reverse(evs) // newest first, as the API sends them
	return evs
}

// fakeHistory answers History from a fixed list of events, counting the
// objects asked for.
type fakeHistory struct {
	mu     sync.Mutex
	asked  []string
	events []model.Event
	since  time.Time
}

func (f *fakeHistory) fetch(_ context.Context, id string) ([]model.Event, time.Time, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, id)
	return f.events, f.since, nil
}

func (f *fakeHistory) calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.asked)
}

// historyBrowser is a browser at w×h that has loaded historyEvents; fetch,
// when given, answers for an object's whole history (local: as a store).
func historyBrowser(t *testing.T, fetch historyFunc, local bool, w, h int) *Model {
	t.Helper()
	m := New(Options{Source: newRecordingSource(historyEvents(t)), Now: func() time.Time { return testNow }, Location: testZone})
	if fetch != nil {
		m.common.hist = newHistories(m.ctx, fetch, local)
	}
	m.tick = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	m = send(m, tea.WindowSizeMsg{Width: w, Height: h})
	return pump(t, m, m.Init(), func(m *Model) bool {
		return m.stream.exhausted && !m.filter.job.running && !m.derived.job.running
	})
}

func wantScreen(t *testing.T, m *Model, want ...string) {
	t.Helper()
	s := screenText(m)
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Errorf("the screen lacks %q:\n%s", w, s)
		}
	}
}

func TestDetailShowsBeforeAndAfter(t *testing.T) {
	m := historyBrowser(t, nil, false, 200, 50)
	m = selectEvent(t, m, "h_u2")
	wantScreen(t, m, "Before → after · user user-bob", "role", "reader → owner", "user user-bob: 2 events since 2024-07-11")
	m = selectEvent(t, m, "h_u1")
	wantScreen(t, m, "reader (before: not in the log since 2024-07-11)")
	m = selectEvent(t, m, "h_k2")
	wantScreen(t, m, "added api.c; removed api.a")
	m = selectEvent(t, m, "h_k4")
	if strings.Contains(screenText(m), "Before → after") {
		t.Error("a creation has no before to show")
	}
	m = selectEvent(t, m, "h_p2")
	wantScreen(t, m, "␛[2J\\u202eevil␇ → Good")
	assertFits(t, screenText(m), 200, 50)
	m = selectEvent(t, m, "h_ra")
	wantScreen(t, m, "Linked · H to pivot", "principal", "user-bob (user)", "proj_h (api.project)")
}

func TestHistoryTimelineOpensEventsAndCloses(t *testing.T) {
	for _, size := range [][2]int{{40, 12}, {80, 24}, {200, 50}} {
		m := historyBrowser(t, nil, false, size[0], size[1])
		m = selectEvent(t, m, "h_k4")
		m = press(t, m, "H")
		hv := topOf[*historyView](m)
		if hv == nil {
			t.Fatalf("%v: H opened no timeline", size)
		}
		assertFits(t, screenText(m), size[0], size[1])
		var types []string
		for _, s := range hv.h.Steps {
			types = append(types, s.Event.ID)
		}
		if !slices.Equal(types, []string{"h_k1", "h_k2", "h_k3", "h_k4"}) || hv.h.Lives() != 2 {
			t.Fatalf("%v: timeline %v, %d lives", size, types, hv.h.Lives())
		}
		if size[0] == 200 {
			s := screenText(m)
			wantScreen(t, m, "History of api key key_h · 4 events since 2024-07-11 · 2 lives", "── life 2: created again", "scopes: added api.c; removed api.a", "state after: scopes=api.b, api.c")
			if strings.Index(s, "api_key.updated") > strings.Index(s, "api_key.deleted") {
				t.Error("the timeline is not oldest first")
			}
		}
		m = press(t, m, "k", "enter")
		if f := topOf[*fullView](m); f == nil || f.event.ID != "h_k3" {
			t.Fatalf("%v: enter on the third step did not open h_k3", size)
		}
		assertFits(t, screenText(m), size[0], size[1])
		m = press(t, m, "esc")
		if !onTop[*historyView](m) {
			t.Fatalf("%v: esc from the event is not back on the timeline", size)
		}
		m = press(t, m, "q")
		if m.top() != nil {
			t.Fatalf("%v: q did not close the timeline", size)
		}
	}
}

func TestHistoryFromTheFullView(t *testing.T) {
	m := historyBrowser(t, nil, false, 80, 24)
	m = press(t, selectEvent(t, m, "h_u2"), "enter", "H")
	if hv := topOf[*historyView](m); hv == nil || hv.id != "user-bob" {
		t.Fatal("H in the full view opened no timeline of the user")
	}
}

func TestHistoryLinksPivot(t *testing.T) {
	m := historyBrowser(t, nil, false, 120, 40)
	m = press(t, selectEvent(t, m, "h_ra"), "H", "g")
	wantScreen(t, m, "▸ linked: principal user-bob (user) · enter pivots")
	nm, cmd := m.Update(keyMsg("enter"))
	m = settle(t, nm.(*Model), cmd)
	if m.top() != nil || m.query.text != "resource:user-bob" {
		t.Fatalf("enter on the principal: query %q, stack %d", m.query.text, len(m.stack))
	}
	m = press(t, selectEvent(t, m, "h_u2"), "H")
	nm, cmd = m.Update(keyMsg("A"))
	m = settle(t, nm.(*Model), cmd)
	if m.top() != nil || !strings.Contains(m.query.text, "actor:ann@example.com") {
		t.Fatalf("A on a step: query %q", m.query.text)
	}
}

func TestHistoryCopyIsExactJSON(t *testing.T) {
	m := historyBrowser(t, nil, false, 120, 40)
	m = press(t, selectEvent(t, m, "h_p2"), "H")
	nm, cmd := m.Update(keyMsg("E"))
	m = nm.(*Model)
	got := fmt.Sprint(cmd())
	if strings.ContainsAny(got, "\x1b\u202e\x07\n") {
		t.Fatalf("the clipboard gets a control character: %q", got)
	}
	var steps []struct {
		EventID string            `json:"event_id"`
		State   map[string]string `json:"state"`
	}
	if err := json.Unmarshal([]byte(got), &steps); err != nil {
		t.Fatalf("E copied no JSON: %v\n%s", err, got)
	}
	if len(steps) != 2 || steps[0].State["title"] != "\x1b[2J\u202eevil\x07" || steps[1].State["title"] != "Good" {
		t.Fatalf("steps %+v", steps)
	}
	wantScreen(t, m, "copied the timeline as JSON (2 steps)")
}

func TestHistoryFetchFromTheAPIIsAskedFor(t *testing.T) {
	api := &fakeHistory{events: []model.Event{decode(t, olderRecord)}}
	m := historyBrowser(t, api.fetch, false, 200, 50)
	m = selectEvent(t, m, "h_u1")
	wantScreen(t, m, "not all loaded? H, then m, asks the API for this object's whole history")
	m = press(t, m, "H")
	if n := len(api.calls()); n != 0 {
		t.Fatalf("H alone asked the API %d times", n)
	}
	wantScreen(t, m, "m fetches the rest")
	m = press(t, m, "m")
	if got := api.calls(); !slices.Equal(got, []string{"user-bob"}) {
		t.Fatalf("m asked for %v", got)
	}
	wantScreen(t, m, "3 events since 2024-07-10 · fetched from the API", "role: member → reader")
	m = press(t, m, "q")
	wantScreen(t, m, "member → reader")
	m = press(t, m, "H", "m")
	if n := len(api.calls()); n != 1 || m.notice != "the whole history is here" {
		t.Fatalf("a fetched history was asked for again (%d calls, notice %q)", n, m.notice)
	}
}

func TestHistoryFromAStoreIsReadForTheSelectedEvent(t *testing.T) {
	st := &fakeHistory{events: []model.Event{decode(t, olderRecord)}, since: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}
	m := historyBrowser(t, st.fetch, true, 200, 50)
	m = selectEvent(t, m, "h_u1")
	if !slices.Contains(st.calls(), "user-bob") {
		t.Fatalf("the store was not asked for the selected event's object: %v", st.calls())
	}
	wantScreen(t, m, "member → reader", "user user-bob: 3 events since 2024-06-01")
	m = press(t, m, "H")
	wantScreen(t, m, "the whole stored history")
}

func TestHistoryReadsTheWholeStoredHistory(t *testing.T) {
	st := openTestStore(t, append(historyEvents(t), decode(t, olderRecord)))
	opts := Options{Query: model.Query{Filter: model.Filter{Types: []string{"user.updated"}}}, QueryText: "type:user.updated"}
	m := storeBrowser(t, st, opts, 200, 50)
	if m.set.Len() != 2 {
		t.Fatalf("the query loaded %d events, want the two updates", m.set.Len())
	}
	if !m.common.hist.asked["user-bob"] {
		t.Fatal("the store was not asked for the selected event's object")
	}
	// Its answer may come after storeBrowser stopped pumping: ask again.
	m.common.hist.asked = map[string]bool{}
	m = selectEvent(t, m, "h_u1")
	wantScreen(t, m, "role        member → reader", "user user-bob: 3 events since 2024-07-10")
	m = press(t, m, "H")
	wantScreen(t, m, "the whole stored history", "user.added  created", "role: member (new)")
	if strings.Contains(screenText(m), "m fetches") {
		t.Error("over a store there is nothing to fetch from the API")
	}
}

func TestListSummarySaysTheBefore(t *testing.T) {
	m := historyBrowser(t, nil, false, 400, 50) // wide: the summary column is not cut
	wantScreen(t, m, "changed the role of user user-bob from reader to owner",
		"changed the role of user user-bob to reader", // the oldest change: before unknown
		"updated project proj_h: title from ", " to Good")
	if raw := m.View().Content; strings.ContainsAny(raw, "\u202e\a") || strings.Contains(raw, "\x1b[2J") {
		t.Errorf("a hostile before reached the screen: %q", raw)
	}
}

// TestListSummaryRewordedAsOlderEventsLoad: a cached row says the before
// once the page with the earlier event on its object loads.
func TestListSummaryRewordedAsOlderEventsLoad(t *testing.T) {
	m := historyBrowser(t, nil, false, 200, 50)
	evs := historyEvents(t) // newest first: h_u2, h_ra, …
	var set model.Set
	set.Append(evs[:2])
	l := newEventList()
	l.SetHeight(20)
	l.ShowAll(set.Len())
	l.Move(1) // the cursor row is drawn afresh: keep h_u2 a cached row
	r := rowRenderer{styles: m.styles, loc: testZone, now: testNow, cols: layoutColumns(200, timeLocal, &contentWidths{}, defaultColumns),
		hist: newHistories(context.Background(), nil, false), loaded: &set}
	if s := ansi.Strip(l.Render(&set, r, 200, true)); !strings.Contains(s, "user user-bob to owner") {
		t.Fatalf("first page:\n%s", s)
	}
	set.Append(evs[2:])
	l.Grow(set.Len())
	if s := ansi.Strip(l.Render(&set, r, 200, true)); !strings.Contains(s, "user user-bob from reader to owner") {
		t.Errorf("after the older page:\n%s", s)
	}
}

// shownIDs are the ids of the events the list shows, in its order.
func shownIDs(m *Model) []string {
	var ids []string
	for r := range m.list.Len() {
		ids = append(ids, m.set.At(m.list.EventAt(r)).ID)
	}
	return ids
}

// TestSearchFindsTheWordsTheRowShows: the filter box and a query's bare
// words search the summary as the list words it ("from reader to owner"),
// whose before no field of the event holds.
func TestSearchFindsTheWordsTheRowShows(t *testing.T) {
	m := historyBrowser(t, nil, false, 200, 50)
	m = press(t, m, "/")
	m = typeText(t, m, "from reader to owner")
	if got := shownIDs(m); !slices.Equal(got, []string{"h_u2"}) {
		t.Errorf("/from reader to owner shows %v", got)
	}
	m = press(t, m, "esc")
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"from reader", []string{"h_u2"}},
		{"owner -reader", nil},              // the row of h_u2 shows "reader"
		{"owner -member", []string{"h_u2"}}, // nor a word no row shows
		{"type:user.updated reader", []string{"h_u2", "h_u1"}},
	} {
		m = pump(t, m, m.applyQuery(c.query), func(m *Model) bool { return !m.filter.job.running })
		if got := shownIDs(m); !slices.Equal(got, c.want) {
			t.Errorf("query %q shows %v, want %v", c.query, got, c.want)
		}
	}
}

// TestListSummaryReadsTheFetchedHistory: once the object's history was
// fetched, the list words its rows from all of it, not only what loaded.
func TestListSummaryReadsTheFetchedHistory(t *testing.T) {
	api := &fakeHistory{events: []model.Event{decode(t, olderRecord)}}
	m := historyBrowser(t, api.fetch, false, 400, 50)
	wantScreen(t, m, "changed the role of user user-bob to reader")
	m = selectEvent(t, m, "h_u1")
	m = press(t, m, "H", "m", "q")
	wantScreen(t, m, "changed the role of user user-bob from member to reader", "from reader to owner")
}

// TestWordedHitsNarrow: while a word grows the summaries holding it come
// from the last keystroke's; another word, or summaries worded anew, are
// searched whole.
func TestWordedHitsNarrow(t *testing.T) {
	worded := []history.WordedText{{At: 1, Text: "from reader to owner"}, {At: 4, Text: "from member to reader"}, {At: 9, Text: "title from a to b"}}
	texts := func(h wordedHits) []int32 {
		var at []int32
		for _, w := range h.texts {
			at = append(at, w.At)
		}
		return at
	}
	var h wordedHits
	for _, c := range []struct {
		needle string
		want   []int32
	}{{"re", []int32{1, 4}}, {"rea", []int32{1, 4}}, {"reader", []int32{1, 4}}, {"reader to", []int32{1}}, {"from", []int32{1, 4, 9}}, {"title", []int32{9}}} {
		h = h.narrow(worded, c.needle)
		if got := texts(h); !slices.Equal(got, c.want) {
			t.Errorf("%q: %v, want %v", c.needle, got, c.want)
		}
	}
	// A growing word searches only what held the shorter one.
	h = wordedHits{of: worded, needle: "from", texts: worded[:1]}
	if got := texts(h.narrow(worded, "from m")); got != nil {
		t.Errorf("narrowing from one summary found %v", got)
	}
	again := slices.Clone(worded) // Texts merged anew
	if got := texts(h.narrow(again, "from m")); !slices.Equal(got, []int32{4}) {
		t.Errorf("over summaries worded anew: %v, want [4]", got)
	}
}
