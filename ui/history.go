package ui

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/history"
	"github.com/auditui/auditui/model/query"
	"github.com/auditui/auditui/model/sanitize"
)

// historyView is H: the timeline of one object, oldest event first, each
// with who, when, from where, what it set and the state after it, under
// the objects linked to it. The cursor is on a link or a step: enter
// pivots to the link or opens the step's event; the pivot and copy keys
// act on the step's event.
type historyView struct {
	c  *common
	id string
	h  *history.History

	cursor int // into rows
	offset int // first line drawn
	width  int
	height int
	rows   []historyRow
	head   string   // the heading, drawn above the rows
	lines  []string // the rows drawn for width, with the cursor's row marked
	starts []int    // the first line of each row

	// What the view asks of the root.
	open   func(e *model.Event) tea.Cmd // enter on a step: the event full-screen
	narrow func(k query.Key, value string) (tea.Cmd, bool)
	pivot  func(k query.Key, e *model.Event) (tea.Cmd, bool)
	copy   func(e *model.Event, idOnly bool) tea.Cmd
	copied func(text, what string) tea.Cmd
	fetch  func(again bool) tea.Cmd
}

// historyRow is a link or a step of the timeline.
type historyRow struct {
	link *history.Link
	step *history.Step
}

// newHistoryView is the timeline of the object id with the cursor on the
// step of the event at.
func newHistoryView(c *common, id, at string) *historyView {
	hv := &historyView{c: c, id: id}
	hv.rebuildAt(at)
	return hv
}

// rebuild reads the object's history again (more was loaded or fetched),
// keeping the cursor on the same event.
func (hv *historyView) rebuild() {
	var at string
	if hv.cursor < len(hv.rows) && hv.rows[hv.cursor].step != nil {
		at = hv.rows[hv.cursor].step.Event.ID
	}
	hv.rebuildAt(at)
}

func (hv *historyView) rebuildAt(at string) {
	hv.h = hv.c.historyOf(hv.id)
	hv.rows = hv.rows[:0]
	for i := range hv.h.Links {
		hv.rows = append(hv.rows, historyRow{link: &hv.h.Links[i]})
	}
	first := len(hv.rows)
	for i := range hv.h.Steps {
		hv.rows = append(hv.rows, historyRow{step: &hv.h.Steps[i]})
		if hv.h.Steps[i].Event.ID == at {
			hv.cursor = len(hv.rows) - 1
		}
	}
	if at == "" || hv.cursor < first {
		hv.cursor = first
	}
	hv.cursor = max(min(hv.cursor, len(hv.rows)-1), 0)
	hv.draw()
}

func (hv *historyView) Update(msg tea.Msg) (Component, tea.Cmd) {
	switch msg := msg.(type) {
	case sizeMsg:
		hv.width, hv.height = max(msg.width, 1), max(msg.height, 1)
		hv.draw()
	case tea.MouseWheelMsg:
		hv.move(wheelDelta(msg) / 3)
	case tea.KeyPressMsg:
		return hv.onKey(msg)
	}
	return hv, nil
}

func (hv *historyView) onKey(msg tea.KeyPressMsg) (Component, tea.Cmd) {
	k := hv.c.keys
	row := hv.selected()
	var ev *model.Event // the step's, for a pivot
	if row.step != nil {
		ev = row.step.Event
	}
	if next, cmd, ok := pivotKey(hv, msg, k, hv.pivot, ev); ok {
		return next, cmd
	}
	switch {
	case key.Matches(msg, k.Quit), key.Matches(msg, k.Back), key.Matches(msg, k.History):
		return nil, nil
	case key.Matches(msg, k.Open):
		switch {
		case row.step != nil:
			return hv, hv.open(row.step.Event)
		case row.link != nil:
			if cmd, ok := hv.narrow(query.Key(row.link.Key), row.link.Value); ok {
				return nil, cmd
			}
		}
	case key.Matches(msg, k.Copy), key.Matches(msg, k.CopyID):
		if row.step != nil {
			return hv, hv.copy(row.step.Event, key.Matches(msg, k.CopyID))
		}
	case key.Matches(msg, k.CopyView):
		var b bytes.Buffer
		if err := history.WriteJSON(&b, hv.h); err == nil {
			return hv, hv.copied(string(sanitize.JSON(b.Bytes())), "the timeline as JSON ("+plural(len(hv.h.Steps), "step")+")")
		}
	case key.Matches(msg, k.More):
		return hv, hv.fetch(true)
	default:
		hv.navigate(msg)
	}
	return hv, nil
}

