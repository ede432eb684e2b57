package history

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
)

// t0 is when the test logs begin.
var t0 = time.Date(2026, time.September, 2, 9, 0, 0, 0, time.UTC)

// ev builds one record: at is seconds after t0, payload the object under
// the key named like the type, who the acting session's email.
func ev(t *testing.T, id, typ string, at int, payload, who string) model.Event {
	t.Helper()
	actor := `null`
	if who != "" {
		actor = fmt.Sprintf(`{"type":"session","session":{"user":{"id":"user-%s","email":%q},"ip_address":"198.51.100.7"}}`, strings.Split(who, "@")[0], who)
	}
	raw := fmt.Sprintf(`{"id":%q,"type":%q,"effective_at":%d,"actor":%s,%q:%s}`, id, typ, t0.Unix()+int64(at), actor, typ, payload)
	e, err := model.DecodeEvent([]byte(raw))
	if err != nil {
		t.Fatalf("record %s: %v", raw, err)
	}
	return e
}

// newestFirst returns events in the API's order.
func newestFirst(events ...model.Event) []model.Event {
	out := slices.Clone(events)
	slices.Reverse(out)
	return out
}

func stepIDs(h *History) []string {
	var ids []string
	for _, s := range h.Steps {
		ids = append(ids, s.Event.ID)
	}
	return ids
}

func change(t *testing.T, s *Step, field string) Change {
	t.Helper()
	for _, c := range s.Changes {
		if c.Field == field {
			return c
		}
	}
	t.Fatalf("step %s has no change of %q: %+v", s.Event.ID, field, s.Changes)
	return Change{}
}

func state(t *testing.T, s *Step) string {
	t.Helper()
	b, err := json.Marshal(s.State)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestBeforeIsTheLatestEarlierValue(t *testing.T) {
	events := newestFirst(
		ev(t, "e1", "user.added", 0, `{"id":"user-bob","data":{"role":"reader"}}`, "alice@example.com"),
		ev(t, "e2", "login.succeeded", 5, `{}`, "bob@example.com"),
		ev(t, "e3", "user.updated", 10, `{"id":"user-bob","changes_requested":{"role":"owner"}}`, "alice@example.com"),
		ev(t, "e4", "user.updated", 20, `{"id":"user-carol","changes_requested":{"role":"reader"}}`, "alice@example.com"),
		ev(t, "e5", "user.updated", 30, `{"id":"user-bob","changes_requested":{"role":"member"}}`, "carol@example.com"),
	)
	h := Build("user-bob", events, time.Time{})
	if got, want := stepIDs(h), []string{"e1", "e3", "e5"}; !slices.Equal(got, want) {
		t.Fatalf("timeline %v, want %v", got, want)
	}
	if h.Kind != "user" || h.Steps[0].Kind != Created || h.Steps[1].Kind != Changed {
		t.Errorf("kind %q, steps %v %v", h.Kind, h.Steps[0].Kind, h.Steps[1].Kind)
	}
	if c := change(t, &h.Steps[0], "role"); !c.Created || c.BeforeText() != "(new)" {
		t.Errorf("creation: %+v", c)
	}
	c := change(t, &h.Steps[1], "role")
	if !c.BeforeKnown || Text(c.Before) != "reader" || Text(c.After) != "owner" || c.BeforeBy != "e1" {
		t.Errorf("first update: %+v", c)
	}
	c = change(t, &h.Steps[2], "role")
	if Text(c.Before) != "owner" || c.BeforeBy != "e3" || Text(c.After) != "member" {
		t.Errorf("second update: before %s by %s, after %s", c.Before, c.BeforeBy, c.After)
	}
	if got := state(t, &h.Steps[2]); got != `{"role":"member"}` {
		t.Errorf("state %s", got)
	}
}

func TestHistoryStartingWithAnUpdate(t *testing.T) {
	events := newestFirst(
		ev(t, "e0", "login.succeeded", 0, `{}`, "bob@example.com"),
		ev(t, "e1", "api_key.updated", 3600, `{"id":"key_abc","changes_requested":{"scopes":["api.model.read"]}}`, "alice@example.com"),
		ev(t, "e2", "api_key.updated", 7200, `{"id":"key_abc","changes_requested":{"scopes":["api.model.read","api.files.write"]}}`, "alice@example.com"),
	)
	since := t0.Add(-24 * time.Hour)
	for _, tc := range []struct {
		name  string
		since time.Time
		want  string
	}{
		{"the oldest loaded event", time.Time{}, "not in the log since 2026-09-02"},
		{"a store's coverage", since, "not in the log since 2026-09-01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := Build("key_abc", events, tc.since)
			c := change(t, &h.Steps[0], "scopes")
			if c.BeforeKnown || c.Created || c.Before != nil {
				t.Fatalf("before should be unknown: %+v", c)
			}
			if got := c.BeforeText(); got != tc.want {
				t.Errorf("before %q, want %q", got, tc.want)
			}
			if c.Added != nil || c.Removed != nil {
				t.Errorf("no list diff without a before: %v %v", c.Added, c.Removed)
			}
			c = change(t, &h.Steps[1], "scopes")
			if !slices.Equal(c.Added, []string{"api.files.write"}) || len(c.Removed) != 0 {
				t.Errorf("second update added %v removed %v", c.Added, c.Removed)
			}
		})
	}
}

