package ui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/query"
	"github.com/auditui/auditui/model/sanitize"
)

// facetsPanel lists the most frequent values of each facet of the current
// result; enter narrows the query to one, - excludes it. The counts come in
// a facetCountsMsg while the panel is open.
type facetsPanel struct {
	loadedOnly func() string // " · of N loaded; more on the server", or ""
	c          *common
	// narrow puts the value in force (or its negation) and reports whether
	// it could; the panel stays open on a query error.
	narrow   func(k query.Key, value string, negated bool) (tea.Cmd, bool)
	events   func() int // how many events the list shows
	counts   *model.FacetCounts
	expanded map[model.Facet]bool // sections showing every value, not the top 8
	rows     []facetRow
	cursor   int // index into rows, on a value or fold row when there is one
	ready    bool
	off      [2]int   // per column, the first row drawn, kept so the view does not jump
	hit      [][2]int // per body line drawn (below the title), the row in each column (-1: none)
	splitX   int      // where the second column starts on screen; 0 with one column
}

// facetCountsMsg carries newly computed counts to an open facets panel.
type facetCountsMsg struct{ counts *model.FacetCounts }

type facetRow struct {
	facet   model.Facet
	heading bool
	total   int // heading: distinct values
	value   model.FacetValue
	share   float64 // of the result, for the bar
	// fold is the line under a section of more than 8 values: "N more"
	// (hidden > 0) expands it, "top 8 only" (hidden 0) folds it again.
	fold   bool
	hidden int
}

// facetValuesShown is how many values of a folded section the panel lists.
const facetValuesShown = 8

// facetKeys are the query keys the facets filter by.
var facetKeys = map[model.Facet]query.Key{
	model.FacetCategory: query.KeyCategory,
	model.FacetType:     query.KeyType,
	model.FacetActor:    query.KeyActor,
	model.FacetProject:  query.KeyProject,
	model.FacetIP:       query.KeyIP,
	model.FacetCountry:  query.KeyCountry,
}

// fill rebuilds the rows from counts, keeping the cursor on the same value
// (or the same section's fold line) when it is still there.
func (p *facetsPanel) fill(c *model.FacetCounts) {
	p.counts = c
	var was facetRow
	if p.cursor < len(p.rows) {
		was = p.rows[p.cursor]
	}
	total := 0
	for _, v := range c.Of(model.FacetType) {
		total += v.Count
	}
	p.rows = p.rows[:0]
	p.cursor = -1
	for _, f := range model.Facets {
		vals := c.Of(f)
		p.rows = append(p.rows, facetRow{facet: f, heading: true, total: len(vals)})
		shown := len(vals)
		if !p.expanded[f] {
			shown = min(shown, facetValuesShown)
		}
		for _, v := range vals[:shown] {
			if p.cursor < 0 || (v.Value == was.value.Value && f == was.facet && !was.heading && !was.fold) {
				p.cursor = len(p.rows)
			}
			p.rows = append(p.rows, facetRow{facet: f, value: v, share: float64(v.Count) / float64(max(total, 1))})
		}
		if len(vals) > facetValuesShown {
			if was.fold && was.facet == f {
				p.cursor = len(p.rows)
			}
			p.rows = append(p.rows, facetRow{facet: f, fold: true, hidden: len(vals) - shown})
		}
	}
	p.cursor = max(p.cursor, 0)
	p.ready = true
}

func (p *facetsPanel) move(delta int) {
	p.cursor = skipHeadings(p.cursor, delta, len(p.rows), func(i int) bool { return p.rows[i].heading })
}

// toSection puts the cursor on the first line of the next section (by
// steps of dir) that has one and is wanted.
func (p *facetsPanel) toSection(dir int, wanted func(model.Facet) bool) {
	n := len(model.Facets)
	from := 0
	if p.cursor < len(p.rows) {
		from = slices.Index(model.Facets, p.rows[p.cursor].facet)
	}
	for k := 1; k <= n; k++ {
		f := model.Facets[((from+dir*k)%n+n)%n]
		if !wanted(f) {
			continue
		}
		for i, r := range p.rows {
			if r.facet == f && !r.heading {
				p.cursor = i
				return
			}
		}
	}
}

