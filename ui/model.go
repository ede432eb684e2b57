// Package ui is auditui's terminal browser. One root Model (model.go) owns
// the state and the single Update; a loader (loader.go, stream.go) brings
// pages from any model.Source into a model.Set; the list (list.go) draws a
// window of what the query in force (query.go) and the filter box select,
// beside the detail pane (detailpane.go, detail.go, payload.go) and under
// the time histogram (histogram.go). Whatever takes the keyboard from the
// list is a Component on a stack (component.go): the help, the type picker,
// the facets panel, the saved views, the query bar and the full-screen
// event, one file each. Every string from the API is drawn through
// model/sanitize.
package ui

import (
	"context"
	"errors"
	"math"
	"runtime/debug"
	"slices"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/history"
	"github.com/auditui/auditui/model/query"
	"github.com/auditui/auditui/model/store"
	storelocal "github.com/auditui/auditui/model/store/local"
	"github.com/auditui/auditui/model/store/syncer"
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
	// FromFile says the events come from a file (--file): it is read whole,
	// without pausing at MaxEvents, and queries run "in the file".
	FromFile bool

	// Store is the local store Source reads, when there is one: the
	// browser then reads the query it opens with and new events from it
	// directly, opens StoreMaxEvents unless MaxEvents says otherwise, and
	// says when the store was synced. Sync brings it up to date from
	// the API once; it runs in the background when the browser opens and
	// on every poll. It is nil offline (and then Offline is set) or when
	// there is no store. Interval is the time between polls of F; 0 means
	// DefaultInterval.
	Store    store.Store
	Sync     func(context.Context) error
	Offline  bool
	Interval time.Duration

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
	// Columns are the list's columns by name, in order, as last chosen (nil:
	// the default); the chooser saves a new choice at ColumnsPath ("": not
	// kept). ColumnsErr is why the saved choice could not be used.
	Columns     []string
	ColumnsPath string
	ColumnsErr  string
	// SourceArgs are the command-line flags that chose where events come
	// from (--file PATH, --demo, --store X, --offline), which E adds to the
	// command it copies so that it reads the same events.
	SourceArgs []string
	// Recent is the query history, oldest first, kept at RecentPath (""
	// keeps none); RecentErr is why the file there could not be used: it
	// is then left alone.
	Recent     []string
	RecentPath string
	RecentErr  string

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
	// columns are the list's chosen columns in order; widths their loaded
	// values' widths, which the layout follows.
	columns []columnID
	widths  contentWidths

	stream   loader
	run      tea.Cmd // starts the first fetch; taken by Init
	live     live    // polling for new events
	spinning bool    // a spinner tick is on its way

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

	recent    *recentQueries // the query bar's history
	tenant    tenantLoads    // where tenant-only fetches put events
	marks     markSet        // rows marked with space
	export    exportState    // the file e is writing
	exportErr string         // why the last export failed

	help    help.Model
	spinner spinner.Model
	tick    func(time.Duration, func(time.Time) tea.Msg) tea.Cmd // tea.Tick; replaced in tests
	wait    func(context.Context, int64) error                   // the store's Wait, nil for none; replaced in tests
	notice  string                                               // one-off confirmation in the status bar
}

// filterState tracks the filter running off the UI goroutine.
type filterState struct {
	job     job
	err     error // why the typed text cannot match, e.g. a broken glob
	scanned int   // events the list's result looked at
	worded  wordedHits
}

