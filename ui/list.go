package ui

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/sanitize"
)

// eventList is a virtualised list over positions in the index: it holds no
// events, only which ones match, where the cursor is and a cache of rendered
// rows, so a million loaded events cost one window of rows per frame.
type eventList struct {
	all     bool    // every loaded event matches; matches is unused
	matches []int32 // ascending positions in the index when !all
	total   int     // len(index) when all

	cursor int // position in the matching rows
	offset int // first visible row
	height int // rows of events, title excluded
	// newAbove is how many rows arrived above the window since it was last
	// at the top, for "↑ 12 new"; scrolling up counts them down.
	newAbove int
	// moved says the user has moved the cursor since the list opened; until
	// then arrivals keep the newest selected, as tail -f would.
	moved bool

	cache *rowCache // shared by copies of the list, as Model is a value
}

// rowCache holds rendered rows and the context they were rendered in.
type rowCache struct {
	rows map[rowKey]string
	at   rowContext
}

type rowKey struct {
	event int32
	width int
	// object is how many loaded events are on the event's object, which
	// the summary's "from X" is worded from.
	object int
}

// rowContext is everything besides the event and width that changes how a
// row looks; when it changes the cache is dropped.
type rowContext struct {
	mode    timeMode
	minute  int64 // relative times change every minute
	needle  string
	typeHit bool
	isDark  bool
	columns columns
}

const maxCachedRows = 4096

func newEventList() eventList {
	return eventList{all: true, cache: &rowCache{rows: map[rowKey]string{}}}
}

// Len is the number of matching rows.
func (l *eventList) Len() int {
	if l.all {
		return l.total
	}
	return len(l.matches)
}

// EventAt returns the index position of row r.
func (l *eventList) EventAt(r int) int {
	if l.all {
		return r
	}
	return int(l.matches[r])
}

// Selected returns the index position under the cursor.
func (l *eventList) Selected() (int, bool) {
	if l.Len() == 0 {
		return 0, false
	}
	return l.EventAt(l.cursor), true
}

// Indices returns the matching positions, nil when every loaded event
// matches. The slice is shared: do not modify it.
func (l *eventList) Indices() []int32 {
	if l.all {
		return nil
	}
	return l.matches
}

// ShowAll makes every one of total loaded events match.
func (l *eventList) ShowAll(total int) {
	sel, ok := l.Selected()
	l.all, l.matches, l.total = true, nil, total
	if ok && l.moved {
		l.cursor = sel
	}
	l.clamp()
}

// SetMatches replaces the matching rows, keeping the selected event under
// the cursor when it still matches.
func (l *eventList) SetMatches(matches []int32) {
	sel, ok := l.Selected()
	l.all, l.matches = false, matches
	l.cursor = 0
	if ok && l.moved { // before the user moves, the newest stays selected
		if r := sort.Search(len(matches), func(i int) bool { return int(matches[i]) >= sel }); r < len(matches) && int(matches[r]) == sel {
			l.cursor = r
		} else if r := slices.Index(matches, int32(sel)); r >= 0 {
			l.cursor = r // matches in time order rather than loading order
		}
	}
	l.clamp()
}

// Grow records that the index now holds total events; a filtered list
// grows when the filter result is refined.
func (l *eventList) Grow(total int) {
	l.total = total
	l.clamp()
}

func (l *eventList) SetHeight(h int) {
	l.height = max(h, 1)
	l.clamp()
}

// Move moves the cursor by delta rows and scrolls just enough to keep it
// visible.
func (l *eventList) Move(delta int) {
	l.moved = true
	l.cursor += delta
	l.clamp()
}

func (l *eventList) Top()    { l.moved = true; l.cursor = 0; l.clamp() }
func (l *eventList) Bottom() { l.moved = true; l.cursor = l.Len() - 1; l.clamp() }

// Scroll moves the window by delta rows, dragging the cursor along only
// when it would leave the window (the mouse wheel).
func (l *eventList) Scroll(delta int) {
	l.moved = true
	l.offset += delta
	maxOff := max(l.Len()-l.height, 0)
	l.offset = min(max(l.offset, 0), maxOff)
	if l.cursor < l.offset {
		l.cursor = l.offset
	}
	if l.cursor >= l.offset+l.height {
		l.cursor = l.offset + l.height - 1
	}
	l.clamp()
}

// Click selects the row at y lines below the first visible row.
func (l *eventList) Click(y int) bool {
	r := l.offset + y
	if y < 0 || y >= l.height || r >= l.Len() {
		return false
	}
	l.moved = true
	l.cursor = r
	return true
}

// NearEnd reports whether the cursor is within a page of the last row, when
// it is time to fetch more.
func (l *eventList) NearEnd() bool { return l.Len()-l.cursor <= l.height+1 }

