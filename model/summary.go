package model

import "strings"

// Summary is a one-line sentence for people about what happened. The text
// comes from the API and is not sanitised here: the UI does that.
func Summary(e *Event) string {
	who := e.Actor.Label()
	if who == "" {
		who = "someone"
	}
	t, _ := LookupType(e.Type)
	what := strings.ToLower(t.Description)
	if ids := e.ResourceIDs(); len(ids) > 0 {
		what += " " + ids[0]
	}
	return who + ": " + what
}
