package model

import (
	"slices"
	"time"
	"unsafe"

	"github.com/tidwall/gjson"
)

// Filter is what the audit-log endpoint can filter on. Values of one field are
// ORed, fields are ANDed, an empty field does not filter: the API's semantics,
// which Match reproduces for offline files and the fake API.
type Filter struct {
	Types       []string // exact event types; globs are expanded before this
	ActorIDs    []string // user, service account or API key ids
	ActorEmails []string // users' emails
	ProjectIDs  []string // project ids
	ResourceIDs []string // ids of the objects acted on
	// IPs are actor addresses, each as CanonicalIP spells it. The API has
	// no such filter, so its client leaves them out and the query plan
	// checks ip: terms locally; a store with an IP column narrows by them.
	IPs        []string
	Since      time.Time // inclusive; zero means unbounded
	Until      time.Time // exclusive; zero means unbounded
	TenantOnly bool
}

// IsZero reports whether the filter lets every event through.
func (f Filter) IsZero() bool {
	return len(f.Types) == 0 && len(f.ActorIDs) == 0 && len(f.ActorEmails) == 0 &&
		len(f.ProjectIDs) == 0 && len(f.ResourceIDs) == 0 && len(f.IPs) == 0 && f.Since.IsZero() &&
		f.Until.IsZero() && !f.TenantOnly
}

// Match reports whether e passes the filter.
func (f Filter) Match(e *Event) bool {
	if len(f.Types) > 0 && !slices.Contains(f.Types, e.Type) {
		return false
	}
	if !f.Since.IsZero() && e.EffectiveAt.Before(f.Since) {
		return false
	}
	if !f.Until.IsZero() && !e.EffectiveAt.Before(f.Until) {
		return false
	}
	if len(f.ProjectIDs) > 0 && !slices.Contains(f.ProjectIDs, e.Project.ID) {
		return false
	}
	// Emails are compared exactly, case included: the API does not say it
	// folds case, and a server that does not would return nothing for an
	// address in another case, so a query must mean the same here.
	if len(f.ActorEmails) > 0 && (e.Actor.Email() == "" || !slices.Contains(f.ActorEmails, e.Actor.Email())) {
		return false
	}
	if len(f.ActorIDs) > 0 && !slices.ContainsFunc(e.Actor.IDs(), func(id string) bool { return slices.Contains(f.ActorIDs, id) }) {
		return false
	}
	if len(f.ResourceIDs) > 0 && !slices.ContainsFunc(e.ResourceIDs(), func(id string) bool { return slices.Contains(f.ResourceIDs, id) }) {
		return false
	}
	if len(f.IPs) > 0 && !slices.Contains(f.IPs, CanonicalIP(e.Actor.IP())) {
		return false
	}
	if f.TenantOnly && !IsTenantType(e.Type) {
		return false
	}
	return true
}

// ResourceIDs returns the ids of the objects the event acted on: the payload's
// id, and the ids of the certificates or configs it lists.
func (e *Event) ResourceIDs() []string {
	if len(e.Payload) == 0 {
		return nil
	}
	// Payload aliases Raw, which is never modified: view it without a copy.
	p := gjson.Parse(unsafe.String(&e.Payload[0], len(e.Payload)))
	var ids []string
	if id := p.Get("id"); id.Type == gjson.String && id.Str != "" {
		ids = append(ids, id.Str)
	}
	for _, list := range []string{"certificates", "configs"} {
		p.Get(list).ForEach(func(_, v gjson.Result) bool {
			if id := v.Get("id").String(); id != "" {
				ids = append(ids, id)
			}
			return true
		})
	}
	return ids
}
