package model

import (
	"fmt"
	"path"
	"strings"
)

// EventType describes one kind of audit-log event: everything that differs
// between types is in its catalogue row, so adding a type is adding a row.
type EventType struct {
	Name        string // as on the wire, e.g. "api_key.created"
	Category    string // e.g. "API keys", "Sign-in"
	Description string // a short sentence for people
	// Tenant: the API lists the type only with tenant_only=true, and with it
	// nothing else.
	Tenant bool
	// Verb and Noun word the summary: "alice created API key key_1".
	Verb, Noun string
	Form       Form  // the sentence's shape; zero is "who verb noun" then Parts
	Parts      Parts // what the sentence goes on to say, in Parts order
	Demo       Demo  // what the synthetic organisation generates for it
}

// Demo is what the synthetic organisation (openai/fakeapi) generates for an
// event type. Its words are the generator's: see openai/fakeapi/org.go.
type Demo struct {
	// Weight is the type's share of everyday traffic, per about 700 events;
	// every type also appears once, and at random among the rest.
	Weight int
	// Actor is who acts: "" an administrator (an owner's session or key, or
	// a service account's key), "owner" an owner's session, "anyone"
	// anyone's session, "anyone-or-attacker" the same from a foreign address
	// now and then. Payload values such as $key.live may choose instead.
	Actor string
	// Scoped puts the event in a project: the one the payload names
	// ($project.id, a key's, a service account's), else one at random.
	Scoped bool
	// Payload is the payload's JSON with $values the generator fills in
	// ("$id(cert_,24)", "$pick(a,b)"); a $value names one value per record.
	// Empty means {"id":"$generic"}: an id named after the type's noun.
	Payload string
}

var catalogueIndex = func() map[string]int {
	m := make(map[string]int, len(catalogue))
	for i, t := range catalogue {
		m[t.Name] = i
	}
	return m
}()

// EventTypes returns every known event type in catalogue order.
func EventTypes() []EventType { return append([]EventType(nil), catalogue...) }

// LookupType returns the catalogue entry for name. Unknown types (newer than
// this build) get the category "Other" and ok is false; they still display.
func LookupType(name string) (t EventType, ok bool) {
	if i, ok := catalogueIndex[name]; ok {
		return catalogue[i], true
	}
	return EventType{Name: name, Category: CategoryOther, Description: "An event type this version of auditui does not know",
		Tenant: strings.HasPrefix(name, "tenant."), Form: formUnknown}, false
}

// CategoryOther holds event types missing from the catalogue.
const CategoryOther = "Other"

// IsTenantType reports whether the API treats t as tenant-scoped: it lists
// these only with tenant_only=true, and with it nothing else.
// The catalogue's Tenant flag says so; a type newer than this build is
// tenant-scoped when its name starts with "tenant.".
func IsTenantType(t string) bool {
	et, _ := LookupType(t)
	return et.Tenant
}

// ExpandTypes turns type names and globs ("api_key.*", "login.*") into the
// exact type names the API accepts, in catalogue order per pattern. In a glob
// "*" matches any run of characters, dots included, and "?" exactly one. A
// plain name passes through even when unknown, so a newer type can still be
// asked for; a glob that matches nothing in the catalogue is an error.
func ExpandTypes(patterns []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, p := range patterns {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !strings.ContainsAny(p, "*?[") {
			add(p)
			continue
		}
		if err := globErr(p); err != nil {
			return nil, err
		}
		n := 0
		for _, t := range catalogue {
			if globMatch(p, t.Name) {
				add(t.Name)
				n++
			}
		}
		if n == 0 {
			return nil, fmt.Errorf("no known event type matches %q", p)
		}
	}
	return out, nil
}

// globMatch is the one glob used for event types, on the command line and
// in the filter box: path.Match's syntax ("*", "?", "[a-z]", "\\"), with "*"
// spanning dots since types have no "/" for it to stop at.
func globMatch(pattern, name string) bool {
	ok, _ := path.Match(globSafe(pattern), globSafe(name))
	return ok
}

// globSafe hides "/" from path.Match, whose "*" would otherwise stop there.
func globSafe(s string) string { return strings.ReplaceAll(s, "/", "\x00") }

// globErr says why pattern is not a usable glob, or nil.
func globErr(pattern string) error {
	if _, err := path.Match(globSafe(pattern), ""); err != nil {
		return fmt.Errorf("%q is not a valid pattern: check its [ ] brackets", pattern)
	}
	return nil
}
