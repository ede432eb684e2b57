// Package storetest is the conformance suite every store backend runs
// unchanged: give Run a function that makes a fresh, empty store and returns
// how to open it (each call a new handle on the same store).
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/export"
	"github.com/auditui/auditui/model/store"
	"github.com/auditui/auditui/openai/fakeapi"
)

// Opener opens one store; every call gives a new handle on the same store.
type Opener func() (store.Store, error)

// Fresh makes a new, empty store for one test or benchmark run.
type Fresh func(t testing.TB) Opener

// Run runs every conformance test against the backend fresh makes.
func Run(t *testing.T, fresh Fresh) {
	tests := []struct {
		name string
		run  func(*testing.T, Opener)
	}{
		{"RawKeptByteForByte", rawKept},
		{"RecordsReadBackByID", recordsReadBack},
		{"DedupedByID", deduped},
		{"PagesMatchMemorySource", pagesMatch},
		{"EmailsComparedExactly", emailsExact},
		{"PagingResumesAfterCursor", pagingResumes},
		{"CoverageMerged", coverageMerged},
		{"NewestPerListing", newestPerListing},
		{"ResourceOldestFirst", resourceOldestFirst},
		{"ResourceSameSecondInTheAPIsOrder", resourceSameSecond},
		{"KnownSinceIsTheListingsCoverage", knownSinceCoverage},
		{"MetaAndCheckpoints", metaAndCheckpoints},
		{"SinceInStoredOrder", sinceInStoredOrder},
		{"WaitWakesOnAnotherHandlesWrite", waitWakes},
		{"ReopenedKeepsEverything", reopened},
		{"ConcurrentWritersNeverDuplicate", concurrentWriters},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, fresh(t)) })
	}
}

// emailsExact: an actor email matches as sent, case included, as
// model.Filter (and the fake API's strict reading) compares it.
func emailsExact(t *testing.T, o Opener) {
	s := open(t, o)
	var events []model.Event
	for i, email := range []string{"Bob@Example.com", "bob@example.com", "BOB@EXAMPLE.COM"} {
		raw := fmt.Sprintf(`{"id":"audit_log-email%d","type":"login.succeeded","effective_at":%d,"actor":{"type":"session","session":{"user":{"id":"user-bob","email":%q}}}}`, i, 1720000000-i, email)
		e, err := model.DecodeEvent([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, e)
	}
	Fill(t, s, events)
	for i, e := range events {
		got := All(t, s, model.Query{Filter: model.Filter{ActorEmails: []string{e.Actor.Email()}}})
		if len(got) != 1 || got[0].ID != events[i].ID {
			t.Errorf("actor email %q gave %v, want only %s", e.Actor.Email(), ids(got), events[i].ID)
		}
	}
}

// Org is a synthetic organisation of n events, newest first.
func Org(n int) []model.Event {
	return fakeapi.Org(fakeapi.OrgOptions{Events: n, Seed: 7, Hostile: true})
}

func open(t *testing.T, o Opener) store.Store {
	t.Helper()
	s, err := o()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Of is the events the API lists under l.
func Of(l store.Listing, events []model.Event) []model.Event {
	var out []model.Event
	for _, e := range events {
		if store.ListingOf(&e) == l {
			out = append(out, e)
		}
	}
	return out
}

// Fill writes events to s, each under its own listing, in batches of 100
// with no coverage.
func Fill(t testing.TB, s store.Store, events []model.Event) {
	t.Helper()
	if err := WriteAll(s, events, 100); err != nil {
		t.Fatal(err)
	}
}

// WriteAll writes events to s, each under its own listing, in batches of
// size with no coverage.
func WriteAll(s store.Store, events []model.Event, size int) error {
	for lo := 0; lo < len(events); lo += size {
		batch := events[lo:min(lo+size, len(events))]
		for _, l := range store.Listings {
			if _, err := s.Write(context.Background(), l, Of(l, batch), store.Range{}); err != nil {
				return err
			}
		}
	}
	return nil
}

// All reads every event q selects from src, page by page.
func All(t testing.TB, src model.Source, q model.Query) []model.Event {
	t.Helper()
	var out []model.Event
	for p, err := range src.Pages(context.Background(), q) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p.Events...)
	}
	return out
}