func TestCoverageLaterThanTheObjectsFirstEvent(t *testing.T) {
	events := []model.Event{ev(t, "e1", "project.updated", 0, `{"id":"proj_1","changes_requested":{"title":"X"}}`, "a@example.com")}
	h := Build("proj_1", events, t0.Add(48*time.Hour))
	if got := change(t, &h.Steps[0], "title").BeforeText(); got != "not in the log since 2026-09-02" {
		t.Errorf("before %q: the log reaches back to the event itself", got)
	}
}

func TestSameSecondKeepsTheAPIOrder(t *testing.T) {
	// The API lists newest first: within one second, the later in the list is the older.
	first := ev(t, "a", "project.updated", 10, `{"id":"proj_1","changes_requested":{"title":"One"}}`, "a@example.com")
	second := ev(t, "b", "project.updated", 10, `{"id":"proj_1","changes_requested":{"title":"Two"}}`, "a@example.com")
	third := ev(t, "c", "project.updated", 10, `{"id":"proj_1","changes_requested":{"title":"Three"}}`, "a@example.com")
	created := ev(t, "z", "project.created", 0, `{"id":"proj_1","data":{"name":"zero","title":"Zero"}}`, "a@example.com")
	api := []model.Event{third, second, first, created}
	for _, tc := range []struct {
		name   string
		events []model.Event
	}{
		{"API order", api},
		{"other events between", []model.Event{third, ev(t, "x", "login.succeeded", 10, `{}`, "b@example.com"), second, first, created}},
		{"older events first, ties still newest first", []model.Event{created, third, second, first}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := Build("proj_1", tc.events, time.Time{})
			if got := stepIDs(h); !slices.Equal(got, []string{"z", "a", "b", "c"}) {
				t.Fatalf("timeline %v", got)
			}
			for i, want := range [][2]string{{"Zero", "One"}, {"One", "Two"}, {"Two", "Three"}} {
				c := change(t, &h.Steps[i+1], "title")
				if Text(c.Before) != want[0] || Text(c.After) != want[1] {
					t.Errorf("step %d: %s → %s, want %s → %s", i+1, c.Before, c.After, want[0], want[1])
				}
			}
		})
	}
}

func TestDeleteAndRecreateAreTwoLives(t *testing.T) {
	events := newestFirst(
		ev(t, "e1", "service_account.created", 0, `{"id":"svc_1","data":{"role":"member"}}`, "a@example.com"),
		ev(t, "e2", "service_account.updated", 10, `{"id":"svc_1","changes_requested":{"role":"owner"}}`, "a@example.com"),
		ev(t, "e3", "service_account.deleted", 20, `{"id":"svc_1"}`, "a@example.com"),
		ev(t, "e4", "service_account.created", 86400, `{"id":"svc_1","data":{}}`, "b@example.com"),
		ev(t, "e5", "service_account.updated", 86410, `{"id":"svc_1","changes_requested":{"role":"member"}}`, "b@example.com"),
	)
	h := Build("svc_1", events, time.Time{})
	var lives []int
	for _, s := range h.Steps {
		lives = append(lives, s.Life)
	}
	if !slices.Equal(lives, []int{1, 1, 1, 2, 2}) || h.Lives() != 2 {
		t.Fatalf("lives %v", lives)
	}
	if !h.Steps[2].State.Deleted || h.Steps[2].Kind != Deleted {
		t.Errorf("the deletion ends the life: %+v", h.Steps[2])
	}
	if got := state(t, &h.Steps[2]); got != `{"role":"owner"}` {
		t.Errorf("the state at deletion is the last known: %s", got)
	}
	if h.Steps[3].State.Deleted || len(h.Steps[3].State.Fields) != 0 {
		t.Errorf("a re-creation starts empty: %+v", h.Steps[3].State)
	}
	c := change(t, &h.Steps[4], "role")
	if c.BeforeKnown {
		t.Errorf("the first life's role is not the second's before: %+v", c)
	}
	if got := c.BeforeText(); got != "not in the log since it was created on 2026-09-03" {
		t.Errorf("before %q", got)
	}
}

