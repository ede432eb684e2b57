package ui

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/store"
	storelocal "github.com/auditui/auditui/model/store/local"
	"github.com/auditui/auditui/model/store/postgres"
	"github.com/auditui/auditui/model/store/postgres/pgtest"
	"github.com/auditui/auditui/model/store/sqlite"
	"github.com/auditui/auditui/model/store/storetest"
	"github.com/auditui/auditui/model/store/syncer"
)

// openTestStore is a real SQLite store in a temporary directory holding events.
func openTestStore(t *testing.T, events []model.Event) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "org.db"), sqlite.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	storetest.Fill(t, st, events)
	return st
}

// storeBrowser opens the browser over st as cmd/auditui does, with timers
// dropped so that tests poll by hand, and runs Init until the store's
// events are all loaded and the first poll ended.
func storeBrowser(t *testing.T, st store.Store, opts Options, w, h int) *Model {
	t.Helper()
	opts.Source, opts.Store = storelocal.New(st, nil, syncer.Options{}), st
	opts.Now, opts.Location = func() time.Time { return testNow }, testZone
	m := New(opts)
	m.tick = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	m.wait = nil
	m = send(m, tea.WindowSizeMsg{Width: w, Height: h})
	return pump(t, m, m.Init(), settled)
}

// settled: nothing is being fetched, polled or filtered.
func settled(m *Model) bool {
	return m.stream.exhausted && !m.live.job.running && !m.filter.job.running && m.live.arrived == 0
}

// newer makes n events newer than pageEvents', newest first, ids new_*.
func newer(t *testing.T, n int) []model.Event {
	out := make([]model.Event, n)
	for i := range out {
		at := testNow.Add(time.Duration(n-i) * time.Second).Unix()
		out[i] = decode(t, `{"id":"new_`+string(rune('a'+i%26))+string(rune('a'+i/26))+`","type":"login.succeeded","effective_at":`+
			strconv.FormatInt(at, 10)+`,"actor":{"type":"session","session":{"user":{"id":"user-n","email":"new@example.com"},"ip_address":"192.0.2.9"}}}`)
	}
	return out
}

// A sync that stores the next batch of events in the store, as the syncer
// does from the API, and counts its calls.
type fakeSync struct {
	st    store.Store
	next  [][]model.Event
	err   error
	calls atomic.Int32
}

func (s *fakeSync) sync(ctx context.Context) error {
	s.calls.Add(1)
	if len(s.next) > 0 {
		batch := s.next[0]
		s.next = s.next[1:]
		storetest.Fill(&testing.T{}, s.st, batch)
		if err := s.st.SetMeta(ctx, store.Meta{LastSync: testNow}); err != nil {
			return err
		}
	}
	return s.err
}

func selectedID(m *Model) string {
	i, ok := m.list.Selected()
	if !ok {
		return ""
	}
	return m.set.At(i).ID
}

// The store's events are drawn from the store; a sync when the browser
// opens adds the newer ones at the top.
func TestStoreOpensAndSyncsInTheBackground(t *testing.T) {
	st := openTestStore(t, pageEvents(t, 300))
	fs := &fakeSync{st: st, next: [][]model.Event{newer(t, 30)}}
	m := storeBrowser(t, st, Options{Sync: fs.sync}, 80, 24)
	if fs.calls.Load() != 1 {
		t.Fatalf("the browser should sync once when it opens, not %d times", fs.calls.Load())
	}
	if m.set.Len() != 330 || m.list.Len() != 330 {
		t.Fatalf("loaded %d, shown %d; want the 300 stored and the 30 synced", m.set.Len(), m.list.Len())
	}
	if got := m.set.At(m.list.EventAt(0)).ID; got != "new_aa" {
		t.Errorf("the newest synced event should be on top, got %s", got)
	}
	// Nobody has moved yet: the opening sync's events are the list's top,
	// selected, not "new" above an older selection.
	if got := selectedID(m); got != "new_aa" || m.list.offset != 0 || m.list.newAbove != 0 {
		t.Errorf("selected %s at offset %d with %d new above; want new_aa at the top", got, m.list.offset, m.list.newAbove)
	}
	if s := screenText(m); !strings.Contains(s, "synced just now") || !strings.Contains(s, "all loaded") {
		t.Errorf("the header should say when the store was synced:\n%s", s)
	}
}

