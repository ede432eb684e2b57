package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/history"
	"github.com/auditui/auditui/openai"
	"github.com/auditui/auditui/openai/fakeapi"
)

// browserFault is one row of the browser's fault matrix: the fault falls on
// request 2 (page 2) of 250 events served in pages of 100.
type browserFault struct {
	name  string
	fault fakeapi.Fault
	says  string // part of the sentence the status area shows when it lasts
	cfg   func(*openai.Config)
}

var browserFaults = []browserFault{
	{"429 without Retry-After", fakeapi.Fault{Kind: fakeapi.RateLimited}, "rate-limiting this organisation (429): page 2 was refused and all 5 attempts failed", nil},
	{"429 with Retry-After longer than the browser waits", fakeapi.Fault{Kind: fakeapi.RateLimited, RetryAfter: time.Second}, "asked to wait a second before page 2", nil},
	{"500", fakeapi.Fault{Kind: fakeapi.ServerError}, "failed with 500 Internal Server Error on page 2", nil},
	{"503", fakeapi.Fault{Kind: fakeapi.Unavailable}, "failed with 503 Service Unavailable on page 2", nil},
	{"connection reset", fakeapi.Fault{Kind: fakeapi.ConnectionReset}, "Could not reach the API", nil},
	{"dropped mid-body", fakeapi.Fault{Kind: fakeapi.DropMidBody}, "dropped while page 2 was arriving", nil},
	{"malformed body", fakeapi.Fault{Kind: fakeapi.MalformedBody}, "Page 2 from the API could not be read", nil},
	{"valid JSON of the wrong shape", fakeapi.Fault{Kind: fakeapi.WrongShape}, `"data" is not a list`, nil},
	{"empty page with has_more", fakeapi.Fault{Kind: fakeapi.EmptyPageHasMore}, "was empty yet said more pages follow", nil},
	{"last_id repeating a cursor", fakeapi.Fault{Kind: fakeapi.RepeatLastID}, "pointed back to cursor", nil},
	{"very slow server", fakeapi.Fault{Kind: fakeapi.Slow, Delay: 2 * time.Second}, "did not finish sending page 2 in time",
		func(c *openai.Config) { c.RequestTimeout = 300 * time.Millisecond }},
}

// faultyBrowser is a browser at 160x45 over the real client against the
// fake endpoint with f on request 2 for times requests.
func faultyBrowser(t *testing.T, bf browserFault, times int) (*Model, *fakeapi.Server, []model.Event) {
	t.Helper()
	events := fakeapi.Org(fakeapi.OrgOptions{Events: 350, Seed: 11, Now: testNow, Hostile: true})
	f := bf.fault
	f.OnRequest, f.Times = 2, times
	fake, cfg := fakeServer(t, events, f)
	cfg.MaxRetryDelay = time.Millisecond
	if bf.cfg != nil {
		bf.cfg(&cfg)
	}
	m := newModel(context.Background(), Options{Source: openai.New(cfg), Query: model.Query{PageSize: 100},
		Now: func() time.Time { return testNow }, Location: testZone})
	t.Cleanup(m.cancel)
	return send(m, tea.WindowSizeMsg{Width: 160, Height: 45}), fake, fakeapi.Listed(events, model.Filter{})
}

// loadedIDs fails unless the browser holds exactly want, in order, once.
func loadedIDs(t *testing.T, m *Model, want []model.Event) {
	t.Helper()
	if m.set.Len() != len(want) {
		t.Fatalf("%d events loaded, want %d", m.set.Len(), len(want))
	}
	for i := range want {
		if got := m.set.At(i).ID; got != want[i].ID {
			t.Fatalf("event %d is %s, want %s", i, got, want[i].ID)
		}
	}
}

// onScreen reports whether the screen shows s, however it was wrapped.
func onScreen(m *Model, s string) bool {
	squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
	return strings.Contains(squash(screenText(m)), squash(s))
}

func requestedAfter(fake *fakeapi.Server) []string {
	var out []string
	for _, r := range fake.Requests() {
		out = append(out, r.Query.Get("after"))
	}
	return out
}

