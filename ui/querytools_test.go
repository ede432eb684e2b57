package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/views"
	"github.com/auditui/auditui/openai/fakeapi"
	"github.com/charmbracelet/x/ansi"
)

// orgBrowser is a browser at 160x40 holding a synthetic organisation's
// events, its query history kept at recent (none when "").
func orgBrowser(t *testing.T, recent string) (*Model, []model.Event) {
	t.Helper()
	events := fakeapi.Listed(fakeapi.Org(fakeapi.OrgOptions{Events: 600, Seed: 5, Now: testNow}), model.Filter{})
	m := newTestModel(&pagedSource{name: "demo"}, 160, 40)
	m.recent.path = recent
	if recent != "" {
		m.recent.queries, _ = views.LoadRecent(recent)
	}
	return feed(t, m, events, 100), events
}

func barText(m *Model) string { return topOf[*queryBar](m).input.Value() }

func barHint(m *Model) string { return ansi.Strip(topOf[*queryBar](m).hint(160)) }

// TestTabCompletesKeysTypesAndLoadedValues: tab completes a key, then a
// catalogue type after type:, then an actor seen in the loaded events;
// tab again cycles, shift+tab goes back, esc takes the completion back.
func TestTabCompletesKeysTypesAndLoadedValues(t *testing.T) {
	m, events := orgBrowser(t, "")
	m = press(t, m, ":")
	m = typeText(t, m, "ty")
	if m = press(t, m, "tab"); barText(m) != "type:" {
		t.Fatalf("ty<tab> gave %q, want type:", barText(m))
	}
	m = typeText(t, m, "login.fa")
	if m = press(t, m, "tab"); barText(m) != "type:login.failed" {
		t.Fatalf("type:login.fa<tab> gave %q", barText(m))
	}
	m = typeText(t, m, " actor:a")
	m = press(t, m, "tab")
	first := barText(m)
	if !strings.HasPrefix(first, "type:login.failed actor:") || !strings.Contains(barHint(m), "1/") {
		t.Fatalf("actor:a<tab> gave %q, hint %q", first, barHint(m))
	}
	actor := strings.TrimPrefix(first, "type:login.failed actor:")
	if !slices.ContainsFunc(events, func(e model.Event) bool { return e.Actor.Email() == actor || slices.Contains(e.Actor.IDs(), actor) }) {
		t.Fatalf("%q is not an actor of the loaded events", actor)
	}
	if m = press(t, m, "tab"); barText(m) == first || !strings.Contains(barHint(m), "2/") {
		t.Fatalf("tab again should offer the next actor, got %q (%q)", barText(m), barHint(m))
	}
	if m = press(t, m, "shift+tab"); barText(m) != first {
		t.Fatalf("shift+tab should go back to %q, got %q", first, barText(m))
	}
	if m = press(t, m, "esc"); barText(m) != "type:login.failed actor:a" || !onTop[*queryBar](m) {
		t.Fatalf("esc should take the completion back and keep the bar, got %q", barText(m))
	}
	m = typeText(t, m, "zzz")
	if m = press(t, m, "tab"); !strings.Contains(barHint(m), "nothing to complete") {
		t.Fatalf("a word nothing completes should say so: %q", barHint(m))
	}
}

// TestNoActorMatchesSaysSoAndOffersTheNearest: actor:alice is no loaded
// actor's email or id; the bar says so and names those containing it.
func TestNoActorMatchesSaysSoAndOffersTheNearest(t *testing.T) {
	m, events := orgBrowser(t, "")
	var alices []string
	for _, e := range events {
		if em := e.Actor.Email(); strings.Contains(em, "alice") && !slices.Contains(alices, em) {
			alices = append(alices, em)
		}
	}
	if len(alices) == 0 {
		t.Fatal("the organisation has no alice: pick another name")
	}
	m = press(t, m, ":")
	m = typeText(t, m, "actor:alice")
	if h := barHint(m); !strings.Contains(h, "no actor matches alice") || !strings.Contains(h, alices[0]) {
		t.Fatalf("the hint should say no actor matches and offer %q:\n%s", alices[0], h)
	}
	m = press(t, m, "ctrl+c")
	m = typeText(t, m, "actor:"+alices[0])
	if h := barHint(m); strings.Contains(h, "no actor matches") {
		t.Fatalf("%s is a loaded actor:\n%s", alices[0], h)
	}
}