// Scrolled away, new events do not move the selected row: the window
// moves with it and the status bar counts what arrived above.
func TestArrivalsKeepTheSelectionAndCountWhileScrolledAway(t *testing.T) {
	st := openTestStore(t, pageEvents(t, 200))
	fs := &fakeSync{st: st}
	m := storeBrowser(t, st, Options{Sync: fs.sync}, 80, 24)
	m = press(t, m, "pgdown", "pgdown", "j", "j")
	id, line := selectedID(m), m.list.cursor-m.list.offset
	fs.next = [][]model.Event{newer(t, 12)}
	m = pump(t, m, m.toggleFollow(), settled)
	if got := selectedID(m); got != id {
		t.Fatalf("the selection moved from %s to %s", id, got)
	}
	if got := m.list.cursor - m.list.offset; got != line {
		t.Errorf("the selected event moved on screen from line %d to %d", line, got)
	}
	s := screenText(m)
	if !strings.Contains(s, "↑ 12 new") || !strings.Contains(s, "● live") || !strings.Contains(s, "polled 20:00:00") {
		t.Errorf("want the live mark, the poll's time and ↑ 12 new:\n%s", s)
	}
	m = press(t, m, "g")
	if strings.Contains(screenText(m), "new ·") || m.list.newAbove != 0 || selectedID(m) != "new_aa" {
		t.Errorf("at the top the count should go and the newest show: %q, %d", selectedID(m), m.list.newAbove)
	}
}

// At the top, new events show above the selected one, which stays selected.
func TestArrivalsAtTheTopShowAboveTheSelection(t *testing.T) {
	st := openTestStore(t, pageEvents(t, 50))
	fs := &fakeSync{st: st}
	m := storeBrowser(t, st, Options{Sync: fs.sync}, 80, 24)
	m = press(t, m, "j")
	id := selectedID(m)
	fs.next = [][]model.Event{newer(t, 2)}
	m = pump(t, m, m.poll(), settled)
	if selectedID(m) != id || m.list.offset != 0 || m.list.newAbove != 0 {
		t.Fatalf("selected %s (want %s), offset %d, newAbove %d", selectedID(m), id, m.list.offset, m.list.newAbove)
	}
	if s := screenText(m); !strings.Contains(s, "new@example.com") {
		t.Errorf("the new events should be on screen:\n%s", s)
	}
}

// A query change and u are answered from the store: no sync, no request.
func TestQueryOverTheStoreSyncsNothing(t *testing.T) {
	st := openTestStore(t, pageEvents(t, 200))
	fs := &fakeSync{st: st}
	m := storeBrowser(t, st, Options{Sync: fs.sync}, 80, 24)
	m = pump(t, m, m.applyQuery("type:login.failed"), settled)
	if m.list.Len() != 25 {
		t.Fatalf("type:login.failed shows %d events, want 25", m.list.Len())
	}
	m = pump(t, m, m.previousQuery(), settled)
	if m.list.Len() != 200 || fs.calls.Load() != 1 {
		t.Errorf("after u: %d shown, %d syncs; want 200 and only the one at opening", m.list.Len(), fs.calls.Load())
	}
}

