// Package ui is auditui's terminal browser: one root Model streams pages
// from a model.Source into a model.Set, shows a virtualised list of what
// matches the filter and a detail pane for the selected event.
package ui

import (
	"context"
	"errors"
	"slices"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/query"
	"github.com/auditui/auditui/model/sanitize"
	"github.com/auditui/auditui/model/views"
)

// DefaultMaxEvents is how many events are loaded before the browser waits
// to be asked for more.
const DefaultMaxEvents = 10_000

// Options configure the browser.
type Options struct {
	Source    model.Source
	Query     model.Query
	MaxEvents int    // events loaded before pausing; 0 means DefaultMaxEvents
	Filter    string // initial text of the filter box

	// QueryText is the query in force when the browser opens (see
	// model/query); Query.Filter should be its server part. Query's
	// TenantOnly is kept for every query typed later.
	QueryText string
	// Views are offered by the saved-views picker; nil offers the built-ins.
	// ViewsErr is why the saved views file could not be used, one line, and
	// ViewsPath where it is.
	Views     []views.View
	ViewsErr  string
	ViewsPath string

	// Now and Location fix the clock and time zone, for tests; nil means
	// time.Now and time.Local.
	Now      func() time.Time
	Location *time.Location
}

// Run opens the browser full-screen and returns when the person quits or
// ctx ends. Requests in flight are cancelled and the terminal is restored.
func Run(ctx context.Context, opts Options) error {
	if opts.Source == nil {
		return errors.New("no source of events to browse")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	m := newModel(ctx, opts)
	_, err := tea.NewProgram(m, tea.WithContext(ctx)).Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	return err
}

// mode is what has the keyboard.
type mode int

const (
	modeBrowse mode = iota
	modeFilter      // typing in the filter box
	modePicker      // choosing event types
	modeFull        // one event full-screen
	modeHelp        // the full key help
	modeQuery       // typing in the query bar
	modeFacets      // the facets panel
	modeViews       // choosing a saved view
)

// focus is which pane of the browse screen the movement keys act on.
type focus int

const (
	focusList focus = iota
	focusDetail
)

// Model is the browser's root model: the only tea.Model; the list, detail,
// filter box and picker are plain values it drives.
type Model struct {
	ctx    context.Context
	cancel context.CancelFunc
	opts   Options
	keys   KeyMap
	styles *Styles

	width, height int
	mode          mode
	focus         focus

	set  *model.Set
	list eventList

	stream streamState

	input    textinput.Model
	matcher  model.Matcher
	result   model.Result // the last applied filter result
	filter   filterState
	types    []string // applied from the picker; nil shows all types
	picker   picker
	timeMode timeMode

	detail     *detailCache
	showDetail bool
	raw        bool
	full       viewport.Model
	fullEvent  int

	// Investigating: the query in force and its bar, what the API is asked
	// for, per-event facet values and times, and what is derived from them.
	query    queryState
	queryErr string // why the last query could not be put in force
	qinput   textinput.Model
	server   model.Query
	facetIdx *model.FacetIndex
	scope    scopeResult
	derived  derivedState
	facets   facetsPanel
	views    viewsPicker

	help    help.Model
	spinner spinner.Model
	tick    func(time.Duration, func(time.Time) tea.Msg) tea.Cmd // tea.Tick; replaced in tests
	notice  string                                               // one-off confirmation in the status bar
}

// streamState is where loading stands.
type streamState struct {
	fetch     *fetch
	run       tea.Cmd // starts the fetch goroutine; taken by Init
	gen       int
	waiting   bool // a waitPage command is armed
	active    bool // the fetch goroutine may still send
	exhausted bool
	err       error
	pages     int           // pages received for the query in force
	cap       int           // load up to this many events
	held      []model.Event // received past the cap, added on "more"
	lastID    string        // cursor to resume from
	skipped   int           // records that could not be decoded
	spinning  bool
}

// filterState tracks the filter running off the UI goroutine.
type filterState struct {
	gen     int
	cancel  context.CancelFunc
	running bool
	err     error // why the typed text cannot match, e.g. a broken glob
	scanned int   // events the list's result looked at
}

// filterMsg is the list's new result: the filter box's matches, the query's
// and what the list shows (both, in time order; nil for every event).
type filterMsg struct {
	gen     int
	result  model.Result
	scope   scopeResult
	shown   []int32
	scanned int
	err     error
}

type minuteMsg struct{}

// New returns the browser's model, ready for tea.NewProgram or for tests
// that drive Update directly.
func New(opts Options) Model { return newModel(context.Background(), opts) }

func newModel(ctx context.Context, opts Options) Model {
	if opts.MaxEvents <= 0 {
		opts.MaxEvents = DefaultMaxEvents
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Location == nil {
		opts.Location = time.Local
	}
	ctx, cancel := context.WithCancel(ctx)
	st := NewStyles(true)
	m := Model{
		ctx:        ctx,
		cancel:     cancel,
		opts:       opts,
		keys:       DefaultKeyMap(),
		styles:     &st,
		set:        &model.Set{},
		list:       newEventList(),
		detail:     &detailCache{},
		showDetail: true,
		help:       help.New(),
		spinner:    spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		fullEvent:  -1,
		tick:       tea.Tick,
		facetIdx:   &model.FacetIndex{},
	}
	if m.opts.Views == nil {
		m.opts.Views = defaultViews()
	}
	m.qinput = textinput.New()
	m.qinput.Prompt = ": "
	m.qinput.Placeholder = "type:login.failed -country:US actor:alice@example.com ip:10.0.0.0/8 since:7d"
	m.qinput.CharLimit = 1024
	m.initQuery()
	if m.opts.ViewsErr != "" && m.notice == "" {
		m.notice = "saved views: see v"
	}
	m.input = textinput.New()
	m.input.Prompt = "/ "
	m.input.Placeholder = "type, email, IP, project, id… or a glob such as api_key.*"
	m.input.CharLimit = 256
	m.input.SetValue(opts.Filter)
	m.matcher = model.CompileMatcher(opts.Filter)
	m.filter.err = m.matcher.Err()
	m.applyStyles()
	m.stream.cap = opts.MaxEvents
	m.stream.lastID = opts.Query.After
	if opts.Source != nil {
		m.stream.gen = 1
		q := m.server
		q.After = opts.Query.After
		m.stream.fetch, m.stream.run = startFetch(m.ctx, opts.Source, q, m.stream.gen)
		m.stream.active, m.stream.waiting = true, true
	}
	return m
}

func (m *Model) applyStyles() {
	m.help.Styles = m.styles.Help
	m.input.SetStyles(m.styles.TextInput)
	m.qinput.SetStyles(m.styles.TextInput)
	m.spinner.Style = m.styles.Spinner
}

// Init starts loading and asks the terminal for its background colour.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor}
	if m.stream.run != nil {
		// The spinner starts with the first Update, which can record that it runs.
		cmds = append(cmds, m.stream.run, m.stream.fetch.waitPage())
	}
	return tea.Batch(cmds...)
}

// Update is the one place state changes: a single switch over messages.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
		cmds = append(cmds, m.refreshDerived())

	case tea.BackgroundColorMsg:
		st := NewStyles(msg.IsDark())
		m.styles = &st
		m.applyStyles()
		m.detail.invalidate()

	case pageMsg:
		cmds = append(cmds, m.onPage(msg))

	case fetchDoneMsg:
		if msg.gen == m.stream.gen {
			m.stream.active, m.stream.waiting, m.stream.exhausted = false, false, true
		}

	case fetchErrMsg:
		if msg.gen == m.stream.gen {
			m.stream.active, m.stream.waiting = false, false
			m.stream.err = msg.err
		}

	case filterMsg:
		cmds = append(cmds, m.onFilter(msg))

	case derivedMsg:
		cmds = append(cmds, m.onDerived(msg))

	case spinner.TickMsg:
		if m.stream.active && m.stream.waiting {
			var cmd tea.Cmd
			m.spinner, cmd = m.spinner.Update(msg)
			cmds = append(cmds, cmd)
		} else {
			m.stream.spinning = false
		}

	case minuteMsg:
		if m.timeMode == timeRelative {
			cmds = append(cmds, m.minuteTick())
		}

	case tea.KeyPressMsg:
		cmds = append(cmds, m.onKey(msg))

	case tea.PasteMsg:
		switch m.mode {
		case modeFilter:
			cmds = append(cmds, m.updateInput(msg))
		case modeQuery:
			var cmd tea.Cmd
			m.qinput, cmd = m.qinput.Update(msg)
			m.checkDraft()
			cmds = append(cmds, cmd)
		}

	case tea.MouseWheelMsg:
		cmds = append(cmds, m.onWheel(msg))

	case tea.MouseClickMsg:
		m.onClick(msg)
	}

	if m.stream.active && m.stream.waiting && !m.stream.spinning {
		m.stream.spinning = true
		cmds = append(cmds, m.spinner.Tick)
	}
	return m, tea.Batch(cmds...)
}

