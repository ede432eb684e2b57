package fakeapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/auditui/auditui/model"
	"github.com/tidwall/gjson"
)

func TestOrgIsDeterministic(t *testing.T) {
	opts := OrgOptions{Events: 3000, Seed: 42, Now: testNow, Hostile: true}
	a, b := testOrg(), Org(opts)
	if len(a) != len(b) {
		t.Fatalf("lengths %d and %d", len(a), len(b))
	}
	for i := range a {
		if !bytes.Equal(a[i].Raw, b[i].Raw) {
			t.Fatalf("event %d differs between two runs:\n%s\n%s", i, a[i].Raw, b[i].Raw)
		}
	}
	opts.Seed = 43
	c := Org(opts)
	same := 0
	for i := range a {
		if bytes.Equal(a[i].Raw, c[i].Raw) {
			same++
		}
	}
	if same > len(a)/10 {
		t.Errorf("seeds 42 and 43 share %d of %d records", same, len(a))
	}
	// No Now: a fixed instant, so the output still repeats.
	d1, d2 := Org(OrgOptions{Events: 200, Seed: 1}), Org(OrgOptions{Events: 200, Seed: 1})
	if !bytes.Equal(d1[0].Raw, d2[0].Raw) || !d1[0].EffectiveAt.Before(orgEpoch) {
		t.Errorf("without Now the newest event is %v; want it repeatable and before %v", d1[0].EffectiveAt, orgEpoch)
	}
}

func TestOrgSizes(t *testing.T) {
	for _, n := range []int{1, 2, 100, 599, 600, 5000} {
		events := Org(OrgOptions{Events: n, Seed: int64(n), Now: testNow, Hostile: true})
		if len(events) != n {
			t.Errorf("Events %d: got %d", n, len(events))
		}
		checkOrder(t, events)
	}
	if n := len(Org(OrgOptions{Seed: 1})); n != DefaultOrgEvents {
		t.Errorf("Events 0: got %d, want %d", n, DefaultOrgEvents)
	}
}

// checkOrder checks newest first, unique ids and the 90-day window.
func checkOrder(t *testing.T, events []model.Event) {
	t.Helper()
	seen := make(map[string]bool, len(events))
	for i, e := range events {
		if seen[e.ID] {
			t.Fatalf("id %s repeats", e.ID)
		}
		seen[e.ID] = true
		if i > 0 && e.EffectiveAt.After(events[i-1].EffectiveAt) {
			t.Fatalf("event %d (%v) is newer than event %d (%v)", i, e.EffectiveAt, i-1, events[i-1].EffectiveAt)
		}
		if !e.EffectiveAt.Before(testNow) || e.EffectiveAt.Before(testNow.Add(-OrgSpan)) {
			t.Fatalf("event %d at %v is outside the 90 days before %v", i, e.EffectiveAt, testNow)
		}
	}
}

