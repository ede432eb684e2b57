package ui

import (
	"errors"
	"fmt"
	"image/color"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/auditui/auditui/model"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

var sizes = [][2]int{{80, 24}, {160, 45}}

// fixtureEvents is a page with one event of each interesting kind first.
func fixtureEvents(t testing.TB) []model.Event {
	evs := []model.Event{
		decode(t, sessionRecord), decode(t, userKeyRecord), decode(t, serviceAccountRecord),
		decode(t, unknownRecord), decode(t, hostileRecord),
	}
	evs = append(evs, pageEvents(t, 145)...)
	// Newest first, as the API sends them.
	slices.SortStableFunc(evs, func(a, b model.Event) int { return b.EffectiveAt.Compare(a.EffectiveAt) })
	return evs
}

// loaded is a browser at w×h that has received the fixture events.
func loaded(t testing.TB, w, h int) *Model {
	return feed(t, newTestModel(&pagedSource{name: "demo"}, w, h), fixtureEvents(t), 100)
}

// checkScreen asserts the stripped view is exactly w×h with no control
// characters, and compares it with the golden file.
func checkScreen(t *testing.T, m *Model, w, h int) {
	t.Helper()
	s := screenText(m)
	assertFits(t, s, w, h)
	golden.RequireEqual(t, s)
}

func assertFits(t testing.TB, s string, w, h int) {
	t.Helper()
	lines := strings.Split(s, "\n")
	if len(lines) != h {
		t.Fatalf("view has %d lines, want %d:\n%s", len(lines), h, s)
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw != w {
			t.Fatalf("line %d is %d cells wide, want %d: %q", i+1, lw, w, l)
		}
		for _, r := range l {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || reachesTerminal(r) {
				t.Fatalf("line %d carries control %U: %q", i+1, r, l)
			}
		}
	}
}

// selectEvent moves the cursor onto the event with id.
func selectEvent(t testing.TB, m *Model, id string) *Model {
	t.Helper()
	m = press(t, m, "g")
	for range m.list.Len() {
		if i, ok := m.list.Selected(); ok && m.set.At(i).ID == id {
			return m
		}
		m = press(t, m, "j")
	}
	t.Fatalf("event %s not in the list", id)
	return m
}

func TestGolden(t *testing.T) {
	cases := []struct {
		name string
		run  func(t *testing.T, w, h int) *Model
	}{
		{"first_page", func(t *testing.T, w, h int) *Model { return loaded(t, w, h) }},
		{"filter_in_progress", func(t *testing.T, w, h int) *Model {
			m := press(t, loaded(t, w, h), "/")
			return typeText(t, m, "login")
		}},
		{"detail_session", func(t *testing.T, w, h int) *Model {
			return press(t, selectEvent(t, loaded(t, w, h), "evt_session_1"), "enter")
		}},
		{"detail_user_api_key", func(t *testing.T, w, h int) *Model {
			return press(t, selectEvent(t, loaded(t, w, h), "evt_userkey_1"), "enter")
		}},
		{"detail_service_account", func(t *testing.T, w, h int) *Model {
			return press(t, selectEvent(t, loaded(t, w, h), "evt_svc_1"), "enter")
		}},
		{"detail_unknown_type", func(t *testing.T, w, h int) *Model {
			return press(t, selectEvent(t, loaded(t, w, h), "evt_unknown_1"), "enter")
		}},
		{"hostile_record", func(t *testing.T, w, h int) *Model {
			return press(t, selectEvent(t, loaded(t, w, h), "evt_hostile\x1b[2J"), "enter")
		}},
		{"hostile_record_raw", func(t *testing.T, w, h int) *Model {
			return press(t, selectEvent(t, loaded(t, w, h), "evt_hostile\x1b[2J"), "enter", "r")
		}},
		{"error_state", func(t *testing.T, w, h int) *Model {
			m := newTestModel(&pagedSource{name: "organization"}, w, h)
			evs := pageEvents(t, 40)
			m = send(m, pageMsg{gen: m.stream.job.gen, pages: []model.Page{{Events: evs, Number: 1, HasMore: true, LastID: evs[39].ID}}})
			return send(m, fetchErrMsg{gen: m.stream.job.gen, err: errors.New("The audit log service is unavailable (HTTP 503); try again in a minute.")})
		}},
		{"type_picker", func(t *testing.T, w, h int) *Model {
			return press(t, loaded(t, w, h), "t", "j", "space")
		}},
	}
	for _, c := range cases {
		for _, sz := range sizes {
			t.Run(fmt.Sprintf("%s_%dx%d", c.name, sz[0], sz[1]), func(t *testing.T) {
				checkScreen(t, c.run(t, sz[0], sz[1]), sz[0], sz[1])
			})
		}
	}
	t.Run("tiny_20x5", func(t *testing.T) {
		checkScreen(t, loaded(t, 20, 5), 20, 5)
	})
}

func TestEverySizeDrawsWithoutPanicking(t *testing.T) {
	base := loaded(t, 80, 24)
	for w := 1; w <= 130; w += 3 {
		for h := 1; h <= 50; h += 2 {
			for _, keys := range [][]string{nil, {"enter"}, {"tab"}, {"t"}, {"/"}, {"?"}, {"r"}, {"d"}} {
				m := send(base, tea.WindowSizeMsg{Width: w, Height: h})
				m = press(t, m, keys...)
				assertFits(t, screenText(m), w, h)
			}
		}
	}
}

func TestTooSmallSaysSo(t *testing.T) {
	m := loaded(t, 30, 6)
	if s := screenText(m); !strings.Contains(s, "terminal too small") {
		t.Fatalf("a 30x6 terminal should say it is too small:\n%s", s)
	}
	m = send(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	if s := screenText(m); strings.Contains(s, "too small") || !strings.Contains(s, "evt_00000") {
		t.Fatalf("after growing, the list should be back:\n%s", s)
	}
}

func TestFilterNarrowsAndEscClears(t *testing.T) {
	m := loaded(t, 120, 40)
	total := m.list.Len()
	m = press(t, m, "/")
	m = typeText(t, m, "login")
	login := m.list.Len()
	if login == 0 || login >= total {
		t.Fatalf("login should match some but not all of %d events, matched %d", total, login)
	}
	for r := range login {
		if e := m.set.At(m.list.EventAt(r)); !strings.Contains(e.Type, "login") && !strings.Contains(strings.ToLower(model.Summary(e)), "login") {
			t.Fatalf("row %d (%s) does not match login", r, e.Type)
		}
	}
	m = typeText(t, m, ".failed")
	if n := m.list.Len(); n == 0 || n >= login {
		t.Fatalf("login.failed should narrow %d login rows, got %d", login, n)
	}
	if !strings.Contains(screenText(m), "matching") {
		t.Fatal("the header should count matches while typing")
	}
	m = press(t, m, "enter")
	if m.typing || m.input.Value() != "login.failed" {
		t.Fatalf("enter should keep the filter and return to the list, value %q", m.input.Value())
	}
	m = press(t, m, "/", "esc")
	if m.list.Len() != total || m.input.Value() != "" {
		t.Fatalf("esc should clear the filter: %d rows, value %q", m.list.Len(), m.input.Value())
	}
}

func TestGlobFilterAndHighlight(t *testing.T) {
	m := press(t, loaded(t, 120, 40), "/")
	m = typeText(t, m, "api_key.*")
	if m.list.Len() == 0 {
		t.Fatal("api_key.* should match the api_key events")
	}
	for r := range m.list.Len() {
		if e := m.set.At(m.list.EventAt(r)); !strings.HasPrefix(e.Type, "api_key.") {
			t.Fatalf("api_key.* matched %s", e.Type)
		}
	}
	if p := m.styles.paint.match; !strings.Contains(m.View().Content, p.pre+"api_key.deleted") {
		t.Fatal("a glob should highlight the matching type cells")
	}
	m = press(t, m, "esc", "/")
	m = typeText(t, m, "bob")
	view := m.View().Content
	if !strings.Contains(view, m.styles.paint.match.pre+"bob"+m.styles.paint.match.post) {
		t.Fatal("matches of the filter text should be highlighted in the rows")
	}
}

func TestStaleFilterResultIsDropped(t *testing.T) {
	m := press(t, loaded(t, 120, 40), "/")
	m = typeText(t, m, "alice")
	want := m.list.Len()
	stale := filterMsg{gen: m.filter.job.gen - 1, result: model.Result{Indices: []int32{0}, Scanned: m.set.Len()}}
	m = send(m, stale)
	if m.list.Len() != want {
		t.Fatalf("a result of superseded text changed the list from %d to %d rows", want, m.list.Len())
	}
}

func TestStalePageIsDropped(t *testing.T) {
	m := loaded(t, 120, 40)
	n := m.set.Len()
	m = send(m, pageMsg{gen: m.stream.job.gen + 7, pages: []model.Page{{Events: pageEvents(t, 3)[:1]}}})
	if m.set.Len() != n {
		t.Fatalf("a page of a superseded query was added: %d → %d events", n, m.set.Len())
	}
}

func TestPagesArrivingWhileFilteredExtendTheMatches(t *testing.T) {
	m := newTestModel(&pagedSource{name: "demo"}, 120, 40)
	m = press(t, m, "/")
	m = typeText(t, m, "login.failed")
	evs := pageEvents(t, 300)
	m = feed(t, m, evs, 100)
	want := 0
	for i := range evs {
		if evs[i].Type == "login.failed" {
			want++
		}
	}
	if m.list.Len() != want {
		t.Fatalf("after three pages the filter should match %d login.failed events, got %d", want, m.list.Len())
	}
}

func TestTypePickerAppliesAtOnce(t *testing.T) {
	m := press(t, loaded(t, 120, 40), "t")
	if !onTop[*picker](m) {
		t.Fatal("t should open the type picker")
	}
	var picked string
	p := topOf[*picker](m)
	for _, e := range p.entries {
		if e.typ == "invite.sent" {
			picked = e.typ
		}
	}
	if picked == "" {
		t.Fatal("the picker should list invite.sent, which is loaded")
	}
	for p.entries[p.cursor].typ != picked {
		m = press(t, m, "j")
	}
	m = press(t, m, "space", "enter")
	if m.top() != nil || m.list.Len() == 0 {
		t.Fatalf("enter should apply the picked type; on top %T rows %d", m.top(), m.list.Len())
	}
	for r := range m.list.Len() {
		if e := m.set.At(m.list.EventAt(r)); e.Type != picked {
			t.Fatalf("row %d is %s, want only %s", r, e.Type, picked)
		}
	}
	if !strings.Contains(screenText(m), "types invite.sent") {
		t.Fatal("the header should show the picked type")
	}
}

// TestTypePickerMovesAsEveryList: the picker takes the movement keys every
// list takes (G/end to the last type, g to the first), headings skipped.
func TestTypePickerMovesAsEveryList(t *testing.T) {
	m := press(t, loaded(t, 120, 40), "t")
	p := topOf[*picker](m)
	first, last := p.cursor, len(p.entries)-1
	m = press(t, m, "G")
	if p.cursor != last || p.entries[p.cursor].typ == "" {
		t.Fatalf("G put the cursor on entry %d, want the last type, %d", p.cursor, last)
	}
	m = press(t, m, "g")
	if p.cursor != first {
		t.Fatalf("g put the cursor on entry %d, want the first type, %d", p.cursor, first)
	}
	press(t, m, "end")
	if p.cursor != last {
		t.Fatalf("end put the cursor on entry %d, want %d", p.cursor, last)
	}
}

func TestNavigationKeys(t *testing.T) {
	m := loaded(t, 120, 40)
	n := m.list.Len()
	m = press(t, m, "j", "j", "down")
	if m.list.cursor != 3 {
		t.Fatalf("three downs should reach row 3, got %d", m.list.cursor)
	}
	m = press(t, m, "k")
	if m.list.cursor != 2 {
		t.Fatalf("k should move up, got %d", m.list.cursor)
	}
	m = press(t, m, "G")
	if m.list.cursor != n-1 {
		t.Fatalf("G should reach the last row %d, got %d", n-1, m.list.cursor)
	}
	m = press(t, m, "g", "pgdown")
	if m.list.cursor != m.list.height {
		t.Fatalf("pgdown should move a page (%d), got %d", m.list.height, m.list.cursor)
	}
	m = press(t, m, "ctrl+d")
	if m.list.cursor != m.list.height+m.list.height/2 {
		t.Fatalf("ctrl+d should move half a page, got %d", m.list.cursor)
	}
	m = press(t, m, "end")
	if m.list.cursor != n-1 {
		t.Fatalf("end should reach the last row, got %d", m.list.cursor)
	}
}

func TestMouseWheelAndClick(t *testing.T) {
	m := loaded(t, 160, 45)
	m = send(m, tea.MouseWheelMsg{X: 5, Y: 10, Button: tea.MouseWheelDown})
	if m.list.offset != 3 {
		t.Fatalf("the wheel should scroll the list by 3, offset %d", m.list.offset)
	}
	// Row 5 of the window is on screen line 1 (header) + 2 (histogram) + 1 (titles) + 5.
	m = send(m, tea.MouseClickMsg{X: 5, Y: 9, Button: tea.MouseLeft})
	if m.list.cursor != m.list.offset+5 {
		t.Fatalf("clicking should select the row under the mouse: cursor %d offset %d", m.list.cursor, m.list.offset)
	}
	m = send(m, tea.MouseClickMsg{X: 120, Y: 9, Button: tea.MouseLeft})
	if m.focus != focusDetail {
		t.Fatal("clicking the detail pane should focus it")
	}
}

func TestFullScreenDetailAndBack(t *testing.T) {
	m := selectEvent(t, loaded(t, 80, 24), "evt_session_1")
	m = press(t, m, "enter")
	if !onTop[*fullView](m) || !strings.Contains(screenText(m), "Actor · session") {
		t.Fatalf("enter should open the event full-screen:\n%s", screenText(m))
	}
	m = press(t, m, "j", "j")
	if f := topOf[*fullView](m); f.vp.YOffset() != 2 {
		t.Fatalf("j should scroll the full-screen detail, offset %d", f.vp.YOffset())
	}
	m = press(t, m, "esc")
	if m.top() != nil {
		t.Fatal("esc should return to the list")
	}
}

func TestTabFocusesDetailAndScrollsIt(t *testing.T) {
	m := selectEvent(t, loaded(t, 80, 24), "evt_hostile\x1b[2J")
	m = press(t, m, "tab")
	if m.focus != focusDetail {
		t.Fatal("tab should focus the detail pane")
	}
	cursor := m.list.cursor
	_ = screenText(m)
	m = press(t, m, "j")
	_ = screenText(m)
	if m.list.cursor != cursor || m.detail.vp.YOffset() != 1 {
		t.Fatalf("j with the detail focused should scroll it: cursor %d→%d offset %d", cursor, m.list.cursor, m.detail.vp.YOffset())
	}
	m = press(t, m, "tab")
	if m.focus != focusList {
		t.Fatal("tab again should focus the list")
	}
}

func TestCopyUsesOSC52AndConfirms(t *testing.T) {
	m := selectEvent(t, loaded(t, 120, 40), "evt_session_1")
	nm, cmd := m.Update(keyMsg("Y"))
	m = nm.(*Model)
	if cmd == nil {
		t.Fatal("Y should return a clipboard command")
	}
	if got := fmt.Sprint(cmd()); got != "evt_session_1" {
		t.Fatalf("Y should copy the id, the command carries %q", got)
	}
	if !strings.Contains(screenText(m), "copied the event id evt_session_1") {
		t.Fatal("the status bar should confirm the copy")
	}
	nm, cmd = m.Update(keyMsg("y"))
	m = nm.(*Model)
	if got := fmt.Sprint(cmd()); !strings.Contains(got, `"api_key.created"`) {
		t.Fatalf("y should copy the raw event, got %q", got)
	}
	if !strings.Contains(screenText(m), "copied the raw event") {
		t.Fatal("the status bar should confirm copying the raw event")
	}
}

func TestTimeFormatCycles(t *testing.T) {
	m := loaded(t, 100, 40)
	if !strings.Contains(screenText(m), "2024-07-12 19:55:00") {
		t.Fatal("times should start in the local zone (CEST in tests)")
	}
	m = press(t, m, "z")
	if !strings.Contains(screenText(m), "2024-07-12 17:55:00Z") {
		t.Fatal("z should switch to UTC")
	}
	m = press(t, m, "z")
	if !strings.Contains(screenText(m), "5m ago") {
		t.Fatalf("z again should show relative times:\n%s", screenText(m))
	}
}

func TestErrorKeepsEventsAndRetryResumesFromCursor(t *testing.T) {
	evs := pageEvents(t, 250)
	src := &pagedSource{name: "organization", events: evs}
	m := newTestModel(src, 120, 40)
	m = send(m, pageMsg{gen: 1, pages: []model.Page{{Events: evs[:100], Number: 1, HasMore: true, LastID: evs[99].ID}}})
	m = send(m, fetchErrMsg{gen: 1, err: errors.New("The audit log service is unavailable (HTTP 503); try again in a minute.")})
	if m.set.Len() != 100 || !strings.Contains(screenText(m), "unavailable (HTTP 503)") {
		t.Fatalf("the error should show and the 100 events stay; have %d\n%s", m.set.Len(), screenText(m))
	}
	nm, cmd := m.Update(keyMsg("R"))
	m = nm.(*Model)
	if m.stream.err != nil || m.stream.job.gen != 2 || cmd == nil {
		t.Fatal("R should start a new query")
	}
	m = pump(t, m, cmd, func(m *Model) bool { return m.stream.exhausted })
	if len(src.queries) != 1 || src.queries[0].After != evs[99].ID {
		t.Fatalf("the retry should resume after %s, queries %+v", evs[99].ID, src.queries)
	}
	if m.set.Len() != 250 {
		t.Fatalf("after the retry all 250 events should be loaded once, have %d", m.set.Len())
	}
}

func TestCapPausesAndMoreResumes(t *testing.T) {
	evs := pageEvents(t, 350)
	src := &pagedSource{name: "demo", events: evs}
	m := New(Options{Source: src, MaxEvents: 150, Now: func() time.Time { return testNow }, Location: testZone})
	m = send(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	m = pump(t, m, m.Init(), func(m *Model) bool { return m.paused() })
	if m.set.Len() != 150 || !strings.Contains(screenText(m), "paused at 150") {
		t.Fatalf("loading should pause at exactly 150 events, have %d\n%s", m.set.Len(), screenText(m))
	}
	nm, cmd := m.Update(keyMsg("m"))
	m = pump(t, nm.(*Model), cmd, func(m *Model) bool { return m.paused() || m.stream.exhausted })
	if m.set.Len() != 300 {
		t.Fatalf("m should load another 150, have %d", m.set.Len())
	}
	// Scrolling to the end fetches the rest.
	nm, cmd = m.Update(keyMsg("G"))
	m = pump(t, nm.(*Model), cmd, func(m *Model) bool { return m.stream.exhausted })
	if m.set.Len() != 350 || !strings.Contains(screenText(m), "all loaded") {
		t.Fatalf("reaching the end should load the rest, have %d", m.set.Len())
	}
	m.cancel()
}

// A cap reached by the last page is not a pause: with exactly as many
// events as the cap (a store of exactly 1,000,000) everything is loaded.
func TestCapReachedByTheLastPageSaysAllLoaded(t *testing.T) {
	src := &pagedSource{name: "demo", events: pageEvents(t, 300)}
	m := New(Options{Source: src, MaxEvents: 300, Now: func() time.Time { return testNow }, Location: testZone})
	m = send(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	m = pump(t, m, m.Init(), func(m *Model) bool { return m.stream.exhausted })
	if s := screenText(m); m.set.Len() != 300 || m.paused() || strings.Contains(s, "paused") || !strings.Contains(s, "all loaded") {
		t.Fatalf("300 events under a cap of 300 should be all loaded, have %d\n%s", m.set.Len(), s)
	}
	m.cancel()
}

func TestQuitCancelsAndQuits(t *testing.T) {
	m := loaded(t, 80, 24)
	for _, k := range []string{"q", "ctrl+c"} {
		_, cmd := m.Update(keyMsg(k))
		if cmd == nil {
			t.Fatalf("%s should quit", k)
		}
		if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Fatalf("%s should return tea.Quit", k)
		}
	}
	if m.ctx.Err() == nil {
		t.Fatal("quitting should cancel requests in flight")
	}
	m = press(t, loaded(t, 80, 24), "/")
	m = typeText(t, m, "q")
	if m.input.Value() != "q" {
		t.Fatal("q typed in the filter box is text, not quit")
	}
}

func TestBackgroundColourPicksTheme(t *testing.T) {
	m := loaded(t, 80, 24)
	m = send(m, tea.BackgroundColorMsg{Color: color.White})
	if m.styles.IsDark {
		t.Fatal("a white background should select the light theme")
	}
	m = send(m, tea.BackgroundColorMsg{Color: color.Black})
	if !m.styles.IsDark {
		t.Fatal("a black background should select the dark theme")
	}
}

func TestRawJSONColoursKeysStringsAndNumbersApart(t *testing.T) {
	st := NewStyles(true)
	lines := highlightJSON(&st, []byte(`{"key":"text","n":12,"ok":true}`), 80)
	joined := strings.Join(lines, "\n")
	for _, want := range []string{st.JSONKey.Render(`"key"`), st.JSONString.Render(`"text"`), st.JSONNumber.Render("12"), st.JSONKeyword.Render("true")} {
		if !strings.Contains(joined, want) {
			t.Errorf("raw view lacks %q in:\n%q", want, joined)
		}
	}
	if ansi.Strip(joined) != "{\n  \"key\": \"text\",\n  \"n\": 12,\n  \"ok\": true\n}" {
		t.Errorf("raw view text is not the indented record:\n%s", ansi.Strip(joined))
	}
}

func TestInitialFilterAppliesToStreamedPages(t *testing.T) {
	m := New(Options{Source: &pagedSource{name: "demo"}, Filter: "invite", Now: func() time.Time { return testNow }, Location: testZone})
	m.stream.job.stop()
	close(m.stream.fetch.pages)
	m = send(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	m = feed(t, m, pageEvents(t, 200), 100)
	if m.list.Len() != 25 {
		t.Fatalf("--filter invite should show the 25 invite.sent events of 200, shows %d", m.list.Len())
	}
	if !strings.Contains(screenText(m), "filter invite") {
		t.Fatal("the header should show the filter given on the command line")
	}
}

func TestShortNarrowTerminalTabsBetweenListAndDetail(t *testing.T) {
	m := loaded(t, 100, 16)
	if s := screenText(m); strings.Contains(s, "Actor ·") || !strings.Contains(s, "TIME (local)") {
		t.Fatalf("a 100x16 terminal should show the list alone:\n%s", s)
	}
	m = press(t, m, "tab")
	if s := screenText(m); !strings.Contains(s, "Actor ·") || strings.Contains(s, "TIME (local)") {
		t.Fatalf("tab should swap the list for the detail:\n%s", s)
	}
	m = press(t, m, "tab")
	if s := screenText(m); !strings.Contains(s, "TIME (local)") {
		t.Fatalf("tab again should bring the list back:\n%s", s)
	}
}

func TestNarrowListUsesCompactTimes(t *testing.T) {
	s := screenText(loaded(t, 60, 20))
	if !strings.Contains(s, "07-12 19:59 ") || strings.Contains(s, "2024-07-12 19:59:00") {
		t.Fatalf("a 60-column list should show compact times:\n%s", s)
	}
}

func TestDetailPaneToggles(t *testing.T) {
	m := loaded(t, 160, 45)
	if !strings.Contains(screenText(m), "When") {
		t.Fatal("a 160x45 terminal should show the detail beside the list")
	}
	m = press(t, m, "d")
	s := screenText(m)
	if strings.Contains(s, "Actor ·") || !strings.Contains(s, "SUMMARY") {
		t.Fatalf("d should hide the detail pane:\n%s", s)
	}
	if m.list.height != 45-3-histHeight-1 {
		t.Fatalf("without the detail the list should take the whole body, %d rows", m.list.height)
	}
}

func TestHeaderShowsTheServerQuery(t *testing.T) {
	m := New(Options{Source: &pagedSource{name: "acme"}, Query: model.Query{Filter: model.Filter{Types: []string{"login.failed", "login.succeeded"}, ActorEmails: []string{"a@b.c"}}}})
	m.stream.job.stop()
	close(m.stream.fetch.pages)
	m = send(m, tea.WindowSizeMsg{Width: 120, Height: 30})
	if s := screenText(m); !strings.Contains(s, "query type login.failed +1, actor a@b.c") || !strings.Contains(s, "acme") {
		t.Fatalf("the header should name the source and the query:\n%s", s)
	}
}
