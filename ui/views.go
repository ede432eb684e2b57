package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/auditui/auditui/model/sanitize"
	"github.com/auditui/auditui/model/views"
)

// viewsPicker chooses a saved view; enter hands it to open.
type viewsPicker struct {
	c      *common
	views  []views.View
	err    string // why the saved views file could not be used
	path   string // where it is
	open   func(views.View) tea.Cmd
	cursor int
}

func newViewsPicker(c *common, opts Options, open func(views.View) tea.Cmd) *viewsPicker {
	return &viewsPicker{c: c, views: opts.Views, err: opts.ViewsErr, path: opts.ViewsPath, open: open}
}

func (p *viewsPicker) Update(msg tea.Msg) (Component, tea.Cmd) {
	k := p.c.keys
	kp, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return p, nil
	}
	switch n := len(p.views); {
	case key.Matches(kp, k.Back), key.Matches(kp, k.Views), key.Matches(kp, k.Quit):
		return nil, nil
	case key.Matches(kp, k.Up):
		p.cursor = max(p.cursor-1, 0)
	case key.Matches(kp, k.Down):
		p.cursor = min(p.cursor+1, max(n-1, 0))
	case key.Matches(kp, k.Apply) && p.cursor < n:
		return nil, p.open(p.views[p.cursor])
	}
	return p, nil
}

func (p *viewsPicker) ShortHelp() []key.Binding {
	k := p.c.keys
	return []key.Binding{withHelp(k.Down, "↑/↓", "move"), withHelp(k.Apply, "enter", "open"), withHelp(k.Back, "esc", "close")}
}

// Render draws the picker: each view's name and its query.
func (p *viewsPicker) Render(w, h int) string {
	st := p.c.styles
	lines := []string{padTo(st.PickerCategory.Render(" Saved views")+st.Status.Render(" · enter opens · esc closes"), w)}
	if p.err != "" {
		lines = append(lines, padTo(st.StatusError.Render(" "+sanitize.Display(p.err)), w))
	}
	nameW := 0
	for _, v := range p.views {
		nameW = max(nameW, ansi.StringWidth(sanitize.Display(v.Name)))
	}
	nameW = min(nameW, max(w/3, 12))
	builtin := true
	for i, v := range p.views {
		if builtin && !v.Builtin {
			builtin = false
			lines = append(lines, padTo(st.Status.Render(" saved in "+sanitize.Display(p.path)), w))
		}
		name := cut(sanitize.Display(v.Name), nameW)
		name += strings.Repeat(" ", max(nameW-ansi.StringWidth(name), 0))
		q := sanitize.Display(v.Query)
		if i == p.cursor {
			lines = append(lines, st.PickerCursor.Render(padTo(" ▸ "+name+"  "+q, w)))
			continue
		}
		lines = append(lines, padTo("   "+name+"  "+st.Status.Render(q), w))
	}
	if builtin && p.path != "" {
		lines = append(lines, "", padTo(st.Status.Render(" Add your own as [[view]] name = \"…\" query = \"…\" in "+sanitize.Display(p.path)), w))
	}
	if len(lines) > h {
		// Keep the cursor in view.
		off := min(max(p.cursor+3-h, 0), len(lines)-h)
		lines = append(lines[:1], lines[1+off:off+h]...)
	}
	return strings.Join(lines, "\n")
}

// defaultViews are the views when the options give none: the built-ins.
func defaultViews() []views.View { return views.Builtin() }
