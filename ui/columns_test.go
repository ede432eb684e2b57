package ui

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/auditui/auditui/model/views"
)

// listCells cuts each visible list row of the screen into its columns, as
// the layout in force places them, with the event drawn there.
func listCells(t *testing.T, m *Model) (rows [][numColumns]string, events []int, cols columns) {
	t.Helper()
	s := m.layout()
	lines := strings.Split(screenText(m), "\n")
	cols = layoutColumns(s.list.w, m.timeMode, &m.widths, m.columns)
	for r := 0; r < s.list.h-1 && m.list.offset+r < m.list.Len(); r++ {
		line := lines[s.list.y+1+r]
		var cells [numColumns]string
		x := s.list.x
		for _, id := range cols.shown() {
			cells[id] = ansi.Cut(line, x, x+cols.width[id])
			x += cols.width[id] + gap
		}
		rows = append(rows, cells)
		events = append(events, m.list.EventAt(m.list.offset+r))
	}
	return rows, events, cols
}

// TestEveryCutEndsWithAnEllipsis draws the fixture events (a hostile
// record, wide characters, long types) at three sizes: no line is wider
// than the terminal, and every cell shows its whole value or a start of it
// followed by "…", never a bare cut.
func TestEveryCutEndsWithAnEllipsis(t *testing.T) {
	for _, size := range [][2]int{{40, 12}, {80, 24}, {200, 50}} {
		w, h := size[0], size[1]
		m := loaded(t, w, h)
		for _, keys := range [][]string{nil, {"d"}} {
			m = press(t, m, keys...)
			assertFits(t, screenText(m), w, h)
			rows, events, cols := listCells(t, m)
			if len(rows) == 0 {
				t.Fatalf("%dx%d: no list rows:\n%s", w, h, screenText(m))
			}
			r := rowRenderer{styles: m.styles, mode: m.timeMode, now: testNow, loc: testZone, cols: cols}
			for i, cells := range rows {
				want := r.cells(m.set.At(events[i]))
				for _, id := range cols.shown() {
					got := strings.TrimRight(cells[id], " ")
					whole := want[id]
					switch {
					case got == whole:
					case strings.HasSuffix(got, "…") && strings.HasPrefix(whole, strings.TrimSuffix(got, "…")) && cellWidth(whole) > cols.width[id]:
					default:
						t.Fatalf("%dx%d row %d: the %s cell shows %q of %q", w, h, i, columnSpecs[id].name, got, whole)
					}
				}
			}
		}
	}
}

// TestColumnsFollowTheScreen: at 200 columns the summary of a role change
// is whole with the detail beside and without it; at 40 the row keeps the
// time, type and actor, the first columns to stay; moving through the list
// never changes the widths.
func TestColumnsFollowTheScreen(t *testing.T) {
	const sentence = "changed the role of user user-bob from reader to owner"
	m := historyBrowser(t, nil, false, 200, 50)
	wantScreen(t, m, sentence[:49]) // beside the detail: a summary sentence's worth
	m = press(t, m, "d")
	wantScreen(t, m, sentence)
	title := strings.Split(screenText(m), "\n")[m.layout().list.y]
	for _, name := range []string{"TYPE", "ACTOR", "IP", "PROJECT", "SUMMARY"} {
		if !strings.Contains(title, name) {
			t.Errorf("at 200 columns every column shows; the title is %q", title)
		}
	}

	m = loaded(t, 40, 12)
	_, _, cols := listCells(t, m)
	if got := cols.shown(); len(got) != 3 || got[0] != columnTime || got[1] != columnType || got[2] != columnActor {
		t.Errorf("at 40 columns the row keeps time, type and actor, shows %v:\n%s", got, screenText(m))
	}
	for _, size := range [][2]int{{40, 12}, {80, 24}, {200, 50}} {
		m := loaded(t, size[0], size[1])
		_, _, before := listCells(t, m)
		for _, k := range []string{"j", "pgdown", "pgdown", "end", "g"} {
			m = press(t, m, k)
			if _, _, after := listCells(t, m); after != before {
				t.Fatalf("%v: %s changed the columns from %+v to %+v", size, k, before, after)
			}
		}
	}
}

// TestLayoutGivesTheRestToTheSummary checks the sharing rules on their own.
func TestLayoutGivesTheRestToTheSummary(t *testing.T) {
	var want contentWidths
	want.n = 10
	want.hist[columnType][15] = 9
	want.hist[columnType][36] = 1 // one long type: typical is 15, widest 36
	want.hist[columnActor][17] = 10
	want.hist[columnIP][14] = 10
	want.hist[columnProject][8] = 10
	c := layoutColumns(200, timeLocal, &want, defaultColumns)
	if c.n != 6 || c.width[columnType] != 36 || c.width[columnActor] != 17 || c.plainWidth() != 200 {
		t.Errorf("at 200 every column has its widest value: %+v", c)
	}
	c = layoutColumns(110, timeLocal, &want, defaultColumns)
	if c.width[columnProject] != 0 || c.width[columnIP] != 0 || c.width[columnSummary] < summaryNeed || c.plainWidth() != 110 {
		t.Errorf("at 110 the project and IP give way to a summary sentence: %+v", c)
	}
	c = layoutColumns(200, timeLocal, &want, []columnID{columnIP, columnType})
	if c.n != 2 || c.order[0] != columnIP || c.width[columnIP] != 14 || c.width[columnType] != 36 {
		t.Errorf("the chosen order and columns are kept: %+v", c)
	}
}

