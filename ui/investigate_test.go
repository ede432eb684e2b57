package ui

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/query"
	"github.com/auditui/auditui/model/views"
)

// recordingSource serves events from memory as the API would (filters,
// page size and cursor honoured) and records every query it is asked.
type recordingSource struct {
	src     *model.MemorySource
	mu      sync.Mutex
	queries []model.Query
}

func newRecordingSource(events []model.Event) *recordingSource {
	return &recordingSource{src: model.NewMemorySource("demo", events)}
}

func (s *recordingSource) Name() string { return s.src.Name() }

func (s *recordingSource) Pages(ctx context.Context, q model.Query) iter.Seq2[model.Page, error] {
	s.mu.Lock()
	s.queries = append(s.queries, q)
	s.mu.Unlock()
	return s.src.Pages(ctx, q)
}

func (s *recordingSource) asked() []model.Query {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.queries)
}

// browsing is a browser at w×h over src that has loaded every event of its
// first query, through the real fetch goroutine.
func browsing(t *testing.T, src model.Source, opts Options, w, h int) *Model {
	t.Helper()
	opts.Source = src
	opts.Now = func() time.Time { return testNow }
	opts.Location = testZone
	m := New(opts)
	m.tick = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	m = send(m, tea.WindowSizeMsg{Width: w, Height: h})
	return pump(t, m, m.Init(), func(m *Model) bool {
		return m.stream.exhausted && !m.filter.job.running && !m.derived.job.running
	})
}

// shown is the events the list shows, in order.
func shown(m *Model) []*model.Event {
	var out []*model.Event
	for r := range m.list.Len() {
		out = append(out, m.set.At(m.list.EventAt(r)))
	}
	return out
}

// apply opens the query bar, replaces its text with text and presses enter,
// running what follows until loading and filtering settle.
func apply(t *testing.T, m *Model, text string) *Model {
	t.Helper()
	m = press(t, m, ":")
	bar := topOf[*queryBar](m)
	bar.input.SetValue(text)
	bar.check()
	nm, cmd := m.Update(keyMsg("enter"))
	return settle(t, nm.(*Model), cmd)
}

// settle pumps cmd until the fetch is done and the filter has caught up.
func settle(t *testing.T, m *Model, cmd tea.Cmd) *Model {
	t.Helper()
	return pump(t, m, cmd, func(m *Model) bool {
		return (m.stream.exhausted || !m.stream.job.running) && !m.filter.job.running && m.filter.scanned == m.set.Len() && !m.derived.job.running
	})
}

func matchingEvents(t *testing.T, text string, events []model.Event) []string {
	t.Helper()
	q, err := query.Parse(text, testNow)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range events {
		if q.Match(&events[i]) {
			ids = append(ids, events[i].ID)
		}
	}
	return ids
}

// sameEvents checks that got are the events want names, newest first.
func sameEvents(t *testing.T, got []*model.Event, want []string) {
	t.Helper()
	g := ids(got)
	slices.Sort(g)
	w := slices.Clone(want)
	slices.Sort(w)
	if !slices.Equal(g, w) || len(w) == 0 {
		t.Fatalf("shows %d events %v, want %d %v", len(g), g, len(w), w)
	}
	for k := 1; k < len(got); k++ {
		if got[k-1].EffectiveAt.Before(got[k].EffectiveAt) {
			t.Fatalf("%s (%v) shown before the newer %s (%v)", got[k-1].ID, got[k-1].EffectiveAt, got[k].ID, got[k].EffectiveAt)
		}
	}
}

func ids(evs []*model.Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.ID)
	}
	return out
}

