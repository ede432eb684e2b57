package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/auditui/auditui/model"
	"github.com/charmbracelet/x/ansi"
)

// barWith is a query bar over m's common holding text, recording what it applies.
func barWith(t *testing.T, m *Model, text string, applied *[]string) *queryBar {
	t.Helper()
	b := newQueryBar(m.common, text, testNow, func(s string) tea.Cmd { *applied = append(*applied, s); return nil })
	b.Update(sizeMsg{width: 160, height: 2})
	return b
}

func TestUnknownTypeIsCaughtWithTheClosestNames(t *testing.T) {
	m := loaded(t, 160, 40)
	var applied []string
	b := barWith(t, m, "type:login.f", &applied)
	hint := ansi.Strip(b.Render(160, 2))
	if !strings.Contains(hint, "did you mean login.failed") || !strings.Contains(hint, "unknown type login.f") {
		t.Fatalf("the bar should name the closest types:\n%s", hint)
	}
	next, _ := b.Update(keyMsg("enter"))
	if next == nil || len(applied) != 0 {
		t.Fatalf("the first enter should not send an unknown type (applied %v)", applied)
	}
	if hint := ansi.Strip(b.Render(160, 2)); !strings.Contains(hint, "enter again sends it anyway") {
		t.Fatalf("after enter the bar should say how to send it anyway:\n%s", hint)
	}
	if next, _ := b.Update(keyMsg("enter")); next != nil || len(applied) != 1 || applied[0] != "type:login.f" {
		t.Fatalf("enter again should send it as typed, applied %v", applied)
	}
}

func TestKnownTypesAndGlobsAreNotQuestioned(t *testing.T) {
	m := loaded(t, 160, 40)
	var applied []string
	for _, q := range []string{"type:login.failed", "type:api_key.*", "actor:alice"} {
		b := barWith(t, m, q, &applied)
		if hint := ansi.Strip(b.Render(160, 2)); strings.Contains(hint, "unknown type") {
			t.Fatalf("%s should not be questioned:\n%s", q, hint)
		}
		if next, _ := b.Update(keyMsg("enter")); next != nil {
			t.Fatalf("%s should apply on the first enter", q)
		}
	}
}

func TestNoQueryAfterATenantViewShowsWhatAFreshStartDoes(t *testing.T) {
	m := loaded(t, 160, 40)
	fresh := m.list.Len()
	// A tenant view's fetch: the API lists tenant events only when asked.
	tenant := model.Filter{Types: []string{"tenant.user.added"}}
	m.stream.query.Filter, m.server.Filter = tenant, tenant
	ev := decode(t, `{"id":"evt_tenant_1","type":"tenant.user.added","effective_at":1720807000,"actor":{"type":"session","session":{"user":{"id":"u","email":"t@example.com"}}}}`)
	m = send(m, pageMsg{gen: m.stream.job.gen, pages: []model.Page{{Events: []model.Event{ev}, Number: 1}}})
	m = drain(t, m, m.refilter())
	if m.list.Len() != fresh+1 {
		t.Fatalf("under the tenant view the tenant event shows: %d rows, want %d", m.list.Len(), fresh+1)
	}
	// u back to no query: the server filter asks for no tenant events again.
	m.stream.query.Filter, m.server.Filter = model.Filter{}, model.Filter{}
	m = drain(t, m, m.refilter())
	if m.list.Len() != fresh || strings.Contains(screenText(m), "tenant.user.added") {
		t.Fatalf("no query should show the %d events of a fresh start, shows %d:\n%s", fresh, m.list.Len(), screenText(m))
	}
}

func TestAFileIsNotTalkedAboutAsAServer(t *testing.T) {
	m := New(Options{Source: &pagedSource{name: "saved.jsonl"}, FromFile: true, Now: func() time.Time { return testNow }, Location: testZone})
	m.tick = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	m.stream.job.stop()
	close(m.stream.fetch.pages)
	m = send(m, tea.WindowSizeMsg{Width: 160, Height: 40})
	if m.stream.cap <= DefaultMaxEvents {
		t.Fatalf("a file should be read whole, not paused at %d", m.stream.cap)
	}
	var applied []string
	b := barWith(t, m, "type:login.failed actor:alice@example.com", &applied)
	if hint := ansi.Strip(b.Render(160, 2)); !strings.Contains(hint, "in the file: ") || strings.Contains(hint, "server") {
		t.Fatalf("the query bar should say the terms run in the file:\n%s", hint)
	}
	m.stream.job.running, m.stream.waiting = true, true
	if s := screenText(m); !strings.Contains(s, "reading the file") || strings.Contains(s, "fetching page") {
		t.Fatalf("a file is read, not fetched in pages:\n%s", s)
	}
}