func TestOrgRecordsHaveTheSpecShape(t *testing.T) {
	events := testOrg()
	checkOrder(t, events)
	for i, e := range events {
		doc := gjson.ParseBytes(e.Raw)
		if !gjson.ValidBytes(e.Raw) || !doc.IsObject() {
			t.Fatalf("event %d is not a JSON object: %s", i, e.Raw)
		}
		allowed := []string{"id", "type", "effective_at", "actor", "project", e.Type}
		doc.ForEach(func(k, v gjson.Result) bool {
			if !slices.Contains(allowed, k.Str) {
				t.Errorf("event %s has a key %q the spec doesn't have", e.ID, k.Str)
			}
			return true
		})
		if !strings.HasPrefix(e.ID, "audit_log-") {
			t.Errorf("id %q does not look like the API's", e.ID)
		}
		if at := doc.Get("effective_at"); at.Type != gjson.Number || strings.ContainsAny(at.Raw, ".eE-") {
			t.Errorf("%s: effective_at %s is not integer Unix seconds", e.ID, at.Raw)
		}
		if p := doc.Get(gjson.Escape(e.Type)); !p.IsObject() {
			t.Errorf("%s: no object under the key %q", e.ID, e.Type)
		}
		if p := doc.Get("project"); p.Exists() && (p.Get("id").Type != gjson.String || p.Get("name").Type != gjson.String) {
			t.Errorf("%s: project %s lacks id or name", e.ID, p.Raw)
		}
		a := doc.Get("actor")
		switch a.Get("type").String() {
		case "session":
			s := a.Get("session")
			if s.Get("user.id").String() == "" || s.Get("user.email").String() == "" || s.Get("ip_address").String() == "" {
				t.Errorf("%s: session actor lacks user or ip_address: %s", e.ID, a.Raw)
			}
		case "api_key":
			k := a.Get("api_key")
			switch k.Get("type").String() {
			case "user":
				if k.Get("user.id").String() == "" {
					t.Errorf("%s: user key without a user: %s", e.ID, a.Raw)
				}
			case "service_account":
				if k.Get("service_account.id").String() == "" {
					t.Errorf("%s: service account key without an id: %s", e.ID, a.Raw)
				}
			default:
				t.Errorf("%s: api_key type %s", e.ID, k.Get("type").Raw)
			}
		default:
			if a.Type != gjson.Null && a.Get("type").String() != "robot" {
				t.Errorf("%s: unexpected actor %s", e.ID, a.Raw)
			}
		}
	}
}

func TestOrgCoversTheCatalogue(t *testing.T) {
	counts := map[string]int{}
	for _, e := range testOrg() {
		counts[e.Type]++
	}
	for _, et := range model.EventTypes() {
		if counts[et.Name] == 0 {
			t.Errorf("no %s event", et.Name)
		}
	}
	// The everyday mix dominates: sign-ins are the most common type.
	for typ, n := range counts {
		if n > counts["login.succeeded"] {
			t.Errorf("%s (%d) outnumbers login.succeeded (%d)", typ, n, counts["login.succeeded"])
		}
	}
}

