package local_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/store"
	"github.com/auditui/auditui/model/store/local"
	"github.com/auditui/auditui/model/store/sqlite"
	"github.com/auditui/auditui/model/store/syncer"
	"github.com/auditui/auditui/openai"
	"github.com/auditui/auditui/openai/fakeapi"
)

var orgNow = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func later() time.Time { return orgNow.Add(time.Hour) }

type fixture struct {
	fake   *fakeapi.Server
	api    *openai.Client
	st     *sqlite.Store
	origin store.Meta
}

func setup(t *testing.T, n int) *fixture {
	t.Helper()
	events := fakeapi.Org(fakeapi.OrgOptions{Events: n, Seed: 5, Now: orgNow, Hostile: true})
	fake := fakeapi.New(events)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "org.db"), sqlite.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	api := openai.New(openai.Config{AdminKey: fakeapi.DefaultKey, BaseURL: srv.URL + "/v1", MaxRetryDelay: time.Millisecond})
	return &fixture{fake: fake, api: api, st: st, origin: store.Meta{BaseURL: srv.URL + "/v1"}}
}

func (f *fixture) opts(since time.Time) syncer.Options {
	return syncer.Options{Origin: f.origin, Now: later, Since: since}
}

// all reads every page of q, following HasMore with After as the browser
// does (each page a new call), and checks the pages are numbered.
func all(t *testing.T, src model.Source, q model.Query) []model.Event {
	t.Helper()
	var out []model.Event
	for {
		var last model.Page
		for p, err := range src.Pages(context.Background(), q) {
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, p.Events...)
			last = p
			break
		}
		if !last.HasMore {
			return out
		}
		q.After = last.LastID
	}
}

func sameRaw(t *testing.T, what string, got, want []model.Event) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d events, want %d", what, len(got), len(want))
	}
	for i := range got {
		if !bytes.Equal(got[i].Raw, want[i].Raw) {
			t.Fatalf("%s: event %d is %s, want %s", what, i, got[i].ID, want[i].ID)
		}
	}
}

func TestSyncsOnceThenAnswersFromTheStore(t *testing.T) {
	f := setup(t, 1500)
	src := local.New(f.st, f.api, f.opts(time.Time{}))
	email := ""
	for _, e := range fakeapi.Listed(fakeapi.Org(fakeapi.OrgOptions{Events: 1500, Seed: 5, Now: orgNow, Hostile: true}), model.Filter{}) {
		if e.Actor.Email() != "" {
			email = e.Actor.Email()
			break
		}
	}
	filters := map[string]model.Filter{
		"everything": {},
		"type":       {Types: []string{"login.failed", "api_key.created"}},
		"tenant":     {TenantOnly: true},
		"both sides": {Types: []string{"role.bound_to_resource", "role.created", "login.succeeded"}},
		"actor+7d":   {ActorEmails: []string{email}, Since: orgNow.Add(-7 * 24 * time.Hour)},
	}
	first := true
	for name, flt := range filters {
		want := all(t, f.api, model.Query{Filter: flt, PageSize: 50})
		if name == "both sides" && !slices.ContainsFunc(want, func(e model.Event) bool { return model.IsTenantType(e.Type) }) {
			t.Fatal("the fixture lists no tenant-scoped event for a query over both sides")
		}
		before := len(f.fake.Requests())
		got := all(t, src, model.Query{Filter: flt, PageSize: 50})
		made := len(f.fake.Requests()) - before
		sameRaw(t, name, got, want)
		if !first && made != 0 {
			t.Fatalf("%s: a query over the synced store made %d requests, want none", name, made)
		}
		if first && made == 0 {
			t.Fatalf("%s: the first query made no request, so it did not sync", name)
		}
		first = false
	}
	if n, _ := f.st.Count(context.Background()); n == 0 {
		t.Fatal("the store is empty after the first query")
	}
}

