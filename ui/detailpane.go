package ui

import "charm.land/bubbles/v2/viewport"

// detailPane is the selected event's detail beside or below the list: its
// lines in a viewport that keeps the scroll offset, and what they were drawn
// for. Update brings it up to date (syncDetail); View only draws it.
type detailPane struct {
	key detailKey
	vp  viewport.Model
}

// detailKey is everything the pane's lines depend on.
type detailKey struct {
	event  int
	width  int
	height int
	raw    bool
	minute int64
	dark   bool
	loaded int // events loaded and histories fetched: befores read them
	hist   int
}

// scroll moves the pane by delta lines, within its text.
func (p *detailPane) scroll(delta int) {
	if delta < 0 {
		p.vp.ScrollUp(-delta)
	} else {
		p.vp.ScrollDown(delta)
	}
}

// syncDetail redraws the detail pane's lines when the selected event, the
// pane's size or the display changed; a new event or raw toggle starts at
// the top.
func (m *Model) syncDetail() {
	s := m.layout()
	i, ok := m.list.Selected()
	if !ok || s.detail.h <= 0 {
		return
	}
	v := m.common.detailView(m.raw)
	k := detailKey{event: i, width: s.detail.w, height: s.detail.h, raw: v.raw, minute: v.now.Unix() / 60, dark: m.styles.IsDark,
		loaded: m.set.Len(), hist: m.common.hist.version}
	p := &m.detail
	if p.key == k && p.vp.TotalLineCount() > 0 {
		return
	}
	top := p.key.event != i || p.key.raw != v.raw
	p.key = k
	lines := renderDetail(m.styles, m.set.At(i), s.detail.w-1, v)
	for j := range lines {
		lines[j] = " " + lines[j]
	}
	p.vp.SetWidth(s.detail.w)
	p.vp.SetHeight(s.detail.h)
	p.vp.SetContentLines(lines)
	if top {
		p.vp.GotoTop()
	}
}