func TestOrgPayloadsMatchTheFieldTable(t *testing.T) {
	str, num, object, boolean := gjson.String, gjson.Number, gjson.JSON, gjson.True
	table := map[string]map[string]gjson.Type{
		"api_key.created":                            {"id": str, "data.scopes.0": str},
		"api_key.updated":                            {"id": str, "changes_requested.scopes.0": str},
		"api_key.deleted":                            {"id": str},
		"certificate.created":                        {"id": str, "name": str},
		"certificate.deleted":                        {"id": str, "name": str, "certificate": str},
		"certificates.activated":                     {"certificates.0.id": str, "certificates.0.name": str},
		"certificates.deactivated":                   {"certificates.0.id": str, "certificates.0.name": str},
		"checkpoint.permission.created":              {"id": str, "data.project_id": str, "data.fine_tuned_model_checkpoint": str},
		"external_key.registered":                    {"id": str, "data": object},
		"external_storage.registered":                {"id": str, "data.geography": str, "data.provider.type": str},
		"group.created":                              {"id": str, "data.group_name": str},
		"group.updated":                              {"id": str, "changes_requested.group_name": str},
		"invite.sent":                                {"id": str, "data.email": str, "data.role": str},
		"ip_allowlist.created":                       {"id": str, "name": str, "allowed_ips.0": str},
		"ip_allowlist.updated":                       {"id": str, "allowed_ips.0": str},
		"ip_allowlist.deleted":                       {"id": str, "name": str, "allowed_ips.0": str},
		"ip_allowlist.config.activated":              {"configs.0.id": str, "configs.0.name": str},
		"login.failed":                               {"error_code": str, "error_message": str},
		"logout.failed":                              {"error_code": str, "error_message": str},
		"organization.updated":                       {"id": str, "changes_requested": object},
		"project.created":                            {"id": str, "data.name": str, "data.title": str},
		"project.updated":                            {"id": str, "changes_requested.title": str},
		"rate_limit.updated":                         {"id": str, "changes_requested": object},
		"role.created":                               {"id": str, "role_name": str, "permissions.0": str, "resource_type": str, "resource_id": str},
		"role.updated":                               {"id": str, "changes_requested.role_name": str, "changes_requested.permissions_added.0": str, "changes_requested.permissions_removed": object},
		"role.assignment.created":                    {"id": str, "principal_id": str, "principal_type": str, "resource_id": str, "resource_type": str},
		"role.bound_to_resource":                     {"id": str, "role_id": str, "workspace_id": str, "connector_id": str, "connector_name": str, "enabled": boolean, "source": str},
		"role.unbound_from_resource":                 {"id": str, "role_id": str, "enabled": gjson.False, "source": str},
		"service_account.created":                    {"id": str, "data.role": str},
		"service_account.updated":                    {"id": str, "changes_requested.role": str},
		"user.added":                                 {"id": str, "data.role": str},
		"user.updated":                               {"id": str, "changes_requested.role": str},
		"workload_identity_provider.created":         {"id": str, "data": object},
		"workload_identity_provider_mapping.created": {"id": str, "identity_provider_id": str, "data": object},
		"workload_identity_provider_mapping.deleted": {"id": str, "identity_provider_id": str, "project_id": str, "service_account_id": str},
	}
	rateFields := []string{"max_requests_per_1_minute", "max_tokens_per_1_minute", "max_images_per_1_minute", "max_audio_megabytes_per_1_minute", "max_requests_per_1_day", "batch_1_day_max_input_tokens"}
	sources := []string{"role_toggle", "role_connector_update", "role_delete", "workspace_permissions", "connector_publish"}
	checked := map[string]bool{}
	for _, e := range testOrg() {
		if len(e.Payload) == 0 {
			t.Errorf("%s (%s) has no payload", e.ID, e.Type)
			continue
		}
		p := gjson.ParseBytes(e.Payload)
		for path, want := range table[e.Type] {
			checked[e.Type] = true
			if got := p.Get(path); got.Type != want {
				t.Errorf("%s %s: %s is %v (%s), want %v", e.Type, e.ID, path, got.Type, got.Raw, want)
			}
		}
		switch e.Type {
		case "rate_limit.updated":
			n := 0
			p.Get("changes_requested").ForEach(func(k, v gjson.Result) bool {
				if !slices.Contains(rateFields, k.Str) || v.Type != num || strings.Contains(v.Raw, ".") {
					t.Errorf("rate_limit.updated %s: %s = %s", e.ID, k.Str, v.Raw)
				}
				n++
				return true
			})
			if n == 0 {
				t.Errorf("rate_limit.updated %s changes nothing", e.ID)
			}
		case "role.bound_to_resource", "role.unbound_from_resource":
			if s := p.Get("source").String(); !slices.Contains(sources, s) {
				t.Errorf("%s source %q is not in the spec's enum", e.Type, s)
			}
		case "login.succeeded", "logout.succeeded":
			if p.Raw != "{}" {
				t.Errorf("%s payload %s, want {}", e.Type, p.Raw)
			}
		}
	}
	for typ := range table {
		if !checked[typ] {
			t.Errorf("no %s event to check", typ)
		}
	}
}