// onPage adds a page to the set, up to the cap, and asks for the next one.
func (m *Model) onPage(msg pageMsg) tea.Cmd {
	if msg.gen != m.stream.gen {
		return nil // from a superseded query
	}
	m.stream.waiting = false
	if m.notice == retryNotice {
		m.notice = "" // the retry worked
	}
	m.stream.pages++
	m.stream.skipped += len(msg.page.Skipped)
	if n := len(msg.page.Events); n > 0 {
		m.stream.lastID = msg.page.Events[n-1].ID
	}
	if msg.page.LastID != "" {
		m.stream.lastID = msg.page.LastID
	}
	m.stream.held = append(m.stream.held, msg.page.Events...)
	m.admitHeld()
	return tea.Batch(m.afterGrowth(), m.armWait())
}

// admitHeld moves held events into the set while there is room under the cap.
func (m *Model) admitHeld() {
	for len(m.stream.held) > 0 {
		room := m.stream.cap - m.set.Len()
		if room <= 0 {
			break
		}
		take := min(room, len(m.stream.held))
		m.set.Append(m.stream.held[:take])
		m.stream.held = m.stream.held[take:]
	}
	m.facetIdx.Update(m.set)
	if len(m.stream.held) == 0 {
		m.stream.held = nil
	}
	m.list.Grow(m.set.Len())
}

