package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// helpSection is one place in the browser and the keys that work there.
type helpSection struct {
	title string
	keys  []key.Binding
}

// helpSections is the full help, drawn from the KeyMap so that it lists
// what the code matches; TestFullHelpListsEveryKey holds it to that.
func helpSections(k KeyMap) []helpSection {
	closing := func(b key.Binding, keys string) key.Binding { return withHelp(b, keys, "close") }
	return []helpSection{
		{"List", []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.HalfUp, k.HalfDown, k.Top, k.Bottom,
			k.Open, k.Focus, k.Detail, k.Filter, k.Query, k.Undo, k.Facets, k.Views, k.Types, k.Zoom,
			k.TimeFormat, k.Columns, k.Raw, k.Copy, k.CopyID, k.More, k.Retry, k.Follow, k.History, k.Back, k.Mouse, k.Help, k.Quit}},
		{"Marks, export and copies", []key.Binding{k.Mark, k.Unmark, k.Export, k.CopyView, k.CopyField}},
		{"Pivots: narrow to the selected event's", []key.Binding{k.PivotActor, k.PivotIP, k.PivotProject, k.PivotResource, k.PivotType}},
		{"Detail pane (tab) and full screen (enter)", []key.Binding{withHelp(k.Down, "↑↓/jk", "scroll"),
			withHelp(k.PageDown, "pgup/pgdn", "page"), withHelp(k.Top, "g/G", "top/bottom"), k.Raw, k.Copy, k.CopyID, pivotHelp(k),
			withHelp(k.Focus, "tab/shift+tab", "back to the list"), closing(k.Back, "esc/q/enter")}},
		{"History of an object (H)", []key.Binding{withHelp(k.Down, "↑↓/jk", "move between steps"),
			withHelp(k.Open, "enter", "open the step's event, or pivot to a linked object"), pivotHelp(k), k.Copy, k.CopyID,
			withHelp(k.CopyView, "E", "copy the timeline as JSON"), withHelp(k.More, "m", "fetch the rest from the API"), closing(k.Back, "esc/q/H")}},
		{"Filter box (/)", []key.Binding{withHelp(k.Apply, "enter", "keep the filter"), withHelp(k.Down, "↑/↓", "move in the list"),
			withHelp(k.Clear, "esc", "clear and close"), k.Erase}},
		{"Query bar (: or s)", []key.Binding{withHelp(k.Apply, "enter", "put the query in force"), k.Complete, k.CompleteBack,
			k.Earlier, k.Later, k.Erase, closing(k.Back, "esc")}},
		{"Facets (c)", []key.Binding{withHelp(k.Down, "↑↓/jk", "move"), withHelp(k.PageDown, "pgup/pgdn", "page"),
			withHelp(k.Top, "g/G", "first/last"), k.NextSection, k.PrevSection, k.SectionJump,
			withHelp(k.Apply, "enter", "narrow to the value; on “N more”, show them"), k.Expand, k.Exclude,
			withHelp(k.Mouse, "wheel/click", "scroll/select"), closing(k.Back, "esc/q")}},
		{"Columns (w)", []key.Binding{withHelp(k.Down, "↑↓/jk", "move"), withHelp(k.Top, "g/G", "first/last"), withHelp(k.Toggle, "space/x", "show or hide"),
			k.ColumnUp, k.ColumnDown, closing(k.Back, "esc/q/w/enter")}},
		{"Pickers: types (t) and views (v)", []key.Binding{withHelp(k.Down, "↑↓/jk", "move"), k.Toggle, k.AllNone,
			withHelp(k.Apply, "enter", "apply"), closing(k.Back, "esc/q")}},
	}
}

// helpView is the full key help, scrolled with the movement keys; esc, q
// and ? close it, and so does any key it does not use.
type helpView struct {
	c        *common
	sections []helpSection
	offset   int // first line shown
	height   int
	width    int
}

