package model

import "testing"

func TestMatcherFieldNamesWhereTheTextIs(t *testing.T) {
	e, err := DecodeEvent([]byte(`{"id":"evt_1","type":"project.updated","effective_at":1720803600,
	 "project":{"id":"proj_abc","name":"Payments"},
	 "actor":{"type":"session","session":{"user":{"id":"user-bob","email":"bob@example.com"},"ip_address":"203.0.113.9"}},
	 "project.updated":{"id":"proj_abc","changes_requested":{"title":"Payments (EU)","tags":["red",{"deep":"Quartz"}],"n":4242}}}`))
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]string{
		"EVT_1":       "id",
		"updated":     "type",
		"BOB@":        "actor.email",
		"user-b":      "actor.id",
		"113.9":       "ip",
		"proj_ab":     "project.id",
		"payments":    "project.name",
		"(eu)":        "payload.changes_requested.title",
		"quartz":      "payload.changes_requested.tags.deep",
		"red":         "payload.changes_requested.tags",
		"4242":        "payload.changes_requested.n",
		"nowhere":     "",
		"project.up*": "", // a glob is about the type alone
	} {
		m := CompileMatcher(text)
		if got := m.Field(&e); got != want {
			t.Errorf("Field(%q) = %q, want %q", text, got, want)
		}
		if (m.Field(&e) != "") != (m.Match(&e) && !m.TypeOnly()) {
			t.Errorf("%q: Field and Match disagree", text)
		}
	}
}
