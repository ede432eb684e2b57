package ui

import (
	"context"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/auditui/auditui/model"
)

// Messages from a fetch. Each carries the generation of the query it
// belongs to; Update drops those of a superseded query. A pageMsg holds
// the pages that came while one was awaited, oldest first.
type (
	pageMsg struct {
		gen   int
		pages []model.Page
	}
	fetchErrMsg struct {
		gen int
		err error
	}
	fetchDoneMsg struct{ gen int }
)

// fetch is one running query: a goroutine walking Source.Pages and handing
// each page over an unbuffered channel, so it runs at most one page ahead of
// what the browser has asked for. Cancelling ctx stops it.
type fetch struct {
	gen   int
	pages chan tea.Msg
	ended chan tea.Msg // the end or error that came while pages were gathered

	mu    sync.Mutex
	retry model.Retry // the source's last report of a retry; zero once a page came
}

// noteRetry keeps the source's report of a retry, for the status bar.
func (f *fetch) noteRetry(r model.Retry) {
	f.mu.Lock()
	f.retry = r
	f.mu.Unlock()
}

// retrying is the retry the source last reported for the page on its way.
func (f *fetch) retrying() model.Retry {
	if f == nil {
		return model.Retry{}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.retry
}

// startFetch returns the fetch and the command that runs it; the caller
// also arms waitPage to receive the first page.
func startFetch(ctx context.Context, src model.Source, q model.Query, gen int) (*fetch, tea.Cmd) {
	f := &fetch{gen: gen, pages: make(chan tea.Msg), ended: make(chan tea.Msg, 1)}
	ctx = model.WithRetryReports(ctx, f.noteRetry)
	run := func() tea.Msg {
		defer close(f.pages)
		send := func(msg tea.Msg) bool {
			select {
			case f.pages <- msg:
				return true
			case <-ctx.Done():
				return false
			}
		}
		for page, err := range src.Pages(ctx, q) {
			if ctx.Err() != nil {
				return nil
			}
			if err != nil {
				send(fetchErrMsg{gen: gen, err: err})
				return nil
			}
			f.noteRetry(model.Retry{}) // the page came: the retries are over
			if !send(pageMsg{gen: gen, pages: []model.Page{page}}) {
				return nil
			}
		}
		if ctx.Err() == nil {
			send(fetchDoneMsg{gen: gen})
		}
		return nil
	}
	return f, run
}

// Pages that are already coming (a file, a store, memory) are handed over
// together: up to gatherEvents of them, or what came within gatherFor of
// the first. Update then admits many pages at once and the program draws
// one frame for them, not one per page.
const (
	gatherFor    = 16 * time.Millisecond // a frame at 60 per second
	gatherEvents = 8192                  // a few milliseconds of Set.Append
)

// waitPage waits for the fetch's next message, then gathers the pages that
// follow it, at most room events in all, so a fetch stays no more than a
// page past what the loader can admit. Update re-arms it after each
// message while it wants more (the realtime pattern).
func (f *fetch) waitPage(room int) tea.Cmd {
	return func() tea.Msg {
		select {
		case end := <-f.ended: // before pages, which is closed after it
			return end
		default:
		}
		first, open := <-f.pages
		if !open {
			return nil
		}
		got, ok := first.(pageMsg)
		if !ok {
			return first
		}
		n := len(got.pages[0].Events)
		timer := time.NewTimer(gatherFor)
		defer timer.Stop()
		for n < min(room, gatherEvents) {
			select {
			case msg, open := <-f.pages:
				next, isPage := msg.(pageMsg)
				switch {
				case !open:
					return got
				case !isPage:
					f.ended <- msg // the next wait returns it
					return got
				}
				got.pages = append(got.pages, next.pages...)
				n += len(next.pages[0].Events)
			case <-timer.C:
				return got
			}
		}
		return got
	}
}
