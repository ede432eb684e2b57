// Package syncer brings a store up to date from a source that pages like the
// API: the time ranges a store lacks are listed in concurrent slices, each
// paged by cursor and split again when a worker is idle, every page
// committed with the range it completes, so an interrupted sync resumes
// without listing again what it finished.
package syncer

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/store"
)

// DefaultConcurrency is how many slices are listed at once.
const DefaultConcurrency = 8

// DefaultOverlap is how far before the newest stored event a sync looks
// again, for events the API adds late.
const DefaultOverlap = 5 * time.Minute

// Options say what to sync and how.
type Options struct {
	// Origin is where src lists from; a store filled from elsewhere is
	// refused, an empty one is marked with it.
	Origin store.Meta
	// Since is how far back the first sync goes; zero means everything.
	// Later syncs keep the first one's unless Since reaches further back.
	Since       time.Time
	Now         func() time.Time // time.Now when nil
	Concurrency int              // DefaultConcurrency when 0
	Overlap     time.Duration    // DefaultOverlap when 0
	PageSize    int              // model.DefaultPageSize when 0
	Throttle    *Throttle        // when set, it decides how many requests run at once
	Progress    func(Progress)   // called after every page stored
}

// Progress is how a sync is going.
type Progress struct {
	Listed  int // events received
	Stored  int // events new to the store
	Pages   int
	Slices  int // slices not finished yet
	Elapsed time.Duration
}

// Result is what a sync did.
type Result struct {
	Progress
	Requests int // pages asked for, probes included
}

// Sync brings st up to date from src, listing by listing.
func Sync(ctx context.Context, src model.Source, st store.Store, o Options) (Result, error) {
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	start := now()
	meta, err := st.Meta(ctx)
	if err != nil {
		return Result{}, err
	}
	if err := sameOrigin(meta, o.Origin, st.Location()); err != nil {
		return Result{}, err
	}
	since := meta.Since
	if !o.Since.IsZero() && (since.IsZero() || o.Since.Before(since)) {
		since = o.Since
	}
	if since.IsZero() {
		since = time.Unix(0, 0).UTC()
	}
	// The end is a whole second: events of the current one may still come.
	until := start.Truncate(time.Second)
	r := &run{src: src, st: st, o: o, start: start, now: now}
	r.o.Concurrency = max(r.o.Concurrency, 0)
	if r.o.Concurrency == 0 {
		r.o.Concurrency = DefaultConcurrency
	}
	if r.o.Overlap <= 0 {
		r.o.Overlap = DefaultOverlap
	}
	if r.o.PageSize <= 0 {
		r.o.PageSize = model.DefaultPageSize
	}
	r.cond = sync.NewCond(&r.mu)
	// Marked before anything is written (planning records the empty years
	// it finds complete), so a store is never without its origin.
	meta.BaseURL, meta.OrgID, meta.Since = o.Origin.BaseURL, o.Origin.OrgID, since
	if err := st.SetMeta(ctx, meta); err != nil {
		return Result{}, err
	}
	for _, l := range store.Listings {
		if err := r.plan(ctx, l, store.Range{Since: since, Until: until}); err != nil {
			return Result{}, err
		}
	}
	res, err := r.work(ctx)
	if err != nil {
		return res, err
	}
	meta.LastSync = now()
	return res, st.SetMeta(ctx, meta)
}

// sameOrigin refuses to mix organisations in one store.
func sameOrigin(have, want store.Meta, where string) error {
	if have.BaseURL == "" && have.OrgID == "" {
		return nil
	}
	if have.BaseURL != want.BaseURL || have.OrgID != want.OrgID {
		return fmt.Errorf("the store %s holds the audit log of %s, not of %s: use another --store for each organisation", where, describeOrigin(have), describeOrigin(want))
	}
	return nil
}

func describeOrigin(m store.Meta) string {
	if m.OrgID == "" {
		return m.BaseURL + " (no organisation id)"
	}
	return "organisation " + m.OrgID + " at " + m.BaseURL
}

