package ui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/query"
)

// KeyMap is every key the browser understands; help is drawn from it.
type KeyMap struct {
	Up, Down         key.Binding
	PageUp, PageDown key.Binding
	HalfUp, HalfDown key.Binding
	Top, Bottom      key.Binding

	Open   key.Binding // the selected event full-screen
	Back   key.Binding
	Focus  key.Binding // list ↔ detail
	Detail key.Binding // show or hide the detail pane

	Filter     key.Binding
	Types      key.Binding
	TimeFormat key.Binding
	Raw        key.Binding
	// Columns opens the column chooser; in it ColumnUp and ColumnDown
	// move the column under the cursor.
	Columns    key.Binding
	ColumnUp   key.Binding
	ColumnDown key.Binding
	Copy       key.Binding
	CopyID     key.Binding
	More       key.Binding
	Retry      key.Binding
	Follow     key.Binding // poll for new events every interval

	// Taking the result away: marks, export to a file, copy as a command
	// or one field.
	Mark      key.Binding
	Unmark    key.Binding
	Export    key.Binding
	CopyView  key.Binding
	CopyField key.Binding

	// Investigating: the query bar, facets, pivots, histogram, views.
	Query  key.Binding
	Facets key.Binding
	Views  key.Binding
	Zoom   key.Binding
	Undo   key.Binding // the query in force before the last change
	// History is the timeline of the selected event's object; in it,
	// CopyView copies the timeline as auditui history --format json.
	History key.Binding
	// Pivots add a term for the selected event's value to the query.
	PivotActor    key.Binding
	PivotIP       key.Binding
	PivotProject  key.Binding
	PivotResource key.Binding
	PivotType     key.Binding

	Help key.Binding
	Quit key.Binding

	// Inside the filter input and the type picker.
	Apply   key.Binding
	Clear   key.Binding
	Toggle  key.Binding
	AllNone key.Binding
	// Erase is ctrl+c in a text input: it clears the text, then closes.
	Erase key.Binding
	// In the query bar: tab completion, and the query history.
	Complete, CompleteBack key.Binding
	Earlier, Later         key.Binding
	// In the facets panel: add the value's negation; go to the next or
	// previous section, or to one by its initial; show a section whole.
	Exclude                  key.Binding
	NextSection, PrevSection key.Binding
	SectionJump              key.Binding
	Expand                   key.Binding
	// Mouse is for the help only: the wheel scrolls, a click selects.
	Mouse key.Binding
}

// DefaultKeyMap returns the browser's keys.
func DefaultKeyMap() KeyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return KeyMap{
		Up:            b([]string{"k", "up"}, "↑/k", "up"),
		Down:          b([]string{"j", "down"}, "↓/j", "down"),
		PageUp:        b([]string{"pgup", "b"}, "pgup/b", "page up"),
		PageDown:      b([]string{"pgdown", "f"}, "pgdn/f", "page down"),
		HalfUp:        b([]string{"ctrl+u"}, "ctrl+u", "half page up"),
		HalfDown:      b([]string{"ctrl+d"}, "ctrl+d", "half page down"),
		Top:           b([]string{"g", "home"}, "g/home", "first"),
		Bottom:        b([]string{"G", "end"}, "G/end", "last"),
		Open:          b([]string{"enter"}, "enter", "open"),
		Back:          b([]string{"esc"}, "esc", "back"),
		Focus:         b([]string{"tab", "shift+tab"}, "tab/shift+tab", "list/detail"),
		Detail:        b([]string{"d"}, "d", "detail pane"),
		Filter:        b([]string{"/"}, "/", "filter"),
		Types:         b([]string{"t"}, "t", "types"),
		TimeFormat:    b([]string{"z"}, "z", "local/UTC/ago"),
		Raw:           b([]string{"r"}, "r", "raw JSON"),
		Columns:       b([]string{"w"}, "w", "columns: show, hide, order"),
		ColumnUp:      b([]string{"K", "shift+up"}, "K/shift+up", "move the column up"),
		ColumnDown:    b([]string{"J", "shift+down"}, "J/shift+down", "move the column down"),
		Copy:          b([]string{"y"}, "y", "copy event"),
		CopyID:        b([]string{"Y"}, "Y", "copy id"),
		More:          b([]string{"m"}, "m", "load more"),
		Mark:          b([]string{"space"}, "space", "mark/unmark"),
		Unmark:        b([]string{"M"}, "M", "unmark all"),
		Export:        b([]string{"e"}, "e", "export to a file"),
		CopyView:      b([]string{"E"}, "E", "copy as auditui export"),
		CopyField:     b([]string{"C"}, "C", "copy a field"),
		Retry:         b([]string{"R"}, "R", "retry"),
		Follow:        b([]string{"F"}, "F", "live follow"),
		Query:         b([]string{":", "s"}, ":/s", "query"),
		Facets:        b([]string{"c"}, "c", "facet counts"),
		Views:         b([]string{"v"}, "v", "saved views"),
		Zoom:          b([]string{"Z"}, "Z", "zoom to the bar"),
		Undo:          b([]string{"u", "backspace"}, "u/backspace", "previous query"),
		History:       b([]string{"H"}, "H", "history of this object"),
		PivotActor:    b([]string{"A"}, "A", "this actor"),
		PivotIP:       b([]string{"I"}, "I", "this IP"),
		PivotProject:  b([]string{"P"}, "P", "this project"),
		PivotResource: b([]string{"O"}, "O", "this object (resource id)"),
		PivotType:     b([]string{"T"}, "T", "this type"),
		Help:          b([]string{"?"}, "?", "help"),
		Quit:          b([]string{"q", "ctrl+c"}, "q/ctrl+c", "quit"),
		Apply:         b([]string{"enter"}, "enter", "apply"),
		Clear:         b([]string{"esc"}, "esc", "clear"),
		Toggle:        b([]string{"space", "x"}, "space/x", "toggle"),
		AllNone:       b([]string{"a"}, "a", "all/none"),
		Erase:         b([]string{"ctrl+c"}, "ctrl+c", "clear the text, then close"),
		Complete:      b([]string{"tab"}, "tab", "complete: keys, types, loaded values; again for the next"),
		CompleteBack:  b([]string{"shift+tab"}, "shift+tab", "the previous completion"),
		Earlier:       b([]string{"up"}, "↑", "earlier query"),
		Later:         b([]string{"down"}, "↓", "later query"),
		Exclude:       b([]string{"-", "x"}, "-/x", "exclude the value"),
		NextSection:   b([]string{"tab"}, "tab", "next section"),
		PrevSection:   b([]string{"shift+tab"}, "shift+tab", "previous section"),
		SectionJump:   sectionJump(),
		Expand:        b([]string{"+"}, "+", "all of the section / top 8"),
		Mouse:         b([]string{"mouse"}, "wheel/click", "scroll/select"),
	}
}

