package model

import (
	"testing"
	"time"
)

func mustDecode(t *testing.T, s string) Event {
	t.Helper()
	e, err := DecodeEvent([]byte(s))
	if err != nil {
		t.Fatalf("decode %s: %v", s, err)
	}
	return e
}

func TestFilterMatch(t *testing.T) {
	session := mustDecode(t, `{"id":"a1","type":"api_key.created","effective_at":1720000000,
		"project":{"id":"proj_1","name":"Beta research"},
		"actor":{"type":"session","session":{"user":{"id":"user-1","email":"Alice@Example.com"},"ip_address":"198.51.100.7"}},
		"api_key.created":{"id":"key_abc","data":{"scopes":["api.model.read"]}}}`)
	svc := mustDecode(t, `{"id":"a2","type":"certificates.activated","effective_at":1720000100,
		"actor":{"type":"api_key","api_key":{"id":"key_svc","type":"service_account","service_account":{"id":"svc_acct_1"}}},
		"certificates.activated":{"certificates":[{"id":"cert_1","name":"one"},{"id":"cert_2"}]}}`)
	tenant := mustDecode(t, `{"id":"a3","type":"tenant.user.added","effective_at":1720000200,"actor":null}`)

	at := func(sec int64) time.Time { return time.Unix(sec, 0) }
	cases := []struct {
		name string
		f    Filter
		want [3]bool // session, svc, tenant
	}{
		{"zero", Filter{}, [3]bool{true, true, true}},
		{"types OR", Filter{Types: []string{"api_key.created", "tenant.user.added"}}, [3]bool{true, false, true}},
		{"email as sent", Filter{ActorEmails: []string{"Alice@Example.com"}}, [3]bool{true, false, false}},
		{"email in another case", Filter{ActorEmails: []string{"alice@example.com"}}, [3]bool{false, false, false}},
		{"actor id: user", Filter{ActorIDs: []string{"user-1"}}, [3]bool{true, false, false}},
		{"actor id: service account", Filter{ActorIDs: []string{"svc_acct_1"}}, [3]bool{false, true, false}},
		{"actor id: key", Filter{ActorIDs: []string{"key_svc"}}, [3]bool{false, true, false}},
		{"project", Filter{ProjectIDs: []string{"proj_1"}}, [3]bool{true, false, false}},
		{"resource: payload id", Filter{ResourceIDs: []string{"key_abc"}}, [3]bool{true, false, false}},
		{"resource: listed certificate", Filter{ResourceIDs: []string{"cert_2"}}, [3]bool{false, true, false}},
		{"since inclusive", Filter{Since: at(1720000100)}, [3]bool{false, true, true}},
		{"until exclusive", Filter{Until: at(1720000100)}, [3]bool{true, false, false}},
		{"fields AND", Filter{Types: []string{"api_key.created"}, ProjectIDs: []string{"proj_2"}}, [3]bool{false, false, false}},
		{"tenant only", Filter{TenantOnly: true}, [3]bool{false, false, true}},
	}
	for _, c := range cases {
		for i, e := range []*Event{&session, &svc, &tenant} {
			if got := c.f.Match(e); got != c.want[i] {
				t.Errorf("%s: event %s: got %v, want %v", c.name, e.ID, got, c.want[i])
			}
		}
	}
	if (Filter{}).IsZero() != true || (Filter{TenantOnly: true}).IsZero() {
		t.Error("IsZero is wrong")
	}
}

func TestDecodeEventRejects(t *testing.T) {
	for _, bad := range []string{
		``, `[]`, `{"id":"x"`, `{"type":"login.failed","effective_at":1}`,
		`{"id":"x","effective_at":1}`, `{"id":"x","type":"login.failed"}`,
		`{"id":1,"type":"login.failed","effective_at":1}`,
		`{"id":"x","type":"login.failed","effective_at":"soon"}`,
		`{"id":"x","type":"login.failed","effective_at":1e300}`,
	} {
		if _, err := DecodeEvent([]byte(bad)); err == nil {
			t.Errorf("DecodeEvent(%q) accepted a bad record", bad)
		}
	}
}

func TestDecodeEventPayloadAndActorKinds(t *testing.T) {
	e := mustDecode(t, `  {"id":"x","type":"future.thing","effective_at":"1720000000.5","actor":{"type":"robot"},
		"future.thing":{"deep":{"a":[1,2]}}, "future":{"thing":1}}  `)
	if string(e.Payload) != `{"deep":{"a":[1,2]}}` {
		t.Errorf("payload = %s", e.Payload)
	}
	if e.Actor.Kind != "robot" || e.Actor.Label() != "" {
		t.Errorf("unknown actor kind: %+v", e.Actor)
	}
	if e.EffectiveAt.UnixMilli() != 1720000000500 {
		t.Errorf("effective_at = %v", e.EffectiveAt)
	}
	if e.Raw[0] != '{' || e.Raw[len(e.Raw)-1] != '}' {
		t.Errorf("raw not trimmed: %q", e.Raw)
	}
}