func ids(events []model.Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.ID
	}
	return out
}

func rawKept(t *testing.T, o Opener) {
	s := open(t, o)
	events := Org(1500)
	Fill(t, s, events)
	got := All(t, s, model.Query{})
	if len(got) != len(events) {
		t.Fatalf("stored %d events, read back %d", len(events), len(got))
	}
	want := map[string][]byte{}
	for _, e := range events {
		want[e.ID] = e.Raw
	}
	for _, e := range got {
		if !bytes.Equal(e.Raw, want[e.ID]) {
			t.Fatalf("event %s came back as\n%s\nnot as stored:\n%s", e.ID, e.Raw, want[e.ID])
		}
	}
}

// recordsReadBack: events that leave their records in the store
// (model.RecordKeeper) read the same bytes back and export the same; a
// record the store no longer has, or a closed store, is one line.
func recordsReadBack(t *testing.T, o Opener) {
	s := open(t, o)
	Fill(t, s, Org(1500))
	r, ok := s.(model.RecordReader)
	if !ok {
		t.Fatal("the store cannot read a record back by id")
	}
	held := All(t, s, model.Query{})
	left := slices.Clone(held)
	model.KeepRecordsIn(s.Location(), r).Leave(left)
	var want, got bytes.Buffer
	for _, w := range []struct {
		b      *bytes.Buffer
		events []model.Event
	}{{&want, held}, {&got, left}} {
		ew, _ := export.NewWriter(w.b, export.JSONL)
		for i := range w.events {
			if err := ew.Write(&w.events[i]); err != nil {
				t.Fatalf("event %s: %v", w.events[i].ID, err)
			}
		}
		if err := ew.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if left[0].Raw != nil || want.Len() == 0 || !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatalf("exported %d bytes from events that left their records, %d held (the first holds %d)", got.Len(), want.Len(), len(left[0].Raw))
	}
	if _, err := r.Record(context.Background(), "audit_log-nowhere"); err == nil || strings.Contains(err.Error(), "\n") {
		t.Errorf("an id the store does not hold: %v", err)
	}
	s.Close()
	if raw, err := left[0].JSON(); err == nil || raw != nil || strings.Contains(err.Error(), "\n") {
		t.Errorf("read back from a closed store: %q, %v", raw, err)
	}
}

func deduped(t *testing.T, o Opener) {
	s := open(t, o)
	ctx := context.Background()
	events := Org(300)
	def := Of(store.Default, events)
	n, err := s.Write(ctx, store.Default, def, store.Range{})
	if err != nil || n != len(def) {
		t.Fatalf("first write added %d of %d (%v)", n, len(def), err)
	}
	// The same events again, and a batch repeating one of its own.
	again := append(slices.Clone(def[:50]), def[0])
	n, err = s.Write(ctx, store.Default, again, store.Range{})
	if err != nil || n != 0 {
		t.Fatalf("writing stored events again added %d (%v), want 0", n, err)
	}
	if c, err := s.Count(ctx); err != nil || c != len(def) {
		t.Fatalf("Count = %d (%v), want %d", c, err, len(def))
	}
}

