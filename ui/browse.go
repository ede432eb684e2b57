package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/query"
	"github.com/auditui/auditui/model/sanitize"
	"github.com/auditui/auditui/model/views"
)

func (m *Model) quit() tea.Cmd {
	m.cancel()
	return tea.Quit
}

// onKey gives the key to the top component, else to the filter box while
// it is being typed in, else to the list.
func (m *Model) onKey(msg tea.KeyPressMsg) tea.Cmd {
	if top := m.top(); top != nil {
		_, input := top.(textEntry)
		_, help := top.(*helpView)
		switch {
		case msg.String() == "ctrl+c" && !input:
			return m.quit()
		case key.Matches(msg, m.keys.Help) && !input && !help:
			return m.openHelp()
		}
		return m.updateTop(msg)
	}
	if m.typing {
		return m.onFilterKey(msg)
	}
	return m.onBrowseKey(msg)
}

// onFilterKey handles a key while the filter box has the keyboard: the
// list follows every keystroke, and ↑/↓ move in it.
func (m *Model) onFilterKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Apply):
		m.closeFilter()
		return nil
	case key.Matches(msg, k.Clear), key.Matches(msg, k.Erase) && m.input.Value() == "":
		m.closeFilter()
		m.input.SetValue("")
		return m.setMatcher(model.CompileMatcher("").WithTypes(m.types))
	case key.Matches(msg, k.Erase):
		m.input.SetValue("")
		return m.setMatcher(model.CompileMatcher("").WithTypes(m.types))
	case msg.String() == "up" || msg.String() == "down":
		m.list.Move(map[string]int{"up": -1, "down": 1}[msg.String()])
		return m.nearEnd()
	}
	return m.updateInput(msg)
}

func (m *Model) closeFilter() {
	m.typing = false
	m.input.Blur()
}

// onBrowseKey handles a key on the list with nothing open over it.
func (m *Model) onBrowseKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	m.notice, m.exportErr = "", ""
	if pk, ok := k.pivot(msg); ok {
		i, ok := m.list.Selected()
		if !ok {
			m.notice = "no event selected"
			return nil
		}
		cmd, _ := m.pivot(pk, m.set.At(i))
		return cmd
	}
	switch {
	case key.Matches(msg, k.Quit):
		return m.quit()
	case key.Matches(msg, k.Filter):
		m.typing = true
		m.focus = focusList
		m.input.CursorEnd()
		return m.input.Focus()
	case key.Matches(msg, k.Back):
		return m.back()
	case key.Matches(msg, k.Copy), key.Matches(msg, k.CopyID):
		if len(m.marks) > 0 {
			return m.copyMarked(key.Matches(msg, k.CopyID))
		}
		i, ok := m.list.Selected()
		if !ok {
			m.notice = "nothing to copy"
			return nil
		}
		return m.copy(m.set.At(i), key.Matches(msg, k.CopyID))
	case key.Matches(msg, k.More):
		return m.more()
	case key.Matches(msg, k.Follow):
		return m.toggleFollow()
	case key.Matches(msg, k.Retry):
		switch {
		case m.stream.err == nil:
			m.notice = "nothing to retry"
		case !m.stream.canRetry():
			m.notice = "asking again cannot fix this error: change the query with :"
		}
		return m.retry()
	case key.Matches(msg, k.Zoom):
		return m.zoom()
	case key.Matches(msg, k.Undo):
		return m.previousQuery()
	case key.Matches(msg, k.Mark):
		return m.toggleMark()
	case key.Matches(msg, k.Unmark):
		m.clearMarks()
		return nil
	case key.Matches(msg, k.CopyView):
		return m.copyViewCommand()
	}
	if cmd, ok := m.openFor(msg); ok {
		return cmd
	}
	if m.onDisplayKey(msg) {
		return m.minuteTickIfRelative(msg)
	}
	return m.navigate(msg)
}

// openHelp opens the full help with the section for where you are first.
func (m *Model) openHelp() tea.Cmd {
	first := "List"
	switch m.top().(type) {
	case *facetsPanel:
		first = "Facets"
	case *picker, *viewsPicker:
		first = "Pickers"
	case *columnChooser:
		first = "Columns"
	case *fullView:
		first = "Detail"
	case nil:
		if m.focus == focusDetail {
			first = "Detail"
		}
	}
	return m.open(newHelpView(m.common, first))
}

