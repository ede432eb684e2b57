package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/sanitize"
)

// eventField is one value of an event that C can copy.
type eventField struct {
	key, name, value string
}

// copyableFields are the selected event's detail lines worth pasting
// elsewhere, keyed as the pivots are (a actor, i IP, p project, o object).
func copyableFields(e *model.Event) []eventField {
	var keyID string
	if e.Actor.APIKey != nil {
		keyID = e.Actor.APIKey.ID
	}
	var object string
	if ids := e.ResourceIDs(); len(ids) > 0 {
		object = ids[0]
	}
	all := []eventField{
		{"a", "actor", e.Actor.Label()},
		{"i", "IP", e.Actor.IP()},
		{"k", "key id", keyID},
		{"p", "project", e.Project.ID},
		{"o", "object", object},
		{"t", "type", e.Type},
		{"#", "event id", e.ID},
	}
	var out []eventField
	for _, f := range all {
		if f.value != "" {
			out = append(out, f)
		}
	}
	return out
}

// fieldCopier is C: a line over the list naming the selected event's
// fields; a field's key copies its value, sanitised to one line.
type fieldCopier struct {
	c      *common
	fields []eventField
	copied func(f eventField) tea.Cmd
}

func newFieldCopier(c *common, e *model.Event, copied func(eventField) tea.Cmd) *fieldCopier {
	return &fieldCopier{c: c, fields: copyableFields(e), copied: copied}
}

func (f *fieldCopier) HeaderLines() int { return 1 }

func (f *fieldCopier) Update(msg tea.Msg) (Component, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return f, nil
	}
	if key.Matches(k, f.c.keys.Back) || k.String() == "q" {
		return nil, nil
	}
	for _, fl := range f.fields {
		if k.Text == fl.key {
			return nil, f.copied(fl)
		}
	}
	return f, nil
}

func (f *fieldCopier) ShortHelp() []key.Binding {
	return []key.Binding{withHelp(f.c.keys.Back, "esc", "cancel")}
}

func (f *fieldCopier) Render(width, _ int) string {
	st := f.c.styles
	parts := []string{st.Header.Render("copy")}
	for _, fl := range f.fields {
		parts = append(parts, st.HeaderValue.Render(fl.key)+" "+st.HeaderLabel.Render(fl.name))
	}
	if len(f.fields) == 0 {
		parts = append(parts, st.HeaderLabel.Render("this event has no field to copy"))
	}
	return padTo(cut(strings.Join(parts, "  "), width), width)
}

// copyField puts one field's value on the clipboard, on one line with
// hidden characters escaped so that what is pasted is what was shown.
func (m *Model) copyField(f eventField) tea.Cmd {
	v := sanitize.Escape(f.value)
	m.notice = "copied the " + f.name + " " + sanitize.Display(v)
	return tea.SetClipboard(v)
}