// armWait waits for the next page unless one is awaited, the fetch ended
// or the cap is reached.
func (m *Model) armWait() tea.Cmd {
	if m.stream.waiting || !m.stream.active || m.paused() {
		return nil
	}
	m.stream.waiting = true
	return m.stream.fetch.waitPage()
}

// paused reports whether loading stopped at the cap with more to come.
func (m *Model) paused() bool {
	return (m.stream.active || len(m.stream.held) > 0) && m.set.Len() >= m.stream.cap
}

// loadMore raises the cap by another MaxEvents and resumes loading.
func (m *Model) loadMore() tea.Cmd {
	if !m.paused() {
		return nil
	}
	m.stream.cap = m.set.Len() + m.opts.MaxEvents
	m.admitHeld()
	return tea.Batch(m.afterGrowth(), m.armWait())
}

const retryNotice = "retrying from the last event loaded"

// retry starts a new query from the last cursor after an error.
func (m *Model) retry() tea.Cmd {
	if m.stream.err == nil || m.opts.Source == nil {
		return nil
	}
	m.stream.err = nil
	m.stream.gen++
	if m.stream.fetch != nil {
		m.stream.fetch.cancel()
	}
	q := m.server
	q.After = m.stream.lastID
	var run tea.Cmd
	m.stream.fetch, run = startFetch(m.ctx, m.opts.Source, q, m.stream.gen)
	m.stream.active, m.stream.waiting = true, false
	m.notice = retryNotice
	return tea.Batch(run, m.armWait())
}

// afterGrowth keeps the filtered list, and what is derived from it, up to
// date with appended events.
func (m *Model) afterGrowth() tea.Cmd {
	if !m.filtering() {
		m.filter.scanned = m.set.Len()
		return m.refreshDerived()
	}
	if m.filter.running || m.filter.scanned >= m.set.Len() {
		return nil
	}
	return m.refine()
}

// setMatcher applies newly typed text or picked types.
func (m *Model) setMatcher(mt model.Matcher) tea.Cmd {
	if mt.Equal(m.matcher) {
		return nil
	}
	m.matcher = mt
	m.filter.err = mt.Err()
	return m.refilter()
}

