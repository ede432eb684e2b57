package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/query"
	"github.com/auditui/auditui/model/sanitize"
)

// hostileActor is an email that ends a bracketed paste, runs a command,
// reverses the text and hides a tag character and a zero-width space.
const hostileActor = "x\x1b[201~\ntouch pwned\n\u202eevil\U000e0041\u200b\u0085\x9b@example.com"

func hostileActorEvent(t *testing.T) model.Event {
	t.Helper()
	raw := `{"id":"audit_log-q","type":"login.succeeded","effective_at":1720814100,"actor":{"type":"session","session":{"user":{"id":"u","email":` +
		strings.NewReplacer("\x1b", `\u001b`, "\n", `\n`).Replace(`"`+hostileActor+`"`) + `}}}}`
	e, err := model.DecodeEvent([]byte(raw))
	if err != nil || e.Actor.Email() != hostileActor {
		t.Fatalf("decode %q: %v, email %q", raw, err, e.Actor.Email())
	}
	return e
}

// checkDrawn fails when a line of the screen holds a character the
// sanitiser would not draw as itself.
func checkDrawn(t *testing.T, m *Model) {
	t.Helper()
	for line := range strings.SplitSeq(screenText(m), "\n") {
		if d := sanitize.Display(line); d != line {
			t.Fatalf("the screen shows a raw hidden character:\n%q\ndrawn safely it is\n%q", line, d)
		}
	}
}

// TestQueryBarHoldsEscapes: after a pivot on a hostile actor, the bar holds
// the escaped term, draws nothing raw, and enter on the unchanged bar puts
// the same query in force, which still selects the event.
func TestQueryBarHoldsEscapes(t *testing.T) {
	e := hostileActorEvent(t)
	m := feed(t, newTestModel(&pagedSource{}, 120, 30), []model.Event{e}, 10)
	nm, cmd := m.Update(keyMsg("A"))
	m = settle(t, nm.(*Model), cmd)
	pivoted := m.query.text
	if q, err := query.Parse(pivoted, m.query.anchor); err != nil || !q.Match(&e) {
		t.Fatalf("the pivot wrote %q (%v), which does not select the event", pivoted, err)
	}
	m = press(t, m, ":")
	bar, ok := m.top().(*queryBar)
	if !ok {
		t.Fatal(": did not open the query bar")
	}
	if v := bar.input.Value(); sanitize.Display(v) != v || !strings.Contains(v, `\u202e`) {
		t.Fatalf("the bar holds %q, not the escaped term", v)
	}
	checkDrawn(t, m)
	nm, cmd = m.Update(keyMsg("enter"))
	m = settle(t, nm.(*Model), cmd)
	if m.top() != nil {
		t.Fatalf("enter did not apply the query: %s", m.queryErr)
	}
	before, _ := query.Parse(pivoted, m.query.anchor)
	after, err := query.Parse(m.query.text, m.query.anchor)
	if err != nil || !after.Equal(before) || !after.Match(&e) {
		t.Fatalf("enter on the unchanged bar put %q in force (%v), want the pivot's %q", m.query.text, err, pivoted)
	}
}

// TestQueryBarEscapesWhatIsPasted: controls and BiDi characters pasted or
// typed arrive as escapes, so the query means what was pasted.
func TestQueryBarEscapesWhatIsPasted(t *testing.T) {
	m := feed(t, newTestModel(&pagedSource{}, 120, 30), []model.Event{hostileActorEvent(t)}, 10)
	m = press(t, m, ":")
	m = send(m, tea.PasteMsg{Content: "actor:\"a\x1bb\u009b\"\nevil\u202e"})
	m = send(m, tea.KeyPressMsg{Code: 0x2066, Text: "\u2066"}, tea.KeyPressMsg{Code: 'x', Text: "x"})
	bar := m.top().(*queryBar)
	v := bar.input.Value()
	if want := `actor:"a\x1bb\u009b" evil\u202e\u2066x`; v != want {
		t.Fatalf("the bar holds %q, want %q", v, want)
	}
	q, err := query.Parse(v, m.query.anchor)
	if err != nil || q.Terms()[0].Value != "a\x1bb\u009b" || q.Terms()[1].Value != "evil\u202e\u2066x" {
		t.Fatalf("%q parses to %v (%v)", v, q.Terms(), err)
	}
	checkDrawn(t, m)
}