func (hv *historyView) navigate(msg tea.KeyPressMsg) {
	if d, ok := hv.c.keys.moveBy(msg, max(hv.height/4, 1), len(hv.rows)); ok {
		hv.move(d)
	}
}

func (hv *historyView) selected() historyRow {
	if hv.cursor < len(hv.rows) {
		return hv.rows[hv.cursor]
	}
	return historyRow{}
}

// move moves the cursor by delta rows and scrolls it into sight.
func (hv *historyView) move(delta int) {
	if len(hv.rows) == 0 {
		return
	}
	hv.cursor = max(min(hv.cursor+delta, len(hv.rows)-1), 0)
	hv.draw()
}

// draw lays the rows out for the width, marks the cursor's and scrolls so
// that as much of it as fits is in sight.
func (hv *historyView) draw() {
	w := max(hv.width, 1)
	st := hv.c.styles
	hv.lines = hv.lines[:0]
	hv.starts = hv.starts[:0]
	hv.head = st.DetailTitle.Render(cut(sanitize.Display(hv.heading()), w))
	life := 1
	for i, r := range hv.rows {
		if r.step != nil && r.step.Life != life {
			life = r.step.Life
			hv.lines = append(hv.lines, st.DetailSection.Render(cut(fmt.Sprintf("── life %d: created again", life), w)))
		}
		hv.starts = append(hv.starts, len(hv.lines))
		hv.lines = append(hv.lines, hv.rowLines(r, i == hv.cursor, w)...)
	}
	if len(hv.rows) == 0 {
		hv.lines = append(hv.lines, st.DetailMuted.Render("no event loaded names this object"))
	}
	hv.scroll()
}

func (hv *historyView) heading() string {
	h := hv.h
	s := fmt.Sprintf("History of %s · %s since %s", h.Title(), plural(len(h.Steps), "event"), h.KnownSince.UTC().Format(time.DateOnly))
	if n := h.Lives(); n > 1 {
		s += fmt.Sprintf(" · %d lives", n)
	}
	switch f := hv.c.hist.got[hv.id]; {
	case f.err != nil:
		s += " · could not fetch the rest (m tries again)"
	case hv.c.hist.fetched(hv.id) && hv.c.hist.local:
		s += " · the whole stored history"
	case hv.c.hist.fetched(hv.id):
		s += " · fetched from the API"
	case hv.c.hist.asked[hv.id]:
		s += " · fetching the rest…"
	case hv.c.hist.fetch != nil:
		s += " · what is loaded (m fetches the rest)"
	default:
		s += " · what is loaded"
	}
	return s
}

// rowLines draws a link on one line, or a step as its heading, who acted,
// each field it set and the state after it.
func (hv *historyView) rowLines(r historyRow, cur bool, w int) []string {
	st := hv.c.styles
	mark := "  "
	head := st.DetailKey
	if cur {
		mark, head = "▸ ", st.Selected
	}
	line := func(style lipgloss.Style, s string) string {
		return style.Render(cut(s, w))
	}
	if r.link != nil {
		return []string{line(head, mark+"linked: "+sanitize.Display(r.link.Role+" "+linkText(*r.link))+" · enter pivots")}
	}
	s := r.step
	e := s.Event
	out := []string{line(head, mark+e.EffectiveAt.In(hv.c.loc).Format("2006-01-02 15:04:05")+"  "+sanitize.Display(e.Type)+"  "+s.Kind.String())}
	if who := s.Who(); who != "" {
		out = append(out, hanging(st.DetailMuted, "by "+who, w)...)
	}
	for _, c := range s.Changes {
		out = append(out, hanging(st.DetailValue, c.Field+": "+c.Describe(), w)...)
	}
	if s.Kind == history.Unknown {
		out = append(out, hanging(st.DetailMuted, "a type this version does not know: it changes nothing here", w)...)
	}
	return append(out, hanging(st.DetailMuted, "state after: "+s.State.Text(), w)...)
}

