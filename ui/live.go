package ui

import (
	"cmp"
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/sanitize"
	"github.com/auditui/auditui/model/store"
)

// DefaultInterval is how often F polls for new events.
const DefaultInterval = 30 * time.Second

// StoreMaxEvents is how many events the browser opens over a store: the
// store holds them already, so --max-events does not limit them.
const StoreMaxEvents = 1_000_000

// arrivalOverlap is how far before the newest loaded event a poll of a
// source without a store reads again, for events listed late; the set drops
// those it holds.
const arrivalOverlap = 5 * time.Minute

// live is the browser's view of a log that grows: a poll syncs the store
// (when there is one and it is not offline), then reads what was stored
// since the last poll, however old (a gap another sync filled late shows
// too), or without a store what is newer than the newest loaded event; F
// repeats it every interval.
type live struct {
	job       job
	ctx       context.Context // the poll's, which a newer poll or quitting cancels
	following bool
	ticking   int       // the generation of the poll timer armed; 0 when none
	polled    time.Time // when the last poll ended
	synced    time.Time // when the store was last synced, from its meta
	err       string    // why the last poll failed, one line; "" when it worked
	newest    time.Time // the newest event loaded, where a poll without a store reads from
	// pos is the store's last position read, where a poll reads on from
	// and following without a sync waits after; -1 while it is not known.
	pos int64
	// readLater marks a sync that ended before the first page: its new
	// events are read once the newest stored ones are loaded.
	readLater bool
	// arrived is what Set.Len was after new events were appended, until a
	// filter result covering them reaches the list.
	arrived int
	unwait  context.CancelFunc // ends the wait armed; nil when none
}

// Messages of a poll: the sync ended, the new events were read, it is time
// to poll again.
type (
	syncedMsg struct {
		gen      int
		err      error
		lastSync time.Time
	}
	arrivalsMsg struct {
		gen    int
		events []model.Event
		pos    int64 // the store's last position read; 0 without a store
		err    error
	}
	pollMsg     struct{ gen int }
	syncedAtMsg struct{ at time.Time }
)

// interval is the time between polls while following.
func (m *Model) interval() time.Duration { return cmp.Or(m.opts.Interval, DefaultInterval) }

// poll starts one poll: the sync (none offline) and the store's last sync
// time, off the UI goroutine.
func (m *Model) poll() tea.Cmd {
	ctx, gen := m.live.job.start(m.ctx)
	m.live.ctx = ctx
	sync, st := m.opts.Sync, m.opts.Store
	return func() tea.Msg {
		msg := syncedMsg{gen: gen}
		if sync != nil {
			msg.err = sync(ctx)
		}
		if st != nil {
			if meta, err := st.Meta(ctx); err == nil {
				msg.lastSync = meta.LastSync
			} else if msg.err == nil {
				msg.err = err
			}
		}
		return msg
	}
}

// onSynced records the sync and reads what it stored, unless the newest
// stored events are not loaded yet.
func (m *Model) onSynced(msg syncedMsg) tea.Cmd {
	if msg.gen != m.live.job.gen || !m.live.job.running {
		return nil
	}
	if !msg.lastSync.IsZero() {
		m.live.synced = msg.lastSync
	}
	m.live.err = ""
	if msg.err != nil && m.ctx.Err() == nil {
		m.live.err = sanitize.OneLine(msg.err.Error())
	}
	if m.live.newest.IsZero() && m.stream.job.running && m.stream.pages == 0 {
		m.live.readLater = true
		return nil
	}
	return m.readArrivals()
}

// readArrivals reads the events of the query in force that the store got
// since the last poll, or without a store those newer than the newest
// loaded one (less the overlap), all of them, in the poll's job.
func (m *Model) readArrivals() tea.Cmd {
	m.live.readLater = false
	if !m.live.job.running {
		return nil
	}
	gen, ctx := m.live.job.gen, m.live.ctx
	q := m.server
	q.After = ""
	if st, pos := m.opts.Store, m.live.pos; st != nil {
		return func() tea.Msg { return storedSince(ctx, st, pos, q.Filter, gen) }
	}
	if !m.live.newest.IsZero() {
		if from := m.live.newest.Add(-arrivalOverlap); from.After(q.Filter.Since) {
			q.Filter.Since = from
		}
	}
	src := m.opts.Source
	return func() tea.Msg {
		msg := arrivalsMsg{gen: gen}
		for page, err := range src.Pages(ctx, q) {
			if err != nil {
				msg.err = err
				break
			}
			msg.events = append(msg.events, page.Events...)
		}
		return msg
	}
}

// positionWait is how long opening waits for the store's last position: a
// store that cannot say by then (its database server away) leaves it to the
// first poll rather than hold the browser back.
const positionWait = 2 * time.Second

// lastPosition is st's last position, -1 when it cannot say in time.
func lastPosition(ctx context.Context, st store.Store) int64 {
	ctx, cancel := context.WithTimeout(ctx, positionWait)
	defer cancel()
	last, err := st.Last(ctx)
	if err != nil {
		return -1
	}
	return last
}

// storedSince is what st holds after position pos that the API lists for
// f, whoever stored it; a pos not known yet starts at the last one.
func storedSince(ctx context.Context, st store.Store, pos int64, f model.Filter, gen int) arrivalsMsg {
	msg := arrivalsMsg{gen: gen, pos: pos}
	if pos < 0 {
		msg.pos, msg.err = st.Last(ctx)
		return msg
	}
	for s, err := range st.Since(ctx, pos) {
		if err != nil {
			msg.err = err
			break
		}
		msg.pos = s.Pos
		if f.Match(&s.Event) && store.Listed(f, &s.Event) {
			msg.events = append(msg.events, s.Event)
		}
	}
	return msg
}

