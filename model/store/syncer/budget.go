package syncer

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"

	"github.com/auditui/auditui/model"
)

// ErrLimit is wrapped by the error of a source that has listed as many
// events as its run may fetch.
var ErrLimit = errors.New("the run's limit of events to fetch is reached")

// Limit is src listing at most n events in all, over every query and sync
// of a run (--max-events): each page asks for no more than is left, so
// the bound is exact; once it is reached, Pages fails with ErrLimit.
func Limit(src model.Source, n int) model.Source {
	return &limited{src: src, most: n, left: n}
}

type limited struct {
	src  model.Source
	most int

	mu   sync.Mutex
	left int
}

func (l *limited) Name() string { return l.src.Name() }

// take reserves up to n events of what is left.
func (l *limited) take(n int) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n = min(n, l.left)
	l.left -= n
	return n
}

// give returns what a page reserved and did not bring.
func (l *limited) give(n int) {
	l.mu.Lock()
	l.left += n
	l.mu.Unlock()
}

// Pages lists q from the source, each page no larger than what is left; the
// source's pages are followed as they are until the limit is near, then
// listed on after the last one with a smaller page.
func (l *limited) Pages(ctx context.Context, q model.Query) iter.Seq2[model.Page, error] {
	return func(yield func(model.Page, error) bool) {
		size := cmp.Or(q.PageSize, model.DefaultPageSize)
		asked := 0 // the page size of the listing in progress
		var next func() (model.Page, error, bool)
		stop := func() {}
		defer func() { stop() }()
		for number := 1; ; number++ {
			n := l.take(size)
			if n == 0 {
				yield(model.Page{}, fmt.Errorf("stopped after fetching %d events from the API, the most one run fetches (--max-events); what was fetched is kept: auditui sync fetches the rest: %w", l.most, ErrLimit))
				return
			}
			if n != asked {
				stop()
				next, stop = iter.Pull2(l.src.Pages(ctx, model.Query{Filter: q.Filter, PageSize: n, After: q.After}))
				asked = n
			}
			p, err, ok := next()
			if !ok {
				l.give(n)
				return
			}
			if err != nil {
				// What a failed request brought is not known: it counts whole.
				yield(model.Page{}, err)
				return
			}
			// Records that could not be read were fetched too.
			l.give(max(0, n-len(p.Events)-len(p.Skipped)))
			p.Number = number
			if !yield(p, nil) || !p.HasMore {
				return
			}
			q.After = p.LastID
		}
	}
}