func TestQueryBarServerChangeStartsANewFetchLocalChangeDoesNot(t *testing.T) {
	events := fixtureEvents(t)
	src := newRecordingSource(events)
	m := browsing(t, src, Options{QueryText: "type:login.*"}, 120, 40)
	if got, want := ids(shown(m)), matchingEvents(t, "type:login.*", events); !slices.Equal(got, want) || len(want) == 0 {
		t.Fatalf("opened with type:login.*: shows %d events, want %d", len(got), len(want))
	}
	gen, asked := m.stream.job.gen, len(src.asked())

	// A local-only change (a negation, free text) filters what is loaded.
	m = apply(t, m, "type:login.* -ip:192.0.2.0/28 alice")
	if m.stream.job.gen != gen || len(src.asked()) != asked {
		t.Fatalf("a local-only change started a fetch: generation %d → %d, %d queries", gen, m.stream.job.gen, len(src.asked()))
	}
	if got, want := ids(shown(m)), matchingEvents(t, "type:login.* -ip:192.0.2.0/28 alice", events); !slices.Equal(got, want) || len(want) == 0 {
		t.Fatalf("local change shows %v, want %v", got, want)
	}

	// A server change starts a new generation; the loaded events that match
	// show at once, before any page of the new query.
	nm, _ := m.Update(keyMsg(":"))
	m = nm.(*Model)
	bar := topOf[*queryBar](m)
	bar.input.SetValue("actor:alice@example.com")
	bar.check()
	nm, cmd := m.Update(keyMsg("enter"))
	m = nm.(*Model)
	if m.stream.job.gen != gen+1 {
		t.Fatalf("a server change should start generation %d, have %d", gen+1, m.stream.job.gen)
	}
	m = filtered(m)
	for _, e := range shown(m) {
		if e.Actor.Email() != "alice@example.com" || !strings.HasPrefix(e.Type, "login.") {
			t.Fatalf("before the new pages, only alice's loaded sign-ins can show; %s %s does", e.Type, e.Actor.Email())
		}
	}
	// A page of the old generation arriving late is dropped.
	before := m.set.Len()
	m = send(m, pageMsg{gen: gen, pages: []model.Page{{Events: pageEvents(t, 3), Number: 9}}})
	if m.set.Len() != before {
		t.Fatal("a page of the superseded query was added")
	}
	m = settle(t, m, cmd)
	q := src.asked()[len(src.asked())-1]
	if !slices.Equal(q.Filter.ActorEmails, []string{"alice@example.com"}) || len(q.Filter.Types) != 0 || q.After != "" {
		t.Fatalf("the new fetch asked %+v", q.Filter)
	}
	sameEvents(t, shown(m), matchingEvents(t, "actor:alice@example.com", events))
}

// filtered runs the list's filter over what is loaded, leaving the fetch
// alone: what the screen shows before any page of a new query.
func filtered(m *Model) *Model {
	msg := m.refine()().(filterMsg)
	return send(m, msg)
}

func TestQueryBarErrorKeepsTheLastGoodQuery(t *testing.T) {
	events := fixtureEvents(t)
	src := newRecordingSource(events)
	m := browsing(t, src, Options{QueryText: "type:login.failed"}, 100, 30)
	n := m.list.Len()
	m = press(t, m, ":")
	m = typeText(t, m, " tpye:x")
	if topOf[*queryBar](m).err == nil || topOf[*queryBar](m).err.Pos != len("type:login.failed ") {
		t.Fatalf("the typo should be an error at its position, have %+v", topOf[*queryBar](m).err)
	}
	s := screenText(m)
	if !strings.Contains(s, "^^^^ unknown key \"tpye\"") {
		t.Fatalf("the query bar should point at the typo:\n%s", s)
	}
	// enter does not apply a broken query; the one in force stays.
	m = press(t, m, "enter")
	if !onTop[*queryBar](m) || m.query.text != "type:login.failed" || m.list.Len() != n {
		t.Fatalf("a broken query was applied: on top %T, text %q", m.top(), m.query.text)
	}
	// Fix it: the marks say where each term runs, enter applies it.
	for range len("tpye:x") {
		nm, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyBackspace})
		m = drain(t, nm.(*Model), cmd)
	}
	m = typeText(t, m, `"192.0.2.1"`)
	if topOf[*queryBar](m).err != nil {
		t.Fatalf("fixed query still an error: %v", topOf[*queryBar](m).err)
	}
	s = screenText(m)
	if !strings.Contains(s, "on the server: type:login.failed") || !strings.Contains(s, `here: 192.0.2.1`) {
		t.Fatalf("the bar should mark server and local terms:\n%s", s)
	}
	nm, cmd := m.Update(keyMsg("enter"))
	m = settle(t, nm.(*Model), cmd)
	if got, want := ids(shown(m)), matchingEvents(t, `type:login.failed "192.0.2.1"`, events); m.top() != nil || !slices.Equal(got, want) || len(want) == 0 {
		t.Fatalf("fixed query: on top %T, shows %v, want %v", m.top(), got, want)
	}

	// esc leaves the bar and keeps the query in force.
	m = press(t, m, ":")
	m = typeText(t, m, " more")
	m = press(t, m, "esc")
	if m.query.text != `type:login.failed "192.0.2.1"` || m.top() != nil {
		t.Fatalf("esc changed the query to %q", m.query.text)
	}
}

