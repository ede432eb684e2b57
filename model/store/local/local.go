// Package local answers queries from a store kept current: unless offline,
// it brings the store up to date from the API first (an incremental sync,
// one request per listing when nothing is new), then answers every query
// from the store, the filter pushed down to the backend, and lists from the
// API only the part of a query's time range the store does not cover.
package local

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/store"
	"github.com/auditui/auditui/model/store/syncer"
)

// Source is a model.Source over a store, brought up to date from an API.
type Source struct {
	st   store.Store
	api  model.Source // nil when offline
	opts syncer.Options

	// read is what queries are answered from: st, or st with its records
	// left in it (LeaveRecords).
	read store.Store

	mu      sync.Mutex
	synced  bool
	cursors map[string]cursor // a yielded page's LastID -> where the next page starts
}

var _ model.Source = (*Source)(nil)

// New answers from st, syncing it from api with o first; api nil is offline:
// the store alone answers, with no request.
func New(st store.Store, api model.Source, o syncer.Options) *Source {
	return &Source{st: st, read: st, api: api, opts: o, cursors: map[string]cursor{}}
}

// LeaveRecords has the events the store answers with, here and from
// Store, leave their records in it, read back by id when shown
// (model.RecordKeeper): for a browser that holds a million of them, not for
// an export that writes each once. It reports whether the store can;
// events from the API keep theirs.
func (s *Source) LeaveRecords() bool {
	r, ok := s.st.(model.RecordReader)
	if ok {
		s.read = leaving{Store: s.st, k: model.KeepRecordsIn(s.st.Location(), r)}
	}
	return ok
}

// leaving is a store whose pages' events leave their records in it.
type leaving struct {
	store.Store
	k *model.RecordKeeper
}

func (l leaving) Pages(ctx context.Context, q model.Query) iter.Seq2[model.Page, error] {
	return func(yield func(model.Page, error) bool) {
		for p, err := range l.Store.Pages(ctx, q) {
			l.k.Leave(p.Events)
			if !yield(p, err) {
				return
			}
		}
	}
}

// Store is the store the source answers from.
func (s *Source) Store() store.Store { return s.read }

// Offline reports whether the source answers from the store alone.
func (s *Source) Offline() bool { return s.api == nil }

// Name says where the events come from: the API's organisation, or the
// store when offline.
func (s *Source) Name() string {
	if s.api != nil {
		return s.api.Name()
	}
	return s.st.Name()
}

// Sync brings the store up to date from the API now.
func (s *Source) Sync(ctx context.Context) (syncer.Result, error) {
	if s.api == nil {
		return syncer.Result{}, fmt.Errorf("offline: the store %s is not synced", s.st.Location())
	}
	res, err := syncer.Sync(ctx, s.api, s.st, s.opts)
	// A run that fetched all it may is done syncing: the store answers.
	if err == nil || errors.Is(err, syncer.ErrLimit) {
		s.mu.Lock()
		s.synced = true
		s.mu.Unlock()
	}
	return res, err
}

// segment is a stretch of a query's time range and who answers it.
type segment struct {
	r         store.Range
	fromStore bool
}

// cursor is where a query continues: in which segment, after which id.
type cursor struct {
	seg   int
	after string
}

// Pages answers q newest first: the first query syncs the store (unless
// offline), then each covered stretch of q's range comes from the store and
// each older stretch it lacks from the API, filtered there, not stored.
func (s *Source) Pages(ctx context.Context, q model.Query) iter.Seq2[model.Page, error] {
	return func(yield func(model.Page, error) bool) {
		s.mu.Lock()
		synced := s.synced
		s.mu.Unlock()
		if q.After == "" && s.api != nil && !synced {
			if _, err := s.Sync(ctx); err != nil && !errors.Is(err, syncer.ErrLimit) {
				yield(model.Page{}, fmt.Errorf("cannot bring the store up to date (--offline answers from it as it is): %w", err))
				return
			}
		}
		segs, err := s.segments(ctx, q.Filter)
		if err != nil {
			yield(model.Page{}, err)
			return
		}
		at := cursor{}
		if q.After != "" {
			s.mu.Lock()
			c, ok := s.cursors[q.After]
			s.mu.Unlock()
			at = cursor{seg: 0, after: q.After}
			if ok {
				at = c
			}
		}
		s.answer(ctx, q, segs, at, yield)
	}
}