// loadedOnly says, for counts over what is loaded, that more events
// match on the server; "" once everything is loaded.
func (m *Model) loadedOnly() string {
	if m.stream.exhausted || m.opts.Source == nil {
		return ""
	}
	return " · of " + commas(m.set.Len()) + " loaded; more on the server"
}

// openFor opens the component msg asks for, if it asks for one.
func (m *Model) openFor(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Help):
		return m.openHelp(), true
	case key.Matches(msg, k.Types):
		return m.open(newPicker(m.common, m.set.TypeCounts(nil), m.types, m.pickTypes)), true
	case key.Matches(msg, k.Open), key.Matches(msg, k.History):
		i, ok := m.list.Selected()
		switch {
		case !ok:
			m.notice = "no event selected"
		case key.Matches(msg, k.History):
			return m.openHistory(m.set.At(i)), true
		default:
			return m.openEvent(m.set.At(i)), true
		}
		return nil, true
	case key.Matches(msg, k.Query):
		m.queryErr = ""
		return m.open(newQueryBar(m.common, m.query.text, m.query.anchor, m.applyFromBar)), true
	case key.Matches(msg, k.Facets):
		fp := newFacetsPanel(m.common, m.list.Len, m.narrowFromFacet)
		fp.loadedOnly = m.loadedOnly
		cmd := m.open(fp)
		return tea.Batch(cmd, m.refreshDerived()), true
	case key.Matches(msg, k.Views):
		return m.open(newViewsPicker(m.common, m.opts, m.openView)), true
	case key.Matches(msg, k.Columns):
		return m.openColumns(), true
	case key.Matches(msg, k.Export):
		req := m.exportRows()
		req.path = m.exportName()
		return m.open(newExportPrompt(m.common, req, false, m.startExport)), true
	case key.Matches(msg, k.CopyField):
		if i, ok := m.list.Selected(); ok {
			return m.open(newFieldCopier(m.common, m.set.At(i), m.copyField)), true
		}
		m.notice = "no event selected"
		return nil, true
	}
	return nil, false
}

// onDisplayKey changes how the list and detail are drawn, reporting
// whether msg was such a key.
func (m *Model) onDisplayKey(msg tea.KeyPressMsg) bool {
	k := m.keys
	switch {
	case key.Matches(msg, k.Focus):
		if m.focus == focusList && m.detailVisible() {
			m.focus = focusDetail
		} else {
			m.focus = focusList
		}
	case key.Matches(msg, k.Detail):
		m.showDetail = !m.showDetail
		if !m.showDetail {
			m.focus = focusList
		}
		m.resize()
	case key.Matches(msg, k.TimeFormat):
		m.timeMode = (m.timeMode + 1) % timeModes
		m.resize()
	case key.Matches(msg, k.Raw):
		m.raw = !m.raw
	default:
		return false
	}
	return true
}

// minuteTickIfRelative starts the minute tick when z turned relative times on.
func (m *Model) minuteTickIfRelative(msg tea.KeyPressMsg) tea.Cmd {
	if key.Matches(msg, m.keys.TimeFormat) && m.timeMode == timeRelative {
		return m.minuteTick()
	}
	return nil
}

// back is esc on the list: drop the query error, else the filter and the
// picked types, else return to the list from the detail pane.
func (m *Model) back() tea.Cmd {
	if m.queryErr != "" {
		m.queryErr = ""
		return nil
	}
	if !m.matcher.IsEmpty() {
		m.input.SetValue("")
		m.types = nil
		return m.setMatcher(model.CompileMatcher(""))
	}
	m.focus = focusList
	return nil
}

// more is m: load more past the cap, or say why not.
func (m *Model) more() tea.Cmd {
	if m.paused() {
		return m.loadMore()
	}
	switch {
	case m.stream.err != nil:
		m.notice = "loading stopped on an error: R retries"
		if !m.stream.canRetry() {
			m.notice = "loading stopped on an error: change the query with :"
		}
	case m.stream.exhausted:
		m.notice = "everything is loaded"
	default:
		m.notice = "already loading"
	}
	return nil
}

// pickTypes applies the types ticked in the picker.
func (m *Model) pickTypes(types []string) tea.Cmd {
	m.types = types
	return m.setMatcher(model.CompileMatcher(m.input.Value()).WithTypes(m.types))
}

// openView puts a saved view's query in force.
func (m *Model) openView(v views.View) tea.Cmd {
	cmd := m.applyQuery(v.Query)
	if m.queryErr == "" {
		m.notice = "view: " + sanitize.Display(v.Name)
	}
	return cmd
}

