package ui

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/auditui/auditui/model/sanitize"
)

// exportPrompt asks where e writes the rows: a file name whose extension
// picks the format. When the file is there it asks again before replacing
// it (confirm); editing the name takes the question back.
type exportPrompt struct {
	c       *common
	input   textinput.Model
	req     exportRequest // rows and count; path and format come from the input
	confirm bool
	err     string
	start   func(exportRequest) tea.Cmd
}

func newExportPrompt(c *common, req exportRequest, confirm bool, start func(exportRequest) tea.Cmd) *exportPrompt {
	in := textinput.New()
	in.Prompt = "export to "
	in.CharLimit = 4096
	in.SetStyles(c.styles.TextInput)
	in.SetValue(req.path)
	in.CursorEnd()
	return &exportPrompt{c: c, input: in, req: req, confirm: confirm, start: start}
}

func (p *exportPrompt) Init() tea.Cmd { return p.input.Focus() }

func (p *exportPrompt) entersText()      {}
func (p *exportPrompt) HeaderLines() int { return 2 }

func (p *exportPrompt) Update(msg tea.Msg) (Component, tea.Cmd) {
	switch msg := msg.(type) {
	case sizeMsg:
		p.input.SetWidth(max(msg.width-ansi.StringWidth(p.input.Prompt)-1, 10))
		return p, nil
	case tea.KeyPressMsg:
		if key.Matches(msg, p.c.keys.Apply) {
			return p.submit()
		}
		switch closed, erased := p.c.keys.closeOrErase(msg, &p.input); {
		case closed:
			return nil, nil
		case erased:
			p.confirm, p.err = false, ""
			return p, nil
		}
	case tea.PasteMsg:
	default:
		return p, nil
	}
	before := p.input.Value()
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	if p.input.Value() != before {
		p.confirm, p.err = false, ""
	}
	return p, cmd
}

// submit checks the name and starts the write; the prompt closes.
func (p *exportPrompt) submit() (Component, tea.Cmd) {
	path := expandHome(p.input.Value())
	if path == "" {
		p.err = "type a file name"
		return p, nil
	}
	f, err := formatOf(path)
	if err != nil {
		p.err = err.Error()
		return p, nil
	}
	req := p.req
	req.path, req.format, req.overwrite = path, f, p.confirm
	return nil, p.start(req)
}

func (p *exportPrompt) ShortHelp() []key.Binding {
	k := p.c.keys
	apply := withHelp(k.Apply, "enter", "write")
	if p.confirm {
		apply = withHelp(k.Apply, "enter", "overwrite")
	}
	return []key.Binding{apply, withHelp(k.Back, "esc", "cancel")}
}

func (p *exportPrompt) Render(width, _ int) string {
	st := p.c.styles
	hint := " " + plural(p.req.n, "event") + " · .jsonl, .json or .csv · enter writes · esc cancels"
	switch {
	case p.err != "":
		hint = st.StatusError.Render(" " + sanitize.Display(p.err))
	case p.confirm:
		hint = st.StatusError.Render(" " + sanitize.Display(p.input.Value()) + " exists: enter replaces it, esc cancels, or edit the name")
	default:
		hint = st.HeaderLabel.Render(hint)
	}
	return padTo(p.input.View(), width) + "\n" + padTo(cut(hint, width), width)
}