// filterMsg is the list's new result: the filter box's matches, the query's
// and what the list shows (both, in time order; nil for every event).
type filterMsg struct {
	gen     int
	result  model.Result
	worded  wordedHits
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
		if opts.Store != nil {
			opts.MaxEvents = StoreMaxEvents
		}
		if opts.FromFile {
			opts.MaxEvents = math.MaxInt32 // already read: pausing saves no request
		}
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
		wait:       storeWait(opts.Store),
		facetIdx:   &model.FacetIndex{},
		marks:      markSet{},
		columns:    defaultColumns,
	}
	fetch, local := historyFetch(opts)
	m.common = &common{keys: m.keys, styles: m.styles, set: m.set, now: opts.Now, loc: opts.Location,
		hist: newHistories(ctx, fetch, local), fromFile: opts.FromFile, seen: &query.Seen{}}
	m.recent = newRecent(opts)
	m.common.recent = m.recent
	if m.opts.Views == nil {
		m.opts.Views = defaultViews()
	}
	m.initQuery()
	if m.opts.ViewsErr != "" && m.notice == "" {
		m.notice = "saved views: see v"
	}
	m.columns = m.savedColumns()
	m.input = textinput.New()
	m.input.Prompt = "/ "
	m.input.Placeholder = "type, email, IP, project, id… or a glob such as api_key.*"
	m.input.CharLimit = 256
	m.input.SetValue(opts.Filter)
	m.matcher = model.CompileMatcher(opts.Filter)
	m.filter.err = m.matcher.Err()
	m.applyStyles()
	m.stream = newLoader(m.ctx, opts.Source, m.set, opts.MaxEvents)
	m.stream.lastID = opts.Query.After
	if opts.Source != nil {
		q := m.server
		q.After = opts.Query.After
		// The store alone, not a Source that may sync first: its newest
		// rows draw at once, and the sync runs beside them. It answers as
		// the Source does (no query leaves tenant events out); polls read
		// on from the store's last position before this read.
		var first model.Source = opts.Source
		if opts.Store != nil {
			first = storelocal.New(opts.Store, nil, syncer.Options{})
			m.live.pos = lastPosition(m.ctx, opts.Store)
		}
		m.run = m.stream.beginFrom(first, q)
		m.stream.waiting = true // Init arms the first wait
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
	if m.run != nil {
		// The spinner starts with the first Update, which can record that it runs.
		cmds = append(cmds, m.run, m.stream.fetch.waitPage(m.stream.room()))
	}
	return tea.Batch(append(cmds, m.startLive())...)
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

	case spinner.TickMsg:
		if m.stream.fetching() {
			var cmd tea.Cmd
			m.spinner, cmd = m.spinner.Update(msg)
			cmds = append(cmds, cmd)
		} else {
			m.spinning = false
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
		} else {
			cmds = append(cmds, m.updateTop(msg))
		}

	default:
		cmds = append(cmds, m.onResult(msg))
	}

	if m.stream.fetching() && !m.spinning {
		m.spinning = true
		cmds = append(cmds, m.spinner.Tick)
	}
	m.syncDetail()
	cmds = append(cmds, m.askLocalHistory())
	return m, tea.Batch(cmds...)
}

// onResult takes what a background job sent back: a fetch's pages and end,
// the live follow's syncs and arrivals, a filter, an export, the derived
// views, a history, a saved column choice. Other messages are no one's.
func (m *Model) onResult(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case pageMsg:
		return m.onPage(msg)
	case fetchDoneMsg:
		m.stream.ended(msg.gen, nil)
		return tea.Batch(m.readIfWaiting(), m.refreshDerived(), returnMemory(m.set.Len()))
	case fetchErrMsg:
		m.stream.ended(msg.gen, msg.err)
		return tea.Batch(m.readIfWaiting(), m.refreshDerived())
	case syncedMsg:
		return m.onSynced(msg)
	case arrivalsMsg:
		return m.onArrivals(msg)
	case pollMsg:
		return m.onPoll(msg)
	case syncedAtMsg:
		if msg.at.After(m.live.synced) {
			m.live.synced = msg.at
		}
	case filterMsg:
		return m.onFilter(msg)
	case exportProgressMsg:
		return m.onExportProgress(msg)
	case exportDoneMsg:
		return m.onExportDone(msg)
	case derivedMsg:
		return m.onDerived(msg)
	case historyMsg:
		m.onHistory(msg)
	case recentSavedMsg:
		m.onRecentSaved(msg)
	case columnsSavedMsg:
		m.onColumnsSaved(msg)
	}
	return nil
}

// onPage adds a page to the set, up to the cap, and asks for the next one.
func (m *Model) onPage(msg pageMsg) tea.Cmd {
	if !m.stream.receive(msg) {
		return nil // from a superseded query
	}
	if m.notice == retryNotice {
		m.notice = "" // the retry worked
	}
	for _, p := range msg.pages {
		m.noteNewest(p.Events)
	}
	m.grew()
	return tea.Batch(m.afterGrowth(), m.stream.armWait(), m.readIfWaiting())
}