func TestPivots(t *testing.T) {
	events := fixtureEvents(t)
	src := newRecordingSource(events)
	m := browsing(t, src, Options{}, 160, 45)
	m = selectEvent(t, m, "evt_session_1")
	gen := m.stream.job.gen

	// The IP is checked here: no new fetch.
	nm, cmd := m.Update(keyMsg("I"))
	m = settle(t, nm.(*Model), cmd)
	if m.query.text != "ip:203.0.113.7" || m.stream.job.gen != gen {
		t.Fatalf("I: query %q, generation %d → %d", m.query.text, gen, m.stream.job.gen)
	}
	for _, e := range shown(m) {
		if e.Actor.IP() != "203.0.113.7" {
			t.Fatalf("I shows an event from %s", e.Actor.IP())
		}
	}
	// The actor goes to the server: a new generation.
	nm, cmd = m.Update(keyMsg("A"))
	m = settle(t, nm.(*Model), cmd)
	if m.query.text != "ip:203.0.113.7 actor:alice@example.com" || m.stream.job.gen != gen+1 {
		t.Fatalf("A: query %q, generation %d", m.query.text, m.stream.job.gen)
	}
	if q := src.asked()[len(src.asked())-1]; !slices.Equal(q.Filter.ActorEmails, []string{"alice@example.com"}) {
		t.Fatalf("A asked the API for %+v", q.Filter)
	}
	// Type, project and resource of the same event.
	for _, c := range []struct{ key, term string }{{"T", "type:api_key.created"}, {"P", "project:proj_abc"}, {"O", "resource:key_abc123"}} {
		m = selectEvent(t, m, "evt_session_1")
		nm, cmd = m.Update(keyMsg(c.key))
		m = settle(t, nm.(*Model), cmd)
		if !strings.Contains(m.query.text, c.term) {
			t.Fatalf("%s: query %q lacks %s", c.key, m.query.text, c.term)
		}
	}
	if got := ids(shown(m)); !slices.Equal(got, []string{"evt_session_1"}) {
		t.Fatalf("after every pivot only the event itself is left, have %v", got)
	}

	// Pivoting on one of two actors replaces them rather than ORing with them.
	m = apply(t, m, "type:api_key.* actor:bob@example.com actor:李小龍@example.cn")
	i := slices.IndexFunc(shown(m), func(e *model.Event) bool { return e.Actor.Email() == "李小龍@example.cn" })
	if i < 0 {
		t.Fatal("no key event by 李小龍")
	}
	m = selectEvent(t, m, shown(m)[i].ID)
	nm, cmd = m.Update(keyMsg("A"))
	m = settle(t, nm.(*Model), cmd)
	if m.query.text != "type:api_key.* actor:李小龍@example.cn" {
		t.Fatalf("query %q", m.query.text)
	}
	sameEvents(t, shown(m), matchingEvents(t, m.query.text, events))
	m = selectEvent(t, m, shown(m)[0].ID)
	// The full-screen view pivots too and goes back to the list.
	m = press(t, m, "enter")
	nm, cmd = m.Update(keyMsg("T"))
	m = settle(t, nm.(*Model), cmd)
	if m.top() != nil || !strings.Contains(m.query.text, "type:api_key.") {
		t.Fatalf("T in full screen: on top %T, query %q", m.top(), m.query.text)
	}
}