// TestBrowserFaultsThatLast: each fault stays on page 2 through every
// retry. Page 1 stays loaded, whole and once; the status area shows the
// client's sentence; every attempt asked for page 2 after page 1's last
// event. When the fault clears, R resumes from that cursor and loads the
// rest exactly once.
func TestBrowserFaultsThatLast(t *testing.T) {
	for _, bf := range browserFaults {
		t.Run(bf.name, func(t *testing.T) {
			m, fake, events := faultyBrowser(t, bf, 1000)
			m = pump(t, m, m.Init(), func(m *Model) bool { return m.stream.err != nil })
			loadedIDs(t, m, events[:100])
			if !onScreen(m, bf.says) || !onScreen(m, m.stream.err.Error()) || !onScreen(m, "Press R to retry") {
				t.Fatalf("the screen should show the sentence %q:\n%s", m.stream.err, screenText(m))
			}
			assertFits(t, screenText(m), 160, 45)
			if !strings.Contains(screenText(m), "stopped on an error") {
				t.Fatalf("the status bar should say loading stopped:\n%s", screenText(m))
			}
			for i, after := range requestedAfter(fake)[1:] {
				if after != events[99].ID {
					t.Fatalf("attempt %d at page 2 asked after %q, want %q", i+1, after, events[99].ID)
				}
			}

			fake.SetFaults()
			before := len(fake.Requests())
			nm, cmd := m.Update(keyMsg("R"))
			m = pump(t, nm.(*Model), cmd, func(m *Model) bool { return m.stream.exhausted || m.stream.err != nil })
			if m.stream.err != nil {
				t.Fatalf("the retry failed: %v", m.stream.err)
			}
			loadedIDs(t, m, events)
			if got := fake.Requests()[before].Query.Get("after"); got != events[99].ID {
				t.Fatalf("R resumed after %q, want %q", got, events[99].ID)
			}
			if s := screenText(m); strings.Contains(s, "⚠") || !strings.Contains(s, "all loaded") {
				t.Fatalf("after a successful retry the error should be gone:\n%s", s)
			}
		})
	}
}

// TestBrowserFaultsThatPass: a fault that clears within the retries is not
// seen at all; everything loads once, and the retries asked for page 2 on
// the same cursor.
func TestBrowserFaultsThatPass(t *testing.T) {
	for _, bf := range browserFaults {
		if bf.fault.Kind == fakeapi.RateLimited && bf.fault.RetryAfter > 0 {
			continue // longer than the client waits: it never retries
		}
		t.Run(bf.name, func(t *testing.T) {
			m, fake, events := faultyBrowser(t, bf, 2)
			if pages := (len(events) + 99) / 100; pages != 3 {
				t.Fatalf("the organisation lists as %d pages; the test needs 3", pages)
			}
			m = pump(t, m, m.Init(), func(m *Model) bool { return m.stream.exhausted || m.stream.err != nil })
			if m.stream.err != nil {
				t.Fatalf("a passing fault stopped loading: %v", m.stream.err)
			}
			loadedIDs(t, m, events)
			got := requestedAfter(fake)
			if len(got) < 5 {
				t.Fatalf("%d requests, want page 2 asked for at least 3 times", len(got))
			}
			for i, after := range got[1 : len(got)-1] {
				if after != events[99].ID {
					t.Fatalf("request %d asked after %q, want page 2's cursor %q", i+2, after, events[99].ID)
				}
			}
			if last := got[len(got)-1]; last != events[199].ID {
				t.Fatalf("page 3 asked after %q, want %q", last, events[199].ID)
			}
			if strings.Contains(screenText(m), "⚠") {
				t.Fatalf("a passing fault should not be shown:\n%s", screenText(m))
			}
		})
	}
}