// toggle expands or folds the cursor's section; folded, the cursor goes to
// the fold line when the value it was on is folded away.
func (p *facetsPanel) toggle() {
	if !p.ready || p.cursor >= len(p.rows) {
		return
	}
	at, r := p.cursor, p.rows[p.cursor]
	p.expanded[r.facet] = !p.expanded[r.facet]
	if !p.expanded[r.facet] {
		p.rows[p.cursor] = facetRow{facet: r.facet, fold: true}
	}
	p.fill(p.counts)
	if p.expanded[r.facet] && r.fold {
		p.cursor = at // the first value it shows, where the "N more" line was
	}
}

func newFacetsPanel(c *common, events func() int, narrow func(query.Key, string, bool) (tea.Cmd, bool)) *facetsPanel {
	return &facetsPanel{c: c, events: events, narrow: narrow, expanded: map[model.Facet]bool{}}
}

// counted says what the counts cover when that is not everything there is:
// the loaded events only, while more wait on the server.
func (p *facetsPanel) counted() string {
	if p.loadedOnly == nil {
		return ""
	}
	return p.loadedOnly()
}

func (p *facetsPanel) Update(msg tea.Msg) (Component, tea.Cmd) {
	k := p.c.keys
	switch msg := msg.(type) {
	case facetCountsMsg:
		p.fill(msg.counts)
	case tea.MouseWheelMsg:
		p.move(wheelDelta(msg) / 3)
	case tea.MouseClickMsg:
		p.click(msg.Mouse())
	case tea.KeyPressMsg:
		if d, ok := k.moveBy(msg, 10, len(p.rows)); ok {
			p.move(d)
			return p, nil
		}
		return p.onKey(msg)
	}
	return p, nil
}

func (p *facetsPanel) onKey(msg tea.KeyPressMsg) (Component, tea.Cmd) {
	k := p.c.keys
	switch {
	case key.Matches(msg, k.NextSection), key.Matches(msg, k.PrevSection):
		dir := 1
		if key.Matches(msg, k.PrevSection) {
			dir = -1
		}
		p.toSection(dir, func(model.Facet) bool { return true })
	case key.Matches(msg, k.SectionJump):
		p.toSection(1, func(f model.Facet) bool { return strings.HasPrefix(f.String(), msg.String()) })
	case key.Matches(msg, k.Expand):
		p.toggle()
	case key.Matches(msg, k.Back), key.Matches(msg, k.Quit):
		return nil, nil
	case key.Matches(msg, k.Apply), key.Matches(msg, k.Exclude):
		if !p.ready || p.cursor >= len(p.rows) || p.rows[p.cursor].heading {
			return p, nil
		}
		r := p.rows[p.cursor]
		if r.fold {
			if key.Matches(msg, k.Apply) {
				p.toggle()
			}
			return p, nil
		}
		if cmd, ok := p.narrow(facetKeys[r.facet], r.value.Value, key.Matches(msg, k.Exclude)); ok {
			return nil, cmd
		}
	}
	return p, nil
}

// click selects the line under a left click; on a fold line it expands or
// folds the section. The panel is drawn from the line under the header, its
// title first.
func (p *facetsPanel) click(m tea.Mouse) {
	line := m.Y - 2
	if m.Button != tea.MouseLeft || line < 0 || line >= len(p.hit) {
		return
	}
	col := 0
	if p.splitX > 0 && m.X >= p.splitX {
		col = 1
	}
	i := p.hit[line][col]
	if i < 0 || i >= len(p.rows) || p.rows[i].heading {
		return
	}
	p.cursor = i
	if p.rows[i].fold {
		p.toggle()
	}
}

func (p *facetsPanel) ShortHelp() []key.Binding {
	k := p.c.keys
	return []key.Binding{withHelp(k.Down, "↑/↓", "move"), withHelp(k.NextSection, "tab", "section"),
		withHelp(k.Apply, "enter", "narrow to it"), k.Exclude, k.Expand, withHelp(k.Back, "esc", "close")}
}