func TestFacetsAddTermsAndNegations(t *testing.T) {
	events := fixtureEvents(t)
	src := newRecordingSource(events)
	m := browsing(t, src, Options{QueryText: "type:login.*"}, 120, 40)
	m = press(t, m, "c")
	if !onTop[*facetsPanel](m) || !topOf[*facetsPanel](m).ready {
		t.Fatalf("c should open the counted facets, on top %T", m.top())
	}
	// The counts are of the current result.
	counts := map[string]int{}
	for _, e := range shown(m) {
		counts[e.Type]++
	}
	for _, r := range topOf[*facetsPanel](m).rows {
		if r.facet == model.FacetType && !r.heading && counts[r.value.Value] != r.value.Count {
			t.Fatalf("type %s counted %d, the list has %d", r.value.Value, r.value.Count, counts[r.value.Value])
		}
	}
	// A value that is not an address (a hostile record's) is excluded as text.
	m = toFacet(t, m, model.FacetIP, func(v string) bool { return v == "10.0.0.1\u009b2J" })
	m = press(t, m, "-")
	if m.queryErr != "" || m.top() != nil || m.query.text != `type:login.* -"10.0.0.1\u009b2J"` {
		t.Fatalf("excluding a hostile IP: query %q, error %q", m.query.text, m.queryErr)
	}
	for _, e := range shown(m) {
		if strings.HasPrefix(e.ID, "evt_hostile") {
			t.Fatal("the hostile record is still shown")
		}
	}
	// enter narrows to an actor: a server term.
	gen := m.stream.job.gen
	m = toFacet(t, m, model.FacetActor, func(v string) bool { return v == "alice@example.com" })
	nm, cmd := m.Update(keyMsg("enter"))
	m = settle(t, nm.(*Model), cmd)
	if !strings.HasSuffix(m.query.text, " actor:alice@example.com") || m.stream.job.gen != gen+1 {
		t.Fatalf("enter on alice: query %q, generation %d → %d", m.query.text, gen, m.stream.job.gen)
	}
	sameEvents(t, shown(m), matchingEvents(t, m.query.text, events))
	// - excludes one address: checked here.
	m = toFacet(t, m, model.FacetIP, func(v string) bool { return strings.HasPrefix(v, "192.") })
	p := topOf[*facetsPanel](m)
	ip := p.rows[p.cursor].value.Value
	m = press(t, m, "-")
	if !strings.HasSuffix(m.query.text, " -ip:"+ip) || m.stream.job.gen != gen+1 {
		t.Fatalf("- on %s: query %q, generation %d", ip, m.query.text, m.stream.job.gen)
	}
	sameEvents(t, shown(m), matchingEvents(t, m.query.text, events))
}

// toFacet opens the facets panel and moves to the value of f that is.
func toFacet(t *testing.T, m *Model, f model.Facet, is func(string) bool) *Model {
	t.Helper()
	if !onTop[*facetsPanel](m) {
		nm, cmd := m.Update(keyMsg("c"))
		m = drain(t, nm.(*Model), cmd)
	}
	for k := 0; ; k++ {
		p := topOf[*facetsPanel](m)
		if r := p.rows[p.cursor]; r.facet == f && is(r.value.Value) {
			return m
		}
		if k > len(p.rows) {
			t.Fatalf("no such %s among the facets", f)
		}
		m = press(t, m, "j")
	}
}

func TestHistogramZoomNarrowsToTheBucket(t *testing.T) {
	events := fixtureEvents(t)
	src := newRecordingSource(events)
	m := browsing(t, src, Options{}, 160, 45)
	h := m.derived.hist
	total := 0
	for _, c := range h.Counts {
		total += c
	}
	if h.Len() == 0 || total != m.list.Len() || h.Len() > 158 {
		t.Fatalf("histogram of %d buckets counts %d events, the list has %d", h.Len(), total, m.list.Len())
	}
	m = selectEvent(t, m, "evt_00010")
	sel := m.set.At(m.list.EventAt(m.list.cursor)).EffectiveAt
	b := h.Bucket(sel)
	from, to := h.Bounds(b)
	nm, cmd := m.Update(keyMsg("Z"))
	m = settle(t, nm.(*Model), cmd)
	want := fmt.Sprintf("since:%s until:%s", from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339))
	if m.query.text != want {
		t.Fatalf("Z: query %q, want %q", m.query.text, want)
	}
	if m.list.Len() != h.Counts[b] {
		t.Fatalf("zoomed list has %d events, the bar had %d", m.list.Len(), h.Counts[b])
	}
	if q := src.asked()[len(src.asked())-1]; !q.Filter.Since.Equal(from) || !q.Filter.Until.Equal(to) {
		t.Fatalf("the zoom asked the API for %v – %v", q.Filter.Since, q.Filter.Until)
	}
	// Zooming again replaces the range instead of adding to it.
	nm, cmd = m.Update(keyMsg("Z"))
	m = settle(t, nm.(*Model), cmd)
	if strings.Count(m.query.text, "since:") != 1 || strings.Count(m.query.text, "until:") != 1 {
		t.Fatalf("second zoom: %q", m.query.text)
	}
}

