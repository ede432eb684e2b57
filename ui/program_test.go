package ui

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"go.uber.org/goleak"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/openai"
	"github.com/auditui/auditui/openai/fakeapi"
)

// TestProgramStreamsFromTheFakeAPI runs the whole program: the real client
// against the spec-exact fake endpoint, pages streamed in the background,
// a filter typed, then q.
func TestProgramStreamsFromTheFakeAPI(t *testing.T) {
	all := fakeapi.Org(fakeapi.OrgOptions{Events: 700, Seed: 7, Now: testNow})
	events := fakeapi.Listed(all, model.Filter{}) // what a listing with no filter returns
	fake, cfg := fakeServer(t, all)
	client := openai.New(cfg)

	m := newModel(context.Background(), Options{Source: client, Query: model.Query{PageSize: 100}, Now: func() time.Time { return testNow }, Location: testZone})
	tm := teatest.NewTestModel(t, m,
		teatest.WithInitialTermSize(120, 40),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)),
	)
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("all loaded"))
	}, teatest.WithDuration(30*time.Second), teatest.WithCheckInterval(20*time.Millisecond))

	tm.Type("/login")
	// The header counts the rows once the filter's result is in ("filtering…"
	// before). Wait for the count of the whole word: "/l" already matches
	// every row, so any count could be a prefix's.
	want := 0
	for i := range events {
		if model.CompileMatcher("login").Match(&events[i]) {
			want++
		}
	}
	counted := regexp.MustCompile(fmt.Sprintf(`(^|[^0-9,])%d matching`, want))
	teatest.WaitFor(t, tm.Output(), counted.Match, teatest.WithDuration(10*time.Second))
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))

	final := tm.FinalModel(t).(*Model)
	if final.set.Len() != len(events) {
		t.Fatalf("all %d events should be loaded once, have %d", len(events), final.set.Len())
	}
	if n, want := len(fake.Requests()), (len(events)+99)/100; n != want || want < 3 {
		t.Fatalf("%d events in pages of 100 take %d requests, the fake saw %d", len(events), want, n)
	}
	if final.input.Value() != "login" || final.list.Len() == 0 || final.list.Len() >= final.set.Len() {
		t.Fatalf("the login filter should be kept and narrow the list: %q, %d of %d", final.input.Value(), final.list.Len(), final.set.Len())
	}
	for r := range final.list.Len() {
		e := final.set.At(final.list.EventAt(r))
		if !model.CompileMatcher("login").Match(e) {
			t.Fatalf("row %d (%s) does not match login", r, e.Type)
		}
	}
	if final.ctx.Err() == nil {
		t.Fatal("quitting should cancel the requests")
	}
	if !strings.Contains(screenText(final), "all loaded") {
		t.Fatalf("the final screen should say everything is loaded:\n%s", screenText(final))
	}
}

// TestProgramShowsAnErrorAndRetriesFromTheCursor: the server fails on the
// third request; the two pages loaded stay, the status bar shows the
// client's sentence, and R resumes after the last event loaded.
func TestProgramShowsAnErrorAndRetriesFromTheCursor(t *testing.T) {
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, before) }) // after the server's cleanup closes it
	all := fakeapi.Org(fakeapi.OrgOptions{Events: 600, Seed: 3, Now: testNow})
	events := fakeapi.Listed(all, model.Filter{})
	fake, cfg := fakeServer(t, all, fakeapi.Fault{Kind: fakeapi.Unavailable, OnRequest: 3, Times: 1})
	cfg.Retries = -1
	client := openai.New(cfg)

	m := newModel(context.Background(), Options{Source: client, Query: model.Query{PageSize: 100}, Now: func() time.Time { return testNow }, Location: testZone})
	m = send(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	m = pump(t, m, m.Init(), func(m *Model) bool { return m.stream.err != nil })
	if m.set.Len() != 200 {
		t.Fatalf("the two pages before the failure should stay loaded, have %d", m.set.Len())
	}
	screen := screenText(m)
	if !strings.Contains(screen, "⚠") || !strings.Contains(screen, "Press R to retry") {
		t.Fatalf("the status bar should show the error and how to retry:\n%s", screen)
	}
	if !strings.Contains(strings.Join(strings.Fields(screen), " "), strings.Join(strings.Fields(m.stream.err.Error()), " ")) {
		t.Fatalf("the status bar should carry the client's sentence %q:\n%s", m.stream.err, screen)
	}

	nm, cmd := m.Update(keyMsg("R"))
	m = pump(t, nm.(*Model), cmd, func(m *Model) bool { return m.stream.exhausted })
	if m.set.Len() != len(events) {
		t.Fatalf("after R every event should be loaded exactly once: %d of %d", m.set.Len(), len(events))
	}
	reqs := fake.Requests()
	last := reqs[3] // the retry: requests 1-2 ok, 3 failed
	if got, want := last.Query.Get("after"), events[199].ID; got != want {
		t.Fatalf("the retry should resume after %s, asked after=%q", want, got)
	}
	nm, cmd = m.Update(keyMsg("q"))
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("q should quit")
	}
	_ = nm
}
