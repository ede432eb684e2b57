package ui

import (
	"github.com/auditui/auditui/model"
)

// columnID is one of the list's columns.
type columnID uint8

const (
	columnTime columnID = iota
	columnType
	columnActor
	columnIP
	columnProject
	columnSummary
	numColumns
)

// columnSpec is how a column is named, measured and given up.
type columnSpec struct {
	name  string // in the config file and the chooser
	title string
	about string // what the chooser says it shows
	// min is the narrowest the column is drawn; cap bounds what its
	// content may claim (0: the summary, which takes the rest).
	min, cap int
	// drop orders the columns given up on a narrow screen: lower first.
	// soft ones go while the others' content and a summary sentence do not fit.
	drop int
	soft bool
}

var columnSpecs = [numColumns]columnSpec{
	columnTime:    {name: "time", title: "TIME", about: "when it happened (z: local, UTC, ago)", drop: 4},
	columnType:    {name: "type", title: "TYPE", about: "the event type", min: 10, cap: 40, drop: 5},
	columnActor:   {name: "actor", title: "ACTOR", about: "who: an email, or a key or service account id", min: 8, cap: 32, drop: 3},
	columnIP:      {name: "ip", title: "IP", about: "the session's IP address and, when the log says, its country", min: 8, cap: 28, drop: 1, soft: true},
	columnProject: {name: "project", title: "PROJECT", about: "the project's name, or its id", min: 6, cap: 24, drop: 0, soft: true},
	columnSummary: {name: "summary", title: "SUMMARY", about: "what happened, in a sentence", min: 12, drop: 2},
}

// summaryNeed is a summary sentence ("changed the role of user bob from
// reader to owner"): the IP and project give way before it is cut shorter.
const summaryNeed = 50

// defaultColumns are the columns a fresh start shows, in order.
var defaultColumns = []columnID{columnTime, columnType, columnActor, columnIP, columnProject, columnSummary}

// contentWidths counts how wide the loaded values of each column are
// (capped), brought up to date as events are loaded (the set only grows),
// so widths change when the loaded set does and never while scrolling.
type contentWidths struct {
	n    int // events measured
	hist [numColumns][maxColumnCap + 1]int32
}

// maxColumnCap is the largest cap of a measured column.
const maxColumnCap = 40

// measured are the columns whose values are counted.
var measured = [...]columnID{columnType, columnActor, columnIP, columnProject}

// catchUp measures the events loaded since the last call.
func (c *contentWidths) catchUp(set *model.Set) {
	for ; c.n < set.Len(); c.n++ {
		e := set.At(c.n)
		for _, id := range measured {
			w := 0
			if ip, country := e.Actor.IP(), e.Actor.Country(); id == columnIP && ip != "" && country != "" {
				w = measure(ip) + 1 + measure(country) // as columnValue joins them, without the copy
			} else {
				w = measure(columnValue(e, id))
			}
			c.hist[id][min(w, columnSpecs[id].cap)]++
		}
	}
}

// widest is the widest value of column id; typical the width nine in ten
// values fit in, which a column is given before the others grow past it.
func (c *contentWidths) widest(id columnID) int {
	for w := maxColumnCap; w > 0; w-- {
		if c.hist[id][w] > 0 {
			return w
		}
	}
	return 0
}

func (c *contentWidths) typical(id columnID) int {
	sum := 0
	for w, k := range c.hist[id] {
		if sum += int(k); sum*10 >= c.n*9 {
			return w
		}
	}
	return 0
}

// measure is the drawn width of a value, sanitised as a cell draws it.
func measure(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] < 0x20 {
			return cellWidth(cellText(s))
		}
	}
	return len(s)
}

// columnValue is what the type, actor, IP and project columns show of e,
// unsanitised; the summary and time are drawn by the row.
func columnValue(e *model.Event, id columnID) string {
	switch id {
	case columnType:
		t, _ := model.LookupType(e.Type)
		return t.Name
	case columnActor:
		if a := e.Actor.Label(); a != "" {
			return a
		}
		return "—"
	case columnIP:
		ip := e.Actor.IP()
		switch c := e.Actor.Country(); {
		case ip == "":
			return "—"
		case c != "":
			return ip + " " + c // the country the API located the address in
		}
		return ip
	case columnProject:
		if e.Project.Name != "" {
			return e.Project.Name
		}
		return e.Project.ID
	}
	return ""
}

