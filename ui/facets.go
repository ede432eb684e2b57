package ui

import (
	"fmt"
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
	narrow func(k query.Key, value string, negated bool) (tea.Cmd, bool)
	events func() int // how many events the list shows
	rows   []facetRow
	cursor int // index into rows, on a value row when there is one
	ready  bool
}

// facetCountsMsg carries newly computed counts to an open facets panel.
type facetCountsMsg struct{ counts *model.FacetCounts }

type facetRow struct {
	facet   model.Facet
	heading bool
	total   int // heading: distinct values
	value   model.FacetValue
	share   float64 // of the result, for the bar
}

// facetValuesShown is how many values of a facet the panel lists.
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
// when it is still there.
func (p *facetsPanel) fill(c *model.FacetCounts) {
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
		for _, v := range vals[:min(len(vals), facetValuesShown)] {
			if p.cursor < 0 || (v.Value == was.value.Value && f == was.facet && !was.heading) {
				p.cursor = len(p.rows)
			}
			p.rows = append(p.rows, facetRow{facet: f, value: v, share: float64(v.Count) / float64(max(total, 1))})
		}
	}
	p.cursor = max(p.cursor, 0)
	p.ready = true
}

func (p *facetsPanel) move(delta int) {
	p.cursor = skipHeadings(p.cursor, delta, len(p.rows), func(i int) bool { return p.rows[i].heading })
}

func newFacetsPanel(c *common, events func() int, narrow func(query.Key, string, bool) (tea.Cmd, bool)) *facetsPanel {
	return &facetsPanel{c: c, events: events, narrow: narrow}
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
	case tea.KeyPressMsg:
		if d, ok := k.moveBy(msg, 10, len(p.rows)); ok {
			p.move(d)
			return p, nil
		}
		switch {
		case key.Matches(msg, k.Back), key.Matches(msg, k.Facets), key.Matches(msg, k.Quit):
			return nil, nil
		case key.Matches(msg, k.Apply), key.Matches(msg, k.Exclude):
			if !p.ready || p.cursor >= len(p.rows) || p.rows[p.cursor].heading {
				return p, nil
			}
			r := p.rows[p.cursor]
			if cmd, ok := p.narrow(facetKeys[r.facet], r.value.Value, key.Matches(msg, k.Exclude)); ok {
				return nil, cmd
			}
		}
	}
	return p, nil
}

func (p *facetsPanel) ShortHelp() []key.Binding {
	k := p.c.keys
	return []key.Binding{withHelp(k.Down, "↑/↓", "move"), withHelp(k.Apply, "enter", "narrow to it"), k.Exclude, withHelp(k.Back, "esc", "close")}
}

// Render draws the panel in the body: a title, then per facet a heading
// and its most frequent values with counts and a bar.
func (p *facetsPanel) Render(w, h int) string {
	st := p.c.styles
	title := st.PickerCategory.Render(" Facets of "+commas(p.events())+" events") +
		st.Status.Render(p.counted()+" · enter narrows the query to a value · - excludes it · esc closes")
	lines := []string{padTo(title, w)}
	if !p.ready {
		return strings.Join(append(lines, st.DetailMuted.Render(" counting…")), "\n")
	}
	labelW := min(max(w/2, 16), 48)
	countW := 9
	barW := max(w-labelW-countW-6, 0)
	var body []string
	cursorLine := 0
	for i, r := range p.rows {
		if r.heading {
			name := r.facet.String()
			more := ""
			if r.total > facetValuesShown {
				more = fmt.Sprintf(" (top %d of %s)", facetValuesShown, commas(r.total))
			} else if r.total == 0 {
				more = " (none)"
			}
			body = append(body, padTo(" "+st.PickerCategory.Render(name)+st.Status.Render(more), w))
			continue
		}
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
		line := " ▸ " + label + " " + count + "  " + bar
		if i == p.cursor {
			cursorLine = len(body)
			line = st.PickerCursor.Render(padTo(line, w))
		} else {
			line = "   " + label + " " + st.Status.Render(count) + "  " + st.HeaderValue.UnsetBold().Render(bar)
		}
		body = append(body, padTo(line, w))
	}
	rows := max(h-1, 1)
	off := 0
	if cursorLine >= rows {
		off = cursorLine - rows + 1
	}
	end := min(off+rows, len(body))
	return strings.Join(append(lines, body[off:end]...), "\n")
}