// KeepInView follows rows that arrived above the cursor, which was at row
// cursor with the window at offset before: at the top of the list the new
// rows show and the selected one moves down while it stays on screen;
// otherwise the window moves with the selected row and counts the new rows
// above it. Before the user has moved, the newest stays selected.
func (l *eventList) KeepInView(cursor, offset int) {
	shift := l.cursor - cursor
	if shift > 0 && !l.moved && cursor == 0 && offset == 0 {
		l.cursor, l.offset = 0, 0
		return
	}
	if shift <= 0 || offset == 0 && l.cursor < l.height {
		return
	}
	l.offset = offset + shift
	l.newAbove += shift
	l.clamp()
}

func (l *eventList) clamp() {
	n := l.Len()
	l.cursor = min(max(l.cursor, 0), max(n-1, 0))
	defer func() { l.newAbove = min(l.newAbove, l.offset) }()
	if l.height <= 0 {
		return
	}
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+l.height {
		l.offset = l.cursor - l.height + 1
	}
	l.offset = min(max(l.offset, 0), max(n-l.height, 0))
}

const gap = 1

// rowRenderer draws one event as one line exactly width cells wide.
type rowRenderer struct {
	styles *Styles
	mode   timeMode
	now    time.Time
	loc    *time.Location
	needle string // lower-cased filter text to highlight, or ""
	// matcher names the field a row matched in when no cell shows needle.
	matcher model.Matcher
	// typeHit marks the type cell as the match, for a glob over types.
	typeHit bool
	cols    columns
	marks   markSet // drawn in a gutter of markWidth while any are marked
	// hist words summaries with their objects' befores from the events
	// loaded; nil: as model.Summary does.
	hist   *histories
	loaded *model.Set
}

// markWidth is the mark column's width, shown only while rows are marked.
const markWidth = 2

// gutter is the mark column of row ev ("" while nothing is marked).
func (r rowRenderer) gutter(ev int) string {
	switch {
	case len(r.marks) == 0:
		return ""
	case r.marks.has(int32(ev)):
		return "● "
	}
	return "  "
}

// cells are e's values for each column, sanitised, by columnID.
func (r rowRenderer) cells(e *model.Event) [numColumns]string {
	actor := e.Actor.Label()
	summary := r.summary(e)
	// The actor has its own column: do not spend the summary's on it again.
	if actor != "" && strings.HasPrefix(summary, actor) && r.cols.width[columnActor] > 0 {
		if rest := summary[len(actor):]; strings.HasPrefix(rest, " ") || strings.HasPrefix(rest, ": ") {
			summary = strings.TrimPrefix(strings.TrimPrefix(rest, ":"), " ")
		}
	}
	return [numColumns]string{
		columnTime:    formatTime(e.EffectiveAt, r.mode, r.cols.compactTime, r.now, r.loc),
		columnType:    cellText(columnValue(e, columnType)),
		columnActor:   cellText(columnValue(e, columnActor)),
		columnIP:      cellText(columnValue(e, columnIP)),
		columnProject: cellText(columnValue(e, columnProject)),
		columnSummary: cellText(summary),
	}
}

// summary is e's summary, with its object's before when the list has them.
func (r rowRenderer) summary(e *model.Event) string {
	if r.hist == nil {
		return model.Summary(e)
	}
	return r.hist.summary(r.loaded, e)
}

// objectEvents is how many loaded events are on the object whose before
// words e's summary (0 when none does).
func (r rowRenderer) objectEvents(e *model.Event) int {
	if r.hist == nil {
		return 0
	}
	_, n := r.hist.summaryObject(r.loaded, e)
	return n
}

// maxCellBytes bounds what is sanitised of a value for a list cell, which
// shows a few dozen cells of it at most.
const maxCellBytes = 1024

// cellText sanitises the start of a value for a list cell.
func cellText(s string) string {
	if head, cut := sanitize.Cut(s, maxCellBytes); cut {
		s = head + "…"
	}
	return sanitize.Display(s)
}

// Plain renders the row without colour, width cells wide, for the cursor row.
func (r rowRenderer) Plain(e *model.Event, width int) string {
	return r.line(e, width, paint{}, func(_ columnID, cell string, b *strings.Builder) { b.WriteString(cell) })
}

// Styled renders the row with category colours and filter matches.
func (r rowRenderer) Styled(e *model.Event, width int) string {
	t, _ := model.LookupType(e.Type)
	paints := [numColumns]paint{r.styles.paint.time, r.styles.categoryPaint(t.Category), r.styles.paint.actor,
		r.styles.paint.ip, r.styles.paint.project, r.styles.paint.summary}
	if strings.HasSuffix(e.Type, ".failed") {
		paints[columnType] = r.styles.paint.failure
	}
	if r.typeHit {
		paints[columnType] = r.styles.paint.match
	}
	return r.line(e, width, r.styles.paint.match, func(id columnID, cell string, b *strings.Builder) {
		highlight(b, cell, r.needle, paints[id], r.styles.paint.match)
	})
}

