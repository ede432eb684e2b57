package ui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/auditui/auditui/model/sanitize"
)

// View draws the whole screen from the model; it changes nothing but caches.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	title := "auditui"
	if m.opts.Source != nil {
		title += " · " + sanitize.Display(m.opts.Source.Name())
	}
	v.WindowTitle = title
	return v
}

func (m *Model) render() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	s := m.layout()
	if s.tooSmall {
		return m.renderTooSmall()
	}
	var body string
	bodyH := m.height - 3 - len(s.errLines)
	if c := m.bodyComponent(); c != nil {
		body = c.Render(m.width, bodyH)
	} else {
		body = m.renderBody(s)
		if s.hist.h > 0 {
			body = strings.Join(m.renderHistogram(m.width), "\n") + "\n" + body
		}
	}
	lines := make([]string, 0, m.height)
	if h, ok := m.top().(headerComponent); ok {
		lines = append(lines, fitLines(h.Render(m.width, h.HeaderLines()), m.width, h.HeaderLines())...)
		bodyH -= h.HeaderLines() - 1
	} else {
		lines = append(lines, m.renderHeader())
	}
	lines = append(lines, fitLines(body, m.width, bodyH)...)
	for _, l := range s.errLines {
		lines = append(lines, padTo(m.styles.StatusError.Render(l), m.width))
	}
	lines = append(lines, m.renderStatus(), m.renderHelp())
	return strings.Join(lines, "\n")
}

// fitLines cuts or pads s to exactly h lines of exactly w cells.
func fitLines(s string, w, h int) []string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	for i, l := range lines {
		lines[i] = padTo(l, w)
	}
	return lines
}

// padTo truncates or pads a styled line to exactly w cells.
func padTo(l string, w int) string {
	lw := styledWidth(l)
	if lw > w {
		return cut(l, w)
	}
	return l + strings.Repeat(" ", w-lw)
}

func (m *Model) renderTooSmall() string {
	msg := []string{
		"terminal too small",
		fmt.Sprintf("need %dx%d, have %dx%d", minWidth, minHeight, m.width, m.height),
		"q quits",
	}
	var out []string
	for i := 0; i < m.height; i++ {
		l := ""
		if i < len(msg) {
			l = msg[i]
		}
		out = append(out, padTo(cut(l, m.width), m.width))
	}
	return strings.Join(out, "\n")
}

func (m *Model) renderHeader() string {
	st := m.styles
	if m.typing {
		count := " " + commas(m.list.Len()) + " matching"
		if m.filter.job.running {
			count = " filtering…"
		}
		return padTo(m.input.View()+st.Status.Render(count), m.width)
	}
	// How current the events are comes first: a long source name is cut.
	parts := append([]string{st.Header.Render("auditui")}, m.liveHeader()...)
	if m.opts.Source != nil {
		parts = append(parts, st.HeaderValue.Render(sanitize.Display(m.opts.Source.Name())))
	}
	if t := m.input.Value(); t != "" {
		parts = append(parts, st.HeaderLabel.Render("filter ")+st.HeaderValue.Render(sanitize.Display(t)))
	}
	if len(m.types) > 0 {
		label := m.types[0]
		if len(m.types) > 1 {
			label = fmt.Sprintf("%s +%d", m.types[0], len(m.types)-1)
		}
		parts = append(parts, st.HeaderLabel.Render("types ")+st.HeaderValue.Render(sanitize.Display(label)))
	}
	switch f := m.server.Filter; {
	case m.query.text != "":
		parts = append(parts, st.HeaderLabel.Render("query ")+m.renderQueryText())
	case !f.IsZero():
		parts = append(parts, st.HeaderLabel.Render("query ")+st.HeaderValue.Render(sanitize.Display(describeFilter(f))))
	}
	return padTo(strings.Join(parts, st.HeaderLabel.Render(" · ")), m.width)
}

