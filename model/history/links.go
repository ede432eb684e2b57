package history

import (
	"github.com/tidwall/gjson"

	"github.com/auditui/auditui/model"
)

// Link is another object an object's events name, as a pivot target: never
// inferred, always read from a record.
type Link struct {
	Role  string // what it is to the object: "principal", "resource", "owner", ...
	Key   string // the query key that finds its events: "resource", "actor" or "project"
	Value string // its id, or an email for Key "actor"
	Kind  string // its type when the record says, e.g. "user" or "api.project"
	Via   string // the id of the event that says so
}

// linkFields are the payload fields that name another object.
var linkFields = []struct{ field, role, key, kindField string }{
	{"principal_id", "principal", "resource", "principal_type"},
	{"resource_id", "resource", "resource", "resource_type"},
	{"role_id", "role", "resource", ""},
	{"identity_provider_id", "identity provider", "resource", ""},
	{"service_account_id", "service account", "resource", ""},
	{"project_id", "project", "project", ""},
	{"workspace_id", "workspace", "resource", ""},
	{"connector_id", "connector", "resource", ""},
	{"email", "invited email", "actor", ""},
}

// links gathers the objects h's events name, and what other events say of
// it: who owns an API key (the key acting, with its owner), who accepted an
// invite, which invite a user accepted.
func links(h *History, events []model.Event) []Link {
	var out []Link
	add := func(l Link) {
		if l.Value == "" || l.Value == h.ID {
			return
		}
		for _, o := range out {
			if o.Role == l.Role && o.Value == l.Value {
				return
			}
		}
		out = append(out, l)
	}
	for _, s := range h.Steps {
		for _, lf := range linkFields {
			f, ok := fieldOf(s, lf.field)
			if !ok {
				continue
			}
			kind := ""
			if k, ok := fieldOf(s, lf.kindField); ok && lf.kindField != "" {
				kind = k
			}
			add(Link{Role: lf.role, Key: lf.key, Value: f, Kind: kind, Via: s.Event.ID})
		}
		if s.Event.Type == "invite.accepted" {
			a := s.Event.Actor
			if a.Session != nil {
				add(Link{Role: "accepted by", Key: "resource", Value: a.Session.User.ID, Kind: "user", Via: s.Event.ID})
				add(Link{Role: "accepted by", Key: "actor", Value: a.Session.User.Email, Kind: "user", Via: s.Event.ID})
			}
		}
		if s.Kind == Created && s.Event.Project.ID != "" && h.Kind == "api_key" {
			add(Link{Role: "project", Key: "project", Value: s.Event.Project.ID, Via: s.Event.ID})
		}
	}
	for i := range events {
		e := &events[i]
		a := e.Actor
		switch {
		case h.Kind == "api_key" && a.APIKey != nil && a.APIKey.ID == h.ID:
			k := a.APIKey
			add(Link{Role: "owner", Key: "actor", Value: k.User.ID, Kind: "user", Via: e.ID})
			add(Link{Role: "owner", Key: "actor", Value: k.User.Email, Kind: "user", Via: e.ID})
			add(Link{Role: "owner", Key: "actor", Value: k.ServiceAccountID, Kind: "service_account", Via: e.ID})
		case h.Kind == "user" && e.Type == "invite.accepted" && a.Session != nil && a.Session.User.ID == h.ID:
			for _, id := range e.ResourceIDs() {
				add(Link{Role: "joined through invite", Key: "resource", Value: id, Kind: "invite", Via: e.ID})
			}
		}
	}
	return out
}

// fieldOf is the string value a step's event set for field.
func fieldOf(s Step, field string) (string, bool) {
	for _, c := range s.Changes {
		if c.Field == field && c.After != nil {
			if v := gjson.ParseBytes(c.After); v.Type == gjson.String && v.Str != "" {
				return v.Str, true
			}
		}
	}
	return "", false
}
