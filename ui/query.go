package ui

import (
	"context"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/query"
	"github.com/auditui/auditui/model/sanitize"
)

// queryState is the query in force (the last good one typed or picked) and
// what the query bar holds while it is edited.
type queryState struct {
	// anchor is what relative times ("7d") count back from: when the browser
	// opened, so that re-applying a query does not move its time range and
	// start a new fetch.
	anchor time.Time
	text   string // in force, as written
	plan   query.Plan
	all    bool // the query selects every event: nothing to check here
	gen    int  // bumped whenever the plan changes
	// earlier are the queries in force before, oldest first, for u to go
	// back to: a zoom, a pivot or a facet is one key away from undone.
	earlier []string
}

// scopeResult is which loaded events the query in force selects, among the
// first scanned; it is extended as pages arrive and dropped when the plan
// changes.
type scopeResult struct {
	gen     int
	indices []int32
	scanned int
}

// extend brings r up to the first n events of set for plan (of generation
// gen), scanning only the events it has not seen.
func (r scopeResult) extend(ctx context.Context, set *model.Set, plan query.Plan, gen, n int) (scopeResult, error) {
	if r.gen != gen || r.scanned > n {
		r = scopeResult{gen: gen}
	}
	add, err := set.Scan(ctx, r.scanned, n, plan.Match)
	if err != nil {
		return r, err
	}
	// Clip so that appending never writes into an array an older result shares.
	out := append(slices.Clip(r.indices), add...)
	if out == nil {
		out = []int32{}
	}
	return scopeResult{gen: gen, indices: out, scanned: n}, nil
}

// intersect returns the indices in both ascending lists; nil stands for all.
func intersect(a, b []int32) []int32 {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	out := make([]int32, 0, min(len(a), len(b)))
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			out = append(out, a[i])
			i, j = i+1, j+1
		}
	}
	return out
}

// initQuery puts the query the browser was opened with in force. A query
// that does not parse (the command line checks it first) is shown as a
// notice and nothing is filtered.
func (m *Model) initQuery() {
	m.query.anchor = m.opts.Now()
	m.query.all = true
	m.server = m.opts.Query
	m.server.After = ""
	if m.opts.QueryText == "" {
		return
	}
	q, err := query.Parse(m.opts.QueryText, m.query.anchor)
	if err != nil {
		m.notice = "query not used: " + err.Error()
		return
	}
	m.query.text = strings.TrimSpace(m.opts.QueryText)
	m.query.plan = query.Compile(q, m.query.anchor)
	m.query.all = q.IsZero()
	m.query.gen++
	m.server.Filter = m.serverFilter(m.query.plan)
}

// serverFilter is what the API is asked for plan: its server part, with
// --tenant-only kept from the options.
func (m *Model) serverFilter(p query.Plan) model.Filter {
	f := p.Server
	f.TenantOnly = f.TenantOnly || m.opts.Query.Filter.TenantOnly
	return f
}

// applyQuery puts text in force: a new fetch when the API must be asked for
// other events (the loaded ones that match show at once), else only the
// loaded events are filtered again.
func (m *Model) applyQuery(text string) tea.Cmd {
	before := m.query.text
	cmd := m.putInForce(text)
	if m.queryErr == "" && m.query.text != before {
		if len(m.query.earlier) == maxEarlier {
			m.query.earlier = m.query.earlier[1:]
		}
		m.query.earlier = append(m.query.earlier, before)
	}
	return cmd
}

// applyFromBar is applyQuery for a query typed in the bar, which the
// bar's history then keeps.
func (m *Model) applyFromBar(text string) tea.Cmd {
	cmd := m.applyQuery(text)
	if m.queryErr != "" {
		return cmd
	}
	return tea.Batch(cmd, m.recent.add(text))
}

// maxEarlier is how many queries u can go back through.
const maxEarlier = 100

// previousQuery puts the query in force before the last change back.
func (m *Model) previousQuery() tea.Cmd {
	n := len(m.query.earlier)
	if n == 0 {
		m.notice = "no earlier query"
		return nil
	}
	text := m.query.earlier[n-1]
	m.query.earlier = m.query.earlier[:n-1]
	cmd := m.putInForce(text)
	if m.queryErr == "" {
		m.notice = "back to the previous query"
		if text == "" {
			m.notice = "back to no query"
		}
	}
	return cmd
}