// Offline the header says as of when, and F only reads the store.
func TestOfflineSaysAsOfWhen(t *testing.T) {
	st := openTestStore(t, pageEvents(t, 20))
	if err := st.SetMeta(context.Background(), store.Meta{LastSync: testNow.Add(-3 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	m := storeBrowser(t, st, Options{Offline: true}, 80, 24)
	if s := screenText(m); !strings.Contains(s, "offline · synced 3h ago") {
		t.Errorf("want 'offline · synced 3h ago' in the header:\n%s", s)
	}
	storetest.Fill(t, st, newer(t, 1)) // another process's sync
	m = pump(t, m, m.toggleFollow(), settled)
	if m.set.Len() != 21 || !strings.Contains(screenText(m), "offline") {
		t.Errorf("following offline should read what another sync stored: %d loaded", m.set.Len())
	}
}

// A failing poll says so on one line and keeps what is loaded.
func TestPollErrorKeepsEverything(t *testing.T) {
	st := openTestStore(t, pageEvents(t, 40))
	fs := &fakeSync{st: st, err: errors.New("list audit logs: 503 Service Unavailable\nsecond line")}
	m := storeBrowser(t, st, Options{Sync: fs.sync}, 200, 50)
	s := screenText(m)
	if !strings.Contains(s, "poll failed: list audit logs: 503 Service Unavailable second line") || m.set.Len() != 40 {
		t.Errorf("want one line on the failure and the 40 events kept (%d):\n%s", m.set.Len(), s)
	}
	fs.err = nil
	m = pump(t, m, m.poll(), settled)
	if strings.Contains(screenText(m), "poll failed") {
		t.Error("a poll that works should clear the failure")
	}
}

// F toggles following; a timer armed before F turned it off does nothing.
func TestFollowToggles(t *testing.T) {
	st := openTestStore(t, pageEvents(t, 10))
	fs := &fakeSync{st: st}
	var armed []time.Duration
	m := storeBrowser(t, st, Options{Sync: fs.sync, Interval: 5 * time.Second}, 80, 24)
	m.tick = func(d time.Duration, f func(time.Time) tea.Msg) tea.Cmd {
		armed = append(armed, d)
		return nil
	}
	m = pump(t, m, m.toggleFollow(), settled)
	if !m.live.following || len(armed) != 1 || armed[0] != 5*time.Second {
		t.Fatalf("F should poll and arm the next poll in 5s: following %v, armed %v", m.live.following, armed)
	}
	gen := m.live.ticking
	m = press(t, m, "F")
	if m.live.following || strings.Contains(screenText(m), "● live") {
		t.Fatal("a second F should stop following")
	}
	calls := fs.calls.Load()
	m = send(m, pollMsg{gen: gen})
	if m.live.job.running || fs.calls.Load() != calls {
		t.Error("the timer of a follow turned off should not poll")
	}
}

// F with no sync (offline) shows what another process stores as soon as it
// is stored, with no timer: the store's Wait wakes it (PostgreSQL's
// NOTIFY; SQLite looks every store.WaitInterval), also after the database
// restarted under it.
func TestFollowOfflineWakesOnAnotherWrite(t *testing.T) {
	openPG := func(t *testing.T, u string) store.Store {
		st, err := postgres.Open(u, postgres.Options{Create: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		storetest.Fill(t, st, pageEvents(t, 20))
		return st
	}
	// Each makes the store and what happens before the other process
	// writes: nothing, or the server restarting under the waiting browser.
	backends := map[string]func(t *testing.T) (store.Store, func() error){
		"sqlite": func(t *testing.T) (store.Store, func() error) {
			return openTestStore(t, pageEvents(t, 20)), func() error { return nil }
		},
		"postgres": func(t *testing.T) (store.Store, func() error) {
			return openPG(t, pgtest.Database(t)), func() error { return nil }
		},
		"postgres restarted": func(t *testing.T) (store.Store, func() error) {
			srv := pgtest.Private(t)
			pgtest.Exec(t, srv.URL, "CREATE DATABASE auditui")
			return openPG(t, pgtest.WithDatabase(t, srv.URL, "auditui")), srv.Restart
		},
	}
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			st, before := open(t)
			m := storeBrowser(t, st, Options{Offline: true}, 80, 24)
			defer m.cancel()
			m.wait = st.Wait // the timer stays dropped
			// Another process's sync, once the browser waits.
			wrote, started := make(chan error, 1), false
			m = pump(t, m, m.toggleFollow(), func(m *Model) bool {
				if !started && m.live.unwait != nil && settled(m) {
					started = true
					if !strings.Contains(screenText(m), "following: new events as they are stored") {
						t.Errorf("the status bar should say how it follows:\n%s", screenText(m))
					}
					go func() {
						if err := before(); err != nil {
							wrote <- err
							return
						}
						wrote <- storetest.WriteAll(st, newer(t, 2), 100)
					}()
				}
				return m.set.Len() == 22 && settled(m)
			})
			if err := <-wrote; err != nil {
				t.Fatal(err)
			}
			if s := screenText(m); !strings.Contains(s, "new@example.com") {
				t.Errorf("the new events should be shown:\n%s", s)
			}
			m = press(t, m, "F")
			if m.live.unwait != nil {
				t.Error("F off should stop waiting on the store")
			}
		})
	}
}

// oldEvent is an event of the given type from long before pageEvents'
// newest: another sync filling a gap late stores such events.
func oldEvent(t *testing.T, id, typ string) model.Event {
	return decode(t, `{"id":"`+id+`","type":"`+typ+`","effective_at":`+strconv.FormatInt(testNow.Add(-90*time.Minute).Unix(), 10)+
		`,"actor":{"type":"session","session":{"user":{"id":"user-l","email":"late@example.com"},"ip_address":"192.0.2.7"}}}`)
}

// A poll shows whatever the store got since the last one, however old: a
// gap filled late (by another sync) appears without reopening.
func TestPollShowsAGapFilledLate(t *testing.T) {
	events := pageEvents(t, 300)
	st := openTestStore(t, append(slices.Clone(events[:100]), events[200:]...))
	fs := &fakeSync{st: st}
	m := storeBrowser(t, st, Options{Sync: fs.sync}, 80, 24)
	if m.set.Len() != 200 {
		t.Fatalf("loaded %d of the 200 stored", m.set.Len())
	}
	// The gap's events are hours older than the newest loaded one.
	fs.next = [][]model.Event{events[100:200]}
	m = pump(t, m, m.poll(), settled)
	if m.set.Len() != 300 || m.list.Len() != 300 {
		t.Fatalf("after the gap was filled: %d loaded, %d shown; want 300", m.set.Len(), m.list.Len())
	}
	// The query in force still applies to what arrives.
	m = pump(t, m, m.applyQuery("type:login.failed"), settled)
	shown := m.list.Len()
	fs.next = [][]model.Event{{oldEvent(t, "late_failed", "login.failed"), oldEvent(t, "late_ok", "login.succeeded")}}
	m = pump(t, m, m.poll(), settled)
	if m.list.Len() != shown+1 || m.set.Len() > 302 {
		t.Fatalf("a poll under type:login.failed shows %d (was %d), loaded %d", m.list.Len(), shown, m.set.Len())
	}
}

// No query means the same over a store from the first load on as it does
// later and on the API: tenant-scoped events only when asked for.
func TestNoQueryLeavesTenantEventsOutFromTheFirstLoad(t *testing.T) {
	tenant := oldEvent(t, "tenant_evt", "role.bound_to_resource")
	st := openTestStore(t, append(pageEvents(t, 100), tenant))
	m := storeBrowser(t, st, Options{}, 80, 24)
	if m.set.Len() != 100 || m.list.Len() != 100 {
		t.Fatalf("the first load has %d, shows %d; want the 100 default-listing events", m.set.Len(), m.list.Len())
	}
	m = pump(t, m, m.applyQuery("type:role.bound_to_resource"), settled)
	if m.list.Len() != 1 {
		t.Fatalf("a query for the tenant type shows %d events, want 1", m.list.Len())
	}
	m = pump(t, m, m.applyQuery(""), settled)
	if m.list.Len() != 100 {
		t.Fatalf("no query again shows %d events, want the same 100 as at the start", m.list.Len())
	}
	// A tenant event stored later does not arrive under no query either.
	fs := &fakeSync{st: st, next: [][]model.Event{{oldEvent(t, "tenant_late", "role.unbound_from_resource")}}}
	m.opts.Sync = fs.sync
	m = pump(t, m, m.poll(), settled)
	if m.list.Len() != 100 {
		t.Fatalf("a tenant event stored later shows under no query: %d shown", m.list.Len())
	}
}
