package syncer_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/store"
	"github.com/auditui/auditui/model/store/sqlite"
	"github.com/auditui/auditui/model/store/storetest"
	"github.com/auditui/auditui/model/store/syncer"
	"github.com/auditui/auditui/openai"
	"github.com/auditui/auditui/openai/fakeapi"
)

// orgNow is the end of the synthetic organisation's 90 days; syncs run a
// day later.
var orgNow = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func later() time.Time { return orgNow.Add(24 * time.Hour) }

// api serves whichever fake is current on one loopback address, so that
// an organisation can grow under a store.
type api struct {
	current atomic.Pointer[fakeapi.Server]
	url     string
	retries int // the client's Retries; 0 means the default
}

func serve(t testing.TB, fake *fakeapi.Server) *api {
	a := &api{}
	a.current.Store(fake)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { a.current.Load().ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	a.url = srv.URL + "/v1"
	return a
}

func (a *api) client(th *syncer.Throttle) *openai.Client {
	cfg := openai.Config{AdminKey: fakeapi.DefaultKey, BaseURL: a.url, MaxRetryDelay: 5 * time.Millisecond, Retries: a.retries}
	if th != nil {
		cfg.Transport = th.Wrap(nil)
	}
	return openai.New(cfg)
}

func (a *api) origin() store.Meta { return store.Meta{BaseURL: a.url} }

// fakeStore is the fake API serving events, with opts, and an empty store.
func fakeStore(t testing.TB, events []model.Event, opts ...fakeapi.Option) (*fakeapi.Server, *api, *sqlite.Store) {
	fake := fakeapi.New(events, opts...)
	a := serve(t, fake)
	s, _ := newStore(t)
	return fake, a, s
}

func org(n int) []model.Event {
	return fakeapi.Org(fakeapi.OrgOptions{Events: n, Seed: 11, Now: orgNow, Hostile: true})
}

func newStore(t testing.TB) (*sqlite.Store, string) {
	path := filepath.Join(t.TempDir(), "auditui", "org.db")
	s, err := sqlite.Open(path, sqlite.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

// served is every event the API lists, across both listings.
func served(events []model.Event) []string {
	var ids []string
	for _, l := range store.Listings {
		for _, e := range fakeapi.Listed(events, l.Filter()) {
			ids = append(ids, e.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// holds checks that s holds exactly the events the API serves, each once.
func holds(t *testing.T, s store.Store, events []model.Event) {
	t.Helper()
	var got []string
	for _, e := range storetest.All(t, s, model.Query{}) {
		got = append(got, e.ID)
	}
	slices.Sort(got)
	want := served(events)
	if !slices.Equal(got, want) {
		missing, extra := diff(want, got), diff(got, want)
		t.Fatalf("store holds %d events, the API %d: %d missing (%v), %d not served (%v)", len(got), len(want), len(missing), head(missing), len(extra), head(extra))
	}
	if n, _ := s.Count(context.Background()); n != len(want) {
		t.Fatalf("Count = %d, want %d", n, len(want))
	}
}

func diff(a, b []string) []string {
	var out []string
	for _, x := range a {
		if _, ok := slices.BinarySearch(b, x); !ok {
			out = append(out, x)
		}
	}
	return out
}

func head(s []string) []string { return s[:min(3, len(s))] }

func sync1(t *testing.T, a *api, s store.Store, o syncer.Options) syncer.Result {
	t.Helper()
	o.Origin = a.origin()
	if o.Now == nil {
		o.Now = later
	}
	res, err := syncer.Sync(context.Background(), a.client(o.Throttle), s, o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestBackfillThenNothingNew(t *testing.T) {
	events := org(6000)
	fake, a, s := fakeStore(t, events)
	res := sync1(t, a, s, syncer.Options{})
	holds(t, s, events)
	if res.Stored != len(served(events)) {
		t.Fatalf("reported %d stored, want %d", res.Stored, len(served(events)))
	}
	for _, l := range store.Listings {
		cov, err := s.Coverage(context.Background(), l)
		if err != nil || len(cov) != 1 || !cov[0].Since.Equal(time.Unix(0, 0)) || !cov[0].Until.Equal(later()) {
			t.Fatalf("%s coverage after a backfill: %v (%v)", l, cov, err)
		}
	}
	before := len(fake.Requests())
	res = sync1(t, a, s, syncer.Options{Now: func() time.Time { return later().Add(time.Hour) }})
	if got := len(fake.Requests()) - before; got != len(store.Listings) || res.Stored != 0 {
		t.Fatalf("a sync with nothing new made %d requests and stored %d; want one request per listing (%d) and nothing", got, res.Stored, len(store.Listings))
	}
	if m, _ := s.Meta(context.Background()); !m.LastSync.Equal(later().Add(time.Hour)) || m.BaseURL != a.url {
		t.Fatalf("meta after sync: %+v", m)
	}
}

func TestNewEventsAndLateArrivals(t *testing.T) {
	all := org(5000)
	// The newest 200 arrive after the first sync, and 20 a little older
	// than the newest stored event arrive late.
	first := slices.Clone(all[200:])
	late := map[int]bool{}
	for i := 205; i < 300; i += 5 {
		late[i] = true
	}
	first = slices.DeleteFunc(first, func(e model.Event) bool {
		for i := range late {
			if all[i].ID == e.ID {
				return true
			}
		}
		return false
	})
	_, a, s := fakeStore(t, first)
	sync1(t, a, s, syncer.Options{Overlap: 7 * 24 * time.Hour})
	holds(t, s, first)
	a.current.Store(fakeapi.New(all))
	res := sync1(t, a, s, syncer.Options{Overlap: 7 * 24 * time.Hour, Now: func() time.Time { return later().Add(time.Hour) }})
	holds(t, s, all)
	if want := len(served(all)) - len(served(first)); res.Stored != want {
		t.Fatalf("the second sync stored %d, want %d", res.Stored, want)
	}
}

func TestSinceBackfillsOnlyFromThere(t *testing.T) {
	events := org(3000)
	a := serve(t, fakeapi.New(events))
	s, _ := newStore(t)
	since := orgNow.Add(-10 * 24 * time.Hour)
	sync1(t, a, s, syncer.Options{Since: since})
	var want []model.Event
	for _, e := range events {
		if !e.EffectiveAt.Before(since) {
			want = append(want, e)
		}
	}
	holds(t, s, want)
	// A later sync without --since keeps to the first one's range.
	sync1(t, a, s, syncer.Options{Now: func() time.Time { return later().Add(time.Hour) }})
	holds(t, s, want)
}

// An interrupted sync keeps every page it stored, and the next one lists
// only what the first did not finish.
func TestInterruptedResumes(t *testing.T) {
	events := org(8000)
	fake, a, s := fakeStore(t, events)
	ctx, cancel := context.WithCancel(context.Background())
	var once sync.Once
	_, err := syncer.Sync(ctx, a.client(nil), s, syncer.Options{Origin: a.origin(), Now: later, Progress: func(p syncer.Progress) {
		if p.Pages >= 30 {
			once.Do(cancel)
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted sync: %v", err)
	}
	kept, _ := s.Count(context.Background())
	if kept < 30*50 {
		t.Fatalf("after 30 pages the store kept %d events", kept)
	}
	first := len(fake.Requests())
	sync1(t, a, s, syncer.Options{})
	holds(t, s, events)
	second := len(fake.Requests()) - first
	// A sync from scratch, for comparison.
	fresh, _ := newStore(t)
	sync1(t, a, fresh, syncer.Options{})
	whole := len(fake.Requests()) - first - second
	// What was stored before is not listed again: the resumed sync saves
	// about a request per page kept.
	if second+kept/100 > whole+2*syncer.DefaultConcurrency {
		t.Fatalf("the resumed sync made %d requests after %d events were kept; a sync from scratch makes %d", second, kept, whole)
	}
	t.Logf("interrupted after %d requests (%d events kept); resumed with %d; from scratch %d", first, kept, second, whole)
}

// Every fault the fake can inject, during a sync: the store ends complete,
// nothing lost or repeated.
func TestFaultsLeaveStoreComplete(t *testing.T) {
	events := org(3000)
	for _, kind := range []fakeapi.FaultKind{fakeapi.RateLimited, fakeapi.ServerError, fakeapi.Unavailable, fakeapi.DropMidBody,
		fakeapi.MalformedBody, fakeapi.WrongShape, fakeapi.EmptyPageHasMore, fakeapi.RepeatLastID, fakeapi.Slow, fakeapi.ConnectionReset} {
		t.Run(kind.String(), func(t *testing.T) {
			_, a, s := fakeStore(t, events, fakeapi.WithFaults(fakeapi.Fault{Kind: kind, Rate: 0.1, Seed: int64(kind), Times: 8, Delay: time.Millisecond}))
			sync1(t, a, s, syncer.Options{})
			holds(t, s, events)
		})
	}
}

// 429s halve how many requests run at once; the sync still completes.
func TestRateLimitLowersConcurrency(t *testing.T) {
	events := org(3000)
	_, a, s := fakeStore(t, events, fakeapi.WithFaults(fakeapi.Fault{Kind: fakeapi.RateLimited, Rate: 0.3, Seed: 3}))
	// At a rate of 0.3 a page meets five 429s in a row now and then; with
	// 20 retries it never does, so the test sees only the throttle.
	a.retries = 20
	th := syncer.NewThrottle(8)
	sync1(t, a, s, syncer.Options{Throttle: th})
	holds(t, s, events)
	if th.RateLimited() == 0 || th.Limit() >= 8 {
		t.Fatalf("after %d answers of 429 the limit is %d", th.RateLimited(), th.Limit())
	}
}

func TestOtherOrganisationRefused(t *testing.T) {
	events := org(2000)
	a := serve(t, fakeapi.New(events))
	s, _ := newStore(t)
	sync1(t, a, s, syncer.Options{})
	// The same address now serves another organisation.
	a.current.Store(fakeapi.New(fakeapi.Org(fakeapi.OrgOptions{Events: 2000, Seed: 99, Now: orgNow.Add(time.Hour)})))
	before, _ := s.Count(context.Background())
	_, err := syncer.Sync(context.Background(), a.client(nil), s, syncer.Options{Origin: a.origin(), Now: func() time.Time { return later().Add(time.Hour) }})
	if !errors.Is(err, syncer.ErrOtherOrganisation) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("syncing another organisation into a store: %v", err)
	}
	if after, _ := s.Count(context.Background()); after != before {
		t.Fatalf("the refused sync stored %d events", after-before)
	}
	// Another address or organisation id is refused before any request.
	_, err = syncer.Sync(context.Background(), a.client(nil), s, syncer.Options{Origin: store.Meta{BaseURL: a.url, OrgID: "org-other"}, Now: later})
	if err == nil || !strings.Contains(err.Error(), "org-other") {
		t.Fatalf("a sync for another organisation id: %v", err)
	}
}

func TestTwoSyncsAtOnce(t *testing.T) {
	events := org(6000)
	a := serve(t, fakeapi.New(events, fakeapi.WithLatency(time.Millisecond)))
	_, path := newStore(t)
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for range 2 {
		wg.Go(func() {
			s, err := sqlite.Open(path, sqlite.Options{Create: true})
			if err != nil {
				errs <- err
				return
			}
			defer s.Close()
			_, err = syncer.Sync(context.Background(), a.client(nil), s, syncer.Options{Origin: a.origin(), Now: later})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	s, err := sqlite.Open(path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	holds(t, s, events)
}

// A first sync's window starts at 1970: probes of one event find where the
// organisation's events are, so no page is asked for a window reaching far
// below its oldest event, and the empty years are still recorded complete.
func TestFirstSyncStartsWhereEventsAre(t *testing.T) {
	events := org(6000)
	fake, a, s := fakeStore(t, events)
	sync1(t, a, s, syncer.Options{})
	holds(t, s, events)
	oldest := events[len(events)-1].EffectiveAt
	probes := 0
	for _, r := range fake.Requests() {
		if r.Query.Get("limit") == "1" {
			probes++
			continue
		}
		gte, err := strconv.ParseInt(r.Query.Get("effective_at[gte]"), 10, 64)
		if err != nil {
			t.Fatalf("a page asked with no start: %v", r.Query)
		}
		// The second round of probes cuts the stretch found by the first
		// (up to eight times older than the events' age) in eight.
		if start := time.Unix(gte, 0); start.Before(oldest.Add(-fakeapi.OrgSpan / 2)) {
			t.Fatalf("a page was asked from %s, long before the oldest event (%s): %v", start.UTC(), oldest, r.Query)
		}
	}
	if probes == 0 || probes > 2*16 {
		t.Fatalf("%d probes of one event for two listings", probes)
	}
	for _, l := range store.Listings {
		if cov, err := s.Coverage(context.Background(), l); err != nil || len(cov) != 1 || !cov[0].Since.Equal(time.Unix(0, 0)) {
			t.Fatalf("%s coverage after a first sync: %v (%v)", l, cov, err)
		}
	}
}

// A first sync that fails after its probes recorded the empty years of one
// listing (here while probing the second) has already marked the store with
// its origin, so another organisation's sync cannot take those years for
// its own.
func TestFailedFirstSyncKeepsItsOrigin(t *testing.T) {
	events := org(3000)
	_, a, s := fakeStore(t, events, fakeapi.WithFaults(fakeapi.Fault{Kind: fakeapi.ServerError, OnRequest: 16, Times: 1000}))
	a.retries = 1
	if _, err := syncer.Sync(context.Background(), a.client(nil), s, syncer.Options{Origin: a.origin(), Now: later}); err == nil {
		t.Fatal("a sync through lasting 500s succeeded")
	}
	cov, _ := s.Coverage(context.Background(), store.Default)
	if m, err := s.Meta(context.Background()); err != nil || m.BaseURL != a.url || len(cov) == 0 {
		t.Fatalf("after a failed first sync: origin %q (%v), coverage %v; want %s and the empty years", m.BaseURL, err, cov, a.url)
	}
	other := serve(t, fakeapi.New(org(100)))
	if _, err := syncer.Sync(context.Background(), other.client(nil), s, syncer.Options{Origin: other.origin(), Now: later}); err == nil {
		t.Fatal("another organisation's sync was let into the store")
	}
}