// onArrivals adds the new events (the list keeps the selected one where
// it is) and arms the next poll while following.
func (m *Model) onArrivals(msg arrivalsMsg) tea.Cmd {
	if !m.live.job.finish(msg.gen) {
		return nil
	}
	m.live.polled = m.opts.Now()
	if msg.pos > m.live.pos {
		m.live.pos = msg.pos
	}
	if msg.err != nil && m.ctx.Err() == nil && m.live.err == "" {
		m.live.err = sanitize.OneLine(msg.err.Error())
	}
	var cmd tea.Cmd
	if m.set.Append(msg.events) > 0 {
		m.noteNewest(msg.events)
		m.live.arrived = m.set.Len()
		m.grew()
		cmd = m.afterGrowth()
	}
	return tea.Batch(cmd, m.armPoll())
}

// armPoll waits an interval before the next poll while following.
func (m *Model) armPoll() tea.Cmd {
	if !m.live.following || m.live.ticking != 0 || m.live.job.running {
		return nil
	}
	m.live.ticking = m.live.job.gen + 1
	gen := m.live.ticking
	next := func(time.Time) tea.Msg { return pollMsg{gen: gen} }
	if m.opts.Sync != nil || m.wait == nil {
		return m.tick(m.interval(), next)
	}
	// Nothing to sync: the next poll is when another process stores
	// something (PostgreSQL says so at once), or an interval after the
	// store failed to say.
	ctx, cancel := context.WithCancel(m.ctx)
	m.live.unwait = cancel
	wait, last, tick, d := m.wait, m.live.pos, m.tick, m.interval()
	return func() tea.Msg {
		defer cancel()
		if err := wait(ctx, last); err == nil {
			return next(time.Time{})
		}
		if c := tick(d, next); c != nil && ctx.Err() == nil {
			return c()
		}
		return nil
	}
}

// storeWait is st's Wait, nil for no store.
func storeWait(st store.Store) func(context.Context, int64) error {
	if st == nil {
		return nil
	}
	return st.Wait
}

// stopWaiting ends the wait armPoll armed, if any.
func (m *Model) stopWaiting() {
	if m.live.unwait != nil {
		m.live.unwait()
		m.live.unwait = nil
	}
}

// onPoll polls when the timer is the one armed and following is still on.
func (m *Model) onPoll(msg pollMsg) tea.Cmd {
	if msg.gen != m.live.ticking {
		return nil
	}
	m.live.ticking = 0
	m.stopWaiting()
	if !m.live.following || m.live.job.running {
		return nil
	}
	return m.poll()
}

// toggleFollow is F: start polling at once, or stop.
func (m *Model) toggleFollow() tea.Cmd {
	if m.opts.Source == nil {
		m.notice = "nothing to follow"
		return nil
	}
	m.live.following = !m.live.following
	if !m.live.following {
		m.live.ticking = 0
		m.stopWaiting()
		m.notice = "stopped following"
		return nil
	}
	m.notice = "following: polling every " + m.interval().String()
	if m.opts.Sync == nil && m.wait != nil {
		m.notice = "following: new events as they are stored"
	}
	if m.live.job.running {
		return nil // the poll in flight arms the next
	}
	return m.poll()
}

// noteNewest remembers the newest event seen, where polls read from.
func (m *Model) noteNewest(events []model.Event) {
	for i := range events {
		if at := events[i].EffectiveAt; at.After(m.live.newest) {
			m.live.newest = at
		}
	}
}

// startLive polls once when the browser opens over a store: offline that
// only reads when it was synced; otherwise it syncs the newest events.
func (m *Model) startLive() tea.Cmd {
	if m.opts.Store == nil {
		return nil
	}
	st, ctx := m.opts.Store, m.ctx
	syncedAt := func() tea.Msg {
		meta, err := st.Meta(ctx)
		if err != nil {
			return nil // the poll says why
		}
		return syncedAtMsg{meta.LastSync}
	}
	return tea.Batch(syncedAt, m.poll())
}

// liveHeader is the header's part about polling: the live mark and the
// last poll, or as of when the store was synced.
func (m *Model) liveHeader() []string {
	st := m.styles
	var parts []string
	if m.live.following {
		s := st.Live.Render("● live")
		if !m.live.polled.IsZero() {
			s += st.HeaderLabel.Render(" polled ") + st.HeaderValue.Render(m.live.polled.In(m.opts.Location).Format(time.TimeOnly))
		}
		parts = append(parts, s)
	}
	if m.opts.Offline {
		parts = append(parts, st.HeaderLabel.Render("offline"))
	}
	if m.opts.Store != nil && (m.opts.Offline || !m.live.following) {
		synced := "never synced"
		if !m.live.synced.IsZero() {
			synced = "synced " + relative(m.live.synced, m.opts.Now())
		}
		parts = append(parts, st.HeaderLabel.Render(synced))
	}
	return parts
}

// liveStatus is the status bar's part about polling.
func (m *Model) liveStatus() []string {
	var parts []string
	if n := m.list.newAbove; n > 0 {
		parts = append(parts, "↑ "+commas(n)+" new")
	}
	if m.live.job.running {
		what := "reading new events"
		if m.opts.Sync != nil {
			what = "syncing"
		}
		parts = append(parts, what+"…")
	}
	return parts
}

// readIfWaiting reads the events a sync stored once the newest stored
// ones are loaded (or loading ended).
func (m *Model) readIfWaiting() tea.Cmd {
	if !m.live.readLater {
		return nil
	}
	return m.readArrivals()
}
