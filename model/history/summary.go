package history

import "github.com/auditui/auditui/model"

// Before is the state of the event's object just before the event, in its
// current life; empty when the event is not in the history or began a life.
func (h *History) Before(eventID string) State {
	for i := range h.Steps {
		s := &h.Steps[i]
		if s.Event.ID != eventID {
			continue
		}
		if i == 0 || s.Kind == Created || h.Steps[i-1].Life != s.Life {
			return State{}
		}
		return h.Steps[i-1].State
	}
	return State{}
}

// Summary is model.Summary saying "from X to Y" for each changed scalar
// field whose value in before is known: "changed the role of user bob from
// reader to owner". Without a known before it is model.Summary's text. It
// is not sanitised.
func Summary(e *model.Event, before State) string {
	if len(before.Fields) == 0 || !model.ReadsBefore(e.Type) {
		return model.Summary(e)
	}
	return model.SummaryFrom(e, func(field string) (string, bool) {
		f, ok := before.Get(field)
		if !ok || !scalarJSON(f.Value) {
			return "", false
		}
		return Text(f.Value), true
	})
}

// scalarJSON reports whether a raw value is a string, number or boolean.
func scalarJSON(raw []byte) bool {
	if len(raw) == 0 {
		return false
	}
	switch raw[0] {
	case '{', '[', 'n':
		return false
	}
	return true
}