// answer yields the pages of segs from at on, numbering them, skipping
// empty pages between segments and remembering where each page ends.
func (s *Source) answer(ctx context.Context, q model.Query, segs []segment, at cursor, yield func(model.Page, error) bool) {
	number := 0
	for i := at.seg; i < len(segs); i++ {
		seg := segs[i]
		f := q.Filter
		f.Since, f.Until = seg.r.Since, seg.r.Until
		src := s.api
		if seg.fromStore {
			src = s.read
		}
		sq := model.Query{Filter: f, PageSize: q.PageSize, After: at.after}
		at.after = ""
		for p, err := range src.Pages(ctx, sq) {
			if err != nil {
				yield(model.Page{}, err)
				return
			}
			if seg.fromStore {
				p.Events = listed(f, p.Events)
			}
			last := !p.HasMore && i == len(segs)-1
			if len(p.Events) == 0 && !last {
				continue
			}
			next := cursor{seg: i, after: p.LastID}
			if !p.HasMore {
				next = cursor{seg: i + 1}
			}
			p.HasMore = !last
			number++
			p.Number = number
			if n := len(p.Events); n > 0 {
				p.FirstID, p.LastID = p.Events[0].ID, p.Events[n-1].ID
				s.mu.Lock()
				s.cursors[p.LastID] = next
				s.mu.Unlock()
			}
			if !yield(p, nil) {
				return
			}
		}
	}
	if number == 0 {
		yield(model.Page{Number: 1}, nil)
	}
}

// listed keeps the events the API lists for f, so a query means the same on
// the store as on the API.
func listed(f model.Filter, events []model.Event) []model.Event {
	kept := events[:0:0]
	for i := range events {
		if store.Listed(f, &events[i]) {
			kept = append(kept, events[i])
		}
	}
	return kept
}

// epoch and endOfTime stand for an unbounded query's ends.
var (
	epoch     = time.Unix(0, 0).UTC()
	endOfTime = time.Unix(1<<40, 0).UTC()
)

// segments splits f's time range, newest first, into what the store covers
// and what it lacks. Offline, the store answers all of it. Online, a gap
// older than the store's newest covered instant is listed from the API;
// anything newer than that is not synced yet and comes with the next sync,
// so a query does not reach the API for the seconds since the last one.
func (s *Source) segments(ctx context.Context, f model.Filter) ([]segment, error) {
	want := store.Range{Since: f.Since, Until: f.Until}
	if want.Since.IsZero() {
		want.Since = epoch
	}
	if want.Until.IsZero() {
		want.Until = endOfTime
	}
	if s.api == nil {
		return []segment{{r: store.Range{Since: f.Since, Until: f.Until}, fromStore: true}}, nil
	}
	l := store.Default
	if f.TenantOnly {
		l = store.TenantOnly
	}
	cov, err := s.st.Coverage(ctx, l)
	if err != nil {
		return nil, err
	}
	if len(cov) > 0 && cov[len(cov)-1].Until.Before(want.Until) {
		want.Until = cov[len(cov)-1].Until
	}
	var segs []segment
	for _, c := range cov {
		r := store.Range{Since: maxTime(c.Since, want.Since), Until: minTime(c.Until, want.Until)}
		if !r.IsEmpty() {
			segs = append(segs, segment{r: r, fromStore: true})
		}
	}
	for _, g := range store.Gaps(cov, want) {
		segs = append(segs, segment{r: g})
	}
	// Newest first: sort by the end, descending.
	for i := 1; i < len(segs); i++ {
		for j := i; j > 0 && segs[j].r.Until.After(segs[j-1].r.Until); j-- {
			segs[j], segs[j-1] = segs[j-1], segs[j]
		}
	}
	for i := range segs {
		// An unbounded end stays unbounded, so the API is asked as the user asked.
		if segs[i].r.Since.Equal(epoch) && f.Since.IsZero() {
			segs[i].r.Since = time.Time{}
		}
	}
	return segs, nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
