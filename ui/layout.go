package ui

// Minimum size the browser draws in; below it the screen says so.
const (
	minWidth  = 40
	minHeight = 8
	// sideBySideWidth is where the detail pane moves beside the list.
	sideBySideWidth = 140
	// stackedHeight is the least height that fits the detail below the list.
	stackedHeight = 18
)

type rect struct{ x, y, w, h int }

func (r rect) contains(x, y int) bool {
	return r.w > 0 && r.h > 0 && x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h
}

// screen is where everything goes for the current size: one header line,
// the body (list and detail), the status line and the help line.
type screen struct {
	tooSmall bool
	header   rect     // two lines while the query bar is open
	hist     rect     // the time histogram strip; zero when it does not fit
	list     rect     // includes the column-title line
	detail   rect     // zero when hidden; excludes its separator
	sideBy   bool     // detail beside the list rather than below
	errLines []string // the last error, wrapped above the status line
	status   rect
	help     rect
}

// maxErrorLines is how much of the screen an error sentence may take.
const maxErrorLines = 3

func (m *Model) layout() screen {
	w, h := m.width, m.height
	if w < minWidth || h < minHeight {
		return screen{tooSmall: true}
	}
	s := screen{
		header: rect{0, 0, w, 1},
		status: rect{0, h - 2, w, 1},
		help:   rect{0, h - 1, w, 1},
	}
	if m.stream.err != nil && h >= minHeight+2 {
		then := " Press R to retry from the last event loaded."
		if !m.stream.canRetry() {
			then = " Press : to change the query."
		}
		s.errLines = wrapValue("⚠ "+m.stream.err.Error()+then, w)
		if len(s.errLines) > maxErrorLines {
			s.errLines = s.errLines[:maxErrorLines]
			s.errLines[maxErrorLines-1] = cut(s.errLines[maxErrorLines-1]+" …", w)
		}
	}
	body := rect{0, 1, w, h - 3 - len(s.errLines)}
	if n := m.headerLines(); n > 1 {
		s.header.h = n
		body.y, body.h = body.y+n-1, body.h-(n-1)
	}
	if m.histFits() {
		s.hist = rect{0, body.y, w, histHeight}
		body.y, body.h = body.y+histHeight, body.h-histHeight
	}
	switch {
	case !m.showDetail:
		s.list = body
	case w >= sideBySideWidth:
		lw := w * 55 / 100
		s.sideBy = true
		s.list = rect{0, body.y, lw, body.h}
		s.detail = rect{lw + 1, body.y, w - lw - 1, body.h} // one column of separator
	case body.h >= stackedHeight:
		lh := max(body.h*45/100, 5)
		s.list = rect{0, body.y, w, lh}
		s.detail = rect{0, body.y + lh + 1, w, body.h - lh - 1} // one line of separator
	default:
		// Short and narrow: the detail replaces the list while shown.
		if m.focus == focusDetail {
			s.detail = body
		} else {
			s.list = body
		}
	}
	return s
}

// histMinHeight is the least terminal height that keeps the histogram strip.
const histMinHeight = 16

// histFits reports whether the histogram strip is drawn at this size.
func (m *Model) histFits() bool {
	return m.height >= histMinHeight && m.width >= minWidth
}

// resize sizes the children after the terminal or the layout changed, the
// components included: one drawn in the header gets its lines, the others
// the body (histogram, list and detail together).
func (m *Model) resize() {
	s := m.layout()
	m.list.SetHeight(max(s.list.h-1, 1))
	m.help.SetWidth(m.width)
	m.input.SetWidth(max(m.width-len(m.input.Prompt)-24, 10))
	for i, c := range m.stack {
		size := sizeMsg{m.width, max(m.height-3-len(s.errLines), 1)}
		if h, ok := c.(headerComponent); ok {
			size.height = h.HeaderLines()
		}
		if next, _ := c.Update(size); next != nil {
			m.stack[i] = next
		}
	}
}

// detailVisible reports whether the detail pane is shown or can be tabbed
// to at this size.
func (m *Model) detailVisible() bool {
	return m.showDetail && !m.layout().tooSmall
}

func (m *Model) detailHeight() int { return m.layout().detail.h }