// slice is a time window of one listing being listed newest first.
type slice struct {
	l      store.Listing
	lo, hi time.Time // the window asked for
	floor  time.Time // the worker stops below this; a split raises it
	cut    time.Time // everything in [cut, hi) is stored
	listed int       // events received in it, to estimate what is left
	busy   bool
	// verify is the id of the newest stored event of l, which this slice
	// must list before anything from it is stored.
	verify string
	newest time.Time
}

// density is events per second seen so far, 0 before the first page.
func (s *slice) density() float64 {
	d := s.hi.Sub(s.cut).Seconds()
	if s.listed == 0 || d <= 0 {
		return 0
	}
	return float64(s.listed) / d
}

type run struct {
	src   model.Source
	st    store.Store
	o     Options
	start time.Time
	now   func() time.Time

	mu       sync.Mutex
	cond     *sync.Cond
	queue    []*slice // not started
	active   []*slice // being listed
	err      error
	progress Progress
	requests int
}

// plan queues the parts of want that l's coverage lacks, and the newest
// stretch again from a little before the newest stored event.
func (r *run) plan(ctx context.Context, l store.Listing, want store.Range) error {
	cov, err := r.st.Coverage(ctx, l)
	if err != nil {
		return err
	}
	newest, ok, err := r.st.Newest(ctx, l)
	if err != nil {
		return err
	}
	if ok {
		tail := &slice{l: l, lo: newest.EffectiveAt.Add(-r.o.Overlap).Truncate(time.Second), hi: want.Until, verify: newest.ID, newest: newest.EffectiveAt}
		if tail.lo.Before(tail.hi) {
			tail.floor, tail.cut = tail.lo, tail.hi
			r.queue = append(r.queue, tail)
			cov = append(cov, store.Range{Since: tail.lo, Until: tail.hi})
		}
	}
	// Newest gaps first: they are what a person looks at.
	gaps := store.Gaps(cov, want)
	for i := len(gaps) - 1; i >= 0; i-- {
		parts := []store.Range{gaps[i]}
		if gaps[i].Since.Equal(want.Since) {
			// The oldest gap reaches back to where syncs start, maybe long
			// before the organisation's first event.
			if parts, err = r.locate(ctx, l, gaps[i]); err != nil {
				return err
			}
		}
		for j := len(parts) - 1; j >= 0; j-- {
			g := parts[j]
			r.queue = append(r.queue, &slice{l: l, lo: g.Since, hi: g.Until, floor: g.Since, cut: g.Until})
		}
	}
	return nil
}

// locateAbove is the shortest gap worth locating first: a shorter one is
// listed as it is.
const locateAbove = 24 * time.Hour

// locate finds where in gap g the listing has events, so that the slices
// start there rather than at a first sync's 1970: one round of probes (one
// event each, at once) at times going back from g's end by factors of
// eight finds the oldest stretch that has events; a second round cuts that
// stretch in eight. The stretch before the oldest event is stored as
// complete; what is left comes back oldest first, cut where the probes
// were.
func (r *run) locate(ctx context.Context, l store.Listing, g store.Range) ([]store.Range, error) {
	if g.Until.Sub(g.Since) < locateAbove {
		return []store.Range{g}, nil
	}
	var back []time.Time // newest first
	for d := time.Hour; g.Until.Add(-d).After(g.Since); d *= 8 {
		back = append(back, g.Until.Add(-d))
	}
	empty, err := r.probeBefore(ctx, l, g.Since, back)
	if err != nil {
		return nil, err
	}
	// The first empty probe bounds the oldest event; none empty: g.Since does.
	lo, hi, found := g.Since, g.Until, len(back)
	for i, e := range empty {
		if e {
			lo, found = back[i], i
			break
		}
	}
	if found > 0 {
		hi = back[found-1]
	}
	cuts := back[:found]
	if hi.Sub(lo) >= locateAbove {
		var even []time.Time
		for i := 7; i >= 1; i-- {
			even = append(even, lo.Add(hi.Sub(lo)*time.Duration(i)/8).Truncate(time.Second))
		}
		more, err := r.probeBefore(ctx, l, g.Since, even)
		if err != nil {
			return nil, err
		}
		for i := len(even) - 1; i >= 0 && more[i]; i-- {
			lo = even[i]
		}
		cuts = append(cuts, even...)
	}
	if lo.After(g.Since) {
		if _, err := r.st.Write(ctx, l, nil, store.Range{Since: g.Since, Until: lo}); err != nil {
			return nil, err
		}
	}
	parts := []store.Range{}
	at := lo
	for i := len(cuts) - 1; i >= 0; i-- {
		if cuts[i].After(at) && cuts[i].Before(g.Until) {
			parts = append(parts, store.Range{Since: at, Until: cuts[i]})
			at = cuts[i]
		}
	}
	return append(parts, store.Range{Since: at, Until: g.Until}), nil
}

