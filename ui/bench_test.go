package ui

import (
	"io"
	"sync"
	"testing"
	"time"

	"charm.land/bubbles/v2/list"
	"charm.land/bubbles/v2/paginator"
	tea "charm.land/bubbletea/v2"
	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/history"
	"github.com/auditui/auditui/openai/fakeapi"
)

const benchEvents = 1_000_000

var (
	benchOnce sync.Once
	benchSet  *model.Set
	// benchWidths are the columns' widths over benchSet, as loading it measures them.
	benchWidths contentWidths
	// benchObjects indexes benchSet's objects, as loading it page by page does.
	benchObjects history.Index
)

// benchModel is a 160x45 browser holding a million synthetic events.
func benchModel(b *testing.B) *Model {
	benchOnce.Do(func() {
		events := fakeapi.Org(fakeapi.OrgOptions{Events: benchEvents, Seed: 1, Now: testNow})
		benchSet = &model.Set{}
		benchSet.Append(events)
		benchWidths.catchUp(benchSet)
		benchObjects.Update(benchSet)
	})
	m := New(Options{Now: func() time.Time { return testNow }, Location: testZone})
	m.set, m.common.set = benchSet, benchSet
	m.list.Grow(benchSet.Len())
	m.widths = benchWidths
	m.common.hist.index = benchObjects // shared: it is complete, so nothing updates it
	m.stream.exhausted = true
	m = send(m, tea.WindowSizeMsg{Width: 160, Height: 45})
	if m.list.Len() != benchEvents {
		b.Fatalf("the list should hold %d events, holds %d", benchEvents, m.list.Len())
	}
	return m
}

// BenchmarkListView draws the list after moving a whole page each time, so
// no row comes from the cache: the worst case of a frame.
func BenchmarkListView(b *testing.B) {
	m := benchModel(b)
	m.list.cursor = benchEvents / 2
	m.list.clamp()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.list.Move(m.list.height)
		if m.list.cursor >= benchEvents-1 {
			m.list.Top()
		}
		_ = m.renderList(m.width * 55 / 100)
	}
}

// BenchmarkListViewCached draws the list after a one-row move: the usual
// frame, where only the rows the cursor left and entered are drawn anew.
func BenchmarkListViewCached(b *testing.B) {
	m := benchModel(b)
	m.list.cursor = benchEvents / 2
	m.list.clamp()
	_ = m.renderList(m.width * 55 / 100)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.list.Move(1 - 2*(i%2))
		_ = m.renderList(m.width * 55 / 100)
	}
}

// BenchmarkView is a whole frame after a cursor move: list, detail pane,
// header, status and help.
func BenchmarkView(b *testing.B) {
	benchKeys(b, benchModel(b), true)
}

// benchKeys times one j keystroke through Update, and the frame after it
// when view is set.
func benchKeys(b *testing.B, m *Model, view bool) {
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		nm, _ := m.Update(keyMsg("j"))
		m = nm.(*Model)
		if view {
			_ = m.View()
		}
	}
}

// BenchmarkCursorMove is one j keystroke through Update over a million
// events, unfiltered and filtered.
func BenchmarkCursorMove(b *testing.B) {
	b.Run("all", func(b *testing.B) {
		m := benchModel(b)
		benchKeys(b, m, false)
	})
	b.Run("filtered", func(b *testing.B) {
		m := benchModel(b)
		m = press(b, m, "/")
		m = typeText(b, m, "login")
		m = press(b, m, "enter")
		if m.list.Len() == 0 || m.list.Len() == benchEvents {
			b.Fatalf("login should match some events, matched %d", m.list.Len())
		}
		benchKeys(b, m, false)
	})
}

// bubblesRow is an event in a bubbles v2 list, for measuring the ratio
// between our list and the stock component on the same million events.
type bubblesRow struct {
	set *model.Set
	i   int
}

func (r bubblesRow) FilterValue() string { return r.set.At(r.i).Type }

