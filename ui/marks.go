package ui

import (
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/sanitize"
)

// markSet is the events marked with space, by their position in the Set
// (positions never move, so marks survive a new filter or query).
type markSet map[int32]struct{}

func (s markSet) has(i int32) bool { _, ok := s[i]; return ok }

// toggle marks i or unmarks it, reporting whether it is now marked.
func (s markSet) toggle(i int32) bool {
	if s.has(i) {
		delete(s, i)
		return false
	}
	s[i] = struct{}{}
	return true
}

// rows is the marked positions newest first, as the list shows them.
func (s markSet) rows(fi *model.FacetIndex) []int32 {
	out := make([]int32, 0, len(s))
	for i := range s {
		out = append(out, i)
	}
	slices.Sort(out)
	fi.SortNewestFirst(out)
	return out
}

// toggleMark is space on the list: mark or unmark the selected row and
// move down, so a run of rows is marked by holding space.
func (m *Model) toggleMark() tea.Cmd {
	i, ok := m.list.Selected()
	if !ok {
		m.notice = "no event selected"
		return nil
	}
	m.marks.toggle(int32(i))
	m.list.Move(1)
	return m.nearEnd()
}

// clearMarks drops every mark, saying how many there were.
func (m *Model) clearMarks() {
	m.notice = "unmarked " + plural(len(m.marks), "event")
	clear(m.marks)
}

// copyMarked is y and Y with rows marked: the marked events as JSON Lines
// (hidden characters escaped), or their ids one a line.
func (m *Model) copyMarked(idOnly bool) tea.Cmd {
	var b strings.Builder
	rows := m.marks.rows(m.facetIdx)
	for _, i := range rows {
		e := m.set.At(int(i))
		if idOnly {
			b.WriteString(sanitize.OneLine(e.ID))
		} else {
			raw, err := e.JSON()
			if err != nil {
				m.notice = sanitize.OneLine(err.Error()) // nothing copied rather than some
				return nil
			}
			b.Write(sanitize.JSON(raw))
		}
		b.WriteByte('\n')
	}
	what := "marked events"
	if idOnly {
		what = "ids of the marked events"
	}
	m.notice = "copied the " + commas(len(rows)) + " " + what
	return tea.SetClipboard(b.String())
}
