package query_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/query"
)

func typesOf(t *testing.T, patterns ...string) []string {
	t.Helper()
	types, err := model.ExpandTypes(patterns)
	if err != nil {
		t.Fatal(err)
	}
	return types
}

func categoryTypes(name string) []string {
	var out []string
	for _, et := range model.EventTypes() {
		if strings.EqualFold(et.Category, name) {
			out = append(out, et.Name)
		}
	}
	return out
}

func without(list []string, drop ...string) []string {
	return slices.DeleteFunc(slices.Clone(list), func(s string) bool { return slices.Contains(drop, s) })
}

func TestCompile(t *testing.T) {
	sec := func(s string) time.Time {
		at, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return at
	}
	apiKeys := typesOf(t, "api_key.*")
	roles := categoryTypes("roles")
	tests := []struct {
		name   string
		in     string
		server model.Filter
		local  bool   // whether a local predicate remains
		where  string // placement of each term, space-separated
	}{
		{"empty", "", model.Filter{}, false, ""},
		{"glob and exact type OR", "type:api_key.* type:login.failed",
			model.Filter{Types: append(slices.Clone(apiKeys), "login.failed")}, false, "server server"},
		{"negated type is subtracted", "type:api_key.* -type:api_key.deleted",
			model.Filter{Types: without(apiKeys, "api_key.deleted")}, false, "server server"},
		{"negated type alone stays local", "-type:login.succeeded", model.Filter{}, true, "local"},
		{"everything excluded: the set goes up, the negation stays here", "type:login.failed -type:login.*",
			model.Filter{Types: []string{"login.failed"}}, true, "server local"},
		{"category expands", "category:Roles", model.Filter{Types: roles}, false, "server"},
		{"type and category intersect", "type:role.* category:roles -category:\"api keys\"",
			model.Filter{Types: slices.DeleteFunc(typesOf(t, "role.*"), func(s string) bool { return !slices.Contains(roles, s) })},
			false, "server server server"},
		{"disjoint type and category: category local", "type:login.failed category:roles",
			model.Filter{Types: []string{"login.failed"}}, true, "server local"},
		{"category other is local", "category:other", model.Filter{}, true, "local"},
		{"category other with a type: type pushed", "type:login.failed category:other",
			model.Filter{Types: []string{"login.failed"}}, true, "server local"},
		{"negated other subtracts unknown names", "type:login.failed type:brand.new -category:other",
			model.Filter{Types: []string{"login.failed"}}, false, "server server server"},
		{"tenant types are pushed; the client adds tenant_only", "type:tenant.user.*",
			model.Filter{Types: typesOf(t, "tenant.user.*")}, false, "server"},
		{"repeated values are sent once", "actor:user-1 actor:user-1 resource:r resource:r project:proj_a project:proj_a",
			model.Filter{ActorIDs: []string{"user-1"}, ResourceIDs: []string{"r"}, ProjectIDs: []string{"proj_a"}}, false,
			"server server server server server server"},
		{"emails alone", "actor:a@example.com actor:B@example.com",
			model.Filter{ActorEmails: []string{"a@example.com", "B@example.com"}}, false, "server server"},
		{"ids alone", "actor:user-1 actor:key_2 actor:svc_acct_3",
			model.Filter{ActorIDs: []string{"user-1", "key_2", "svc_acct_3"}}, false, "server server server"},
		{"emails and ids OR: the API would AND them", "actor:a@example.com actor:user-1",
			model.Filter{}, true, "local local"},
		{"negated actor local", "actor:user-1 -actor:key_2",
			model.Filter{ActorIDs: []string{"user-1"}}, true, "server local"},
		{"project ids", "project:proj_a project:proj_b",
			model.Filter{ProjectIDs: []string{"proj_a", "proj_b"}}, false, "server server"},
		{"project name makes the project key local", `project:proj_a project:"Beta research"`,
			model.Filter{}, true, "local local"},
		{"resources", "resource:key_a resource:cert_b -resource:key_c",
			model.Filter{ResourceIDs: []string{"key_a", "cert_b"}}, true, "server server local"},
		{"ip, country and text are local", `ip:198.51.100.0/24 country:us alice`,
			model.Filter{}, true, "local local local"},
		{"time range", "since:2026-01-01 until:2026-02-01T00:00:00Z",
			model.Filter{Since: sec("2026-01-01T00:00:00Z"), Until: sec("2026-02-01T00:00:00Z")}, false, "server server"},
		{"repeated since ORs: the earliest wins", "since:2026-03-01 since:2026-01-01",
			model.Filter{Since: sec("2026-01-01T00:00:00Z")}, false, "server server"},
		{"negated bounds flip", "-since:2026-03-01 -until:2026-01-01",
			model.Filter{Since: sec("2026-01-01T00:00:00Z"), Until: sec("2026-03-01T00:00:00Z")}, false, "server server"},
		{"relative times count from now in whole seconds", "since:7d until:24h",
			model.Filter{Since: testNow.Add(-7 * 24 * time.Hour), Until: testNow.Add(-24 * time.Hour)}, false, "server server"},
		{"fractional bounds widen to whole seconds and finish here", "since:2026-01-01T00:00:00.5Z until:2026-01-02T00:00:00.25Z",
			model.Filter{Since: sec("2026-01-01T00:00:00Z"), Until: sec("2026-01-02T00:00:01Z")}, true, "server+local server+local"},
		{"everything at once", `type:login.* -type:logout.* actor:alice@example.com project:proj_a resource:res_1 since:30d -ip:10.0.0.0/8 "wrong password"`,
			model.Filter{Types: typesOf(t, "login.*"), ActorEmails: []string{"alice@example.com"}, ProjectIDs: []string{"proj_a"},
				ResourceIDs: []string{"res_1"}, Since: testNow.Add(-30 * 24 * time.Hour)},
			true, "server server server server server server local local"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := query.Parse(tt.in, testNow)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			p := query.Compile(q, testNow)
			if !sameFilter(p.Server, tt.server) {
				t.Errorf("Compile(%q).Server = %+v, want %+v", tt.in, p.Server, tt.server)
			}
			if (p.Local != nil) != tt.local {
				t.Errorf("Compile(%q).Local set = %v, want %v", tt.in, p.Local != nil, tt.local)
			}
			var where []string
			for i, tp := range p.Terms {
				where = append(where, tp.Where.String())
				if tp.Term != q.Terms()[i] {
					t.Errorf("placement %d is for %+v, want %+v", i, tp.Term, q.Terms()[i])
				}
			}
			if got := strings.Join(where, " "); got != tt.where {
				t.Errorf("Compile(%q) placements = %q, want %q", tt.in, got, tt.where)
			}
		})
	}
}

