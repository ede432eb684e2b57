package ui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/auditui/auditui/model"
)

// derivedState is what is computed from the list's result off the UI
// goroutine: the time histogram and, while the panel is open, the facets.
type derivedState struct {
	job     job
	hist    model.Histogram
	facets  model.FacetCounts
	counted int // rows in the list when the last refresh started
}

type derivedMsg struct {
	gen        int
	hist       model.Histogram
	facets     model.FacetCounts
	withFacets bool
	err        error
}

// histHeight is the strip's lines: bars, then times and the marker.
const histHeight = 2

// refreshDerived recomputes the histogram (and the facets while their panel
// is open) for the list's current result, superseding one in flight.
func (m *Model) refreshDerived() tea.Cmd {
	withFacets := isOpen[*facetsPanel](m)
	if !m.histFits() && !withFacets {
		return nil
	}
	ctx, gen := m.derived.job.start(m.ctx)
	m.derived.counted = m.list.Len()
	fi, loc := m.facetIdx, m.opts.Location
	indices := m.list.Indices()
	buckets := m.histBuckets()
	return func() tea.Msg {
		msg := derivedMsg{gen: gen, withFacets: withFacets}
		msg.hist, msg.err = fi.Histogram(ctx, indices, buckets, loc)
		if withFacets && msg.err == nil {
			msg.facets, msg.err = fi.Counts(ctx, indices)
		}
		return msg
	}
}

// refreshDerivedGrown refreshes what is derived after the list grew; while
// a fetch runs, only once it grew by an eighth since the last refresh, as a
// page at a time would count a million events ten thousand times.
func (m *Model) refreshDerivedGrown() tea.Cmd {
	if c := m.derived.counted; m.stream.job.running && !m.paused() && m.list.Len() < c+max(c/8, 1000) {
		return nil
	}
	return m.refreshDerived()
}

func (m *Model) onDerived(msg derivedMsg) tea.Cmd {
	if msg.err != nil || !m.derived.job.finish(msg.gen) {
		return nil
	}
	m.derived.hist = msg.hist
	if msg.withFacets {
		m.derived.facets = msg.facets
		if isOpen[*facetsPanel](m) {
			return m.updateTop(facetCountsMsg{&m.derived.facets})
		}
	}
	return nil
}

// histBuckets is how many bars fit the strip.
func (m *Model) histBuckets() int { return max(m.width-2, 1) }

var barLevels = []rune("▁▂▃▄▅▆▇█")

// renderHistogram draws the strip: one line of bars, each bucket as wide as
// the strip allows, the selected event's bar highlighted, and a line with
// the first and last times, a ▲ under the selected bar and the bar length.
func (m *Model) renderHistogram(w int) []string {
	st := m.styles
	h := m.derived.hist
	if h.Len() == 0 {
		return []string{padTo("", w), padTo(st.DetailMuted.Render(" no events to chart"), w)}
	}
	// Bucket b takes columns col(b) to col(b+1): the bars fill the strip
	// however many buckets the step gave.
	cols := max(w-2, h.Len())
	col := func(b int) int { return b * cols / h.Len() }
	sel := -1
	if i, ok := m.list.Selected(); ok {
		sel = h.Bucket(m.set.At(i).EffectiveAt)
	}
	bars := m.histogramBars(h, col, sel)
	// The axis: the ▲ first, then the labels wherever they do not collide.
	axis := []rune(strings.Repeat(" ", w))
	used := make([]bool, w)
	free := func(at, n int) bool {
		if at < 0 || at+n > w {
			return false
		}
		for k := max(at-1, 0); k < min(at+n+1, w); k++ {
			if used[k] {
				return false
			}
		}
		return true
	}
	put := func(at int, s string) {
		for k, r := range []rune(s) {
			axis[at+k], used[at+k] = r, true
		}
	}
	if at := 1 + (col(sel)+col(sel+1)-1)/2; sel >= 0 && at < w {
		put(at, "▲")
	}
	loc := m.opts.Location
	first := formatBucketTime(h.Start, h.Step, loc)
	_, end := h.Bounds(h.Len() - 1)
	if now := m.opts.Now(); end.After(now) && !h.Start.After(now) {
		end = now // the last bucket runs on past now: label the edge with now, not tomorrow
	}
	last := formatBucketTime(end, h.Step, loc)
	mid := fmt.Sprintf("1 bar = %s · max %s · Z zooms", formatStep(h.Step), commas(h.Max))
	span := max(1+cols, len([]rune(first))+len([]rune(last))+4)
	for at := 1; at < w; at++ {
		if free(at, len([]rune(first))) {
			put(at, first)
			break
		}
	}
	for at := min(span, w) - len([]rune(last)); at > 0; at-- {
		if free(at, len([]rune(last))) {
			put(at, last)
			break
		}
	}
	if n := len([]rune(mid)); w-n > 0 {
		for _, at := range []int{(span - n) / 2, (w - n) / 2} {
			if free(at, n) {
				put(at, mid)
				break
			}
		}
	}
	return []string{padTo(bars, w), padTo(st.Status.Render(string(axis)), w)}
}

// histogramBars draws bucket b over columns col(b) to col(b+1), the selected
// bucket sel highlighted.
func (m *Model) histogramBars(h model.Histogram, col func(int) int, sel int) string {
	st := m.styles
	// The bars before and after the selected one are styled as one run each:
	// a style's Render per bar was most of a frame.
	var run strings.Builder
	var bars strings.Builder
	bars.WriteByte(' ')
	plain := st.HeaderValue.UnsetBold()
	for b, c := range h.Counts {
		r := ' '
		if c > 0 {
			r = barLevels[min((c*len(barLevels)-1)/max(h.Max, 1), len(barLevels)-1)]
		}
		if b == sel {
			bars.WriteString(plain.Render(run.String()))
			run.Reset()
		}
		for range col(b+1) - col(b) {
			run.WriteRune(r)
		}
		if b == sel {
			bars.WriteString(st.Match.Render(run.String()))
			run.Reset()
		}
	}
	bars.WriteString(plain.Render(run.String()))
	return bars.String()
}

// formatBucketTime shows a bucket boundary as precisely as its step
// (seconds) needs.
func formatBucketTime(t time.Time, step int64, loc *time.Location) string {
	if loc == nil {
		loc = time.Local
	}
	t = t.In(loc)
	if step >= 24*3600 {
		return t.Format("2006-01-02")
	}
	return t.Format("Jan 02 15:04")
}

// formatStep says a bucket's length (seconds) in words: "5 min", "1 h", "2 days".
func formatStep(secs int64) string {
	switch {
	case secs >= 24*3600:
		n := secs / (24 * 3600)
		if n == 1 {
			return "1 day"
		}
		return fmt.Sprintf("%d days", n)
	case secs >= 3600:
		return fmt.Sprintf("%d h", secs/3600)
	}
	return fmt.Sprintf("%d min", secs/60)
}