func (m *Model) renderStatus() string {
	st := m.styles
	parts := []string{"loaded " + commas(m.set.Len())}
	if n, ok := m.top().(statusNoter); ok && n.StatusNote() != "" {
		parts = append([]string{n.StatusNote()}, parts...)
	}
	if !m.matcher.IsEmpty() || !m.query.all {
		parts = append(parts, "matching "+commas(m.list.Len()))
	}
	switch {
	case m.stream.err != nil:
	case m.paused():
		parts = append(parts, "paused at "+commas(m.stream.cap)+" · m loads more")
	case m.stream.job.running:
		if m.opts.FromFile {
			parts = append(parts, m.spinner.View()+" reading the file")
		} else {
			parts = append(parts, m.spinner.View()+" fetching page "+commas(m.stream.pages+1)+retryNote(m.stream.retrying()))
		}
	case m.stream.exhausted:
		parts = append(parts, "all loaded")
	}
	if len(m.marks) > 0 {
		parts = append(parts, "marked "+commas(len(m.marks)))
	}
	if m.export.running {
		parts = append(parts, m.export.progress())
	}
	if m.stream.skipped > 0 {
		parts = append(parts, "skipped "+plural(m.stream.skipped, "unreadable record")+"; the first: "+sanitize.Display(m.stream.firstSkip))
	}
	parts = append(parts, m.liveStatus()...)
	line := st.Status.Render(strings.Join(parts, " · "))
	if m.filter.err != nil {
		line += st.Status.Render(" · ") + st.StatusError.Render(sanitize.Display(m.filter.err.Error()))
	}
	if m.stream.err != nil {
		line += st.Status.Render(" · ") + st.StatusError.Render("stopped on an error")
	}
	if m.queryErr != "" {
		line += st.Status.Render(" · ") + st.StatusError.Render(sanitize.Display(m.queryErr))
	}
	if m.live.err != "" {
		line += st.Status.Render(" · ") + st.StatusError.Render("poll failed: "+m.live.err)
	}
	if m.exportErr != "" {
		line += st.Status.Render(" · ") + st.StatusError.Render(m.exportErr)
	}
	if m.notice != "" {
		line += st.Status.Render(" · ") + st.StatusOK.Render(m.notice)
	}
	return padTo(line, m.width)
}

// renderHelp is the help line: the top component's keys, else the list's.
// Its last entry (? help, or how to close) is kept whatever the width.
func (m *Model) renderHelp() string {
	b := browseHelp{m}.ShortHelp()
	if c := m.top(); c != nil {
		b = c.ShortHelp()
		if _, input := c.(textEntry); !input && !isOpen[*helpView](m) {
			b = append(b, m.keys.Help)
		}
	}
	return padTo(m.shortHelpLine(b, 2), m.width)
}

// shortHelpLine lays out bindings in the width, the last keep always shown
// (how to close or quit, and ? help); the others give way from the right,
// and an ellipsis says some did.
func (m *Model) shortHelpLine(b []key.Binding, keep int) string {
	hs := m.help.Styles
	sep := hs.ShortSeparator.Render(m.help.ShortSeparator)
	item := func(kb key.Binding) string {
		return hs.ShortKey.Render(kb.Help().Key) + " " + hs.ShortDesc.Render(kb.Help().Desc)
	}
	var items []string
	for _, kb := range b {
		if kb.Enabled() {
			items = append(items, item(kb))
		}
	}
	if len(items) == 0 {
		return ""
	}
	keep = min(keep, len(items))
	last, head := strings.Join(items[len(items)-keep:], sep), items[:len(items)-keep]
	room, sepW := m.width-styledWidth(last), styledWidth(sep)
	total := 0
	for _, it := range head {
		total += styledWidth(it) + sepW
	}
	if total > room {
		// Keep what fits with room for the ellipsis that says the rest is cut.
		used, n := 1+sepW, 0
		for n < len(head) && used+styledWidth(head[n])+sepW <= room {
			used += styledWidth(head[n]) + sepW
			n++
		}
		head = append(slices.Clone(head[:n]), hs.Ellipsis.Render("…"))
		if used > room {
			head = nil
		}
	}
	return strings.Join(append(head, last), sep)
}

// renderBody draws the list and, where it fits, the detail pane.
func (m *Model) renderBody(s screen) string {
	var list, detail []string
	if s.list.h > 0 {
		list = fitLines(m.renderList(s.list.w), s.list.w, s.list.h)
	}
	if s.detail.h > 0 {
		detail = fitLines(m.renderDetailPane(), s.detail.w, s.detail.h)
	}
	sepStyle, vbar, hbar := m.styles.Border, "│", "─"
	if m.focus == focusDetail {
		// Heavier lines mark the focused pane without relying on colour.
		sepStyle, vbar, hbar = m.styles.BorderFocused, "┃", "━"
	}
	switch {
	case s.sideBy:
		sep := sepStyle.Render(vbar)
		out := make([]string, len(list))
		for i := range list {
			out[i] = list[i] + sep + detail[i]
		}
		return strings.Join(out, "\n")
	case len(list) > 0 && len(detail) > 0:
		label := hbar + hbar + " detail "
		_, selected := m.list.Selected()
		if vp := &m.detail.vp; selected && vp.TotalLineCount() > s.detail.h {
			label += fmt.Sprintf("%d-%d of %d ", vp.YOffset()+1, min(vp.YOffset()+s.detail.h, vp.TotalLineCount()), vp.TotalLineCount())
		}
		if m.focus == focusList {
			label += "(tab to scroll) "
		}
		line := cut(label+strings.Repeat(hbar, max(m.width-ansi.StringWidth(label), 0)), m.width)
		return strings.Join(list, "\n") + "\n" + sepStyle.Render(line) + "\n" + strings.Join(detail, "\n")
	case len(detail) > 0:
		return strings.Join(detail, "\n")
	}
	return strings.Join(list, "\n")
}