// TestFarApartTimesDraw: records at both ends of what the decoder accepts
// (±1e11 s, thousands of years apart: more than a time.Duration spans) are
// charted, drawn in every time mode and zoomed into without a panic, and
// each zoom shows its event.
func TestFarApartTimesDraw(t *testing.T) {
	var events []model.Event
	for i, at := range []int64{99999999999, 1760000000, -1e11} {
		e, err := model.DecodeEvent(fmt.Appendf(nil, `{"id":"evt_%d","type":"login.failed","effective_at":%d}`, i, at))
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, e)
	}
	for _, size := range [][2]int{{40, 12}, {80, 24}, {200, 50}} {
		src := newRecordingSource(events)
		m := browsing(t, src, Options{}, size[0], size[1])
		h := m.derived.hist
		total := 0
		for _, c := range h.Counts {
			total += c
		}
		if m.histFits() && total != len(events) {
			t.Fatalf("%v: the histogram counts %d events, want %d", size, total, len(events))
		}
		for mode := range timeModes {
			assertFits(t, screenText(m), size[0], size[1])
			if mode == timeRelative && !strings.Contains(screenText(m), "y ahead") {
				t.Fatalf("%v: relative times do not say how far ahead:\n%s", size, screenText(m))
			}
			m = press(t, m, "z")
		}
		for _, e := range events {
			if !m.histFits() {
				break
			}
			m = selectEvent(t, m, e.ID)
			nm, cmd := m.Update(keyMsg("Z"))
			m = settle(t, nm.(*Model), cmd)
			if m.queryErr != "" || len(shown(m)) != 1 || shown(m)[0].ID != e.ID {
				t.Fatalf("%v: zoom to %s gave query %q (%s) and %d events", size, e.ID, m.query.text, m.queryErr, len(shown(m)))
			}
			assertFits(t, screenText(m), size[0], size[1])
			nm, cmd = m.Update(keyMsg("u"))
			m = settle(t, nm.(*Model), cmd)
		}
	}
}

func TestUndoGoesBackThroughQueries(t *testing.T) {
	events := fixtureEvents(t)
	src := newRecordingSource(events)
	m := browsing(t, src, Options{}, 160, 45)
	all := m.list.Len()
	m = press(t, m, "u")
	if m.notice != "no earlier query" {
		t.Fatalf("u with no earlier query: notice %q", m.notice)
	}
	m = selectEvent(t, m, "evt_session_1")
	nm, cmd := m.Update(keyMsg("I"))
	m = settle(t, nm.(*Model), cmd)
	m = selectEvent(t, m, "evt_session_1")
	nm, cmd = m.Update(keyMsg("Z"))
	m = settle(t, nm.(*Model), cmd)
	zoomed := m.query.text
	if !strings.HasPrefix(zoomed, "ip:203.0.113.7 since:") || !strings.Contains(m.help.ShortHelpView(browseHelp{m}.ShortHelp()), "previous query") {
		t.Fatalf("after I and Z: query %q; the short help should offer u", zoomed)
	}
	gen := m.stream.job.gen
	nm, cmd = m.Update(keyMsg("u"))
	m = settle(t, nm.(*Model), cmd)
	if m.query.text != "ip:203.0.113.7" || m.stream.job.gen == gen {
		t.Fatalf("u after a zoom: query %q, generation %d → %d (the time range goes back to the API)", m.query.text, gen, m.stream.job.gen)
	}
	nm, cmd = m.Update(keyMsg("backspace"))
	m = settle(t, nm.(*Model), cmd)
	if m.query.text != "" || m.list.Len() != all || m.notice != "back to no query" {
		t.Fatalf("second u: query %q, %d of %d events, notice %q", m.query.text, m.list.Len(), all, m.notice)
	}
	m = press(t, m, "u")
	if m.query.text != "" || m.notice != "no earlier query" {
		t.Fatalf("third u: query %q, notice %q", m.query.text, m.notice)
	}
}