// TestFilterSaysWhereAHiddenMatchIs: / highlights what matched in the row;
// a match in a field the row does not show is named at the row's end.
func TestFilterSaysWhereAHiddenMatchIs(t *testing.T) {
	m := loaded(t, 80, 24)
	m = typeText(t, press(t, m, "/"), "api.files")
	m = press(t, m, "enter")
	wantScreen(t, m, "· in payload.data.scopes")
	assertFits(t, screenText(m), 80, 24)

	m = typeText(t, press(t, m, "esc", "/"), "BOB@")
	m = press(t, m, "enter")
	if s := screenText(m); strings.Contains(s, "· in") || !strings.Contains(s, "bob@example.com") {
		t.Errorf("a match the actor column shows needs no marker:\n%s", s)
	}
	if match := m.styles.paint.match; match.pre == "" || !strings.Contains(m.View().Content, match.pre+"bob@"+match.post) {
		t.Errorf("the matched text is not highlighted in the rows")
	}

	m = typeText(t, press(t, m, "esc", "/"), "user-1")
	m = press(t, m, "enter")
	wantScreen(t, m, "· in actor.id")
}

// TestColumnChooserShowsHidesOrdersAndRemembers drives the chooser with
// keys: hiding the actor and moving the summary before the type take
// effect at once, q closes the chooser rather than quitting, and the
// choice is in the config file a next run opens with.
func TestColumnChooserShowsHidesOrdersAndRemembers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "auditui", views.ColumnsFileName)
	src := &pagedSource{name: "demo"}
	m := New(Options{Source: src, Now: func() time.Time { return testNow }, Location: testZone, ColumnsPath: path})
	m.tick = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	m.stream.job.stop()
	close(m.stream.fetch.pages)
	m = feed(t, send(m, tea.WindowSizeMsg{Width: 200, Height: 50}), fixtureEvents(t), 100)
	m = press(t, m, "d", "w")
	wantScreen(t, m, "List columns", "[x] actor", "The list with these columns:")
	m = press(t, m, "j", "j", "space") // the actor
	wantScreen(t, m, "[ ] actor")
	m = press(t, m, "end", "K", "K", "K", "K") // the summary, up to second
	m = press(t, m, "q")
	if onTop[*columnChooser](m) || m.ctx.Err() != nil {
		t.Fatal("q closes the chooser and nothing else")
	}
	want := []columnID{columnTime, columnSummary, columnType, columnIP, columnProject}
	if !slices.Equal(m.columns, want) {
		t.Fatalf("columns %v, want %v", m.columns, want)
	}
	title := strings.Fields(strings.Split(screenText(m), "\n")[m.layout().list.y])
	if strings.Join(title, " ") != "TIME (local) SUMMARY TYPE IP PROJECT" {
		t.Errorf("the list's title is %q", title)
	}
	wantScreen(t, m, "columns saved in "+path)

	names, err := views.LoadColumns(path)
	if err != nil || strings.Join(names, " ") != "time summary type ip project" {
		t.Fatalf("saved %v, %v", names, err)
	}
	next := New(Options{Source: src, Columns: names, ColumnsPath: path})
	if !slices.Equal(next.columns, want) {
		t.Errorf("the next run opens with %v, want %v", next.columns, want)
	}
	odd := New(Options{Source: src, Columns: []string{"time", "geo"}})
	if !slices.Equal(odd.columns, []columnID{columnTime}) || !strings.Contains(odd.opts.ColumnsErr, "geo") {
		t.Errorf("an unknown name is left out and said: %v, %q", odd.columns, odd.opts.ColumnsErr)
	}
}

// TestColumnChooserFitsEverySize: the chooser and its preview stay inside
// the terminal at the sizes people use.
func TestColumnChooserFitsEverySize(t *testing.T) {
	for _, size := range [][2]int{{40, 12}, {80, 24}, {200, 50}} {
		m := press(t, loaded(t, size[0], size[1]), "w")
		assertFits(t, screenText(m), size[0], size[1])
		wantScreen(t, m, "List columns")
		if m = press(t, m, "esc"); onTop[*columnChooser](m) {
			t.Fatalf("%v: esc closes the chooser", size)
		}
	}
}

// TestEveryScreenFitsAtThreeSizes opens each place of the browser at
// 40x12, 80x24 and 200x50: every line is exactly the terminal's width.
func TestEveryScreenFitsAtThreeSizes(t *testing.T) {
	for _, size := range [][2]int{{40, 12}, {80, 24}, {200, 50}} {
		for _, k := range []string{"", "d", "c", "?", "w", ":", "v", "t", "enter", "H", "C", "e", "z"} {
			m := loaded(t, size[0], size[1])
			if k != "" {
				m = press(t, m, k)
			}
			t.Run(fmt.Sprintf("%dx%d %q", size[0], size[1], k), func(t *testing.T) {
				assertFits(t, screenText(m), size[0], size[1])
			})
		}
	}
}

// BenchmarkContentWidths is what loading costs the columns: measuring each
// loaded event's type, actor, IP and project once (per event, over the
// million of benchModel).
func BenchmarkContentWidths(b *testing.B) {
	benchModel(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var c contentWidths
		c.catchUp(benchSet)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchSet.Len()), "ns/event")
}

// TestNarrowMarkerKeepsTheFieldsKey: at 40 columns the marker keeps the
// end of the field's path, the key that says most.
func TestNarrowMarkerKeepsTheFieldsKey(t *testing.T) {
	m := loaded(t, 40, 12)
	m = press(t, typeText(t, press(t, m, "/"), "api.files"), "enter")
	wantScreen(t, m, "· in …scopes")
	assertFits(t, screenText(m), 40, 12)
}
