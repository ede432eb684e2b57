package history

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Describe says in one line what the change did to its field: "reader →
// owner", "added api.files.write; removed api.model.read", "Acme (new)",
// "owner (before: not in the log since 2026-09-02)". It is not sanitised.
func (c Change) Describe() string {
	moved := movedText(c.Added, c.Removed)
	switch {
	case c.Created:
		return Text(c.After) + " (new)"
	case c.After == nil:
		return moved + " (before: " + c.BeforeText() + ")"
	case !c.BeforeKnown:
		return Text(c.After) + " (before: " + c.BeforeText() + ")"
	case c.Unchanged():
		return Text(c.After) + " (unchanged)"
	case isList(c.Before) && isList(c.After) && moved != "":
		return moved
	}
	return Text(c.Before) + " → " + Text(c.After)
}

func movedText(added, removed []string) string {
	var parts []string
	if len(added) > 0 {
		parts = append(parts, "added "+strings.Join(added, ", "))
	}
	if len(removed) > 0 {
		parts = append(parts, "removed "+strings.Join(removed, ", "))
	}
	return strings.Join(parts, "; ")
}

// Title names the object for people: "API key key_abc", "user user-abc".
func (h *History) Title() string {
	if h.ID == Organization {
		return "the organisation"
	}
	if h.Kind == "" {
		return h.ID
	}
	return strings.ReplaceAll(h.Kind, "_", " ") + " " + h.ID
}

// WriteText writes the timeline for a terminal: a heading, the linked
// objects, then per event when, what, who and from where, each field it set
// and the state after it. Every text from the log passes through clean.
func WriteText(w io.Writer, h *History, clean func(string) string) error {
	var b strings.Builder
	lives := ""
	if n := h.Lives(); n > 1 {
		lives = fmt.Sprintf(", %d lives", n)
	}
	fmt.Fprintf(&b, "%s: %d events%s; the log is known since %s\n", clean(h.Title()), len(h.Steps), lives, day(h.KnownSince))
	for _, l := range h.Links {
		fmt.Fprintf(&b, "  linked: %s\n", clean(l.Describe()))
	}
	life := 1
	for _, s := range h.Steps {
		if s.Life != life {
			life = s.Life
			fmt.Fprintf(&b, "\n-- life %d\n", life)
		}
		b.WriteByte('\n')
		fmt.Fprintf(&b, "%s  %s  %s\n", s.Event.EffectiveAt.UTC().Format(time.RFC3339), clean(s.Event.Type), clean(s.Event.ID))
		if who := s.Who(); who != "" {
			fmt.Fprintf(&b, "  by %s\n", clean(who))
		}
		for _, c := range s.Changes {
			fmt.Fprintf(&b, "  %s: %s\n", clean(c.Field), clean(c.Describe()))
		}
		switch {
		case s.Kind == Unknown:
			b.WriteString("  (a type this version does not know: it changes nothing here)\n")
		case s.Kind == Deleted:
			b.WriteString("  (deleted)\n")
		}
		fmt.Fprintf(&b, "  state after: %s\n", clean(s.State.Text()))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Who says who acted and from where: "alice@example.com from 198.51.100.7
// (US)".
func (s Step) Who() string {
	a := s.Event.Actor
	who := a.Label()
	if ip := a.IP(); ip != "" {
		if who == "" {
			who = "someone"
		}
		who += " from " + ip
		if c := a.Country(); c != "" {
			who += " (" + c + ")"
		}
	}
	return who
}

// Text is the state on one line: "role=owner; scopes=a, b", "(nothing
// known)", with "deleted" when the life has ended.
func (s State) Text() string {
	var parts []string
	for _, f := range s.Fields {
		parts = append(parts, f.Name+"="+Text(f.Value))
	}
	if s.Deleted {
		parts = append(parts, "deleted")
	}
	if len(parts) == 0 {
		return "(nothing known)"
	}
	return strings.Join(parts, "; ")
}

// Describe names a link: "owner ann@example.com (user)".
func (l Link) Describe() string {
	s := l.Role + " " + l.Value
	if l.Kind != "" {
		s += " (" + l.Kind + ")"
	}
	return s
}
