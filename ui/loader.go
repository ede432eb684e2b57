package ui

import (
	"context"
	"fmt"
	"math"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/sanitize"
)

// job is one piece of background work that a newer one supersedes (a
// fetch, a filter, the histogram): its generation, how to stop it and
// whether it still runs. Its results carry the generation they were
// started with, and count only while that is current.
type job struct {
	gen     int
	cancel  context.CancelFunc
	running bool
}

// start stops the work in flight and begins the next generation under parent.
func (j *job) start(parent context.Context) (context.Context, int) {
	j.stop()
	ctx, cancel := context.WithCancel(parent)
	j.gen++
	j.cancel, j.running = cancel, true
	return ctx, j.gen
}

// stop cancels the work in flight; its results will not count.
func (j *job) stop() {
	if j.cancel != nil {
		j.cancel()
		j.cancel = nil
	}
	j.running = false
}

// finish records that generation gen ended, reporting whether it is
// current; its context is released.
func (j *job) finish(gen int) bool {
	if gen != j.gen {
		return false
	}
	j.stop()
	return true
}

// loader brings the events of one query at a time from a model.Source into
// the set: it runs the fetch, holds back what arrives past the cap until
// more is asked for, and resumes from the last cursor after an error. It
// knows nothing of where the pages come from (the API, a file, a store);
// its methods return the commands to run.
type loader struct {
	ctx   context.Context
	src   model.Source
	set   *model.Set
	step  int // events loaded before pausing, and how many more m admits
	job   job
	fetch *fetch
	query model.Query // what the fetch in force asks, for a retry

	waiting   bool // a waitPage command is armed
	exhausted bool
	err       error
	pages     int           // pages received for the query in force
	final     bool          // the last page received said none follows
	cap       int           // load up to this many events
	held      []model.Event // received past the cap, added on "more"
	lastID    string        // cursor to resume from
	skipped   int           // records that could not be decoded
	firstSkip string        // the first of them, where and why
}

func newLoader(ctx context.Context, src model.Source, set *model.Set, step int) loader {
	return loader{ctx: ctx, src: src, set: set, step: step, cap: step}
}

// begin starts fetching q in a new generation, so pages of the one before
// still in flight are dropped, and returns the command that runs it.
func (l *loader) begin(q model.Query) tea.Cmd { return l.beginFrom(l.src, q) }

// beginFrom is begin reading from src instead of the loader's source.
func (l *loader) beginFrom(src model.Source, q model.Query) tea.Cmd {
	ctx, gen := l.job.start(l.ctx)
	l.query, l.final = q, false
	var run tea.Cmd
	l.fetch, run = startFetch(ctx, src, q, gen)
	l.waiting = false
	return run
}

// restart fetches q from its start; what is loaded stays and the cap starts
// over from it.
func (l *loader) restart(q model.Query) tea.Cmd {
	if l.src == nil {
		return nil
	}
	l.err, l.exhausted, l.held, l.lastID = nil, false, nil, ""
	l.pages = 0 // the status bar counts this query's pages
	l.cap = l.set.Len() + l.step
	q.After = ""
	return tea.Batch(l.begin(q), l.armWait())
}

// retry resumes the query after an error from the last event loaded.
func (l *loader) retry() tea.Cmd {
	if !l.canRetry() || l.src == nil {
		return nil
	}
	l.err = nil
	q := l.query
	q.After = l.lastID
	return tea.Batch(l.begin(q), l.armWait())
}

// receive takes the pages of a message of the current generation, admitting
// what fits under the cap; false means they belong to a superseded query.
func (l *loader) receive(msg pageMsg) bool {
	if msg.gen != l.job.gen {
		return false
	}
	l.waiting = false
	for _, page := range msg.pages {
		l.pages++
		l.final = !page.HasMore
		if l.skipped == 0 && len(page.Skipped) > 0 {
			l.firstSkip = page.Skipped[0].Error()
		}
		l.skipped += len(page.Skipped)
		if n := len(page.Events); n > 0 {
			l.lastID = page.Events[n-1].ID
		}
		if page.LastID != "" {
			l.lastID = page.LastID
		}
		l.held = append(l.held, page.Events...)
	}
	l.admit()
	return true
}

// admit moves held events into the set while there is room under the cap.
func (l *loader) admit() {
	for len(l.held) > 0 {
		room := l.cap - l.set.Len()
		if room <= 0 {
			break
		}
		take := min(room, len(l.held))
		l.set.Append(l.held[:take])
		l.held = l.held[take:]
	}
	if len(l.held) == 0 {
		l.held = nil
	}
}

// ended records the end of a fetch: done, or stopped on err.
func (l *loader) ended(gen int, err error) {
	if !l.job.finish(gen) {
		return
	}
	l.waiting = false
	if err != nil {
		l.err = err
	} else {
		l.exhausted = true
	}
}

// armWait waits for the next page unless one is awaited, the fetch ended
// or the cap is reached.
func (l *loader) armWait() tea.Cmd {
	if l.waiting || !l.job.running || l.paused() {
		return nil
	}
	l.waiting = true
	return l.fetch.waitPage(l.room())
}

// room is how many more events fit under the cap, past those held.
func (l *loader) room() int { return max(l.cap-l.set.Len()-len(l.held), 1) }

// paused reports whether loading stopped at the cap with more to come: a
// cap reached by the last page is not a pause.
func (l *loader) paused() bool {
	return (l.job.running && !l.final || len(l.held) > 0) && l.set.Len() >= l.cap
}

// more raises the cap by another step and admits what is held, reporting
// whether loading was paused; armWait then resumes the fetch.
func (l *loader) more() bool {
	if !l.paused() {
		return false
	}
	l.cap = l.set.Len() + l.step
	l.admit()
	return true
}

// canRetry reports whether loading stopped on an error that asking again
// may end (not a request the server refuses every time).
func (l *loader) canRetry() bool { return l.err != nil && model.Retryable(l.err) }

// retrying is the source's last report of retrying the page on its way,
// zero when it is not retrying.
func (l *loader) retrying() model.Retry {
	if !l.fetching() {
		return model.Retry{}
	}
	return l.fetch.retrying()
}

// fetching reports whether a page is on its way, for the spinner.
func (l *loader) fetching() bool { return l.job.running && l.waiting }

// retryNote says how a page's retries go: "; rate limited; retrying in
// 12 s (2 of 5)", or nothing while the first attempt is out.
func retryNote(r model.Retry) string {
	if r.Attempt == 0 {
		return ""
	}
	of := fmt.Sprintf("%d of %d", r.Attempt, r.Of)
	if r.RateLimited {
		secs := int(math.Ceil(time.Until(r.At).Seconds()))
		if secs > 0 {
			return fmt.Sprintf(": %s; retrying in %d s (%s)", sanitize.OneLine(r.Reason), secs, of)
		}
	}
	return ": " + sanitize.OneLine(r.Reason) + "; retrying " + of
}