// Render draws the panel in the body: a title, then per facet a heading
// and its most frequent values with counts and a bar.
func (p *facetsPanel) Render(w, h int) string {
	st := p.c.styles
	title := st.PickerCategory.Render(" Facets of "+commas(p.events())+" events") +
		st.Status.Render(p.counted()+" · enter narrows to a value · - excludes it · tab: next section · esc closes")
	lines := []string{padTo(title, w)}
	if !p.ready {
		p.hit = nil
		return strings.Join(append(lines, st.DetailMuted.Render(" counting…")), "\n")
	}
	rows := max(h-1, 1)
	cols := [][2]int{{0, len(p.rows)}}
	cw := w
	p.splitX = 0
	if w >= facetsTwoColumnsWidth {
		half := p.halfway()
		cols = [][2]int{{0, half}, {half, len(p.rows)}}
		cw = (w - 3) / 2
		p.splitX = cw + 3
	}
	p.hit = p.hit[:0]
	for j := range rows {
		var parts []string
		hit, drawn := [2]int{-1, -1}, false
		for c, span := range cols {
			if j == 0 {
				p.off[c] = p.scrolled(p.off[c], rows, span[0], span[1])
			}
			line := strings.Repeat(" ", cw)
			if i := span[0] + p.off[c] + j; i < span[1] {
				line, hit[c], drawn = p.renderRow(i, cw), i, true
				if j == 0 && !p.rows[i].heading {
					// The section's heading stays on top while its values scroll under it.
					h := i
					for h > 0 && !p.rows[h].heading {
						h--
					}
					line, hit[c] = p.renderRow(h, cw), -1
				}
			}
			parts = append(parts, line)
		}
		if !drawn {
			break
		}
		lines = append(lines, strings.Join(parts, st.Status.Render(" │ ")))
		p.hit = append(p.hit, hit)
	}
	return strings.Join(lines, "\n")
}

// facetsTwoColumnsWidth is the least width the sections are drawn at in two
// columns side by side.
const facetsTwoColumnsWidth = 220

// halfway is the first row of the section that starts the second column:
// the section boundary that leaves the two columns nearest in length.
func (p *facetsPanel) halfway() int {
	best := len(p.rows)
	for i, r := range p.rows {
		if r.heading && abs(len(p.rows)-2*i) < abs(len(p.rows)-2*best) {
			best = i
		}
	}
	return best
}

// scrolled is the offset into rows [from, to) to draw rows lines of, moved
// from off only as far as keeps the cursor, and a line above it, in view
// when it is in them: the top line can show the section's heading.
func (p *facetsPanel) scrolled(off, rows, from, to int) int {
	if c := p.cursor; c >= from && c < to {
		if c > from {
			c-- // the line above it: its heading, or the heading drawn over it
		}
		off = min(off, c-from)
		if p.cursor-from >= off+rows {
			off = p.cursor - from - rows + 1
		}
	}
	return max(min(off, to-from-rows), 0)
}

// renderRow draws row i w cells wide: a heading, a value with its count and
// bar, or a section's fold line.
func (p *facetsPanel) renderRow(i, w int) string {
	st := p.c.styles
	r := p.rows[i]
	if r.heading {
		more := ""
		if r.total > facetValuesShown {
			more = fmt.Sprintf(" (%s values)", commas(r.total))
		} else if r.total == 0 {
			more = " (none)"
		}
		return padTo(" "+st.PickerCategory.Render(r.facet.String())+st.Status.Render(more), w)
	}
	if r.fold {
		text := "▾ " + commas(r.hidden) + " more (enter or + shows them)"
		if r.hidden == 0 {
			text = fmt.Sprintf("▴ top %d only (enter or +)", facetValuesShown)
		}
		if i == p.cursor {
			return st.PickerCursor.Render(padTo(" ▸ "+text, w))
		}
		return padTo("   "+st.Status.Render(text), w)
	}
	labelW := min(max(w/2, 16), 48)
	countW := 9
	barW := max(w-labelW-countW-6, 0)
	label := r.value.Value
	if r.value.Label != "" && r.value.Label != r.value.Value {
		label += " (" + r.value.Label + ")"
	}
	label = cut(sanitize.Display(label), labelW)
	label += strings.Repeat(" ", max(labelW-ansi.StringWidth(label), 0))
	count := fmt.Sprintf("%*s", countW, commas(r.value.Count))
	bar := strings.Repeat("█", int(r.share*float64(barW)+0.5))
	if bar == "" && r.value.Count > 0 && barW > 0 {
		bar = "▏"
	}
	if i == p.cursor {
		return st.PickerCursor.Render(padTo(" ▸ "+label+" "+count+"  "+bar, w))
	}
	return padTo("   "+label+" "+st.Status.Render(count)+"  "+st.HeaderValue.UnsetBold().Render(bar), w)
}