// grew brings the facet index and the list up to the events admitted.
func (m *Model) grew() {
	m.tenant.noteLoaded(m.set.Len(), m.stream.query.Filter)
	m.facetIdx.Update(m.set)
	m.widths.catchUp(m.set)
	m.list.Grow(m.set.Len())
}

// paused reports whether loading stopped at the cap with more to come.
func (m *Model) paused() bool { return m.stream.paused() }

// loadMore raises the cap by another MaxEvents and resumes loading.
func (m *Model) loadMore() tea.Cmd {
	if !m.stream.more() {
		return nil
	}
	m.grew()
	return tea.Batch(m.afterGrowth(), m.stream.armWait())
}

const retryNotice = "retrying from the last event loaded"

// retry starts a new query from the last cursor after an error.
func (m *Model) retry() tea.Cmd {
	cmd := m.stream.retry()
	if cmd != nil {
		m.notice = retryNotice
	}
	return cmd
}

// afterGrowth keeps the filtered list, and what is derived from it, up to
// date with appended events.
func (m *Model) afterGrowth() tea.Cmd {
	if !m.filtering() {
		m.filter.scanned = m.set.Len()
		return m.refreshDerivedGrown()
	}
	if m.filter.job.running || m.filter.scanned >= m.set.Len() {
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
	ctx, gen := m.filter.job.start(m.ctx)
	set, mt, prev := m.set, m.matcher, m.result
	scope, plan, qgen, all, fi := m.scope, m.query.plan, m.query.gen, m.query.all, m.facetIdx
	hide := m.tenant.hidden(m.server.Filter)
	wd, hits := m.common.hist.worded, m.filter.worded
	return func() tea.Msg {
		msg := filterMsg{gen: gen}
		var worded []history.WordedText
		if mt.SearchesText() || (!all && plan.SearchesText()) {
			worded = wd.Texts(set)
		}
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
			if mt.SearchesText() {
				// Only summaries holding the text can add an event the index did not find.
				msg.worded = hits.narrow(worded, mt.Text())
				shown = rematch(set, shown, n, msg.worded.texts, func(e *model.Event, text string, found bool) bool {
					return found || mt.MatchesExtra(e, text)
				})
			}
		}
		if !all {
			sc, err := scope.extend(ctx, set, plan, qgen, n)
			if err != nil {
				return filterMsg{gen: gen, err: err}
			}
			msg.scope = sc
			scoped := sc.indices
			if plan.SearchesText() {
				scoped = rematch(set, scoped, n, worded, func(e *model.Event, text string, _ bool) bool {
					return plan.MatchWith(e, text)
				})
			}
			shown = intersect(shown, scoped)
		}
		shown = without(shown, n, hide)
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
	if !m.filter.job.finish(msg.gen) {
		return nil
	}
	if msg.err != nil {
		return nil // cancelled: a newer filter is on its way
	}
	if !m.matcher.IsEmpty() {
		m.result, m.filter.worded = msg.result, msg.worded
	}
	if msg.scope.gen == m.query.gen {
		m.scope = msg.scope
	}
	m.filter.scanned = msg.scanned
	cursor, offset := m.list.cursor, m.list.offset
	if msg.shown == nil {
		m.list.ShowAll(msg.scanned)
	} else {
		m.list.SetMatches(msg.shown)
	}
	if m.live.arrived > 0 {
		m.list.KeepInView(cursor, offset)
		if msg.scanned >= m.live.arrived {
			m.live.arrived = 0
		}
	}
	return tea.Batch(m.afterGrowth(), m.refreshDerivedGrown())
}

// minuteTick redraws relative times once a minute while they are shown.
func (m *Model) minuteTick() tea.Cmd {
	return m.tick(time.Minute, func(time.Time) tea.Msg { return minuteMsg{} })
}

// returnMemory gives the operating system back what a large load left
// behind (decoded pages, grown tables): the Go runtime would keep most of
// it resident for minutes. Off the UI goroutine: it runs a collection.
func returnMemory(loaded int) tea.Cmd {
	if loaded < 100_000 {
		return nil
	}
	return func() tea.Msg {
		debug.FreeOSMemory()
		return nil
	}
}