func TestNullAndEmptyList(t *testing.T) {
	events := newestFirst(
		ev(t, "e1", "ip_allowlist.created", 0, `{"id":"ipal_1","name":"Office","allowed_ips":["203.0.113.0/24","198.51.100.16/28"]}`, "a@example.com"),
		ev(t, "e2", "ip_allowlist.updated", 10, `{"id":"ipal_1","allowed_ips":[]}`, "a@example.com"),
		ev(t, "e3", "ip_allowlist.updated", 20, `{"id":"ipal_1","allowed_ips":null}`, "a@example.com"),
		ev(t, "e4", "ip_allowlist.updated", 30, `{"id":"ipal_1","allowed_ips":["203.0.113.0/24"]}`, "a@example.com"),
	)
	h := Build("ipal_1", events, time.Time{})
	c := change(t, &h.Steps[1], "allowed_ips")
	if string(c.After) != "[]" || Text(c.After) != "[]" || !slices.Equal(c.Removed, []string{"203.0.113.0/24", "198.51.100.16/28"}) || c.Added != nil {
		t.Errorf("emptied: after %s, added %v, removed %v", c.After, c.Added, c.Removed)
	}
	c = change(t, &h.Steps[2], "allowed_ips")
	if string(c.After) != "null" || Text(c.Before) != "[]" || c.Added != nil || c.Removed != nil {
		t.Errorf("set to null: %+v", c)
	}
	if f, ok := h.Steps[2].State.Get("allowed_ips"); !ok || string(f.Value) != "null" {
		t.Errorf("null is a value the state keeps: %+v %v", f, ok)
	}
	c = change(t, &h.Steps[3], "allowed_ips")
	if !c.BeforeKnown || Text(c.Before) != "null" || c.Added != nil {
		t.Errorf("from null: %+v", c)
	}
	if got := state(t, &h.Steps[3]); got != `{"name":"Office","allowed_ips":["203.0.113.0/24"]}` {
		t.Errorf("state %s", got)
	}
}

func TestUnknownTypesContributeNoState(t *testing.T) {
	events := newestFirst(
		ev(t, "e1", "group.created", 0, `{"id":"group_1","data":{"group_name":"Ops"}}`, "a@example.com"),
		ev(t, "e2", "group.frobnicated", 10, `{"id":"group_1","changes_requested":{"group_name":"Hacked"},"data":{"x":1}}`, "a@example.com"),
		ev(t, "e3", "group.updated", 20, `{"id":"group_1","changes_requested":{"group_name":"Platform"}}`, "a@example.com"),
	)
	h := Build("group_1", events, time.Time{})
	if got := stepIDs(h); !slices.Equal(got, []string{"e1", "e2", "e3"}) {
		t.Fatalf("an unknown type is in the timeline: %v", got)
	}
	s := h.Steps[1]
	if s.Kind != Unknown || s.Changes != nil || state(t, &s) != `{"group_name":"Ops"}` {
		t.Errorf("unknown step: kind %v, changes %v, state %s", s.Kind, s.Changes, state(t, &s))
	}
	if c := change(t, &h.Steps[2], "group_name"); Text(c.Before) != "Ops" || c.BeforeBy != "e1" {
		t.Errorf("before %s by %s", c.Before, c.BeforeBy)
	}
	if h.Kind != "group" {
		t.Errorf("kind %q", h.Kind)
	}
}

