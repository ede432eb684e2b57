package ui

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/history"
	"github.com/auditui/auditui/model/query"
)

// Component is a mode that takes the keyboard from the list: the help, the
// type picker, the facets panel, the saved-views picker, the query bar and
// the full-screen event. The root model keeps the open ones on a stack; the
// top one gets every key, paste and mouse wheel, and the list gets them
// only while the stack is empty. Render only reads: whatever changes (a
// cursor, a scroll offset) changes in Update.
//
// Adding a dialog is one new file: a pointer type with these three methods
// and a constructor taking the *common it reads and the functions of the
// root it may call (put a query in force, say). Update returns the
// component to keep (itself) or nil to close it; esc and q close it (an
// input takes q as text, and ctrl+c clears it before closing). Then give it
// a binding in KeyMap and open it from onBrowseKey with m.open(newX(...)).
type Component interface {
	// Update handles a message while the component is on top. The root
	// sends keys, pastes, wheels and sizeMsg; anything else it forwards
	// (facetCountsMsg) is for whichever component asked for it.
	Update(msg tea.Msg) (Component, tea.Cmd)
	// Render draws the component in exactly the area sizeMsg last gave.
	Render(width, height int) string
	// ShortHelp is the help line's keys while the component is on top.
	ShortHelp() []key.Binding
}

// headerComponent is drawn in place of the header, above the list, rather
// than in place of the body: the query bar.
type headerComponent interface {
	Component
	HeaderLines() int
}

// textEntry is a component that takes typed text, so q is a letter and
// ctrl+c clears or closes it rather than quitting.
type textEntry interface {
	Component
	entersText()
}

// statusNoter adds a note to the status line while on top.
type statusNoter interface {
	StatusNote() string
}

// sizeMsg is the size of the area a component is drawn in; the root sends
// it on opening and whenever the layout changes.
type sizeMsg struct{ width, height int }

// common is what the root shares with its components. They read it; only
// the root changes it (the styles in place, when the background is known).
type common struct {
	keys   KeyMap
	styles *Styles
	set    *model.Set
	now    func() time.Time
	loc    *time.Location
	hist   *histories
	// fromFile: the "server" of a query is the file the events came from.
	fromFile bool
	// seen is the values the loaded events hold, for completion; brought
	// up to date from set when asked.
	seen *query.Seen
	// recent is the query history the query bar walks.
	recent *recentQueries
}

// detailView is how the detail pane and the full-screen view draw an event.
func (c *common) detailView(raw bool) detailView {
	return detailView{raw: raw, now: c.now(), loc: c.loc, history: c.historyOf, canFetch: c.hist.canFetch}
}

// historyOf is the timeline of the object id over what is loaded and fetched.
func (c *common) historyOf(id string) *history.History { return c.hist.of(c.set, id) }

// open puts c on top of the stack, sized for where it is drawn, and runs
// its Init when it has one (an input starts its cursor).
func (m *Model) open(c Component) tea.Cmd {
	m.stack = append(m.stack, c)
	m.resize()
	if i, ok := c.(interface{ Init() tea.Cmd }); ok {
		return i.Init()
	}
	return nil
}

// top is the component that has the keyboard, or nil while browsing.
func (m *Model) top() Component {
	if len(m.stack) == 0 {
		return nil
	}
	return m.stack[len(m.stack)-1]
}

// updateTop hands msg to the top component, closing it when it says so.
func (m *Model) updateTop(msg tea.Msg) tea.Cmd {
	n := len(m.stack)
	next, cmd := m.stack[n-1].Update(msg)
	if len(m.stack) != n {
		return cmd // the root changed the stack meanwhile; it decides
	}
	if next == nil {
		m.stack = m.stack[:n-1]
		m.resize()
	} else {
		m.stack[n-1] = next
	}
	return cmd
}

// bodyComponent is the topmost component drawn in place of the body, or nil.
func (m *Model) bodyComponent() Component {
	for i := len(m.stack) - 1; i >= 0; i-- {
		if _, header := m.stack[i].(headerComponent); !header {
			return m.stack[i]
		}
	}
	return nil
}

// headerLines is how many lines the header takes: more while the top
// component is drawn there.
func (m *Model) headerLines() int {
	if h, ok := m.top().(headerComponent); ok {
		return h.HeaderLines()
	}
	return 1
}

// isOpen reports whether a component of type T is on the stack.
func isOpen[T Component](m *Model) bool {
	for _, c := range m.stack {
		if _, ok := c.(T); ok {
			return true
		}
	}
	return false
}
