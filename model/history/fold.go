package history

import (
	"encoding/json"
	"strings"
	"time"
	"unsafe"

	"github.com/tidwall/gjson"

	"github.com/auditui/auditui/model"
)

// State is what is known of an object after an event: the fields set so far
// in its current life, in the order first set.
type State struct {
	Fields  []Field
	Deleted bool // the life ended with this event or an earlier one
}

// Field is one known field of an object and the event that set its value.
type Field struct {
	Name  string          // a payload key; nested keys joined with dots
	Value json.RawMessage // exactly as the event sent it
	SetBy string          // id of the event that set it
	SetAt time.Time
}

// Get returns the field named name, or false when no event set it.
func (s State) Get(name string) (Field, bool) {
	for _, f := range s.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

func (s *State) set(f Field) {
	for i := range s.Fields {
		if s.Fields[i].Name == f.Name {
			s.Fields[i] = f
			return
		}
	}
	s.Fields = append(s.Fields, f)
}

// MarshalJSON writes the fields as one object in the order first set, each
// value exactly as sent.
func (s State) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, f := range s.Fields {
		if i > 0 {
			b = append(b, ',')
		}
		k, _ := json.Marshal(f.Name)
		b = append(append(b, k...), ':')
		b = append(b, f.Value...)
	}
	return append(b, '}'), nil
}

// Change is one field an event set, with the value before it.
type Change struct {
	Field string
	// After is the value the event set; nil when the event only added or
	// removed list items and the list before is unknown.
	After json.RawMessage
	// Before is the value set by the latest earlier event of this life that
	// set the field, with that event; BeforeKnown is false when none did.
	Before      json.RawMessage
	BeforeKnown bool
	BeforeBy    string
	BeforeAt    time.Time
	// Created marks a field set by the event that created the object: there
	// was no before.
	Created bool
	// Since is, when the before is unknown, the date from which the log is
	// known for this life: when the log starts, or when the object was
	// created without the field (SinceCreated).
	Since        time.Time
	SinceCreated bool
	// Added and Removed are the items of a list of scalars that the event
	// added and removed, when that is known.
	Added, Removed []string
}

// Unchanged reports whether the event set the value the field already had.
func (c Change) Unchanged() bool {
	return c.BeforeKnown && c.After != nil && sameJSON(c.Before, c.After)
}

// BeforeText says what the field was before: its value as one line, or why
// it is not known. It is not sanitised.
func (c Change) BeforeText() string {
	switch {
	case c.Created:
		return "(new)"
	case c.BeforeKnown:
		return Text(c.Before)
	case c.SinceCreated:
		return "not in the log since it was created on " + day(c.Since)
	}
	return "not in the log since " + day(c.Since)
}

func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// folder walks one object's events oldest first.
type folder struct {
	id      string
	since   time.Time // when the log is known from
	life    int
	created time.Time // when the current life began, zero when before the log
	state   State
}

// deltas are the keys of role.updated (the one type that documents them)
// that add to or remove from a list instead of setting it.
var deltas = map[string]struct {
	field string
	add   bool
}{
	"permissions_added":   {"permissions", true},
	"permissions_removed": {"permissions", false},
}

// activation are the types that switch listed objects on or off.
var activation = map[string]bool{
	"certificates.activated":          true,
	"certificates.deactivated":        false,
	"ip_allowlist.config.activated":   true,
	"ip_allowlist.config.deactivated": false,
}

func (f *folder) step(e *model.Event) Step {
	kind := lifeOf(e.Type)
	if _, known := model.LookupType(e.Type); !known {
		kind = Unknown
	}
	if f.life == 0 || kind == Created {
		f.life++
		f.state = State{}
		f.created = time.Time{}
		if kind == Created {
			f.created = e.EffectiveAt
		}
	}
	s := Step{Event: e, Kind: kind, Life: f.life}
	if kind != Unknown {
		for _, a := range assignments(e, f.id) {
			s.Changes = append(s.Changes, f.apply(e, a, kind == Created))
		}
		if kind == Deleted {
			f.state.Deleted = true
		}
	}
	s.State = State{Fields: append([]Field(nil), f.state.Fields...), Deleted: f.state.Deleted}
	return s
}