func TestHostileValuesAreKeptExactly(t *testing.T) {
	hostile := `"\u001b[31mred\u001b[0m \u202eevil\u0007"`
	events := newestFirst(
		ev(t, "e1", "project.created", 0, `{"id":"proj_h","data":{"title":"Plain"}}`, "a@example.com"),
		ev(t, "e2", "project.updated", 10, `{"id":"proj_h","changes_requested":{"title":`+hostile+`}}`, "a@example.com"),
		ev(t, "e3", "project.updated", 20, `{"id":"proj_h","changes_requested":{"title":"Plain"}}`, "a@example.com"),
	)
	h := Build("proj_h", events, time.Time{})
	c := change(t, &h.Steps[1], "title")
	if string(c.After) != hostile {
		t.Errorf("after %s, want the bytes sent %s", c.After, hostile)
	}
	if want := "\x1b[31mred\x1b[0m \u202eevil\a"; Text(c.After) != want {
		t.Errorf("Text decodes (the UI sanitises): %q", Text(c.After))
	}
	if got := state(t, &h.Steps[1]); got != `{"title":`+hostile+`}` {
		t.Errorf("state JSON %s", got)
	}
	if c := change(t, &h.Steps[2], "title"); string(c.Before) != hostile {
		t.Errorf("before %s", c.Before)
	}
}

func TestRolePermissionsAddedAndRemoved(t *testing.T) {
	created := ev(t, "e1", "role.created", 0, `{"id":"role_1","role_name":"Reader","permissions":["a.read","b.read"],"resource_type":"api.organization","resource_id":"org-1"}`, "a@example.com")
	update := ev(t, "e2", "role.updated", 10, `{"id":"role_1","changes_requested":{"role_name":"Writer","permissions_added":["a.write","a.read"],"permissions_removed":["b.read","c.read"]}}`, "a@example.com")
	h := Build("role_1", newestFirst(created, update), time.Time{})
	s := &h.Steps[1]
	if c := change(t, s, "role_name"); Text(c.Before) != "Reader" || Text(c.After) != "Writer" {
		t.Errorf("rename %+v", c)
	}
	var perms []Change
	for _, c := range s.Changes {
		if c.Field == "permissions" {
			perms = append(perms, c)
		}
	}
	if len(perms) != 2 || !slices.Equal(perms[0].Added, []string{"a.write"}) || !slices.Equal(perms[1].Removed, []string{"b.read"}) {
		t.Fatalf("only what really moved: %+v", perms)
	}
	if f, _ := s.State.Get("permissions"); string(f.Value) != `["a.read","a.write"]` {
		t.Errorf("permissions after %s", f.Value)
	}

	// Without the creation the list is unknown: what was asked is still said.
	h = Build("role_1", []model.Event{update}, time.Time{})
	c := change(t, &h.Steps[0], "permissions")
	if c.BeforeKnown || c.After != nil || !slices.Equal(c.Added, []string{"a.write", "a.read"}) {
		t.Errorf("unknown list: %+v", c)
	}
	if _, ok := h.Steps[0].State.Get("permissions"); ok {
		t.Errorf("a list whose before is unknown is not in the state")
	}
}

func TestOrganisationSettings(t *testing.T) {
	events := newestFirst(
		ev(t, "e1", "organization.updated", 0, `{"id":"org-1","changes_requested":{"title":"Acme"}}`, "a@example.com"),
		ev(t, "e2", "organization.updated", 10, `{"id":"org-1","changes_requested":{"title":"Acme Robotics","threads_ui_visibility":"OWNERS"}}`, "a@example.com"),
		ev(t, "e3", "organization.updated", 20, `{"changes_requested":{"name":"acme"}}`, "a@example.com"),
	)
	h := Build("org-1", events, time.Time{})
	if len(h.Steps) != 2 || h.Kind != "organization" {
		t.Fatalf("steps %v kind %q", stepIDs(h), h.Kind)
	}
	if c := change(t, &h.Steps[1], "title"); Text(c.Before) != "Acme" {
		t.Errorf("title before %s", c.Before)
	}
	if c := change(t, &h.Steps[1], "threads_ui_visibility"); c.BeforeKnown {
		t.Errorf("never set before: %+v", c)
	}
	h = Build(Organization, events, time.Time{})
	if got := stepIDs(h); !slices.Equal(got, []string{"e3"}) || !slices.Equal(Objects(&events[0]), []string{Organization}) {
		t.Errorf("an organisation event without an id is the organisation's: %v", got)
	}
}