// sectionJump is the initials of the facets, each going to its section
// (c goes to category, then country).
func sectionJump() key.Binding {
	var keys []string
	for _, f := range model.Facets {
		if i := f.String()[:1]; !slices.Contains(keys, i) {
			keys = append(keys, i)
		}
	}
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(strings.Join(keys, "/"), "go to the section by its initial"))
}

// moveBy is how far a movement key moves in a list or a text whose page is
// page lines: one line, a page (half-page keys too) or to either end, which
// is end lines away at the most; false for any other key.
func (k KeyMap) moveBy(msg tea.KeyPressMsg, page, end int) (int, bool) {
	switch {
	case key.Matches(msg, k.Up):
		return -1, true
	case key.Matches(msg, k.Down):
		return 1, true
	case key.Matches(msg, k.PageUp), key.Matches(msg, k.HalfUp):
		return -page, true
	case key.Matches(msg, k.PageDown), key.Matches(msg, k.HalfDown):
		return page, true
	case key.Matches(msg, k.Top):
		return -end, true
	case key.Matches(msg, k.Bottom):
		return end, true
	}
	return 0, false
}

// closeOrErase is esc and ctrl+c in a one-line text input: esc closes it;
// ctrl+c clears its text (erased) or, when there is none, closes it.
func (k KeyMap) closeOrErase(msg tea.KeyPressMsg, in *textinput.Model) (closed, erased bool) {
	switch {
	case key.Matches(msg, k.Back):
		return true, false
	case key.Matches(msg, k.Erase):
		if in.Value() == "" {
			return true, false
		}
		in.SetValue("")
		return false, true
	}
	return false, false
}

// pivot is the query key a pivot key narrows by.
func (k KeyMap) pivot(msg tea.KeyPressMsg) (query.Key, bool) {
	switch {
	case key.Matches(msg, k.PivotActor):
		return query.KeyActor, true
	case key.Matches(msg, k.PivotIP):
		return query.KeyIP, true
	case key.Matches(msg, k.PivotProject):
		return query.KeyProject, true
	case key.Matches(msg, k.PivotResource):
		return query.KeyResource, true
	case key.Matches(msg, k.PivotType):
		return query.KeyType, true
	}
	return "", false
}

// pivotKey answers msg when it is a pivot key (ok): over e it narrows the
// query and closes c when pivot can; otherwise, or over no event, c stays.
func pivotKey(c Component, msg tea.KeyPressMsg, k KeyMap, pivot func(query.Key, *model.Event) (tea.Cmd, bool), e *model.Event) (next Component, cmd tea.Cmd, ok bool) {
	pk, ok := k.pivot(msg)
	if !ok {
		return c, nil, false
	}
	if e != nil {
		if cmd, narrowed := pivot(pk, e); narrowed {
			return nil, cmd, true
		}
	}
	return c, nil, true
}

// pivotHelp is the five pivot keys as one entry of the short help.
func pivotHelp(k KeyMap) key.Binding {
	return withHelp(k.PivotActor, "A/I/P/O/T", "pivot")
}

func withHelp(b key.Binding, keys, desc string) key.Binding {
	b.SetHelp(keys, desc)
	return b
}