// stepIndent is how far a step's lines are indented under its heading.
const stepIndent = "    "

// hanging wraps text from the log (sanitised) under a step's heading.
func hanging(st lipgloss.Style, text string, w int) []string {
	if w <= len(stepIndent)+4 {
		return wrapStyled(st, text, w)
	}
	lines := wrapStyled(st, text, w-len(stepIndent))
	for i := range lines {
		lines[i] = stepIndent + lines[i]
	}
	return lines
}

// scroll keeps the cursor's row in sight, its start first.
func (hv *historyView) scroll() {
	h := max(hv.height-1, 1) // under the heading
	if len(hv.starts) == 0 {
		hv.offset = 0
		return
	}
	start := hv.starts[hv.cursor]
	end := len(hv.lines)
	if hv.cursor+1 < len(hv.starts) {
		end = hv.starts[hv.cursor+1]
	}
	if end-hv.offset > h {
		hv.offset = end - h
	}
	if start < hv.offset || end-start > h {
		hv.offset = start
	}
	hv.offset = max(min(hv.offset, len(hv.lines)-h), 0)
}

func (hv *historyView) Render(width, height int) string {
	if height <= 1 {
		return hv.head
	}
	end := min(hv.offset+height-1, len(hv.lines))
	return hv.head + "\n" + strings.Join(hv.lines[hv.offset:end], "\n")
}

func (hv *historyView) ShortHelp() []key.Binding {
	k := hv.c.keys
	help := []key.Binding{withHelp(k.Down, "↑/↓", "step"), withHelp(k.Open, "enter", "open/pivot"), pivotHelp(k), k.Copy, withHelp(k.CopyView, "E", "copy the timeline as JSON")}
	if hv.c.hist.canFetch(hv.id) {
		help = append(help, withHelp(k.More, "m", "fetch the rest"))
	}
	return append(help, withHelp(k.Quit, "q", "close"))
}

// StatusNote says where in the timeline the cursor is.
func (hv *historyView) StatusNote() string {
	if r := hv.selected(); r.step != nil {
		for i := range hv.h.Steps {
			if &hv.h.Steps[i] == r.step {
				return fmt.Sprintf("step %d of %d", i+1, len(hv.h.Steps))
			}
		}
	}
	return ""
}

// openHistory is H: the timeline of the object of event e (its first),
// asking for the rest of it when it can be fetched.
func (m *Model) openHistory(e *model.Event) tea.Cmd {
	ids := history.Objects(e)
	if len(ids) == 0 {
		m.notice = "this event names no object"
		return nil
	}
	id := ids[0]
	hs := m.common.hist
	hv := newHistoryView(m.common, id, e.ID)
	hv.open = func(e *model.Event) tea.Cmd { return m.openEvent(e) }
	hv.narrow = func(k query.Key, v string) (tea.Cmd, bool) {
		cmd := m.narrowTo(k, v, false)
		if m.queryErr != "" {
			return cmd, false
		}
		m.notice = "narrowed to " + sanitize.Display(query.FormatTerm(k, v, false))
		return cmd, true
	}
	hv.pivot, hv.copy = m.pivot, m.copy
	hv.copied = func(text, what string) tea.Cmd {
		m.notice = "copied " + what
		return tea.SetClipboard(text)
	}
	hv.fetch = func(again bool) tea.Cmd {
		if !hs.canFetch(id) {
			m.notice = "the whole history is here"
			return nil
		}
		cmd := hs.ask(id, again)
		hv.draw()
		return cmd
	}
	cmd := m.open(hv)
	if hs.local {
		cmd = tea.Batch(cmd, hs.ask(id, false)) // the store answers: no need to ask
	}
	return cmd
}

// openEvent shows e full-screen.
func (m *Model) openEvent(e *model.Event) tea.Cmd {
	f := newFullView(m.common, e, m.raw)
	f.setRaw = func(raw bool) { m.raw = raw }
	f.copy, f.pivot = m.copy, m.pivot
	f.history = m.openHistory
	return m.open(f)
}