// bubblesDelegate draws rows with the same renderer as our list, so that
// the comparison is of the list machinery, not of row drawing.
type bubblesDelegate struct{ r rowRenderer }

func (bubblesDelegate) Height() int                         { return 1 }
func (bubblesDelegate) Spacing() int                        { return 0 }
func (bubblesDelegate) Update(tea.Msg, *list.Model) tea.Cmd { return nil }
func (d bubblesDelegate) Render(w io.Writer, _ list.Model, _ int, item list.Item) {
	_, _ = io.WriteString(w, d.r.Styled(d.r.set(item), 88))
}

func (r rowRenderer) set(item list.Item) *model.Event {
	b := item.(bubblesRow)
	return b.set.At(b.i)
}

func benchBubblesList(b *testing.B) list.Model {
	m := benchModel(b)
	items := make([]list.Item, benchSet.Len())
	for i := range items {
		items[i] = bubblesRow{set: benchSet, i: i}
	}
	r := rowRenderer{styles: m.styles, loc: testZone, now: testNow, cols: layoutColumns(88, timeLocal, &contentWidths{}, defaultColumns)}
	l := list.New(items, bubblesDelegate{r: r}, 88, 42)
	l.Paginator.Type = paginator.Arabic // the dot paginator is quadratic in pages
	return l
}

// BenchmarkBubblesListView is BenchmarkListView on a bubbles v2 list.
func BenchmarkBubblesListView(b *testing.B) {
	l := benchBubblesList(b)
	l.Select(benchEvents / 2)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l.Paginator.NextPage()
		_ = l.View()
	}
}

// BenchmarkBubblesListCursorMove is BenchmarkCursorMove on a bubbles v2 list.
func BenchmarkBubblesListCursorMove(b *testing.B) {
	down := keyMsg("j")
	b.Run("all", func(b *testing.B) {
		l := benchBubblesList(b)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			l, _ = l.Update(down)
		}
	})
	b.Run("filtered", func(b *testing.B) {
		l := benchBubblesList(b)
		l.SetFilterText("login")
		if n := len(l.VisibleItems()); n == 0 || n == benchEvents {
			b.Fatalf("login should match some events, matched %d", n)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			l, _ = l.Update(down)
		}
	})
}

// BenchmarkSummaryIndex indexes a million events by object, as the list's
// befores need, against one scan of them for one object (what a history of
// one row costs without the index).
func BenchmarkSummaryIndex(b *testing.B) {
	benchModel(b)
	b.Run("index of 1M", func(b *testing.B) {
		for b.Loop() {
			var x history.Index
			x.Update(benchSet)
			if x.Len() != benchEvents {
				b.Fatal("not all indexed")
			}
		}
	})
	b.Run("one scan of 1M", func(b *testing.B) {
		id := history.Objects(beforeRows(b, 1)[0])[0]
		for b.Loop() {
			n := 0
			for i := range benchSet.Len() {
				if history.Names(benchSet.At(i), id) {
					n++
				}
			}
			if n == 0 {
				b.Fatal("no events")
			}
		}
	})
}

// BenchmarkSummaryPage words a page of 40 rows whose summaries read a
// before, uncached, from the index over a million events, against
// model.Summary's text for the same rows.
func BenchmarkSummaryPage(b *testing.B) {
	benchModel(b)
	rows := beforeRows(b, 40)
	hs := newHistories(b.Context(), nil, false)
	hs.index.Update(benchSet)
	b.Run("with befores", func(b *testing.B) {
		for b.Loop() {
			hs.summaries = nil
			for _, e := range rows {
				if hs.summary(benchSet, e) == "" {
					b.Fatal("empty")
				}
			}
		}
	})
	b.Run("model.Summary", func(b *testing.B) {
		for b.Loop() {
			for _, e := range rows {
				if model.Summary(e) == "" {
					b.Fatal("empty")
				}
			}
		}
	})
}

