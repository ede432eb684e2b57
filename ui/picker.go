package ui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/sanitize"
)

// picker chooses event types among those loaded, grouped by category;
// enter hands the ticked ones to apply.
type picker struct {
	c       *common
	apply   func(types []string) tea.Cmd
	entries []pickerEntry
	cursor  int // index into entries, always on a type
	checked map[string]bool
}

type pickerEntry struct {
	category string // set on category headings
	typ      string
	count    int
}

func newPicker(c *common, counts map[string]int, chosen []string, apply func([]string) tea.Cmd) *picker {
	byCat := map[string][]pickerEntry{}
	for t, n := range counts {
		et, _ := model.LookupType(t)
		byCat[et.Category] = append(byCat[et.Category], pickerEntry{typ: t, count: n})
	}
	cats := make([]string, 0, len(byCat))
	for c := range byCat {
		cats = append(cats, c)
	}
	slices.Sort(cats)
	p := &picker{c: c, apply: apply, checked: map[string]bool{}, cursor: -1}
	for _, c := range cats {
		total := 0
		types := byCat[c]
		slices.SortFunc(types, func(a, b pickerEntry) int { return strings.Compare(a.typ, b.typ) })
		for _, t := range types {
			total += t.count
		}
		p.entries = append(p.entries, pickerEntry{category: c, count: total})
		for _, t := range types {
			if p.cursor < 0 {
				p.cursor = len(p.entries)
			}
			p.entries = append(p.entries, t)
		}
	}
	for _, t := range chosen {
		p.checked[t] = true
	}
	return p
}

func (p *picker) Update(msg tea.Msg) (Component, tea.Cmd) {
	k := p.c.keys
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if d, ok := k.moveBy(msg, 10, len(p.entries)); ok {
			p.move(d)
			return p, nil
		}
		switch {
		case key.Matches(msg, k.Back), key.Matches(msg, k.Quit):
			return nil, nil
		case key.Matches(msg, k.Toggle):
			p.toggle()
		case key.Matches(msg, k.AllNone):
			p.allNone()
		case key.Matches(msg, k.Apply):
			return nil, p.apply(p.chosen())
		}
	case tea.MouseWheelMsg:
		p.move(wheelDelta(msg) / 3)
	}
	return p, nil
}

func (p *picker) ShortHelp() []key.Binding {
	k := p.c.keys
	return []key.Binding{k.Toggle, k.AllNone, k.Apply, withHelp(k.Back, "esc", "cancel")}
}

func (p *picker) move(delta int) {
	if p.cursor < 0 {
		return
	}
	p.cursor = skipHeadings(p.cursor, delta, len(p.entries), func(i int) bool { return p.entries[i].typ == "" })
}

// skipHeadings moves a cursor among n rows by delta, one row at a time
// over the rows heading says are headings, stopping at the last row it can
// reach: a list of sections where only the entries can be chosen.
func skipHeadings(cursor, delta, n int, heading func(int) bool) int {
	step := 1
	if delta < 0 {
		step = -1
	}
	for range abs(delta) {
		i := cursor + step
		for i >= 0 && i < n && heading(i) {
			i += step
		}
		if i < 0 || i >= n {
			break
		}
		cursor = i
	}
	return cursor
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func (p *picker) toggle() {
	if p.cursor < 0 {
		return
	}
	t := p.entries[p.cursor].typ
	p.checked[t] = !p.checked[t]
}

// allNone ticks every type, or none when all are ticked.
func (p *picker) allNone() {
	all := true
	for _, e := range p.entries {
		if e.typ != "" && !p.checked[e.typ] {
			all = false
		}
	}
	for _, e := range p.entries {
		if e.typ != "" {
			p.checked[e.typ] = !all
		}
	}
}

// chosen returns the ticked types, or nil for "show every type".
func (p *picker) chosen() []string {
	var out []string
	for _, e := range p.entries {
		if e.typ != "" && p.checked[e.typ] {
			out = append(out, e.typ)
		}
	}
	return out
}

// pickerMaxWidth keeps each count next to its type on wide terminals.
const pickerMaxWidth = 64

func (p *picker) Render(width, height int) string {
	s := p.c.styles
	width = min(width, pickerMaxWidth)
	lines := []string{s.DetailTitle.Render(fit("Event types in what is loaded", width))}
	if len(p.entries) == 0 {
		lines = append(lines, "", s.DetailMuted.Render(" Nothing is loaded yet."))
		return strings.Join(lines, "\n")
	}
	rows := max(height-1, 1)
	// Keep the cursor visible with its category heading when possible.
	top := 0
	if p.cursor >= rows {
		top = p.cursor - rows + 1
	}
	for i := top; i < len(p.entries) && len(lines) <= rows; i++ {
		e := p.entries[i]
		if e.typ == "" {
			lines = append(lines, s.PickerCategory.Render(fit(fmt.Sprintf("%s (%s)", e.category, commas(e.count)), width)))
			continue
		}
		box := "[ ]"
		if p.checked[e.typ] {
			box = "[x]"
		}
		count := commas(e.count)
		name := fit("  "+box+" "+sanitize.Display(e.typ), max(width-len(count)-1, 1))
		line := name + " " + count
		if i == p.cursor {
			line = s.PickerCursor.Render(line)
		} else {
			t, _ := model.LookupType(e.typ)
			line = "  " + box + " " + s.Category(t.Category).Render(strings.TrimPrefix(name, "  "+box+" ")) + " " + s.Status.Render(count)
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}