// columns is a laid-out row: which columns show, in order, and how wide.
// It is comparable, so the row cache can tell when the layout changed.
type columns struct {
	order       [numColumns]columnID
	n           int
	width       [numColumns]int // by columnID
	compactTime bool
}

// shown returns the shown columns in order.
func (c *columns) shown() []columnID { return c.order[:c.n] }

// layoutColumns fits the chosen columns into width. Each column first
// gets what nine in ten of its loaded values need and the summary a
// sentence; when that does not fit, the project and then the IP are given
// up, and if even the narrowest widths do not fit, columns go in the order
// project, IP, summary, actor, time. The space is shared so that no column
// is cut much more than another (the summary counts twice); what is left
// after that widens each column towards its widest value, the summary
// twice as fast, and the summary takes the rest.
func layoutColumns(width int, mode timeMode, want *contentWidths, chosen []columnID) columns {
	c := columns{compactTime: width < compactBelow}
	for _, id := range chosen {
		c.order[c.n] = id
		c.n++
	}
	timeW := timeWidth(mode, c.compactTime)
	// need is id's width at level 0 (narrowest), 1 (typical) or 2 (widest).
	need := func(id columnID, level int) int {
		spec := columnSpecs[id]
		switch {
		case id == columnTime:
			return timeW
		case level == 0:
			return spec.min
		case id == columnSummary && level == 1:
			return summaryNeed
		case id == columnSummary:
			return width
		case level == 1:
			return max(want.typical(id), len(spec.title), spec.min)
		}
		return max(want.widest(id), len(spec.title), spec.min)
	}
	total := func(level int) int {
		sum := max(c.n-1, 0) * gap
		for _, id := range c.shown() {
			sum += need(id, level)
		}
		return sum
	}
	for c.n > 1 && total(0) > width {
		c.drop(false)
	}
	for total(1) > width && c.drop(true) {
	}
	avail := width - max(c.n-1, 0)*gap
	// The summary, the row's sentence, grows twice as fast as the others.
	weight := func(id columnID) int {
		if id == columnSummary {
			return 2
		}
		return 1
	}
	c.share(avail, func(id columnID) (int, int, int) { return need(id, 0), need(id, 1), weight(id) })
	if c.plainWidth() < width {
		typical := c.width
		c.share(avail, func(id columnID) (int, int, int) { return typical[id], need(id, 2), weight(id) })
	}
	return c
}

// drop gives up the shown column first in the drop order (soft ones only
// when soft), reporting whether there was one.
func (c *columns) drop(soft bool) bool {
	at := -1
	for i, id := range c.shown() {
		if (!soft || columnSpecs[id].soft) && (at < 0 || columnSpecs[id].drop < columnSpecs[c.order[at]].drop) {
			at = i
		}
	}
	if at < 0 {
		return false
	}
	copy(c.order[at:], c.order[at+1:c.n])
	c.n--
	return true
}

// share gives the shown columns avail cells: each column its bounds'
// lower end, then all the same level times their weight up to each one's
// upper end; the level is the highest that fits, and the cells left below
// the next level go to the first columns that would grow.
func (c *columns) share(avail int, bounds func(columnID) (lo, hi, weight int)) {
	widthAt := func(id columnID, level int) int {
		lo, hi, weight := bounds(id)
		return max(lo, min(level*weight, hi))
	}
	at := func(level int) (sum int) {
		for _, id := range c.shown() {
			sum += widthAt(id, level)
		}
		return sum
	}
	lo, hi := 0, avail
	for lo < hi { // the highest level whose total fits
		mid := (lo + hi + 1) / 2
		if at(mid) <= avail {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	left := avail - at(lo)
	for _, id := range c.shown() {
		c.width[id] = widthAt(id, lo)
		if grow := min(widthAt(id, lo+1)-c.width[id], left); grow > 0 {
			c.width[id] += grow
			left -= grow
		}
	}
	if c.n == 1 && c.width[c.order[0]] > avail {
		c.width[c.order[0]] = max(avail, 0) // one column narrower than its least
	}
}