func pagesMatch(t *testing.T, o Opener) {
	s := open(t, o)
	events := Org(3000)
	Fill(t, s, events)
	mem := model.NewMemorySource("mem", events)
	newest := events[0].EffectiveAt
	e := func(i int) *model.Event { return &events[i] }
	var someEmail, someActorID, someProject, someResource, someIP string
	for i := range events {
		if someEmail == "" && e(i).Actor.Email() != "" {
			someEmail = e(i).Actor.Email()
		}
		if ids := e(i).Actor.IDs(); someActorID == "" && len(ids) > 0 {
			someActorID = ids[0]
		}
		if someProject == "" && e(i).Project.ID != "" {
			someProject = e(i).Project.ID
		}
		if ip := model.CanonicalIP(e(i).Actor.IP()); someIP == "" && ip != "" {
			someIP = ip
		}
		if r := e(i).ResourceIDs(); someResource == "" && len(r) > 0 {
			someResource = r[0]
		}
	}
	filters := map[string]model.Filter{
		"everything":    {},
		"type":          {Types: []string{"login.failed"}},
		"types":         {Types: []string{"login.succeeded", "api_key.created", "no.such.type"}},
		"email":         {ActorEmails: []string{someEmail}},
		"email-case":    {ActorEmails: []string{upper(someEmail)}},
		"actor-id":      {ActorIDs: []string{someActorID}},
		"project":       {ProjectIDs: []string{someProject}},
		"resource":      {ResourceIDs: []string{someResource}},
		"since":         {Since: newest.Add(-7 * 24 * time.Hour)},
		"range":         {Since: newest.Add(-30 * 24 * time.Hour), Until: newest.Add(-7 * 24 * time.Hour)},
		"tenant":        {TenantOnly: true},
		"ip":            {IPs: []string{someIP, "203.0.113.255"}},
		"ip+type":       {IPs: []string{someIP}, Types: []string{"login.succeeded", "login.failed"}},
		"type+email+7d": {Types: []string{"login.failed", "login.succeeded"}, ActorEmails: []string{someEmail}, Since: newest.Add(-7 * 24 * time.Hour)},
		"nothing":       {Types: []string{"login.failed"}, Since: newest.Add(time.Hour)},
	}
	for name, f := range filters {
		t.Run(name, func(t *testing.T) {
			for _, size := range []int{100, 7} {
				q := model.Query{Filter: f, PageSize: size}
				got, want := All(t, s, q), All(t, mem, q)
				if !sameEvents(got, want) {
					t.Fatalf("page size %d: store gave %d events %v..., memory %d %v...", size, len(got), head(ids(got)), len(want), head(ids(want)))
				}
				if len(want) > 2 {
					// Resumed midway, as a reader continues after the last event it holds.
					q.After = want[len(want)/3].ID
					if got, want := All(t, s, q), All(t, mem, q); !sameEvents(got, want) {
						t.Fatalf("page size %d after %s: store gave %d events, memory %d", size, q.After, len(got), len(want))
					}
				}
				for i := 1; i < len(got); i++ {
					if got[i].EffectiveAt.After(got[i-1].EffectiveAt) {
						t.Fatalf("event %d (%s) is newer than the one before it", i, got[i].ID)
					}
				}
			}
			if f.IsZero() || len(All(t, mem, model.Query{Filter: f})) > 0 {
				return
			}
			// An empty result is one empty page, as with the API.
			var pages []model.Page
			for p, err := range s.Pages(context.Background(), model.Query{Filter: f}) {
				if err != nil {
					t.Fatal(err)
				}
				pages = append(pages, p)
			}
			if len(pages) != 1 || len(pages[0].Events) != 0 || pages[0].HasMore {
				t.Fatalf("an empty result came as %d pages", len(pages))
			}
		})
	}
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

func head(s []string) []string { return s[:min(3, len(s))] }

// sameEvents reports whether a and b hold the same ids, each once, with
// events of the same time adjacent in either order.
func sameEvents(a, b []model.Event) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := ids(a), ids(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y) && len(slices.Compact(x)) == len(a)
}

func pagingResumes(t *testing.T, o Opener) {
	s := open(t, o)
	events := Org(500)
	Fill(t, s, events)
	ctx := context.Background()
	q := model.Query{PageSize: 40}
	var first model.Page
	for p, err := range s.Pages(ctx, q) {
		if err != nil {
			t.Fatal(err)
		}
		first = p
		break
	}
	if len(first.Events) != 40 || !first.HasMore || first.LastID != first.Events[39].ID || first.FirstID != first.Events[0].ID || first.Number != 1 {
		t.Fatalf("first page: %d events, HasMore %v, FirstID %q, LastID %q, Number %d", len(first.Events), first.HasMore, first.FirstID, first.LastID, first.Number)
	}
	q.After = first.LastID
	rest := All(t, s, q)
	all := append(slices.Clone(first.Events), rest...)
	if !slices.Equal(ids(all), ids(All(t, s, model.Query{}))) {
		t.Fatalf("resuming after %s gave %d events; the whole listing has %d", first.LastID, len(all), len(events))
	}
	q.After = "no-such-event"
	for _, err := range s.Pages(ctx, q) {
		if err == nil {
			t.Fatal("an unknown cursor was accepted")
		}
	}
	for _, err := range s.Pages(ctx, model.Query{PageSize: 101}) {
		if err == nil {
			t.Fatal("a page size of 101 was accepted")
		}
	}
}