// probeBefore reports, for each time, whether l has no event from since to
// it, asking for one event a time, up to the concurrency at once.
func (r *run) probeBefore(ctx context.Context, l store.Listing, since time.Time, times []time.Time) ([]bool, error) {
	empty := make([]bool, len(times))
	errs := make([]error, len(times))
	slots := make(chan struct{}, r.o.Concurrency)
	var wg sync.WaitGroup
	for i, t := range times {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			f := l.Filter()
			f.Since, f.Until = since, t
			for p, err := range r.pages(ctx, model.Query{Filter: f, PageSize: 1}) {
				empty[i], errs[i] = len(p.Events) == 0, err
				break
			}
		})
	}
	wg.Wait()
	return empty, errors.Join(errs...)
}

// work runs the workers until every slice is listed or one fails.
func (r *run) work(ctx context.Context) (Result, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for range r.o.Concurrency {
		wg.Go(func() {
			for {
				s := r.next()
				if s == nil {
					return
				}
				if err := r.list(ctx, s); err != nil {
					r.fail(err)
					cancel()
					return
				}
				r.finish(s)
			}
		})
	}
	stop := context.AfterFunc(ctx, func() { r.mu.Lock(); r.cond.Broadcast(); r.mu.Unlock() })
	wg.Wait()
	stop()
	r.mu.Lock()
	defer r.mu.Unlock()
	res := Result{Progress: r.progress, Requests: r.requests}
	res.Elapsed = r.now().Sub(r.start)
	if r.err != nil {
		return res, r.err
	}
	return res, ctx.Err()
}

func (r *run) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err == nil {
		r.err = err
	}
	r.cond.Broadcast()
}

// next hands out a queued slice, else a piece split off the busiest one,
// waiting while neither is there but slices are still being listed; nil
// means there is no more work.
func (r *run) next() *slice {
	r.mu.Lock()
	defer r.mu.Unlock()
	for {
		if r.err != nil {
			return nil
		}
		if len(r.queue) > 0 {
			s := r.queue[0]
			r.queue = r.queue[1:]
			s.busy = true
			r.active = append(r.active, s)
			return s
		}
		if s := r.split(); s != nil {
			s.busy = true
			r.active = append(r.active, s)
			return s
		}
		if len(r.active) == 0 {
			return nil
		}
		r.cond.Wait()
	}
}

// split takes the older part of the slice with the most events still to
// list, leaving its worker a stretch of a few pages below where it is.
func (r *run) split() *slice {
	var best *slice
	var most float64
	for _, s := range r.active {
		if s.verify != "" || s.density() == 0 || s.cut.Sub(s.floor) < 2*time.Second {
			continue
		}
		if left := s.cut.Sub(s.floor).Seconds() * s.density(); left > most {
			best, most = s, left
		}
	}
	if best == nil || most < float64(r.o.PageSize) {
		return nil
	}
	keep := best.cut.Sub(best.floor) / 2
	if few := time.Duration(float64(4*r.o.PageSize) / best.density() * float64(time.Second)); few < keep {
		keep = few
	}
	mid := best.cut.Add(-keep).Truncate(time.Second)
	if !mid.After(best.floor) || !mid.Before(best.cut) {
		return nil
	}
	piece := &slice{l: best.l, lo: best.floor, hi: mid, floor: best.floor, cut: mid}
	best.floor = mid
	return piece
}

func (r *run) finish(s *slice) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, a := range r.active {
		if a == s {
			r.active = append(r.active[:i], r.active[i+1:]...)
			break
		}
	}
	r.cond.Broadcast()
}

