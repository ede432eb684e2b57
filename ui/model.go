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
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/auditui/auditui/model"
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

// focus is which pane of the browse screen the movement keys act on.
type focus int

const (
	focusList focus = iota
	focusDetail
)

// Model is the browser's root model: the only tea.Model. It drives the
// list, the detail pane and the filter box itself, and keeps the components
// that take the keyboard from them (see Component) on a stack.
type Model struct {
	ctx    context.Context
	cancel context.CancelFunc
	opts   Options
	keys   KeyMap
	styles *Styles
	common *common // what the components read

	width, height int
	stack         []Component // open components; the last has the keyboard
	typing        bool        // the filter box has the keyboard
	focus         focus

	set  *model.Set
	list eventList

	stream streamState

	input    textinput.Model
	matcher  model.Matcher
	result   model.Result // the last applied filter result
	filter   filterState
	types    []string // applied from the picker; nil shows all types
	timeMode timeMode

	detail     detailPane
	showDetail bool
	raw        bool

	// Investigating: the query in force and its bar, what the API is asked
	// for, per-event facet values and times, and what is derived from them.
	query    queryState
	queryErr string // why the last query could not be put in force
	server   model.Query
	facetIdx *model.FacetIndex
	scope    scopeResult
	derived  derivedState

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
func New(opts Options) *Model { return newModel(context.Background(), opts) }

func newModel(ctx context.Context, opts Options) *Model {
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
	m := &Model{
		ctx:        ctx,
		cancel:     cancel,
		opts:       opts,
		keys:       DefaultKeyMap(),
		styles:     &st,
		set:        &model.Set{},
		list:       newEventList(),
		detail:     detailPane{vp: viewport.New()},
		showDetail: true,
		help:       help.New(),
		spinner:    spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		tick:       tea.Tick,
		facetIdx:   &model.FacetIndex{},
	}
	m.common = &common{keys: m.keys, styles: m.styles, set: m.set, now: opts.Now, loc: opts.Location}
	if m.opts.Views == nil {
		m.opts.Views = defaultViews()
	}
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
	m.spinner.Style = m.styles.Spinner
}

// Init starts loading and asks the terminal for its background colour.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor}
	if m.stream.run != nil {
		// The spinner starts with the first Update, which can record that it runs.
		cmds = append(cmds, m.stream.run, m.stream.fetch.waitPage())
	}
	return tea.Batch(cmds...)
}

// Update is the one place state changes: a single switch over messages.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
		cmds = append(cmds, m.refreshDerived())

	case tea.BackgroundColorMsg:
		*m.styles = NewStyles(msg.IsDark()) // in place: the components hold the pointer
		m.applyStyles()
		m.resize()

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
		switch {
		case m.top() != nil:
			cmds = append(cmds, m.updateTop(msg))
		case m.typing:
			cmds = append(cmds, m.updateInput(msg))
		}

	case tea.MouseWheelMsg:
		cmds = append(cmds, m.onWheel(msg))

	case tea.MouseClickMsg:
		if m.top() == nil {
			m.onClick(msg)
		}
	}

	if m.stream.active && m.stream.waiting && !m.stream.spinning {
		m.stream.spinning = true
		cmds = append(cmds, m.spinner.Tick)
	}
	m.syncDetail()
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