// beforeRows are n events from the middle of the bench set whose summaries
// read a before.
func beforeRows(b *testing.B, n int) []*model.Event {
	var out []*model.Event
	for i := benchEvents / 2; i < benchEvents && len(out) < n; i++ {
		if e := benchSet.At(i); model.ReadsBefore(e.Type) && len(history.Objects(e)) > 0 {
			out = append(out, e)
		}
	}
	if len(out) < n {
		b.Fatalf("only %d rows", len(out))
	}
	return out
}

// BenchmarkSearchWorded is what searching the list's worded summaries adds
// to a filter over a million events: wording them all once (the first
// search), and each keystroke's pass over them, against the keystroke's
// search of the set's index.
func BenchmarkSearchWorded(b *testing.B) {
	benchModel(b)
	mt := model.CompileMatcher("from owner")
	b.Run("word 1M", func(b *testing.B) {
		for b.Loop() {
			var w history.Worded
			if len(w.Texts(benchSet)) == 0 {
				b.Fatal("nothing worded")
			}
		}
	})
	var w history.Worded
	worded := w.Texts(benchSet)
	b.ReportMetric(float64(len(worded)), "worded")
	r, err := benchSet.Filter(b.Context(), mt, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("keystroke pass", func(b *testing.B) {
		for b.Loop() {
			shown := rematch(benchSet, r, benchSet.Len(), w.Texts(benchSet), func(e *model.Event, text string, found bool) bool {
				return found || mt.MatchesExtra(e, text)
			})
			if len(shown) <= len(r) {
				b.Fatal("the pass found nothing the index did not")
			}
		}
	})
	b.Run("keystroke index", func(b *testing.B) {
		for b.Loop() {
			if _, err := benchSet.Filter(b.Context(), mt, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkHistoryOfOne is the history of one object over a million loaded
// events, as the detail pane and H read it: from the index (hs.of), against
// the scan of every event it replaced.
func BenchmarkHistoryOfOne(b *testing.B) {
	benchModel(b)
	id := history.Objects(beforeRows(b, 1)[0])[0]
	hs := newHistories(b.Context(), nil, false)
	hs.of(benchSet, id) // the index and the oldest time, kept up to date by pages
	b.Run("index", func(b *testing.B) {
		for b.Loop() {
			hs.built = nil
			if len(hs.of(benchSet, id).Steps) == 0 {
				b.Fatal("no steps")
			}
		}
	})
	b.Run("scan", func(b *testing.B) {
		for b.Loop() {
			var events []model.Event
			var oldest time.Time
			for i := range benchSet.Len() {
				e := benchSet.At(i)
				if oldest.IsZero() || e.EffectiveAt.Before(oldest) {
					oldest = e.EffectiveAt
				}
				if history.Names(e, id) {
					events = append(events, *e)
				}
			}
			if len(history.Build(id, events, oldest).Steps) == 0 {
				b.Fatal("no steps")
			}
		}
	})
}

// BenchmarkKeyToResult is one keystroke in the filter box over a million
// events, end to end: the key message into Update, every command it leads
// to run and fed back, and the frame that shows the result drawn. Each
// iteration types the last key of the word, then (untimed) erases it.
func BenchmarkKeyToResult(b *testing.B) {
	for _, c := range []struct{ name, prefix, last string }{
		{"type/login.f", "login.", "f"},
		{"text/192.0.2.1", "192.0.2.", "1"},
	} {
		b.Run(c.name, func(b *testing.B) {
			m := benchModel(b)
			m = press(b, m, "/")
			m = typeText(b, m, c.prefix)
			before := m.list.Len()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				m = typeText(b, m, c.last)
				_ = m.View()
				b.StopTimer()
				if n := m.list.Len(); n == 0 || n >= before {
					b.Fatalf("%s%s should narrow the %d rows of %q, shows %d", c.prefix, c.last, before, c.prefix, n)
				}
				m = press(b, m, "backspace")
				if m.list.Len() != before {
					b.Fatalf("erasing %q should show the %d rows again, shows %d", c.last, before, m.list.Len())
				}
				b.StartTimer()
			}
		})
	}
}
