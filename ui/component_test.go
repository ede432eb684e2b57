package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// quits reports whether cmd, run with what it batches, asks to quit.
func quits(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	switch msg := cmd().(type) {
	case tea.QuitMsg:
		return true
	case tea.BatchMsg:
		for _, c := range msg {
			if quits(c) {
				return true
			}
		}
	}
	return false
}

func TestEveryComponentClosesWithEscAndQ(t *testing.T) {
	opens := map[string]string{"help": "?", "type picker": "t", "facets": "c", "views": "v", "full screen": "enter"}
	for name, open := range opens {
		for _, closeKey := range []string{"esc", "q"} {
			m := press(t, loaded(t, 80, 24), open)
			if m.top() == nil {
				t.Fatalf("%s: %s opened nothing", name, open)
			}
			nm, cmd := m.Update(keyMsg(closeKey))
			m = nm.(*Model)
			if quits(cmd) || m.top() != nil || m.ctx.Err() != nil {
				t.Fatalf("%s: %s should close it and keep the browser; on top %T, quits %v", name, closeKey, m.top(), quits(cmd))
			}
			if m.set.Len() == 0 {
				t.Fatalf("%s: closing lost the loaded events", name)
			}
		}
	}
	_, cmd := loaded(t, 80, 24).Update(keyMsg("q"))
	if !quits(cmd) {
		t.Fatal("q in the plain list should quit")
	}
}

func TestQueryBarTakesQAndCtrlCClearsBeforeClosing(t *testing.T) {
	m := press(t, loaded(t, 80, 24), ":")
	m = typeText(t, m, "q")
	bar := topOf[*queryBar](m)
	if bar == nil || bar.input.Value() != "q" {
		t.Fatalf("q in the query bar should be typed, on top %T", m.top())
	}
	nm, cmd := m.Update(keyMsg("ctrl+c"))
	m = nm.(*Model)
	if quits(cmd) || topOf[*queryBar](m) == nil || bar.input.Value() != "" {
		t.Fatalf("ctrl+c should clear the query bar first: value %q, on top %T", bar.input.Value(), m.top())
	}
	nm, cmd = m.Update(keyMsg("ctrl+c"))
	m = nm.(*Model)
	if quits(cmd) || m.top() != nil {
		t.Fatalf("ctrl+c on an empty query bar should close it, on top %T", m.top())
	}
	if _, cmd = m.Update(keyMsg("ctrl+c")); !quits(cmd) {
		t.Fatal("ctrl+c on the list should quit")
	}
}

func TestFilterBoxCtrlCClearsBeforeClosing(t *testing.T) {
	m := press(t, loaded(t, 80, 24), "/")
	m = typeText(t, m, "login")
	all := m.set.Len()
	m = press(t, m, "ctrl+c")
	if !m.typing || m.input.Value() != "" || m.list.Len() != all {
		t.Fatalf("ctrl+c should clear the filter and keep typing: typing %v value %q rows %d of %d", m.typing, m.input.Value(), m.list.Len(), all)
	}
	nm, cmd := m.Update(keyMsg("ctrl+c"))
	m = nm.(*Model)
	if quits(cmd) || m.typing {
		t.Fatal("ctrl+c on an empty filter box should close it")
	}
}

func TestCtrlCInAPickerQuits(t *testing.T) {
	m := press(t, loaded(t, 80, 24), "t")
	if _, cmd := m.Update(keyMsg("ctrl+c")); !quits(cmd) {
		t.Fatal("ctrl+c outside an input should quit")
	}
}
