package history

import (
	"encoding/json"
	"io"
	"time"
)

// stepJSON is one step as --format json writes it.
type stepJSON struct {
	EventID     string       `json:"event_id"`
	Type        string       `json:"type"`
	EffectiveAt string       `json:"effective_at"`
	Actor       string       `json:"actor,omitempty"`
	IPAddress   string       `json:"ip_address,omitempty"`
	Kind        string       `json:"kind"`
	Life        int          `json:"life"`
	Changes     []changeJSON `json:"changes"`
	State       State        `json:"state"`
	Deleted     bool         `json:"deleted"`
}

type changeJSON struct {
	Field string `json:"field"`
	// Before is absent when unknown, then BeforeUnknownSince says from when
	// the log is known.
	Before             json.RawMessage `json:"before,omitempty"`
	BeforeKnown        bool            `json:"before_known"`
	BeforeSetBy        string          `json:"before_set_by,omitempty"`
	BeforeUnknownSince string          `json:"before_unknown_since,omitempty"`
	New                bool            `json:"new,omitempty"`
	After              json.RawMessage `json:"after,omitempty"`
	Added              []string        `json:"added,omitempty"`
	Removed            []string        `json:"removed,omitempty"`
}

// WriteJSON writes the steps as a JSON array, oldest first: each with the
// event's id, type, time and actor, what it changed and the state after it.
// Values are exactly as the events sent them.
func WriteJSON(w io.Writer, h *History) error {
	out := make([]stepJSON, 0, len(h.Steps))
	for _, s := range h.Steps {
		j := stepJSON{
			EventID: s.Event.ID, Type: s.Event.Type,
			EffectiveAt: s.Event.EffectiveAt.UTC().Format(time.RFC3339),
			Actor:       s.Event.Actor.Label(), IPAddress: s.Event.Actor.IP(),
			Kind: s.Kind.String(), Life: s.Life, State: s.State, Deleted: s.State.Deleted,
			Changes: make([]changeJSON, 0, len(s.Changes)),
		}
		for _, c := range s.Changes {
			cj := changeJSON{Field: c.Field, Before: c.Before, BeforeKnown: c.BeforeKnown, BeforeSetBy: c.BeforeBy,
				New: c.Created, After: c.After, Added: c.Added, Removed: c.Removed}
			if !c.BeforeKnown && !c.Created {
				cj.BeforeUnknownSince = day(c.Since)
			}
			j.Changes = append(j.Changes, cj)
		}
		out = append(out, j)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