func TestListedObjects(t *testing.T) {
	events := newestFirst(
		ev(t, "e1", "certificate.created", 0, `{"id":"cert_1","name":"Root"}`, "a@example.com"),
		ev(t, "e2", "certificates.activated", 10, `{"certificates":[{"id":"cert_2","name":"Other"},{"id":"cert_1","name":"Root CA"}]}`, "a@example.com"),
		ev(t, "e3", "certificates.deactivated", 20, `{"certificates":[{"id":"cert_1","name":"Root CA"}]}`, "a@example.com"),
	)
	h := Build("cert_1", events, time.Time{})
	if got := state(t, &h.Steps[1]); got != `{"name":"Root CA","active":true}` {
		t.Errorf("after activation %s", got)
	}
	if c := change(t, &h.Steps[2], "active"); Text(c.Before) != "true" || Text(c.After) != "false" {
		t.Errorf("deactivation %+v", c)
	}
	if h.Kind != "certificate" {
		t.Errorf("kind %q", h.Kind)
	}
}

func TestRepeatedEventsCountOnce(t *testing.T) {
	e1 := ev(t, "e1", "project.updated", 0, `{"id":"p","changes_requested":{"title":"A"}}`, "a@example.com")
	e2 := ev(t, "e2", "project.updated", 10, `{"id":"p","changes_requested":{"title":"B"}}`, "a@example.com")
	h := Build("p", []model.Event{e2, e1, e2, e1}, time.Time{})
	if got := stepIDs(h); !slices.Equal(got, []string{"e1", "e2"}) {
		t.Errorf("timeline %v", got)
	}
}

func TestUnchangedAndNested(t *testing.T) {
	events := newestFirst(
		ev(t, "e1", "workload_identity_provider.created", 0, `{"id":"wip_1","data":{"name":"GH","claims":{"aud":"x","sub":"y"}}}`, "a@example.com"),
		ev(t, "e2", "workload_identity_provider.updated", 10, `{"id":"wip_1","changes_requested":{"name":"GH","claims":{"aud":"z"},"meta":{}}}`, "a@example.com"),
	)
	h := Build("wip_1", events, time.Time{})
	s := &h.Steps[1]
	if c := change(t, s, "name"); !c.Unchanged() {
		t.Errorf("setting the same value is reported as unchanged: %+v", c)
	}
	if c := change(t, s, "claims.aud"); Text(c.Before) != "x" || Text(c.After) != "z" {
		t.Errorf("nested %+v", c)
	}
	if c := change(t, s, "meta"); string(c.After) != "{}" {
		t.Errorf("an empty object is a value: %+v", c)
	}
	if got := state(t, s); got != `{"name":"GH","claims.aud":"z","claims.sub":"y","meta":{}}` {
		t.Errorf("state %s", got)
	}
}

