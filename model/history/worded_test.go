package history

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
)

// TestWordedSaysTheBefore: the worded summary of a role change names the
// role before, and an event worded as model.Summary words it is left out.
func TestWordedSaysTheBefore(t *testing.T) {
	var set model.Set
	set.Append(newestFirst(
		ev(t, "e1", "user.added", 0, `{"id":"user-bob","data":{"role":"reader"}}`, "alice@example.com"),
		ev(t, "e2", "user.updated", 60, `{"id":"user-bob","changes_requested":{"role":"owner"}}`, "alice@example.com"),
	))
	var w Worded
	got := w.Texts(&set)
	if len(got) != 1 || set.At(int(got[0].At)).ID != "e2" || !strings.Contains(got[0].Text, "from reader to owner") {
		t.Fatalf("worded %+v", got)
	}
	// An older event loading later rewords what was worded already.
	set.Append([]model.Event{ev(t, "e0", "user.updated", -60, `{"id":"user-bob","changes_requested":{"role":"member"}}`, "")})
	if got := w.Texts(&set); len(got) != 1 {
		t.Fatalf("e1 creates: e0's before is still unknown, worded %+v", got)
	}
}

// TestWordedInPages: worded page by page as pages load, the summaries are
// those worded over the whole set at once, and each is the history's.
func TestWordedInPages(t *testing.T) {
	var one, pages Worded
	var want []WordedText
	whole, paged := inPages(demoEvents(t, 4000), 211, func(s *model.Set, all bool) {
		if all {
			want = one.Texts(s)
		} else {
			pages.Texts(s)
		}
	})
	if got := pages.Texts(paged); !slices.Equal(got, want) {
		t.Fatalf("paged: %d worded, whole: %d", len(got), len(want))
	}
	if len(want) < 10 {
		t.Fatalf("only %d summaries worded with a before", len(want))
	}
	for _, w := range want {
		e := whole.At(int(w.At))
		id := Objects(e)[0]
		var on []model.Event
		for i := range whole.Len() {
			if Names(whole.At(i), id) {
				on = append(on, *whole.At(i))
			}
		}
		s := strings.ToLower(Summary(e, Build(id, on, time.Time{}).Before(e.ID)))
		if s != w.Text || s == strings.ToLower(model.Summary(e)) || !strings.Contains(s, " from ") {
			t.Fatalf("event %s worded %q, its history says %q", e.ID, w.Text, s)
		}
	}
}
