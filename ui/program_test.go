package ui

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/openai"
	"github.com/auditui/auditui/openai/fakeapi"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// TestProgramStreamsFromTheFakeAPI runs the whole program: the real client
// against the spec-exact fake endpoint, pages streamed in the background,
// a filter typed, then q.
func TestProgramStreamsFromTheFakeAPI(t *testing.T) {
	events := fakeapi.Org(fakeapi.OrgOptions{Events: 450, Seed: 7, Now: testNow})
	fake := fakeapi.New(events)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	client := openai.New(openai.Config{AdminKey: fakeapi.DefaultKey, BaseURL: srv.URL + "/v1", Name: "fake org"})

	m := newModel(context.Background(), Options{Source: client, Query: model.Query{PageSize: 100}, Now: func() time.Time { return testNow }, Location: testZone})
	tm := teatest.NewTestModel(t, m,
		teatest.WithInitialTermSize(120, 40),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)),
	)
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("all loaded"))
	}, teatest.WithDuration(30*time.Second), teatest.WithCheckInterval(20*time.Millisecond))

	tm.Type("/login")
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("matching"))
	}, teatest.WithDuration(10*time.Second))
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))

	final := tm.FinalModel(t).(Model)
	if final.set.Len() != len(events) {
		t.Fatalf("all %d events should be loaded once, have %d", len(events), final.set.Len())
	}
	if n := len(fake.Requests()); n != 5 {
		t.Fatalf("450 events in pages of 100 take 5 requests, the fake saw %d", n)
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
