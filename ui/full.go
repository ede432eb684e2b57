package ui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/query"
)

// fullView shows one event full-screen in a scrolling viewport.
type fullView struct {
	c     *common
	event *model.Event // in the set, or of a history fetched for H
	raw   bool
	vp    viewport.Model
	// What the view asks of the root: r is remembered for the detail pane,
	// y/Y copy, a pivot narrows the query (and closes the view when the
	// event has the value).
	setRaw func(bool)
	copy   func(e *model.Event, idOnly bool) tea.Cmd
	pivot  func(k query.Key, e *model.Event) (tea.Cmd, bool)
	// history opens the timeline of the event's object (H).
	history func(e *model.Event) tea.Cmd
}

func newFullView(c *common, event *model.Event, raw bool) *fullView {
	return &fullView{c: c, event: event, raw: raw, vp: viewport.New()}
}

// fill renders the event into the viewport at its width.
func (f *fullView) fill() {
	f.vp.SetContentLines(renderDetail(f.c.styles, f.event, f.vp.Width(), f.c.detailView(f.raw)))
}

func (f *fullView) Update(msg tea.Msg) (Component, tea.Cmd) {
	k := f.c.keys
	switch msg := msg.(type) {
	case sizeMsg:
		f.vp.SetWidth(max(msg.width, 1))
		f.vp.SetHeight(max(msg.height, 1))
		f.fill()
	case tea.MouseWheelMsg:
		if d := wheelDelta(msg); d < 0 {
			f.vp.ScrollUp(-d)
		} else {
			f.vp.ScrollDown(d)
		}
	case tea.KeyPressMsg:
		if next, cmd, ok := pivotKey(f, msg, k, f.pivot, f.event); ok {
			return next, cmd
		}
		switch {
		case key.Matches(msg, k.Quit), key.Matches(msg, k.Back), key.Matches(msg, k.Open):
			return nil, nil
		case key.Matches(msg, k.History):
			return f, f.history(f.event)
		case key.Matches(msg, k.Raw):
			f.raw = !f.raw
			f.setRaw(f.raw)
			f.fill()
		case key.Matches(msg, k.Copy), key.Matches(msg, k.CopyID):
			return f, f.copy(f.event, key.Matches(msg, k.CopyID))
		case key.Matches(msg, k.Top):
			f.vp.GotoTop()
		case key.Matches(msg, k.Bottom):
			f.vp.GotoBottom()
		default:
			var cmd tea.Cmd
			f.vp, cmd = f.vp.Update(msg)
			return f, cmd
		}
	}
	return f, nil
}

func (f *fullView) Render(int, int) string { return f.vp.View() }

func (f *fullView) ShortHelp() []key.Binding {
	k := f.c.keys
	return []key.Binding{withHelp(k.Down, "↑/↓", "scroll"), k.Raw, withHelp(k.History, "H", "history"), pivotHelp(k), k.Copy, k.CopyID, withHelp(k.Back, "esc/q", "close")}
}

// StatusNote says which lines are on screen when the event does not fit.
func (f *fullView) StatusNote() string {
	total := f.vp.TotalLineCount()
	if total <= f.vp.Height() {
		return ""
	}
	return fmt.Sprintf("lines %d-%d of %d", f.vp.YOffset()+1, min(f.vp.YOffset()+f.vp.Height(), total), total)
}
