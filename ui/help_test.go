package ui

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
)

// helpSizes are the sizes the help is tried at, the smallest included.
var helpSizes = [][2]int{{40, 12}, {80, 24}, {200, 50}}

// Every key of every binding in the KeyMap is in the full help, under an
// entry that names it: the help cannot drift from what the code matches.
func TestFullHelpListsEveryKey(t *testing.T) {
	k := DefaultKeyMap()
	var entries []key.Binding
	for _, s := range helpSections(k) {
		entries = append(entries, s.keys...)
	}
	shown := map[string]string{"up": "↑", "down": "↓", "pgdown": "pgdn", "mouse": "wheel"}
	v := reflect.ValueOf(k)
	for i := range v.NumField() {
		b := v.Field(i).Interface().(key.Binding)
		for _, name := range b.Keys() {
			want := name
			if s, ok := shown[name]; ok {
				want = s
			}
			found := false
			for _, e := range entries {
				if strings.Contains(e.Help().Key, want) && containsKey(e.Keys(), name) {
					found = true
				}
			}
			if !found {
				t.Errorf("KeyMap.%s: key %q is not named in the full help", v.Type().Field(i).Name, name)
			}
		}
	}
}

func containsKey(keys []string, k string) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}

// The full help scrolls to its end at every size, 40x12 included, and
// every line seen on the way fits the screen.
func TestFullHelpScrollsAtEverySize(t *testing.T) {
	for _, sz := range helpSizes {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			m := press(t, loaded(t, sz[0], sz[1]), "?")
			seen := screenText(m)
			for range 40 {
				m = press(t, m, "pgdown")
				s := screenText(m)
				assertFits(t, s, sz[0], sz[1])
				seen += s
			}
			for _, want := range []string{"Facets (c)", "Query bar", "Pickers", "exclude the value", "this type", "all/none", "wheel/click", "shift+tab", "backspace", "pgdn/f", "mark/unmark", "space/x", "close"} {
				if !strings.Contains(seen, want) {
					t.Errorf("scrolling the help never showed %q", want)
				}
			}
			if !onTop[*helpView](m) {
				t.Fatal("paging closed the help")
			}
			m = press(t, m, "q")
			if m.top() != nil || strings.Contains(screenText(m), "Facets (c)") {
				t.Fatal("q did not close the help back to the list")
			}
		})
	}
}

// ? help stays on the bottom line at every width, whatever is open.
func TestHelpKeyAlwaysOnTheBottomLine(t *testing.T) {
	for _, sz := range helpSizes {
		for _, keys := range [][]string{nil, {"c"}, {"t"}, {"tab"}} {
			m := press(t, loaded(t, sz[0], sz[1]), keys...)
			lines := strings.Split(screenText(m), "\n")
			last := strings.TrimRight(lines[len(lines)-1], " ")
			if !strings.HasSuffix(last, "? help") {
				t.Errorf("%dx%d after %v: the bottom line is %q", sz[0], sz[1], keys, last)
			}
		}
	}
}

// The bottom line follows the focus, and ? in the facets opens the help
// at the facets' keys.
func TestHelpFollowsWhereYouAre(t *testing.T) {
	m := loaded(t, 80, 24)
	list := lastLine(m)
	m = press(t, m, "tab")
	if detail := lastLine(m); detail == list || !strings.Contains(detail, "back to the list") {
		t.Fatalf("the bottom line did not change with the focus: %q", detail)
	}
	m = press(t, m, "tab", "c", "?")
	if !onTop[*helpView](m) {
		t.Fatal("? in the facets did not open the help")
	}
	if first := strings.TrimSpace(strings.Split(screenText(m), "\n")[1]); first != "Facets (c)" {
		t.Fatalf("the help opened from the facets starts with %q", first)
	}
	m = press(t, m, "esc")
	if !onTop[*facetsPanel](m) {
		t.Fatal("closing the help did not return to the facets")
	}
}

func lastLine(m *Model) string {
	lines := strings.Split(screenText(m), "\n")
	return lines[len(lines)-1]
}
