package ui

import (
	"github.com/auditui/auditui/model/sanitize"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/auditui/auditui/model/views"
)

// viewsPicker chooses a saved view; enter puts its query in force.
type viewsPicker struct {
	cursor int
}

func (m *Model) onViewsKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	n := len(m.opts.Views)
	switch {
	case key.Matches(msg, k.Quit) && msg.String() == "q":
		return m.quit()
	case key.Matches(msg, k.Back), key.Matches(msg, k.Views):
		m.mode = modeBrowse
	case key.Matches(msg, k.Up):
		m.views.cursor = max(m.views.cursor-1, 0)
	case key.Matches(msg, k.Down):
		m.views.cursor = min(m.views.cursor+1, max(n-1, 0))
	case key.Matches(msg, k.Apply):
		if m.views.cursor >= n {
			return nil
		}
		v := m.opts.Views[m.views.cursor]
		m.mode = modeBrowse
		cmd := m.applyQuery(v.Query)
		if m.queryErr == "" {
			m.notice = "view: " + sanitize.Display(v.Name)
		}
		return cmd
	}
	return nil
}

// renderViews draws the picker: each view's name and its query.
func (m Model) renderViews(w, h int) string {
	st := m.styles
	lines := []string{padTo(st.PickerCategory.Render(" Saved views")+st.Status.Render(" · enter opens · esc closes"), w)}
	if m.opts.ViewsErr != "" {
		lines = append(lines, padTo(st.StatusError.Render(" "+sanitize.Display(m.opts.ViewsErr)), w))
	}
	nameW := 0
	for _, v := range m.opts.Views {
		nameW = max(nameW, ansi.StringWidth(sanitize.Display(v.Name)))
	}
	nameW = min(nameW, max(w/3, 12))
	builtin := true
	for i, v := range m.opts.Views {
		if builtin && !v.Builtin {
			builtin = false
			lines = append(lines, padTo(st.Status.Render(" saved in "+sanitize.Display(m.opts.ViewsPath)), w))
		}
		name := ansi.Truncate(sanitize.Display(v.Name), nameW, "…")
		name += strings.Repeat(" ", max(nameW-ansi.StringWidth(name), 0))
		q := sanitize.Display(v.Query)
		if i == m.views.cursor {
			lines = append(lines, st.PickerCursor.Render(padTo(" ▸ "+name+"  "+q, w)))
			continue
		}
		lines = append(lines, padTo("   "+name+"  "+st.Status.Render(q), w))
	}
	if builtin && m.opts.ViewsPath != "" {
		lines = append(lines, "", padTo(st.Status.Render(" Add your own as [[view]] name = \"…\" query = \"…\" in "+sanitize.Display(m.opts.ViewsPath)), w))
	}
	if len(lines) > h {
		// Keep the cursor in view.
		off := min(max(m.views.cursor+3-h, 0), len(lines)-h)
		lines = append(lines[:1], lines[1+off:off+h]...)
	}
	return strings.Join(lines, "\n")
}

// defaultViews are the views when the options give none: the built-ins.
func defaultViews() []views.View { return views.Builtin() }
