// Package history reconstructs what happened to one object (an API key, a
// user, a project, a role, the organisation's settings) from the audit-log
// events that name it. The API records only what a change asked for, never
// the old value, so the state after each event is the fold of the object's
// earlier events: the data of its creation and every change requested since.
// Nothing is guessed: a value no event in the log set is reported as unknown,
// with the date from which the log is known.
package history

import (
	"bytes"
	"cmp"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/auditui/auditui/model"
)

// Organization stands for the organisation in an organisation-level event
// that names no id.
const Organization = "organization"

// History is the timeline of one object, oldest event first.
type History struct {
	ID    string
	Kind  string // the object's noun from its events' types, e.g. "api_key", "role.assignment"
	Steps []Step
	// KnownSince is when the log the history was built from starts: before
	// it, nothing is known.
	KnownSince time.Time
	Links      []Link
}

// StepKind says what an event did to its object's life.
type StepKind int

// The kinds of step.
const (
	Changed StepKind = iota // set fields, or named the object without changing its life
	Created                 // began a life: *.created, *.added, invite.sent, *.registered
	Deleted                 // ended a life: *.deleted, *.removed
	Unknown                 // an event type this build does not know: shown, contributing no state
)

func (k StepKind) String() string {
	switch k {
	case Created:
		return "created"
	case Deleted:
		return "deleted"
	case Unknown:
		return "unknown"
	}
	return "changed"
}

// Step is one event in an object's timeline and the object's state after it.
type Step struct {
	Event   *model.Event
	Kind    StepKind
	Life    int // 1 for the first life in the log; a re-creation starts the next
	Changes []Change
	State   State
}

// Build returns the history of the object id among events, which may hold
// anything (the events of other objects are ignored). Events may come in any
// order; those in the same second keep the order given, which is taken to be
// the API's (newest first). An event repeated (the same id) counts once.
// knownSince is when the log is known from (a store's coverage, else the
// oldest loaded event); zero means the oldest of events.
func Build(id string, events []model.Event, knownSince time.Time) *History {
	h := &History{ID: id}
	var mine []int
	oldest := time.Time{}
	for i := range events {
		e := &events[i]
		if oldest.IsZero() || e.EffectiveAt.Before(oldest) {
			oldest = e.EffectiveAt
		}
		if Names(e, id) {
			mine = append(mine, i)
		}
	}
	order := Chronological(events, mine)
	h.KnownSince = cmp.Or(knownSince, oldest)
	if len(order) > 0 && events[order[0]].EffectiveAt.Before(h.KnownSince) {
		// An event older than the coverage given: the log reaches back to it.
		h.KnownSince = events[order[0]].EffectiveAt
	}
	f := folder{id: id, since: h.KnownSince}
	for _, i := range order {
		h.Steps = append(h.Steps, f.step(&events[i]))
	}
	h.Kind = kindOf(h.Steps, id)
	h.Links = links(h, events)
	return h
}

// Chronological orders the events at indices oldest first: by time, and
// within a second in the reverse of the order given (the API lists newest
// first). Repeated event ids are dropped, keeping the first given.
func Chronological(events []model.Event, indices []int) []int {
	seen := make(map[string]bool, len(indices))
	out := make([]int, 0, len(indices))
	for _, i := range indices {
		if id := events[i].ID; id != "" {
			if seen[id] {
				continue
			}
			seen[id] = true
		}
		out = append(out, i)
	}
	slices.SortStableFunc(out, func(a, b int) int {
		if c := events[a].EffectiveAt.Compare(events[b].EffectiveAt); c != 0 {
			return c
		}
		return cmp.Compare(b, a)
	})
	return out
}

// Objects returns the ids of the objects e acted on: the payload's id and the
// ids of the certificates or configs it lists (what the API's resource_ids[]
// filter reads), or Organization for an organisation-level event that names
// none.
func Objects(e *model.Event) []string {
	ids := e.ResourceIDs()
	if len(ids) == 0 && strings.HasPrefix(e.Type, "organization.") {
		return []string{Organization}
	}
	return ids
}

// Names reports whether e acted on the object id. Most events are ruled out
// without parsing: the id is not in the payload's bytes, and none of them is
// escaped.
func Names(e *model.Event, id string) bool {
	switch {
	case id == "":
		return false
	case id == Organization && !strings.HasPrefix(e.Type, "organization."):
		return false
	case id != Organization && !containsID(e.Payload, id):
		return false
	}
	return slices.Contains(Objects(e), id)
}

// Find returns the step of the event with the given id, or nil.
func (h *History) Find(eventID string) *Step {
	for i := range h.Steps {
		if h.Steps[i].Event.ID == eventID {
			return &h.Steps[i]
		}
	}
	return nil
}

// Lives is how many lives the object had in the log.
func (h *History) Lives() int {
	if len(h.Steps) == 0 {
		return 0
	}
	return h.Steps[len(h.Steps)-1].Life
}

// kindOf is the noun of the types of the object's events: "api_key" from
// api_key.created, "certificate" from certificates.activated.
func kindOf(steps []Step, id string) string {
	if id == Organization {
		return "organization"
	}
	for _, s := range steps {
		if s.Kind == Unknown {
			continue
		}
		if n := noun(s.Event.Type); n != "" {
			return n
		}
	}
	return ""
}

// noun is the type without its verb, with the few plural list types made
// singular.
func noun(typ string) string {
	i := strings.LastIndexByte(typ, '.')
	if i <= 0 {
		return ""
	}
	switch n := typ[:i]; n {
	case "certificates":
		return "certificate"
	case "ip_allowlist.config":
		return "ip_allowlist"
	default:
		return n
	}
}

// verb is the last word of a type: "created" in "role.assignment.created".
func verb(typ string) string { return typ[strings.LastIndexByte(typ, '.')+1:] }

// lifeOf says whether a type begins or ends a life, by its verb. A
// tenant-scoped type never does: the tenant's user or key shares its id with
// the organisation's, but is not the same membership.
func lifeOf(typ string) StepKind {
	if model.IsTenantType(typ) {
		return Changed
	}
	switch verb(typ) {
	case "created", "added", "sent", "registered":
		return Created
	case "deleted", "removed":
		return Deleted
	}
	return Changed
}

// containsID reports whether payload may name id: it holds id's bytes, or an
// escape that could spell them.
func containsID(payload []byte, id string) bool {
	return bytes.Contains(payload, unsafe.Slice(unsafe.StringData(id), len(id))) || bytes.IndexByte(payload, '\\') >= 0
}
