package ui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/auditui/auditui/model/sanitize"
	"github.com/auditui/auditui/model/views"
)

// columnChooser shows and hides the list's columns and orders them; every
// change is in force at once, and closing it keeps the choice for the
// next run.
type columnChooser struct {
	c      *common
	order  []columnID // every column: the shown ones first, in order
	shown  [numColumns]bool
	cursor int
	note   string // why the last key did nothing, or the saved file's trouble
	path   string // where the choice is kept; "": not kept
	// apply puts the shown columns in force; preview draws the list's title
	// and first rows with them, width wide.
	apply   func([]columnID)
	preview func(width, rows int) string
	changed bool
}

func newColumnChooser(c *common, current []columnID, opts Options, apply func([]columnID), preview func(int, int) string) *columnChooser {
	cc := &columnChooser{c: c, order: slices.Clone(current), path: opts.ColumnsPath, note: opts.ColumnsErr, apply: apply, preview: preview}
	for _, id := range current {
		cc.shown[id] = true
	}
	for id := range numColumns {
		if !cc.shown[id] {
			cc.order = append(cc.order, id)
		}
	}
	return cc
}

// chosen are the shown columns in order.
func (cc *columnChooser) chosen() []columnID {
	var out []columnID
	for _, id := range cc.order {
		if cc.shown[id] {
			out = append(out, id)
		}
	}
	return out
}

func (cc *columnChooser) Update(msg tea.Msg) (Component, tea.Cmd) {
	k := cc.c.keys
	kp, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return cc, nil
	}
	cc.note = ""
	switch {
	case key.Matches(kp, k.Back), key.Matches(kp, k.Quit), key.Matches(kp, k.Columns), key.Matches(kp, k.Apply):
		return nil, cc.save()
	case key.Matches(kp, k.ColumnUp), key.Matches(kp, k.ColumnDown):
		to := cc.cursor + 1
		if key.Matches(kp, k.ColumnUp) {
			to = cc.cursor - 1
		}
		if to < 0 || to >= len(cc.order) {
			return cc, nil
		}
		cc.order[cc.cursor], cc.order[to] = cc.order[to], cc.order[cc.cursor]
		cc.cursor = to
	case key.Matches(kp, k.Up):
		cc.cursor = max(cc.cursor-1, 0)
		return cc, nil
	case key.Matches(kp, k.Down):
		cc.cursor = min(cc.cursor+1, len(cc.order)-1)
		return cc, nil
	case key.Matches(kp, k.Top):
		cc.cursor = 0
		return cc, nil
	case key.Matches(kp, k.Bottom):
		cc.cursor = len(cc.order) - 1
		return cc, nil
	case key.Matches(kp, k.Toggle):
		id := cc.order[cc.cursor]
		if cc.shown[id] && len(cc.chosen()) == 1 {
			cc.note = "one column stays shown"
			return cc, nil
		}
		cc.shown[id] = !cc.shown[id]
	default:
		return cc, nil
	}
	cc.changed = true
	cc.apply(cc.chosen())
	return cc, nil
}

// save keeps a changed choice in the config directory, off the UI goroutine.
func (cc *columnChooser) save() tea.Cmd {
	if !cc.changed || cc.path == "" {
		return nil
	}
	path, names := cc.path, columnNames(cc.chosen())
	return func() tea.Msg { return columnsSavedMsg{path: path, err: views.SaveColumns(path, names)} }
}

// columnsSavedMsg says whether the chosen columns were kept.
type columnsSavedMsg struct {
	path string
	err  error
}

func (cc *columnChooser) ShortHelp() []key.Binding {
	k := cc.c.keys
	return []key.Binding{withHelp(k.Down, "↑/↓", "move"), withHelp(k.Toggle, "space", "show/hide"),
		withHelp(k.ColumnDown, "K/J", "reorder"), withHelp(k.Back, "esc", "close")}
}

// Render draws each column with whether it shows, then the list's title
// and first rows as they look with the choice.
func (cc *columnChooser) Render(w, h int) string {
	st := cc.c.styles
	lines := []string{padTo(st.PickerCategory.Render(" List columns")+st.Status.Render(" · space shows or hides · K/J move · esc closes"), w)}
	for i, id := range cc.order {
		box := "[ ]"
		if cc.shown[id] {
			box = "[x]"
		}
		spec := columnSpecs[id]
		line := box + " " + spec.name + strings.Repeat(" ", 8-len(spec.name)) + " " + spec.about
		if i == cc.cursor {
			lines = append(lines, st.PickerCursor.Render(padTo(" ▸ "+line, w)))
			continue
		}
		lines = append(lines, padTo("   "+line, w))
	}
	switch {
	case cc.note != "":
		for _, l := range wrapValue(sanitize.Display(cc.note), max(w-1, 1)) {
			lines = append(lines, padTo(st.StatusError.Render(" "+l), w))
		}
	case cc.path != "":
		lines = append(lines, padTo(st.Status.Render(" kept in "+sanitize.Display(cc.path)+" when this closes"), w))
	}
	lines = append(lines, "")
	if rows := h - len(lines) - 1; rows > 0 {
		lines = append(lines, padTo(st.Status.Render(" The list with these columns:"), w))
		lines = append(lines, strings.Split(cc.preview(w, rows-1), "\n")...)
	}
	return strings.Join(fitWidth(lines, w), "\n")
}

// columnNames are ids' names, as the config file keeps them.
func columnNames(ids []columnID) []string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = columnSpecs[id].name
	}
	return names
}

// savedColumns are the columns the options name, the default when they
// name none; a name this version does not know is left out and said.
func (m *Model) savedColumns() []columnID {
	var ids []columnID
	for _, name := range m.opts.Columns {
		id, ok := columnNamed(name)
		if !ok || slices.Contains(ids, id) {
			m.opts.ColumnsErr = "the saved columns name " + name + ", which this auditui does not know; it is left out"
			continue
		}
		ids = append(ids, id)
	}
	if m.opts.ColumnsErr != "" && m.notice == "" {
		m.notice = "saved columns: see w"
	}
	if len(ids) == 0 {
		return defaultColumns
	}
	return ids
}

// columnNamed finds a column by its config name.
func columnNamed(name string) (columnID, bool) {
	for id, s := range columnSpecs {
		if s.name == name {
			return columnID(id), true
		}
	}
	return 0, false
}

// openColumns opens the chooser over the list's columns.
func (m *Model) openColumns() tea.Cmd {
	apply := func(ids []columnID) { m.columns = ids }
	return m.open(newColumnChooser(m.common, m.columns, m.opts, apply, m.columnsPreview))
}

// columnsPreview is the list's title and first rows, width wide.
func (m *Model) columnsPreview(width, rows int) string {
	r := m.rowRenderer(width)
	lines := []string{m.styles.ColumnTitle.Render(r.title(width))}
	for row := m.list.offset; row < min(m.list.offset+rows-1, m.list.Len()); row++ { // after the title
		lines = append(lines, r.Styled(m.set.At(m.list.EventAt(row)), width))
	}
	return strings.Join(lines, "\n")
}

// onColumnsSaved says where the choice went, or why it did not.
func (m *Model) onColumnsSaved(msg columnsSavedMsg) {
	if msg.err != nil {
		m.opts.ColumnsErr = sanitize.OneLine(msg.err.Error())
		m.notice = "columns not saved: see w"
		return
	}
	m.opts.ColumnsErr = ""
	m.notice = "columns saved in " + sanitize.Display(msg.path)
}
