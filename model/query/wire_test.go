package query_test

import (
	"context"
	"maps"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/query"
	"github.com/auditui/auditui/openai"
	"github.com/auditui/auditui/openai/fakeapi"
)

// TestPushdownOnTheWire sends compiled queries through the real client to the
// fake API and checks the exact filter parameters it received, and that the
// events it returned, finished by the local predicate, are exactly the
// events the whole query matches over the organisation.
func TestPushdownOnTheWire(t *testing.T) {
	events := fakeapi.Org(fakeapi.OrgOptions{Events: 3000, Seed: 1, Now: testNow, Hostile: true})
	srv := fakeapi.New(events)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	client := openai.New(openai.Config{AdminKey: fakeapi.DefaultKey, BaseURL: ts.URL + "/v1", Retries: -1})

	const (
		alice   = "alice.nakamura@acme-robotics.example"
		bob     = "bob.okafor@acme-robotics.example"
		aliceID = "user-Ak3f9QzR2mLx8VbN4cTw7YhP"
		beta    = "proj_Bt5wQ1mZ8xKc3VnL7rP2sHdG"
		tools   = "proj_It3xS8pB6zMe1XnL5uR9yKfH"
		ciKey   = "key_sA1jU8bQy3XlG6tV"
	)
	unix := func(d time.Duration) string { return strconv.FormatInt(testNow.Add(-d).Unix(), 10) }
	jan := strconv.FormatInt(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC).Unix(), 10)
	apiKeys, _ := model.ExpandTypes([]string{"api_key.*"})
	tenantUser, _ := model.ExpandTypes([]string{"tenant.user.*"})
	tests := []struct {
		query string
		want  url.Values // every filter parameter sent; limit and after are left out
	}{
		{"type:login.failed type:logout.failed", url.Values{"event_types[]": {"login.failed", "logout.failed"}}},
		{"type:api_key.* -type:api_key.updated", url.Values{"event_types[]": slices.DeleteFunc(slices.Clone(apiKeys), func(s string) bool { return s == "api_key.updated" })}},
		{"type:tenant.user.*", url.Values{"event_types[]": tenantUser, "tenant_only": {"true"}}},
		{"actor:" + alice + " actor:" + bob, url.Values{"actor_emails[]": {alice, bob}}},
		{"actor:" + aliceID + " actor:" + ciKey, url.Values{"actor_ids[]": {aliceID, ciKey}}},
		// Emails and ids OR in the query but AND on the API: neither is sent.
		{"actor:" + alice + " actor:" + ciKey + " type:login.*", url.Values{"event_types[]": {"login.succeeded", "login.failed"}}},
		{"project:" + beta + " project:" + tools, url.Values{"project_ids[]": {beta, tools}}},
		{`project:"beta research"`, url.Values{}},
		{"resource:" + beta, url.Values{"resource_ids[]": {beta}}},
		{"since:2026-10-01 until:24h", url.Values{"effective_at[gte]": {jan}, "effective_at[lt]": {unix(24 * time.Hour)}}},
		{"-until:7d -actor:" + alice + " country:us ip:203.0.113.0/24 password", url.Values{"effective_at[gte]": {unix(7 * 24 * time.Hour)}}},
		{"since:2026-10-01T00:00:00.5Z", url.Values{"effective_at[gte]": {jan}}},
		{"type:login.failed actor:" + alice + " project:" + beta + " resource:" + beta + " since:30d until:1d",
			url.Values{"event_types[]": {"login.failed"}, "actor_emails[]": {alice}, "project_ids[]": {beta}, "resource_ids[]": {beta},
				"effective_at[gte]": {unix(30 * 24 * time.Hour)}, "effective_at[lt]": {unix(24 * time.Hour)}}},
	}
	selective := 0
	for _, tt := range tests {
		q, err := query.Parse(tt.query, testNow)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.query, err)
		}
		plan := query.Compile(q, testNow)
		before := len(srv.Requests())
		// plan.Source is how export runs a query: the API filters, Local finishes.
		var got []string
		for page, err := range plan.Source(client).Pages(context.Background(), model.Query{PageSize: 100}) {
			if err != nil {
				t.Fatalf("%q: listing: %v", tt.query, err)
			}
			for i := range page.Events {
				got = append(got, page.Events[i].ID)
			}
		}
		reqs := srv.Requests()[before:]
		if len(reqs) == 0 {
			t.Fatalf("%q: no request reached the fake", tt.query)
		}
		for _, r := range reqs {
			sent := url.Values{}
			for k, v := range r.Query {
				if k != "limit" && k != "after" {
					sent[k] = v
				}
			}
			if !maps.EqualFunc(sent, tt.want, slices.Equal[[]string]) {
				t.Errorf("%q sent %v, want %v", tt.query, sent, tt.want)
				break
			}
		}
		// The API lists tenant-scoped events only for a query naming them.
		listed := func(e *model.Event) bool {
			return !model.IsTenantType(e.Type) || plan.Server.TenantOnly || slices.Contains(plan.Server.Types, e.Type)
		}
		var want []string
		for i := range events {
			if q.Match(&events[i]) && listed(&events[i]) {
				want = append(want, events[i].ID)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: the API and the local predicate give %d events, the whole query %d", tt.query, len(got), len(want))
		}
		if len(want) > 0 && len(want) < len(events) {
			selective++
		}
	}
	if selective < len(tests)-2 {
		t.Errorf("only %d of %d queries select some but not all events: pick values present in the organisation", selective, len(tests))
	}
}