// newHelpView opens the help with the section whose title starts with
// first (where the person is) at the top.
func newHelpView(c *common, first string) *helpView {
	all := helpSections(c.keys)
	sections := make([]helpSection, 0, len(all))
	for _, s := range all {
		if strings.HasPrefix(s.title, first) {
			sections = append(sections, s)
		}
	}
	for _, s := range all {
		if !strings.HasPrefix(s.title, first) {
			sections = append(sections, s)
		}
	}
	return &helpView{c: c, sections: sections}
}

func (h *helpView) Update(msg tea.Msg) (Component, tea.Cmd) {
	k := h.c.keys
	switch msg := msg.(type) {
	case sizeMsg:
		h.width, h.height = msg.width, msg.height
		h.scroll(0)
	case tea.MouseWheelMsg:
		h.scroll(wheelDelta(msg))
	case tea.KeyPressMsg:
		d, ok := k.moveBy(msg, max(h.height-1, 1), 1<<30)
		if !ok {
			return nil, nil // any other key closes the help
		}
		h.scroll(d)
	}
	return h, nil
}

func (h *helpView) scroll(delta int) {
	h.offset = max(min(h.offset+delta, len(h.lines(h.width))-h.height), 0)
}

func (h *helpView) ShortHelp() []key.Binding {
	k := h.c.keys
	b := []key.Binding{withHelp(k.Down, "↑↓/jk", "scroll"), withHelp(k.PageDown, "pgdn/pgup", "page")}
	if n := len(h.lines(h.width)); n > h.height {
		last := min(h.offset+h.height, n)
		b = append([]key.Binding{key.NewBinding(key.WithKeys("down"), key.WithHelp(fmt.Sprintf("lines %d-%d of %d", h.offset+1, last, n), ""))}, b...)
	}
	return append(b, withHelp(k.Back, "esc/q/?", "close"))
}

// Render draws the sections from the scroll offset on.
func (h *helpView) Render(width, height int) string {
	lines := h.lines(width)
	lines = lines[min(h.offset, len(lines)):]
	return strings.Join(lines[:min(height, len(lines))], "\n")
}

// lines is the help laid out for width: one column of sections, or two
// side by side when both fit.
func (h *helpView) lines(width int) []string {
	var blocks [][]string
	colW := 0
	for _, s := range h.sections {
		b := h.section(s)
		for _, l := range b {
			colW = max(colW, ansi.StringWidth(l))
		}
		blocks = append(blocks, b)
	}
	if width < 2*colW+3 {
		var out []string
		for _, b := range blocks {
			out = append(out, b...)
		}
		return fitWidth(out, width)
	}
	// Two columns: the first sections on the left until half the lines.
	total := 0
	for _, b := range blocks {
		total += len(b)
	}
	var left, right []string
	for _, b := range blocks {
		if len(left) < total/2 && len(right) == 0 {
			left = append(left, b...)
		} else {
			right = append(right, b...)
		}
	}
	out := make([]string, max(len(left), len(right)))
	for i := range out {
		l, r := "", ""
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		out[i] = padTo(l, colW+3) + r
	}
	return fitWidth(out, width)
}

// section is a title, then one key and its meaning a line.
func (h *helpView) section(s helpSection) []string {
	st := h.c.styles
	keyW := 0
	for _, b := range s.keys {
		keyW = max(keyW, ansi.StringWidth(b.Help().Key))
	}
	out := []string{" " + st.ColumnTitle.Render(s.title)}
	for _, b := range s.keys {
		hb := b.Help()
		out = append(out, "  "+st.Help.FullKey.Render(hb.Key+strings.Repeat(" ", keyW-ansi.StringWidth(hb.Key)))+"  "+st.Help.FullDesc.Render(hb.Desc))
	}
	return append(out, "")
}

// fitWidth cuts each line to width, marking the cut with an ellipsis.
func fitWidth(lines []string, width int) []string {
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i] = cut(l, width)
		}
	}
	return lines
}