// line fits each shown cell to its column and writes it with write, the
// whole exactly width cells wide. When the filter's text is in none of
// what shows, the row ends with the field it is in ("· in payload.title").
func (r rowRenderer) line(e *model.Event, width int, mark paint, write func(columnID, string, *strings.Builder)) string {
	cells := r.cells(e)
	seen := r.needle == "" || r.typeHit
	for _, id := range r.cols.shown() {
		cells[id] = fit(cells[id], r.cols.width[id])
		seen = seen || containsFold(cells[id], r.needle)
	}
	var b strings.Builder
	b.Grow(256)
	for i, id := range r.cols.shown() {
		if i > 0 {
			b.WriteByte(' ')
		}
		write(id, cells[id], &b)
	}
	s := b.String()
	if pad := width - r.cols.plainWidth(); pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	if seen {
		return s
	}
	field := r.matcher.Field(e)
	if field == "" {
		return s
	}
	field = cellText(field) // payload keys come from the API
	marker := " · in " + field
	if room := max(width/2, 1); cellWidth(marker) > room {
		// The field's own key says most: keep the end of its path.
		marker = cut(" · in …"+field[strings.LastIndexByte(field, '.')+1:], room)
	}
	b.Reset()
	b.WriteString(padTo(s, width-cellWidth(marker)))
	mark.write(&b, marker)
	return b.String()
}

// plainWidth is the width of a row: the columns and the gaps between them.
func (c *columns) plainWidth() int {
	w := 0
	for _, id := range c.shown() {
		w += c.width[id]
	}
	return w + max(c.n-1, 0)*gap
}

// highlight writes s painted with base and every ASCII-case-insensitive
// occurrence of needle painted with match.
func highlight(b *strings.Builder, s, needle string, base, match paint) {
	if needle == "" || !containsFold(s, needle) {
		base.write(b, s)
		return
	}
	rest := s
	for rest != "" {
		i := indexFold(rest, needle)
		if i < 0 {
			base.write(b, rest)
			break
		}
		if i > 0 {
			base.write(b, rest[:i])
		}
		match.write(b, rest[i:i+len(needle)])
		rest = rest[i+len(needle):]
	}
}

// containsFold reports whether s contains the lower-case needle, ignoring
// ASCII case, without allocating.
func containsFold(s, needle string) bool { return indexFold(s, needle) >= 0 }

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func indexFold(s, needle string) int {
	n := len(needle)
	for i := 0; i+n <= len(s); i++ {
		j := 0
		for j < n && lowerASCII(s[i+j]) == needle[j] {
			j++
		}
		if j == n {
			return i
		}
	}
	return -1
}

// Render draws the title line and the visible rows, exactly width cells
// wide and l.height+1 lines tall. selected draws the cursor row; focused
// says whether the list has the keyboard.
func (l *eventList) Render(x *model.Set, r rowRenderer, width int, focused bool) string {
	ctx := rowContext{mode: r.mode, needle: r.needle, typeHit: r.typeHit, isDark: r.styles.IsDark, columns: r.cols}
	if r.mode == timeRelative {
		ctx.minute = r.now.Unix() / 60
	}
	cache := l.cache
	if ctx != cache.at || len(cache.rows) > maxCachedRows {
		clear(cache.rows)
		cache.at = ctx
	}
	var b strings.Builder
	gutter := r.gutter(-1)
	b.WriteString(r.styles.ColumnTitle.Render(gutter + r.title(width-len(gutter))))
	width -= len(gutter)
	end := min(l.offset+l.height, l.Len())
	for row := l.offset; row < end; row++ {
		b.WriteByte('\n')
		ev := l.EventAt(row)
		e := x.At(ev)
		if row == l.cursor {
			st := r.styles.Selected
			if !focused {
				st = r.styles.SelectedDim
			}
			b.WriteString(st.Render(r.gutter(ev) + r.Plain(e, width)))
			continue
		}
		b.WriteString(r.styles.Match.UnsetUnderline().Render(r.gutter(ev)))
		key := rowKey{event: int32(ev), width: width, object: r.objectEvents(e)}
		s, ok := cache.rows[key]
		if !ok {
			s = r.Styled(e, width)
			cache.rows[key] = s
		}
		b.WriteString(s)
	}
	for row := end; row < l.offset+l.height; row++ {
		b.WriteByte('\n')
	}
	return b.String()
}

func (r rowRenderer) title(width int) string {
	var names [numColumns]string
	for id, spec := range columnSpecs {
		names[id] = spec.title
	}
	names[columnTime] = "TIME (" + r.mode.String() + ")"
	switch {
	case r.mode == timeRelative:
		names[columnTime] = "WHEN"
	case r.cols.compactTime:
		names[columnTime] = strings.ToUpper(r.mode.String())
	}
	var b strings.Builder
	for i, id := range r.cols.shown() {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(fit(names[id], r.cols.width[id]))
	}
	return fit(b.String(), width)
}