// putInForce is applyQuery without remembering the query it replaces.
func (m *Model) putInForce(text string) tea.Cmd {
	text = strings.TrimSpace(text)
	q, err := query.Parse(text, m.query.anchor)
	if err != nil {
		m.notice = ""
		m.queryErr = sanitize.OneLine(err.Error())
		return nil
	}
	m.queryErr = ""
	plan := query.Compile(q, m.query.anchor)
	serverChanged := !query.Plan{Server: m.serverFilter(plan)}.SameServer(query.Plan{Server: m.server.Filter})
	m.query.text, m.query.plan, m.query.all = text, plan, q.IsZero()
	m.query.gen++
	var cmds []tea.Cmd
	if serverChanged {
		cmds = append(cmds, m.restartFetch())
	}
	cmds = append(cmds, m.refilter())
	return tea.Batch(cmds...)
}

// restartFetch asks the API for the events of the query in force; pages
// of the old query still in flight are dropped.
func (m *Model) restartFetch() tea.Cmd {
	if m.opts.Source == nil {
		return nil
	}
	m.server.Filter = m.serverFilter(m.query.plan)
	m.server.After = ""
	return m.stream.restart(m.server)
}

// refilter recomputes the list for the query in force and the filter box.
func (m *Model) refilter() tea.Cmd {
	m.filter.job.stop()
	m.filter.job.gen++ // a result still on its way no longer counts
	if !m.filtering() {
		m.result = model.Result{}
		m.filter.scanned = m.set.Len()
		m.list.ShowAll(m.set.Len())
		return m.refreshDerived()
	}
	return m.refine()
}

// filtering reports whether the list is not simply every loaded event in
// the order loaded: a filter, a query or pages of several queries.
func (m *Model) filtering() bool {
	return !m.matcher.IsEmpty() || !m.query.all || !m.facetIdx.NewestFirst() ||
		len(m.tenant.hidden(m.server.Filter)) > 0
}

// narrowTo puts key:value (or its negation) in force; see query.NarrowTo.
func (m *Model) narrowTo(k query.Key, value string, negated bool) tea.Cmd {
	return m.applyQuery(query.NarrowTo(m.query.text, m.query.anchor, k, value, negated))
}

// pivot narrows the query to event e's actor, IP, project, resource or
// type, reporting whether the event has one.
func (m *Model) pivot(k query.Key, e *model.Event) (tea.Cmd, bool) {
	var v, what string
	switch k {
	case query.KeyActor:
		v, what = e.Actor.Label(), "actor"
	case query.KeyIP:
		v, what = e.Actor.IP(), "IP address"
	case query.KeyProject:
		v, what = e.Project.ID, "project"
	case query.KeyResource:
		if ids := e.ResourceIDs(); len(ids) > 0 {
			v = ids[0]
		}
		what = "resource id"
	case query.KeyType:
		v, what = e.Type, "type"
	}
	if v == "" {
		m.notice = "this event has no " + what
		return nil, false
	}
	cmd := m.narrowTo(k, v, false)
	if m.queryErr == "" {
		m.notice = "query narrowed to this " + what
	}
	return cmd, true
}

// zoom narrows the time range to the histogram bar of the selected event.
func (m *Model) zoom() tea.Cmd {
	i, ok := m.list.Selected()
	h := m.derived.hist
	if !ok || h.Len() == 0 {
		m.notice = "nothing to zoom into"
		return nil
	}
	b := h.Bucket(m.set.At(i).EffectiveAt)
	if b < 0 {
		m.notice = "the selected event is outside the histogram"
		return nil
	}
	from, to := h.Bounds(b)
	cmd := m.applyQuery(query.Zoom(m.query.text, m.query.anchor, from, to))
	if m.queryErr == "" {
		m.notice = "zoomed to " + formatBucketTime(from, h.Step, m.opts.Location) + " – " + formatBucketTime(to, h.Step, m.opts.Location)
	}
	return cmd
}

// renderQueryText draws the query in force for the header: terms the API
// filters in the value style, those checked here in the local one.
func (m *Model) renderQueryText() string {
	st := m.styles
	var parts []string
	for _, t := range m.query.plan.Terms {
		s := sanitize.Display(t.Term.String())
		if t.Where == query.Locally {
			parts = append(parts, st.Match.UnsetUnderline().Render(s))
		} else {
			parts = append(parts, st.HeaderValue.Render(s))
		}
	}
	return strings.Join(parts, " ")
}