func TestOrgIsRealistic(t *testing.T) {
	events := testOrg()
	emails, userAgents, projectNames := map[string]bool{}, map[string]bool{}, map[string]bool{}
	var asnStrings, asnNumbers, serviceKeys, userKeys, keysWithoutID, foreignFailures int
	keyCreated, keyDeleted := map[string]time.Time{}, map[string]time.Time{}
	for i := range events {
		e := &events[i]
		if s := e.Actor.Session; s != nil {
			emails[s.User.Email] = true
			userAgents[s.UserAgent] = true
			switch gjson.GetBytes(e.Raw, "actor.session.ip_address_details.asn").Type {
			case gjson.String:
				asnStrings++
			case gjson.Number:
				asnNumbers++
			}
			if e.Type == "login.failed" && slices.ContainsFunc(foreignLocations, func(l location) bool { return l.ip == s.IPAddress }) {
				foreignFailures++
			}
		}
		if k := e.Actor.APIKey; k != nil {
			if k.Type == model.APIKeyServiceAccount {
				serviceKeys++
			} else {
				userKeys++
			}
			if k.ID == "" {
				keysWithoutID++
			}
		}
		if !e.Project.IsZero() {
			projectNames[e.Project.Name] = true
		}
		id := gjson.GetBytes(e.Payload, "id").String()
		switch e.Type {
		case "api_key.created":
			keyCreated[id] = e.EffectiveAt
		case "api_key.deleted":
			keyDeleted[id] = e.EffectiveAt
		}
	}
	if len(emails) < 12 || !emails["陈静@acme-robotics.example"] || !emails["山田太郎@acme-robotics.example"] {
		t.Errorf("%d people signed in (CJK names among them: %v); want at least 12 with CJK names", len(emails), emails["陈静@acme-robotics.example"])
	}
	if !userAgents["curl/8.7.1"] || !slices.ContainsFunc(mapKeys(userAgents), func(s string) bool { return strings.Contains(s, "Firefox") }) {
		t.Error("user agents lack a browser or a command-line tool")
	}
	if asnStrings == 0 || asnNumbers == 0 {
		t.Errorf("asn sent as strings %d times and as numbers %d times; want both", asnStrings, asnNumbers)
	}
	if serviceKeys == 0 || userKeys == 0 || keysWithoutID == 0 {
		t.Errorf("service account keys %d, user keys %d, keys without an id %d; want all", serviceKeys, userKeys, keysWithoutID)
	}
	if len(projectNames) < 6 || !projectNames["Beta research"] {
		t.Errorf("projects %v; want several, Beta research among them", mapKeys(projectNames))
	}
	if foreignFailures < 10 {
		t.Errorf("%d failed sign-ins from foreign addresses; want the incident's burst", foreignFailures)
	}
	lifecycles := 0
	for id, created := range keyCreated {
		if deleted, ok := keyDeleted[id]; ok {
			if deleted.Before(created) {
				t.Errorf("key %s deleted (%v) before it was created (%v)", id, deleted, created)
			}
			lifecycles++
		}
	}
	if lifecycles < 5 {
		t.Errorf("%d keys were created and deleted; want a key lifecycle", lifecycles)
	}
}

func TestOrgIncident(t *testing.T) {
	events := testOrg()
	// The burst: many failed sign-ins from foreign addresses within an hour.
	best := 0
	for i, e := range events {
		if e.Type != "login.failed" {
			continue
		}
		n := 0
		for _, f := range events[i:] {
			if e.EffectiveAt.Sub(f.EffectiveAt) > time.Hour {
				break
			}
			if f.Type == "login.failed" && f.Actor.Country() != "" && slices.ContainsFunc(foreignLocations, func(l location) bool { return l.ip == f.Actor.IP() }) {
				n++
			}
		}
		best = max(best, n)
	}
	if best < 10 {
		t.Errorf("at most %d foreign failed sign-ins within an hour; want a burst of 10 or more", best)
	}
	// Then the attacker's key is created from a foreign address and deleted.
	var created, deleted bool
	for _, e := range events {
		if e.Type == "api_key.created" && e.Actor.IP() == foreignLocations[0].ip {
			created = true
			id := gjson.GetBytes(e.Payload, "id").String()
			deleted = slices.ContainsFunc(events, func(d model.Event) bool {
				return d.Type == "api_key.deleted" && gjson.GetBytes(d.Payload, "id").String() == id
			})
		}
	}
	if !created || !deleted {
		t.Errorf("attacker's key created %v, deleted %v; want both", created, deleted)
	}
}