func TestLinks(t *testing.T) {
	keyActor := func(id, typ string, at int) model.Event {
		raw := fmt.Sprintf(`{"id":%q,"type":"project.updated","effective_at":%d,"actor":{"type":"api_key","api_key":{"id":"key_1","type":"user","user":{"id":"user-ann","email":"ann@example.com"}}},"project.updated":{"id":"proj_9","changes_requested":{"title":"T"}}}`, id, t0.Unix()+int64(at))
		e, err := model.DecodeEvent([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		_ = typ
		return e
	}
	events := newestFirst(
		ev(t, "e1", "api_key.created", 0, `{"id":"key_1","data":{"scopes":["api.model.read"]}}`, "ann@example.com"),
		keyActor("e2", "", 10),
		ev(t, "e3", "role.assignment.created", 20, `{"id":"ra_1","principal_id":"user-bob","principal_type":"user","resource_id":"proj_9","resource_type":"api.project"}`, "a@example.com"),
		ev(t, "e4", "invite.sent", 30, `{"id":"invite-1","data":{"email":"new@example.com","role":"reader"}}`, "a@example.com"),
		ev(t, "e5", "invite.accepted", 40, `{"id":"invite-1"}`, "new@example.com"),
	)
	has := func(ls []Link, role, key, value, kind string) bool {
		return slices.ContainsFunc(ls, func(l Link) bool {
			return l.Role == role && l.Key == key && l.Value == value && l.Kind == kind
		})
	}
	if ls := Build("key_1", events, time.Time{}).Links; !has(ls, "owner", "actor", "ann@example.com", "user") || !has(ls, "owner", "actor", "user-ann", "user") {
		t.Errorf("the key's owner, from the key acting: %+v", ls)
	}
	if ls := Build("ra_1", events, time.Time{}).Links; !has(ls, "principal", "resource", "user-bob", "user") || !has(ls, "resource", "resource", "proj_9", "api.project") || len(ls) != 2 {
		t.Errorf("a role assignment's principal and resource: %+v", ls)
	}
	ls := Build("invite-1", events, time.Time{}).Links
	if !has(ls, "invited email", "actor", "new@example.com", "") || !has(ls, "accepted by", "resource", "user-new", "user") {
		t.Errorf("an invite's email and the user it became: %+v", ls)
	}
	if ls := Build("user-new", events, time.Time{}).Links; len(ls) != 0 {
		t.Errorf("no timeline, no kind, no links: %+v", ls)
	}
	if ls := Build("proj_9", events, time.Time{}).Links; len(ls) != 0 {
		t.Errorf("a project names nothing: %+v", ls)
	}
}

func TestNoEventsNoPanic(t *testing.T) {
	for _, id := range []string{"", "x", Organization} {
		h := Build(id, nil, time.Time{})
		if len(h.Steps) != 0 || h.Lives() != 0 || h.Find("x") != nil {
			t.Errorf("%q: %+v", id, h)
		}
	}
	odd := []model.Event{
		ev(t, "o1", "project.updated", 0, `null`, ""),
		ev(t, "o2", "project.updated", 0, `[1,2]`, ""),
		ev(t, "o3", "project.updated", 0, `{"id":"p","data":[1],"changes_requested":"x"}`, ""),
		ev(t, "o4", "project.updated", 0, `{"id":"p","certificates":"x","configs":[1]}`, ""),
	}
	h := Build("p", odd, time.Time{})
	if len(h.Steps) != 2 {
		t.Errorf("steps %v", stepIDs(h))
	}
}

func TestEscapedIDIsFound(t *testing.T) {
	events := newestFirst(
		ev(t, "e1", "api_key.created", 0, `{"id":"key_abc","data":{"scopes":[]}}`, "a@example.com"),
		ev(t, "e2", "api_key.deleted", 10, `{"id":"key\u005fabc"}`, "a@example.com"),
	)
	if got := stepIDs(Build("key_abc", events, time.Time{})); !slices.Equal(got, []string{"e1", "e2"}) {
		t.Errorf("an id written with escapes is the same id: %v", got)
	}
}

func TestDescribe(t *testing.T) {
	events := newestFirst(
		ev(t, "e1", "api_key.updated", 0, `{"id":"k","changes_requested":{"scopes":["a","b"]}}`, "a@example.com"),
		ev(t, "e2", "api_key.updated", 10, `{"id":"k","changes_requested":{"scopes":["b","c"]}}`, "a@example.com"),
		ev(t, "e3", "api_key.updated", 20, `{"id":"k","changes_requested":{"scopes":["c","b"]}}`, "a@example.com"),
		ev(t, "e4", "user.added", 30, `{"id":"u","data":{"role":"reader"}}`, "a@example.com"),
		ev(t, "e5", "user.updated", 40, `{"id":"u","changes_requested":{"role":"owner"}}`, "a@example.com"),
		ev(t, "e6", "role.updated", 50, `{"id":"r","changes_requested":{"permissions_added":["x"]}}`, "a@example.com"),
	)
	k := Build("k", events, time.Time{})
	u := Build("u", events, time.Time{})
	r := Build("r", events, time.Time{})
	for _, tc := range []struct {
		c    Change
		want string
	}{
		{change(t, &k.Steps[0], "scopes"), "a, b (before: not in the log since 2026-09-02)"},
		{change(t, &k.Steps[1], "scopes"), "added c; removed a"},
		{change(t, &k.Steps[2], "scopes"), "b, c → c, b"},
		{change(t, &u.Steps[0], "role"), "reader (new)"},
		{change(t, &u.Steps[1], "role"), "reader → owner"},
		{change(t, &r.Steps[0], "permissions"), "added x (before: not in the log since 2026-09-02)"},
	} {
		if got := tc.c.Describe(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.c.Field, got, tc.want)
		}
	}
}

func TestWriteTextAndJSON(t *testing.T) {
	hostile := `"\u001b]52;c;aGk=\u0007"`
	events := newestFirst(
		ev(t, "e1", "project.updated", 0, `{"id":"p","changes_requested":{"title":"Old"}}`, "a@example.com"),
		ev(t, "e2", "project.updated", 10, `{"id":"p","changes_requested":{"title":`+hostile+`}}`, "a@example.com"),
		ev(t, "e3", "project.deleted", 20, `{"id":"p"}`, "a@example.com"),
		ev(t, "e4", "project.created", 30, `{"id":"p","data":{"title":"New"}}`, "a@example.com"),
	)
	h := Build("p", events, time.Time{})
	var text strings.Builder
	clean := func(s string) string { return strings.NewReplacer("\x1b", "␛", "\a", "␇").Replace(s) }
	if err := WriteText(&text, h, clean); err != nil {
		t.Fatal(err)
	}
	out := text.String()
	for _, want := range []string{
		"project p: 4 events, 2 lives; the log is known since 2026-09-02",
		"2026-09-02T09:00:00Z  project.updated  e1\n  by a@example.com from 198.51.100.7\n  title: Old (before: not in the log since 2026-09-02)\n  state after: title=Old\n",
		"  title: Old → ␛]52;c;aGk=␇\n",
		"  (deleted)\n  state after: title=␛]52;c;aGk=␇; deleted\n",
		"-- life 2\n",
		"  title: New (new)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	if strings.ContainsAny(out, "\x1b\a") {
		t.Errorf("text holds control characters")
	}
	var js strings.Builder
	if err := WriteJSON(&js, h); err != nil {
		t.Fatal(err)
	}
	var steps []struct {
		EventID string                     `json:"event_id"`
		Kind    string                     `json:"kind"`
		Life    int                        `json:"life"`
		State   map[string]json.RawMessage `json:"state"`
		Changes []map[string]json.RawMessage
	}
	if err := json.Unmarshal([]byte(js.String()), &steps); err != nil {
		t.Fatalf("%v\n%s", err, js.String())
	}
	if len(steps) != 4 || steps[1].EventID != "e2" || string(steps[1].State["title"]) != hostile || steps[3].Life != 2 || steps[2].Kind != "deleted" {
		t.Fatalf("steps %+v", steps)
	}
	if c := steps[0].Changes[0]; string(c["before_unknown_since"]) != `"2026-09-02"` || c["before"] != nil || string(c["before_known"]) != "false" {
		t.Errorf("unknown before in JSON: %s", js.String())
	}
	if c := steps[2-1].Changes[0]; string(c["before"]) != `"Old"` || string(c["before_set_by"]) != `"e1"` || string(c["after"]) != hostile {
		t.Errorf("known before in JSON: %v", c)
	}
}

func TestTenantEventsDoNotChangeLives(t *testing.T) {
	events := newestFirst(
		ev(t, "e1", "user.added", 0, `{"id":"user-1","data":{"role":"member"}}`, "a@example.com"),
		ev(t, "e2", "tenant.user.added", 10, `{"id":"user-1"}`, "a@example.com"),
		ev(t, "e3", "tenant.user.removed", 20, `{"id":"user-1"}`, "a@example.com"),
		ev(t, "e4", "user.updated", 30, `{"id":"user-1","changes_requested":{"role":"owner"}}`, "a@example.com"),
	)
	h := Build("user-1", events, time.Time{})
	if h.Lives() != 1 || h.Steps[2].State.Deleted || h.Kind != "user" {
		t.Errorf("lives %d, deleted %v, kind %q", h.Lives(), h.Steps[2].State.Deleted, h.Kind)
	}
	if c := change(t, &h.Steps[3], "role"); Text(c.Before) != "member" {
		t.Errorf("before %s", c.Before)
	}
}