func (m *Model) renderList(width int) string {
	r := m.rowRenderer(width)
	if m.list.Len() == 0 {
		msg := m.emptyMessage()
		return m.styles.ColumnTitle.Render(r.title(width)) + "\n\n" + m.styles.DetailMuted.Render(" "+msg)
	}
	return m.list.Render(m.set, r, width, m.focus == focusList)
}

// rowRenderer draws the list's rows width wide (the mark gutter included)
// with the chosen columns and the filter's matches.
func (m *Model) rowRenderer(width int) rowRenderer {
	r := rowRenderer{
		styles: m.styles,
		mode:   m.timeMode,
		now:    m.opts.Now(),
		loc:    m.opts.Location,
		cols:   layoutColumns(width, m.timeMode, &m.widths, m.columns),
		marks:  m.marks,
		hist:   m.common.hist,
		loaded: m.set,
	}
	if len(m.marks) > 0 {
		r.cols = layoutColumns(width-markWidth, m.timeMode, &m.widths, m.columns)
	}
	if m.matcher.TypeOnly() {
		r.typeHit = m.matcher.Text() != "" // a glob: the whole type matched
	} else {
		r.needle, r.matcher = m.matcher.Text(), m.matcher
	}
	return r
}

func (m *Model) emptyMessage() string {
	switch {
	case m.set.Len() > 0 && m.matcher.IsEmpty() && !m.query.all:
		if m.stream.job.running {
			return "No loaded event matches the query yet; fetching its pages…"
		}
		return "No event matches the query. : edits it."
	case m.set.Len() > 0:
		return "No loaded event matches the filter. esc clears it."
	case m.live.job.running && m.opts.Sync != nil:
		return "Syncing the store with the API…"
	case m.stream.err != nil:
		return "Nothing loaded: see the error below."
	case m.stream.exhausted || m.opts.Source == nil:
		return "No events."
	}
	return "Waiting for the first page…"
}

func (m *Model) renderDetailPane() string {
	if _, ok := m.list.Selected(); !ok {
		return m.styles.DetailMuted.Render(" Select an event to see its details.")
	}
	return m.detail.vp.View()
}

// browseHelp gives bubbles/help the list's keys.
type browseHelp struct{ m *Model }

func (h browseHelp) ShortHelp() []key.Binding {
	k := h.m.keys
	if h.m.typing {
		return []key.Binding{k.Apply, k.Clear, withHelp(k.Down, "↑/↓", "move")}
	}
	if h.m.focus == focusDetail {
		return []key.Binding{withHelp(k.Down, "↑/↓", "scroll"), withHelp(k.PageDown, "pgdn/pgup", "page"),
			withHelp(k.Focus, "tab", "back to the list"), k.Raw, k.Copy, k.CopyID, pivotHelp(k), withHelp(k.History, "H", "history"), withHelp(k.Quit, "q", "quit"), k.Help}
	}
	b := []key.Binding{withHelp(k.Down, "↑/↓", "move"), k.Open, k.Filter, k.Query, k.Facets, pivotHelp(k), withHelp(k.History, "H", "history"), k.Zoom, k.Views, k.Types, withHelp(k.Focus, "tab", "list/detail"), k.Raw, k.Copy}
	if len(h.m.query.earlier) > 0 {
		b = append([]key.Binding{withHelp(k.Undo, "u", "previous query")}, b...)
	}
	if h.m.opts.Store != nil || h.m.live.following {
		b = append(b, k.Follow)
	}
	if len(h.m.marks) > 0 {
		b = append([]key.Binding{withHelp(k.Export, "e", "export marked"), k.Unmark}, b...)
	}
	if h.m.stream.canRetry() {
		b = append([]key.Binding{k.Retry}, b...)
	} else if h.m.paused() {
		b = append([]key.Binding{k.More}, b...)
	}
	return append(b, withHelp(k.Quit, "q", "quit"), k.Help)
}