// assignment is one field an event sets: a value, or items added to or
// removed from a list (delta > 0 or < 0).
type assignment struct {
	field string
	value gjson.Result
	delta int
}

// assignments are the fields e sets on the object id, in the order sent:
// the payload's own members, data's and changes_requested's (nested keys
// joined with dots), or for an object listed in certificates[] or
// configs[], its name and whether it is active.
func assignments(e *model.Event, id string) []assignment {
	if len(e.Payload) == 0 || e.Payload[0] != '{' {
		return nil
	}
	// Payload aliases Raw, which is never modified: view it without a copy.
	p := gjson.Parse(unsafe.String(&e.Payload[0], len(e.Payload)))
	var out []assignment
	pid := p.Get("id")
	if own := pid.Type == gjson.String && pid.Str == id || id == Organization && !pid.Exists(); !own {
		return listed(p, e.Type, id)
	}
	p.ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "id", "certificates", "configs":
		case "data", "changes_requested":
			if v.IsObject() {
				v.ForEach(func(k, v gjson.Result) bool {
					if d, ok := deltas[k.Str]; ok && e.Type == "role.updated" && v.IsArray() {
						out = append(out, assignment{field: d.field, value: v, delta: sign(d.add)})
						return true
					}
					out = flatten(out, k.Str, v, 0)
					return true
				})
			}
		default:
			out = flatten(out, k.Str, v, 0)
		}
		return true
	})
	return out
}

func sign(add bool) int {
	if add {
		return 1
	}
	return -1
}

// listed is what a certificates[] or configs[] event says of one of its items.
func listed(p gjson.Result, typ, id string) []assignment {
	var out []assignment
	for _, key := range []string{"certificates", "configs"} {
		p.Get(key).ForEach(func(_, it gjson.Result) bool {
			if it.Get("id").String() != id {
				return true
			}
			if n := it.Get("name"); n.Exists() {
				out = append(out, assignment{field: "name", value: n})
			}
			if on, ok := activation[typ]; ok {
				out = append(out, assignment{field: "active", value: gjson.Result{Type: boolType(on), Raw: boolRaw(on)}})
			}
			return true
		})
	}
	return out
}

func boolType(b bool) gjson.Type {
	if b {
		return gjson.True
	}
	return gjson.False
}

func boolRaw(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// maxDepth bounds how deep nested objects are split into dotted fields;
// deeper values are one field.
const maxDepth = 16

func flatten(out []assignment, field string, v gjson.Result, depth int) []assignment {
	if v.IsObject() && depth < maxDepth && strings.TrimSpace(v.Raw[1:len(v.Raw)-1]) != "" {
		v.ForEach(func(k, x gjson.Result) bool {
			out = flatten(out, field+"."+k.Str, x, depth+1)
			return true
		})
		return out
	}
	return append(out, assignment{field: field, value: v})
}

// apply sets one field and says what changed.
func (f *folder) apply(e *model.Event, a assignment, created bool) Change {
	c := Change{Field: a.field, Created: created}
	before, known := f.state.Get(a.field)
	if known {
		c.Before, c.BeforeKnown, c.BeforeBy, c.BeforeAt = before.Value, true, before.SetBy, before.SetAt
	} else if !created {
		c.Since, c.SinceCreated = f.since, false
		if !f.created.IsZero() {
			c.Since, c.SinceCreated = f.created, true
		}
	}
	if a.delta != 0 {
		items := elements(a.value)
		if a.delta > 0 {
			c.Added = texts(items)
		} else {
			c.Removed = texts(items)
		}
		if !known || !isList(before.Value) {
			return c // the whole list is not known: only what moved
		}
		next, added, removed := applyDelta(elements(gjson.ParseBytes(before.Value)), items, a.delta > 0)
		c.Added, c.Removed = added, removed
		c.After = next
	} else {
		c.After = json.RawMessage(a.value.Raw)
		if known && isList(before.Value) && a.value.IsArray() {
			c.Added, c.Removed = diff(elements(gjson.ParseBytes(before.Value)), elements(a.value))
		}
	}
	f.state.set(Field{Name: a.field, Value: c.After, SetBy: e.ID, SetAt: e.EffectiveAt})
	return c
}
