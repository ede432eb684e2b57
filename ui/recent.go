package ui

import (
	"slices"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/auditui/auditui/model/sanitize"
	"github.com/auditui/auditui/model/views"
)

// recentQueries is the query history ↑ and ↓ walk in the query bar: the
// queries put in force from it, oldest first, kept between runs at path
// (queries only). When the file could not be used, err says why and it is
// neither read nor written.
type recentQueries struct {
	path    string
	err     string
	queries []string

	mu      *sync.Mutex // saves run as commands: the newest snapshot wins
	saving  *int        // the generation of the last snapshot written
	written int
}

func newRecent(opts Options) *recentQueries {
	return &recentQueries{path: opts.RecentPath, err: opts.RecentErr, queries: slices.Clone(opts.Recent), mu: &sync.Mutex{}, saving: new(int)}
}

// recentSavedMsg says whether the history was kept.
type recentSavedMsg struct{ err error }

// add makes q the newest query and returns the command that keeps the
// history, or nil when it is not kept.
func (r *recentQueries) add(q string) tea.Cmd {
	r.queries = views.AddRecent(r.queries, q)
	if r.path == "" || r.err != "" {
		return nil
	}
	r.written++
	gen, snapshot, path, mu, saving := r.written, slices.Clone(r.queries), r.path, r.mu, r.saving
	return func() tea.Msg {
		mu.Lock()
		defer mu.Unlock()
		if gen < *saving {
			return nil // a newer snapshot is written already
		}
		*saving = gen
		return recentSavedMsg{err: views.SaveRecent(path, snapshot)}
	}
}

// onRecentSaved says once why the history could not be kept, and stops
// trying.
func (m *Model) onRecentSaved(msg recentSavedMsg) {
	if msg.err != nil && m.recent.err == "" {
		m.recent.err = sanitize.OneLine(msg.err.Error())
		m.notice = "query history not kept: " + m.recent.err
	}
}