// refine filters off the UI goroutine, narrowing from the last result
// when it can; the generation id drops results of superseded text. The
// filter box's matches are intersected with the query's, and put in time
// order when pages of several queries were loaded.
func (m *Model) refine() tea.Cmd {
	ctx, cancel := context.WithCancel(m.ctx)
	m.filter.cancel = cancel
	m.filter.running = true
	gen, set, mt, prev := m.filter.gen, m.set, m.matcher, m.result
	scope, plan, qgen, all, fi := m.scope, m.query.plan, m.query.gen, m.query.all, m.facetIdx
	return func() tea.Msg {
		msg := filterMsg{gen: gen}
		n := set.Len()
		ordered := fi.NewestFirst()
		if !ordered {
			// Time order needs each event's time: stop where it is indexed.
			n = min(n, fi.Len())
		}
		var shown []int32 // nil: every one of the first n
		if !mt.IsEmpty() {
			r, err := set.Refine(ctx, mt, prev)
			if err != nil {
				return filterMsg{gen: gen, err: err}
			}
			msg.result, shown, n = r, r.Indices, min(r.Scanned, n)
			if r.Scanned > n {
				cut, _ := slices.BinarySearch(shown, int32(n))
				shown = shown[:cut]
			}
		}
		if !all {
			sc, err := scope.extend(ctx, set, plan, qgen, n)
			if err != nil {
				return filterMsg{gen: gen, err: err}
			}
			msg.scope = sc
			shown = intersect(shown, sc.indices)
		}
		if !ordered {
			if shown == nil {
				shown = make([]int32, n)
				for i := range shown {
					shown[i] = int32(i)
				}
			} else {
				shown = slices.Clone(shown)
			}
			fi.SortNewestFirst(shown)
		}
		msg.shown, msg.scanned = shown, n
		return msg
	}
}

func (m *Model) onFilter(msg filterMsg) tea.Cmd {
	if msg.gen != m.filter.gen {
		return nil
	}
	m.filter.running = false
	if msg.err != nil {
		return nil // cancelled: a newer filter is on its way
	}
	if !m.matcher.IsEmpty() {
		m.result = msg.result
	}
	if msg.scope.gen == m.query.gen {
		m.scope = msg.scope
	}
	m.filter.scanned = msg.scanned
	if msg.shown == nil {
		m.list.ShowAll(msg.scanned)
	} else {
		m.list.SetMatches(msg.shown)
	}
	return tea.Batch(m.afterGrowth(), m.refreshDerived())
}

// minuteTick redraws relative times once a minute while they are shown.
func (m *Model) minuteTick() tea.Cmd {
	return m.tick(time.Minute, func(time.Time) tea.Msg { return minuteMsg{} })
}

func (m *Model) quit() tea.Cmd {
	m.cancel()
	return tea.Quit
}

