package history

import (
	"slices"
	"strings"
	"testing"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/openai/fakeapi"
)

// beforeOf is the state before the event with id eventID in the history of
// object among events (given oldest first).
func beforeOf(id, eventID string, events ...model.Event) State {
	return Build(id, newestFirst(events...), t0).Before(eventID)
}

func TestSummaryWithBefore(t *testing.T) {
	added := ev(t, "e1", "user.added", 0, `{"id":"user-bob","data":{"role":"reader"}}`, "alice@example.com")
	roleUp := ev(t, "e2", "user.updated", 60, `{"id":"user-bob","changes_requested":{"role":"owner"}}`, "alice@example.com")
	titled := ev(t, "o1", "organization.updated", 0, `{"id":"org-1","changes_requested":{"title":"Acme"}}`, "alice@example.com")
	retitled := ev(t, "o2", "organization.updated", 60, `{"id":"org-1","changes_requested":{"title":"Acme Robotics","name":"acme"}}`, "alice@example.com")
	grp := ev(t, "g1", "group.updated", 0, `{"id":"group-1","changes_requested":{"group_name":"eng"}}`, "alice@example.com")
	regrp := ev(t, "g2", "group.updated", 60, `{"id":"group-1","changes_requested":{"group_name":"platform"}}`, "alice@example.com")
	proj1 := ev(t, "p1", "project.updated", 0, `{"id":"proj_1","changes_requested":{"title":"Old"}}`, "alice@example.com")
	proj2 := ev(t, "p2", "project.updated", 60, `{"id":"proj_1","changes_requested":{"title":"New"}}`, "alice@example.com")
	hostile := ev(t, "h1", "user.added", 0, `{"id":"user-eve","data":{"role":"\u001b[31mred\u0007"}}`, "alice@example.com")
	hostileUp := ev(t, "h2", "user.updated", 60, `{"id":"user-eve","changes_requested":{"role":"owner"}}`, "alice@example.com")
	listed := ev(t, "l1", "organization.updated", 0, `{"id":"org-2","changes_requested":{"title":["a","b"]}}`, "alice@example.com")
	listedUp := ev(t, "l2", "organization.updated", 60, `{"id":"org-2","changes_requested":{"title":"plain"}}`, "alice@example.com")
	tests := []struct {
		name   string
		e      model.Event
		before State
		want   string
	}{
		{"role change", roleUp, beforeOf("user-bob", "e2", added, roleUp),
			"alice@example.com changed the role of user user-bob from reader to owner"},
		{"title change", retitled, beforeOf("org-1", "o2", titled, retitled),
			"alice@example.com changed organization settings: title from Acme to Acme Robotics, name=acme"},
		{"project title", proj2, beforeOf("proj_1", "p2", proj1, proj2),
			"alice@example.com updated project proj_1: title from Old to New"},
		{"rename", regrp, beforeOf("group-1", "g2", grp, regrp),
			"alice@example.com renamed group group-1 from eng to platform"},
		{"before unknown: the update is the oldest", roleUp, beforeOf("user-bob", "e2", roleUp), model.Summary(&roleUp)},
		{"a creation has no before", added, beforeOf("user-bob", "e1", added, roleUp), model.Summary(&added)},
		{"a list before is not worded", listedUp, beforeOf("org-2", "l2", listed, listedUp), model.Summary(&listedUp)},
		{"hostile before, exact here (the row sanitises)", hostileUp, beforeOf("user-eve", "h2", hostile, hostileUp),
			"alice@example.com changed the role of user user-eve from \x1b[31mred\a to owner"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Summary(&tc.e, tc.before); got != tc.want {
				t.Errorf("Summary = %q\n want   %q", got, tc.want)
			}
		})
	}
	if got := model.Summary(&roleUp); strings.Contains(got, "from") {
		t.Errorf("model.Summary guesses a before: %q", got)
	}
}

// TestIndexInPages: appending in pages gives the index one Append gives.
func TestIndexInPages(t *testing.T) {
	events := demoEvents(t, 3000)
	var one, pages Index
	whole, _ := inPages(events, 137, func(s *model.Set, all bool) {
		if all {
			one.Update(s)
		} else {
			pages.Update(s)
		}
	})
	if one.Len() != len(events) || pages.Len() != one.Len() {
		t.Fatalf("indexed %d and %d of %d", one.Len(), pages.Len(), len(events))
	}
	if len(one.on) < 10 {
		t.Fatalf("only %d objects indexed", len(one.on))
	}
	for id, at := range one.on {
		if !slices.Equal(at, pages.Of(id)) {
			t.Fatalf("object %s: %v in one, %v in pages", id, at, pages.Of(id))
		}
		for _, ev := range at {
			if !Names(whole.At(int(ev)), id) {
				t.Fatalf("event %d does not name %s", ev, id)
			}
		}
	}
	// The index finds what a scan finds, for the object with most events.
	id := ""
	for k, at := range one.on {
		if len(at) > len(one.on[id]) {
			id = k
		}
	}
	var scan []int32
	for i := range whole.Len() {
		if Names(whole.At(i), id) {
			scan = append(scan, int32(i))
		}
	}
	if len(scan) < 2 || !slices.Equal(scan, one.Of(id)) {
		t.Errorf("object %s: scan %v, index %v", id, scan, one.Of(id))
	}
}

// inPages is events in one set appended whole and in another page by page,
// calling after once for the whole and after each page.
func inPages(events []model.Event, size int, after func(s *model.Set, whole bool)) (whole, paged *model.Set) {
	whole, paged = &model.Set{}, &model.Set{}
	whole.Append(events)
	after(whole, true)
	for lo := 0; lo < len(events); lo += size {
		paged.Append(events[lo:min(lo+size, len(events))])
		after(paged, false)
	}
	return whole, paged
}

func demoEvents(t testing.TB, n int) []model.Event {
	t.Helper()
	return fakeapi.Org(fakeapi.OrgOptions{Events: n, Seed: 1})
}