// narrowFromFacet puts a facet's value (or its negation) in force; the
// panel closes when it could.
func (m *Model) narrowFromFacet(k query.Key, value string, negated bool) (tea.Cmd, bool) {
	cmd := m.narrowTo(k, value, negated)
	if m.queryErr != "" {
		return cmd, false
	}
	verb := "narrowed to "
	if negated {
		verb = "excluding "
	}
	m.notice = verb + sanitize.Display(query.FormatTerm(k, value, negated))
	return cmd, true
}

// navigate handles the movement keys for whichever pane has focus.
func (m *Model) navigate(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	page := max(m.list.height, 1)
	if m.focus == focusDetail {
		page = max(m.detailHeight(), 1)
	}
	delta := 0
	switch {
	case key.Matches(msg, k.Up):
		delta = -1
	case key.Matches(msg, k.Down):
		delta = 1
	case key.Matches(msg, k.PageUp):
		delta = -page
	case key.Matches(msg, k.PageDown):
		delta = page
	case key.Matches(msg, k.HalfUp):
		delta = -max(page/2, 1)
	case key.Matches(msg, k.HalfDown):
		delta = max(page/2, 1)
	case key.Matches(msg, k.Top):
		delta = -1 << 30
	case key.Matches(msg, k.Bottom):
		delta = 1 << 30
	default:
		return nil
	}
	if m.focus == focusDetail {
		m.detail.scroll(delta)
		return nil
	}
	switch delta {
	case -1 << 30:
		m.list.Top()
	case 1 << 30:
		m.list.Bottom()
	default:
		m.list.Move(delta)
	}
	return m.nearEnd()
}

// nearEnd fetches more when the cursor reaches the end of what is loaded.
func (m *Model) nearEnd() tea.Cmd {
	if m.list.NearEnd() && m.paused() {
		return m.loadMore()
	}
	return nil
}

func (m *Model) updateInput(msg tea.Msg) tea.Cmd {
	before := m.input.Value()
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	if m.input.Value() == before {
		return cmd
	}
	return tea.Batch(cmd, m.setMatcher(model.CompileMatcher(m.input.Value()).WithTypes(m.types)))
}

// copy puts an event (or its id) on the clipboard with OSC 52, escaped so
// that pasting it into a shell or a terminal runs nothing: the id on one
// line as sanitize.Escape writes it, the event as one line of JSON with the
// same values (sanitize.JSON).
func (m *Model) copy(e *model.Event, idOnly bool) tea.Cmd {
	if idOnly {
		m.notice = "copied the event id " + sanitize.Display(e.ID)
		return tea.SetClipboard(sanitize.Escape(e.ID))
	}
	raw, err := e.JSON()
	if err != nil {
		m.notice = sanitize.OneLine(err.Error())
		return nil
	}
	m.notice = "copied the raw event (" + plural(len(raw), "byte") + ")"
	return tea.SetClipboard(string(sanitize.JSON(raw)))
}

// wheelDelta is how many lines a wheel message scrolls, up negative.
func wheelDelta(msg tea.MouseWheelMsg) int {
	switch msg.Mouse().Button {
	case tea.MouseWheelUp:
		return -3
	case tea.MouseWheelDown:
		return 3
	}
	return 0
}

// onWheel scrolls whatever is under the mouse; scrolling the list near its
// end fetches more like the keys do.
func (m *Model) onWheel(msg tea.MouseWheelMsg) tea.Cmd {
	delta := wheelDelta(msg)
	if delta == 0 {
		return nil
	}
	if m.top() != nil {
		return m.updateTop(msg)
	}
	mouse := msg.Mouse()
	l := m.layout()
	if l.detail.contains(mouse.X, mouse.Y) {
		m.detail.scroll(delta)
		return nil
	}
	if l.list.contains(mouse.X, mouse.Y) {
		m.list.Scroll(delta)
		return m.nearEnd()
	}
	return nil
}

func (m *Model) onClick(msg tea.MouseClickMsg) {
	mouse := msg.Mouse()
	if mouse.Button != tea.MouseLeft || m.typing {
		return
	}
	l := m.layout()
	switch {
	case l.list.contains(mouse.X, mouse.Y):
		m.focus = focusList
		m.list.Click(mouse.Y - l.list.y - 1) // the column titles take one line
	case l.detail.contains(mouse.X, mouse.Y):
		m.focus = focusDetail
	}
}