// TestBrowserQuitMidPage: while page 2 hangs the status bar says it is
// fetching it; q then cancels its request, ends the fetch goroutine and
// keeps page 1 as it was.
func TestBrowserQuitMidPage(t *testing.T) {
	m, fake, events := faultyBrowser(t, browserFault{fault: fakeapi.Fault{Kind: fakeapi.Slow, Delay: time.Hour}}, 1)
	m = pump(t, m, m.Init(), func(m *Model) bool { return m.set.Len() == 100 })
	for deadline := time.Now().Add(10 * time.Second); len(fake.Requests()) < 2; {
		if time.Now().After(deadline) {
			t.Fatal("page 2 was never asked for")
		}
		time.Sleep(time.Millisecond)
	}
	if s := screenText(m); !strings.Contains(s, "loaded 100") || !strings.Contains(s, "fetching page 2") {
		t.Fatalf("while page 2 hangs the status bar should say so:\n%s", s)
	}
	nm, cmd := m.Update(keyMsg("q"))
	m = nm.(*Model)
	if _, ok := cmd().(tea.QuitMsg); !ok || m.ctx.Err() == nil {
		t.Fatal("q should quit and cancel the requests")
	}
	select {
	case _, open := <-m.stream.fetch.pages:
		if open {
			t.Fatal("the fetch sent a page after quitting")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the fetch goroutine did not end after quitting")
	}
	loadedIDs(t, m, events[:100])
	if got := requestedAfter(fake); len(got) != 2 || got[1] != events[99].ID {
		t.Fatalf("requests asked after %q, want page 1 then page 2 after %s", got, events[99].ID)
	}
}

// TestHistoryFetchFaults: m, asking the API for an object's whole history,
// meets each fault of the matrix on every request: the failure is one line,
// the timeline keeps the steps it showed, and m once the fault clears
// fetches it.
func TestHistoryFetchFaults(t *testing.T) {
	for _, bf := range browserFaults {
		if bf.fault.Kind == fakeapi.RepeatLastID {
			continue // an object's listing is one page: no cursor to repeat
		}
		t.Run(bf.name, func(t *testing.T) {
			m, fake, events := faultyBrowser(t, bf, 0)
			fake.SetFaults()
			m = pump(t, m, m.Init(), func(m *Model) bool { return m.stream.exhausted || m.stream.err != nil })
			loadedIDs(t, m, events)
			var x history.Index // the object with most loaded events
			x.Update(m.set)
			var e *model.Event
			for i := range m.set.Len() {
				ids := detailObjects(m.set.At(i))
				if len(ids) > 0 && ids[0] != history.Organization && (e == nil || len(x.Of(ids[0])) > len(x.Of(history.Objects(e)[0]))) {
					e = m.set.At(i)
				}
			}
			m = press(t, selectEvent(t, m, e.ID), "H")
			hv := topOf[*historyView](m)
			steps := len(hv.h.Steps)
			if steps < 2 {
				t.Fatalf("the object has %d loaded events; the test needs several", steps)
			}
			f := bf.fault
			f.Rate = 1
			fake.SetFaults(f)
			nm, cmd := m.Update(keyMsg("m"))
			m = pump(t, nm.(*Model), cmd, func(m *Model) bool { _, ok := m.common.hist.got[hv.id]; return ok })
			if strings.Contains(m.notice, "\n") || !strings.HasPrefix(m.notice, "could not fetch the history of ") || !onScreen(m, "could not fetch the rest (m tries again)") {
				t.Fatalf("notice %q, screen:\n%s", m.notice, screenText(m))
			}
			if !onTop[*historyView](m) || len(topOf[*historyView](m).h.Steps) != steps {
				t.Fatalf("the failed fetch lost the timeline's %d steps", steps)
			}
			assertFits(t, screenText(m), 160, 45)
			fake.SetFaults()
			nm, cmd = m.Update(keyMsg("m"))
			m = pump(t, nm.(*Model), cmd, func(m *Model) bool { return m.common.hist.fetched(hv.id) })
			if !onScreen(m, "fetched from the API") || len(topOf[*historyView](m).h.Steps) < steps {
				t.Fatalf("the retry did not fetch the history:\n%s", screenText(m))
			}
		})
	}
}