func TestOrgHostileRecords(t *testing.T) {
	events := testOrg()
	newest := events[:80]
	find := func(what string, ok func(e *model.Event) bool) {
		t.Helper()
		if !slices.ContainsFunc(newest, func(e model.Event) bool { return ok(&e) }) {
			t.Errorf("no hostile record with %s among the newest 80", what)
		}
	}
	find("escape sequences in a user agent", func(e *model.Event) bool {
		return e.Actor.Session != nil && e.Actor.Session.UserAgent == HostileUserAgent
	})
	find("escape sequences in a project name", func(e *model.Event) bool { return e.Project.Name == HostileProjectName })
	find("a right-to-left override", func(e *model.Event) bool { return e.Actor.Email() == HostileEmail })
	find("a 5,000-character string", func(e *model.Event) bool {
		s := gjson.GetBytes(e.Payload, "changes_requested.description").String()
		return s == LongString && utf8.RuneCountInString(s) == LongStringLength
	})
	find("a CJK email", func(e *model.Event) bool { return gjson.GetBytes(e.Payload, "data.email").String() == HostileCJKEmail })
	find("a CJK group name", func(e *model.Event) bool {
		return gjson.GetBytes(e.Payload, "data.group_name").String() == HostileCJKGroup
	})
	find("zero-width and combining characters", func(e *model.Event) bool { return gjson.GetBytes(e.Payload, "name").String() == HostileCombiningName })
	find("a null actor", func(e *model.Event) bool {
		return e.Actor.Kind == model.ActorNone && bytes.Contains(e.Raw, []byte(`"actor":null`))
	})
	find("a missing project", func(e *model.Event) bool { return e.Type == "api_key.created" && e.Project.IsZero() })
	find("an unknown event type with a nested payload", func(e *model.Event) bool {
		_, known := model.LookupType(e.Type)
		return !known && gjson.GetBytes(e.Payload, "nested.level1.level2.values.2.deep").Bool()
	})
	find("an actor of an unknown kind", func(e *model.Event) bool { return e.Actor.Kind == "robot" })
	find("a very large payload", func(e *model.Event) bool { return len(gjson.GetBytes(e.Payload, "allowed_ips").Array()) == 300 })
	// The control characters survive JSON: C0 escaped, C1 as UTF-8.
	if !strings.ContainsRune(HostileUserAgent, 0x1b) || !strings.ContainsRune(HostileUserAgent, 0x9b) || !strings.ContainsRune(HostileProjectName, 0x1b) {
		t.Error("the hostile strings lack ESC or C1 controls")
	}

	// Without Hostile there are none.
	for _, e := range Org(OrgOptions{Events: 3000, Seed: 42, Now: testNow}) {
		if _, known := model.LookupType(e.Type); !known || e.Actor.Kind == model.ActorNone || bytes.Contains(e.Raw, []byte(`\u001b`)) {
			t.Fatalf("a hostile record without Hostile: %.200s", e.Raw)
		}
	}
}

func mapKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestOrgBytesAreStable pins the organisation's bytes: golden files in other
// packages (ui/testdata) are rendered from Org, so a change to the generator
// must be deliberate and followed by regenerating them. The coverage order
// follows model.EventTypes(), so a catalogue change moves the hash too.
func TestOrgBytesAreStable(t *testing.T) {
	h := sha256.New()
	for _, e := range testOrg() {
		h.Write(e.Raw)
		h.Write([]byte{'\n'})
	}
	const want = "ddb02a20c4765366ced9e91c46b4798efc16b862b958c1a8dd870270a5ab02de"
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		t.Errorf("Org(Events 3000, Seed 42, Hostile) hashes to %s, want %s: if the generator changed on purpose, update this and regenerate the golden files built from Org", got, want)
	}
}
