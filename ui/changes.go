package ui

import (
	"fmt"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/history"
)

// renderChanges adds what the event did to each object it names, read
// from the object's history: every field it set as before → after (the
// before being what the latest earlier event set, or why it is not known),
// the object's linked objects, and how long its timeline is.
func renderChanges(d *detailDoc, e *model.Event, v detailView) {
	if v.history == nil {
		return
	}
	for _, id := range detailObjects(e) {
		h := v.history(id)
		s := h.Find(e.ID)
		if s == nil {
			continue
		}
		if s.Kind != history.Created && len(s.Changes) > 0 {
			d.section("Before → after · " + h.Title())
			pairs := make([][2]string, 0, len(s.Changes))
			unknown := false
			for _, c := range s.Changes {
				pairs = append(pairs, [2]string{c.Field, c.Describe()})
				unknown = unknown || !c.BeforeKnown
			}
			d.group(1, pairs, d.s.DetailValue)
			if unknown && v.canFetch != nil && v.canFetch(id) {
				d.text(d.s.DetailMuted, "  not all loaded? H, then m, asks the API for this object's whole history")
			}
		}
		if len(h.Links) > 0 {
			d.section("Linked · H to pivot")
			pairs := make([][2]string, 0, len(h.Links))
			for _, l := range h.Links {
				pairs = append(pairs, [2]string{l.Role, linkText(l)})
			}
			d.group(1, pairs, d.s.DetailValue)
		}
		if len(h.Steps) < 2 && len(h.Links) == 0 {
			continue // nothing more to tell than the event itself
		}
		d.text(d.s.DetailMuted, fmt.Sprintf("  %s: %s since %s · H: its timeline", h.Title(), plural(len(h.Steps), "event"), h.KnownSince.UTC().Format("2006-01-02")))
	}
}

// linkText is a linked object's id and kind.
func linkText(l history.Link) string {
	if l.Kind == "" {
		return l.Value
	}
	return l.Value + " (" + l.Kind + ")"
}
