package model

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"slices"
)

// MemorySource is a Source over events held in memory, such as a file read
// with ReadEvents. It pages exactly like the API: newest first, the filter
// applied, PageSize and After honoured, FirstID/LastID/HasMore set.
type MemorySource struct {
	name   string
	events []Event
	order  []int32 // indices into events, newest first
}

var _ Source = (*MemorySource)(nil)

// NewMemorySource returns a Source over events. events is kept, not copied,
// and must not be modified afterwards. Events are served newest first;
// events with the same time keep their input order.
func NewMemorySource(name string, events []Event) *MemorySource {
	order := make([]int32, len(events))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		return events[b].EffectiveAt.Compare(events[a].EffectiveAt)
	})
	return &MemorySource{name: name, events: events, order: order}
}

// Name is the name given to NewMemorySource, such as a file name.
func (m *MemorySource) Name() string { return m.name }

// Len is how many events the source holds before filtering.
func (m *MemorySource) Len() int { return len(m.order) }

// Pages yields the events matching q.Filter newest first, q.PageSize at a
// time (100 when 0), starting after the event whose id is q.After. An empty
// result is one empty page. A page size outside 1-100 or an After id the
// source does not hold is an error, as with the API.
func (m *MemorySource) Pages(ctx context.Context, q Query) iter.Seq2[Page, error] {
	return func(yield func(Page, error) bool) {
		size := cmp.Or(q.PageSize, DefaultPageSize)
		if size < 1 || size > DefaultPageSize {
			yield(Page{}, fmt.Errorf("page size %d is out of range: use 1 to %d", q.PageSize, DefaultPageSize))
			return
		}
		pos := 0
		if q.After != "" {
			at, ok := m.position(q.After)
			if !ok {
				yield(Page{}, fmt.Errorf("%s has no event with id %q to continue after", m.name, q.After))
				return
			}
			pos = at + 1
		}
		next := m.nextMatch(&q.Filter, pos)
		for number := 1; ; number++ {
			if err := ctx.Err(); err != nil {
				yield(Page{}, err)
				return
			}
			p := Page{Number: number}
			if next >= 0 {
				p.Events = make([]Event, 0, min(size, len(m.order)-next))
			}
			for next >= 0 && len(p.Events) < size {
				p.Events = append(p.Events, m.events[m.order[next]])
				next = m.nextMatch(&q.Filter, next+1)
			}
			if n := len(p.Events); n > 0 {
				p.FirstID, p.LastID = p.Events[0].ID, p.Events[n-1].ID
			}
			p.HasMore = next >= 0
			if !yield(p, nil) || !p.HasMore {
				return
			}
		}
	}
}

// nextMatch returns the first position at or after pos whose event passes f,
// or -1.
func (m *MemorySource) nextMatch(f *Filter, pos int) int {
	zero := f.IsZero()
	for ; pos < len(m.order); pos++ {
		if zero || f.Match(&m.events[m.order[pos]]) {
			return pos
		}
	}
	return -1
}

// position finds id in newest-first order. When ids repeat, the last
// occurrence is used so that paging always moves forward.
func (m *MemorySource) position(id string) (int, bool) {
	for pos := len(m.order) - 1; pos >= 0; pos-- {
		if m.events[m.order[pos]].ID == id {
			return pos, true
		}
	}
	return 0, false
}