func (m *Model) onKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	if msg.String() == "ctrl+c" {
		return m.quit()
	}
	switch m.mode {
	case modeFilter:
		switch {
		case key.Matches(msg, k.Apply):
			m.mode = modeBrowse
			m.input.Blur()
			return nil
		case key.Matches(msg, k.Clear):
			m.mode = modeBrowse
			m.input.Blur()
			m.input.SetValue("")
			return m.setMatcher(model.CompileMatcher("").WithTypes(m.types))
		case msg.String() == "up" || msg.String() == "down":
			m.list.Move(map[string]int{"up": -1, "down": 1}[msg.String()])
			return m.nearEnd()
		}
		return m.updateInput(msg)

	case modeQuery:
		return m.onQueryKey(msg)

	case modeFacets:
		return m.onFacetsKey(msg)

	case modeViews:
		return m.onViewsKey(msg)

	case modePicker:
		switch {
		case key.Matches(msg, k.Quit) && msg.String() == "q":
			return m.quit()
		case key.Matches(msg, k.Up):
			m.picker.move(-1)
		case key.Matches(msg, k.Down):
			m.picker.move(1)
		case key.Matches(msg, k.Toggle):
			m.picker.toggle()
		case key.Matches(msg, k.AllNone):
			m.picker.allNone()
		case key.Matches(msg, k.Apply):
			m.mode = modeBrowse
			m.types = m.picker.chosen()
			return m.setMatcher(model.CompileMatcher(m.input.Value()).WithTypes(m.types))
		case key.Matches(msg, k.Back):
			m.mode = modeBrowse
		}
		return nil

	case modeHelp:
		if key.Matches(msg, k.Quit) {
			return m.quit()
		}
		m.mode = modeBrowse
		m.help.ShowAll = false
		return nil

	case modeFull:
		switch {
		case key.Matches(msg, k.Quit):
			return m.quit()
		case key.Matches(msg, k.Back), key.Matches(msg, k.Open):
			m.mode = modeBrowse
			return nil
		case key.Matches(msg, k.Raw):
			m.raw = !m.raw
			m.fillFull()
			return nil
		case key.Matches(msg, k.Copy), key.Matches(msg, k.CopyID):
			return m.copy(key.Matches(msg, k.CopyID))
		case m.isPivot(msg):
			return m.onPivot(msg)
		case key.Matches(msg, k.Top):
			m.full.GotoTop()
			return nil
		case key.Matches(msg, k.Bottom):
			m.full.GotoBottom()
			return nil
		}
		var cmd tea.Cmd
		m.full, cmd = m.full.Update(msg)
		return cmd
	}

	// modeBrowse
	m.notice = ""
	switch {
	case key.Matches(msg, k.Quit):
		return m.quit()
	case key.Matches(msg, k.Help):
		m.mode = modeHelp
		m.help.ShowAll = true
	case key.Matches(msg, k.Filter):
		m.mode = modeFilter
		m.focus = focusList
		m.input.CursorEnd()
		return m.input.Focus()
	case key.Matches(msg, k.Types):
		m.picker = newPicker(m.set.TypeCounts(nil), m.types)
		m.mode = modePicker
	case key.Matches(msg, k.Back):
		if m.queryErr != "" {
			m.queryErr = ""
			return nil
		}
		if !m.matcher.IsEmpty() {
			m.input.SetValue("")
			m.types = nil
			return m.setMatcher(model.CompileMatcher(""))
		}
		m.focus = focusList
	case key.Matches(msg, k.Open):
		if _, ok := m.list.Selected(); ok {
			m.fullEvent = -1
			m.mode = modeFull
			m.resize() // sizes the viewport and fills it
		}
	case key.Matches(msg, k.Focus):
		if m.focus == focusList && m.detailVisible() {
			m.focus = focusDetail
		} else {
			m.focus = focusList
		}
	case key.Matches(msg, k.Detail):
		m.showDetail = !m.showDetail
		if !m.showDetail {
			m.focus = focusList
		}
		m.resize()
	case key.Matches(msg, k.TimeFormat):
		m.timeMode = (m.timeMode + 1) % timeModes
		m.resize()
		if m.timeMode == timeRelative {
			return m.minuteTick()
		}
	case key.Matches(msg, k.Raw):
		m.raw = !m.raw
	case key.Matches(msg, k.Copy), key.Matches(msg, k.CopyID):
		return m.copy(key.Matches(msg, k.CopyID))
	case key.Matches(msg, k.More):
		if m.paused() {
			return m.loadMore()
		}
		switch {
		case m.stream.err != nil:
			m.notice = "loading stopped on an error: R retries"
		case m.stream.exhausted:
			m.notice = "everything is loaded"
		default:
			m.notice = "already loading"
		}
	case key.Matches(msg, k.Retry):
		if m.stream.err == nil {
			m.notice = "nothing to retry"
		}
		return m.retry()
	case key.Matches(msg, k.Query):
		m.queryErr = ""
		return m.editQuery()
	case key.Matches(msg, k.Facets):
		return m.openFacets()
	case key.Matches(msg, k.Views):
		m.mode = modeViews
	case key.Matches(msg, k.Zoom):
		return m.zoom()
	case key.Matches(msg, k.Undo):
		return m.previousQuery()
	case m.isPivot(msg):
		return m.onPivot(msg)
	default:
		return m.navigate(msg)
	}
	return nil
}

func (m *Model) isPivot(msg tea.KeyPressMsg) bool {
	k := m.keys
	return key.Matches(msg, k.PivotActor) || key.Matches(msg, k.PivotIP) || key.Matches(msg, k.PivotProject) ||
		key.Matches(msg, k.PivotResource) || key.Matches(msg, k.PivotType)
}

func (m *Model) onPivot(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.PivotActor):
		return m.pivot(query.KeyActor)
	case key.Matches(msg, k.PivotIP):
		return m.pivot(query.KeyIP)
	case key.Matches(msg, k.PivotProject):
		return m.pivot(query.KeyProject)
	case key.Matches(msg, k.PivotResource):
		return m.pivot(query.KeyResource)
	}
	return m.pivot(query.KeyType)
}