func TestSavedViewsPicker(t *testing.T) {
	events := fixtureEvents(t)
	src := newRecordingSource(events)
	all := append(views.Builtin(), views.View{Name: "Bob's keys", Query: "type:api_key.* actor:bob@example.com"})
	m := browsing(t, src, Options{Views: all, ViewsErr: "saved views in /x/views.toml: view \"typo\": query column 1: unknown key", ViewsPath: "/x/views.toml"}, 100, 30)
	m = press(t, m, "v")
	s := screenText(m)
	if !onTop[*viewsPicker](m) || !strings.Contains(s, "Failed sign-ins") || !strings.Contains(s, "Bob's keys") || !strings.Contains(s, `unknown key`) {
		t.Fatalf("v should list the views and the file's problem:\n%s", s)
	}
	for range len(all) - 1 {
		m = press(t, m, "j")
	}
	nm, cmd := m.Update(keyMsg("enter"))
	m = settle(t, nm.(*Model), cmd)
	if m.query.text != "type:api_key.* actor:bob@example.com" || m.top() != nil {
		t.Fatalf("the view was not opened: %q", m.query.text)
	}
	if got, want := ids(shown(m)), matchingEvents(t, m.query.text, events); !slices.Equal(got, want) || len(want) == 0 {
		t.Fatalf("view shows %v, want %v", got, want)
	}
}

func TestEventsOfSeveralQueriesShowNewestFirst(t *testing.T) {
	events := fixtureEvents(t)
	src := newRecordingSource(events)
	m := browsing(t, src, Options{QueryText: "type:api_key.*"}, 120, 40)
	m = apply(t, m, "-type:invite.sent")
	if m.facetIdx.NewestFirst() {
		t.Fatal("the second query's pages should have come after the first's, out of time order")
	}
	got := shown(m)
	if want := matchingEvents(t, "-type:invite.sent", events); len(got) != len(want) {
		t.Fatalf("%d shown, want %d", len(got), len(want))
	}
	for k := 1; k < len(got); k++ {
		if got[k-1].EffectiveAt.Before(got[k].EffectiveAt) {
			t.Fatalf("%s (%v) shown before the newer %s (%v)", got[k-1].ID, got[k-1].EffectiveAt, got[k].ID, got[k].EffectiveAt)
		}
	}
}

func TestInvestigateGolden(t *testing.T) {
	cases := []struct {
		name string
		run  func(t *testing.T, w, h int) *Model
	}{
		{"query_bar_error", func(t *testing.T, w, h int) *Model {
			m := browsing(t, newRecordingSource(fixtureEvents(t)), Options{QueryText: "type:login.*"}, w, h)
			m = press(t, m, ":")
			return typeText(t, m, ` -country:US tpye:api_key.*`)
		}},
		{"query_bar_marks", func(t *testing.T, w, h int) *Model {
			m := browsing(t, newRecordingSource(fixtureEvents(t)), Options{QueryText: "type:login.*"}, w, h)
			m = press(t, m, ":")
			return typeText(t, m, ` -ip:192.0.2.0/24 actor:alice@example.com "wrong"`)
		}},
		{"facets", func(t *testing.T, w, h int) *Model {
			m := browsing(t, newRecordingSource(fixtureEvents(t)), Options{}, w, h)
			return press(t, m, "c", "j", "j")
		}},
		{"histogram_selected", func(t *testing.T, w, h int) *Model {
			m := browsing(t, newRecordingSource(fixtureEvents(t)), Options{QueryText: "-type:login.*"}, w, h)
			return selectEvent(t, m, "evt_00030")
		}},
		{"views", func(t *testing.T, w, h int) *Model {
			m := browsing(t, newRecordingSource(fixtureEvents(t)), Options{ViewsPath: "/home/ana/.config/auditui/views.toml"}, w, h)
			return press(t, m, "v", "j")
		}},
	}
	for _, c := range cases {
		for _, sz := range sizes {
			t.Run(fmt.Sprintf("%s_%dx%d", c.name, sz[0], sz[1]), func(t *testing.T) {
				checkScreen(t, c.run(t, sz[0], sz[1]), sz[0], sz[1])
			})
		}
	}
}
