package ui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// helpView is the full key help; any key closes it, q included.
type helpView struct {
	c      *common
	groups [][]key.Binding
}

func newHelpView(c *common, groups [][]key.Binding) *helpView {
	return &helpView{c: c, groups: groups}
}

func (h *helpView) Update(msg tea.Msg) (Component, tea.Cmd) {
	if _, ok := msg.(tea.KeyPressMsg); ok {
		return nil, nil
	}
	return h, nil
}

func (h *helpView) ShortHelp() []key.Binding {
	return []key.Binding{key.NewBinding(key.WithKeys("esc"), key.WithHelp("press any key", "to close the help"))}
}

// Render lays the key columns side by side as far as the width allows and
// puts the rest in blocks below, so narrow terminals show every key.
func (h *helpView) Render(width, height int) string {
	hm := help.New()
	hm.Styles = h.c.styles.Help
	groups := h.groups
	var blocks []string
	for len(groups) > 0 {
		n := 1
		for n < len(groups) && ansi.StringWidth(firstLine(hm.FullHelpView(groups[:n+1]))) <= width {
			n++
		}
		blocks = append(blocks, hm.FullHelpView(groups[:n]))
		groups = groups[n:]
	}
	return strings.Join(blocks, "\n\n")
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
