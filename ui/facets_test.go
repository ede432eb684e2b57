package ui

import (
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/auditui/auditui/model"
)

// facetSizes are the sizes the facets panel is tried at.
var facetSizes = [][2]int{{40, 12}, {80, 24}, {220, 55}}

// cursorAt is the line of the frame the facets cursor (▸) is on, and the
// nearest section heading above it in its column;
// -1 when there is no cursor.
func cursorAt(frame string) (int, string) {
	lines := strings.Split(frame, "\n")
	for i, l := range lines {
		col := slices.IndexFunc(strings.Split(l, " │ "), func(c string) bool { return strings.HasPrefix(c, " ▸ ") })
		if i < 2 || col < 0 {
			continue
		}
		for j := i - 1; j > 1; j-- { // line 1 is the title
			if parts := strings.Split(lines[j], " │ "); col < len(parts) && len(parts[col]) > 1 && parts[col][0] == ' ' && parts[col][1] != ' ' {
				return i, strings.Fields(parts[col])[0]
			}
		}
		return i, ""
	}
	return -1, ""
}

// The sections are reached by tab, shift+tab and their initials, a section
// opens beyond its top 8 and folds again, and a click selects, at every size.
func TestFacetsSectionsExpandAndClick(t *testing.T) {
	events := fixtureEvents(t)
	for _, sz := range facetSizes {
		m := press(t, browsing(t, newRecordingSource(events), Options{}, sz[0], sz[1]), "c")
		p := topOf[*facetsPanel](m)
		heading := func(want string) {
			t.Helper()
			if got := p.rows[p.cursor].facet.String(); got != want {
				t.Fatalf("%dx%d: cursor in %s, want %s", sz[0], sz[1], got, want)
			}
			line, h := cursorAt(screenText(m))
			if line < 0 || h != want {
				t.Fatalf("%dx%d: the frame's cursor line %d is under %q, want %s:\n%s", sz[0], sz[1], line, h, want, screenText(m))
			}
		}
		heading("category")
		m = press(t, m, "tab")
		heading("type")
		m = press(t, m, "i")
		heading("ip")
		m = press(t, m, "shift+tab")
		heading("project")
		m = press(t, m, "c")
		heading("country")
		m = press(t, m, "c")
		heading("category")
		m = press(t, m, "tab", "tab", "tab", "tab")
		heading("ip")
		// The ip section has 148 values: 8 and "140 more"; + shows them all.
		for range facetValuesShown {
			m = press(t, m, "j")
		}
		if r := p.rows[p.cursor]; !r.fold || r.hidden != 140 || !strings.Contains(screenText(m), "140 more") {
			t.Fatalf("%dx%d: the 9th line of ip should be '140 more', is %+v:\n%s", sz[0], sz[1], r, screenText(m))
		}
		m = press(t, m, "enter", "j")
		heading("ip")
		if r := p.rows[p.cursor]; r.fold || r.value.Value == "" {
			t.Fatalf("%dx%d: expanded, the line after the 8th should be the 9th address, is %+v", sz[0], sz[1], r)
		}
		if line, _ := cursorAt(screenText(m)); line < 0 || !strings.Contains(screenText(m), p.rows[p.cursor].value.Value[:6]) {
			t.Fatalf("%dx%d: the 9th address is not drawn under the cursor:\n%s", sz[0], sz[1], screenText(m))
		}
		m = press(t, m, "+")
		if r := p.rows[p.cursor]; !r.fold || r.hidden != 140 {
			t.Fatalf("%dx%d: + folds the section back to its 8 and the '140 more' line, cursor on %+v", sz[0], sz[1], r)
		}
		// A click on a value line selects it.
		m = press(t, m, "g")
		lines := strings.Split(screenText(m), "\n")
		y := -1
		for i, l := range lines {
			if i > 3 && strings.HasPrefix(l, "   ") && !strings.HasPrefix(l, "   ▾") {
				y = i
				break
			}
		}
		if y < 0 {
			t.Fatalf("%dx%d: no value line to click:\n%s", sz[0], sz[1], screenText(m))
		}
		nm, cmd := m.Update(tea.MouseClickMsg{X: 5, Y: y, Button: tea.MouseLeft})
		m = drain(t, nm.(*Model), cmd)
		if line, _ := cursorAt(screenText(m)); line != y {
			t.Fatalf("%dx%d: clicked line %d, the cursor is on line %d:\n%s", sz[0], sz[1], y, line, screenText(m))
		}
	}
}

// Each address in the ip section is labelled with the country its loaded
// sessions gave (ip_address_details.country), and only when one did.
func TestFacetsIPsShowTheirCountry(t *testing.T) {
	events := fixtureEvents(t)
	for _, sz := range facetSizes {
		m := press(t, browsing(t, newRecordingSource(events), Options{}, sz[0], sz[1]), "c", "i", "+")
		m = toFacet(t, m, model.FacetIP, func(v string) bool { return v == "203.0.113.7" })
		frame := screenText(m)
		line, _ := cursorAt(frame)
		if line < 0 || !strings.Contains(strings.Split(frame, "\n")[line], "▸ 203.0.113.7 (DE)") {
			t.Fatalf("%dx%d: the address from Berlin should read 203.0.113.7 (DE):\n%s", sz[0], sz[1], frame)
		}
		m = toFacet(t, press(t, m, "i"), model.FacetIP, func(v string) bool { return v == "192.0.2.1" })
		l, _ := cursorAt(screenText(m))
		if at := strings.Split(strings.Split(screenText(m), "\n")[l], "▸ ")[1]; strings.Contains(strings.Fields(at)[0]+" "+strings.Fields(at)[1], "(") {
			t.Fatalf("%dx%d: an address no session placed has no country:\n%s", sz[0], sz[1], screenText(m))
		}
	}
}

// At 220 columns the sections stand in two columns side by side, every
// heading in view; narrower, one column. A click in the right column
// selects the line there.
func TestFacetsTwoColumnsAtWideScreens(t *testing.T) {
	events := fixtureEvents(t)
	for _, sz := range facetSizes {
		m := press(t, browsing(t, newRecordingSource(events), Options{}, sz[0], sz[1]), "c")
		frame := screenText(m)
		lines := strings.Split(frame, "\n")
		split := strings.Contains(lines[2], " │ ")
		if split != (sz[0] >= 220) {
			t.Fatalf("%dx%d: two columns %v:\n%s", sz[0], sz[1], split, frame)
		}
		if !split {
			continue
		}
		for _, f := range model.Facets {
			if !strings.Contains(frame, " "+f.String()+" ") && !strings.Contains(frame, " "+f.String()+"\n") {
				t.Fatalf("%dx%d: the %s section is not in view:\n%s", sz[0], sz[1], f, frame)
			}
		}
		x := strings.Index(lines[3], " │ ") + 6
		nm, cmd := m.Update(tea.MouseClickMsg{X: x, Y: 3, Button: tea.MouseLeft})
		m = drain(t, nm.(*Model), cmd)
		right := []rune(strings.Split(screenText(m), "\n")[3])
		if at := strings.Index(string(right), "▸"); at < strings.Index(string(right), "│") {
			t.Fatalf("%dx%d: a click at %d,3 should put the cursor in the right column:\n%s", sz[0], sz[1], x, screenText(m))
		}
	}
}