// list pages through s newest first, storing each page with the range it
// completes, until it reaches the slice's floor.
func (r *run) list(ctx context.Context, s *slice) error {
	f := s.l.Filter()
	f.Since, f.Until = s.lo, s.hi
	pages := r.pages(ctx, model.Query{Filter: f, PageSize: r.o.PageSize})
	next, stop := iter.Pull2(pages)
	defer stop()
	var held []model.Event // a verifying slice's events, until the newest stored one is seen
	for {
		p, err, ok := next()
		if !ok {
			return ctx.Err()
		}
		if err != nil {
			return err
		}
		r.mu.Lock()
		floor := s.floor
		r.mu.Unlock()
		low := lowest(p)
		done := !p.HasMore || (len(p.Events) > 0 && low.Before(floor))
		if s.verify != "" {
			held = append(held, p.Events...)
			switch {
			case containsID(held, s.verify):
				r.verified(s)
			case done || !low.After(s.newest):
				return r.foreign(s)
			default:
				// Many new events: ask for the newest stored one's second.
				found, err := r.probe(ctx, s)
				if err != nil {
					return err
				}
				if !found {
					return r.foreign(s)
				}
				r.verified(s)
			}
			p.Events, held = held, nil
		}
		complete := store.Range{Since: floor, Until: s.cut}
		if !done {
			// Events of the last one's second may continue on the next page.
			complete.Since = maxTime(floor, low.Truncate(time.Second).Add(time.Second))
		}
		n, err := r.st.Write(ctx, s.l, p.Events, complete)
		if err != nil {
			return err
		}
		r.mu.Lock()
		if complete.Since.Before(s.cut) {
			s.cut = complete.Since
		}
		s.listed += len(p.Events)
		r.progress.Listed += len(p.Events)
		r.progress.Stored += n
		r.progress.Pages++
		r.progress.Slices = len(r.queue) + len(r.active)
		r.progress.Elapsed = r.now().Sub(r.start)
		pr := r.progress
		r.cond.Broadcast() // a slice with a density can now be split
		r.mu.Unlock()
		if r.o.Progress != nil {
			r.o.Progress(pr)
		}
		if done {
			return nil
		}
	}
}

// verified lets s be split now that its source is known to be the store's.
func (r *run) verified(s *slice) {
	r.mu.Lock()
	s.verify = ""
	r.mu.Unlock()
}

// pages lists q from the source, each page asked for within the throttle.
func (r *run) pages(ctx context.Context, q model.Query) iter.Seq2[model.Page, error] {
	return func(yield func(model.Page, error) bool) {
		next, stop := iter.Pull2(r.src.Pages(ctx, q))
		defer stop()
		for {
			if err := r.o.Throttle.acquire(ctx); err != nil {
				yield(model.Page{}, err)
				return
			}
			r.mu.Lock()
			r.requests++
			r.mu.Unlock()
			p, err, ok := next()
			r.o.Throttle.release()
			if !ok || !yield(p, err) || err != nil {
				return
			}
		}
	}
}

// probe lists the second of the newest stored event and reports whether
// the source has it.
func (r *run) probe(ctx context.Context, s *slice) (bool, error) {
	f := s.l.Filter()
	f.Since = s.newest.Truncate(time.Second)
	f.Until = f.Since.Add(time.Second)
	for p, err := range r.pages(ctx, model.Query{Filter: f, PageSize: r.o.PageSize}) {
		if err != nil {
			return false, err
		}
		if containsID(p.Events, s.verify) {
			return true, nil
		}
	}
	return false, nil
}

func (r *run) foreign(s *slice) error {
	return fmt.Errorf("the API did not list event %s, the newest this store holds from it (%s), so it seems to be another organisation's log; nothing was stored: %w",
		s.verify, s.newest.UTC().Format(time.RFC3339), ErrOtherOrganisation)
}

// ErrOtherOrganisation is wrapped by the error for a source that does not
// list what the store holds from it.
var ErrOtherOrganisation = errors.New("the source is not the store's organisation")

func containsID(events []model.Event, id string) bool {
	for i := range events {
		if events[i].ID == id {
			return true
		}
	}
	return false
}

// lowest is the time of the page's oldest event (its last).
func lowest(p model.Page) time.Time {
	if len(p.Events) == 0 {
		return time.Time{}
	}
	return p.Events[len(p.Events)-1].EffectiveAt
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