// navigate handles the movement keys for whichever pane has focus.
func (m *Model) navigate(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	page := max(m.list.height, 1)
	if m.focus == focusDetail {
		page = max(m.detailHeight(), 1)
	}
	delta := 0
	switch {
	case key.Matches(msg, k.Up):
		delta = -1
	case key.Matches(msg, k.Down):
		delta = 1
	case key.Matches(msg, k.PageUp):
		delta = -page
	case key.Matches(msg, k.PageDown):
		delta = page
	case key.Matches(msg, k.HalfUp):
		delta = -max(page/2, 1)
	case key.Matches(msg, k.HalfDown):
		delta = max(page/2, 1)
	case key.Matches(msg, k.Top):
		delta = -1 << 30
	case key.Matches(msg, k.Bottom):
		delta = 1 << 30
	default:
		return nil
	}
	if m.focus == focusDetail {
		m.detail.scroll(delta)
		return nil
	}
	switch delta {
	case -1 << 30:
		m.list.Top()
	case 1 << 30:
		m.list.Bottom()
	default:
		m.list.Move(delta)
	}
	return m.nearEnd()
}

// nearEnd fetches more when the cursor reaches the end of what is loaded.
func (m *Model) nearEnd() tea.Cmd {
	if m.list.NearEnd() && m.paused() {
		return m.loadMore()
	}
	return nil
}

func (m *Model) updateInput(msg tea.Msg) tea.Cmd {
	before := m.input.Value()
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	if m.input.Value() == before {
		return cmd
	}
	return tea.Batch(cmd, m.setMatcher(model.CompileMatcher(m.input.Value()).WithTypes(m.types)))
}

// copy puts the selected event (or its id) on the clipboard with OSC 52.
func (m *Model) copy(idOnly bool) tea.Cmd {
	i, ok := m.selected()
	if !ok {
		m.notice = "nothing to copy"
		return nil
	}
	e := m.set.At(i)
	if idOnly {
		m.notice = "copied the event id " + sanitize.Display(e.ID)
		return tea.SetClipboard(e.ID)
	}
	m.notice = "copied the raw event (" + plural(len(e.Raw), "byte") + ")"
	return tea.SetClipboard(string(e.Raw))
}

// selected is the event shown in the detail or full-screen view.
func (m *Model) selected() (int, bool) {
	if m.mode == modeFull && m.fullEvent >= 0 {
		return m.fullEvent, true
	}
	return m.list.Selected()
}

// onWheel scrolls whatever is under the mouse; scrolling the list near its
// end fetches more like the keys do.
func (m *Model) onWheel(msg tea.MouseWheelMsg) tea.Cmd {
	mouse := msg.Mouse()
	delta := 0
	switch mouse.Button {
	case tea.MouseWheelUp:
		delta = -3
	case tea.MouseWheelDown:
		delta = 3
	default:
		return nil
	}
	switch m.mode {
	case modeFull:
		if delta < 0 {
			m.full.ScrollUp(-delta)
		} else {
			m.full.ScrollDown(delta)
		}
	case modeBrowse, modeFilter:
		l := m.layout()
		if l.detail.contains(mouse.X, mouse.Y) {
			m.detail.scroll(delta)
			return nil
		}
		if l.list.contains(mouse.X, mouse.Y) {
			m.list.Scroll(delta)
			return m.nearEnd()
		}
	case modePicker:
		m.picker.move(delta / 3)
	case modeFacets:
		m.facets.move(delta / 3)
	}
	return nil
}

func (m *Model) onClick(msg tea.MouseClickMsg) {
	mouse := msg.Mouse()
	if mouse.Button != tea.MouseLeft || m.mode != modeBrowse {
		return
	}
	l := m.layout()
	switch {
	case l.list.contains(mouse.X, mouse.Y):
		m.focus = focusList
		m.list.Click(mouse.Y - l.list.y - 1) // the column titles take one line
	case l.detail.contains(mouse.X, mouse.Y):
		m.focus = focusDetail
	}
}

// fillFull renders the selected event into the full-screen viewport.
func (m *Model) fillFull() {
	i, ok := m.list.Selected()
	if m.mode == modeFull && m.fullEvent >= 0 && m.fullEvent < m.set.Len() {
		i, ok = m.fullEvent, true
	}
	if !ok {
		m.mode = modeBrowse
		return
	}
	m.fullEvent = i
	lines := renderDetail(m.styles, m.set.At(i), m.full.Width(), m.detailView())
	m.full.SetContentLines(lines)
}

func (m *Model) detailView() detailView {
	return detailView{raw: m.raw, now: m.opts.Now(), loc: m.opts.Location}
}