func at(h int) time.Time { return time.Date(2026, 1, 1, h, 0, 0, 0, time.UTC) }

// span is the range from hour a to hour b of a day.
func span(a, b int) store.Range { return store.Range{Since: at(a), Until: at(b)} }

func coverageMerged(t *testing.T, o Opener) {
	s := open(t, o)
	ctx := context.Background()
	for _, r := range []store.Range{span(5, 6), span(1, 2), span(2, 3), span(8, 10), span(9, 9), span(7, 9)} {
		if _, err := s.Write(ctx, store.Default, nil, r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Write(ctx, store.TenantOnly, nil, span(0, 1)); err != nil {
		t.Fatal(err)
	}
	got, err := s.Coverage(ctx, store.Default)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Range{span(1, 3), span(5, 6), span(7, 10)}
	if !equalRanges(got, want) {
		t.Fatalf("default coverage %v, want %v", got, want)
	}
	got, err = s.Coverage(ctx, store.TenantOnly)
	if err != nil || !equalRanges(got, []store.Range{span(0, 1)}) {
		t.Fatalf("tenant_only coverage %v (%v)", got, err)
	}
	if gaps := store.Gaps(want, span(0, 12)); !equalRanges(gaps, []store.Range{span(0, 1), span(3, 5), span(6, 7), span(10, 12)}) {
		t.Fatalf("gaps %v", gaps)
	}
	// A range that spans everything folds it into one.
	if _, err := s.Write(ctx, store.Default, nil, span(2, 8)); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.Coverage(ctx, store.Default); !equalRanges(got, []store.Range{span(1, 10)}) {
		t.Fatalf("after spanning write: %v", got)
	}
}

// knownSinceCoverage: an object's log is known from the start of the newest
// covered range of the listing its events come from, not from Meta.Since.
func knownSinceCoverage(t *testing.T, o Opener) {
	s := open(t, o)
	ctx := context.Background()
	if err := s.SetMeta(ctx, store.Meta{BaseURL: "http://api.test", Since: at(0)}); err != nil {
		t.Fatal(err)
	}
	user, err := model.DecodeEvent(fmt.Appendf(nil, `{"id":"evt_u","type":"user.updated","effective_at":%d,"user.updated":{"id":"user-bob"}}`, at(6).Unix()))
	if err != nil {
		t.Fatal(err)
	}
	var tenant model.Event
	for _, e := range Org(3000) {
		if store.ListingOf(&e) == store.TenantOnly {
			tenant = e
			break
		}
	}
	if tenant.ID == "" {
		t.Fatal("the organisation has no tenant-scoped event")
	}
	for _, w := range []struct {
		l  store.Listing
		r  store.Range
		ev []model.Event
	}{{store.Default, span(1, 3), nil}, {store.Default, span(5, 9), []model.Event{user}}, {store.TenantOnly, span(7, 9), []model.Event{tenant}}} {
		if _, err := s.Write(ctx, w.l, w.ev, w.r); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		what   string
		events []model.Event
		want   time.Time
	}{
		{"default listing", []model.Event{user}, at(5)},
		{"both listings", []model.Event{user, tenant}, at(7)},
		{"no events", nil, at(5)},
	} {
		got, err := store.KnownSince(ctx, s, c.events)
		if err != nil || !got.Equal(c.want) {
			t.Errorf("%s: known since %v (%v), want %v", c.what, got, err, c.want)
		}
	}
}

func equalRanges(a, b []store.Range) bool {
	return slices.EqualFunc(a, b, func(x, y store.Range) bool { return x.Since.Equal(y.Since) && x.Until.Equal(y.Until) })
}

func newestPerListing(t *testing.T, o Opener) {
	s := open(t, o)
	ctx := context.Background()
	for _, l := range store.Listings {
		if _, ok, err := s.Newest(ctx, l); ok || err != nil {
			t.Fatalf("an empty store has a newest %s event (%v)", l, err)
		}
	}
	events := Org(2000)
	Fill(t, s, events)
	for _, l := range store.Listings {
		var want string
		for _, e := range events {
			if store.ListingOf(&e) == l {
				want = e.ID
				break
			}
		}
		got, ok, err := s.Newest(ctx, l)
		if err != nil || !ok || got.ID != want {
			t.Fatalf("newest %s event: %q %v %v, want %q", l, got.ID, ok, err, want)
		}
	}
}

func resourceOldestFirst(t *testing.T, o Opener) {
	s := open(t, o)
	events := Org(2000)
	Fill(t, s, events)
	counts := map[string]int{}
	for _, e := range events {
		for _, id := range e.ResourceIDs() {
			counts[id]++
		}
	}
	var id string
	for k, n := range counts {
		if n > counts[id] || (n == counts[id] && k < id) {
			id = k
		}
	}
	got, err := s.Resource(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != counts[id] || len(got) < 2 {
		t.Fatalf("resource %s: %d events, want %d", id, len(got), counts[id])
	}
	for i := 1; i < len(got); i++ {
		if got[i].EffectiveAt.Before(got[i-1].EffectiveAt) {
			t.Fatalf("resource history is not oldest first at %d", i)
		}
	}
	if none, err := s.Resource(context.Background(), "no-such-object"); err != nil || len(none) != 0 {
		t.Fatalf("an unknown object has %d events (%v)", len(none), err)
	}
}

// resourceSameSecond: two changes of one field in the same second come
// back oldest first by the order the API listed them (newest first), kept
// as stored, not by their ids, which here sort the other way.
func resourceSameSecond(t *testing.T, o Opener) {
	s := open(t, o)
	var page []model.Event // as the API lists them: newest first
	for _, r := range []string{
		`{"id":"evt_a","type":"user.updated","effective_at":1767225600,"user.updated":{"id":"user-bob","changes_requested":{"role":"owner"}}}`,
		`{"id":"evt_b","type":"user.updated","effective_at":1767225600,"user.updated":{"id":"user-bob","changes_requested":{"role":"reader"}}}`,
		`{"id":"evt_0","type":"user.added","effective_at":1767225000,"user.added":{"id":"user-bob","data":{"role":"member"}}}`,
	} {
		e, err := model.DecodeEvent([]byte(r))
		if err != nil {
			t.Fatal(err)
		}
		page = append(page, e)
	}
	Fill(t, s, page)
	got, err := s.Resource(context.Background(), "user-bob")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"evt_0", "evt_b", "evt_a"}; !slices.Equal(ids(got), want) {
		t.Errorf("user-bob's history is %v, want %v (oldest first, the API's order within the second)", ids(got), want)
	}
}

func metaAndCheckpoints(t *testing.T, o Opener) {
	s := open(t, o)
	ctx := context.Background()
	m, err := s.Meta(ctx)
	if err != nil || m.BaseURL != "" || m.OrgID != "" || !m.LastSync.IsZero() || m.Schema < 1 {
		t.Fatalf("a new store's meta: %+v (%v)", m, err)
	}
	want := store.Meta{BaseURL: "https://api.example/v1", OrgID: "org-1", LastSync: time.Date(2026, 3, 4, 5, 6, 7, 8, time.UTC), Since: time.Unix(0, 0).UTC(), Schema: m.Schema}
	if err := s.SetMeta(ctx, want); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Meta(ctx); err != nil || got.BaseURL != want.BaseURL || got.OrgID != want.OrgID || !got.LastSync.Equal(want.LastSync) || !got.Since.Equal(want.Since) || got.Schema != want.Schema {
		t.Fatalf("meta %+v (%v), want %+v", got, err, want)
	}
	if pos, err := s.Checkpoint(ctx, "siem"); err != nil || pos != 0 {
		t.Fatalf("a new checkpoint is %d (%v)", pos, err)
	}
	for _, pos := range []int64{42, 43} {
		if err := s.SetCheckpoint(ctx, "siem", pos); err != nil {
			t.Fatal(err)
		}
	}
	if pos, err := s.Checkpoint(ctx, "siem"); err != nil || pos != 43 {
		t.Fatalf("checkpoint %d (%v), want 43", pos, err)
	}
	if pos, _ := s.Checkpoint(ctx, "other"); pos != 0 {
		t.Fatalf("checkpoints are not kept apart: %d", pos)
	}
}

func sinceInStoredOrder(t *testing.T, o Opener) {
	s := open(t, o)
	ctx := context.Background()
	events := Org(2500)
	// Stored oldest first, as a follower would see them arrive.
	old := Of(store.Default, events)
	slices.Reverse(old)
	if last, err := s.Last(ctx); err != nil || last != 0 {
		t.Fatalf("an empty store's Last is %d (%v), want 0", last, err)
	}
	Fill(t, s, old)
	var got []store.Stored
	for st, err := range s.Since(ctx, 0) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, st)
	}
	if len(got) != len(old) {
		t.Fatalf("Since(0) gave %d of %d", len(got), len(old))
	}
	for i := range got {
		if got[i].Event.ID != old[i].ID || (i > 0 && got[i].Pos <= got[i-1].Pos) {
			t.Fatalf("event %d: %s at %d, want %s in rising positions", i, got[i].Event.ID, got[i].Pos, old[i].ID)
		}
	}
	if last, err := s.Last(ctx); err != nil || last != got[len(got)-1].Pos {
		t.Fatalf("Last is %d (%v), want the last position Since gave, %d", last, err, got[len(got)-1].Pos)
	}
	mid := got[1234].Pos
	var rest []string
	for st, err := range s.Since(ctx, mid) {
		if err != nil {
			t.Fatal(err)
		}
		rest = append(rest, st.Event.ID)
	}
	if !slices.Equal(rest, ids(old[1235:])) {
		t.Fatalf("resuming after position %d gave %d events, want %d", mid, len(rest), len(old)-1235)
	}
}