func sameFilter(a, b model.Filter) bool {
	return slices.Equal(a.Types, b.Types) && slices.Equal(a.ActorIDs, b.ActorIDs) &&
		slices.Equal(a.ActorEmails, b.ActorEmails) && slices.Equal(a.ProjectIDs, b.ProjectIDs) &&
		slices.Equal(a.ResourceIDs, b.ResourceIDs) && a.Since.Equal(b.Since) && a.Until.Equal(b.Until) &&
		a.TenantOnly == b.TenantOnly
}

// TestCompileEdgeCases checks, event by event, the cases where a naive
// pushdown would change the result.
func TestCompileEdgeCases(t *testing.T) {
	at := func(sec int64, frac time.Duration) time.Time { return time.Unix(sec, 0).Add(frac).UTC() }
	session := func(id, email, ip string) model.Actor {
		return model.Actor{Kind: model.ActorSession, Session: &model.Session{User: model.User{ID: id, Email: email}, IPAddress: ip}}
	}
	events := []model.Event{
		{ID: "1", Type: "login.failed", EffectiveAt: at(1000, 0), Actor: session("user-1", "a@example.com", "198.51.100.7")},
		{ID: "2", Type: "login.failed", EffectiveAt: at(1000, 600*time.Millisecond), Actor: session("user-2", "b@example.com", "::ffff:198.51.100.8")},
		{ID: "3", Type: "brand.new", EffectiveAt: at(2000, 0), Actor: session("user-3", "A@EXAMPLE.COM", "")},
		{ID: "4", Type: "role.created", EffectiveAt: at(3000, 0), Project: model.Project{ID: "proj_x", Name: "Beta Research"}},
		{ID: "5", Type: "api_key.created", EffectiveAt: at(3000, 500*time.Millisecond),
			Actor: model.Actor{Kind: model.ActorAPIKey, APIKey: &model.APIKeyActor{ID: "key_1", Type: model.APIKeyUser, User: model.User{ID: "user-1", Email: "a@example.com"}}}},
	}
	tests := []struct {
		in   string
		want string // ids of matching events
	}{
		{"actor:b@example.com actor:user-1", "1 2 5"},
		{"actor:a@example.com", "1 5"}, // emails compare exactly: A@EXAMPLE.COM is another address to the API
		{"actor:A@EXAMPLE.COM", "3"},
		{"actor:key_1", "5"},
		{"-actor:user-1", "2 3 4"},
		{`project:"beta research"`, "4"},
		{`project:proj_x project:"nope"`, "4"},
		{"category:other", "3"},
		{"-category:other", "1 2 4 5"},
		{"type:login.failed -type:login.*", ""},
		{"type:login.failed category:roles", ""},
		{"ip:198.51.100.0/24", "1 2"},
		{"ip:::ffff:198.51.100.8", "2"},
		{"since:1970-01-01T00:16:40.5Z", "2 3 4 5"},
		{"until:1970-01-01T00:16:40.5Z", "1"},
		{"-since:1970-01-01T00:50:00.5Z", "1 2 3 4"},
		{"until:1970-01-01T00:50:00.5Z since:1000", "1 2 3 4"},
		{"since:3000", "4 5"},
		{"until:3000", "1 2 3"},
	}
	for _, tt := range tests {
		q, err := query.Parse(tt.in, testNow)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.in, err)
		}
		p := query.Compile(q, testNow)
		var byQuery, byPlan []string
		for i := range events {
			if q.Match(&events[i]) {
				byQuery = append(byQuery, events[i].ID)
			}
			if p.Match(&events[i]) {
				byPlan = append(byPlan, events[i].ID)
			}
		}
		if got := strings.Join(byQuery, " "); got != tt.want {
			t.Errorf("%q matches %q, want %q", tt.in, got, tt.want)
		}
		if got := strings.Join(byPlan, " "); got != tt.want {
			t.Errorf("%q compiled to %+v matches %q, want %q", tt.in, p.Server, got, tt.want)
		}
		if len(p.Server.Types) == 0 && strings.HasPrefix(tt.in, "type:") {
			t.Errorf("%q pushed no types", tt.in)
		}
	}
}

// TestAt checks that relative times follow the clock given to Compile and
// absolute ones do not.
func TestAt(t *testing.T) {
	q, err := query.Parse("since:24h until:2030-01-01", testNow)
	if err != nil {
		t.Fatal(err)
	}
	later := testNow.Add(90*time.Minute + 300*time.Millisecond)
	p := query.Compile(q, later)
	if want := later.Truncate(time.Second).Add(-24 * time.Hour); !p.Server.Since.Equal(want) {
		t.Errorf("Since = %v, want %v", p.Server.Since, want)
	}
	if want := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC); !p.Server.Until.Equal(want) {
		t.Errorf("Until = %v, want %v", p.Server.Until, want)
	}
	e := model.Event{Type: "login.failed", EffectiveAt: testNow.Add(-23 * time.Hour)}
	if !q.Match(&e) || q.At(testNow.Add(2*time.Hour)).Match(&e) {
		t.Errorf("an event 23h before now matches since:24h now, and not two hours later")
	}
	if s := q.At(later).String(); s != q.String() {
		t.Errorf("At changed the text: %q, want %q", s, q.String())
	}
}
