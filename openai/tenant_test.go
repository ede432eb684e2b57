package openai

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/openai/fakeapi"
)

// mixedTypes spans both sides of tenant_only, as type:role.* does.
var mixedTypes = []string{"role.created", "role.assignment.created", "role.bound_to_resource", "role.unbound_from_resource", "tenant.user.added", "login.succeeded"}

// bothSides is what a query for types on both sides must return: each
// side's listing, merged newest first.
func bothSides(events []model.Event, types []string) []model.Event {
	var org, tenant []string
	for _, t := range types {
		if model.IsTenantType(t) {
			tenant = append(tenant, t)
		} else {
			org = append(org, t)
		}
	}
	out := append(fakeapi.Listed(events, model.Filter{Types: org}), fakeapi.Listed(events, model.Filter{Types: tenant, TenantOnly: true})...)
	slices.SortStableFunc(out, func(a, b model.Event) int { return b.EffectiveAt.Compare(a.EffectiveAt) })
	return out
}

// sameMerged fails unless got holds want's events once each, newest first.
func sameMerged(t *testing.T, got, want []model.Event) {
	t.Helper()
	ids := func(es []model.Event) []string {
		var s []string
		for _, e := range es {
			s = append(s, e.ID)
		}
		slices.Sort(s)
		return s
	}
	if !slices.Equal(ids(got), ids(want)) {
		t.Fatalf("%d events, want the %d of both sides once each", len(got), len(want))
	}
	for i := 1; i < len(got); i++ {
		if got[i].EffectiveAt.After(got[i-1].EffectiveAt) {
			t.Fatalf("event %d (%s) is newer than the one before it", i, got[i].ID)
		}
	}
}

func TestTypesOnBothSidesAreListedAsTwoQueries(t *testing.T) {
	fake, events, c := fakeOrg(t, 3000)
	want := bothSides(events, mixedTypes)
	if tenant := fakeapi.Listed(events, model.Filter{Types: mixedTypes, TenantOnly: true}); len(tenant) == 0 || len(tenant) == len(want) {
		t.Fatalf("the organisation has %d tenant-scoped events of %d: the test needs both sides", len(tenant), len(want))
	}
	for _, size := range []int{1, 7, 100} {
		got, _, err := collect(context.Background(), c, model.Query{Filter: model.Filter{Types: mixedTypes}, PageSize: size})
		if err != nil {
			t.Fatalf("page size %d: %v", size, err)
		}
		sameMerged(t, got, want)
	}
	// Every request is one the API accepts: tenant types only with tenant_only.
	for _, r := range fake.Requests() {
		tenant := r.Query.Get("tenant_only") == "true"
		for _, typ := range r.Query["event_types[]"] {
			if model.IsTenantType(typ) != tenant {
				t.Fatalf("request %v mixes the sides", r.Query)
			}
		}
	}
}

func TestOneSideIsOneQuery(t *testing.T) {
	fake, events, c := fakeOrg(t, 500)
	tenant := []string{"tenant.user.added", "role.bound_to_resource"}
	got, _, err := collect(context.Background(), c, model.Query{Filter: model.Filter{Types: tenant}})
	if err != nil {
		t.Fatal(err)
	}
	sameEvents(t, got, fakeapi.Listed(events, model.Filter{Types: tenant, TenantOnly: true}))
	for _, r := range fake.Requests() {
		if r.Query.Get("tenant_only") != "true" {
			t.Fatalf("request %v for tenant-scoped types lacks tenant_only=true", r.Query)
		}
	}
}

func TestMergedListingResumesFromItsCursor(t *testing.T) {
	_, events, c := fakeOrg(t, 3000)
	want := bothSides(events, mixedTypes)
	q := model.Query{Filter: model.Filter{Types: mixedTypes}, PageSize: 7}
	var got []model.Event
	for {
		// Three pages at a time, then start again from the last cursor.
		n := 0
		var last model.Page
		for p, err := range c.Pages(context.Background(), q) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, p.Events...)
			last = p
			if n++; n == 3 {
				break
			}
		}
		if !last.HasMore {
			break
		}
		q.After = last.LastID
	}
	sameMerged(t, got, want)
}

func TestMergedListingKeepsWhatCameBeforeAFault(t *testing.T) {
	// Request 1 is the org side's first page, 2 the tenant side's; the
	// tenant side fails on its next page.
	fake, events, c := fakeOrg(t, 3000, fakeapi.WithFaults(fakeapi.Fault{Kind: fakeapi.ServerError, OnRequest: 4, Times: 1000}))
	q := model.Query{Filter: model.Filter{Types: mixedTypes}, PageSize: 5}
	var got []model.Event
	var cursor string
	var err error
	for p, perr := range c.Pages(context.Background(), q) {
		if perr != nil {
			err = perr
			break
		}
		got = append(got, p.Events...)
		cursor = p.LastID
	}
	var e *Error
	if !errors.As(err, &e) || e.Status != 500 {
		t.Fatalf("ended with %v, want the 500's sentence", err)
	}
	if len(got) == 0 {
		t.Fatal("nothing delivered before the fault")
	}
	// Retrying from the cursor delivers the rest, once.
	fake.SetFaults()
	q.After = cursor
	rest, _, err := collect(context.Background(), c, q)
	if err != nil {
		t.Fatal(err)
	}
	sameMerged(t, append(got, rest...), bothSides(events, mixedTypes))
}

func TestMergedCursorRoundTrip(t *testing.T) {
	c := mergedCursor{After: []string{"audit_log-a", ""}, Done: []bool{false, true}}
	got := parseMerged(c.String(), 2)
	if !slices.Equal(got.After, c.After) || !slices.Equal(got.Done, c.Done) {
		t.Fatalf("%+v came back as %+v", c, got)
	}
	for _, s := range []string{"", "audit_log-a", mergedPrefix + "!!", c.String()[:len(c.String())-3]} {
		if got := parseMerged(s, 2); got.After[0] != "" || got.Done[0] || len(got.After) != 2 {
			t.Errorf("%q read as %+v, want a fresh start", s, got)
		}
	}
	if got := parseMerged(c.String(), 3); len(got.After) != 3 || got.After[0] != "" {
		t.Errorf("a cursor for 2 listings read for 3 as %+v", got)
	}
}

func TestTenantOnlySendsOnlyTenantTypes(t *testing.T) {
	fake, events, c := fakeOrg(t, 1000)
	f := model.Filter{Types: mixedTypes, TenantOnly: true}
	got, _, err := collect(context.Background(), c, model.Query{Filter: f})
	if err != nil {
		t.Fatal(err)
	}
	sameEvents(t, got, fakeapi.Listed(events, f))
	before := len(fake.Requests())
	got, pages, err := collect(context.Background(), c, model.Query{Filter: model.Filter{Types: []string{"login.failed"}, TenantOnly: true}})
	if err != nil || len(got) != 0 || len(pages) != 1 || len(fake.Requests()) != before {
		t.Fatalf("tenant_only with no tenant-scoped type: %d events, %d pages, %v, %d requests; want one empty page and none sent",
			len(got), len(pages), err, len(fake.Requests())-before)
	}
}