// TestSlashAndColonGiveTheSameRows: a word after / and the same word as a
// query are one definition of free text (model.SearchText).
func TestSlashAndColonGiveTheSameRows(t *testing.T) {
	for _, word := range []string{"alice", "203.0.113", "beta", "key_"} {
		m, _ := orgBrowser(t, "")
		m = press(t, m, "/")
		m = typeText(t, m, word)
		m = press(t, m, "enter")
		byFilter := shownIDs(m)
		m, _ = orgBrowser(t, "")
		m = press(t, m, ":")
		m = typeText(t, m, word)
		m = press(t, m, "enter")
		byQuery := shownIDs(m)
		if len(byQuery) == 0 || !slices.Equal(byFilter, byQuery) {
			t.Fatalf("%q: / shows %d rows, : shows %d; want the same, and some", word, len(byFilter), len(byQuery))
		}
	}
}

// TestQueryHistoryWalksAndIsKept: queries put in force from the bar are
// kept (privately, once each) and ↑/↓ walk them, in this run and the next;
// ↓ past the newest brings back what was typed.
func TestQueryHistoryWalksAndIsKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "auditui", "queries-demo.json")
	m, _ := orgBrowser(t, path)
	// Free text only: the test's source serves no second fetch.
	for _, q := range []string{"alice", "beta", "alice"} {
		m = press(t, m, ":")
		if barText(m) != "" {
			m = press(t, m, "ctrl+c")
		}
		m = typeText(t, m, q)
		m = press(t, m, "enter")
	}
	kept, err := views.LoadRecent(path)
	if err != nil || !slices.Equal(kept, []string{"beta", "alice"}) {
		t.Fatalf("kept %q (%v), want each query once, the newest last", kept, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the history file: %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	m, _ = orgBrowser(t, path) // the next run
	m = press(t, m, ":")
	m = typeText(t, m, "draft")
	for _, step := range []struct{ key, want string }{{"up", "alice"}, {"up", "beta"},
		{"up", "beta"}, {"down", "alice"}, {"down", "draft"}} {
		if m = press(t, m, step.key); barText(m) != step.want {
			t.Fatalf("%s gave %q, want %q", step.key, barText(m), step.want)
		}
	}
	m = press(t, m, "up", "up", "up")
	if !strings.Contains(barHint(m), "no earlier query") {
		t.Fatalf("↑ past the oldest should say so: %q", barHint(m))
	}
}

// TestANewerHistoryFileIsNeitherUsedNorReplaced: the bar says why in one
// line and applying a query leaves the file as it was.
func TestANewerHistoryFileIsNeitherUsedNorReplaced(t *testing.T) {
	path := filepath.Join(t.TempDir(), "queries-demo.json")
	body := `{"version": 9, "queries": ["type:secret.thing"]}`
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	_, loadErr := views.LoadRecent(path)
	m, _ := orgBrowser(t, "")
	m.recent.path, m.recent.err = path, loadErr.Error()
	m = press(t, m, ":")
	if m = press(t, m, "up"); !strings.Contains(barHint(m), "query history not used") || barText(m) != "" {
		t.Fatalf("↑ should say the history is not used: %q (input %q)", barHint(m), barText(m))
	}
	m = typeText(t, m, "alice")
	press(t, m, "enter")
	if now, _ := os.ReadFile(path); string(now) != body {
		t.Fatalf("the newer file was changed to %q", now)
	}
}