func reopened(t *testing.T, o Opener) {
	s, err := o()
	if err != nil {
		t.Fatal(err)
	}
	events := Org(800)
	Fill(t, s, events)
	if _, err := s.Write(context.Background(), store.Default, nil, span(1, 2)); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	r := open(t, o)
	if got := All(t, r, model.Query{}); !sameEvents(got, events) {
		t.Fatalf("reopened store has %d events, want %d", len(got), len(events))
	}
	if cov, err := r.Coverage(context.Background(), store.Default); err != nil || !equalRanges(cov, []store.Range{span(1, 2)}) {
		t.Fatalf("reopened coverage %v (%v)", cov, err)
	}
}

func concurrentWriters(t *testing.T, o Opener) {
	a, b := open(t, o), open(t, o)
	events := Org(2000)
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for i, s := range []store.Store{a, b} {
		// Overlapping halves, in opposite orders.
		part := slices.Clone(events[i*500 : 1500+i*500])
		if i == 1 {
			slices.Reverse(part)
		}
		wg.Go(func() {
			for lo := 0; lo < len(part); lo += 50 {
				batch := part[lo:min(lo+50, len(part))]
				for _, l := range store.Listings {
					if _, err := s.Write(context.Background(), l, Of(l, batch), store.Range{}); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got := All(t, a, model.Query{})
	if !sameEvents(got, events) {
		t.Fatalf("two writers stored %d events, want %d, each once", len(got), len(events))
	}
}

func waitWakes(t *testing.T, o Opener) {
	follower, writer := open(t, o), open(t, o)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	events := Of(store.Default, Org(200))
	if _, err := writer.Write(ctx, store.Default, events[100:], store.Range{}); err != nil {
		t.Fatal(err)
	}
	// Something newer than the beginning is there already.
	if err := follower.Wait(ctx, 0); err != nil {
		t.Fatalf("Wait(0) on a store with events: %v", err)
	}
	var last int64
	for st, err := range follower.Since(ctx, 0) {
		if err != nil {
			t.Fatal(err)
		}
		last = st.Pos
	}
	// Nothing newer: a cancelled wait says so.
	done, stop := context.WithCancel(ctx)
	stop()
	if err := follower.Wait(done, last); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait with nothing new and a cancelled context: %v", err)
	}
	// Waiting while another handle writes wakes up, and the write is there.
	woke := make(chan error, 1)
	go func() { woke <- follower.Wait(ctx, last) }()
	if _, err := writer.Write(ctx, store.Default, events[:100], store.Range{}); err != nil {
		t.Fatal(err)
	}
	if err := <-woke; err != nil {
		t.Fatalf("Wait while another handle wrote: %v", err)
	}
	n := 0
	for _, err := range follower.Since(ctx, last) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 100 {
		t.Fatalf("after Wait, Since gave %d new events, want 100", n)
	}
}