func TestGapBeforeTheStoreIsListedFromTheAPIOnly(t *testing.T) {
	f := setup(t, 3000)
	storeSince := orgNow.Add(-10 * 24 * time.Hour)
	if _, err := syncer.Sync(context.Background(), f.api, f.st, f.opts(storeSince)); err != nil {
		t.Fatal(err)
	}
	src := local.New(f.st, f.api, f.opts(time.Time{}))
	q := model.Query{Filter: model.Filter{Types: []string{"login.succeeded", "login.failed"}, Since: orgNow.Add(-40 * 24 * time.Hour)}}
	want := all(t, f.api, q)
	before := len(f.fake.Requests())
	got := all(t, src, q)
	sameRaw(t, "40 days over a store of 10", got, want)
	gapAsked := false
	for _, r := range f.fake.Requests()[before:] {
		lt := r.Query.Get("effective_at[lt]")
		if lt == "" {
			continue // the incremental sync's tail
		}
		n, err := strconv.ParseInt(lt, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		if time.Unix(n, 0).After(storeSince) && r.Query.Get("event_types[]") != "" {
			t.Fatalf("a filtered request reached into the stored range: lt=%s, the store starts at %s", lt, storeSince)
		}
		gapAsked = gapAsked || r.Query.Get("event_types[]") != ""
	}
	if !gapAsked {
		t.Fatal("the gap before the store was not listed from the API")
	}
	if n, _ := f.st.Count(context.Background()); n != len(all(t, f.st, model.Query{Filter: model.Filter{Since: storeSince}})) {
		t.Fatal("the gap's events were stored; a query must not grow the store")
	}
}

func TestOfflineAnswersFromTheStoreAlone(t *testing.T) {
	f := setup(t, 800)
	if _, err := syncer.Sync(context.Background(), f.api, f.st, f.opts(time.Time{})); err != nil {
		t.Fatal(err)
	}
	want := all(t, f.api, model.Query{})
	before := len(f.fake.Requests())
	src := local.New(f.st, nil, syncer.Options{})
	got := all(t, src, model.Query{PageSize: 33})
	sameRaw(t, "offline", got, want)
	if made := len(f.fake.Requests()) - before; made != 0 {
		t.Fatalf("offline made %d requests", made)
	}
	if _, err := src.Sync(context.Background()); err == nil {
		t.Fatal("an offline source synced")
	}
}

func TestAsOf(t *testing.T) {
	now := orgNow
	for _, c := range []struct {
		last time.Time
		want string
	}{
		{time.Time{}, "never synced"},
		{now.Add(-10 * time.Second), "synced just now"},
		{now.Add(-12 * time.Minute), "synced 12m ago"},
		{now.Add(-3*time.Hour - time.Minute), "synced 3h ago"},
		{now.Add(-5 * 24 * time.Hour), "synced 5d ago"},
	} {
		if got := (store.Meta{LastSync: c.last}).AsOf(now); got != c.want {
			t.Errorf("AsOf(%v) = %q, want %q", c.last, got, c.want)
		}
	}
}

// TestLeaveRecords: with LeaveRecords, what the store answers (through the
// source, and through Store as the browser reads it) holds no record and
// reads back the same bytes; what the API answers keeps its records.
func TestLeaveRecords(t *testing.T) {
	f := setup(t, 800)
	src := local.New(f.st, f.api, f.opts(time.Time{}))
	if !src.LeaveRecords() {
		t.Fatal("a SQLite store cannot keep the records")
	}
	fromSource := all(t, src, model.Query{PageSize: 33}) // syncs first
	for what, c := range map[string][2][]model.Event{
		"source": {fromSource, all(t, f.api, model.Query{})},
		"store":  {all(t, src.Store(), model.Query{}), all(t, f.st, model.Query{})},
	} {
		got, want := c[0], c[1]
		if len(got) != len(want) {
			t.Fatalf("%s: %d events, want %d", what, len(got), len(want))
		}
		for i := range got {
			raw, err := got[i].JSON()
			if got[i].Raw != nil || err != nil || !bytes.Equal(raw, want[i].Raw) {
				t.Fatalf("%s: event %d holds %d bytes, reads back %q, %v; want %q", what, i, len(got[i].Raw), raw, err, want[i].Raw)
			}
		}
	}
}
