package ui

import (
	"context"
	"sync"

	tea "charm.land/bubbletea/v2"
	"github.com/auditui/auditui/model"
)

// Messages from a fetch. Each carries the generation of the query it
// belongs to; Update drops those of a superseded query.
type (
	pageMsg struct {
		gen  int
		page model.Page
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
	f := &fetch{gen: gen, pages: make(chan tea.Msg)}
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
			if !send(pageMsg{gen: gen, page: page}) {
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

// waitPage waits for the fetch's next message; Update re-arms it after each
// page while it wants more (the realtime pattern).
func (f *fetch) waitPage() tea.Cmd {
	ch := f.pages
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil
		}
		return msg
	}
}
